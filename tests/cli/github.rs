//! `--format github`: workflow commands, escaped so that document text cannot inject its own.

use crate::common::*;

fn github_output(dir: &std::path::Path) -> String {
    let out = run(dir, &["check", "--format", "github", "--today", TODAY]);
    assert!(matches!(code(&out), 0 | 1), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn each_finding_is_one_command_with_its_location() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("repository root");
    minimal_tree(&dir.path().join("plant"));
    let doc = dir.path().join("plant/hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc)
        .expect("read")
        .replace("#monthly-window", "#nope");
    std::fs::write(&doc, text).expect("write");
    // Run from inside the tree: paths are still relative to the repository root.
    let out = github_output(&dir.path().join("plant/hardening"));
    assert_eq!(
        out.lines().next(),
        Some(
            "::error file=plant/hardening/patch-management.md,line=6,endLine=6,col=11,endColumn=39,title=evidence-anchor-not-found::`#nope` is not a heading in `../evidence/patching.md`%0Ahelp: an anchor is the GitHub id of a heading in that file: lowercase, punctuation dropped, spaces as `-`"
        )
    );
}

#[test]
fn document_text_cannot_start_a_workflow_command() {
    for payload in [
        "::add-mask::secret",
        "::error::injected",
        "::stop-commands::x",
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        minimal_tree(dir.path());
        let doc = format!(
            "---\npractice: \"patch-management\\n{payload}\"\ncurrent: 1/general\nassessed: 2026-10-01\n---\n# [x](missing\\r\\n{payload}.md)\n"
        );
        std::fs::write(dir.path().join("hardening/patch-management.md"), doc).expect("write");
        let out = github_output(dir.path());
        assert!(!out.is_empty());
        for line in out.lines() {
            let command = line.split_whitespace().next().unwrap_or("");
            assert!(
                ["::error", "::warning", "::notice"].contains(&command),
                "a line that is not one of our commands: {line:?}"
            );
            assert!(!line.contains('\r'), "{line:?}");
        }
        // The payload is quoted inside our own command, never at the start of a line.
        assert!(
            out.lines()
                .any(|l| l.starts_with("::error ") && l.contains(payload)),
            "{out}"
        );
    }
}

#[test]
fn multi_line_spans_have_no_columns_and_info_is_a_notice() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc)
        .expect("read")
        .replace("current: 1/general", "current: 1/industry");
    // A link whose text wraps: its span covers two lines.
    std::fs::write(&doc, text + "\nSee [the old\nplan](missing.md).\n").expect("write");
    let out = github_output(dir.path());
    let link = out
        .lines()
        .find(|l| l.contains("title=link-broken"))
        .expect("a link-broken command");
    assert!(
        link.starts_with("::warning file=hardening/patch-management.md,line=12,endLine=13,title="),
        "{link}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("::notice ") && l.contains("title=above-target")),
        "{out}"
    );
}

/// A file name is repository text too: its control characters are shown escaped in `file=`,
/// never raw in the log (an escape sequence there would restyle or rewrite what follows).
#[test]
fn control_characters_in_a_file_name_are_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc)
        .expect("read")
        .replace("#monthly-window", "#nope");
    std::fs::remove_file(&doc).expect("remove");
    std::fs::write(dir.path().join("hardening/patch\u{1b}[31m\u{7}.md"), text).expect("write");
    let out = github_output(dir.path());
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(
        out.contains("file=hardening/patch\\u{1b}[31m\\u{7}.md"),
        "{out}"
    );
}
