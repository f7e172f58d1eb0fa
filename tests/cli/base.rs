//! `--base GIT-REF`: regressions against the documents at a git ref.

use crate::common::*;
use std::path::Path;

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// A repository whose first commit is the bottling-line example.
fn repo_with_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("fixtures/bottling-line"), dir.path());
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "one"]);
    dir
}

#[test]
fn a_lowered_level_and_a_removed_evidence_item_are_regressions() {
    let dir = repo_with_example();
    let d = dir.path();
    edit(
        d,
        "hardening/patch-management.md",
        "current: 2/industry",
        "current: 1/industry",
    );
    edit(
        d,
        "enablement/access-control.md",
        "  - path: ../evidence/access-reviews.md#account-inventory\n    kind: record\n    reviewed: 2026-09-16\n",
        "",
    );
    git(d, &["commit", "-qam", "two"]);
    let (code, json) = check_json(d, &["--base", "HEAD~1"]);
    let f = findings(&json);
    assert!(
        f.contains(&"regression-level hardening/patch-management.md:3".to_owned()),
        "{f:?}"
    );
    assert!(
        f.contains(&"regression-evidence enablement/access-control.md:3".to_owned()),
        "{f:?}"
    );
    assert!(!f.iter().any(|f| f.starts_with("target-changed")), "{f:?}");
    assert_eq!(code, 1);
}

#[test]
fn without_changes_there_is_no_regression() {
    let dir = repo_with_example();
    let (code, json) = check_json(dir.path(), &["--base", "HEAD"]);
    // The example's one finding, an information that shows indicators at work; no regression.
    assert_eq!(
        findings(&json),
        ["indicator-uncovered enablement/access-control.md:3"]
    );
    assert_eq!(code, 0);
}

#[test]
fn a_removed_practice_document_withdraws_its_claim() {
    let dir = repo_with_example();
    std::fs::remove_file(dir.path().join("hardening/monitoring-practices.md")).expect("remove");
    let (_, json) = check_json(dir.path(), &["--base", "HEAD"]);
    let f = findings(&json);
    assert!(
        f.contains(&"regression-level profile.md:2".to_owned()),
        "{f:?}"
    );
    assert!(
        f.contains(&"practice-missing profile.md:11".to_owned()),
        "{f:?}"
    );
}

#[test]
fn a_changed_target_is_shown_as_a_diff() {
    let dir = repo_with_example();
    edit(
        dir.path(),
        "profile.md",
        "  enablement: 2/general",
        "  enablement: 2/industry",
    );
    let (_, json) = check_json(dir.path(), &["--base", "HEAD"]);
    let changed: Vec<_> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "target-changed")
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["severity"], "info");
    let help = changed[0]["help"].as_str().expect("help");
    assert!(
        help.contains("-enablement: 2/general\n+enablement: 2/industry"),
        "{help}"
    );
}

#[test]
fn a_missing_ref_or_no_git_tree_is_exit_2() {
    let dir = repo_with_example();
    let out = run(dir.path(), &["check", "--base", "no-such-branch"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("the base ref `no-such-branch` does not exist"),
        "{}",
        stderr(&out)
    );
    let plain = tempfile::tempdir().expect("temp dir");
    minimal_tree(plain.path());
    let out = run(plain.path(), &["check", "--base", "HEAD"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("needs a git work tree"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_broken_document_is_not_reported_as_removed() {
    let dir = repo_with_example();
    edit(
        dir.path(),
        "enablement/access-control.md",
        "current: 2/general",
        "current: [2/general",
    );
    let (_, json) = check_json(dir.path(), &["--base", "HEAD"]);
    let f = findings(&json);
    assert!(
        f.iter().all(|f| !f.starts_with("regression-level")),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|f| f.starts_with("front-matter-syntax enablement/access-control.md")),
        "{f:?}"
    );
}
