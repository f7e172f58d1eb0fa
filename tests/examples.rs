//! The bundled example trees are clean: exit 0 and no diagnostic at all.

mod common;
use common::*;

#[test]
fn every_example_tree_checks_clean() {
    for tree in ["bottling-line", "ota-gateway", "home-camera"] {
        let path = format!("fixtures/{tree}");
        let (code, json) = check_json(&repo(), &[&path]);
        assert_eq!(findings(&json), Vec::<String>::new(), "{tree}");
        assert_eq!(code, 0, "{tree}");
        assert_eq!(json["summary"]["documents"], 19, "{tree}");
        assert_eq!(json["summary"]["profiles"], 1, "{tree}");
    }
}

#[test]
fn all_examples_together_are_independent_profiles() {
    let (code, json) = check_json(
        &repo(),
        &[
            "fixtures/bottling-line",
            "fixtures/ota-gateway",
            "fixtures/home-camera",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["profiles"], 3);
    assert_eq!(json["summary"]["documents"], 57);
}

#[test]
fn one_practice_file_is_checked_with_its_whole_profile() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("fixtures/bottling-line"), dir.path());
    // Lower a claim: the finding needs the profile's target, found by walking up.
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read");
    std::fs::write(
        &doc,
        text.replace("current: 2/industry", "current: 2/general"),
    )
    .expect("write");
    let (code, json) = check_json(dir.path(), &["hardening/patch-management.md"]);
    assert_eq!(code, 0, "below-target is a warning");
    assert_eq!(json["summary"]["documents"], 19);
    assert!(
        findings(&json).contains(&"below-target hardening/patch-management.md:3".to_owned()),
        "{:?}",
        findings(&json)
    );
}

#[test]
fn output_is_byte_for_byte_deterministic() {
    for format in ["json", "human"] {
        let outputs: Vec<Vec<u8>> = (0..5)
            .map(|_| {
                run(
                    &repo(),
                    &["check", "fixtures", "--format", format, "--today", TODAY],
                )
                .stdout
            })
            .collect();
        assert!(
            outputs[0].len() > 1000,
            "a run over every fixture reports plenty"
        );
        assert!(
            outputs.iter().all(|o| o == &outputs[0]),
            "{format} output differs between runs"
        );
    }
}
