//! The repository is the boundary, and no limit turns a failing tree into a passing one: PATHs
//! through symbolic links that lead out, ancestors of the working directory, configuration above
//! the root, padded documents, document limits, option-like file names, and many PATHs at once.
#![allow(clippy::print_stderr)] // timings, shown with --nocapture

use crate::common::*;
use serde_json::Value;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

const PROFILE: &str = "---\nprofile: sys\nsystem: Demo\nindustry: energy\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n# Profile\n";
const PRACTICE: &str = "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-02\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n---\n# Patch management\n";
const PATCH: &str = "sys/hardening/patch-management.md";

/// A git repository at `dir` holding a clean profile `sys` with one practice.
fn mk(dir: &Path) {
    write_tree(
        dir,
        &[
            ("sys/profile.md", PROFILE),
            (PATCH, PRACTICE),
            (
                "sys/evidence/patching.md",
                "# Patching\n## Monthly window\ntext\n",
            ),
        ],
    );
    git(dir, &["init", "-q"]);
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn commit_all(dir: &Path, tag: &str) {
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            tag,
        ],
    );
    git(dir, &["tag", tag]);
}

/// stderr with the report's line wrapping undone, so a message can be searched whole.
fn message(out: &std::process::Output) -> String {
    stderr(out)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn rules(json: &Value) -> Vec<String> {
    diagnostics(json)
        .iter()
        .map(|d| d["rule"].as_str().unwrap_or("?").to_owned())
        .collect()
}

fn severity_of<'a>(json: &'a Value, rule: &str) -> Vec<&'a str> {
    diagnostics(json)
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| d["severity"].as_str().unwrap_or("?"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The repository is the boundary.

/// A profile tree that is a symbolic link to a directory outside the repository: refused, read
/// neither as a directory PATH nor through a file below it, and never fixed.
#[test]
fn a_path_through_a_symbolic_link_out_of_the_repository_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let outside = tmp.path().join("outside");
    mk(&outside);
    let misspelt = PRACTICE.replace("practice: patch-management", "practice: patch-managment");
    std::fs::write(outside.join(PATCH), &misspelt).expect("write");
    let repo = tmp.path().join("repo");
    mk(&repo);
    std::fs::remove_dir_all(repo.join("sys")).expect("remove");
    symlink(outside.join("sys"), repo.join("sys")).expect("symlink");

    for (args, how) in [
        (vec!["check", "sys"], "it is a symbolic link that leads out"),
        (
            vec!["check", PATCH],
            "it passes through sys, a symbolic link that leads out",
        ),
        (vec!["check", "sys", "--fix"], "leads out"),
        (vec!["report", "sys"], "leads out"),
    ] {
        let out = run(&repo, &args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stdout(&out));
        let err = message(&out);
        assert!(err.contains(how), "{args:?}: {err}");
        assert!(!stdout(&out).contains("patch-managment"), "{args:?}");
    }
    assert_eq!(
        std::fs::read_to_string(outside.join(PATCH)).expect("read"),
        misspelt,
        "the outside document is not fixed"
    );
}

/// A link to another git repository is not a repository root of its own.
#[test]
fn a_symbolic_link_to_another_repository_is_not_a_root() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let other = tmp.path().join("other");
    mk(&other);
    let repo = tmp.path().join("repo");
    mk(&repo);
    symlink(&other, repo.join("vendor")).expect("symlink");
    let out = run(&repo, &["check", "vendor/sys"]);
    assert_eq!(code(&out), 2);
    assert!(message(&out).contains("vendor, a symbolic link that leads out"));
    // Nor is a repository below a link that leads out.
    symlink(tmp.path(), repo.join("up")).expect("symlink");
    let out = run(&repo, &["check", "up/other/sys"]);
    assert_eq!(code(&out), 2);
    assert!(message(&out).contains("up, a symbolic link that leads out"));
}

/// A linked directory inside the tree is not followed by the walk, and a link that stays
/// inside the repository is fine as a PATH.
#[test]
fn a_linked_directory_inside_the_tree_is_not_followed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let outside = tmp.path().join("outside");
    write_tree(
        &outside,
        &[(
            "hardening/monitoring-practices.md",
            "---\npractice: monitoring-practices\ncurrent: 9/general\n---\n",
        )],
    );
    let repo = tmp.path().join("repo");
    mk(&repo);
    symlink(&outside, repo.join("sys/linked")).expect("symlink");
    symlink(repo.join("sys"), repo.join("alias")).expect("symlink");
    let (code, json) = check_json(&repo, &["sys"]);
    assert_eq!(code, 0, "{:?}", findings(&json));
    assert_eq!(json["summary"]["documents"], 2);
    let (code, json) = check_json(&repo, &["alias"]);
    assert_eq!(code, 0, "{:?}", findings(&json));
    assert_eq!(json["summary"]["documents"], 2);
}

/// A Markdown file linked to a file outside is not read when discovery looks for the
/// practices that cite a file outside every profile tree (the pre-commit case).
#[test]
fn a_markdown_link_out_is_not_read_when_looking_for_citing_practices() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // Outside: a practice that mentions README.md. Were it read, the profile above the link
    // would be checked for README.md.
    let outside = tmp.path().join("outside.md");
    std::fs::write(
        &outside,
        "---\npractice: patch-management\n---\nSee README.md\n",
    )
    .expect("write");
    let repo = tmp.path().join("repo");
    mk(&repo);
    symlink(&outside, repo.join("sys/hardening/link.md")).expect("symlink");
    std::fs::write(repo.join("README.md"), "# r\n").expect("write");
    let (code, json) = check_json(&repo, &["README.md"]);
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["documents"], 0, "{:?}", findings(&json));
    // A link that stays inside is read like the file it points to.
    std::fs::write(
        repo.join("sys/hardening/inside.md.txt"),
        "---\npractice: patch-management\n---\nSee README.md\n",
    )
    .expect("write");
    std::fs::remove_file(repo.join("sys/hardening/link.md")).expect("remove");
    symlink("inside.md.txt", repo.join("sys/hardening/link.md")).expect("symlink");
    let (_, json) = check_json(&repo, &["README.md"]);
    assert_eq!(json["summary"]["profiles"], 1, "{:?}", findings(&json));
}

/// A configuration file above the repository root belongs to someone else: not applied.
#[test]
fn a_configuration_above_the_repository_root_is_not_applied() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        tmp.path().join(".smm-lint.yaml"),
        "rules:\n  evidence-not-found: \"off\"\n  evidence-insufficient: \"off\"\n",
    )
    .expect("write");
    let repo = tmp.path().join("repo");
    mk(&repo);
    let gone = PRACTICE.replace("patching.md#monthly-window", "gone.md");
    std::fs::write(repo.join(PATCH), gone).expect("write");
    let (code, json) = check_json(&repo.join("sys"), &[]);
    assert_eq!(code, 1);
    assert!(rules(&json).contains(&"evidence-not-found".to_owned()));
    assert!(rules(&json).contains(&"evidence-insufficient".to_owned()));
    // One inside the repository is applied, from a subdirectory too.
    std::fs::rename(
        tmp.path().join(".smm-lint.yaml"),
        repo.join(".smm-lint.yaml"),
    )
    .expect("move");
    let (code, json) = check_json(&repo.join("sys"), &[]);
    assert_eq!(code, 0, "{:?}", findings(&json));
}

/// A configuration file that is a symbolic link leading out is refused, not read.
#[test]
fn a_configuration_linked_out_of_the_repository_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        tmp.path().join("planted.yaml"),
        "rules:\n  evidence-not-found: \"off\"\n",
    )
    .expect("write");
    let repo = tmp.path().join("repo");
    mk(&repo);
    symlink(tmp.path().join("planted.yaml"), repo.join(".smm-lint.yaml")).expect("symlink");
    let out = run(&repo, &["check", "sys"]);
    assert_eq!(code(&out), 2);
    assert!(message(&out).contains("leads out of the repository"));
}

/// Outside a git work tree the root is the current directory: a profile and evidence in an
/// ancestor directory are not adopted, so the evidence above is outside and never read.
#[test]
fn outside_git_nothing_above_the_working_directory_is_read() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let anc = tmp.path().join("anc");
    write_tree(
        &anc,
        &[
            ("profile.md", PROFILE),
            ("secret.md", "# Secret\n## Monthly window\n"),
        ],
    );
    let work = anc.join("a/b");
    write_tree(
        &work,
        &[
            ("sys/profile.md", PROFILE),
            (
                PATCH,
                &PRACTICE.replace("../evidence/patching.md", "../../../../secret.md"),
            ),
        ],
    );
    let (status, json) = check_json(&work, &["sys"]);
    assert_eq!(status, 1);
    assert!(
        rules(&json).contains(&"evidence-outside-repo".to_owned()),
        "{:?}",
        findings(&json)
    );
    // A PATH above the working directory is outside the repository.
    let out = run(&work, &["check", "../../profile.md"]);
    assert_eq!(code(&out), 2);
    assert!(message(&out).contains("outside the repository"));
}

/// Inside a git work tree nothing above the root is opened: an ancestor's Markdown files
/// (a profile among them) keep their access time, which a read would update. A control file
/// read by the test itself shows that this file system records reads; where it does not
/// (`noatime`), only the outcome is checked.
#[test]
fn ancestors_of_a_git_repository_are_not_read() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let anc = tmp.path().join("anc");
    write_tree(
        &anc,
        &[("profile.md", PROFILE), ("control.md", "# Control\n")],
    );
    let past = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    for name in ["profile.md", "control.md"] {
        std::fs::File::options()
            .write(true)
            .open(anc.join(name))
            .and_then(|f| f.set_times(std::fs::FileTimes::new().set_accessed(past)))
            .expect("set the access time");
    }
    let accessed = |name: &str| {
        std::fs::metadata(anc.join(name))
            .and_then(|m| m.accessed())
            .expect("access time")
    };
    let repo = anc.join("a/b/repo");
    mk(&repo);
    // From the repository's root, which holds no profile itself.
    let (code, json) = check_json(&repo, &["sys"]);
    assert_eq!(code, 0, "{:?}", findings(&json));
    assert_eq!(json["summary"]["profiles"], 1);
    std::fs::read(anc.join("control.md")).expect("read the control file");
    if accessed("control.md") != past {
        assert_eq!(
            accessed("profile.md"),
            past,
            "the ancestor's profile was read"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Fail closed.

/// A document padded past the size limit still has its front matter checked: a lowered level
/// and a date in the future fail the gate as without the padding.
#[test]
fn a_padded_document_still_has_its_claims_checked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    mk(repo);
    commit_all(repo, "base");
    let lowered = "---\npractice: patch-management\ncurrent: 0/general\nassessed: 2099-10-02\n---\n# Patch management\n";
    std::fs::write(repo.join(PATCH), lowered).expect("write");
    let (code, json) = check_json(repo, &["sys", "--base", "base"]);
    assert_eq!(code, 1);
    let unpadded = rules(&json);
    assert!(unpadded.contains(&"regression-level".to_owned()));
    assert!(unpadded.contains(&"date-in-future".to_owned()));

    let padded = format!("{lowered}{}", "padding ".repeat(140_000));
    std::fs::write(repo.join(PATCH), padded).expect("write");
    let (code, json) = check_json(repo, &["sys", "--base", "base"]);
    assert_eq!(code, 1, "{:?}", findings(&json));
    let mut expected = unpadded.clone();
    expected.push("file-too-large".to_owned());
    expected.sort();
    let mut found = rules(&json);
    found.sort();
    assert_eq!(found, expected);
    assert_eq!(severity_of(&json, "file-too-large"), ["warning"]);
}

/// Front matter over its limit (5,000 comment lines, 270 KB) is an error.
#[test]
fn front_matter_over_its_limit_is_an_error() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    mk(repo);
    let comments = "# comment line padding padding padding padding padding\n".repeat(5_000);
    let doc = format!(
        "---\npractice: patch-management\n{comments}current: 0/general\nassessed: 2026-10-02\n---\n# P\n"
    );
    assert!(doc.len() > 270_000);
    std::fs::write(repo.join(PATCH), doc).expect("write");
    let (code, json) = check_json(repo, &["sys"]);
    assert_eq!(code, 1);
    assert_eq!(severity_of(&json, "limit-exceeded"), ["error"]);
    // The same over the size limit, where it does not even close within the limit.
    let comments = "# c\n".repeat(80_000);
    let doc = format!("---\npractice: patch-management\n{comments}---\n# P\n");
    std::fs::write(repo.join(PATCH), doc).expect("write");
    std::fs::write(
        repo.join(".smm-lint.yaml"),
        "limits:\n  max_file_bytes: 1000\n",
    )
    .expect("write");
    let (code, json) = check_json(repo, &["sys"]);
    assert_eq!(code, 1);
    assert_eq!(severity_of(&json, "limit-exceeded"), ["error"]);
}

/// Markdown files without our front matter, sorted before the profile, do not use up
/// `limits.max_documents` (scaled down: 3,000 files against a limit of 2); a limit that is
/// reached is an error.
#[test]
fn plain_markdown_files_do_not_use_up_the_document_limit() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    mk(repo);
    std::fs::create_dir_all(repo.join("sys/aaa")).expect("mkdir");
    for i in 0..3_000 {
        std::fs::write(repo.join(format!("sys/aaa/e{i:05}.md")), "").expect("write");
    }
    let bad = PRACTICE.replace("patching.md#monthly-window", "gone.md");
    std::fs::write(repo.join(PATCH), bad).expect("write");
    std::fs::write(repo.join(".smm-lint.yaml"), "limits:\n  max_documents: 2\n").expect("write");
    let (code, json) = check_json(repo, &["sys"]);
    assert_eq!(code, 1, "the error in the practice is found");
    assert_eq!(json["summary"]["documents"], 2);
    assert!(rules(&json).contains(&"evidence-not-found".to_owned()));
    assert!(!rules(&json).contains(&"limit-exceeded".to_owned()));

    std::fs::write(repo.join(PATCH), PRACTICE).expect("write");
    std::fs::write(repo.join(".smm-lint.yaml"), "limits:\n  max_documents: 1\n").expect("write");
    let (code, json) = check_json(repo, &["sys"]);
    assert_eq!(code, 1, "{:?}", findings(&json));
    assert_eq!(severity_of(&json, "limit-exceeded"), ["error"]);
    assert!(findings(&json).contains(&"limit-exceeded sys/profile.md:1".to_owned()));
}

/// A directory the walk cannot enter is an error: here one past PATH_MAX (22 components of
/// 199 characters), made from inside with relative paths.
#[test]
fn a_directory_the_walk_cannot_enter_is_an_error() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    mk(repo);
    let component = "e".repeat(199);
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "cd -P sys && for i in $(seq 22); do mkdir {component} && cd -P {component}; done && printf -- '---\\npractice: access-control\\ncurrent: 9/general\\n---\\n' > access-control.md"
        ))
        .current_dir(repo)
        .status()
        .expect("bash");
    assert!(status.success());
    let (code, json) = check_json(repo, &["sys"]);
    assert_eq!(code, 1, "{:?}", findings(&json));
    assert!(severity_of(&json, "limit-exceeded").contains(&"error"));
}

/// A directory PATH that holds no profile or practice document is exit 2 (a mistyped CI path
/// must not pass); a file PATH outside every profile tree is fine (the pre-commit case).
#[test]
fn a_directory_without_documents_is_refused_but_a_plain_file_is_not() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    mk(repo);
    write_tree(repo, &[("docs/guide.md", "# Guide\n"), ("empty/.keep", "")]);
    for dir in ["docs", "empty"] {
        let out = run(repo, &["check", dir]);
        assert_eq!(code(&out), 2, "{dir}");
        assert!(
            message(&out).contains("holds no profile or practice document"),
            "{}",
            stderr(&out)
        );
    }
    // A directory inside a profile tree leads up to the profile.
    let (code, _) = check_json(repo, &["sys/evidence"]);
    assert_eq!(code, 0);
    let (code, json) = check_json(repo, &["docs/guide.md"]);
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["documents"], 0);
}

// ---------------------------------------------------------------------------------------------
// Argument hygiene.

/// What pre-commit runs for a staged file named `--output=README.md`: with `--` it is a path,
/// and nothing is written.
#[test]
fn a_file_named_like_an_option_after_double_dash_is_a_path() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    mk(repo);
    std::fs::write(repo.join("README.md"), "# Project README\n").expect("write");
    std::fs::write(repo.join("--output=README.md"), "# x\n").expect("write");
    let out = run(
        repo,
        &[
            "check",
            "--today",
            TODAY,
            "--",
            "--output=README.md",
            "README.md",
            "sys/profile.md",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(repo.join("README.md")).expect("read"),
        "# Project README\n"
    );
    assert!(stdout(&out).contains("No problems found in 2 documents"));
}

/// The files hook ends its entry with `--`, so pre-commit's file names come after it.
#[test]
fn the_pre_commit_hook_ends_its_options_before_the_file_names() {
    let hooks = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).expect("read");
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry:"))
        .map(str::trim)
        .collect();
    assert_eq!(
        entries,
        ["smm-lint check --", "smm-lint check", "smm-lint check --"],
        "{hooks}"
    );
    let action = std::fs::read_to_string(repo().join("scripts/action-check")).expect("read");
    assert!(action.contains("\"$@\" -- \"$path\""), "{action}");
}

/// The action's script passes its path after `--`: a directory named like an option is read
/// as the path, and no file is written.
#[test]
fn the_action_script_passes_its_path_as_a_path() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path().join("repo");
    mk(&repo);
    std::fs::rename(repo.join("sys"), repo.join("--output=README.md")).expect("rename");
    std::fs::write(repo.join("README.md"), "# Project README\n").expect("write");
    let out = std::process::Command::new("bash")
        .arg(crate::common::repo().join("scripts/action-check"))
        .current_dir(&repo)
        .env("SMM_LINT", env!("CARGO_BIN_EXE_smm-lint"))
        .env("INPUT_PATH", "--output=README.md")
        .env("INPUT_ARGS", format!("--today {TODAY}"))
        .env("INPUT_SUMMARY", "false")
        .env("RUNNER_TEMP", tmp.path())
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_EVENT_NAME")
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("No problems found in 2 documents"), "{text}");
    assert_eq!(
        std::fs::read_to_string(repo.join("README.md")).expect("read"),
        "# Project README\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Bounded work: the pre-commit case.

/// 2,000 plain Markdown PATHs outside every profile tree: one walk of the repository, each head
/// read once (it used to take 180 s in a release build). A practice citing one of them still
/// brings its profile in.
#[test]
fn two_thousand_plain_markdown_paths_are_checked_with_one_walk() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    mk(repo);
    std::fs::create_dir_all(repo.join("notes")).expect("mkdir");
    let body = format!("# note\n{}", "text ".repeat(200));
    let mut names = Vec::new();
    for i in 0..2_000 {
        let name = format!("notes/n{i:05}.md");
        std::fs::write(repo.join(&name), &body).expect("write");
        names.push(name);
    }
    let mut args: Vec<&str> = vec!["check", "--format", "json", "--today", TODAY, "--"];
    args.extend(names.iter().map(String::as_str));
    let started = Instant::now();
    let out = run(repo, &args);
    let elapsed = started.elapsed();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let ceiling = if cfg!(debug_assertions) { 30 } else { 5 };
    assert!(
        elapsed < Duration::from_secs(ceiling),
        "2,000 paths took {elapsed:?}"
    );
    eprintln!("2,000 plain Markdown paths: {elapsed:?}");

    // Cite one of them from the practice: its profile is checked.
    let citing = PRACTICE.replace(
        "---\n# Patch",
        "  - path: ../../notes/n01234.md\n    kind: record\n---\n# Patch",
    );
    std::fs::write(repo.join(PATCH), citing).expect("write");
    let out = run(repo, &args);
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(json["summary"]["profiles"], 1, "{}", stdout(&out));
}
