//! The auditors' toolkit: report, evidence index, pins, and --online against a local server.

use crate::common::*;
use std::path::Path;

/// `report --format json`, on `--today TODAY` unless `extra` names another day.
fn report_json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["report", "--format", "json"];
    if !extra.contains(&"--today") {
        args.extend(["--today", TODAY]);
    }
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("report JSON")
}

#[test]
fn the_report_covers_every_practice_with_rollups_and_header() {
    let json = report_json(&repo(), &["fixtures/bottling-line"]);
    assert_eq!(json["version"], 1);
    let p = &json["profiles"][0];
    assert_eq!(p["id"], "bottling-line");
    assert_eq!(p["industry"], "manufacturing");
    let practices: Vec<&serde_json::Value> = p["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .flat_map(|d| d["subdomains"].as_array().expect("subdomains"))
        .flat_map(|s| s["practices"].as_array().expect("practices"))
        .collect();
    assert_eq!(practices.len(), 18);
    assert!(practices.iter().all(|r| r["gap"] == "met"));
    assert_eq!(
        p["domains"][0]["target"], "2+/industry",
        "governance rolls up with its +"
    );
    assert_eq!(
        p["domains"][2]["current"], "2/general+",
        "hardening's current state rolls up too"
    );
    let md = stdout(&run(
        &repo(),
        &["report", "fixtures/bottling-line", "--today", TODAY],
    ));
    for r in &practices {
        assert!(
            md.contains(r["name"].as_str().expect("name")),
            "{}",
            r["name"]
        );
    }
    assert!(md.contains("| Commit |") && md.contains("## Roadmap") && md.contains("## Evidence"));
}

#[test]
fn the_roadmap_marks_overdue_and_due_soon_items() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read").replace(
        "evidence:",
        "plan:\n  - level: 2/general\n    due: 2026-12-01\n    action: Soon.\n  - level: 3/general\n    due: 2027-06-01\n    action: Later.\nevidence:",
    );
    std::fs::write(&doc, text).expect("write");
    let json = report_json(dir.path(), &[]);
    let statuses: Vec<&str> = json["profiles"][0]["roadmap"]
        .as_array()
        .expect("roadmap")
        .iter()
        .filter_map(|r| r["status"].as_str())
        .collect();
    assert_eq!(statuses, ["due-soon", "later"]);
    let json = report_json(dir.path(), &["--today", "2026-12-15"]);
    assert_eq!(json["profiles"][0]["roadmap"][0]["status"], "overdue");
}

#[test]
fn the_evidence_csv_reads_in_pythons_csv_module() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    // A formula and a comma in document text must come out harmless.
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read").replace(
        "    reviewed: 2026-09-15",
        "    reviewed: 2026-09-15\n    standard: \"=HYPERLINK(\\\"x\\\"), IEC 62443\"",
    );
    std::fs::write(&doc, text).expect("write");
    let out = run(
        dir.path(),
        &[
            "evidence",
            "--format",
            "csv",
            "--output",
            "index.csv",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let script = "import csv,sys\nrows=list(csv.DictReader(open(sys.argv[1],newline='')))\nprint(len(rows), rows[0]['status'], rows[0]['standard'], rows[0]['line'])";
    let py = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir.path().join("index.csv"))
        .output()
        .expect("python3");
    assert_eq!(
        String::from_utf8_lossy(&py.stdout).trim(),
        "1 ok '=HYPERLINK(\"x\"), IEC 62443 6",
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
}

#[test]
fn pin_then_check_then_an_edit_is_evidence_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = dir.path().join("hardening/patch-management.md");
    let before = std::fs::read_to_string(&doc).expect("read");
    assert_eq!(
        code(&run(dir.path(), &["pin", "--check"])),
        1,
        "a pin is missing"
    );
    let diff = run(dir.path(), &["pin", "--diff"]);
    assert_eq!(code(&diff), 1);
    assert_eq!(
        std::fs::read_to_string(&doc).expect("read"),
        before,
        "--diff writes nothing"
    );
    assert_eq!(code(&run(dir.path(), &["pin"])), 0);
    assert_eq!(code(&run(dir.path(), &["pin", "--check"])), 0);
    let after = std::fs::read_to_string(&doc).expect("read");
    let inserted: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(inserted.len(), 1);
    assert!(inserted[0].starts_with("    sha256: "), "{inserted:?}");
    assert_eq!(
        after.replace(&format!("{}\n", inserted[0]), ""),
        before,
        "nothing else changed"
    );
    let (code_clean, json) = check_json(dir.path(), &[]);
    assert_eq!((code_clean, findings(&json)), (0, vec![]));
    std::fs::write(
        dir.path().join("evidence/patching.md"),
        "# Patching\n\n## Monthly window\n\nSecond Tuesday now.\n",
    )
    .expect("write");
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(
        findings(&json),
        ["evidence-changed hardening/patch-management.md:7"]
    );
    assert_eq!(code(&run(dir.path(), &["pin", "--check"])), 1);
    let plain = run(dir.path(), &["pin"]);
    assert_eq!(code(&plain), 1, "a stale pin is not re-approved silently");
    assert!(
        stdout(&plain).contains("hardening/patch-management.md:7: stale pin of"),
        "{}",
        stdout(&plain)
    );
    assert_eq!(code(&run(dir.path(), &["pin", "--check"])), 1);
    let refresh = run(dir.path(), &["pin", "--refresh"]);
    assert_eq!(code(&refresh), 0, "{}", stderr(&refresh));
    assert!(
        stdout(&refresh).contains("hardening/patch-management.md:7: re-approved"),
        "{}",
        stdout(&refresh)
    );
    assert_eq!(code(&run(dir.path(), &["pin", "--check"])), 0);
}

#[test]
fn online_checks_urls_and_nothing_is_fetched_without_it() {
    let (base, seen) = serve();
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = dir.path().join("hardening/patch-management.md");
    let mut items = String::new();
    for path in ["/ok", "/missing", "/limited", "/forbidden"] {
        items.push_str(&format!(
            "  - url: {base}{path}\n    kind: review\n    reviewed: 2026-10-01\n"
        ));
    }
    let text = std::fs::read_to_string(&doc)
        .expect("read")
        .replace("evidence:\n", &format!("evidence:\n{items}"));
    std::fs::write(&doc, text).expect("write");
    let (code_offline, json) = check_json(dir.path(), &[]);
    assert_eq!((code_offline, findings(&json)), (0, vec![]));
    let out = run(
        dir.path(),
        &["evidence", "--format", "json", "--today", TODAY],
    );
    let index: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert!(
        index["evidence"]
            .as_array()
            .expect("rows")
            .iter()
            .filter(|r| r["kind"] == "review")
            .all(|r| r["status"] == "unchecked-url")
    );
    assert!(
        seen.lock().expect("lock").is_empty(),
        "no request without --online"
    );

    let (code_online, json) = check_json(dir.path(), &["--online"]);
    assert_eq!(
        findings(&json),
        ["evidence-url-unreachable hardening/patch-management.md:9"]
    );
    assert_eq!(code_online, 0, "a warning");
    let out = run(
        dir.path(),
        &["evidence", "--format", "json", "--online", "--today", TODAY],
    );
    let index: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let status_of = |suffix: &str| {
        index["evidence"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["target"].as_str().is_some_and(|t| t.ends_with(suffix)))
            .map(|r| r["status"].clone())
    };
    assert_eq!(status_of("/ok"), Some("reachable".into()));
    assert_eq!(status_of("/missing"), Some("unreachable".into()));
    assert_eq!(status_of("/limited"), Some("unknown".into()));
    assert_eq!(status_of("/forbidden"), Some("unknown".into()));
}
