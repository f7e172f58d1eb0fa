//! Catalogue files that extend the built-in model: chains, cycles, and use from a profile.

use crate::common::*;

const PROFILE: &str = "---\nprofile: demo\nmodel: models/acme.yaml\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0/general\n  institutional: 1/general\n---\n";
const PRACTICE: &str = "---\npractice: awareness-training\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/training.md\n    kind: record\n---\n";

fn tree(acme: &str, base: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write_tree(
        dir.path(),
        &[
            ("profile.md", PROFILE),
            ("institutional/security-awareness-training.md", PRACTICE),
            ("evidence/training.md", "# Training records\n"),
            ("models/acme.yaml", acme),
            ("models/base.yaml", base),
        ],
    );
    dir
}

const BASE: &str = "id: acme-base\nextends: iic-smm\ndomains:\n  - id: institutional\n    name: Institutional\nsubdomains:\n  - id: training\n    domain: institutional\n    name: Training\n";
const ACME: &str = "id: acme\nextends: base.yaml\npractices:\n  - id: security-awareness-training\n    subdomain: training\n    name: Security awareness training\n    aliases: [awareness-training]\n";

#[test]
fn a_chain_of_extensions_adds_domains_subdomains_and_practices() {
    let dir = tree(ACME, BASE);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn the_new_practice_is_required_like_any_other() {
    let dir = tree(ACME, BASE);
    std::fs::remove_file(
        dir.path()
            .join("institutional/security-awareness-training.md"),
    )
    .expect("remove");
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["practice-missing profile.md:8"]);
}

#[test]
fn a_cycle_of_extends_is_reported_at_the_extends_value() {
    let base = BASE.replace("extends: iic-smm", "extends: acme.yaml");
    let dir = tree(ACME, &base);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["catalogue-invalid models/base.yaml:2"]);
    assert_eq!(code, 1);
}

#[test]
fn a_missing_catalogue_file_points_at_the_model_value() {
    let dir = tree(ACME, BASE);
    std::fs::remove_file(dir.path().join("models/acme.yaml")).expect("remove");
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["catalogue-invalid profile.md:3"]);
}

#[test]
fn an_unknown_built_in_model_is_an_unknown_id() {
    let dir = tree(ACME, BASE);
    let profile = PROFILE.replace("models/acme.yaml", "iic-smn");
    std::fs::write(dir.path().join("profile.md"), profile).expect("write");
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["unknown-id profile.md:3"]);
}
