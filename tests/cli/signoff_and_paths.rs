//! The sign-off's meaning and dates, the HTML report's handling of invisible characters, and the
//! repository boundary of `describe --catalogue` and of catalogue, mapping and evidence paths.

use crate::common::*;
use std::path::Path;

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

/// The minimal tree as a git repository.
fn repo_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    git(dir.path(), &["init", "-q"]);
    dir
}

#[test]
fn approve_refuses_a_date_after_today_and_writes_nothing() {
    let dir = repo_tree();
    let before = std::fs::read_to_string(dir.path().join("profile.md")).expect("read");
    let out = run(
        dir.path(),
        &[
            "approve",
            "--today",
            TODAY,
            "--by",
            "Dana Reyes",
            "--date",
            "2099-12-31",
            ".",
        ],
    );
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("after today"), "{}", stderr(&out));
    let after = std::fs::read_to_string(dir.path().join("profile.md")).expect("read");
    assert_eq!(before, after);
    // The day itself is fine.
    let out = run(
        dir.path(),
        &[
            "approve",
            "--today",
            TODAY,
            "--by",
            "Dana Reyes",
            "--date",
            TODAY,
            ".",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn a_future_approval_date_is_a_date_in_future_at_its_span() {
    let dir = repo_tree();
    let out = run(
        dir.path(),
        &[
            "approve",
            "--today",
            "2099-12-31",
            "--by",
            "Dana Reyes",
            "--date",
            "2099-12-31",
            ".",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let (status, json) = check_json(dir.path(), &[]);
    assert_eq!(status, 1, "{json}");
    let found: Vec<_> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "date-in-future")
        .collect();
    assert_eq!(found.len(), 1, "{json}");
    let message = found[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`approved.date` is 2099-12-31"),
        "{message}"
    );
    let text = std::fs::read_to_string(dir.path().join("profile.md")).expect("read");
    let line = text
        .lines()
        .position(|l| l.contains("date: 2099-12-31"))
        .expect("the written date")
        + 1;
    assert_eq!(found[0]["line"].as_u64(), Some(line as u64), "{json}");
}
