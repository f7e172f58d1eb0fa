//! `smm-lint approve` and the sign-off it writes: the `approved:` schema, the canonical form of
//! the targets, `approval-stale` with the changed targets found in the profile's git history,
//! and the report's header.

use crate::common::*;
use std::path::Path;

const APPROVER: &str = "Plant manager";
const APPROVED_ON: &str = "2026-09-30";

fn git(dir: &Path, args: &[&str]) -> String {
    git_in(dir, None, args)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).expect("read")
}

/// The bottling-line example with one more target written by its canonical id, committed.
fn repo_with_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    copy_tree(&repo().join("fixtures/bottling-line"), d);
    edit(
        d,
        "profile.md",
        "  enablement: 2/general\n",
        "  enablement: 2/general\n  asset-management: 2/general\n",
    );
    git(d, &["init", "-q"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "targets set"]);
    dir
}

fn approve(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["approve", "--today", TODAY];
    args.extend_from_slice(extra);
    run(dir, &args)
}

/// The `approval-stale` findings as (line, message).
fn stale(dir: &Path) -> Vec<(u64, String)> {
    let (_, json) = check_json(dir, &[]);
    diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "approval-stale")
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn line_of(text: &str, needle: &str) -> u64 {
    let at = text.find(needle).expect("present");
    text[..at].matches('\n').count() as u64 + 1
}

/// The report's view of the first profile's approval.
fn report_approval(dir: &Path) -> serde_json::Value {
    let out = run(dir, &["report", "--format", "json", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    json["profiles"][0]["approval"].clone()
}

#[test]
fn a_target_lowered_after_the_approval_is_stale_at_the_approved_line_with_the_change() {
    let dir = repo_with_example();
    let d = dir.path();
    let out = approve(d, &["--by", APPROVER, "--date", APPROVED_ON]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("profile.md: approved by Plant manager on 2026-09-30"));
    git(d, &["commit", "-qam", "targets approved"]);
    assert_eq!(stale(d), []);
    assert_eq!(report_approval(d)["state"], "current");

    // Reordered, requoted, and an id written by its alias: the same targets.
    edit(
        d,
        "profile.md",
        "  governance: 2+/industry\n  threat-modeling-and-risk-assessment: 3/industry\n  enablement: 2/general\n  asset-management: 2/general\n",
        "  enablement: \"2/general\"\n  asset-protection: 2 / general\n  threat-modeling-and-risk-assessment: 3/industry\n  governance: '2+/industry'\n",
    );
    git(d, &["commit", "-qam", "targets reordered"]);
    assert_eq!(stale(d), []);

    // Evidence and levels move on without touching the targets.
    edit(
        d,
        "hardening/patch-management.md",
        "current: 2/industry",
        "current: 1/industry",
    );
    git(d, &["commit", "-qam", "level lowered"]);
    assert_eq!(stale(d), []);

    // A target lowered (to a broader scope) without a new sign-off.
    edit(
        d,
        "profile.md",
        "patch-management: 2/industry",
        "patch-management: 2/general",
    );
    git(d, &["commit", "-qam", "target lowered"]);
    let status_before = git(d, &["status", "--porcelain"]);
    let bytes_before = read(d, "profile.md");
    let found = stale(d);
    let text = read(d, "profile.md");
    assert_eq!(found.len(), 1, "{found:?}");
    let (line, message) = &found[0];
    assert_eq!(*line, line_of(&text, "approved:"));
    assert!(
        message.contains("approved by \"Plant manager\" on 2026-09-30"),
        "{message}"
    );
    assert!(
        message.ends_with(": patch-management: 2/industry → 2/general"),
        "{message}"
    );
    // `check` wrote nothing: the work tree and the index are as they were.
    assert_eq!(git(d, &["status", "--porcelain"]), status_before);
    assert_eq!(read(d, "profile.md"), bytes_before);

    let approval = report_approval(d);
    assert_eq!(approval["state"], "stale");
    assert_eq!(approval["by"], APPROVER);
    assert_eq!(
        approval["changes"],
        serde_json::json!([{"id": "patch-management", "approved": "2/industry", "now": "2/general"}])
    );
    let md = stdout(&run(d, &["report", "--today", TODAY]));
    assert!(
        md.contains("| Targets approved | stale (approved by Plant manager on 2026-09-30); changed since\\: patch-management\\: 2/industry → 2/general |"),
        "{md}"
    );

    // Approved again: current, and only the approval changed.
    let out = approve(d, &["--by", "Plant manager", "--date", "2026-11-20"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stale(d), []);
    let diff = git(d, &["diff", "--numstat"]);
    assert_eq!(diff.trim(), "2\t2\tprofile.md", "{diff}");
}

#[test]
fn added_and_removed_targets_are_listed_and_an_untracked_profile_says_why_it_cannot_list() {
    let dir = repo_with_example();
    let d = dir.path();
    assert_eq!(code(&approve(d, &["--by", APPROVER])), 0);
    git(d, &["commit", "-qam", "approved"]);
    edit(
        d,
        "profile.md",
        "  asset-management: 2/general\n",
        "  data-protection: 1/general\n",
    );
    let found = stale(d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.ends_with(
            ": asset-management: removed, was 2/general; data-protection: added, 1/general"
        ),
        "{found:?}"
    );

    // The same tree outside git: the finding stays, the list cannot be made.
    let plain = tempfile::tempdir().expect("temp dir");
    copy_tree(d, plain.path());
    std::fs::remove_dir_all(plain.path().join(".git")).expect("remove .git");
    let found = stale(plain.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.ends_with(
            "the changed targets cannot be listed: the profile is not in a git repository"
        ),
        "{found:?}"
    );

    // Approved but never committed, then changed: not in the history.
    let fresh = repo_with_example();
    let f = fresh.path();
    edit(
        f,
        "profile.md",
        "patch-management: 2/industry",
        "patch-management: 2/general",
    );
    assert_eq!(code(&approve(f, &["--by", APPROVER])), 0);
    edit(
        f,
        "profile.md",
        "patch-management: 2/general",
        "patch-management: 3/industry",
    );
    let found = stale(f);
    assert!(
        found[0].1.ends_with(
            "cannot be listed: no committed version of the profile has the approved targets"
        ),
        "{found:?}"
    );
}

#[test]
fn approve_writes_only_the_approved_mapping_and_keeps_the_mode() {
    let dir = repo_with_example();
    let d = dir.path();
    let path = d.join("profile.md");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let before = read(d, "profile.md");
    let out = approve(d, &["--by", "a: b # c", "--date", APPROVED_ON]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let after = read(d, "profile.md");
    let fence = before[4..].find("\n---\n").expect("closing fence") + 5;
    let (head, tail) = before.split_at(fence);
    assert!(after.starts_with(head) && after.ends_with(tail), "{after}");
    let added = &after[head.len()..after.len() - tail.len()];
    let hash = added
        .split("targets: \"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .expect("a hash");
    assert_eq!(
        added,
        format!("approved:\n  by: \"a: b # c\"\n  date: 2026-09-30\n  targets: \"{hash}\"\n")
    );
    assert!(hash.starts_with("sha256:") && hash.len() == 71, "{hash}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    assert_eq!(report_approval(d)["by"], "a: b # c");

    // Replaced where it stands: a comment before the next key stays, and so does the key.
    let with_more = after.replacen("\n---\n", "\n# the waivers follow\nwaivers: []\n---\n", 1);
    std::fs::write(&path, &with_more).expect("write");
    let out = approve(d, &["--by", "\"x\"", "--date", "2026-10-01"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let again = read(d, "profile.md");
    assert_eq!(
        again,
        with_more
            .replace("by: \"a: b # c\"", "by: \"\\\"x\\\"\"")
            .replace("date: 2026-09-30", "date: 2026-10-01")
    );
    assert_eq!(report_approval(d)["by"], "\"x\"");

    // The same approval again writes nothing.
    let out = approve(d, &["--by", "\"x\"", "--date", "2026-10-01"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("already approved"),
        "{}",
        stdout(&out)
    );
    assert_eq!(read(d, "profile.md"), again);
}

#[test]
fn approve_keeps_crlf_line_endings_and_a_byte_order_mark() {
    let dir = repo_with_example();
    let d = dir.path();
    let crlf = format!("\u{feff}{}", read(d, "profile.md").replace('\n', "\r\n"));
    std::fs::write(d.join("profile.md"), &crlf).expect("write");
    let out = approve(d, &["--by", APPROVER, "--date", APPROVED_ON]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let after = read(d, "profile.md");
    assert!(after.starts_with('\u{feff}'));
    assert!(after.contains("approved:\r\n  by: Plant manager\r\n  date: 2026-09-30\r\n"));
    assert!(!after.replace("\r\n", "").contains('\n'));
    assert_eq!(stale(d), []);
    assert_eq!(report_approval(d)["state"], "current");
}

#[test]
fn hostile_names_round_trip_and_bad_names_or_dates_are_refused_without_writing() {
    let dir = repo_with_example();
    let d = dir.path();
    for name in [
        "a: b # c",
        "\"x\"",
        "'single'",
        "- item",
        "{x: y}",
        "[1, 2]",
        "&anchor",
        "*alias",
        "!tag",
        "%YAML",
        "@at",
        "`tick`",
        "yes",
        "null",
        "2026",
        "0x1F",
        "~",
        "a\\b",
        "Zoë 山田 (CISO)",
        "#hash",
        "x: |",
        "...",
        "---",
    ] {
        let out = approve(d, &[&format!("--by={name}")]);
        assert_eq!(code(&out), 0, "{name:?}: {}{}", stdout(&out), stderr(&out));
        let approval = report_approval(d);
        assert_eq!(approval["by"], name, "{name:?}");
        assert_eq!(approval["state"], "current", "{name:?}");
    }
    let before = read(d, "profile.md");
    let long = "x".repeat(201);
    for name in [
        "",
        " ",
        "a\nb",
        "a\rb",
        "\u{1b}[31mred",
        "left\u{202e}right",
        " lead",
        "tail ",
        long.as_str(),
    ] {
        let out = approve(d, &[&format!("--by={name}")]);
        assert_eq!(code(&out), 2, "{name:?}: {}", stdout(&out));
        assert!(stderr(&out).contains("--by:"), "{name:?}: {}", stderr(&out));
        assert_eq!(read(d, "profile.md"), before, "{name:?}");
    }
    for date in [
        "2026-02-30",
        "2026-13-01",
        "yesterday",
        "2026-1-1",
        "",
        "2026-09-30\n",
    ] {
        let out = approve(d, &["--by", APPROVER, &format!("--date={date}")]);
        assert_eq!(code(&out), 2, "{date:?}: {}", stdout(&out));
        assert_eq!(read(d, "profile.md"), before, "{date:?}");
    }
}

#[test]
fn a_profile_whose_targets_have_errors_is_not_approved() {
    let dir = repo_with_example();
    let d = dir.path();
    let original = read(d, "profile.md");
    edit(
        d,
        "profile.md",
        "  enablement: 2/general\n",
        "  enablement: 2/general\n  no-such-practice: 1/general\n  data-protection: 2/nowhere\n",
    );
    let before = read(d, "profile.md");
    let out = approve(d, &["--by", APPROVER]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("profile.md: not approved: its targets have errors: `no-such-practice` is not an id of the catalogue; the target of `data-protection` is not a valid level"), "{text}");
    assert!(
        text.contains("Approved the targets of 0 profiles."),
        "{text}"
    );
    assert_eq!(read(d, "profile.md"), before);
    // Targets that read but break the rules about targets (a child below its parent).
    std::fs::write(d.join("profile.md"), &original).expect("write");
    edit(
        d,
        "profile.md",
        "patch-management: 2/industry",
        "patch-management: 1/industry",
    );
    let out = approve(d, &["--by", APPROVER]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("profile.md: not approved: its targets have errors: line 13: "),
        "{}",
        stdout(&out)
    );
    assert!(!read(d, "profile.md").contains("approved:"));
    // A profile whose front matter does not parse is refused too, not an error of the run.
    std::fs::write(d.join("profile.md"), "---\nprofile: [\n---\n").expect("write");
    let out = approve(d, &["--by", APPROVER]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("not approved: its front matter does not read"));
}

#[cfg(unix)]
#[test]
fn a_profile_reached_through_a_link_out_of_the_repository_is_not_written() {
    let outside = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("fixtures/bottling-line"), outside.path());
    let before = read(outside.path(), "profile.md");
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::os::unix::fs::symlink(outside.path(), d.join("line")).expect("link");
    let out = approve(d, &["--by", APPROVER, "line"]);
    assert_ne!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(read(outside.path(), "profile.md"), before);

    // The profile file itself a link out of the repository.
    let inside = tempfile::tempdir().expect("temp dir");
    let i = inside.path();
    copy_tree(&repo().join("fixtures/bottling-line"), i);
    git(i, &["init", "-q"]);
    std::fs::remove_file(i.join("profile.md")).expect("remove");
    std::os::unix::fs::symlink(outside.path().join("profile.md"), i.join("profile.md"))
        .expect("link");
    let out = approve(i, &["--by", APPROVER]);
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("nothing was approved"),
        "{}",
        stdout(&out)
    );
    assert_eq!(read(outside.path(), "profile.md"), before);
}

#[test]
fn the_approved_mapping_is_checked_by_the_schema_at_the_exact_line() {
    let dir = repo_with_example();
    let d = dir.path();
    let good = format!("sha256:{}", "a".repeat(64));
    let cases: Vec<(String, &str, &str)> = vec![
        (
            "approved: yes\n".into(),
            "front-matter-schema",
            "approved: yes",
        ),
        (
            "approved:\n  by: X\n  date: 2026-02-30\n  targets: \"GOOD\"\n".into(),
            "front-matter-schema",
            "date: 2026-02-30",
        ),
        (
            "approved:\n  by: X\n  date: 2026-02-03\n  targets: \"sha256:ABC\"\n".into(),
            "front-matter-schema",
            "targets: \"sha256:ABC\"",
        ),
        (
            format!(
                "approved:\n  by: X\n  date: 2026-02-03\n  targets: \"sha256:{}\"\n",
                "A".repeat(64)
            ),
            "front-matter-schema",
            "targets: \"sha256:AAA",
        ),
        (
            "approved:\n  by: X\n  date: 2026-02-03\n  targets: \"GOOD\"\n  note: hi\n".into(),
            "unknown-key",
            "note: hi",
        ),
        (
            "approved:\n  by: [X]\n  date: 2026-02-03\n  targets: \"GOOD\"\n".into(),
            "front-matter-schema",
            "by: [X]",
        ),
        (
            "approved:\n  date: 2026-02-03\n  targets: \"GOOD\"\n".into(),
            "front-matter-schema",
            "date: 2026-02-03",
        ),
    ];
    let original = read(d, "profile.md");
    for (block, rule, at) in cases {
        let block = block.replace("GOOD", &good);
        let text = original.replacen("\n---\n", &format!("\n{block}---\n"), 1);
        std::fs::write(d.join("profile.md"), &text).expect("write");
        let (_, json) = check_json(d, &[]);
        let line = line_of(&text, at);
        let hits: Vec<&serde_json::Value> = diagnostics(&json)
            .iter()
            .filter(|x| x["rule"] == rule && x["path"] == "profile.md")
            .collect();
        assert!(
            hits.iter().any(|x| x["line"] == line),
            "{block:?}: want {rule} at line {line}, got {:?}",
            findings(&json)
        );
        // An approval that does not read is not also reported stale.
        assert!(
            rule == "unknown-key"
                || !findings(&json)
                    .iter()
                    .any(|f| f.starts_with("approval-stale")),
            "{block:?}"
        );
        // And `approve` replaces it.
        assert_eq!(code(&approve(d, &["--by", APPROVER])), 0, "{block:?}");
        assert_eq!(report_approval(d)["state"], "current", "{block:?}");
    }
}

#[test]
fn check_fix_never_touches_the_approval() {
    let dir = repo_with_example();
    let d = dir.path();
    edit(
        d,
        "profile.md",
        "  asset-management: 2/general\n",
        "  asset-protection: 2/general\n",
    );
    assert_eq!(
        code(&approve(d, &["--by", APPROVER, "--date", APPROVED_ON])),
        0
    );
    let approved = read(d, "profile.md");
    let block = &approved[approved.find("approved:").expect("approved")..];
    // The alias is rewritten to its id; the approval is left as it is, and still holds.
    let out = run(d, &["check", "--fix", "--today", TODAY]);
    assert!(!stderr(&out).contains("panicked"));
    let fixed = read(d, "profile.md");
    assert!(fixed.contains("  asset-management: 2/general\n"), "{fixed}");
    assert!(fixed.ends_with(block));
    assert_eq!(stale(d), []);
    // A misspelt `approved` key is reported, never renamed.
    let misspelt = fixed.replacen("approved:", "aproved:", 1);
    std::fs::write(d.join("profile.md"), &misspelt).expect("write");
    run(d, &["check", "--fix", "--today", TODAY]);
    assert_eq!(read(d, "profile.md"), misspelt);
}

#[test]
fn approval_missing_is_off_until_turned_on() {
    let dir = repo_with_example();
    let d = dir.path();
    let (_, json) = check_json(d, &[]);
    assert!(
        !findings(&json)
            .iter()
            .any(|f| f.starts_with("approval-missing"))
    );
    std::fs::write(
        d.join(".smm-lint.yaml"),
        "rules:\n  approval-missing: warning\n",
    )
    .expect("write");
    let (_, json) = check_json(d, &[]);
    assert!(
        findings(&json).contains(&"approval-missing profile.md:2".to_owned()),
        "{:?}",
        findings(&json)
    );
    assert_eq!(report_approval(d)["state"], "missing");
    let rules = stdout(&run(d, &["rules"]));
    assert!(
        rules
            .lines()
            .any(|l| l.starts_with("approval-missing") && l.contains(" off ")),
        "{rules}"
    );
}

/// The hash is recomputed here from the canonical form as the README describes it, with no
/// help from smm-lint.
#[test]
fn the_hash_is_the_sha256_of_the_documented_canonical_form() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    copy_tree(&repo().join("fixtures/bottling-line"), d);
    assert_eq!(code(&approve(d, &["--by", APPROVER])), 0);
    let canonical = "smm-lint targets v1\nmodel: iic-smm\nindustry: manufacturing\nenablement 2/general\ngovernance 2+/industry\nhardening 2/general+\npatch-management 2/industry\nthreat-modeling-and-risk-assessment 3/industry\n";
    let hex: String = Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        read(d, "profile.md").contains(&format!("  targets: \"sha256:{hex}\"\n")),
        "{}",
        read(d, "profile.md")
    );
}

/// `git fast-import` input: `count` commits of `profile.md`, the first holding `first`, each
/// later one `rest` with its number in the body.
fn history_stream(first: &str, rest: &str, count: usize) -> String {
    let mut stream = String::new();
    for i in 0..count {
        let text = if i == 0 {
            first.to_owned()
        } else {
            format!("{rest}\nrevision {i}\n")
        };
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter t <t@example.com> {} +0000\ndata 1\nx\n",
            1_700_000_000 + i
        ));
        stream.push_str(&format!(
            "M 100644 inline profile.md\ndata {}\n{text}\n",
            text.len()
        ));
    }
    stream
}

#[test]
fn the_look_back_stops_after_200_commits_of_the_profile() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    minimal_tree(d);
    assert_eq!(code(&approve(d, &["--by", APPROVER])), 0);
    let approved = read(d, "profile.md");
    let changed = approved.replace("patch-management: 1/general", "patch-management: 2/general");
    git(d, &["init", "-q", "-b", "main"]);
    let mut child = std::process::Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(d)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(history_stream(&approved, &changed, 201).as_bytes())
        .expect("stream");
    assert!(child.wait().expect("wait").success());
    git(d, &["reset", "-q", "--hard", "main"]);
    let found = stale(d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.ends_with("cannot be listed: no version among the 200 newest commits of the profile has the approved targets"),
        "{found:?}"
    );
    // One commit fewer: the approved version is the 200th newest, within reach again.
    git(d, &["reset", "-q", "--hard", "main~1"]);
    let found = stale(d);
    assert!(
        found[0]
            .1
            .ends_with(": patch-management: 1/general → 2/general"),
        "{found:?}"
    );
}

#[test]
fn a_git_that_fails_or_is_missing_is_a_reason_not_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    minimal_tree(d);
    assert_eq!(code(&approve(d, &["--by", APPROVER])), 0);
    edit(
        d,
        "profile.md",
        "patch-management: 1/general",
        "patch-management: 2/general",
    );
    // A `.git` that is no repository: the work tree root is found, git fails.
    std::fs::create_dir(d.join(".git")).expect("mkdir");
    let found = stale(d);
    assert!(
        found[0]
            .1
            .ends_with("cannot be listed: git could not read the profile's history"),
        "{found:?}"
    );
    // No git program at all.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_smm-lint"))
        .args(["check", "--format", "json", "--today", TODAY])
        .current_dir(d)
        .env("PATH", "")
        .output()
        .expect("runs");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("cannot be listed: the git program could not be run"),
        "{}",
        stdout(&out)
    );
}
