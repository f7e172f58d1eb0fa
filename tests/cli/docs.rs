//! Documentation that must stay true: the README's rule table, the rule docs themselves,
//! and one snapshot of the human rendering (fixed width, no colour).
//!
//! Regenerate with `UPDATE_SNAPSHOTS=1 cargo test docs::` after an intended change.

use crate::common::*;
use smm_lint::rules::{self, Needs, Rule};
use std::collections::BTreeSet;

fn update() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some()
}

/// Compares `actual` with the file, or rewrites the file when updating.
fn assert_matches_file(relative: &str, actual: &str) {
    let path = repo().join(relative);
    if update() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{relative} is out of date; rerun with UPDATE_SNAPSHOTS=1.\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

fn rule_table() -> String {
    let mut table =
        String::from("| rule | default | fixable | what it reports |\n|---|---|---|---|\n");
    for doc in rules::docs() {
        let needs = match doc.rule.needs() {
            Needs::Nothing => "",
            Needs::Online => " (only with `--online`)",
            Needs::Base => " (only with `--base`)",
        };
        let default = if doc.enabled {
            doc.severity.name().to_owned()
        } else {
            format!("off ({} when on)", doc.severity.name())
        };
        table.push_str(&format!(
            "| `{}` | {default} | {} | {}{needs} |\n",
            doc.rule.id(),
            if doc.fixable { "yes" } else { "" },
            doc.summary
        ));
    }
    table
}

#[test]
fn readme_rule_table_matches_the_rule_docs() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        panic!("README.md lacks the rules markers");
    };
    let current = &readme[a + start.len()..b];
    let table = rule_table();
    if update() {
        let new = format!("{}{table}{}", &readme[..a + start.len()], &readme[b..]);
        std::fs::write(repo().join("README.md"), new).expect("write README");
        return;
    }
    assert!(
        current == table,
        "README rule table is out of date; rerun with UPDATE_SNAPSHOTS=1.\n{table}"
    );
}

#[test]
fn rule_docs_and_registry_match_one_to_one() {
    rules::validate_docs().expect("every rule doc parses and names its id");
    let files: BTreeSet<String> = std::fs::read_dir(repo().join("rules/rules"))
        .expect("rules/rules")
        .map(|e| {
            e.expect("entry")
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".md")
                .to_owned()
        })
        .collect();
    let ids: BTreeSet<String> = Rule::ALL.iter().map(|r| r.id().to_owned()).collect();
    assert_eq!(
        files, ids,
        "a rule doc without a rule, or a rule without a doc"
    );
    assert_eq!(ids.len(), Rule::ALL.len(), "rule ids are unique");
}

#[test]
fn human_rendering_snapshot() {
    let dir = repo().join("fixtures/rules/target-below-parent/fail");
    let out = run(&dir, &["check", "--today", TODAY]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes when not a terminal"
    );
    assert_matches_file("tests/snapshots/human.txt", &text);
}
