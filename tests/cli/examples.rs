//! The bundled example trees are clean: exit 0 and no diagnostic but the one information each
//! that shows indicators of accomplishment at work (a practice citing some of its claimed
//! level's indicators and not the others).

use crate::common::*;

#[test]
fn every_example_tree_checks_clean() {
    for (tree, shown) in [
        ("bottling-line", "enablement/access-control.md:3"),
        ("ota-gateway", "hardening/patch-management.md:3"),
        ("home-camera", "hardening/patch-management.md:3"),
    ] {
        let path = format!("fixtures/{tree}");
        let (code, json) = check_json(&repo(), &[&path]);
        assert_eq!(
            findings(&json),
            [format!("indicator-uncovered fixtures/{tree}/{shown}")],
            "{tree}"
        );
        assert_eq!(json["summary"]["infos"], 1, "{tree}");
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
    assert_eq!(code, 0, "below-target is an info, plan-missing a warning");
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

#[test]
fn a_shared_evidence_file_outside_every_profile_rechecks_the_documents_citing_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("a git work tree root");
    minimal_tree(&dir.path().join("plant"));
    write_tree(
        dir.path(),
        &[("shared/patching.md", "# Patching\n\n## Monthly window\n")],
    );
    let doc = dir.path().join("plant/hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read");
    std::fs::write(
        &doc,
        text.replace(
            "../evidence/patching.md#monthly-window",
            "../../shared/patching.md#monthly-window",
        ),
    )
    .expect("write");
    let (code, json) = check_json(dir.path(), &["shared/patching.md"]);
    assert_eq!((code, findings(&json)), (0, vec![]));
    assert_eq!(
        json["summary"]["profiles"], 1,
        "the citing profile is checked"
    );
    // Renaming the heading breaks the anchor the practice cites.
    std::fs::write(
        dir.path().join("shared/patching.md"),
        "# Patching\n\n## Window\n",
    )
    .expect("write");
    let (code, json) = check_json(dir.path(), &["shared/patching.md"]);
    assert_eq!(
        findings(&json),
        ["evidence-anchor-not-found plant/hardening/patch-management.md:6"]
    );
    assert_eq!(code, 1);
}
