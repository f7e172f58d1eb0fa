//! Every rule has a failing and a passing fixture under `fixtures/rules/<id>/`, one test per
//! rule, named after it (`cargo test evidence_stale` runs that rule's case alone). The list of
//! tests is checked against the rule registry: a rule without a test here, or without both
//! fixtures, fails.
//!
//! `fail/expected.txt` lists `path:line:column` for each finding of that rule (paths relative
//! to the case), in any order; `UPDATE_SNAPSHOTS=1` rewrites it from the findings (check them). `pass/` must check with exit code 0 and no finding that counts
//! (a waived finding may remain, as in the waiver cases).

use crate::common::*;
use smm_lint::rules::{Needs, Rule};
use std::path::Path;

/// One `#[test]` per rule, and the list of ids they cover.
macro_rules! rule_cases {
    ($($test:ident => $id:literal,)*) => {
        $(
            #[test]
            fn $test() {
                rule_case($id);
            }
        )*

        const COVERED: &[&str] = &[$($id,)*];
    };
}

rule_cases! {
    front_matter_syntax => "front-matter-syntax",
    front_matter_schema => "front-matter-schema",
    unknown_key => "unknown-key",
    unknown_id => "unknown-id",
    profile_missing => "profile-missing",
    profile_conflict => "profile-conflict",
    practice_missing => "practice-missing",
    practice_duplicate => "practice-duplicate",
    target_missing => "target-missing",
    target_below_parent => "target-below-parent",
    rollup_mismatch => "rollup-mismatch",
    scope_context_missing => "scope-context-missing",
    below_target => "below-target",
    above_target => "above-target",
    plan_missing => "plan-missing",
    plan_overdue => "plan-overdue",
    assessment_stale => "assessment-stale",
    evidence_insufficient => "evidence-insufficient",
    indicator_uncovered => "indicator-uncovered",
    evidence_not_found => "evidence-not-found",
    evidence_anchor_not_found => "evidence-anchor-not-found",
    evidence_outside_repo => "evidence-outside-repo",
    evidence_stale => "evidence-stale",
    date_in_future => "date-in-future",
    evidence_changed => "evidence-changed",
    evidence_url_unreachable => "evidence-url-unreachable",
    link_broken => "link-broken",
    waiver_invalid => "waiver-invalid",
    waiver_expired => "waiver-expired",
    not_applicable_conflict => "not-applicable-conflict",
    regression_level => "regression-level",
    regression_evidence => "regression-evidence",
    target_changed => "target-changed",
    config_changed => "config-changed",
    waiver_added => "waiver-added",
    catalogue_invalid => "catalogue-invalid",
    file_too_large => "file-too-large",
    invalid_utf8 => "invalid-utf8",
    limit_exceeded => "limit-exceeded",
    approval_stale => "approval-stale",
    approval_missing => "approval-missing",
    unknown_requirement => "unknown-requirement",
}

/// Runs the case: directly, or for a `--base` rule, in a git repository whose last commit
/// holds `before/` and whose work tree holds `after/`.
fn rule_findings(dir: &Path, rule: Rule) -> (i32, serde_json::Value, Vec<String>) {
    let repo_dir = tempfile::tempdir().expect("temp dir");
    let (code, json) = if rule.needs() == Needs::Base {
        let work = repo_dir.path();
        copy_tree(&dir.join("before"), work);
        git(work, &["init", "-q"]);
        git(work, &["add", "-A"]);
        git(
            work,
            &[
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.com",
                "commit",
                "-qm",
                "before",
            ],
        );
        for entry in std::fs::read_dir(work).expect("read") {
            let entry = entry.expect("entry");
            if entry.file_name() != ".git" {
                let path = entry.path();
                if path.is_dir() {
                    std::fs::remove_dir_all(path)
                } else {
                    std::fs::remove_file(path)
                }
                .expect("clear");
            }
        }
        copy_tree(&dir.join("after"), work);
        check_json(work, &["--base", "HEAD"])
    } else if rule.needs() == Needs::Online {
        // The case cites http://SERVER/…: point it at a server of this test's own.
        let (base, _) = serve();
        let work = repo_dir.path();
        copy_tree(dir, work);
        for entry in walkdir::WalkDir::new(work)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let text = std::fs::read_to_string(entry.path()).expect("read");
            std::fs::write(entry.path(), text.replace("http://SERVER", &base)).expect("write");
        }
        check_json(work, &["--online"])
    } else {
        check_json(dir, &[])
    };
    let mut found: Vec<String> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == rule.id())
        .map(|d| {
            format!(
                "{}:{}:{}",
                d["path"].as_str().unwrap_or("?"),
                d["line"],
                d["column"]
            )
        })
        .collect();
    found.sort();
    (code, json, found)
}

/// The failing case finds exactly the expected findings of its rule; the passing case is clean.
fn rule_case(id: &str) {
    let rule = Rule::from_id(id).unwrap_or_else(|| panic!("{id} is not a rule id"));
    let base = repo().join("fixtures/rules").join(id);
    let (fail, pass) = (base.join("fail"), base.join("pass"));
    assert!(
        fail.is_dir() && pass.is_dir(),
        "fixtures/rules/{id}: missing fail/ or pass/"
    );
    let mut expected: Vec<String> = std::fs::read_to_string(fail.join("expected.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    expected.sort();
    let (_, _, found) = rule_findings(&fail, rule);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        let lines: String = found.iter().map(|f| format!("{f}\n")).collect();
        std::fs::write(fail.join("expected.txt"), lines).expect("write expected.txt");
        expected = found.clone();
    }
    assert!(
        !expected.is_empty(),
        "fixtures/rules/{id}/fail/expected.txt lists no finding"
    );
    assert_eq!(
        found, expected,
        "{id}: fail/ found (left) against expected.txt (right)"
    );
    let (code, json, _) = rule_findings(&pass, rule);
    let counted = diagnostics(&json)
        .iter()
        .filter(|d| d["waived"].is_null())
        .count();
    assert!(
        code == 0 && counted == 0,
        "{id}: pass/ exit {code}, findings {:?}",
        findings(&json)
    );
}

/// A rule added to the registry without a line in `rule_cases!` would go untested.
#[test]
fn every_rule_has_a_fixture_test() {
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| !COVERED.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a line in rule_cases!: {missing:?}"
    );
    assert_eq!(COVERED.len(), Rule::ALL.len(), "each rule listed once");
}

#[test]
fn fixture_directories_name_real_rules() {
    for entry in std::fs::read_dir(repo().join("fixtures/rules")).expect("fixtures/rules") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            Rule::from_id(&name).is_some(),
            "fixtures/rules/{name} is not a rule id"
        );
    }
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}
