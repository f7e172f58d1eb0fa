//! The YAML-to-document step: any bytes → `document::parse` (BOM, UTF-8, split, YAML with spans,
//! typed schema, Markdown body). Never panics; every span lies inside the text on character
//! boundaries; the same bytes give the same result; and the findings render in the human
//! (graphical) and JSON reports without error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smm_lint::context::{self, Context};
use smm_lint::diagnostic::Diagnostic;
use smm_lint::document;
use smm_lint::model::evidence::EvidenceRules;
use smm_lint::report::human::Human;
use smm_lint::report::json::Json;
use smm_lint::report::{Outcome, Reporter};
use smm_lint::settings::Settings;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let root = PathBuf::from("/");
        let today = context::today(Some("2026-11-21")).expect("valid date");
        let settings = Settings::resolve(None, &root).expect("settings");
        Context::with(root, today, settings)
    })
}

fn kinds() -> &'static [String] {
    static KINDS: OnceLock<Vec<String>> = OnceLock::new();
    KINDS.get_or_init(|| EvidenceRules::builtin().expect("evidence rules").kinds)
}

fn inside(text: &str, r: &Range<usize>, what: &str) {
    assert!(r.start <= r.end, "{what}: reversed {r:?}");
    assert!(r.end <= text.len(), "{what}: {r:?} past {}", text.len());
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what}: {r:?} not on char boundaries"
    );
}

fn key(d: &Diagnostic) -> String {
    format!(
        "{} {:?} {} {:?} {:?} {:?}",
        d.rule.id(),
        d.span,
        d.message,
        d.help,
        d.label,
        d.related
    )
}

fn parse(data: &[u8]) -> document::Parsed {
    document::parse(
        PathBuf::from("/repo/hardening/patch-management.md"),
        "hardening/patch-management.md".to_owned(),
        data,
        kinds(),
    )
}

fuzz_target!(|data: &[u8]| {
    let parsed = parse(data);
    for d in &parsed.diagnostics {
        inside(&d.file.text, &d.span, d.rule.id());
        for (span, label) in &d.related {
            inside(&d.file.text, span, label);
        }
        assert!(!d.message.is_empty());
    }
    if let Some(doc) = &parsed.document {
        for link in &doc.body.links {
            inside(&doc.file.text, &link.span, "link");
        }
    }
    let again = parse(data);
    let a: Vec<String> = parsed.diagnostics.iter().map(key).collect();
    let b: Vec<String> = again.diagnostics.iter().map(key).collect();
    assert_eq!(a, b, "not deterministic");
    assert_eq!(parsed.document.is_some(), again.document.is_some());

    if parsed.diagnostics.is_empty() {
        return;
    }
    let outcome = Outcome {
        diagnostics: &parsed.diagnostics,
        counts: smm_lint::sink::counts(&parsed.diagnostics),
        documents: 1,
        profiles: 0,
        gaps: &[],
        context: context(),
    };
    let human = Human {
        color: false,
        width: 100,
    };
    let mut out = Vec::new();
    human
        .report(&outcome, &mut out)
        .expect("the human report renders");
    out.clear();
    Json.report(&outcome, &mut out)
        .expect("the JSON report renders");
});
