//! `check --fix` and `--diff`: safe fixes only, every other byte kept.

use crate::common::*;
use std::path::Path;

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).expect("read")
}

#[test]
fn fix_restores_the_rollup_marks_exactly_and_a_second_fix_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("fixtures/bottling-line"), dir.path());
    edit(
        dir.path(),
        "profile.md",
        "governance: 2+/industry",
        "governance: 2/industry",
    );
    edit(
        dir.path(),
        "profile.md",
        "hardening: 2/general+",
        "hardening: 2/general",
    );
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(
        read(dir.path(), "profile.md"),
        read(&repo().join("fixtures/bottling-line"), "profile.md")
    );
    let modified = std::fs::metadata(dir.path().join("profile.md"))
        .and_then(|m| m.modified())
        .expect("mtime");
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert_eq!(code(&out), 0);
    assert!(!stderr(&out).contains("applied"), "{}", stderr(&out));
    assert_eq!(
        std::fs::metadata(dir.path().join("profile.md"))
            .and_then(|m| m.modified())
            .expect("mtime"),
        modified
    );
}

#[test]
fn diff_shows_the_fixes_writes_nothing_and_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    edit(
        dir.path(),
        "profile.md",
        "hardening: 0+/general",
        "hardening: 0/general",
    );
    let before = read(dir.path(), "profile.md");
    let out = run(dir.path(), &["check", "--diff", "--today", TODAY]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stdout(&out),
        "--- a/profile.md\n+++ b/profile.md\n@@ -5,7 +5,7 @@\n targets:\n   governance: 0/general\n   enablement: 0/general\n-  hardening: 0/general\n+  hardening: 0+/general\n   patch-management: 1/general\n ---\n # Demo\n"
    );
    assert_eq!(read(dir.path(), "profile.md"), before);
    edit(
        dir.path(),
        "profile.md",
        "hardening: 0/general",
        "hardening: 0+/general",
    );
    let out = run(dir.path(), &["check", "--diff", "--today", TODAY]);
    assert_eq!((code(&out), stdout(&out)), (0, String::new()));
}

#[test]
fn typos_and_aliases_are_fixed_keeping_quotes_bom_and_crlf() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    edit(
        dir.path(),
        "profile.md",
        "industry: energy",
        "industy: energy",
    );
    edit(
        dir.path(),
        "profile.md",
        "hardening: 0+/general",
        "hardening: \"0/general\"",
    );
    let doc = "hardening/patch-management.md";
    let text = std::fs::read_to_string(dir.path().join(doc)).expect("read");
    let text = text
        .replace(
            "practice: patch-management",
            "practice: \"patch-managment\"",
        )
        .replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    std::fs::write(dir.path().join(doc), &bytes).expect("write");
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let profile = String::from_utf8(read(dir.path(), "profile.md")).expect("utf-8");
    assert!(
        profile.contains("\nindustry: energy\n") && profile.contains("hardening: \"0+/general\""),
        "{profile}"
    );
    let fixed = read(dir.path(), doc);
    let expected = {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(
            text.replace("\"patch-managment\"", "\"patch-management\"")
                .as_bytes(),
        );
        b
    };
    assert_eq!(fixed, expected, "only the id changed; BOM and CRLF kept");
}

#[test]
fn fixes_never_touch_claims_evidence_or_dates() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = "hardening/patch-management.md";
    edit(
        dir.path(),
        doc,
        "    reviewed: 2026-09-15",
        "    reviwed: 2026-09-15",
    );
    edit(dir.path(), doc, "current: 1/general", "curent: 1/general");
    let before = read(dir.path(), doc);
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert_eq!(code(&out), 1, "the findings remain");
    assert_eq!(read(dir.path(), doc), before);
    let out = run(dir.path(), &["check", "--diff", "--today", TODAY]);
    assert_eq!((code(&out), stdout(&out)), (0, String::new()));
}
