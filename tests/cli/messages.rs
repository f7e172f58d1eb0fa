//! The messages a new user meets: each points at the cause, says what is really wrong, and
//! one mistake is one finding.

use crate::common::*;
use serde_json::Value;

const PRACTICE: &str = "hardening/patch-management.md";

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    dir
}

fn edit(dir: &tempfile::TempDir, file: &str, from: &str, to: &str) {
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// The only diagnostic of a check, which must have found exactly one.
fn only(json: &Value) -> Value {
    let all = diagnostics(json);
    assert_eq!(all.len(), 1, "one finding expected: {:#?}", all);
    all[0].clone()
}

fn text(d: &Value, field: &str) -> String {
    d[field].as_str().unwrap_or("").to_owned()
}

#[test]
fn a_tab_is_reported_on_the_tab_line_and_shown() {
    let dir = tree();
    edit(&dir, PRACTICE, "    reviewed:", "\treviewed:");
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert_eq!(text(&d, "rule"), "front-matter-syntax");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(8), Some(1))
    );
    assert!(text(&d, "message").contains("tab"), "{d}");
    let human = stdout(&run(dir.path(), &["check", "--today", TODAY]));
    assert!(human.contains(":8:1]"), "{human}");
    assert!(
        human.contains("\\treviewed"),
        "the excerpt shows the tab: {human}"
    );
}

#[test]
fn a_value_holding_a_colon_gets_the_quote_help() {
    let dir = tree();
    edit(
        &dir,
        PRACTICE,
        "    kind: procedure\n",
        "    kind: procedure\n    note: Note: add audit events\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert!(
        text(&d, "message").contains("mapping values are not allowed"),
        "{d}"
    );
    assert_eq!(d["line"].as_u64(), Some(8));
    assert!(text(&d, "help").contains("quote"), "{d}");
}

#[test]
fn a_backslash_in_double_quotes_is_pointed_at_with_help() {
    let dir = tree();
    edit(
        &dir,
        PRACTICE,
        "path: ../evidence/patching.md#monthly-window",
        "path: \"..\\evidence\\patching.md\"",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert!(text(&d, "message").contains("escape"), "{d}");
    // `  - path: "..` puts the first backslash in column 14.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(14))
    );
    assert!(text(&d, "help").contains("single quotes"), "{d}");
}

#[test]
fn a_misspelt_assessed_key_is_reported_as_that_misspelling() {
    let dir = tree();
    edit(&dir, PRACTICE, "assessed:", "asessed:");
    let (code, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert_eq!(code, 1);
    assert_eq!(text(&d, "rule"), "front-matter-schema");
    assert_eq!(d["line"].as_u64(), Some(4), "at the misspelt key: {d}");
    let message = text(&d, "message");
    assert!(
        message.contains("`asessed`") && message.contains("`assessed`"),
        "{d}"
    );
    assert!(text(&d, "help").contains("by hand"), "{d}");
}

#[test]
fn a_misspelt_evidence_key_is_one_finding_not_missing_evidence() {
    let dir = tree();
    edit(&dir, PRACTICE, "evidence:", "evidnce:");
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert_eq!(text(&d, "rule"), "front-matter-schema");
    assert_eq!(d["line"].as_u64(), Some(5));
    assert!(text(&d, "message").contains("`evidence`"), "{d}");
}

#[test]
fn a_missing_assessed_key_shows_what_to_write() {
    let dir = tree();
    edit(&dir, PRACTICE, "assessed: 2026-10-01\n", "");
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert_eq!(text(&d, "message"), "missing `assessed`");
    assert!(text(&d, "help").contains("assessed: YYYY-MM-DD"), "{d}");
}

#[test]
fn a_windows_path_to_an_existing_file_gets_the_slash_hint() {
    let dir = tree();
    edit(
        &dir,
        PRACTICE,
        "../evidence/patching.md",
        "..\\evidence\\patching.md",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert_eq!(text(&d, "rule"), "evidence-not-found");
    assert!(
        text(&d, "help").contains("`../evidence/patching.md` exists"),
        "{d}"
    );
}

#[test]
fn an_absolute_path_inside_the_repository_gets_the_relative_path() {
    let dir = tree();
    let absolute = dir.path().join("evidence/patching.md");
    edit(
        &dir,
        PRACTICE,
        "../evidence/patching.md",
        &absolute.display().to_string(),
    );
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert_eq!(text(&d, "rule"), "evidence-outside-repo");
    assert!(text(&d, "message").contains("absolute path"), "{d}");
    assert!(
        text(&d, "help").contains("`../evidence/patching.md`"),
        "{d}"
    );
}

#[test]
fn an_absolute_path_outside_the_repository_tells_nothing_about_it() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").expect("write");
    let present = outside.path().join("secret.md");
    let absent = outside.path().join("absent.md");
    let mut seen = Vec::new();
    for target in [&present, &absent] {
        let dir = tree();
        edit(
            &dir,
            PRACTICE,
            "../evidence/patching.md",
            &target.display().to_string(),
        );
        let (_, json) = check_json(dir.path(), &[]);
        let d = only(&json);
        assert_eq!(text(&d, "rule"), "evidence-outside-repo");
        seen.push((
            text(&d, "message").replace(&target.display().to_string(), "X"),
            text(&d, "help"),
        ));
    }
    assert_eq!(
        seen[0], seen[1],
        "a file outside reads the same present or absent"
    );
    assert!(!seen[0].1.contains("write its path"), "{:?}", seen[0]);
}

#[test]
fn a_quoted_applicable_no_is_one_finding() {
    let dir = tree();
    edit(
        &dir,
        PRACTICE,
        "assessed: 2026-10-01\n",
        "assessed: 2026-10-01\napplicable: \"no\"\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(
        findings(&json),
        [format!("front-matter-schema {PRACTICE}:5")]
    );
}

#[test]
fn an_impossible_reviewed_date_is_one_finding() {
    let dir = tree();
    edit(
        &dir,
        "profile.md",
        "patch-management: 1/general",
        "patch-management: 2/general",
    );
    edit(&dir, PRACTICE, "current: 1/general", "current: 2/general");
    edit(
        &dir,
        PRACTICE,
        "reviewed: 2026-09-15",
        "reviewed: 2026-02-30",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(
        findings(&json),
        [format!("front-matter-schema {PRACTICE}:8")]
    );
}

#[test]
fn evidence_written_as_a_string_is_one_finding() {
    let dir = tree();
    edit(
        &dir,
        PRACTICE,
        "evidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n",
        "evidence: \"a string\"\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(
        findings(&json),
        [format!("front-matter-schema {PRACTICE}:5")]
    );
}

#[test]
fn a_misspelt_practice_id_suggests_only_the_close_id() {
    let dir = tree();
    edit(
        &dir,
        PRACTICE,
        "practice: patch-management",
        "practice: patch-managment",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert_eq!(text(&d, "rule"), "unknown-id");
    let help = text(&d, "help");
    assert!(help.contains("`patch-management`"), "{d}");
    assert!(!help.contains("compliance-management"), "{d}");
}

/// The bottling-line example with `governance` written as `target`.
fn rollup_message(target: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("fixtures/bottling-line"), dir.path());
    let profile = dir.path().join("profile.md");
    let written = std::fs::read_to_string(&profile).expect("read");
    let written = written.replacen(
        "  governance: 2+/industry\n",
        &format!("  governance: {target}\n"),
        1,
    );
    std::fs::write(&profile, written).expect("write");
    let (_, json) = check_json(dir.path(), &[]);
    let rollups: Vec<&Value> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "rollup-mismatch")
        .collect();
    assert_eq!(rollups.len(), 1, "{json:#}");
    text(rollups[0], "message")
}

#[test]
fn rollup_mismatch_names_each_child_once_and_only_the_wrong_mark() {
    let both = rollup_message("2/general");
    assert_eq!(
        both.matches("threat-modeling-and-risk-assessment").count(),
        1,
        "{both}"
    );
    assert!(both.contains("higher and narrower"), "{both}");
    let scope_only = rollup_message("2+/general");
    assert!(scope_only.contains("is narrower"), "{scope_only}");
    assert!(
        !scope_only.contains("higher"),
        "only the scope mark is wrong: {scope_only}"
    );
}

fn init(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["init", "--yes", "--today", TODAY];
    all.extend_from_slice(args);
    run(dir, &all)
}

#[test]
fn init_refuses_a_profile_id_the_interview_refuses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = init(dir.path(), &["--profile", "HVAC plant"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("lowercase letters, digits and -"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("profile.md").exists());
}

#[test]
fn init_refuses_a_repeated_target_for_one_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = init(
        dir.path(),
        &[
            "--target",
            "hardening=2/general",
            "--target",
            "hardening=3/general",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("given twice"), "{}", stderr(&out));
    assert!(!dir.path().join("profile.md").exists());
}

#[test]
fn init_writes_the_owner() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = init(dir.path(), &["--owner", "OT security team"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let profile = std::fs::read_to_string(dir.path().join("profile.md")).expect("profile.md");
    assert!(profile.contains("\nowner: OT security team\n"), "{profile}");
    let (status, _) = check_json(dir.path(), &[]);
    assert_eq!(status, 0);
}

#[test]
fn init_writes_a_target_zero_practice_as_not_applicable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = init(
        dir.path(),
        &["--target", "security-model-and-policy-for-data=0/general"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = std::fs::read_to_string(
        dir.path()
            .join("enablement/security-model-and-policy-for-data.md"),
    )
    .expect("the practice document");
    assert!(
        doc.starts_with(
            "---\npractice: security-model-and-policy-for-data\napplicable: false\nrationale: "
        ),
        "{doc}"
    );
    assert!(!doc.contains("current:") && !doc.contains("plan:"), "{doc}");
    let (status, json) = check_json(dir.path(), &[]);
    assert_eq!(status, 0);
    assert!(
        !findings(&json)
            .iter()
            .any(|f| f.contains("security-model-and-policy-for-data")),
        "{json:#}"
    );
}

#[cfg(unix)]
fn interview(dir: &std::path::Path, scenario: &str) -> std::process::Output {
    std::process::Command::new("python3")
        .arg(repo().join("tests/support/init_pty.py"))
        .arg(env!("CARGO_BIN_EXE_smm-lint"))
        .arg(dir)
        .env("SCENARIO", scenario)
        .output()
        .expect("python3 runs")
}

#[cfg(unix)]
#[test]
fn the_interview_asks_for_the_industry_when_a_target_needs_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = interview(dir.path(), "industry-asked-late");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let profile = std::fs::read_to_string(dir.path().join("profile.md")).expect("profile.md");
    assert!(
        profile.contains("\nindustry: building automation\n"),
        "{profile}"
    );
    assert!(
        profile.contains("  compliance-management: 2/industry\n"),
        "{profile}"
    );
    let (status, _) = check_json(dir.path(), &[]);
    assert_eq!(status, 0);
}

#[cfg(unix)]
#[test]
fn the_interview_is_not_started_over_existing_documents() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(code(&init(dir.path(), &[])), 0);
    let out = interview(dir.path(), "refused-before-asking");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_misspelt_id_in_a_second_file_is_not_a_duplicate() {
    let dir = tree();
    let doc = std::fs::read_to_string(dir.path().join(PRACTICE)).expect("read");
    std::fs::write(
        dir.path().join("hardening/copy.md"),
        doc.replacen("practice: patch-management", "practice: patch-managment", 1),
    )
    .expect("write");
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["unknown-id hardening/copy.md:2"]);
}

#[test]
fn a_key_written_twice_names_the_first_line() {
    let dir = tree();
    edit(
        &dir,
        PRACTICE,
        "assessed: 2026-10-01\n",
        "assessed: 2026-10-01\ncurrent: 1/general\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert_eq!(d["line"].as_u64(), Some(5));
    assert!(text(&d, "message").contains("first on line 3"), "{d}");
    let human = stdout(&run(dir.path(), &["check", "--today", TODAY]));
    assert!(human.contains("first written here"), "{human}");
}

#[test]
fn an_over_indented_key_gets_the_indentation_help() {
    let dir = tree();
    edit(&dir, PRACTICE, "  - path:", "- path:");
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert!(
        text(&d, "message").contains("mapping values are not allowed"),
        "{d}"
    );
    assert!(text(&d, "help").contains("indented"), "{d}");
    assert!(!text(&d, "help").contains("quote"), "{d}");
}

#[test]
fn unclosed_front_matter_says_where_it_likely_ends() {
    let dir = tree();
    edit(&dir, PRACTICE, "---\n# Patch", "# Patch");
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert_eq!(text(&d, "rule"), "front-matter-syntax");
    assert!(text(&d, "help").contains("before line 9"), "{d}");
}

#[test]
fn a_help_line_never_splits_a_path_at_a_hyphen_or_a_slash() {
    let dir = tree();
    let name = "patching-window-records-of-the-filling-cell-line-three.md";
    std::fs::rename(
        dir.path().join("evidence/patching.md"),
        dir.path().join("evidence").join(name),
    )
    .expect("rename");
    edit(
        &dir,
        PRACTICE,
        "../evidence/patching.md",
        &format!("..\\evidence\\{name}"),
    );
    let human = stdout(&run(dir.path(), &["check", "--today", TODAY]));
    assert!(
        human.contains(&format!("`../evidence/{name}`")),
        "the path is on one line: {human}"
    );
}

#[test]
fn a_dedented_list_item_is_pointed_at_where_its_line_starts() {
    let dir = tree();
    edit(
        &dir,
        PRACTICE,
        "    reviewed: 2026-09-15\n",
        "    reviewed: 2026-09-15\n- path: ../evidence/patching.md\n  kind: record\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let d = only(&json);
    assert!(
        text(&d, "message").contains("did not find expected key"),
        "{d}"
    );
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(9), Some(1))
    );
    assert!(text(&d, "help").contains("indentation"), "{d}");
}
