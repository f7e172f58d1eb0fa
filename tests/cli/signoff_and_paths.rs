//! The sign-off's meaning and dates, the HTML report's handling of invisible characters, and the
//! repository boundary of `describe --catalogue` and of catalogue, mapping and evidence paths.

use crate::common::*;
use std::path::Path;

fn git(dir: &Path, args: &[&str]) {
    git_in(dir, None, args);
}

fn rules_of(json: &serde_json::Value) -> Vec<String> {
    diagnostics(json)
        .iter()
        .map(|d| d["rule"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The minimal tree as a git repository.
fn repo_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    git(dir.path(), &["init", "-q"]);
    dir
}

#[test]
fn approve_refuses_a_date_after_today_and_writes_nothing() {
    let dir = repo_tree();
    let before = std::fs::read_to_string(dir.path().join("profile.md")).expect("read");
    let out = run(
        dir.path(),
        &[
            "approve",
            "--today",
            TODAY,
            "--by",
            "Dana Reyes",
            "--date",
            "2099-12-31",
            ".",
        ],
    );
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("after today"), "{}", stderr(&out));
    let after = std::fs::read_to_string(dir.path().join("profile.md")).expect("read");
    assert_eq!(before, after);
    // The day itself is fine.
    let out = run(
        dir.path(),
        &[
            "approve",
            "--today",
            TODAY,
            "--by",
            "Dana Reyes",
            "--date",
            TODAY,
            ".",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn a_future_approval_date_is_a_date_in_future_at_its_span() {
    let dir = repo_tree();
    let out = run(
        dir.path(),
        &[
            "approve",
            "--today",
            "2099-12-31",
            "--by",
            "Dana Reyes",
            "--date",
            "2099-12-31",
            ".",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let (status, json) = check_json(dir.path(), &[]);
    assert_eq!(status, 1, "{json}");
    let found: Vec<_> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "date-in-future")
        .collect();
    assert_eq!(found.len(), 1, "{json}");
    let message = found[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`approved.date` is 2099-12-31"),
        "{message}"
    );
    let text = std::fs::read_to_string(dir.path().join("profile.md")).expect("read");
    let line = text
        .lines()
        .position(|l| l.contains("date: 2099-12-31"))
        .expect("the written date")
        + 1;
    assert_eq!(found[0]["line"].as_u64(), Some(line as u64), "{json}");
}

/// The minimal tree with `system:` and a selected mapping whose note and requirement title hold
/// an escape sequence, a bell and bidirectional overrides.
fn tree_with_invisible_text() -> tempfile::TempDir {
    let dir = repo_tree();
    let d = dir.path();
    edit(
        d,
        "profile.md",
        "system: Demo gateway\n",
        "system: \"Demo\\u202e gateway\\u2066\"\nmappings: [mappings/x.yaml]\n",
    );
    write_tree(
        d,
        &[(
            "mappings/x.yaml",
            "framework: EXAMPLE\nversion: \"1\"\ntitle: Example\nnote: \"N\\u202e <b>b</b> \\u001b[31mRED\"\nrequirements:\n  - id: PAT-01\n    title: \"x\\u001b]8;;http://e.vil\\u0007link\\u202d\"\nentries:\n  - practice: patch-management\n    level: 1\n    requirement: PAT-01\n",
        )],
    );
    dir
}

#[test]
fn the_html_report_shows_control_and_bidi_characters_as_visible_escapes() {
    let dir = tree_with_invisible_text();
    let out = run(
        dir.path(),
        &["report", ".", "--today", TODAY, "--format", "html"],
    );
    let html = stdout(&out);
    assert!(html.contains("<html"), "{}{html}", stderr(&out));
    for raw in ['\u{1b}', '\u{7}', '\u{202e}', '\u{202d}', '\u{2066}'] {
        assert!(!html.contains(raw), "{raw:?} raw in the HTML report");
    }
    for shown in [
        "N\\u{202e} &lt;b&gt;b&lt;/b&gt; \\u{1b}[31mRED",
        "x\\u{1b}]8;;http://e.vil\\u{7}link\\u{202d}",
        "Demo\\u{202e} gateway\\u{2066}",
    ] {
        assert!(html.contains(shown), "{shown} not in the HTML report");
    }
}

/// The minimal tree as a committed git repository, its targets approved.
fn approved_repo() -> tempfile::TempDir {
    let dir = repo_tree();
    let d = dir.path();
    let out = run(
        d,
        &[
            "approve",
            "--today",
            TODAY,
            "--by",
            "Dana Reyes",
            "--date",
            "2026-09-30",
            ".",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "approved"]);
    dir
}

fn stale_messages(dir: &Path) -> Vec<String> {
    let (_, json) = check_json(dir, &[]);
    diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "approval-stale")
        .map(|d| d["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn changing_the_industry_makes_the_approval_stale_and_says_so() {
    let dir = approved_repo();
    let d = dir.path();
    assert_eq!(stale_messages(d), Vec::<String>::new());
    // Rewording the free description keeps the sign-off.
    edit(
        d,
        "profile.md",
        "system: Demo gateway\n",
        "system: The demo gateway\n",
    );
    assert_eq!(stale_messages(d), Vec::<String>::new());
    edit(d, "profile.md", "industry: energy\n", "industry: water\n");
    let found = stale_messages(d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with(": `industry`: energy → water"),
        "{found:?}"
    );
}

#[test]
fn changing_the_model_makes_the_approval_stale_and_says_so() {
    let dir = approved_repo();
    let d = dir.path();
    write_tree(d, &[("ext.yaml", EXTENSION)]);
    edit(
        d,
        "profile.md",
        "industry: energy\n",
        "industry: energy\nmodel: ext.yaml\n",
    );
    let found = stale_messages(d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with(": `model`: iic-smm → ext.yaml"),
        "{found:?}"
    );
}

/// The configuration the README gives for a pull request gate makes a stale approval fail
/// `check`, where by default it is a warning.
#[test]
fn approval_stale_as_an_error_fails_the_check() {
    let dir = approved_repo();
    let d = dir.path();
    edit(
        d,
        "profile.md",
        "patch-management: 1/general\n",
        "patch-management: 0/general\n",
    );
    let (status, json) = check_json(d, &[]);
    assert_eq!(status, 0, "a warning by default: {json}");
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    let snippet = "# .smm-lint.yaml\nrules:\n  approval-stale: error\n";
    assert!(
        readme.contains(snippet),
        "the README gives the configuration"
    );
    write_tree(d, &[(".smm-lint.yaml", snippet)]);
    let (status, json) = check_json(d, &[]);
    assert_eq!(status, 1, "{json}");
    let stale: Vec<_> = diagnostics(&json)
        .iter()
        .filter(|x| x["rule"] == "approval-stale")
        .collect();
    assert_eq!(stale.len(), 1, "{json}");
    assert_eq!(stale[0]["severity"], "error", "{json}");
}

/// A profile document that is a symbolic link out of the repository is neither read nor
/// written: refused as PATH (exit 2), not a profile of the tree when walking (exit 1).
#[test]
fn a_profile_linked_out_of_the_repository_is_refused_as_the_readme_says() {
    let outside = tempfile::tempdir().expect("temp dir");
    minimal_tree(outside.path());
    let target = outside.path().join("profile.md");
    let before = std::fs::read_to_string(&target).expect("read");
    let dir = repo_tree();
    let d = dir.path();
    std::fs::remove_file(d.join("profile.md")).expect("remove");
    std::os::unix::fs::symlink(&target, d.join("profile.md")).expect("link");
    let args = ["approve", "--today", TODAY, "--by", "Dana Reyes"];
    let out = run(d, &[&args[..], &["profile.md"]].concat());
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("it is a symbolic link that leads out of the repository"),
        "{}",
        stderr(&out)
    );
    let out = run(d, &[&args[..], &["."]].concat());
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("no profile document found"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&target).expect("read"), before);
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    assert!(
        readme.contains("a symbolic link leading out of the repository is never read or written"),
        "the README says what happens"
    );
}

const EXTENSION: &str = "id: ext\nextends: iic-smm\n";

#[test]
fn describe_reads_no_catalogue_outside_the_repository() {
    let outside = tempfile::tempdir().expect("temp dir");
    // Not a catalogue: were it read, the error would be about its content.
    write_tree(outside.path(), &[("cat.yaml", "id: [unclosed\n")]);
    let dir = repo_tree();
    let d = dir.path();
    std::fs::create_dir_all(d.join("models")).expect("mkdir");
    std::os::unix::fs::symlink(outside.path().join("cat.yaml"), d.join("models/l.yaml"))
        .expect("link");
    std::os::unix::fs::symlink(outside.path(), d.join("out")).expect("link");
    let direct = outside.path().join("cat.yaml");
    let cases: [(&str, &str); 3] = [
        (
            "models/l.yaml",
            "it is a symbolic link that leads out of the repository",
        ),
        (
            "out/cat.yaml",
            "it passes through out, a symbolic link that leads out of the repository",
        ),
        (
            direct.to_str().expect("utf-8"),
            "it is outside the repository",
        ),
    ];
    for (file, why) in cases {
        let out = run(
            d,
            &["describe", "patch-management", "1", "--catalogue", file],
        );
        assert_eq!(code(&out), 2, "{file}: {}{}", stdout(&out), stderr(&out));
        assert!(stdout(&out).is_empty(), "{file}: {}", stdout(&out));
        assert!(stderr(&out).contains(why), "{file}: {}", stderr(&out));
    }
}

#[test]
fn describe_reads_a_catalogue_through_a_link_inside_the_repository() {
    let dir = repo_tree();
    let d = dir.path();
    write_tree(d, &[("models/ext.yaml", EXTENSION)]);
    std::os::unix::fs::symlink("ext.yaml", d.join("models/l.yaml")).expect("link");
    for file in ["models/ext.yaml", "models/l.yaml"] {
        let out = run(
            d,
            &["describe", "patch-management", "1", "--catalogue", file],
        );
        assert_eq!(code(&out), 0, "{file}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("patch-management"),
            "{}",
            stdout(&out)
        );
    }
}

/// A repository with one commit, so that `.git` holds a reflog naming its author.
fn committed_repo() -> tempfile::TempDir {
    let dir = repo_tree();
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "x"]);
    dir
}

/// Every line of a human and a JSON check: no line of git's files may be quoted in either.
fn check_everything(d: &Path) -> (serde_json::Value, String) {
    let (_, json) = check_json(d, &[]);
    let human = run(d, &["check", "--today", TODAY, "."]);
    (json, format!("{}{}", stdout(&human), stderr(&human)))
}

fn assert_no_git_metadata_shown(json: &serde_json::Value, human: &str) {
    for shown in [
        "t@example.com",
        "repositoryformatversion",
        "[core]",
        "refs/heads",
    ] {
        assert!(!human.contains(shown), "{shown} shown:\n{human}");
        assert!(!json.to_string().contains(shown), "{shown} in JSON: {json}");
    }
    assert!(!human.contains("╭─[.git"), "{human}");
}

#[test]
fn mappings_and_the_model_are_never_read_from_git_metadata() {
    let dir = committed_repo();
    let d = dir.path();
    std::os::unix::fs::symlink(".git/config", d.join("linked.yaml")).expect("link");
    edit(
        d,
        "profile.md",
        "industry: energy\n",
        "industry: energy\nmappings: [.git/logs/HEAD, ./.git/config, sub/../.GIT/config, linked.yaml]\n",
    );
    let (json, human) = check_everything(d);
    assert_no_git_metadata_shown(&json, &human);
    let refused = diagnostics(&json)
        .iter()
        .filter(|x| {
            x["message"]
                .as_str()
                .unwrap_or_default()
                .contains("does not exist inside the repository")
        })
        .count();
    assert_eq!(refused, 4, "{json}");

    for model in [".git/config", "linked.yaml", ".git/logs/HEAD"] {
        let dir = committed_repo();
        let d = dir.path();
        std::os::unix::fs::symlink(".git/config", d.join("linked.yaml")).expect("link");
        edit(
            d,
            "profile.md",
            "industry: energy\n",
            &format!("industry: energy\nmodel: {model}\n"),
        );
        let (json, human) = check_everything(d);
        assert_no_git_metadata_shown(&json, &human);
        assert!(
            diagnostics(&json)
                .iter()
                .all(|x| x["path"].as_str().is_some_and(|f| !f.contains(".git"))),
            "{model}: {json}"
        );
    }
}

#[test]
fn an_evidence_path_into_git_metadata_is_outside_the_repository() {
    let dir = committed_repo();
    let d = dir.path();
    std::os::unix::fs::symlink("../.git/config", d.join("evidence/linked.md")).expect("link");
    for path in ["../.git/config", "linked.md"] {
        edit(
            d,
            "hardening/patch-management.md",
            "path: ../evidence/patching.md#monthly-window",
            &format!("path: ../evidence/{path}"),
        );
        let (_, json) = check_json(d, &[]);
        assert!(
            rules_of(&json).contains(&"evidence-outside-repo".to_owned()),
            "{path}: {json}"
        );
        edit(
            d,
            "hardening/patch-management.md",
            &format!("path: ../evidence/{path}"),
            "path: ../evidence/patching.md#monthly-window",
        );
    }
}
