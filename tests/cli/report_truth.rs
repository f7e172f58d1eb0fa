//! What the report states is true: rollups follow one definition in every format, a practice
//! that does not apply is not level 0, planned gaps are not warnings, the legend orders scopes
//! from broadest to narrowest, and the commit row admits uncommitted changes.

use crate::common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A profile with the cases of the rollup rules:
/// - `enablement` is set to 1/general; below it, `security-model-and-policy-for-data` does not
///   apply (target 0, a rationale), every other practice is at 1/general;
/// - `hardening` is set to 1/general with no marks; `vulnerability-and-patch-management` is left
///   unset, and its practices are set to 3/general and 3/system and reach them;
/// - `governance` is out of scope (0/general) and has no documents.
fn rollup_tree(dir: &Path) {
    let mut files: Vec<(String, String)> = vec![(
        "profile.md".to_owned(),
        "---\nprofile: hvac\nsystem: Enterprise HVAC\nindustry: building automation\ntargets:\n  governance: 0/general\n  enablement: 1/general\n  security-model-and-policy-for-data: 0/general\n  hardening: 1/general\n  vulnerability-assessment: 3/general\n  patch-management: 3/system\n---\n# HVAC\n".to_owned(),
    )];
    let practices = [
        (
            "enablement",
            "establishing-and-maintaining-identities",
            "1/general",
        ),
        ("enablement", "access-control", "1/general"),
        (
            "enablement",
            "asset-change-and-configuration-management",
            "1/general",
        ),
        ("enablement", "physical-protection", "1/general"),
        (
            "enablement",
            "implementation-of-data-protection-controls",
            "1/general",
        ),
        ("hardening", "vulnerability-assessment", "3/general"),
        ("hardening", "patch-management", "3/system"),
        ("hardening", "monitoring-practices", "1/general"),
        (
            "hardening",
            "situational-awareness-and-information-sharing",
            "1/general",
        ),
        (
            "hardening",
            "event-detection-and-response-plan",
            "1/general",
        ),
        (
            "hardening",
            "remediation-recovery-and-continuity-of-operations",
            "1/general",
        ),
    ];
    for (domain, id, current) in practices {
        files.push((
            format!("{domain}/{id}.md"),
            format!("---\npractice: {id}\ncurrent: {current}\nassessed: 2026-10-01\nevidence: []\n---\n# {id}\n"),
        ));
    }
    files.push((
        "enablement/security-model-and-policy-for-data.md".to_owned(),
        "---\npractice: security-model-and-policy-for-data\napplicable: false\nrationale: The system holds set points and trends only.\n---\n# Data\n".to_owned(),
    ));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    write_tree(dir, &borrowed);
}

fn report(dir: &Path, format: &str) -> String {
    let out = run(dir, &["report", "--format", format, "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

fn report_json(dir: &Path) -> Value {
    serde_json::from_str(&report(dir, "json")).expect("report JSON")
}

/// The domain or subdomain with this id, anywhere in the first profile.
fn node<'a>(json: &'a Value, id: &str) -> &'a Value {
    let domains = json["profiles"][0]["domains"].as_array().expect("domains");
    domains
        .iter()
        .chain(
            domains
                .iter()
                .flat_map(|d| d["subdomains"].as_array().expect("subdomains")),
        )
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

fn practice<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["profiles"][0]["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .flat_map(|d| d["subdomains"].as_array().expect("subdomains"))
        .flat_map(|s| s["practices"].as_array().expect("practices"))
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no practice {id}"))
}

fn rollups(json: &Value, id: &str) -> (String, String) {
    let n = node(json, id);
    (
        n["target"].as_str().unwrap_or("null").to_owned(),
        n["current"].as_str().unwrap_or("null").to_owned(),
    )
}

#[test]
fn an_unset_subdomain_rolls_up_what_its_practices_say() {
    let dir = tempfile::tempdir().expect("temp dir");
    rollup_tree(dir.path());
    let json = report_json(dir.path());
    // Practices at 3/general and 3/system: not the 1+/general+ inherited from the domain.
    assert_eq!(
        rollups(&json, "vulnerability-and-patch-management"),
        ("3/general+".to_owned(), "3/general+".to_owned())
    );
    assert_eq!(
        rollups(&json, "situational-awareness"),
        ("1/general".to_owned(), "1/general".to_owned())
    );
}

#[test]
fn a_set_target_rolls_up_with_the_marks_its_children_require() {
    let dir = tempfile::tempdir().expect("temp dir");
    rollup_tree(dir.path());
    let json = report_json(dir.path());
    // `hardening: 1/general` is written without marks; the rollup carries the ones
    // rollup-mismatch asks for (a practice higher, one narrower).
    assert_eq!(node(&json, "hardening")["target"], "1+/general+");
    assert_eq!(node(&json, "hardening")["current"], "1+/general+");
    let (code, check) = check_json(dir.path(), &[]);
    assert!(code <= 1, "{check}");
    let mismatch: Vec<&Value> = diagnostics(&check)
        .iter()
        .filter(|d| d["rule"] == "rollup-mismatch")
        .collect();
    assert_eq!(mismatch.len(), 1, "{mismatch:?}");
    assert!(
        mismatch[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("`1+/general+`")),
        "the report shows what rollup-mismatch asks for: {mismatch:?}"
    );
}

#[test]
fn a_practice_that_does_not_apply_is_left_out_of_rollups() {
    let dir = tempfile::tempdir().expect("temp dir");
    rollup_tree(dir.path());
    let json = report_json(dir.path());
    // Every applicable enablement practice is at 1/general: no 0+ from the n/a practice.
    assert_eq!(
        rollups(&json, "enablement"),
        ("1/general".to_owned(), "1/general".to_owned())
    );
    assert_eq!(
        rollups(&json, "data-protection"),
        ("1/general".to_owned(), "1/general".to_owned())
    );
    let na = practice(&json, "security-model-and-policy-for-data");
    assert_eq!(na["applicable"], false);
    assert_eq!(na["current"], Value::Null, "not level 0");
    assert_eq!(na["gap"], "not applicable");
    assert_eq!(
        na["rationale"],
        "The system holds set points and trends only."
    );
    assert_eq!(practice(&json, "access-control")["rationale"], Value::Null);
}

#[test]
fn a_node_where_nothing_applies_rolls_up_to_na() {
    let dir = tempfile::tempdir().expect("temp dir");
    rollup_tree(dir.path());
    let doc = dir
        .path()
        .join("enablement/implementation-of-data-protection-controls.md");
    std::fs::write(
        &doc,
        "---\npractice: implementation-of-data-protection-controls\napplicable: false\nrationale: No data at rest.\n---\n# Data\n",
    )
    .expect("write");
    let profile = dir.path().join("profile.md");
    let text = std::fs::read_to_string(&profile).expect("read").replace(
        "  hardening:",
        "  implementation-of-data-protection-controls: 0/general\n  hardening:",
    );
    std::fs::write(&profile, text).expect("write");
    let json = report_json(dir.path());
    assert_eq!(node(&json, "data-protection")["current"], Value::Null);
    assert_eq!(node(&json, "enablement")["current"], "1/general");
    let md = report(dir.path(), "md");
    assert!(md.contains("| *Data protection* | *n/a* | *n/a* |"), "{md}");
}

#[test]
fn markdown_and_summary_show_the_same_rollups_and_na() {
    let dir = tempfile::tempdir().expect("temp dir");
    rollup_tree(dir.path());
    let md = report(dir.path(), "md");
    for line in [
        "| **Enablement** | **1/general** | **1/general** |",
        "| *Data protection* | *1/general* | *1/general* |",
        "| **Hardening** | **1+/general+** | **1+/general+** |",
        "| *Vulnerability and patch management* | *3/general+* | *3/general+* |",
        "| Security model and policy for data | 0/general | n/a | not applicable: The system holds set points and trends only. |",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    assert!(md.contains("Rollups use the SMM notation. A domain or subdomain whose target is set"));
    let out = run(
        dir.path(),
        &["check", "--format", "summary-md", "--today", TODAY],
    );
    let summary = stdout(&out);
    for line in [
        "| **Enablement** | **1/general** | **1/general** | | |",
        "| *Data protection* | *1/general* | *1/general* | | |",
        "| **Hardening** | **1+/general+** | **1+/general+** | | |",
        "| *Vulnerability and patch management* | *3/general+* | *3/general+* | | |",
        "| Security model and policy for data (`security-model-and-policy-for-data`) | 0/general | n/a | not applicable |",
    ] {
        assert!(summary.contains(line), "{line}\n{summary}");
    }
}

#[test]
fn html_shows_the_same_rollups_counts_and_na() {
    let dir = tempfile::tempdir().expect("temp dir");
    rollup_tree(dir.path());
    let html = report(dir.path(), "html");
    assert!(
        html.contains(
            "Vulnerability and patch management</th><td>3/general+</td><td>3/general+</td>"
        ),
        "the gap table's subdomain row"
    );
    assert!(
        html.contains(
            "Enablement<span class=\"rollup\">target 1/general · current 1/general</span>"
        ),
        "the domain chart's caption"
    );
    // 18 practices: 11 met, 6 out of scope without a document, 1 not applicable.
    assert!(
        html.contains(
            "<span class=\"n\">11 / 17</span> <span class=\"l\">practices at or above target</span>"
        ),
        "the not-applicable practice is not in the denominator"
    );
    assert!(html.contains("<td>n/a</td>"), "the n/a practice's current");
    assert!(html.contains("The system holds set points and trends only."));
}

#[test]
fn the_html_legend_orders_scopes_from_broadest_to_narrowest() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let html = report(dir.path(), "html");
    assert!(
        html.contains("Scopes, from broadest to narrowest: general, industry, system."),
        "legend"
    );
    assert!(!html.contains("wider than the one before"));
    assert!(html.contains("Rollups use the SMM notation."));
}

// --- planned and unplanned gaps -----------------------------------------------------------

/// The minimal tree with patch management's target raised to `target`, its current at
/// `current`, and `plan` (YAML lines under `plan:`, or nothing).
fn gap_tree(dir: &Path, target: &str, current: &str, plan: &str) {
    minimal_tree(dir);
    let profile = dir.join("profile.md");
    let text = std::fs::read_to_string(&profile).expect("read").replace(
        "patch-management: 1/general",
        &format!("patch-management: {target}"),
    );
    std::fs::write(&profile, text).expect("write");
    let doc = dir.join("hardening/patch-management.md");
    let mut text = std::fs::read_to_string(&doc)
        .expect("read")
        .replace("current: 1/general", &format!("current: {current}"));
    if !plan.is_empty() {
        text = text.replace("evidence:", &format!("plan:\n{plan}evidence:"));
    }
    std::fs::write(&doc, text).expect("write");
}

fn rules_and_severities(json: &Value) -> Vec<(String, String)> {
    diagnostics(json)
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("?").to_owned(),
                d["severity"].as_str().unwrap_or("?").to_owned(),
            )
        })
        .collect()
}

fn pair(rule: &str, severity: &str) -> (String, String) {
    (rule.to_owned(), severity.to_owned())
}

#[test]
fn a_planned_gap_on_schedule_is_an_info_and_passes_fail_on_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    gap_tree(
        dir.path(),
        "2/general",
        "1/general",
        "  - level: 2/general\n    due: 2027-03-31\n    action: Quarterly review.\n",
    );
    let (code, json) = check_json(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(rules_and_severities(&json), [pair("below-target", "info")]);
    assert_eq!(code, 0, "{json}");
    let d = &diagnostics(&json)[0];
    assert_eq!(
        d["message"],
        "current 1/general is 1 level below the target 2/general"
    );
    let help = d["help"].as_str().expect("help");
    assert!(
        help.starts_with("planned for 2027-03-31 (line 6)"),
        "{help}"
    );
    assert!(
        !help.contains("add a `plan:`"),
        "no advice to add what is there: {help}"
    );
}

#[test]
fn an_unplanned_gap_is_a_warning_and_fails_fail_on_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A plan item that stops short of the target does not plan the gap.
    gap_tree(
        dir.path(),
        "3/general",
        "1/general",
        "  - level: 2/general\n    due: 2027-03-31\n    action: Part of the way.\n",
    );
    let (code, json) = check_json(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(
        rules_and_severities(&json),
        [
            pair("below-target", "info"),
            pair("plan-missing", "warning")
        ]
    );
    assert_eq!(code, 1);
    let (code, _) = check_json(dir.path(), &[]);
    assert_eq!(
        code, 0,
        "a warning does not fail the default --fail-on error"
    );
}

#[test]
fn an_overdue_plan_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    gap_tree(
        dir.path(),
        "2/general",
        "1/general",
        "  - level: 2/general\n    due: 2026-06-30\n    action: Late.\n",
    );
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(
        rules_and_severities(&json),
        [pair("below-target", "info"), pair("plan-overdue", "error")]
    );
    assert_eq!(code, 1);
    let help = diagnostics(&json)[0]["help"].as_str().expect("help");
    assert!(help.contains("now overdue"), "{help}");
}

#[test]
fn a_higher_level_with_a_broader_scope_is_a_scope_gap() {
    let dir = tempfile::tempdir().expect("temp dir");
    gap_tree(dir.path(), "1/system", "2/general", "");
    let (_, json) = check_json(dir.path(), &[]);
    let below: Vec<&Value> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "below-target")
        .collect();
    assert_eq!(below.len(), 1, "{json}");
    assert_eq!(
        below[0]["message"],
        "current 2/general falls short of the target 1/system in scope: its scope general is broader than system"
    );
    let missing: Vec<&Value> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "plan-missing")
        .collect();
    assert_eq!(missing.len(), 1, "{json}");
    assert!(
        missing[0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("`level: 2/system`")),
        "the proposed step keeps the level already reached: {missing:?}"
    );
    let report = report_json(dir.path());
    assert_eq!(
        practice(&report, "patch-management")["gap"],
        "scope general, needs system"
    );
}

#[test]
fn a_gap_in_level_and_scope_names_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    gap_tree(dir.path(), "2/industry", "1/general", "");
    let (_, json) = check_json(dir.path(), &[]);
    let message = diagnostics(&json)
        .iter()
        .find(|d| d["rule"] == "below-target")
        .and_then(|d| d["message"].as_str())
        .expect("below-target")
        .to_owned();
    assert_eq!(
        message,
        "current 1/general falls short of the target 2/industry in level and scope: 1 level below, and its scope general is broader than industry"
    );
}

// --- the commit row ------------------------------------------------------------------------

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    stdout(&out).trim().to_owned()
}

/// A repository with the minimal tree under `system/`, evidence shared from `shared/`, and an
/// unrelated file, all committed. Returns the commit.
fn committed_repo(dir: &Path) -> String {
    minimal_tree(&dir.join("system"));
    write_tree(
        dir,
        &[
            ("shared/policy.md", "# Policy\n\n## Scope\n\nAll of it.\n"),
            ("unrelated.txt", "not part of any profile\n"),
        ],
    );
    let doc = dir.join("system/hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read").replace(
        "evidence:\n",
        "evidence:\n  - path: ../../shared/policy.md#scope\n    kind: policy\n",
    );
    std::fs::write(&doc, text).expect("write");
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "assessment"]);
    git(dir, &["rev-parse", "HEAD"])
}

fn commit_row(dir: &Path) -> (String, Value, String) {
    let json = report_json(dir);
    let p = &json["profiles"][0];
    let md = report(dir, "md");
    let row = md
        .lines()
        .find(|l| l.starts_with("| Commit |"))
        .expect("a commit row")
        .to_owned();
    (
        p["commit"].as_str().expect("commit").to_owned(),
        p["uncommitted_changes"].clone(),
        row,
    )
}

#[test]
fn the_commit_row_of_a_clean_tree_is_the_commit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let head = committed_repo(dir.path());
    // A change outside the profile and its evidence does not concern the report.
    std::fs::write(dir.path().join("unrelated.txt"), "changed\n").expect("write");
    let (commit, dirty, row) = commit_row(dir.path());
    assert_eq!(commit, head);
    assert_eq!(dirty, Value::Bool(false));
    assert_eq!(row, format!("| Commit | `{head}` |"));
}

/// A change made to the committed repository.
type Change = fn(&Path);

#[test]
fn the_commit_row_says_when_documents_or_evidence_are_uncommitted() {
    let cases: [(&str, Change); 4] = [
        ("a changed practice document", |d| {
            let doc = d.join("system/hardening/patch-management.md");
            let text = std::fs::read_to_string(&doc).expect("read");
            std::fs::write(&doc, text.replace("2026-10-01", "2026-10-02")).expect("write");
        }),
        ("an untracked document", |d| {
            write_tree(d, &[("system/notes/extra.md", "# Notes\n")]);
        }),
        ("a staged rename", |d| {
            git(
                d,
                &[
                    "mv",
                    "system/hardening/patch-management.md",
                    "system/hardening/patching.md",
                ],
            );
        }),
        ("evidence outside the profile's directory", |d| {
            std::fs::write(
                d.join("shared/policy.md"),
                "# Policy\n\n## Scope\n\nSome.\n",
            )
            .expect("write");
        }),
    ];
    for (what, change) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let head = committed_repo(dir.path());
        change(dir.path());
        let (commit, dirty, row) = commit_row(dir.path());
        assert_eq!(commit, format!("{head} + uncommitted changes"), "{what}");
        assert_eq!(dirty, Value::Bool(true), "{what}");
        assert_eq!(
            row,
            format!("| Commit | `{head} + uncommitted changes` |"),
            "{what}"
        );
        let html = report(dir.path(), "html");
        assert!(
            html.contains(&format!("<code>{head} + uncommitted changes</code>")),
            "{what}"
        );
    }
}

/// git judges a link, not the file it leads to, and leaves ignored files out of `status`:
/// evidence changed behind a link, or cited but ignored (so in no commit), still marks the row.
#[test]
fn evidence_behind_a_link_or_ignored_by_git_is_not_taken_for_committed() {
    let cite = |dir: &Path, path: &str| {
        let doc = dir.join("system/hardening/patch-management.md");
        let text = std::fs::read_to_string(&doc).expect("read").replace(
            "evidence:\n",
            &format!("evidence:\n  - path: {path}\n    kind: record\n"),
        );
        std::fs::write(&doc, text).expect("write");
    };
    let linked = tempfile::tempdir().expect("temp dir");
    let head = committed_repo(linked.path());
    std::os::unix::fs::symlink(
        "../../shared/policy.md",
        linked.path().join("system/evidence/linked.md"),
    )
    .expect("link");
    cite(linked.path(), "../evidence/linked.md");
    git(linked.path(), &["add", "-A"]);
    git(linked.path(), &["commit", "-qm", "cite through a link"]);
    let head_linked = git(linked.path(), &["rev-parse", "HEAD"]);
    assert_ne!(head, head_linked);
    assert_eq!(commit_row(linked.path()).0, head_linked);
    std::fs::write(
        linked.path().join("shared/policy.md"),
        "# Policy\n\n## Scope\n\nNone.\n",
    )
    .expect("write");
    assert_eq!(
        commit_row(linked.path()).0,
        format!("{head_linked} + uncommitted changes")
    );

    let ignored = tempfile::tempdir().expect("temp dir");
    committed_repo(ignored.path());
    write_tree(
        ignored.path(),
        &[
            (".gitignore", "secret.md\n"),
            ("system/evidence/secret.md", "# Secret\n"),
        ],
    );
    git(ignored.path(), &["add", "-A"]);
    git(ignored.path(), &["commit", "-qm", "ignore"]);
    let head_ignored = git(ignored.path(), &["rev-parse", "HEAD"]);
    assert_eq!(commit_row(ignored.path()).0, head_ignored);
    cite(ignored.path(), "../evidence/secret.md");
    git(ignored.path(), &["commit", "-qam", "cite an ignored file"]);
    let head_cited = git(ignored.path(), &["rev-parse", "HEAD"]);
    assert_eq!(
        commit_row(ignored.path()).0,
        format!("{head_cited} + uncommitted changes")
    );
}

#[test]
fn outside_git_the_commit_row_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let (commit, dirty, _) = commit_row(dir.path());
    assert_eq!(commit, "not in git");
    assert_eq!(dirty, Value::Null);
}

/// The tree `init` writes has a plan to every target, due in a year: a fully planned,
/// on-schedule profile passes `--fail-on warning`.
#[test]
fn a_fully_planned_profile_from_init_passes_fail_on_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(
        dir.path(),
        &[
            "init",
            "--yes",
            "--profile",
            "demo",
            "--system",
            "Demo gateway",
            "--industry",
            "energy",
            "--target",
            "governance=2/industry",
            "--target",
            "hardening=3/system",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let (code, json) = check_json(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(code, 0, "{:?}", findings(&json));
    assert!(
        diagnostics(&json)
            .iter()
            .all(|d| d["rule"] == "below-target" && d["severity"] == "info"),
        "{:?}",
        findings(&json)
    );
    assert!(
        !diagnostics(&json).is_empty(),
        "the gaps are still recorded"
    );
}
