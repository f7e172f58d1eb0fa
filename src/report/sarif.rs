//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

use super::{Outcome, Reporter};
use crate::diagnostic::Diagnostic;
use crate::rules::Severity;
use crate::rules::{self, Rule, RuleDoc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Debug)]
pub(crate) struct Sarif;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
/// Paths are relative to the root of the checkout.
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor<'a> {
    id: &'static str,
    name: String,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Help<'a>,
    help_uri: String,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
    /// Written only for a rule that is off by default (SARIF's default is `true`).
    #[serde(skip_serializing_if = "is_true")]
    enabled: bool,
}

fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Serialize)]
struct Properties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: OwnedText,
    locations: [Location; 1],
    partial_fingerprints: HashMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `evidence-stale` → `EvidenceStale`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

/// The first paragraph of the doc's "What it checks" section.
fn what_it_checks(doc: &RuleDoc) -> &str {
    doc.body
        .split("## What it checks")
        .nth(1)
        .and_then(|rest| rest.trim_start().split("\n\n").next())
        .unwrap_or(&doc.summary)
}

fn descriptor(doc: &RuleDoc) -> RuleDescriptor<'_> {
    RuleDescriptor {
        id: doc.rule.id(),
        name: pascal(doc.rule.id()),
        short_description: Text { text: &doc.summary },
        full_description: Text {
            text: what_it_checks(doc),
        },
        help: Help {
            text: &doc.body,
            markdown: &doc.body,
        },
        help_uri: format!(
            "{INFORMATION_URI}/blob/main/rules/rules/{}.md",
            doc.rule.id()
        ),
        default_configuration: Configuration {
            level: level(doc.severity),
            enabled: doc.enabled,
        },
        properties: Properties {
            tags: vec!["security", "smm", doc.rule.family()],
        },
    }
}

/// A repository path as a URI reference. SARIF requires RFC 3986, so a space, `#`, `%` or a
/// non-ASCII letter in a file name is percent-encoded (consumers decode it), and so is `:`, which
/// in a first segment would read as a scheme.
fn uri_reference(path: &str) -> String {
    crate::text::percent_encode(path, b"-._~/!$&'()*+,;=@")
}

/// A fingerprint that ignores line numbers, so a finding keeps its identity when unrelated
/// lines move: rule, file and the text it points at, plus a counter for repeats. Not the
/// message: some count days ("assessed 366 days ago") and would make a new finding every day.
fn fingerprint(d: &Diagnostic, path: &str, seen: &mut HashMap<String, usize>) -> String {
    let snippet = d.file.text.get(d.span.clone()).unwrap_or("");
    let mut hasher = Sha256::new();
    for part in [d.rule.id(), path, snippet] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let hash: String = hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    let n = seen.entry(hash.clone()).or_insert(0);
    *n += 1;
    format!("{hash}:{n}")
}

impl Reporter for Sarif {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut seen = HashMap::new();
        let results = outcome
            .diagnostics
            .iter()
            .map(|d| {
                let path = outcome.repo_path(d);
                let start = d.file.position(d.span.start);
                let end = d.file.position(d.span.end);
                let message = super::message_with_help(d);
                SarifResult {
                    rule_id: d.rule.id(),
                    rule_index: Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0),
                    level: level(d.severity),
                    message: OwnedText { text: message },
                    partial_fingerprints: HashMap::from([(
                        "smmLint/v1",
                        fingerprint(d, &path, &mut seen),
                    )]),
                    locations: [Location {
                        physical_location: PhysicalLocation {
                            artifact_location: ArtifactLocation {
                                uri: uri_reference(&path),
                                uri_base_id: SRCROOT,
                            },
                            region: Region {
                                start_line: start.line,
                                start_column: start.column,
                                end_line: end.line,
                                end_column: end.column,
                            },
                        },
                    }],
                    suppressions: d
                        .waived
                        .iter()
                        .map(|w| Suppression {
                            kind: "inSource",
                            justification: format!("{} (waived until {})", w.reason, w.expires),
                        })
                        .collect(),
                }
            })
            .collect();
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "smm-lint",
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: INFORMATION_URI,
                        rules: rules::docs().iter().map(descriptor).collect(),
                    },
                },
                column_kind: "unicodeCodePoints",
                results,
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
        writeln!(out)
    }
}
