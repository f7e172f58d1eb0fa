//! `check --fix` writes a fix only once it is proven safe: the document still parses, gains no
//! `front-matter-*` finding and keeps every other value; an id it writes is not documented
//! elsewhere; the file is under the paths named. A fix left undone says why, in the finding's
//! help and on stderr, and `--diff` shows exactly what `--fix` writes.

use crate::common::*;
use std::path::Path;

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).expect("read")
}

/// The help of the one finding of `rule` at `path`.
fn help_of(json: &serde_json::Value, rule: &str, path: &str) -> String {
    let found: Vec<_> = diagnostics(json)
        .iter()
        .filter(|d| d["rule"] == rule && d["path"] == path)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{rule} at {path}: {}",
        findings(json).join("\n")
    );
    found[0]["help"].as_str().unwrap_or("").to_owned()
}

fn no_front_matter_findings(json: &serde_json::Value) {
    let broken: Vec<String> = findings(json)
        .into_iter()
        .filter(|f| f.starts_with("front-matter-"))
        .collect();
    assert!(broken.is_empty(), "{broken:?}");
}

/// `--fix` and `--diff` with the same arguments: `--diff` prints nothing, `--fix` writes
/// nothing, and both say why the fix is left (so does the finding, when there is one: an alias
/// written for a canonical id has none).
fn assert_left_undone(dir: &Path, args: &[&str], file: &str, reason: &str) {
    left_undone(dir, args, file, reason, true);
}

fn left_undone(dir: &Path, args: &[&str], file: &str, reason: &str, with_finding: bool) {
    let before = read(dir, file);
    let mut diff = vec!["check", "--diff", "--today", TODAY];
    diff.extend_from_slice(args);
    let out = run(dir, &diff);
    assert_eq!(stdout(&out), "", "--diff shows no fix");
    assert!(
        stderr(&out).contains("not fixed automatically") && stderr(&out).contains(reason),
        "{}",
        stderr(&out)
    );
    let mut fix = vec!["check", "--fix", "--today", TODAY];
    fix.extend_from_slice(args);
    let out = run(dir, &fix);
    assert!(!stderr(&out).contains("applied"), "{}", stderr(&out));
    assert!(stderr(&out).contains(reason), "{}", stderr(&out));
    if with_finding {
        assert!(
            stdout(&out).contains("Not fixed automatically"),
            "{}",
            stdout(&out)
        );
    }
    assert_eq!(read(dir, file), before, "{file} unchanged");
}

/// A misspelt key next to the key it resembles: renaming it would make the YAML invalid.
#[test]
fn a_key_is_never_renamed_onto_a_key_of_the_same_mapping() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = "hardening/patch-management.md";
    edit(
        dir.path(),
        doc,
        "current: 1/general",
        "assessor: k.novak@example.com\nasessor: j.smith@example.com\ncurrent: 1/general",
    );
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    let help = help_of(&json, "unknown-key", doc);
    assert!(
        help.contains("Not fixed automatically: `assessor` is already a key here, on line 3"),
        "{help}"
    );
    assert_left_undone(dir.path(), &[], doc, "already a key here");
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "the check that passed before --fix still passes");
    no_front_matter_findings(&json);
}

/// The same in the profile's targets, where a broken profile would hide every other finding.
#[test]
fn a_target_id_is_never_renamed_onto_a_target_already_set() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    edit(
        dir.path(),
        "profile.md",
        "  patch-management: 1/general\n",
        "  patch-management: 1/general\n  patch-managment: 2/general\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let help = help_of(&json, "unknown-id", "profile.md");
    assert!(
        help.starts_with("did you mean `patch-management`?")
            && help.contains("`patch-management` is already a key here, on line 9"),
        "{help}"
    );
    assert_left_undone(
        dir.path(),
        &["profile.md"],
        "profile.md",
        "profile.md:10: `patch-management` is already a key here",
    );
    let (_, json) = check_json(dir.path(), &[]);
    no_front_matter_findings(&json);
    assert!(
        findings(&json).contains(&"unknown-id profile.md:10".to_owned()),
        "{:?}",
        findings(&json)
    );
}

/// The help names every candidate `--fix` weighs; with several, nothing is fixed.
#[test]
fn a_misspelling_is_fixed_only_when_the_help_names_one_candidate() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    // Very close to both `vulnerability-assessment` and `vulnerability-management`.
    edit(
        dir.path(),
        "profile.md",
        "  patch-management: 1/general\n",
        "  patch-management: 1/general\n  vulnerability-asessment: 1/general\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let help = help_of(&json, "unknown-id", "profile.md");
    assert_eq!(
        help,
        "did you mean `vulnerability-assessment` or `vulnerability-management`? Not fixed automatically: more than one id is close."
    );
    let out = run(dir.path(), &["check", "--diff", "--today", TODAY]);
    assert_eq!(stdout(&out), "", "no fix chosen between two candidates");
    // One candidate: fixed.
    edit(
        dir.path(),
        "profile.md",
        "vulnerability-asessment",
        "patch-managment-x",
    );
    edit(
        dir.path(),
        "profile.md",
        "  patch-management: 1/general\n",
        "",
    );
    edit(
        dir.path(),
        "profile.md",
        "patch-managment-x",
        "patch-managment",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(
        help_of(&json, "unknown-id", "profile.md"),
        "did you mean `patch-management`?"
    );
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(read(dir.path(), "profile.md").contains("\n  patch-management: 1/general\n"));
}

/// A folded block scalar's span ends with its line break: replacing it merged the next line
/// into the id and lost the claim.
#[test]
fn a_block_scalar_is_never_edited_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    edit(
        dir.path(),
        "profile.md",
        "  governance: 0/general",
        "  governance: 0+/general\n  third-party-dependencies-management: 1/general",
    );
    let doc = "governance/third-party-dependencies-management.md";
    write_tree(
        dir.path(),
        &[(
            doc,
            "---\npractice: >-\n  services-third-party-dependencies-management\ncurrent: 1/general\nassessed: 2026-10-02\nevidence:\n  - path: ../evidence/patching.md\n    kind: record\n---\n",
        )],
    );
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{:?}", findings(&json));
    left_undone(dir.path(), &[], doc, "written over several lines", false);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{:?}", findings(&json));
    // A multi-line quoted id, and a literal block, are left alone too.
    for written in [
        "\"services-third-party-\n  dependencies-management\"",
        "|-\n  services-third-party-dependencies-management",
    ] {
        let text = format!(
            "---\npractice: {written}\ncurrent: 1/general\nassessed: 2026-10-02\nevidence:\n  - path: ../evidence/patching.md\n    kind: record\n---\n"
        );
        std::fs::write(dir.path().join(doc), &text).expect("write");
        let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
        assert!(
            stderr(&out).contains("written over several lines"),
            "{}",
            stderr(&out)
        );
        assert_eq!(read(dir.path(), doc), text);
    }
}

/// Fixing a practice id to one another document already claims trades one error for another.
#[test]
fn an_id_is_not_fixed_onto_a_practice_another_document_claims() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    edit(
        dir.path(),
        "profile.md",
        "  governance: 0/general",
        "  governance: 0+/general\n  threat-modeling: 1/general\n  risk-attitude: 1/general",
    );
    let practice = |id: &str| {
        format!(
            "---\npractice: {id}\ncurrent: 1/general\nassessed: 2026-10-02\nevidence:\n  - path: ../evidence/patching.md\n    kind: record\n---\n"
        )
    };
    write_tree(
        dir.path(),
        &[
            (
                "governance/threat-modeling.md",
                &practice("threat-modeling"),
            ),
            ("governance/risk-attitude.md", &practice("threat-modelling")),
        ],
    );
    let (_, json) = check_json(dir.path(), &[]);
    let help = help_of(&json, "unknown-id", "governance/risk-attitude.md");
    assert!(
        help.contains("`threat-modeling` is already documented in governance/threat-modeling.md"),
        "{help}"
    );
    let missing = help_of(&json, "practice-missing", "profile.md");
    assert!(
        missing.starts_with(
            "governance/risk-attitude.md exists but claims `threat-modelling`: write `practice: risk-attitude` there"
        ),
        "{missing}"
    );
    assert_left_undone(
        dir.path(),
        &[],
        "governance/risk-attitude.md",
        "already documented",
    );
    // Named after another practice, the file is not renamed to the id it resembles either.
    std::fs::remove_file(dir.path().join("governance/threat-modeling.md")).expect("remove");
    let (_, json) = check_json(dir.path(), &[]);
    let help = help_of(&json, "unknown-id", "governance/risk-attitude.md");
    assert!(
        help.contains("the file is named after practice `risk-attitude`"),
        "{help}"
    );
    assert_left_undone(
        dir.path(),
        &[],
        "governance/risk-attitude.md",
        "named after practice",
    );
}

/// `check --fix FILE` (a pre-commit hook, an editor) changes that file only; a fix in the
/// profile waits until the profile or its directory is named.
#[test]
fn fix_writes_only_under_the_paths_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = "hardening/patch-management.md";
    edit(
        dir.path(),
        "profile.md",
        "hardening: 0+/general",
        "hardening: 0/general",
    );
    edit(
        dir.path(),
        doc,
        "practice: patch-management",
        "practice: patch-managment",
    );
    let profile = read(dir.path(), "profile.md");
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY, doc]);
    assert!(
        stderr(&out).contains("applied 1 fix to 1 file")
            && stderr(&out).contains(
                "not fixed automatically: profile.md:8: the file is not under the paths named; name it or its directory to fix it"
            ),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("Not fixed automatically: the file is not under the paths"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        read(dir.path(), "profile.md"),
        profile,
        "the profile is kept"
    );
    assert!(read(dir.path(), doc).contains("practice: patch-management\n"));
    // `--diff` agrees, and naming the directory (here `.`) lets the fix through.
    let out = run(dir.path(), &["check", "--diff", "--today", TODAY, doc]);
    assert_eq!(stdout(&out), "");
    let out = run(dir.path(), &["check", "--diff", "--today", TODAY, "."]);
    assert!(
        stdout(&out).contains("+  hardening: 0+/general"),
        "{}",
        stdout(&out)
    );
    let out = run(
        dir.path(),
        &["check", "--fix", "--today", TODAY, "profile.md"],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(read(dir.path(), "profile.md").contains("hardening: 0+/general"));
}

/// What `--diff` prints is exactly what `--fix` writes, fixes left undone included; a second
/// `--fix` changes nothing.
#[test]
fn diff_shows_exactly_what_fix_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("fixtures/bottling-line"), dir.path());
    edit(
        dir.path(),
        "profile.md",
        "governance: 2+/industry",
        "governance: 2/industry",
    );
    // A fixable alias, and an unsafe rename in the same file.
    let doc = "governance/third-party-dependencies-management.md";
    edit(
        dir.path(),
        doc,
        "practice: third-party-dependencies-management",
        "practice: services-third-party-dependencies-management\nasessor: b@example.com",
    );
    let diff = run(dir.path(), &["check", "--diff", "--today", TODAY]);
    assert_eq!(code(&diff), 1);
    assert!(
        stderr(&diff).contains("`assessor` is already a key here"),
        "{}",
        stderr(&diff)
    );
    let announced = crate::fix_support::apply(dir.path(), &diff.stdout).expect("the diff applies");
    let fix = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert!(
        stderr(&fix).contains("applied 2 fixes to 2 files"),
        "{}",
        stderr(&fix)
    );
    assert_eq!(announced.len(), 2);
    for (file, bytes) in &announced {
        assert_eq!(
            &std::fs::read(dir.path().join(file)).expect("read"),
            bytes,
            "{file}"
        );
    }
    assert!(read(dir.path(), doc).starts_with(
        "---\npractice: third-party-dependencies-management\nasessor: b@example.com\n"
    ));
    let again = run(dir.path(), &["check", "--diff", "--today", TODAY]);
    assert_eq!((code(&again), stdout(&again)), (0, String::new()));
}

/// A target written once as an alias and once misspelt: fixing the typo would set the target
/// twice.
#[test]
fn a_target_id_is_not_fixed_onto_a_target_set_through_an_alias() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    edit(
        dir.path(),
        "profile.md",
        "  governance: 0/general\n",
        "  governance: 0+/general\n  services-third-party-dependencies-management: 1/general\n  third-party-dependencies-managment: 1/general\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    let before: Vec<String> = findings(&json)
        .into_iter()
        .filter(|f| f.starts_with("front-matter-"))
        .collect();
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert!(
        stderr(&out).contains("profile.md:8: the target of `third-party-dependencies-management` is already set, as `services-third-party-dependencies-management` on line 7"),
        "{}",
        stderr(&out)
    );
    // The alias alone is written as its id; the typo stays, and stays on a second run.
    let profile = read(dir.path(), "profile.md");
    assert!(
        profile.contains("\n  third-party-dependencies-management: 1/general\n  third-party-dependencies-managment: 1/general\n"),
        "{profile}"
    );
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert!(
        stderr(&out).contains("already a key here"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(dir.path(), "profile.md"), profile);
    let (_, json) = check_json(dir.path(), &[]);
    let after: Vec<String> = findings(&json)
        .into_iter()
        .filter(|f| f.starts_with("front-matter-"))
        .collect();
    assert_eq!(before, after);
}

/// Renaming `targets:` would bring the checks, and fixes, of every id under it: one `--fix`
/// could neither show nor make those, so the key is renamed by hand.
#[test]
fn a_misspelt_targets_key_is_left_for_the_user() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    edit(dir.path(), "profile.md", "targets:", "tagets:");
    edit(dir.path(), "profile.md", "hardening: 0+", "hardening: 0");
    let (_, json) = check_json(dir.path(), &[]);
    let help = help_of(&json, "unknown-key", "profile.md");
    assert!(
        help.contains("Not fixed automatically: renaming `targets` changes what else is checked"),
        "{help}"
    );
    let before = read(dir.path(), "profile.md");
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert!(!stderr(&out).contains("applied"), "{}", stderr(&out));
    assert_eq!(read(dir.path(), "profile.md"), before);
}

/// Two typos of one target id: fixing the second would set the target twice, since the first
/// is already read as that id.
#[test]
fn two_typos_of_one_target_do_not_become_a_target_set_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    edit(
        dir.path(),
        "profile.md",
        "  hardening: 0+/general\n",
        "  hardeniing: 0+/general\n  hardenng: 0+/general\n",
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert!(front_matter_free(&json), "{:?}", findings(&json));
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert!(
        stderr(&out).contains(
            "profile.md:9: the target of `hardening` is already set, as `hardeniing` on line 8"
        ),
        "{}",
        stderr(&out)
    );
    let (_, json) = check_json(dir.path(), &[]);
    assert!(front_matter_free(&json), "{:?}", findings(&json));
    let fixed = read(dir.path(), "profile.md");
    let out = run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert!(!stderr(&out).contains("applied"), "{}", stderr(&out));
    assert_eq!(read(dir.path(), "profile.md"), fixed);
}

fn front_matter_free(json: &serde_json::Value) -> bool {
    !findings(json)
        .iter()
        .any(|f| f.starts_with("front-matter-"))
}

/// A carriage return alone inside a line is not a line end for `patch`: the hunks of `--diff`
/// must count lines as it does, or the diff applies at the wrong place. Control characters are
/// shown escaped, so the test turns the escape back before applying the diff.
#[test]
fn diff_counts_lines_as_patch_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    edit(
        dir.path(),
        "profile.md",
        "  enablement: 0/general\n",
        "  enablement: 0/general\r # a note\n",
    );
    edit(dir.path(), "profile.md", "hardening: 0+", "hardening: 0");
    let out = run(dir.path(), &["check", "--diff", "--today", TODAY]);
    // `--diff` is written for a terminal: the carriage return is shown escaped. Turned back,
    // the hunks must apply where `patch` would put them.
    let shown = stdout(&out);
    assert!(shown.contains("0/general\\r # a note"), "{shown}");
    let raw = shown.replace("\\r", "\r");
    let announced =
        crate::fix_support::apply(dir.path(), raw.as_bytes()).expect("the diff applies");
    run(dir.path(), &["check", "--fix", "--today", TODAY]);
    assert_eq!(
        announced.get("profile.md").map(Vec::as_slice),
        Some(read(dir.path(), "profile.md").as_bytes())
    );
}

/// `pin`'s edits pass the same proof: a placeholder pin never turns into a second `sha256:`
/// key, and a pin never lands inside a value written over several lines.
#[test]
fn pin_never_writes_a_document_that_no_longer_parses() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = "hardening/patch-management.md";
    edit(
        dir.path(),
        doc,
        "    reviewed: 2026-09-15",
        "    reviewed: 2026-09-15\n    sha256: TODO",
    );
    let front_matter = |json: &serde_json::Value| -> Vec<String> {
        findings(json)
            .into_iter()
            .filter(|f| f.starts_with("front-matter-"))
            .collect()
    };
    let (_, json) = check_json(dir.path(), &[]);
    let before = front_matter(&json);
    run(dir.path(), &["pin"]);
    let (_, json) = check_json(dir.path(), &[]);
    assert!(
        front_matter(&json).len() <= before.len(),
        "{:?}",
        findings(&json)
    );
    assert!(
        !front_matter(&json)
            .iter()
            .any(|f| f.starts_with("front-matter-syntax")),
        "{:?}",
        findings(&json)
    );
    assert_eq!(read(dir.path(), doc).matches("sha256:").count(), 1);
    // A path written over two lines (a double-quoted scalar with an escaped line break).
    minimal_tree(dir.path());
    edit(
        dir.path(),
        doc,
        "  - path: ../evidence/patching.md#monthly-window",
        "  - path: \"../evidence/\\\n      patching.md#monthly-window\"",
    );
    let before = read(dir.path(), doc);
    run(dir.path(), &["pin"]);
    let (_, json) = check_json(dir.path(), &[]);
    no_front_matter_findings(&json);
    assert_eq!(read(dir.path(), doc), before, "the item is left unpinned");
    assert!(
        !findings(&json)
            .iter()
            .any(|f| f.starts_with("evidence-not-found")),
        "{:?}",
        findings(&json)
    );
}
