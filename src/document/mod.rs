//! One Markdown file: front matter split, YAML with spans, typed front matter, body.

pub mod body;
pub(crate) mod schema;

use crate::diagnostic::{Diagnostic, Edit, field_diagnostic};
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::text::suggest::close_keys;
use crate::yaml::reader::FieldError;
use crate::yaml::{self, frontmatter};
use schema::Front;
use std::path::PathBuf;
use std::sync::Arc;

/// Front matter larger than this is not parsed (`limit-exceeded`).
pub(crate) const MAX_FRONT_MATTER_BYTES: usize = 256 * 1024;
/// Evidence items checked per practice document (`limit-exceeded` past it).
pub(crate) const MAX_EVIDENCE_ITEMS: usize = 1_000;

/// A profile or practice document that parsed well enough to be checked.
#[derive(Debug, Clone)]
pub struct Document {
    /// Absolute and normalized.
    pub path: PathBuf,
    pub file: Arc<SourceFile>,
    pub front: Front,
    pub body: body::Body,
}

/// The outcome of reading one file: our document (if it is one) and what parsing found.
#[derive(Debug, Default)]
pub struct Parsed {
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the file is one of ours but could not be read as one, so that its absence
    /// from the profile does not cascade into more findings.
    pub broken: Option<Broken>,
}

/// What a broken document still tells: where it is and what it meant to be.
#[derive(Debug, Clone)]
pub struct Broken {
    pub path: PathBuf,
    pub marker: frontmatter::Marker,
}

/// Parses one file's bytes. Files that are not ours yield nothing at all.
pub fn parse(path: PathBuf, name: String, bytes: &[u8], kinds: &[String]) -> Parsed {
    let bytes = crate::read::without_bom(bytes);
    let (text, bad_utf8) = match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_owned(), None),
        Err(e) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some(e.valid_up_to()),
        ),
    };
    let file = SourceFile::new(name, text);
    let mut out = Parsed::default();
    let text = &file.text;
    let (yaml_range, body_range) = match frontmatter::split(text) {
        frontmatter::Split::None => return out,
        frontmatter::Split::Unclosed { open } => {
            if let Some(marker) = frontmatter::marker(&text[open.end..]) {
                out.broken = Some(Broken { path, marker });
                out.diagnostics.push(
                    Diagnostic::new(
                        Rule::FrontMatterSyntax,
                        &file,
                        open.clone(),
                        "the front matter is never closed",
                    )
                    .label("opened here")
                    .help(unclosed_help(text, open.end)),
                );
            }
            return out;
        }
        frontmatter::Split::Fenced { yaml, body, .. } => (yaml, body),
    };
    let yaml_text = &text[yaml_range.clone()];
    if yaml_text.len() > MAX_FRONT_MATTER_BYTES {
        if let Some(marker) = frontmatter::marker(yaml_text) {
            out.broken = Some(Broken { path, marker });
            out.diagnostics.push(
                Diagnostic::new(
                    Rule::LimitExceeded,
                    &file,
                    0..3,
                    format!("the front matter is {} bytes; documents with more than {MAX_FRONT_MATTER_BYTES} are not read", yaml_text.len()),
                )
                .help("keep the front matter to the keys of the format; put long text in the body and evidence in files"),
            );
        }
        return out;
    }
    let mut root = match yaml::parse(yaml_text) {
        Ok(root) => root,
        Err(e) => {
            if let Some(marker) = frontmatter::marker(yaml_text) {
                out.broken = Some(Broken { path, marker });
                let at = yaml_range.start + e.offset;
                let first = e
                    .first_of_duplicate(yaml_text)
                    .map(|f| yaml_range.start + f.start..yaml_range.start + f.end);
                let message = match &first {
                    Some(f) => format!(
                        "invalid YAML: {} (first on line {})",
                        e.message,
                        text[..f.start].matches('\n').count() + 1
                    ),
                    None => format!("invalid YAML: {}", e.message),
                };
                let mut d =
                    Diagnostic::new(Rule::FrontMatterSyntax, &file, at..at, message).label("here");
                if let Some(help) = e.help(yaml_text) {
                    d = d.help(help);
                }
                if let Some(first) = first {
                    d = d.related(first, "first written here");
                }
                out.diagnostics.push(d);
            }
            return out;
        }
    };
    root.shift(yaml_range.start);
    if !matches!(root.value, yaml::Value::Map(_)) {
        if let Some(marker) = frontmatter::marker(yaml_text) {
            out.broken = Some(Broken { path, marker });
            let span = if root.span.is_empty() {
                yaml_range.start..yaml_range.start
            } else {
                root.span.clone()
            };
            out.diagnostics.push(Diagnostic::new(
                Rule::FrontMatterSchema,
                &file,
                span,
                format!(
                    "the front matter must be a mapping of keys to values, found {}",
                    root.kind()
                ),
            ));
        }
        return out;
    }
    let mut problems = schema::Problems::default();
    let front = schema::read(&root, kinds, &mut problems);
    out.diagnostics.extend(
        problems
            .errors
            .into_iter()
            .map(|e| field_diagnostic(Rule::FrontMatterSchema, &file, e, 0.7)),
    );
    if front.is_some() {
        out.diagnostics.extend(
            problems
                .top_level_unknown
                .into_iter()
                .filter(has_close_key)
                .map(|e| {
                    with_key_fix(
                        field_diagnostic(Rule::FrontMatterSchema, &file, e.clone(), 0.8),
                        &file,
                        &e,
                    )
                }),
        );
    } else if let Some((diagnostic, marker)) = misspelt_marker(&root, &file) {
        out.diagnostics.push(diagnostic);
        out.broken = Some(Broken {
            path: path.clone(),
            marker,
        });
    }
    if let Some(offset) = bad_utf8 {
        out.diagnostics.push(
            Diagnostic::new(
                Rule::InvalidUtf8,
                &file,
                offset..offset,
                "bytes that are not valid UTF-8 start here",
            )
            .help("save the file as UTF-8; the invalid bytes were read as U+FFFD"),
        );
    }
    let Some(mut front) = front else {
        return out;
    };
    if let Front::Practice(p) = &mut front {
        if p.evidence.len() > MAX_EVIDENCE_ITEMS {
            let first_left_out = p.evidence[MAX_EVIDENCE_ITEMS].span.clone();
            let left_out = p.evidence.len() - MAX_EVIDENCE_ITEMS;
            p.evidence.truncate(MAX_EVIDENCE_ITEMS);
            out.diagnostics.push(
                Diagnostic::new(
                    Rule::LimitExceeded,
                    &file,
                    first_left_out,
                    format!("{left_out} evidence items from here on are not checked: the limit is {MAX_EVIDENCE_ITEMS} per document"),
                )
                .help("cite an index document that lists the records, instead of every record"),
            );
        }
    }
    let body = body::parse(text, body_range);
    out.document = Some(Document {
        path,
        file,
        front,
        body,
    });
    out
}

/// Where the front matter most likely ends: before the first Markdown heading.
fn unclosed_help(text: &str, from: usize) -> String {
    let heading = text[from..]
        .split_inclusive('\n')
        .scan(from, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
        .find(|(_, line)| line.starts_with("# "));
    match heading {
        Some((start, line)) => format!(
            "end the front matter with a line holding only `---`, likely before line {} (`{}`)",
            text[..start].matches('\n').count() + 1,
            crate::text::excerpt(line.trim_end())
        ),
        None => "end the front matter with a line holding only `---`".to_owned(),
    }
}

/// A `profil:` or `pratice:` key with a text value: meant to be ours, so it is reported and
/// still claims its place (no cascade of "missing" findings).
fn misspelt_marker(
    root: &yaml::Node,
    file: &Arc<SourceFile>,
) -> Option<(Diagnostic, frontmatter::Marker)> {
    let yaml::Value::Map(entries) = &root.value else {
        return None;
    };
    entries.iter().find_map(|(k, v)| {
        let key = k.as_str()?;
        let value = v.as_str()?;
        let marker = close_keys(key, &["profile", "practice"], 0.8)
            .into_iter()
            .next()?;
        let diagnostic = Diagnostic::new(
            Rule::UnknownKey,
            file,
            k.span.clone(),
            format!("unknown key `{}`", crate::text::excerpt(key)),
        )
        .label("not a key smm-lint knows")
        .help(format!(
            "did you mean `{marker}`? Without it this file is not read as a {marker} document"
        ));
        let marker = if marker == "profile" {
            frontmatter::Marker::Profile
        } else {
            frontmatter::Marker::Practice(Some(value.trim().to_owned()))
        };
        Some((diagnostic, marker))
    })
}

/// Keys a fix may rename a misspelling to: none that would change a claim, a date or which
/// evidence counts.
const FIXABLE_KEYS: &[&str] = &[
    "profile",
    "practice",
    "system",
    "industry",
    "owner",
    "assessor",
    "rationale",
];

/// Keys that decide what the rest of the document is checked against: renamed, they bring
/// findings and fixes of their own, which a single `--fix` could not show or make.
const GATING_KEYS: &[&str] = &["model", "targets"];

/// A top-level key with exactly one close, fixable candidate gets the rename as its fix.
fn with_key_fix(d: Diagnostic, file: &Arc<SourceFile>, err: &FieldError) -> Diagnostic {
    let FieldError::UnknownKey { span, key, allowed } = err else {
        return d;
    };
    match similar::get_close_matches(key.as_str(), allowed, 2, 0.8).as_slice() {
        [only] if FIXABLE_KEYS.contains(only) => d.fix(Edit::scalar(file, span.clone(), only)),
        [only] if GATING_KEYS.contains(only) => d.not_fixed(&format!(
            "renaming `{only}` changes what else is checked, so it is renamed by hand only"
        )),
        [only] => d.not_fixed(&format!(
            "`{only}` holds a claim, a date or evidence, and such keys are renamed by hand only"
        )),
        [] => d,
        [_, ..] => d.not_fixed("more than one key is close"),
    }
}

fn has_close_key(err: &FieldError) -> bool {
    match err {
        FieldError::UnknownKey { key, allowed, .. } => !close_keys(key, allowed, 0.8).is_empty(),
        FieldError::Invalid { .. } | FieldError::Misspelt { .. } => true,
    }
}
