//! `smm-lint init`: the written profile, refusals, no overwriting, and the interview.

use crate::common::*;

const DEMO: &[&str] = &[
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
    "--target",
    "patch-management=4/system",
    "--today",
    TODAY,
];

#[test]
fn the_demo_profile_is_written_exactly_and_checks_clean_but_for_gaps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(dir.path(), DEMO);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let profile = std::fs::read_to_string(dir.path().join("profile.md")).expect("profile.md");
    let front = profile.split("---\n").nth(1).expect("front matter");
    assert_eq!(
        front,
        "profile: demo\nmodel: iic-smm\nsystem: Demo gateway\nindustry: energy\ntargets:\n  governance: 2/industry\n  enablement: 1/general\n  hardening: 3+/system\n  patch-management: 4/system\n"
    );
    let (status, json) = check_json(dir.path(), &[]);
    assert_eq!(status, 0, "--fail-on error passes");
    assert_eq!(json["summary"]["documents"], 19);
    let rules: std::collections::BTreeSet<&str> = diagnostics(&json)
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert_eq!(
        rules.into_iter().collect::<Vec<_>>(),
        ["below-target"],
        "only gaps are reported"
    );
}

#[test]
fn practice_documents_start_at_zero_with_a_plan_to_the_target() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(code(&run(dir.path(), DEMO)), 0);
    let doc =
        std::fs::read_to_string(dir.path().join("hardening/patch-management.md")).expect("doc");
    assert!(doc.starts_with("---\npractice: patch-management\ncurrent: 0/general\nassessed: 2026-11-21\nevidence: []\nplan:\n  - level: 4/system\n    due: 2027-11-21\n    action: "), "{doc}");
    for section in ["## Purpose", "## Current state", "## Evidence", "## Plan"] {
        assert!(doc.contains(section), "{section}");
    }
    assert!(dir.path().join("evidence/README.md").is_file());
}

#[test]
fn a_child_below_its_parent_is_refused_naming_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(
        dir.path(),
        &[
            "init",
            "--yes",
            "--target",
            "hardening=3/general",
            "--target",
            "patch-management=1/general",
        ],
    );
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("patch-management=1/general") && err.contains("hardening=3/general"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("read").count(),
        0,
        "nothing written"
    );
}

#[test]
fn scope_without_its_context_and_bad_targets_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["init", "--yes", "--target", "hardening=2/industry"][..],
        &["init", "--yes", "--target", "hardening=2+/general"],
        &["init", "--yes", "--target", "hardenin=2/general"],
        &["init", "--yes", "--target", "hardening"],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(code(&out), 2, "{args:?}");
    }
    let out = run(
        dir.path(),
        &["init", "--yes", "--target", "hardenin=2/general"],
    );
    assert!(
        stderr(&out).contains("did you mean `hardening`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn existing_documents_are_never_overwritten_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(code(&run(dir.path(), DEMO)), 0);
    let doc = dir.path().join("hardening/patch-management.md");
    std::fs::write(&doc, "mine").expect("write");
    let out = run(dir.path(), DEMO);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("hardening/patch-management.md"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&doc).expect("read"), "mine");
    let mut forced = DEMO.to_vec();
    forced.push("--force");
    assert_eq!(code(&run(dir.path(), &forced)), 0);
    assert_ne!(std::fs::read_to_string(&doc).expect("read"), "mine");
}

#[cfg(unix)]
#[test]
fn the_interview_runs_in_a_pseudo_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/support/init_pty.py"))
        .arg(env!("CARGO_BIN_EXE_smm-lint"))
        .arg(dir.path())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let profile = std::fs::read_to_string(dir.path().join("profile.md")).expect("profile.md");
    assert!(profile.contains("profile: pump-station\n"), "{profile}");
    assert!(
        profile.contains("  hardening: 3+/system\n  patch-management: 4/system\n"),
        "{profile}"
    );
    let (status, _) = check_json(dir.path(), &[]);
    assert_eq!(status, 0);
}
