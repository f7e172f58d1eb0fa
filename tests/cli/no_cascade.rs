//! One mistake, one finding: typos and broken documents do not set off findings elsewhere.

use crate::common::*;

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

#[test]
fn a_misspelt_practice_key_is_one_finding_on_that_file() {
    let dir = tree();
    edit(
        &dir,
        "hardening/patch-management.md",
        "practice:",
        "pratice:",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(
        findings(&json),
        ["unknown-key hardening/patch-management.md:2"]
    );
}

#[test]
fn a_misspelt_profile_key_is_one_finding_on_that_file() {
    let dir = tree();
    edit(&dir, "profile.md", "profile:", "profil:");
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["unknown-key profile.md:2"]);
}

#[test]
fn a_misspelt_practice_id_is_read_as_the_id_it_is_close_to() {
    let dir = tree();
    edit(
        &dir,
        "hardening/patch-management.md",
        "practice: patch-management",
        "practice: patch-managment",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(
        findings(&json),
        ["unknown-id hardening/patch-management.md:2"]
    );
}

#[test]
fn a_misspelt_target_id_is_read_as_the_id_it_is_close_to() {
    let dir = tree();
    edit(
        &dir,
        "profile.md",
        "  patch-management: 1/general",
        "  patch-managment: 1/general",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["unknown-id profile.md:9"]);
}

#[test]
fn a_missing_industry_is_one_finding() {
    let dir = tree();
    edit(
        &dir,
        "profile.md",
        "  patch-management: 1/general",
        "  patch-management: 1/industry",
    );
    edit(
        &dir,
        "profile.md",
        "hardening: 0+/general",
        "hardening: 0+/general+",
    );
    edit(&dir, "profile.md", "industry: energy\n", "");
    edit(
        &dir,
        "hardening/patch-management.md",
        "current: 1/general",
        "current: 1/industry",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["scope-context-missing profile.md:8"]);
}

#[test]
fn an_invalid_domain_target_does_not_also_report_the_domain_missing() {
    let dir = tree();
    edit(
        &dir,
        "profile.md",
        "governance: 0/general",
        "governance: 5/general",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["front-matter-schema profile.md:6"]);
}

#[test]
fn practice_missing_says_where_an_inherited_target_comes_from() {
    let dir = tree();
    edit(
        &dir,
        "profile.md",
        "  patch-management: 1/general",
        "  vulnerability-and-patch-management: 1/general",
    );
    edit(
        &dir,
        "hardening/patch-management.md",
        "# Patch management",
        "# Patch management\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let messages: Vec<&str> = diagnostics(&json)
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "practice `vulnerability-assessment` has target 1/general (inherited from `vulnerability-and-patch-management`) but no document"
        ]
    );
}
