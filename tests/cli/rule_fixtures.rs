//! Every rule has a failing and a passing fixture under `fixtures/rules/<id>/`, driven by the
//! rule registry: a rule without both fails this test.
//!
//! `fail/expected.txt` lists `path:line` for each finding of that rule (paths relative to the
//! case). `pass/` must check with exit code 0 and no finding that counts (a waived finding
//! may remain, as in the waiver cases).

use crate::common::*;
use smm_lint::rules::{Needs, Rule};
use std::collections::BTreeSet;
use std::path::Path;

/// Runs the case: directly, or for a `--base` rule, in a git repository whose last commit
/// holds `before/` and whose work tree holds `after/`.
fn rule_findings(dir: &Path, rule: Rule) -> (i32, serde_json::Value, BTreeSet<String>) {
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
    let found = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == rule.id())
        .map(|d| format!("{}:{}", d["path"].as_str().unwrap_or("?"), d["line"]))
        .collect();
    (code, json, found)
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let mut problems = Vec::new();
    for &rule in Rule::ALL {
        let base = repo().join("fixtures/rules").join(rule.id());
        let (fail, pass) = (base.join("fail"), base.join("pass"));
        if !fail.is_dir() || !pass.is_dir() {
            problems.push(format!("{}: missing fail/ or pass/", rule.id()));
            continue;
        }
        let expected: BTreeSet<String> = std::fs::read_to_string(fail.join("expected.txt"))
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let (_, _, found) = rule_findings(&fail, rule);
        if expected.is_empty() || found != expected {
            problems.push(format!(
                "{}: fail/ expected {expected:?}, found {found:?}",
                rule.id()
            ));
        }
        let (code, json, _) = rule_findings(&pass, rule);
        let counted = diagnostics(&json)
            .iter()
            .filter(|d| d["waived"].is_null())
            .count();
        if code != 0 || counted > 0 {
            problems.push(format!(
                "{}: pass/ exit {code}, findings {:?}",
                rule.id(),
                findings(&json)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
