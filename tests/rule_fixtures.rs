//! Every rule has a failing and a passing fixture under `fixtures/rules/<id>/`, driven by the
//! rule registry: a rule without both fails this test.
//!
//! `fail/expected.txt` lists `path:line` for each finding of that rule (paths relative to the
//! case). `pass/` must check with exit code 0 and no finding that counts (a waived finding
//! may remain, as in the waiver cases).

mod common;
use common::*;
use smm_lint::rules::{Needs, Rule};
use std::collections::BTreeSet;
use std::path::Path;

fn rule_findings(dir: &Path, rule: Rule) -> (i32, serde_json::Value, BTreeSet<String>) {
    let (code, json) = check_json(dir, &[]);
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
        if rule.needs() != Needs::Nothing {
            // Needs --online or --base, which this suite does not drive yet.
            continue;
        }
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
