//! Property tests (proptest): any bytes read as a document never panic, every diagnostic span
//! lies inside the text on character boundaries, parsing is deterministic, and a level written
//! then parsed is unchanged. Bounded to a few seconds: a fixed number of cases per property.

use proptest::prelude::*;
use smm_lint::diagnostic::Diagnostic;
use smm_lint::document;
use smm_lint::model::evidence::EvidenceRules;
use smm_lint::model::level::{Level, Scope};
use smm_lint::yaml::{self, frontmatter};
use std::path::PathBuf;
use std::sync::OnceLock;

fn kinds() -> &'static [String] {
    static KINDS: OnceLock<Vec<String>> = OnceLock::new();
    KINDS.get_or_init(|| {
        EvidenceRules::builtin()
            .expect("the built-in evidence rules load")
            .kinds
    })
}

/// Tokens that front matter and Markdown bodies are made of, so that generated documents reach
/// past the front-matter split and the YAML parser into the schema and the body.
const TOKENS: &[&str] = &[
    "---",
    "...",
    "\n",
    "\r\n",
    "\t",
    " ",
    "  ",
    "    ",
    "- ",
    ": ",
    ":",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!binary ",
    "!foo ",
    "? ",
    "|",
    ">",
    "#",
    "\"",
    "'",
    "\\",
    "profile",
    "practice",
    "practise",
    "model",
    "system",
    "industry",
    "owner",
    "targets",
    "current",
    "assessed",
    "assessor",
    "applicable",
    "rationale",
    "plan",
    "level",
    "due",
    "action",
    "evidence",
    "path",
    "url",
    "kind",
    "reviewed",
    "sha256",
    "standard",
    "note",
    "waivers",
    "rule",
    "reason",
    "expires",
    "patch-management",
    "hardening",
    "governance",
    "2/industry",
    "2+/general+",
    "5/general",
    "0/system",
    "1/",
    "/general",
    "procedure",
    "review",
    "record",
    "test",
    "2026-10-01",
    "2026-02-30",
    "9999-99-99",
    "true",
    "false",
    "null",
    "~",
    "1e999",
    ".nan",
    "-0",
    "18446744073709551616",
    "../evidence/p.md#window",
    "https://example.com/x",
    "# Heading",
    "## Monthly window",
    "[link](../evidence/p.md#monthly-window)",
    "![img](x.png)",
    "<a id=\"x\"></a>",
    "[^1]",
    "| a | b |",
    "```",
    "é",
    "\u{feff}",
    "\u{200b}",
    "😀",
    "\u{0}",
    "\u{7f}",
];

/// Raw bytes, including invalid UTF-8.
fn raw_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..400)
}

/// A document assembled from tokens, often (but not always) inside a front-matter fence.
fn token_document() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(prop::sample::select(TOKENS), 0..120),
        prop::collection::vec(prop::sample::select(TOKENS), 0..40),
        0u8..4,
        prop::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(|(front, body, shape, noise)| {
            let front = front.concat();
            let body = body.concat();
            let mut out = Vec::new();
            match shape {
                // Fenced: the common case.
                0 | 1 => out.extend_from_slice(format!("---\n{front}\n---\n{body}").as_bytes()),
                // Never closed.
                2 => out.extend_from_slice(format!("---\n{front}{body}").as_bytes()),
                // Fenced with CRLF and a BOM, and a few raw bytes spliced into the YAML.
                _ => {
                    out.extend_from_slice(b"\xEF\xBB\xBF---\r\n");
                    out.extend_from_slice(front.as_bytes());
                    out.extend_from_slice(&noise);
                    out.extend_from_slice(b"\r\n---\r\n");
                    out.extend_from_slice(body.as_bytes());
                }
            }
            out
        })
}

/// A well-formed practice document with one value replaced by arbitrary text.
fn practice_with_value() -> impl Strategy<Value = Vec<u8>> {
    (0usize..6, ".{0,40}").prop_map(|(slot, value)| {
        let mut values = [
            "patch-management".to_owned(),
            "2/industry".to_owned(),
            "2026-10-01".to_owned(),
            "../evidence/p.md#monthly-window".to_owned(),
            "procedure".to_owned(),
            "2026-09-15".to_owned(),
        ];
        values[slot] = value;
        format!(
            "---\npractice: {}\ncurrent: {}\nassessed: {}\nevidence:\n  - path: {}\n    kind: {}\n    reviewed: {}\n---\n# Patch management\n\nSee [it](../evidence/p.md#x).\n",
            values[0], values[1], values[2], values[3], values[4], values[5]
        )
        .into_bytes()
    })
}

fn any_document() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![raw_bytes(), token_document(), practice_with_value()]
}

/// What a parse produced, in a comparable form.
fn summary(parsed: &document::Parsed) -> String {
    let diags: Vec<String> = parsed.diagnostics.iter().map(describe).collect();
    let doc = parsed.document.as_ref().map(|d| {
        let mut anchors: Vec<&String> = d.body.anchors.iter().collect();
        anchors.sort();
        format!(
            "{:?} {:?} {:?} {anchors:?}",
            d.file.text, d.front, d.body.links
        )
    });
    format!("{diags:#?}\n{doc:?}\n{:?}", parsed.broken)
}

fn describe(d: &Diagnostic) -> String {
    format!(
        "{} {:?} {:?} {:?} {:?} {:?} {:?}",
        d.rule.id(),
        d.span,
        d.message,
        d.help,
        d.label,
        d.related,
        d.severity
    )
}

fn check_span(text: &str, span: &std::ops::Range<usize>, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end,
        "{what}: reversed span {span:?} in {text:?}"
    );
    prop_assert!(
        span.end <= text.len(),
        "{what}: span {span:?} past the end ({}) of {text:?}",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on char boundaries in {text:?}"
    );
    Ok(())
}

fn parse(bytes: &[u8]) -> document::Parsed {
    document::parse(
        PathBuf::from("/repo/hardening/patch-management.md"),
        "hardening/patch-management.md".to_owned(),
        bytes,
        kinds(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        // 256 cases keep `cargo test` quick; `.ci/run` sets PROPTEST_CASES=2048, and
        // PROPTEST_CASES=100000 makes a long hunt.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_bytes_parse_without_panic_with_spans_inside_and_stable(bytes in any_document()) {
        let first = parse(&bytes);
        for d in &first.diagnostics {
            let text = &d.file.text;
            check_span(text, &d.span, &format!("{} primary", d.rule.id()))?;
            for (span, label) in &d.related {
                check_span(text, span, &format!("{} related `{label}`", d.rule.id()))?;
            }
            prop_assert!(!d.message.is_empty(), "empty message for {}", d.rule.id());
        }
        if let Some(doc) = &first.document {
            for link in &doc.body.links {
                check_span(&doc.file.text, &link.span, "body link")?;
            }
        }
        let second = parse(&bytes);
        prop_assert_eq!(summary(&first), summary(&second));
    }

    #[test]
    fn split_ranges_are_inside_the_text_and_ordered(bytes in any_document()) {
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        match frontmatter::split(text) {
            frontmatter::Split::None => {}
            frontmatter::Split::Unclosed { open } => check_span(text, &open, "open fence")?,
            frontmatter::Split::Fenced { open, yaml, body } => {
                check_span(text, &open, "open fence")?;
                check_span(text, &yaml, "yaml")?;
                check_span(text, &body, "body")?;
                prop_assert!(open.end <= yaml.start && yaml.end <= body.start);
                prop_assert_eq!(body.end, text.len());
            }
        }
    }

    #[test]
    fn yaml_node_spans_are_inside_the_text(bytes in token_document()) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        match yaml::parse(&text) {
            Ok(node) => {
                let mut stack = vec![&node];
                while let Some(n) = stack.pop() {
                    check_span(&text, &n.span, "yaml node")?;
                    match &n.value {
                        yaml::Value::Seq(items) => stack.extend(items),
                        yaml::Value::Map(entries) => {
                            stack.extend(entries.iter().flat_map(|(k, v)| [k, v]));
                        }
                        _ => {}
                    }
                }
            }
            Err(e) => {
                prop_assert!(e.offset <= text.len(), "error offset {} past {}", e.offset, text.len());
                prop_assert!(!e.message.contains('\n'));
            }
        }
    }

    #[test]
    fn a_level_written_then_parsed_is_unchanged(
        comp in 0u8..=4,
        scope in prop::sample::select(Scope::ALL.to_vec()),
        comp_plus in any::<bool>(),
        scope_plus in any::<bool>(),
        pad_left in "[ \t]{0,2}",
        pad_right in "[ \t]{0,2}",
    ) {
        let level = Level { comp, comp_plus, scope, scope_plus };
        let written = level.to_string();
        prop_assert_eq!(Level::parse(&written), Ok(level));
        // Surrounding whitespace is not part of the level.
        let padded = format!("{pad_left}{written}{pad_right}");
        prop_assert_eq!(Level::parse(&padded), Ok(level));
        // And the round trip is stable in text too.
        let reparsed = Level::parse(&written).map(|l| l.to_string());
        prop_assert_eq!(reparsed, Ok(written));
    }

    #[test]
    fn level_parse_never_panics_and_accepts_only_what_it_writes(text in ".{0,24}") {
        if let Ok(level) = Level::parse(&text) {
            // Whatever parses writes back to the trimmed text up to whitespace around `+` and `/`.
            let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(level.to_string(), squeezed);
        }
    }
}
