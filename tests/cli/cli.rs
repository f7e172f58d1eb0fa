//! The command line contract: exit codes, formats, `rules`, `explain`, configuration.

use crate::common::*;
use smm_lint::rules::Rule;

/// The minimal tree with one error (evidence-not-found, which also leaves level 1 without
/// evidence) and one warning (evidence-stale).
fn broken_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read");
    let text = text
        .replace(
            "../evidence/patching.md#monthly-window",
            "../evidence/gone.md",
        )
        .replace("2026-09-15", "2020-01-01");
    std::fs::write(&doc, text).expect("write");
    dir
}

#[test]
fn exit_0_when_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let out = run(dir.path(), &["check", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(
        stdout(&out).trim(),
        "No problems found in 2 documents (1 profile)."
    );
}

#[test]
fn exit_1_with_findings_sorted_by_path_and_line() {
    let dir = broken_tree();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        [
            "evidence-insufficient hardening/patch-management.md:3",
            "evidence-not-found hardening/patch-management.md:6",
            "evidence-stale hardening/patch-management.md:8",
        ]
    );
    assert_eq!(json["summary"]["errors"], 2);
    assert_eq!(json["summary"]["warnings"], 1);
}

#[test]
fn fail_on_moves_the_threshold() {
    let dir = broken_tree();
    assert_eq!(check_json(dir.path(), &["--fail-on", "never"]).0, 0);
    // Only the warning left: fails with --fail-on warning, passes by default.
    std::fs::write(dir.path().join("evidence/gone.md"), "# Gone\n").expect("write");
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc)
        .expect("read")
        .replace("kind: procedure", "kind: policy");
    std::fs::write(&doc, text).expect("write");
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(
        findings(&json),
        ["evidence-stale hardening/patch-management.md:8"]
    );
    assert_eq!(code, 0);
    assert_eq!(check_json(dir.path(), &["--fail-on", "warning"]).0, 1);
}

#[test]
fn json_carries_the_documented_fields() {
    let dir = broken_tree();
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(json["version"], 1);
    let d = &diagnostics(&json)[1];
    assert_eq!(d["rule"], "evidence-not-found");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "hardening/patch-management.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(11))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(6), Some(30))
    );
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("../evidence/gone.md"))
    );
    assert!(d["help"].is_string());
    for key in ["errors", "warnings", "infos", "documents", "profiles"] {
        assert!(json["summary"][key].is_u64(), "summary.{key}");
    }
}

#[test]
fn exit_2_when_the_tool_cannot_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let cases: [&[&str]; 5] = [
        &["check", "no-such-dir"],
        &["check", "--today", "2026-13-45"],
        &["check", "--format", "xml"],
        &["explain", "evidence-stal"],
        &["frobnicate"],
    ];
    for args in cases {
        let out = run(dir.path(), args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?} wrote to stdout");
        assert!(!stderr(&out).is_empty(), "{args:?} gave no message");
    }
    let out = run(dir.path(), &["explain", "evidence-stal"]);
    assert!(
        stderr(&out).contains("did you mean `evidence-stale`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn configuration_changes_severities_and_rejects_unknown_keys() {
    let dir = broken_tree();
    std::fs::write(
        dir.path().join(".smm-lint.yaml"),
        "rules:\n  evidence-stale: off\n  evidence-not-found: warning\n",
    )
    .expect("write");
    let (status, json) = check_json(dir.path(), &[]);
    assert_eq!(status, 1, "evidence-insufficient is still an error");
    assert_eq!(
        findings(&json),
        [
            "evidence-insufficient hardening/patch-management.md:3",
            "evidence-not-found hardening/patch-management.md:6"
        ]
    );
    assert_eq!(diagnostics(&json)[1]["severity"], "warning");

    std::fs::write(
        dir.path().join(".smm-lint.yaml"),
        "rules:\n  evidence-stael: off\n",
    )
    .expect("write");
    let out = run(dir.path(), &["check"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown rule `evidence-stael`"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("did you mean `evidence-stale`"),
        "{}",
        stderr(&out)
    );

    std::fs::write(dir.path().join(".smm-lint.yaml"), "rulez: {}\n").expect("write");
    let out = run(dir.path(), &["check"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(".smm-lint.yaml:1:1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn configuration_replaces_ages_and_excludes_paths() {
    let dir = broken_tree();
    std::fs::write(
        dir.path().join(".smm-lint.yaml"),
        "evidence:\n  max_age_days:\n    procedure: 5000\nexclude:\n  - \"hardening/**\"\n",
    )
    .expect("write");
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(
        json["summary"]["documents"], 1,
        "the practice document is excluded"
    );
    assert_eq!(findings(&json), ["practice-missing profile.md:9"]);
    assert_eq!(code, 1);
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_doc() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(dir.path(), &["rules"]);
    assert_eq!(code(&out), 0);
    let listing = stdout(&out);
    assert_eq!(listing.lines().count(), Rule::ALL.len());
    // `explain` without a rule lists them, as `rules` does.
    let bare = run(dir.path(), &["explain"]);
    assert_eq!(code(&bare), 0, "{}", stderr(&bare));
    assert_eq!(stdout(&bare), listing);
    for rule in Rule::ALL {
        assert!(
            listing.lines().any(|l| l.starts_with(rule.id())),
            "{}",
            rule.id()
        );
        let out = run(dir.path(), &["explain", rule.id()]);
        assert_eq!(code(&out), 0, "{}", rule.id());
        let text = stdout(&out);
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(text.contains(section), "{} lacks {section}", rule.id());
        }
    }
}
