//! Plain `check` works one profile directory at a time and drops each directory's documents
//! once checked; its output must be the one of the whole-tree path, which `--fix`, `--diff`,
//! `--online` and `--base` still take. `--base HEAD` on a tree committed as it is adds no
//! finding, so it is the reference here.
//!
//! A directory is checked once the walk has passed it, and the walk reads in batches of 1,024
//! files, so small trees are also checked behind Markdown files that are not ours (they count
//! in a batch and leave nothing), which move the batch boundary across every document.

use crate::common::{git_in, write_tree};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Files per batch of the walk.
const BATCH: usize = 1024;
const LATER: &str = "2028-06-01";
const FORMATS: [&str; 5] = ["json", "human", "sarif", "summary-md", "github"];
/// Sorts before every document of the trees below.
const FILLER_DIR: &str = "0000-notes";

fn smm(dir: &Path, args: &[&str], threads: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_smm-lint"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    let out = cmd.output().expect("the binary runs");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "panic: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Exit code and stdout of `check --format FORMAT --today TODAY [extra…]`.
fn check(
    dir: &Path,
    format: &str,
    today: &str,
    extra: &[&str],
    threads: Option<&str>,
) -> (i32, String) {
    let mut args = vec!["check", "--format", format, "--today", today];
    args.extend_from_slice(extra);
    let out = smm(dir, &args, threads);
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).expect("UTF-8"),
    )
}

/// Commits the tree, then asserts that every format of plain `check` equals the whole-tree
/// path's; then [`same_in_any_batches`]. Returns the exit code and the JSON.
fn same_as_whole_tree(dir: &Path, today: &str) -> (i32, Value) {
    git_in(dir, None, &["init", "-q"]);
    git_in(dir, None, &["add", "-A"]);
    git_in(dir, None, &["commit", "-q", "-m", "tree"]);
    for format in FORMATS {
        let streamed = check(dir, format, today, &[], None);
        let whole = check(dir, format, today, &["--base", "HEAD"], None);
        assert_eq!(
            streamed, whole,
            "{format}: one directory at a time vs the whole tree"
        );
    }
    same_in_any_batches(dir, today)
}

/// Asserts that every format is the same on one thread as on several, and that moving the
/// batch boundary across every document changes nothing. Returns the exit code and the JSON.
fn same_in_any_batches(dir: &Path, today: &str) -> (i32, Value) {
    for format in FORMATS {
        let streamed = check(dir, format, today, &[], None);
        let one_thread = check(dir, format, today, &[], Some("1"));
        assert_eq!(streamed, one_thread, "{format}: one thread vs several");
    }
    let (code, json) = check(dir, "json", today, &[], None);
    let ours = markdown_files(dir);
    // With `BATCH - k` files before them, the first batch ends just before the k-th document.
    for k in 1..ours {
        fill(dir, BATCH - k);
        let moved = check(dir, "json", today, &[], None);
        assert_eq!(
            moved,
            (code, json.clone()),
            "batch boundary before file {k}"
        );
    }
    std::fs::remove_dir_all(dir.join(FILLER_DIR)).ok();
    (code, serde_json::from_str(&json).expect("JSON"))
}

fn markdown_files(dir: &Path) -> usize {
    let mut n = 0;
    for entry in walk(dir) {
        if entry.extension().is_some_and(|e| e == "md") && !entry.starts_with(dir.join(FILLER_DIR))
        {
            n += 1;
        }
    }
    n
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|n| n == ".git") {
            continue;
        }
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Exactly `n` Markdown files that are not ours, sorting before everything else.
fn fill(dir: &Path, n: usize) {
    let notes = dir.join(FILLER_DIR);
    std::fs::create_dir_all(&notes).expect("create dir");
    for i in 0..n {
        let path = notes.join(format!("{i:04}.md"));
        if !path.exists() {
            std::fs::write(path, "# A note\n").expect("write");
        }
    }
    let mut i = n;
    while notes.join(format!("{i:04}.md")).exists() {
        std::fs::remove_file(notes.join(format!("{i:04}.md"))).expect("remove");
        i += 1;
    }
}

fn profile(id: &str) -> String {
    format!(
        "---\nprofile: {id}\nsystem: Demo gateway\nindustry: energy\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n# Demo\n"
    )
}

fn practice(extra: &str) -> String {
    format!(
        "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n{extra}---\n# Patch management\n"
    )
}

const EVIDENCE: &str = "# Patching\n\n## Monthly window\n\nFirst Tuesday.\n";

/// One profile directory under `dir`: its profile, one practice, its evidence.
fn site(dir: &Path, at: &str, id: &str) {
    let p = |rel: &str| {
        if at.is_empty() {
            rel.to_owned()
        } else {
            format!("{at}/{rel}")
        }
    };
    write_tree(
        dir,
        &[
            (&p("profile.md"), &profile(id)),
            (&p("hardening/patch-management.md"), &practice("")),
            (&p("evidence/patching.md"), EVIDENCE),
        ],
    );
}

fn rules(json: &Value) -> Vec<(String, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("?").to_owned(),
                d["path"].as_str().unwrap_or("?").to_owned(),
            )
        })
        .collect()
}

fn has(json: &Value, rule: &str, path: &str) -> bool {
    rules(json).iter().any(|(r, p)| r == rule && p == path)
}

#[test]
fn nested_profiles_keep_their_own_practices() {
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "plant", "plant");
    site(t.path(), "plant/line-2", "line-2");
    // Owned by `plant`, and read after the nested profile's directory.
    write_tree(
        t.path(),
        &[("plant/zone/hardening/patch-management.md", &practice(""))],
    );
    let (_, json) = same_as_whole_tree(t.path(), LATER);
    assert_eq!(json["summary"]["profiles"], 2, "{json}");
    assert!(!rules(&json).iter().any(|(r, _)| r == "profile-missing"));
    assert!(
        has(
            &json,
            "practice-duplicate",
            "plant/zone/hardening/patch-management.md"
        ) || has(
            &json,
            "practice-duplicate",
            "plant/hardening/patch-management.md"
        ),
        "the two documents of one practice of `plant` meet in one profile: {:?}",
        rules(&json)
    );
}

#[test]
fn a_profile_document_read_after_its_practice_directories_owns_them() {
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "site", "site");
    // `hardening/` and `aaa/` sort before `profile.md`; `zzz/` after it.
    write_tree(
        t.path(),
        &[
            ("site/aaa/hardening/patch-management.md", &practice("")),
            ("site/zzz/notes.md", "# Notes\n"),
        ],
    );
    let (_, json) = same_as_whole_tree(t.path(), LATER);
    assert!(
        !rules(&json).iter().any(|(r, _)| r == "profile-missing"),
        "{:?}",
        rules(&json)
    );
}

#[test]
fn a_profile_at_the_root_makes_one_unit_of_everything() {
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "", "root");
    site(t.path(), "child", "child");
    let (_, json) = same_as_whole_tree(t.path(), LATER);
    assert_eq!(json["summary"]["profiles"], 2, "{json}");
}

#[test]
fn practices_without_a_profile_are_reported_missing_once() {
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "b-site", "b");
    write_tree(
        t.path(),
        &[
            ("a-orphan/hardening/patch-management.md", &practice("")),
            ("c-orphan/patch-management.md", &practice("")),
            ("top.md", &practice("")),
        ],
    );
    let (_, json) = same_as_whole_tree(t.path(), LATER);
    let missing: Vec<_> = rules(&json)
        .into_iter()
        .filter(|(r, _)| r == "profile-missing")
        .map(|(_, p)| p)
        .collect();
    assert_eq!(
        missing,
        [
            "a-orphan/hardening/patch-management.md",
            "c-orphan/patch-management.md",
            "top.md"
        ]
    );
}

#[test]
fn one_profile_id_in_two_directories_is_a_conflict_on_both() {
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "east", "plant");
    site(t.path(), "middle", "other");
    site(t.path(), "west", "plant");
    let (code, json) = same_as_whole_tree(t.path(), "2026-11-21");
    assert_eq!(code, 1);
    assert!(
        has(&json, "profile-conflict", "east/profile.md"),
        "{:?}",
        rules(&json)
    );
    assert!(
        has(&json, "profile-conflict", "west/profile.md"),
        "{:?}",
        rules(&json)
    );
    assert!(!has(&json, "profile-conflict", "middle/profile.md"));
}

#[test]
fn the_document_limit_cuts_a_directory_and_fails_closed() {
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "a", "a");
    site(t.path(), "b", "b");
    // a/hardening, a/profile, b/hardening, [cut] b/profile.md
    write_tree(
        t.path(),
        &[(".smm-lint.yaml", "limits:\n  max_documents: 3\n")],
    );
    // `--base` applies the limit to the base tree too, so the expected findings are written out.
    let (code, json) = same_in_any_batches(t.path(), "2026-11-21");
    assert_eq!(code, 1);
    // The practice of `b` was read, its profile was not; nothing after the cut is checked.
    assert_eq!(
        rules(&json),
        [
            (
                "profile-missing".to_owned(),
                "b/hardening/patch-management.md".to_owned()
            ),
            ("limit-exceeded".to_owned(), "b/profile.md".to_owned()),
        ]
    );
    assert_eq!(
        (&json["summary"]["documents"], &json["summary"]["profiles"]),
        (&Value::from(3), &Value::from(1))
    );
    let message = json["diagnostics"][1]["message"].as_str().expect("message");
    assert!(message.contains("(1 in all)"), "{message}");
}

#[test]
fn a_broken_catalogue_shared_by_two_profiles_is_reported_once() {
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "one", "one");
    site(t.path(), "two", "two");
    write_tree(
        t.path(),
        &[(
            "catalogue.yaml",
            "id: broken\nextends: iic-smm\nsubdomains:\n  - id: onboarding\n    domain: nowhere\n    name: Onboarding\n",
        )],
    );
    for at in ["one", "two"] {
        let path = t.path().join(at).join("profile.md");
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(
            &path,
            text.replacen("industry:", "model: ../catalogue.yaml\nindustry:", 1),
        )
        .expect("write");
    }
    let (_, json) = same_as_whole_tree(t.path(), "2026-11-21");
    let on_catalogue = rules(&json)
        .into_iter()
        .filter(|(r, p)| r == "catalogue-invalid" && p == "catalogue.yaml")
        .count();
    assert_eq!(on_catalogue, 1, "{:?}", rules(&json));
}

#[test]
fn waivers_hold_for_their_own_file_only() {
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "a", "a");
    site(t.path(), "b", "b");
    let waiver = "waivers:\n  - rule: assessment-stale\n    reason: Reassessed at the next plant shutdown.\n    expires: 2029-01-01\n";
    write_tree(
        t.path(),
        &[("a/hardening/patch-management.md", &practice(waiver))],
    );
    let (_, json) = same_as_whole_tree(t.path(), LATER);
    let waived = |path: &str| {
        json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .find(|d| d["rule"] == "assessment-stale" && d["path"] == path)
            .map(|d| d["waived"].is_object())
    };
    assert_eq!(
        waived("a/hardening/patch-management.md"),
        Some(true),
        "{json}"
    );
    assert_eq!(
        waived("b/hardening/patch-management.md"),
        Some(false),
        "{json}"
    );
    assert_eq!(json["summary"]["waived"], 1, "{json}");
}

/// What reading a file found counts even when the file is neither a document nor a broken one
/// of ours: a marker key with no value or the wrong shape, or a page that is not UTF-8. Left
/// out, a half-edited practice staged alone would pass the gate.
#[test]
fn findings_of_files_no_directory_owns_still_fail_the_run() {
    for front in [
        "practice:",
        "profile:",
        "practice: ~",
        "profile: [a, b]",
        "practice: {a: 1}",
    ] {
        let t = tempfile::tempdir().expect("tempdir");
        site(t.path(), "site", "site");
        write_tree(
            t.path(),
            &[(
                "site/hardening/half-edited.md",
                &format!("---\n{front}\n---\n# Doc\n"),
            )],
        );
        let (code, json) = same_as_whole_tree(t.path(), LATER);
        assert_eq!(code, 1, "{front}: {json}");
        assert!(
            has(
                &json,
                "front-matter-schema",
                "site/hardening/half-edited.md"
            ),
            "{front}: {json}"
        );
    }
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "site", "site");
    std::fs::write(
        t.path().join("site/page.md"),
        b"---\ntitle: caf\xe9\n---\n# Page\n",
    )
    .expect("write");
    let (code, json) = same_as_whole_tree(t.path(), LATER);
    assert_eq!(code, 1, "{json}");
    assert!(has(&json, "invalid-utf8", "site/page.md"), "{json}");
    // Staged alone, with no profile anywhere.
    let t = tempfile::tempdir().expect("tempdir");
    write_tree(
        t.path(),
        &[("docs/half-edited.md", "---\npractice:\n---\n# x\n")],
    );
    let (code, out) = check(t.path(), "json", LATER, &["docs/half-edited.md"], None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("front-matter-schema"), "{out}");
}

/// A nested profile directory is complete before its parent's, but is built after it, as the
/// whole-tree path builds them: a mapping file that cannot be used is reported on the profile
/// that loads it first, the parent.
#[test]
fn a_nested_profile_is_built_after_its_parent() {
    let t = tempfile::tempdir().expect("tempdir");
    site(t.path(), "P", "parent");
    site(t.path(), "P/a/Q", "nested");
    for (file, mapping) in [
        ("P/profile.md", "../big.yaml"),
        ("P/a/Q/profile.md", "../../../big.yaml"),
    ] {
        let path = t.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let text = text.replacen("targets:", &format!("mappings: [{mapping}]\ntargets:"), 1);
        std::fs::write(&path, text).expect("write");
    }
    std::fs::write(
        t.path().join("big.yaml"),
        format!("# {}\n", "x".repeat(1024 * 1024 + 10)),
    )
    .expect("write");
    let (_, json) = same_as_whole_tree(t.path(), LATER);
    let invalid: Vec<_> = rules(&json)
        .into_iter()
        .filter(|(r, _)| r == "catalogue-invalid")
        .map(|(_, p)| p)
        .collect();
    assert_eq!(invalid, ["P/profile.md"], "{json}");
}
