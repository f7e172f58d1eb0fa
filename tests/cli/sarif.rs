//! `--format sarif`: the SARIF 2.1.0 structure that GitHub code scanning and other consumers read,
//! fingerprints that survive unrelated edits, and waivers as suppressions. That the output is valid
//! SARIF is checked by Microsoft's validator in `scripts/validate-sarif`.

use crate::common::*;
use serde_json::Value;
use smm_lint::rules::Rule;
use smm_lint::rules::Severity;
use std::collections::BTreeMap;
use std::path::Path;

/// Where [`repo_with_case`] puts the case, relative to the repository root.
const CASE_DIR: &str = "profiles/demo";

/// `check --format sarif --today TODAY [extra…]` in `dir`: the parsed SARIF log.
fn check_sarif(dir: &Path, extra: &[&str]) -> Value {
    check_sarif_on(dir, TODAY, extra)
}

/// [`check_sarif`] as of another day.
fn check_sarif_on(dir: &Path, today: &str, extra: &[&str]) -> Value {
    let mut args = vec!["check", "--format", "sarif", "--today", today];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert!(code(&out) < 2, "exit {}: {}", code(&out), stderr(&out));
    serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("SARIF output ({e}): {}", stdout(&out)))
}

/// A temporary repository holding `fixtures/rules/CASE` at [`CASE_DIR`]. An empty `.git` is all
/// smm-lint looks for to find the root, so locations must come out relative to it.
fn repo_with_case(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("create .git");
    copy_tree(
        &repo().join("fixtures/rules").join(case),
        &dir.path().join(CASE_DIR),
    );
    dir
}

fn the_run(log: &Value) -> &Value {
    let runs = log["runs"].as_array().expect("a runs array");
    assert_eq!(runs.len(), 1, "one run");
    &runs[0]
}

fn results(log: &Value) -> &Vec<Value> {
    the_run(log)["results"].as_array().expect("a results array")
}

fn sarif_level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        "info" => "note",
        other => panic!("unknown severity {other}"),
    }
}

fn text<'a>(value: &'a Value, what: &str) -> &'a str {
    let s = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is a string: {value}"));
    assert!(!s.trim().is_empty(), "{what} is empty");
    s
}

#[test]
fn log_run_and_rule_metadata() {
    let dir = repo_with_case("waiver-expired/fail");
    let log = check_sarif(dir.path(), &[]);
    assert!(
        text(&log["$schema"], "$schema").ends_with("sarif-2.1.0.json"),
        "{}",
        log["$schema"]
    );
    assert_eq!(log["version"], "2.1.0");
    let run = the_run(&log);
    assert_eq!(run["columnKind"], "unicodeCodePoints");

    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "smm-lint");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));

    let rules = driver["rules"].as_array().expect("a rules array");
    let ids: Vec<&str> = rules.iter().map(|r| text(&r["id"], "rule id")).collect();
    let expected: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(ids, expected, "one rule entry per rule, in registry order");
    for (entry, rule) in rules.iter().zip(Rule::ALL) {
        let id = rule.id();
        let name = text(&entry["name"], "name");
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "{id}: name `{name}` is not PascalCase"
        );
        assert_eq!(
            entry["shortDescription"]["text"],
            rule.doc().summary,
            "{id}"
        );
        text(&entry["fullDescription"]["text"], "fullDescription.text");
        text(&entry["help"]["text"], "help.text");
        text(&entry["help"]["markdown"], "help.markdown");
        let level = match rule.default_severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        assert_eq!(entry["defaultConfiguration"]["level"], level, "{id}");
        let tags = entry["properties"]["tags"].as_array().expect("tags");
        assert!(!tags.is_empty(), "{id}: no tags");
        for tag in tags {
            text(tag, "tag");
        }
    }
}

/// Every result against the JSON report of the same run: same findings, same order, same spans.
#[test]
fn results_point_at_the_finding() {
    let dir = repo_with_case("waiver-expired/fail");
    // From a subdirectory: JSON paths are relative to the cwd, SARIF URIs to the repository.
    let cwd = dir.path().join(CASE_DIR).join("hardening");
    let log = check_sarif(&cwd, &["."]);
    let (_, json) = check_json(&cwd, &["."]);
    let run = the_run(&log);
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = results(&log);
    let diagnostics = diagnostics(&json);
    assert_eq!(
        findings(&json),
        [
            "below-target patch-management.md:3",
            "waiver-expired patch-management.md:17"
        ]
    );
    assert_eq!(results.len(), diagnostics.len());

    for (r, d) in results.iter().zip(diagnostics) {
        let rule_id = text(&r["ruleId"], "ruleId");
        assert_eq!(rule_id, d["rule"]);
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], rule_id, "ruleIndex points at its rule");
        assert_eq!(
            r["level"],
            sarif_level(d["severity"].as_str().expect("severity"))
        );
        let message = text(&r["message"]["text"], "message.text");
        assert!(
            message.starts_with(d["message"].as_str().expect("message")),
            "{message}"
        );

        let locations = r["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1, "one location");
        let physical = &locations[0]["physicalLocation"];
        let artifact = &physical["artifactLocation"];
        assert_eq!(
            artifact["uri"],
            format!("{CASE_DIR}/hardening/{}", d["path"].as_str().expect("path")),
            "repository-relative, `/` separators"
        );
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        let region = &physical["region"];
        for (key, json_key) in [
            ("startLine", "line"),
            ("startColumn", "column"),
            ("endLine", "end_line"),
            ("endColumn", "end_column"),
        ] {
            assert!(region[key].as_u64().is_some_and(|n| n >= 1), "{key}");
            assert_eq!(region[key], d[json_key], "{rule_id}: {key}");
        }
        // columnKind is said once, on the run.
        assert!(region.get("columnKind").is_none() && r.get("columnKind").is_none());

        let fingerprints = r["partialFingerprints"]
            .as_object()
            .expect("partialFingerprints");
        assert!(!fingerprints.is_empty());
        for value in fingerprints.values() {
            text(value, "fingerprint");
        }
        // The waiver expired: nothing is suppressed.
        assert!(r.get("suppressions").is_none(), "{r}");
    }
}

#[test]
fn waived_findings_carry_suppressions() {
    let dir = repo_with_case("waiver-expired/pass");
    let log = check_sarif(dir.path(), &[]);
    let results = results(&log);
    assert_eq!(results.len(), 1, "{results:?}");
    let r = &results[0];
    assert_eq!(r["ruleId"], "below-target");
    assert_eq!(
        r["level"], "note",
        "a waiver suppresses, it does not demote: the level stays below-target's own (info)"
    );
    let suppressions = r["suppressions"].as_array().expect("suppressions");
    assert_eq!(suppressions.len(), 1);
    assert_eq!(suppressions[0]["kind"], "inSource");
    let justification = text(&suppressions[0]["justification"], "justification");
    assert!(
        justification.contains("Gap accepted by the plant manager")
            && justification.contains("2026-11-21"),
        "{justification}"
    );
}

/// (rule, uri, message) → (fingerprint, start line) for every result of a log.
fn identities(log: &Value) -> BTreeMap<(String, String, String), (String, u64)> {
    let results = results(log);
    let map: BTreeMap<_, _> = results
        .iter()
        .map(|r| {
            let physical = &r["locations"][0]["physicalLocation"];
            let key = (
                r["ruleId"].as_str().expect("ruleId").to_owned(),
                physical["artifactLocation"]["uri"]
                    .as_str()
                    .expect("uri")
                    .to_owned(),
                r["message"]["text"].as_str().expect("message").to_owned(),
            );
            let fingerprint = r["partialFingerprints"].to_string();
            let line = physical["region"]["startLine"].as_u64().expect("line");
            (key, (fingerprint, line))
        })
        .collect();
    assert_eq!(map.len(), results.len(), "findings are told apart");
    map
}

/// Inserts `text` into `file` right after the first `after`.
fn insert_after(file: &Path, after: &str, text: &str) {
    let old = std::fs::read_to_string(file).expect("read");
    let at = old.find(after).expect("the anchor is in the file") + after.len();
    std::fs::write(file, format!("{}{text}{}", &old[..at], &old[at..])).expect("write");
}

/// Checks a case, inserts a paragraph at the top of the profile's body and `inserted` above the
/// practice's findings (right after `above`), and checks again: every practice finding moved down,
/// every other one stayed, and no fingerprint changed.
fn fingerprints_survive(case: &str, above: &str, inserted: &str) {
    let dir = repo_with_case(case);
    let before = identities(&check_sarif(dir.path(), &[]));
    let case_dir = dir.path().join(CASE_DIR);
    // The closing fence of the front matter: what follows is the body.
    insert_after(
        &case_dir.join("profile.md"),
        "\n---\n",
        "Reviewed with the plant manager in November.\n\n",
    );
    insert_after(
        &case_dir.join("hardening/patch-management.md"),
        above,
        inserted,
    );
    let after = identities(&check_sarif(dir.path(), &[]));

    let shift = inserted.matches('\n').count() as u64;
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let mut moved = 0;
    for (key, (fingerprint, line)) in &before {
        let (new_fingerprint, new_line) = &after[key];
        assert_eq!(fingerprint, new_fingerprint, "{key:?}");
        if key.1.ends_with("hardening/patch-management.md") {
            assert_eq!(*new_line, line + shift, "{key:?} moved down");
            moved += 1;
        } else {
            assert_eq!(new_line, line, "{key:?} stayed");
        }
    }
    assert!(moved > 0, "{case}: no finding below the inserted lines");
}

#[test]
fn fingerprints_survive_lines_inserted_above_front_matter_findings() {
    // unknown-key: findings in the practice's front matter and in the profile's.
    fingerprints_survive("unknown-key/fail", "---\n", "# re-assessed on site\n");
}

#[test]
fn fingerprints_survive_lines_inserted_above_body_findings() {
    // link-broken: findings in the practice's body.
    fingerprints_survive(
        "link-broken/fail",
        "## Current state\n\n",
        "The window is announced to the shift leads a week ahead.\n\n",
    );
}

#[test]
fn fingerprints_survive_another_day() {
    // The message counts days ("reviewed 797 days ago"); the finding is the same one tomorrow.
    let dir = repo_with_case("evidence-stale/fail");
    let fingerprint = |today| {
        let log = check_sarif_on(dir.path(), today, &[]);
        let results = results(&log);
        assert_eq!(results.len(), 1, "{results:?}");
        (
            results[0]["message"]["text"].to_string(),
            results[0]["partialFingerprints"].to_string(),
        )
    };
    let (message, today) = fingerprint(TODAY);
    let (later_message, tomorrow) = fingerprint("2026-11-22");
    assert_ne!(message, later_message, "the message moved on");
    assert_eq!(today, tomorrow);
}

#[test]
fn uris_are_percent_encoded() {
    let dir = repo_with_case("below-target/fail");
    let hardening = dir.path().join(CASE_DIR).join("hardening");
    std::fs::rename(
        hardening.join("patch-management.md"),
        hardening.join("patch management #2 (ü).md"),
    )
    .expect("rename");
    let log = check_sarif(dir.path(), &[]);
    let results = results(&log);
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        format!("{CASE_DIR}/hardening/patch%20management%20%232%20(%C3%BC).md")
    );
}
