//! Indicators of accomplishment end to end: `describe`, evidence citing indicators, the
//! `indicator-uncovered` rule, catalogue extensions that tailor indicators, and the report.

use crate::common::*;
use std::path::Path;

/// The minimal tree, its one evidence item citing `cites` (YAML flow list items).
fn citing(dir: &Path, cites: &str) {
    minimal_tree(dir);
    let doc = dir.join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read");
    let text = text.replace(
        "    reviewed: 2026-09-15\n",
        &format!("    reviewed: 2026-09-15\n    indicators: [{cites}]\n"),
    );
    std::fs::write(&doc, text).expect("write");
}

/// `path:line:column` of each finding of `rule`.
fn at(json: &serde_json::Value, rule: &str) -> Vec<String> {
    diagnostics(json)
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| {
            format!(
                "{}:{}:{}",
                d["path"].as_str().unwrap_or("?"),
                d["line"],
                d["column"]
            )
        })
        .collect()
}

// --- describe ----------------------------------------------------------------------------------

#[test]
fn describe_prints_the_practice_its_place_and_every_level() {
    let out = run(&repo(), &["describe", "patch-management"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "patch-management — Patch management\n",
        "  subdomain: vulnerability-and-patch-management (Vulnerability and patch management)\n",
        "  domain:    hardening (Hardening)\n",
        "  objective: Test and roll out updates safely",
        "Level 1 (Minimum)\n",
        "Level 4 (Formalized)\n",
        "    patch-management.3.tested-before-rollout\n      Every patch is tested before rollout, with a rollback plan on record.\n",
        "  Default action: Keep a list of every device's firmware version",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    assert_eq!(text.matches("\nLevel ").count(), 4, "{text}");
}

#[test]
fn describe_with_a_level_prints_that_level_only() {
    let out = run(&repo(), &["describe", "patch-management", "2"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("Level 2 (Ad hoc)\n"), "{text}");
    assert!(text.contains("patch-management.2.lab-tested"), "{text}");
    assert!(
        !text.contains("Level 1") && !text.contains("Level 3"),
        "{text}"
    );
}

#[test]
fn describe_accepts_an_alias() {
    let out = run(
        &repo(),
        &["describe", "protection-model-and-policy-for-data", "1"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("security-model-and-policy-for-data — "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn describe_refuses_an_unknown_id_with_the_closest_practices_and_exit_2() {
    let out = run(&repo(), &["describe", "patch-managment"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(err.contains("unknown practice `patch-managment`"), "{err}");
    assert!(err.contains("did you mean `patch-management`"), "{err}");
}

#[test]
fn describe_refuses_a_subdomain_a_bad_level_and_a_missing_id_with_exit_2() {
    let out = run(&repo(), &["describe", "vulnerability-management"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is a subdomain, not a practice"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("`patch-management`"),
        "{}",
        stderr(&out)
    );
    for args in [
        &["describe", "patch-management", "5"][..],
        &["describe", "patch-management", "0"],
        &["describe", "patch-management", "two"],
        &["describe"],
    ] {
        let out = run(&repo(), args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}

const TAILORING: &str = "id: bottling\nextends: iic-smm\ntailoring:\n  - practice: patch-management\n    levels:\n      2:\n        description: Line patches are tried on the spare filler before the shift window.\n        indicators:\n          - id: patch-management.2.spare-filler-trial\n            text: Each patch was run on the spare filler for a shift before the line got it.\n";

#[test]
fn describe_reads_a_catalogue_extension_with_its_tailoring() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_tree(dir.path(), &[("models/bottling.yaml", TAILORING)]);
    let out = run(
        dir.path(),
        &[
            "describe",
            "patch-management",
            "2",
            "--catalogue",
            "models/bottling.yaml",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("  catalogue: bottling\n"), "{text}");
    assert!(
        text.contains("  Line patches are tried on the spare filler"),
        "{text}"
    );
    // Inherited indicators stay; the tailored one is added after them.
    let lab = text
        .find("patch-management.2.lab-tested")
        .expect("inherited");
    let spare = text
        .find("patch-management.2.spare-filler-trial")
        .expect("added");
    assert!(lab < spare, "{text}");
}

#[test]
fn describe_refuses_a_broken_catalogue_file_at_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = TAILORING.replace(
        "patch-management.2.spare-filler-trial",
        "patch-management.3.spare-filler-trial",
    );
    write_tree(dir.path(), &[("models/bottling.yaml", &broken)]);
    let out = run(
        dir.path(),
        &[
            "describe",
            "patch-management",
            "--catalogue",
            "models/bottling.yaml",
        ],
    );
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("bottling.yaml:9:"), "{err}");
    assert!(
        err.contains("must start with `patch-management.2.`"),
        "{err}"
    );
    let out = run(
        dir.path(),
        &[
            "describe",
            "patch-management",
            "--catalogue",
            "models/none.yaml",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no such catalogue file"),
        "{}",
        stderr(&out)
    );
}

// --- citations and indicator-uncovered ---------------------------------------------------------

#[test]
fn citing_every_indicator_of_the_claimed_level_checks_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    citing(
        dir.path(),
        "patch-management.1.versions-listed, patch-management.1.patches-applied-on-report",
    );
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn a_practice_citing_no_indicator_is_not_asked_for_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn an_uncited_indicator_is_an_information_at_the_current_value_that_never_fails_the_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    citing(dir.path(), "patch-management.1.versions-listed");
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(
        at(&json, "indicator-uncovered"),
        ["hardening/patch-management.md:3:10"]
    );
    let d = &diagnostics(&json)[0];
    assert_eq!(d["severity"], "info");
    let message = d["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`patch-management.1.patches-applied-on-report`")
            && !message.contains("versions-listed"),
        "{message}"
    );
    assert_eq!(code, 0);
    let (code, _) = check_json(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(
        code, 0,
        "an information does not fail even --fail-on warning"
    );
}

#[test]
fn indicator_uncovered_is_configured_like_every_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    citing(dir.path(), "patch-management.1.versions-listed");
    write_tree(
        dir.path(),
        &[(".smm-lint.yaml", "rules:\n  indicator-uncovered: error\n")],
    );
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(diagnostics(&json)[0]["severity"], "error");
    assert_eq!(code, 1);
    write_tree(
        dir.path(),
        &[(".smm-lint.yaml", "rules:\n  indicator-uncovered: off\n")],
    );
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn a_lower_level_indicator_does_not_cover_the_claimed_level() {
    let dir = tempfile::tempdir().expect("temp dir");
    citing(dir.path(), "patch-management.1.versions-listed");
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read");
    std::fs::write(
        &doc,
        text.replace("current: 1/general", "current: 2/general"),
    )
    .expect("write");
    let (_, json) = check_json(dir.path(), &[]);
    let uncovered: Vec<&str> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "indicator-uncovered")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(uncovered.len(), 1, "{:?}", findings(&json));
    assert!(
        uncovered[0].contains("level 2") && uncovered[0].contains("(2 of 2)"),
        "{}",
        uncovered[0]
    );
}

#[test]
fn a_citation_that_is_no_indicator_of_the_practice_is_unknown_id_at_the_citation() {
    let dir = tempfile::tempdir().expect("temp dir");
    citing(
        dir.path(),
        "patch-management.1.version-listed, access-control.1.login-required",
    );
    let (code, json) = check_json(dir.path(), &[]);
    // Line 9 holds the list: each citation is reported at its own column.
    assert_eq!(
        at(&json, "unknown-id"),
        [
            "hardening/patch-management.md:9:18",
            "hardening/patch-management.md:9:53"
        ]
    );
    let unknown: Vec<&serde_json::Value> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "unknown-id")
        .collect();
    let help = unknown[0]["help"].as_str().unwrap_or_default();
    assert!(
        help.contains("did you mean `patch-management.1.versions-listed`"),
        "{help}"
    );
    let message = unknown[1]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(
            "`access-control.1.login-required` is not an indicator of practice `patch-management`"
        ),
        "{message}"
    );
    assert_eq!(code, 1);
}

#[test]
fn indicators_that_are_not_a_list_of_ids_are_a_schema_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read");
    std::fs::write(
        &doc,
        text.replace(
            "    reviewed: 2026-09-15\n",
            "    reviewed: 2026-09-15\n    indicators: {a: b}\n",
        ),
    )
    .expect("write");
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(
        at(&json, "front-matter-schema"),
        ["hardening/patch-management.md:9:17"]
    );
    assert_eq!(code, 1);
}

#[test]
fn thousands_of_wrong_citations_are_each_reported_in_bounded_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cites: Vec<String> = (0..3000)
        .map(|i| format!("patch-management.1.made-up-{i}"))
        .collect();
    citing(dir.path(), &cites.join(", "));
    let started = std::time::Instant::now();
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(at(&json, "unknown-id").len(), 3000);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

// --- catalogue extensions ----------------------------------------------------------------------

#[test]
fn a_tailored_indicator_can_be_cited_and_is_asked_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    citing(dir.path(), "patch-management.1.versions-listed");
    let profile = dir.path().join("profile.md");
    let text = std::fs::read_to_string(&profile).expect("read");
    std::fs::write(
        &profile,
        text.replace(
            "profile: demo\n",
            "profile: demo\nmodel: models/bottling.yaml\n",
        ),
    )
    .expect("write");
    let tailored = TAILORING
        .replace("      2:\n", "      1:\n")
        .replace(".2.spare", ".1.spare");
    write_tree(dir.path(), &[("models/bottling.yaml", &tailored)]);
    let (_, json) = check_json(dir.path(), &[]);
    let message = diagnostics(&json)
        .iter()
        .find(|d| d["rule"] == "indicator-uncovered")
        .and_then(|d| d["message"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("(2 of 3)") && message.contains("patch-management.1.spare-filler-trial"),
        "{message}"
    );
    citing(
        dir.path(),
        "patch-management.1.versions-listed, patch-management.1.patches-applied-on-report, patch-management.1.spare-filler-trial",
    );
    std::fs::write(
        &profile,
        text.replace(
            "profile: demo\n",
            "profile: demo\nmodel: models/bottling.yaml\n",
        ),
    )
    .expect("write");
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn an_extension_indicator_with_a_wrong_prefix_is_catalogue_invalid_at_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let profile = dir.path().join("profile.md");
    let text = std::fs::read_to_string(&profile).expect("read");
    std::fs::write(
        &profile,
        text.replace(
            "profile: demo\n",
            "profile: demo\nmodel: models/bottling.yaml\n",
        ),
    )
    .expect("write");
    let broken = TAILORING.replace("patch-management.2.spare", "patch-mgmt.2.spare");
    write_tree(dir.path(), &[("models/bottling.yaml", &broken)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(
        at(&json, "catalogue-invalid"),
        ["models/bottling.yaml:9:17"]
    );
    assert_eq!(code, 1);
}

// --- the report --------------------------------------------------------------------------------

#[test]
fn the_report_shows_the_claimed_level_indicators_with_the_evidence_citing_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    citing(dir.path(), "patch-management.1.versions-listed");
    let md = run(dir.path(), &["report", "--today", TODAY]);
    assert_eq!(code(&md), 0, "{}", stderr(&md));
    let md = stdout(&md);
    assert!(md.contains("Indicators of level 1:"), "{md}");
    assert!(
        md.contains("| `patch-management.1.versions-listed`: A list records the firmware or software version of every device. | `../evidence/patching.md#monthly-window` (`hardening/patch-management.md:6`) |"),
        "{md}"
    );
    assert!(
        md.contains("| `patch-management.1.patches-applied-on-report`: Patches for reported problems were installed and the installation is recorded. | **not cited** |"),
        "{md}"
    );

    let json = run(
        dir.path(),
        &["report", "--format", "json", "--today", TODAY],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("json");
    let practice = &json["profiles"][0]["domains"][2]["subdomains"][0]["practices"][1];
    assert_eq!(practice["id"], "patch-management");
    let indicators = practice["indicators"].as_array().expect("a list");
    assert_eq!(indicators.len(), 2);
    assert_eq!(indicators[0]["id"], "patch-management.1.versions-listed");
    assert_eq!(indicators[0]["covered"], true);
    assert_eq!(
        indicators[0]["cited_by"][0]["evidence"],
        "../evidence/patching.md#monthly-window"
    );
    assert_eq!(indicators[0]["cited_by"][0]["line"], 6);
    assert_eq!(indicators[1]["covered"], false);
    assert_eq!(indicators[1]["cited_by"].as_array().map(Vec::len), Some(0));

    let html = run(
        dir.path(),
        &["report", "--format", "html", "--today", TODAY],
    );
    let html = stdout(&html);
    assert!(
        html.contains("<caption>Indicators of level 1</caption>"),
        "{html}"
    );
    assert!(
        html.contains("<code>patch-management.1.versions-listed</code>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"badge warn\">not cited</span>"),
        "{html}"
    );
}

#[test]
fn a_practice_without_a_claim_shows_no_indicators() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let json = run(
        dir.path(),
        &["report", "--format", "json", "--today", TODAY],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("json");
    let practice = &json["profiles"][0]["domains"][0]["subdomains"][0]["practices"][0];
    assert_eq!(practice["document"], serde_json::Value::Null, "{practice}");
    assert_eq!(practice["indicators"].as_array().map(Vec::len), Some(0));
}

#[test]
fn describe_shows_control_characters_of_a_catalogue_file_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let hostile = TAILORING.replace(
        "description: Line patches are tried on the spare filler before the shift window.",
        "description: \"Tried first\\e[2J\\e]0;owned\\a\\u202ehidden\"",
    );
    write_tree(dir.path(), &[("models/bottling.yaml", &hostile)]);
    let out = run(
        dir.path(),
        &[
            "describe",
            "patch-management",
            "2",
            "--catalogue",
            "models/bottling.yaml",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("  Tried first"), "{text}");
    assert!(
        !text
            .chars()
            .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'),
        "{text:?}"
    );
}

/// The minimal tree with a second evidence item, whose file does not exist, citing
/// `patches-applied-on-report`; the missing file's finding is waived.
fn citing_from_a_missing_file(dir: &Path) {
    citing(dir, "patch-management.1.versions-listed");
    let doc = dir.join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read");
    let text = text.replace(
        "---\n# Patch management",
        "  - path: ../evidence/not-there.md\n    kind: test\n    reviewed: 2026-09-15\n    indicators: [patch-management.1.patches-applied-on-report]\nwaivers:\n  - rule: evidence-not-found\n    reason: The test log moves to the wiki next month\n    expires: 2027-01-31\n---\n# Patch management",
    );
    std::fs::write(&doc, text).expect("write");
}

#[test]
fn evidence_whose_file_does_not_exist_covers_no_indicator_even_waived() {
    let dir = tempfile::tempdir().expect("temp dir");
    citing_from_a_missing_file(dir.path());
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{json:#}");
    let uncovered: Vec<&serde_json::Value> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "indicator-uncovered")
        .collect();
    assert_eq!(uncovered.len(), 1, "{json:#}");
    let message = uncovered[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`patch-management.1.patches-applied-on-report`"),
        "{message}"
    );

    // The report's indicator table agrees: not covered, cited by nothing.
    let out = run(
        dir.path(),
        &["report", "--format", "json", "--today", TODAY],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("report JSON");
    let row = report["profiles"][0]["domains"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["subdomains"].as_array().into_iter().flatten())
        .flat_map(|s| s["practices"].as_array().into_iter().flatten())
        .flat_map(|p| p["indicators"].as_array().into_iter().flatten())
        .find(|i| i["id"] == "patch-management.1.patches-applied-on-report")
        .cloned()
        .expect("the indicator's row");
    assert_eq!(row["covered"], false, "{row:#}");
    assert_eq!(row["cited_by"], serde_json::json!([]));
}
