//! The attempts against smm-lint that held, kept as a test matrix so that each keeps holding.
//! Every test names what it checks and gives, in its doc comment, the row of the table of
//! attempts it reproduces. Outside paths are FIFOs where that proves a file was never opened:
//! opening one blocks, so the run hits its deadline and the test fails.
//!
//! The rows and their tests: 1 `evidence_paths_and_links_that_leave_the_repository_…`,
//! 2 `evidence_through_links_leading_out_…`, 5 `linked_documents_leading_out_…`,
//! 8 `a_catalogue_outside_the_repository_…`, 11 `exclude_globs_…`, 12 `base_refs_…`,
//! 17 `output_onto_a_symlink_…`, 18 `concurrent_fixes_…`, 21 `fix_and_pin_never_rewrite_…`,
//! 22 `pin_keeps_the_bom_…`, 25 `fix_replaces_quoted_…`, 27 `github_commands_…`,
//! 29 `documents_cannot_break_out_…`, 30 `the_action_script_…`, 31 `sarif_escapes_…`,
//! 32 `the_html_report_…`, 34 `csv_cells_…`, 37 `many_documents_…`, 40 `pathological_…`,
//! 47 `odd_dates_…` and `odd_todays_…`, 50 `online_checks_…` and `check_online_…`,
//! 52 `nothing_connects_without_online`.
//!
//! Rows guarded here only in part, because another test already holds the rest:
//! - row 1: `bad_input::evidence_paths_leaving_the_repository_are_never_read` (absolute and
//!   `../` paths); here also drive letters, UNC and backslash paths, percent-encoded links;
//! - row 2: `bad_input::symlink_loops_links_out_and_fifos_do_not_trap_or_leak` (a linked file);
//!   here also linked directories, anchors and FIFOs;
//! - row 27: `github::document_text_cannot_start_a_workflow_command` (YAML escapes, link
//!   targets); here also file and directory names, keys, U+2028, U+0085 and a literal `%0A`;
//! - row 31: `sarif::uris_are_percent_encoded` (space, `#`, non-ASCII); here `%`, `?`, `:`,
//!   non-UTF-8 names and JSON escaping;
//! - row 52: `audit::online_checks_urls_and_nothing_is_fetched_without_it` (`check`, `evidence`
//!   against a server); here every command, with body links too, at the socket level.
#![allow(clippy::print_stderr)] // timings, shown with --nocapture

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A run still going after this is killed: a hang (or a FIFO opened) fails the test.
const DEADLINE: Duration = Duration::from_secs(60);

const PROFILE: &str = "---\nprofile: sys\nsystem: Demo\nindustry: energy\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n# Profile\n";

const PRACTICE: &str = "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-02\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n---\n# Patch management\n";

const DOC: &str = "sys/hardening/patch-management.md";

/// The reproducers' `mk`: a git repository holding a clean profile `sys` with one practice at
/// 1/general and one evidence item.
fn mk(dir: &Path) {
    write_tree(
        dir,
        &[
            ("sys/profile.md", PROFILE),
            (DOC, PRACTICE),
            (
                "sys/evidence/patching.md",
                "# Patching\n## Monthly window\ntext\n",
            ),
        ],
    );
    git(dir, &["init", "-q"]);
}

/// A fresh repository from [`mk`] in its own temporary directory.
fn mk_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    mk(dir.path());
    dir
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// The practice document with its evidence list replaced by `evidence` and `body` after it.
fn practice(evidence: &str, body: &str) -> String {
    format!(
        "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-02\nevidence:\n{evidence}---\n# Patch management\n{body}"
    )
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo {}", path.display());
}

/// Runs `smm-lint ARGS` in `dir` with `env`, killed after [`DEADLINE`]. Output goes to files,
/// so a large report cannot fill a pipe and stall the run.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let out_dir = tempfile::tempdir().expect("temp dir for the output");
    let stdout_path = out_dir.path().join("stdout");
    let stderr_path = out_dir.path().join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_smm-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("the binary starts");
    let status = wait_with_deadline(&mut child, &format!("smm-lint {args:?}"));
    let read = |p: &Path| std::fs::read(p).expect("read the output");
    Output {
        status,
        stdout: read(&stdout_path),
        stderr: read(&stderr_path),
    }
}

fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    run_env(dir, args, &[])
}

fn wait_with_deadline(child: &mut std::process::Child, what: &str) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} hung: killed after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Exit 0 or 1 and no panic, whatever the command.
fn assert_ran(args: &[&str], out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked"),
        "smm-lint {args:?} panicked: {err}"
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "smm-lint {args:?} exited {:?}: {err}",
        out.status.code()
    );
}

/// `check sys --format json` (bounded): the exit code and the JSON.
fn check_sys(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "sys", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let out = run_bounded(dir, &args);
    assert_ran(&args, &out);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code(&out), json)
}

/// `rule line` of every diagnostic on `path`.
fn at(json: &Value, path: &str) -> Vec<String> {
    diagnostics(json)
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| format!("{} {}", d["rule"].as_str().unwrap_or("?"), d["line"]))
        .collect()
}

/// Every path under `root` (not following links), `.git` left out.
fn listing(root: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .map(|e| {
            e.expect("walk")
                .path()
                .strip_prefix(root)
                .expect("under the root")
                .to_path_buf()
        })
        .collect()
}

// --- the repository boundary --------------------------------------------------------------------

/// Row 1: evidence paths that are absolute, climb past the root with `../`, or name a drive
/// (`C:/x`), a share (`\\server\share`) or Windows separators (`..\..\`), and body links with
/// percent-encoded dots, are findings; the outside file (a FIFO) is never opened.
#[test]
fn evidence_paths_and_links_that_leave_the_repository_are_findings_and_never_opened() {
    let outside = tempfile::tempdir().expect("outside dir");
    let fifo = outside.path().join("secret.md");
    mkfifo(&fifo);
    let dir = mk_repo();
    let abs = fifo.to_str().expect("a UTF-8 temp path");
    let climb = format!("{}{}", "../".repeat(40), abs.trim_start_matches('/'));
    let encoded = climb.replace("..", "%2e%2e");
    let slashes = climb.replace('/', "%2f");
    let evidence: String = [
        format!("{abs}#key"),
        format!("{climb}#key"),
        "C:/x".to_owned(),
        "'\\\\server\\share'".to_owned(),
        "'..\\..\\..\\..\\etc\\passwd'".to_owned(),
    ]
    .iter()
    .map(|p| format!("  - path: {p}\n    kind: record\n"))
    .collect();
    let body = format!("[a]({encoded}#key)\n[b]({slashes})\n[c]({climb}#key)\n[d]({abs})\n");
    let doc = practice(
        &(evidence + "  - path: ../evidence/patching.md\n    kind: procedure\n"),
        &body,
    );
    std::fs::write(dir.path().join(DOC), doc).expect("write");
    let (code, json) = check_sys(dir.path(), &[]);
    // Lines 6 to 14: the five items; 20 to 23: the four links.
    assert_eq!(
        at(&json, DOC),
        [
            "evidence-outside-repo 6",
            "evidence-outside-repo 8",
            "evidence-outside-repo 10",
            "evidence-outside-repo 12",
            // On Unix a backslash is part of a file name: a file that does not exist.
            "evidence-not-found 14",
            "link-broken 20",
            "link-broken 21",
            "link-broken 22",
            "link-broken 23",
        ]
    );
    assert_eq!(code, 1);
}

/// Row 2: evidence and links through a linked file or a linked directory leading out, with
/// anchors into them, are `evidence-outside-repo`/`link-broken`; the outside files (one a
/// FIFO) are never opened.
#[test]
fn evidence_through_links_leading_out_is_reported_and_never_opened() {
    let outside = tempfile::tempdir().expect("outside dir");
    write_tree(outside.path(), &[("secret.md", "# Secret\n## Key\n")]);
    mkfifo(&outside.path().join("pipe.md"));
    let dir = mk_repo();
    let evidence_dir = dir.path().join("sys/evidence");
    symlink(
        outside.path().join("secret.md"),
        evidence_dir.join("link.md"),
    )
    .expect("link");
    symlink(outside.path(), evidence_dir.join("linkdir")).expect("dir link");
    symlink(outside.path().join("pipe.md"), evidence_dir.join("pipe.md")).expect("fifo link");
    let evidence: String = [
        "link.md#key",
        "linkdir/secret.md#key",
        "pipe.md#key",
        "linkdir/pipe.md",
    ]
    .iter()
    .map(|p| format!("  - path: ../evidence/{p}\n    kind: record\n"))
    .collect();
    let body = "[a](../evidence/link.md#key)\n[b](../evidence/linkdir/secret.md#key)\n[c](../evidence/linkdir/pipe.md#x)\n";
    let doc = practice(
        &(evidence + "  - path: ../evidence/patching.md\n    kind: procedure\n"),
        body,
    );
    std::fs::write(dir.path().join(DOC), doc).expect("write");
    let (code, json) = check_sys(dir.path(), &[]);
    assert_eq!(
        at(&json, DOC),
        [
            "evidence-outside-repo 6",
            "evidence-outside-repo 8",
            "evidence-outside-repo 10",
            "evidence-outside-repo 12",
            "link-broken 18",
            "link-broken 19",
            "link-broken 20",
        ]
    );
    assert_eq!(code, 1);
}

/// Row 5: a Markdown document that is a link leading out (to a document, to a FIFO, or inside
/// a linked directory) is skipped by the walk: nothing of it is read or reported.
#[test]
fn linked_documents_leading_out_are_skipped_by_the_walk() {
    let outside = tempfile::tempdir().expect("outside dir");
    let secret = "---\npractice: patch-managment\ncurrent: 4/general\nassessed: 2099-01-01\n---\n# Outside secret text\n";
    write_tree(outside.path(), &[("doc.md", secret)]);
    mkfifo(&outside.path().join("pipe.md"));
    let dir = mk_repo();
    let hardening = dir.path().join("sys/hardening");
    symlink(outside.path().join("doc.md"), hardening.join("evil.md")).expect("link");
    symlink(outside.path().join("pipe.md"), hardening.join("pipe.md")).expect("fifo link");
    symlink(outside.path(), dir.path().join("sys/linkdir")).expect("dir link");
    let (code, json) = check_sys(dir.path(), &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(json["summary"]["documents"], 2);
    assert_eq!(code, 0);
    let out = run_bounded(dir.path(), &["check", "sys", "--today", TODAY]);
    assert_ran(&["check"], &out);
    assert!(!stdout(&out).contains("Outside secret"), "{}", stdout(&out));
}

/// Row 8: a `model:` catalogue outside the repository (absolute, `../` past the root, a linked
/// file, a file in a linked directory) is `catalogue-invalid`; the file (a FIFO) is never read.
#[test]
fn a_catalogue_outside_the_repository_is_never_loaded() {
    let outside = tempfile::tempdir().expect("outside dir");
    let fifo = outside.path().join("cat.yaml");
    mkfifo(&fifo);
    let abs = fifo.to_str().expect("a UTF-8 temp path").to_owned();
    let climb = format!("{}{}", "../".repeat(40), abs.trim_start_matches('/'));
    for model in [
        abs.as_str(),
        climb.as_str(),
        "link.yaml",
        "linkdir/cat.yaml",
    ] {
        let dir = mk_repo();
        symlink(&fifo, dir.path().join("sys/link.yaml")).expect("link");
        symlink(outside.path(), dir.path().join("sys/linkdir")).expect("dir link");
        let profile = PROFILE.replace("profile: sys\n", &format!("profile: sys\nmodel: {model}\n"));
        std::fs::write(dir.path().join("sys/profile.md"), profile).expect("write");
        let (code, json) = check_sys(dir.path(), &[]);
        assert_eq!(
            findings(&json),
            ["catalogue-invalid sys/profile.md:3"],
            "{model}"
        );
        let message = diagnostics(&json)[0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(
            message.contains("does not exist inside the repository"),
            "{message}"
        );
        assert_eq!(code, 1);
    }
}

/// Row 11: `exclude` globs are matched relative to the configuration's directory only:
/// `../**`, `/**` and the repository's absolute path exclude nothing.
#[test]
fn exclude_globs_cannot_reach_past_the_configuration_directory() {
    let dir = mk_repo();
    let doc = dir.path().join(DOC);
    let text = std::fs::read_to_string(&doc).expect("read");
    std::fs::write(&doc, text.replace("#monthly-window", "#nope")).expect("write");
    let name = dir
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a name");
    let config = format!(
        "exclude:\n  - \"../**\"\n  - \"/**\"\n  - \"{}/**\"\n  - \"../{name}/**\"\n  - \"**/../**\"\n",
        dir.path().display()
    );
    std::fs::write(dir.path().join(".smm-lint.yaml"), config).expect("config");
    let (code, json) = check_sys(dir.path(), &[]);
    assert_eq!(
        findings(&json),
        [format!("evidence-anchor-not-found {DOC}:6")]
    );
    assert_eq!(code, 1);
    // The control: a glob relative to the configuration does exclude the document.
    std::fs::write(
        dir.path().join(".smm-lint.yaml"),
        format!("exclude:\n  - \"{DOC}\"\n"),
    )
    .expect("config");
    let (_, json) = check_sys(dir.path(), &[]);
    assert!(at(&json, DOC).is_empty(), "{:?}", findings(&json));
}

/// Row 12: a `--base` value that git would read as an option, a path or a second line is
/// refused (exit 2), and nothing is created.
#[test]
fn base_refs_that_look_like_options_are_refused_and_run_nothing() {
    let dir = mk_repo();
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "base"]);
    let marker = dir.path().join("PWNED");
    let m = marker.display();
    let before = listing(dir.path());
    let refs = [
        format!("--upload-pack=touch {m}"),
        format!("-c core.pager=touch {m}"),
        format!("--output={m}"),
        "HEAD:../..".to_owned(),
        "-".to_owned(),
        "--git-dir=/".to_owned(),
        format!("--exec-path={m}"),
        format!("HEAD\n--output={m}"),
        "--all".to_owned(),
    ];
    for base in &refs {
        let arg = format!("--base={base}");
        let out = run_bounded(dir.path(), &["check", "sys", "--today", TODAY, &arg]);
        assert_eq!(code(&out), 2, "{base:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("base ref"),
            "{base:?}: {}",
            stderr(&out)
        );
        assert!(!marker.exists(), "{base:?} created {m}");
    }
    assert_eq!(listing(dir.path()), before);
    let out = run_bounded(
        dir.path(),
        &["check", "sys", "--today", TODAY, "--base=HEAD"],
    );
    assert_eq!(code(&out), 0, "the control: {}", stderr(&out));
}

// --- writes -------------------------------------------------------------------------------------

/// Row 17: `--output` onto an existing symbolic link replaces the link with the output; the
/// link's target (outside the repository) is untouched. For `check`, `report` and `evidence`.
#[test]
fn output_onto_a_symlink_replaces_the_link_and_leaves_its_target_alone() {
    let outside = tempfile::tempdir().expect("outside dir");
    let dir = mk_repo();
    let runs: [&[&str]; 3] = [
        &["check", "sys", "--format", "sarif", "--output", "out.sarif"],
        &[
            "report",
            "sys",
            "--format",
            "json",
            "--output",
            "report.json",
        ],
        &[
            "evidence",
            "sys",
            "--format",
            "json",
            "--output",
            "index.json",
        ],
    ];
    for args in runs {
        let name = args[args.len() - 1];
        let victim = outside.path().join(name);
        std::fs::write(&victim, "ORIGINAL\n").expect("victim");
        symlink(&victim, dir.path().join(name)).expect("link");
        let mut args = args.to_vec();
        args.extend(["--today", TODAY]);
        let out = run_bounded(dir.path(), &args);
        assert_ran(&args, &out);
        assert_eq!(
            std::fs::read_to_string(&victim).expect("victim"),
            "ORIGINAL\n",
            "{name}: the link's target was written"
        );
        let written = dir.path().join(name);
        let meta = std::fs::symlink_metadata(&written).expect("the output");
        assert!(meta.is_file(), "{name} is still a link");
        let text = std::fs::read_to_string(&written).expect("read the output");
        serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{name}: {e}: {text}"));
    }
}

/// The tree of rows 18 and 21: the profile misses its rollup mark (`0+` written `0`), a fix
/// that `--fix` applies whatever else changes.
const UNMARKED: &str = "  hardening: 0/general\n";
const MARKED: &str = "  hardening: 0+/general\n";

/// Row 18: three `--fix` runs at once, five times: every round ends with the same fixed tree
/// and no file left behind (a temporary file of any name, hidden or not).
#[test]
fn concurrent_fixes_agree_and_leave_no_temporary_files() {
    let dir = mk_repo();
    let profile = dir.path().join("sys/profile.md");
    let broken = PROFILE
        .replace(MARKED, UNMARKED)
        .replace("industry:", "industy:");
    let fixed = PROFILE.as_bytes().to_vec();
    let files = listing(dir.path());
    for round in 0..5 {
        std::fs::write(&profile, &broken).expect("break the profile");
        let children: Vec<_> = (0..3)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_smm-lint"))
                    .args(["check", "sys", "--fix", "--today", TODAY])
                    .current_dir(dir.path())
                    .env("NO_COLOR", "1")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("the binary starts")
            })
            .collect();
        for mut child in children {
            let status = wait_with_deadline(&mut child, "check --fix");
            let mut err = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = pipe.read_to_string(&mut err);
            }
            assert!(
                matches!(status.code(), Some(0 | 1)),
                "round {round}: {status:?} {err}"
            );
        }
        assert_eq!(
            String::from_utf8_lossy(&std::fs::read(&profile).expect("read")),
            String::from_utf8_lossy(&fixed),
            "round {round}"
        );
        assert_eq!(
            listing(dir.path()),
            files,
            "round {round}: files left behind"
        );
    }
}

/// Row 21: a document read lossily (invalid UTF-8) is never written back with U+FFFD in place
/// of its bytes, by `--fix` or by `pin`: it is left alone, or changed only where fixed.
#[test]
fn fix_and_pin_never_rewrite_the_bytes_of_a_lossily_read_document() {
    let dir = mk_repo();
    let profile = dir.path().join("sys/profile.md");
    let mut broken = PROFILE.replace(MARKED, UNMARKED).into_bytes();
    broken.extend_from_slice(b"bad \xFF\xFE byte\n");
    std::fs::write(&profile, &broken).expect("write");
    let args = ["check", "sys", "--fix", "--today", TODAY];
    assert_ran(&args, &run_bounded(dir.path(), &args));
    let after = std::fs::read(&profile).expect("read");
    let mut fixed = PROFILE.as_bytes().to_vec();
    fixed.extend_from_slice(b"bad \xFF\xFE byte\n");
    assert!(
        after == broken || after == fixed,
        "--fix wrote {:?}",
        String::from_utf8_lossy(&after)
    );

    let doc = dir.path().join(DOC);
    let mut text = PRACTICE.as_bytes().to_vec();
    text.extend_from_slice(b"bad \xFF\xFE byte\n");
    std::fs::write(&doc, &text).expect("write");
    let out = run_bounded(dir.path(), &["pin", "sys"]);
    assert_ran(&["pin"], &out);
    let after = std::fs::read(&doc).expect("read");
    let kept = String::from_utf8_lossy(&after)
        .lines()
        .filter(|l| !l.trim_start().starts_with("sha256:"))
        .map(|l| format!("{l}\n"))
        .collect::<String>();
    assert_eq!(
        kept,
        String::from_utf8_lossy(&text),
        "only a pin line may be added"
    );
    assert!(
        after.windows(4).any(|w| w == b" \xFF\xFE "),
        "the invalid bytes were replaced: {:?}",
        String::from_utf8_lossy(&after)
    );
}

/// Row 22: `pin` on a document with a BOM and CRLF line ends inserts its line with CRLF and
/// keeps the BOM; the pin is then valid.
#[test]
fn pin_keeps_the_bom_and_crlf_line_ends() {
    let dir = mk_repo();
    let doc = dir.path().join(DOC);
    let mut original = b"\xEF\xBB\xBF".to_vec();
    original.extend_from_slice(PRACTICE.replace('\n', "\r\n").as_bytes());
    std::fs::write(&doc, &original).expect("write");
    let out = run_bounded(dir.path(), &["pin", "sys"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let after = std::fs::read(&doc).expect("read");
    assert!(after.starts_with(b"\xEF\xBB\xBF"), "the BOM was dropped");
    let text = String::from_utf8(after[3..].to_vec()).expect("UTF-8");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "a bare LF: {text:?}"
    );
    let pins: Vec<&str> = text
        .split("\r\n")
        .filter(|l| l.trim_start().starts_with("sha256: "))
        .collect();
    assert_eq!(pins.len(), 1, "{text:?}");
    let without: String = text.replacen(&format!("{}\r\n", pins[0]), "", 1);
    assert_eq!(
        without.as_bytes(),
        &original[3..],
        "only the pin line was added"
    );
    let out = run_bounded(dir.path(), &["pin", "sys", "--check"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

/// Row 25: `--fix` replaces a quoted, tagged or anchored scalar in place, keeping its quotes,
/// tag or anchor; a multi-line quoted scalar is replaced with the fixed value or left alone,
/// and either way the document stays valid.
#[test]
fn fix_replaces_quoted_tagged_and_anchored_scalars_in_place() {
    let single = [
        ("\"0/general\"", "\"0+/general\""),
        ("'0/general'", "'0+/general'"),
        ("!!str 0/general", "!!str 0+/general"),
        ("&h 0/general", "&h 0+/general"),
        ("\"industy\"", ""),
    ];
    for (broken, fixed) in single {
        let dir = mk_repo();
        let profile = dir.path().join("sys/profile.md");
        let (before, expected) = if fixed.is_empty() {
            // A quoted key: the typo is fixed inside the quotes.
            (
                PROFILE.replace("industry:", "\"industy\":"),
                PROFILE.replace("industry:", "\"industry\":"),
            )
        } else {
            (
                PROFILE.replace(MARKED, &format!("  hardening: {broken}\n")),
                PROFILE.replace(MARKED, &format!("  hardening: {fixed}\n")),
            )
        };
        std::fs::write(&profile, &before).expect("write");
        let (_, json) = check_sys(dir.path(), &["--fix"]);
        assert_eq!(
            std::fs::read_to_string(&profile).expect("read"),
            expected,
            "{broken}"
        );
        assert_eq!(findings(&json), Vec::<String>::new(), "{broken}");
    }
    for broken in ["\"0/\n    general\"", "'0/\n    general'"] {
        let dir = mk_repo();
        let profile = dir.path().join("sys/profile.md");
        let before = PROFILE.replace(MARKED, &format!("  hardening: {broken}\n"));
        std::fs::write(&profile, &before).expect("write");
        let (_, json) = check_sys(dir.path(), &["--fix"]);
        let after = std::fs::read_to_string(&profile).expect("read");
        let quote = &broken[..1];
        let expected = PROFILE.replace(MARKED, &format!("  hardening: {quote}0+/general{quote}\n"));
        assert!(after == before || after == expected, "{broken}: {after}");
        assert!(
            findings(&json)
                .iter()
                .all(|f| !f.starts_with("front-matter")),
            "{broken}: {:?}",
            findings(&json)
        );
    }
}

// --- output safety ------------------------------------------------------------------------------

/// Splits `text` into lines the way the GitHub runner does: at CR LF, CR or LF.
fn runner_lines(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(str::to_owned)
        .collect()
}

/// The names of rows 27 and 31's documents: each is a practice document of an unknown
/// practice, so each carries findings at its own name.
fn write_named_documents(dir: &Path, names: &[&[u8]]) {
    let notes = dir.join("sys/notes");
    for name in names {
        let path = notes.join(std::ffi::OsStr::from_bytes(name));
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
        std::fs::write(path, "---\npractice: no-such-practice\n---\n").expect("write");
    }
}

/// The properties of one of our workflow commands (`::error file=…,line=…::message`), or a
/// description of what is wrong with the line.
fn command_properties(line: &str) -> Result<Vec<(String, String)>, String> {
    let rest = ["::error ", "::warning ", "::notice "]
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .ok_or_else(|| format!("not one of our commands: {line:?}"))?;
    let (properties, _message) = rest
        .split_once("::")
        .ok_or_else(|| format!("no message: {line:?}"))?;
    properties
        .split(',')
        .map(|p| {
            let (key, value) = p
                .split_once('=')
                .ok_or_else(|| format!("property {p:?} in {line:?}"))?;
            let known = ["file", "line", "endLine", "col", "endColumn", "title"];
            if !known.contains(&key) {
                return Err(format!("property {key:?} in {line:?}"));
            }
            Ok((key.to_owned(), value.to_owned()))
        })
        .collect()
}

/// Row 27: with LF, CR, a literal `%0A`, U+2028, U+0085, `::`, `,` and `:` in file and
/// directory names, keys, YAML escapes and link targets, `--format github` prints exactly one
/// well-formed command per finding, as the runner splits lines.
#[test]
fn github_commands_stay_one_per_finding_whatever_the_names_and_text() {
    let dir = mk_repo();
    write_named_documents(
        dir.path(),
        &[
            b"x\n::error::lf.md",
            b"x\r::error::cr.md",
            b"x%0A::error::pct.md",
            "x\u{2028}::error::ls.md".as_bytes(),
            "x\u{85}::error::nel.md".as_bytes(),
            b"x,y:z.md",
            b"d::error::x\ny\r/n.md",
        ],
    );
    let doc = "---\npractice: \"patch-management\\r\\n::warning::esc\\u2028::notice::ls\\x85::error::nel\"\n\"k\\r\\n::error::key\": 1\ncurrent: 1/general\nassessed: 2026-10-02\n---\n[x](%0D%0A::error::t.md)\n[y](lit%250A::error::u.md)\n[z](a\u{2028}::error::v.md)\n";
    std::fs::write(dir.path().join(DOC), doc).expect("write");
    let (_, json) = check_sys(dir.path(), &[]);
    let expected = diagnostics(&json).len();
    assert!(expected >= 8 * 3, "{:?}", findings(&json));
    let args = ["check", "sys", "--format", "github", "--today", TODAY];
    let out = run_bounded(dir.path(), &args);
    assert_ran(&args, &out);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<String> = runner_lines(&text)
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), expected, "{text}");
    let mut files = BTreeSet::new();
    for line in &lines {
        let properties = command_properties(line).unwrap_or_else(|e| panic!("{e}"));
        files.extend(
            properties
                .into_iter()
                .filter(|(k, _)| k == "file")
                .map(|(_, v)| v),
        );
    }
    assert!(files.contains("sys/notes/x%2Cy%3Az.md"), "{files:?}");
    assert!(
        files.contains("sys/notes/x%250A%3A%3Aerror%3A%3Apct.md"),
        "{files:?}"
    );
}

/// Whether bash and python3 (which `scripts/action-check` uses) are here to run the action.
fn action_tools_present() -> bool {
    let present = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let ok = present("bash") && present("python3");
    if !ok {
        eprintln!("skipped: bash or python3 is missing");
    }
    ok
}

/// What one run of `scripts/action-check` left.
struct ActionRun {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    github_output: String,
}

/// Runs `scripts/action-check` in `dir` with bash and the environment the action's step has,
/// `env` overriding it; the runner's files go to a directory of their own.
fn action_check(dir: &Path, env: &[(&str, &str)]) -> ActionRun {
    let files = tempfile::tempdir().expect("the runner's files");
    let output = files.path().join("output");
    let summary = files.path().join("summary");
    std::fs::write(&output, "").expect("GITHUB_OUTPUT");
    let mut child = Command::new("bash")
        .arg(repo().join("scripts/action-check"))
        .current_dir(dir)
        .env("SMM_LINT", env!("CARGO_BIN_EXE_smm-lint"))
        .env("GITHUB_EVENT_NAME", "push")
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", files.path())
        .env("INPUT_PATH", "sys")
        .env("INPUT_ARGS", format!("--today {TODAY}"))
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash starts");
    let mut stdout = String::new();
    let mut stderr = String::new();
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        s
    });
    let mut bytes = Vec::new();
    let _ = out_pipe.read_to_end(&mut bytes);
    stdout.push_str(&String::from_utf8_lossy(&bytes));
    stderr.push_str(&String::from_utf8_lossy(&reader.join().expect("stderr")));
    let status = wait_with_deadline(&mut child, "scripts/action-check");
    ActionRun {
        code: status.code(),
        stdout,
        stderr,
        github_output: std::fs::read_to_string(&output).expect("GITHUB_OUTPUT"),
    }
}

/// The commands the runner would act on in `log`, honouring `::stop-commands::TOKEN` until
/// `::TOKEN::`; also the tokens seen, and whether a block was left open.
fn runner_commands(log: &str) -> (Vec<String>, Vec<String>, bool) {
    let mut commands = Vec::new();
    let mut tokens = Vec::new();
    let mut stopped: Option<String> = None;
    for line in runner_lines(log) {
        let trimmed = line.trim();
        if let Some(token) = &stopped {
            if trimmed == format!("::{token}::") {
                stopped = None;
            }
            continue;
        }
        if let Some(token) = trimmed.strip_prefix("::stop-commands::") {
            tokens.push(token.to_owned());
            stopped = Some(token.to_owned());
        } else if trimmed.starts_with("::") {
            commands.push(trimmed.to_owned());
        }
    }
    (commands, tokens, stopped.is_some())
}

/// Row 29: a document cannot break out of the action's `::stop-commands::` block: the token is
/// 16 random bytes, new on every run, and the document's lines stay inside the block.
#[test]
fn documents_cannot_break_out_of_the_stop_commands_block() {
    if !action_tools_present() {
        return;
    }
    let dir = mk_repo();
    let guesses = "::error file=sys/profile.md,line=1::PWNED29\n::stop-commands::PWNED29\n::00000000000000000000000000000000::\n::endtoken::\n";
    let doc = PRACTICE.replace(
        "# Patch management\n",
        &format!("# Patch management\n{guesses}[broken](missing.md)\n{guesses}"),
    );
    std::fs::write(dir.path().join(DOC), doc).expect("write");
    let first = action_check(dir.path(), &[]);
    let second = action_check(dir.path(), &[]);
    assert_eq!(first.code, Some(0), "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("PWNED29"),
        "the report quotes the document"
    );
    let mut tokens = Vec::new();
    for run in [&first, &second] {
        let (commands, seen, open) = runner_commands(&run.stdout);
        assert!(!open, "the block is left open: {}", run.stdout);
        assert!(!seen.is_empty(), "no stop-commands block: {}", run.stdout);
        for token in &seen {
            assert!(
                token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
                "{token}"
            );
        }
        tokens.push(seen);
        for command in &commands {
            assert!(!command.contains("PWNED29"), "{command}");
            command_properties(command).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    assert!(
        tokens[0].iter().all(|t| !tokens[1].contains(t)),
        "the token is new on every run: {tokens:?}"
    );
}

/// Row 30: `scripts/action-check` passes hostile `args` (`*.md`, `;`, `$(…)`, backticks,
/// `$HOME`) to smm-lint literally and runs nothing; directory and file names with CR and LF
/// change nothing; `GITHUB_OUTPUT` gets integers only.
#[test]
fn the_action_script_passes_hostile_inputs_literally() {
    if !action_tools_present() {
        return;
    }
    let dir = mk_repo();
    std::fs::write(dir.path().join("a.md"), "# a\n").expect("a file *.md would match");
    let before = listing(dir.path());
    let args = "*.md ; $(touch PWNED1) `touch PWNED2` $HOME ${IFS} --today 2026-11-21";
    let run = action_check(
        dir.path(),
        &[("INPUT_ARGS", args), ("HOME", "/nonexistent-home-30")],
    );
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("*.md"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("a.md"),
        "a glob was expanded: {}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("nonexistent-home-30"),
        "$HOME was expanded: {}",
        run.stderr
    );
    assert_eq!(listing(dir.path()), before, "something was created");
    assert_integers_only(&run.github_output);
    assert!(
        run.github_output.ends_with("exit-code=2\n"),
        "{}",
        run.github_output
    );

    // The profile under a directory whose name holds CR and LF, and a file named likewise.
    let odd = "x\ny\r::error::z";
    std::fs::rename(dir.path().join("sys"), dir.path().join(odd)).expect("rename");
    std::fs::write(
        dir.path().join(odd).join("hardening/n\r\n::error::o.md"),
        "# notes\n",
    )
    .expect("write");
    let run = action_check(dir.path(), &[("INPUT_PATH", odd)]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert_integers_only(&run.github_output);
    assert!(
        run.github_output.ends_with("exit-code=0\n"),
        "{}",
        run.github_output
    );
}

/// `GITHUB_OUTPUT` holds `errors=`, `warnings=` and `exit-code=` with integer values (empty
/// when the tool failed), and nothing else.
fn assert_integers_only(output: &str) {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 3, "{output:?}");
    for (line, key) in lines.iter().zip(["errors=", "warnings=", "exit-code="]) {
        let value = line.strip_prefix(key).unwrap_or_else(|| panic!("{line:?}"));
        assert!(value.bytes().all(|b| b.is_ascii_digit()), "{line:?}");
    }
}

/// Row 31: SARIF is valid JSON whatever the text (quotes, backslashes, control characters),
/// and its URIs percent-encode space, `#`, `%`, `?` and `:`; a file name that is not UTF-8
/// becomes `%EF%BF%BD`.
#[test]
fn sarif_escapes_text_and_percent_encodes_uris() {
    let dir = mk_repo();
    write_named_documents(dir.path(), &[b"a b#c%d?e:f.md", b"\xFF\xFE.md"]);
    // A control character reaches the JSON through a YAML escape in an unknown id.
    write_tree(
        dir.path(),
        &[(
            "sys/notes/ctl.md",
            "---\npractice: \"bad\\x01\\x1b[2J\\\"id\"\n---\n",
        )],
    );
    let body = "[x](q\"b\\s.md)\n";
    let doc = PRACTICE.replace(
        "# Patch management\n",
        &format!("# Patch management\n{body}"),
    );
    std::fs::write(dir.path().join(DOC), doc).expect("write");
    let args = ["check", "sys", "--format", "sarif", "--today", TODAY];
    let out = run_bounded(dir.path(), &args);
    assert_ran(&args, &out);
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let uris: BTreeSet<&str> = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        uris.contains("sys/notes/a%20b%23c%25d%3Fe%3Af.md"),
        "{uris:?}"
    );
    assert!(uris.contains("sys/notes/%EF%BF%BD%EF%BF%BD.md"), "{uris:?}");
    assert!(uris.contains("sys/notes/ctl.md"), "{uris:?}");
    for uri in &uris {
        assert!(!uri.contains([' ', '#', '?']), "{uri}");
        let bytes = uri.as_bytes();
        for (i, _) in uri.match_indices('%') {
            let hex = bytes.get(i + 1..i + 3).unwrap_or_default();
            assert!(
                hex.len() == 2 && hex.iter().all(u8::is_ascii_hexdigit),
                "{uri}"
            );
        }
    }
    let link = results
        .iter()
        .find(|r| r["ruleId"] == "link-broken")
        .expect("the broken link");
    assert!(
        link["message"]["text"]
            .as_str()
            .is_some_and(|m| m.contains("q\"b\\s.md")),
        "{link}"
    );
}

/// Hostile strings for the reports of rows 32 and 34, in every field a document can set.
fn hostile_report_tree(dir: &Path) {
    let profile = "---\nprofile: \"=HYPERLINK(\\\"https://evil.example/\\\")<script>alert(1)</script>\"\nsystem: \"<img src=x onerror=alert(1)>\"\nindustry: energy\nowner: \"\\\" onmouseover=\\\"alert(1)\"\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 2/general\n---\n# Profile\n";
    let evidence = [
        "  - path: \"=1+1\"\n    kind: record\n    standard: \"=SUM(1)\"\n",
        "  - path: \"../evidence/patching.md#=cmd|' /C calc'!A0\"\n    kind: procedure\n    standard: \"+1\"\n",
        "  - path: \"../evidence/<img src=x onerror=alert(1)>.md\"\n    kind: record\n    standard: \"@SUM(1)\"\n",
        "  - path: ../evidence/patching.md\n    kind: policy\n    standard: \"\\t=1\"\n",
        "  - path: ../evidence/patching.md\n    kind: tool\n    standard: \"=1,\\\"x\\\"\"\n    reviewed: 2026-09-15\n",
        "  - url: \"https://evil.example/\\\" onmouseover=\\\"alert(1)\"\n    kind: test\n    standard: \"</text><script>alert(1)</script>`x`\"\n",
        "  - url: \"javascript:alert(1)\"\n    kind: test\n    standard: \"-1+2\"\n",
        "  - url: \"data:text/html,<script>alert(1)</script>\"\n    kind: test\n    standard: \"\\r=1\"\n",
    ]
    .concat();
    let practice = format!(
        "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-02\nassessor: \"<svg onload=alert(1)>\"\nrationale: \"</text><script>alert(1)</script>\"\nplan:\n  - level: 2/general\n    due: 2027-01-01\n    action: \"<a href=\\\"javascript:alert(1)\\\">x</a>\"\n    owner: \"<iframe src=https://evil.example/>\"\nevidence:\n{evidence}---\n# Patch management\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![i](https://evil.example/i.png) <iframe src=https://evil.example/> [y](data:text/html,x) [z](//evil.example/)\n"
    );
    write_tree(
        dir,
        &[
            ("sys/profile.md", profile),
            (DOC, practice.as_str()),
            ("sys/hardening/=1+1", "x\n"),
            ("sys/evidence/<img src=x onerror=alert(1)>.md", "# x\n"),
        ],
    );
}

/// The elements of an HTML page with their attributes (names lower-cased), `<style>` content
/// and comments skipped: enough to see what a browser would make of the tags.
fn html_elements(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let bytes = html.as_bytes();
    let mut elements = Vec::new();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        i += at + 1;
        if html[i..].starts_with("!--") {
            i += html[i..].find("-->").map_or(html.len() - i, |e| e + 3);
            continue;
        }
        if matches!(bytes.get(i), Some(b'/' | b'!')) {
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |e| i + e);
        let name = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        let mut attributes = Vec::new();
        loop {
            while bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
            {
                i += 1;
            }
            if bytes.get(i).is_none_or(|b| *b == b'>') {
                break;
            }
            let end = html[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>')
                .map_or(html.len(), |e| i + e);
            let attribute = html[i..end].to_ascii_lowercase();
            i = end;
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                let (start, stop) = match bytes.get(i) {
                    Some(q @ (b'"' | b'\'')) => (i + 1, *q as char),
                    _ => (i, ' '),
                };
                let close = html[start..]
                    .find(|c: char| {
                        c == stop || (stop == ' ' && (c.is_ascii_whitespace() || c == '>'))
                    })
                    .map_or(html.len(), |e| start + e);
                value = html[start..close].to_owned();
                i = if stop == ' ' { close } else { close + 1 };
            }
            attributes.push((attribute, value));
        }
        if name == "style" {
            i += html[i..].find("</style>").unwrap_or(0);
        }
        elements.push((name, attributes));
    }
    elements
}

/// Row 32: the HTML report escapes every string a document sets (`<script>`, `<img>`,
/// `javascript:` and `data:` URLs, `" onmouseover=`, backticks, SVG text): the page has no
/// script, no `on…` attribute and no reference outside itself.
#[test]
fn the_html_report_escapes_every_hostile_string() {
    let dir = mk_repo();
    hostile_report_tree(dir.path());
    let args = ["report", "sys", "--format", "html", "--today", TODAY];
    let out = run_bounded(dir.path(), &args);
    assert_ran(&args, &out);
    let html = stdout(&out);
    for shown in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
    ] {
        assert!(html.contains(shown), "the page lacks {shown}");
    }
    let elements = html_elements(&html);
    assert!(elements.len() > 50, "{} elements", elements.len());
    let forbidden = [
        "script",
        "img",
        "iframe",
        "object",
        "embed",
        "link",
        "base",
        "form",
        "image",
        "foreignobject",
        "use",
    ];
    for (name, attributes) in &elements {
        assert!(!forbidden.contains(&name.as_str()), "a <{name}> element");
        for (attribute, value) in attributes {
            assert!(
                !attribute.starts_with("on"),
                "<{name} {attribute}={value:?}>"
            );
            assert!(
                ![
                    "src",
                    "srcset",
                    "action",
                    "formaction",
                    "xlink:href",
                    "style"
                ]
                .contains(&attribute.as_str()),
                "<{name} {attribute}={value:?}>"
            );
            // A link goes within the page, or to an evidence file by a relative path that the
            // report percent-encodes: no scheme, no host, nothing from the document unencoded.
            if attribute == "href" {
                let relative_file = !value.starts_with('/')
                    && value.bytes().all(|b| {
                        b.is_ascii_alphanumeric()
                            || matches!(b, b'%' | b'.' | b'_' | b'~' | b'/' | b'#' | b'-')
                    });
                assert!(
                    value.starts_with('#') || relative_file,
                    "<{name} href={value:?}>"
                );
            }
            if attribute == "xmlns" {
                assert_eq!(value, "http://www.w3.org/2000/svg");
            } else {
                assert!(
                    !value.contains("javascript:"),
                    "<{name} {attribute}={value:?}>"
                );
            }
        }
    }
    for (at, _) in html.match_indices("url(") {
        assert!(html[at + 4..].starts_with('#'), "{}", &html[at..at + 40]);
    }
    assert!(!html.contains("@import"));
}

/// Parses RFC 4180 CSV (CRLF records, quoted fields with doubled quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && record.is_empty(),
        "an unfinished record"
    );
    records
}

/// Row 34: no CSV cell starts with what a spreadsheet evaluates (`=`, `+`, `-`, `@`, TAB, CR),
/// whether in a standard, a note, a path (`=1+1`) or an anchor (`=cmd|…`), quoted or not.
#[test]
fn csv_cells_a_spreadsheet_would_evaluate_are_defused() {
    let dir = mk_repo();
    hostile_report_tree(dir.path());
    let args = ["evidence", "sys", "--format", "csv", "--today", TODAY];
    let out = run_bounded(dir.path(), &args);
    assert_ran(&args, &out);
    let records = parse_csv(&stdout(&out));
    assert!(records.len() > 6, "{records:?}");
    let width = records[0].len();
    let mut cells = Vec::new();
    for record in &records[1..] {
        assert_eq!(record.len(), width, "{record:?}");
        cells.extend(record.iter().map(String::as_str));
    }
    for cell in &cells {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a live formula: {cell:?}"
        );
    }
    for defused in [
        "'=SUM(1)", "'+1", "'-1+2", "'@SUM(1)", "'\t=1", "'\r=1", "'=1+1",
    ] {
        assert!(cells.contains(&defused), "no cell {defused:?} in {cells:?}");
    }
    assert!(
        cells.iter().any(|c| c.starts_with("'=cmd|")),
        "the anchor: {cells:?}"
    );
    assert!(cells.contains(&"'=1,\"x\""), "{cells:?}");
}

/// The HTML reader of row 32 sees what a browser would: handlers, quoted and bare values.
#[test]
fn the_html_reader_of_the_matrix_finds_handlers_and_sources() {
    let elements = html_elements(
        "<style>a > b { x: 1 }</style><p title=\"a onclick=b\" onmouseover='x'><script src=//e.example/x></script>",
    );
    let names: Vec<&str> = elements.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["style", "p", "script"]);
    assert_eq!(
        elements[1].1,
        [
            ("title".to_owned(), "a onclick=b".to_owned()),
            ("onmouseover".to_owned(), "x".to_owned())
        ]
    );
    assert_eq!(
        elements[2].1,
        [("src".to_owned(), "//e.example/x".to_owned())]
    );
}

// --- bounded work -------------------------------------------------------------------------------

/// Generous ceilings for one run of the debug binary on a loaded 2-core machine.
const TIME_CEILING: Duration = Duration::from_secs(40);
const RSS_CEILING_KB: u64 = 400 * 1024;

/// Runs `smm-lint ARGS` in `dir` under `/usr/bin/time` when it is there: the output, the CPU
/// time (wall-clock time without `/usr/bin/time`) and the peak resident memory in KiB.
fn run_measured(dir: &Path, args: &[&str]) -> (Output, Duration, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        let start = Instant::now();
        let out = run_bounded(dir, args);
        return (out, start.elapsed(), None);
    }
    let report = tempfile::NamedTempFile::new().expect("a file for the figure");
    let figure = report
        .path()
        .to_str()
        .expect("a UTF-8 temp path")
        .to_owned();
    let mut timed = vec![
        "-f",
        TIME_FORMAT,
        "-o",
        figure.as_str(),
        env!("CARGO_BIN_EXE_smm-lint"),
    ];
    timed.extend_from_slice(args);
    let start = Instant::now();
    let out = run_with_program(dir, time, &timed);
    let wall = start.elapsed();
    match time_figures(&std::fs::read_to_string(report.path()).unwrap_or_default()) {
        Some((cpu, rss)) => (out, cpu, Some(rss)),
        None => (out, wall, None),
    }
}

fn run_with_program(dir: &Path, program: &Path, args: &[&str]) -> Output {
    let out_dir = tempfile::tempdir().expect("temp dir for the output");
    let stdout_path = out_dir.path().join("stdout");
    let stderr_path = out_dir.path().join("stderr");
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("the program starts");
    let status = wait_with_deadline(&mut child, &format!("{args:?}"));
    Output {
        status,
        stdout: std::fs::read(&stdout_path).expect("stdout"),
        stderr: std::fs::read(&stderr_path).expect("stderr"),
    }
}

/// Time and memory of one measured run within the ceilings.
fn assert_bounded(what: &str, elapsed: Duration, rss: Option<u64>) {
    eprintln!("{what}: {elapsed:.2?}, {rss:?} KiB");
    assert!(elapsed < TIME_CEILING, "{what} took {elapsed:?}");
    if let Some(kb) = rss {
        assert!(kb < RSS_CEILING_KB, "{what} peaked at {kb} KiB");
    }
}

/// Row 37: many small files and many evidence items (100 profiles, each with a practice citing
/// 200 files of its own: 20,000 items and files) are checked in bounded time and memory. The
/// review measured 100,000 items with the release build; this scale keeps the debug build fast.
#[test]
fn many_documents_and_evidence_items_are_checked_in_bounded_time_and_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    git(dir.path(), &["init", "-q"]);
    let items: String = (0..200)
        .map(|i| format!("  - path: ../evidence/e{i:04}.txt\n    kind: record\n"))
        .collect();
    let doc = practice(&items, "");
    for p in 0..100 {
        let root = dir.path().join(format!("p{p:03}"));
        let profile = PROFILE.replace("profile: sys", &format!("profile: p{p:03}"));
        write_tree(
            &root,
            &[
                ("profile.md", &profile),
                ("hardening/patch-management.md", &doc),
            ],
        );
        std::fs::create_dir_all(root.join("evidence")).expect("dir");
        for i in 0..200 {
            std::fs::write(root.join(format!("evidence/e{i:04}.txt")), "x\n").expect("write");
        }
    }
    let args = ["check", "--format", "json", "--today", TODAY];
    let (out, elapsed, rss) = run_measured(dir.path(), &args);
    assert_ran(&args, &out);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(json["summary"]["documents"], 200);
    assert_eq!(json["summary"]["profiles"], 100);
    assert_bounded("100 profiles, 20,000 evidence items", elapsed, rss);
}

/// Row 40: pathological Markdown for pulldown-cmark (runs of `[`, `[a](`, `*a `, `*a_`, `a**`,
/// `<`, `>`, a table with 64k columns, nested lists, backticks, footnotes, autolinks,
/// entities, 64k headings) in a practice document and in the evidence file its anchor points
/// into: each run in bounded time and memory. 256 KiB each (the review used 1 MB with the
/// release build); quadratic work would still show at this size.
#[test]
fn pathological_markdown_is_parsed_in_bounded_time_and_memory() {
    const N: usize = 256 * 1024;
    let cases: Vec<(&str, String)> = vec![
        ("brackets", "[".repeat(N)),
        ("open links", "[a](".repeat(N / 4)),
        ("emphasis", "*a ".repeat(N / 3)),
        ("mixed emphasis", "*a_".repeat(N / 3)),
        ("strong closers", "a**".repeat(N / 3)),
        ("angle brackets", "<".repeat(N)),
        ("block quotes", ">".repeat(N)),
        (
            "a wide table",
            format!("|{}\n|{}\n", "a|".repeat(N / 4), "-|".repeat(N / 4)),
        ),
        (
            "nested lists",
            (0..700)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect(),
        ),
        ("backticks", "`".repeat(N)),
        (
            "backtick runs",
            (1..700).map(|i| format!("{} ", "`".repeat(i))).collect(),
        ),
        (
            "footnotes",
            (0..N / 16)
                .map(|i| format!("[^{i}]\n[^{i}]: x\n"))
                .collect(),
        ),
        ("autolinks", "<http://a".repeat(N / 9)),
        ("entities", "&amp".repeat(N / 4)),
        ("headings", "# h\n".repeat(N / 4)),
    ];
    let dir = mk_repo();
    for (name, body) in &cases {
        let doc = PRACTICE.replace(
            "# Patch management\n",
            &format!("# Patch management\n{body}\n"),
        );
        std::fs::write(dir.path().join(DOC), doc).expect("write");
        std::fs::write(
            dir.path().join("sys/evidence/patching.md"),
            format!("# Patching\n## Monthly window\ntext\n{body}\n"),
        )
        .expect("write");
        let args = ["check", "sys", "--format", "json", "--today", TODAY];
        let (out, elapsed, rss) = run_measured(dir.path(), &args);
        assert_ran(&args, &out);
        serde_json::from_slice::<Value>(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_bounded(name, elapsed, rss);
    }
}

/// Every command and format of row 47, on the tree in `dir`: the arguments after `smm-lint`.
fn every_command(today: &str) -> Vec<Vec<String>> {
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "github", "sarif", "summary-md"] {
        runs.push(vec!["check", "sys", "--format", format]);
    }
    runs.push(vec!["check", "sys", "--diff"]);
    for format in ["md", "html", "json"] {
        runs.push(vec!["report", "sys", "--format", format]);
    }
    for format in ["md", "csv", "json"] {
        runs.push(vec!["evidence", "sys", "--format", format]);
    }
    runs.push(vec!["pin", "sys", "--check"]);
    runs.push(vec!["pin", "sys", "--diff"]);
    // The writers last: they may change the tree the others read.
    runs.push(vec!["pin", "sys"]);
    runs.push(vec!["check", "sys", "--fix"]);
    runs.into_iter()
        .map(|mut args| {
            args.extend(["--today", today]);
            args.into_iter().map(str::to_owned).collect()
        })
        .collect()
}

/// Row 47: odd dates (year 0000, 9999, 29 February of year 0), huge level numbers, `!!binary`, NUL, empty, BOM-only and `---`-only files, CR-only line ends,
/// combining characters, U+2028 and U+0085 in keys and values: no panic, and exit 0 or 1 in
/// every command and format.
#[test]
fn odd_dates_and_bytes_exit_0_or_1_in_every_command_and_format() {
    let dated = |assessed: &str, reviewed: &str, due: &str| {
        format!(
            "---\npractice: patch-management\ncurrent: 1/general\nassessed: {assessed}\nplan:\n  - level: 1/industry\n    due: {due}\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: {reviewed}\n---\n"
        )
        .into_bytes()
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("year 0", dated("0000-01-01", "0000-01-01", "0000-01-01")),
        ("year 9999", dated("9999-12-31", "9999-12-31", "9999-12-31")),
        (
            "29 February of year 0",
            dated("0000-02-29", "0000-02-29", "0000-02-29"),
        ),
        (
            "huge levels",
            PRACTICE
                .replace("1/general", "99999999999999999999999/general")
                .into_bytes(),
        ),
        (
            "binary",
            PRACTICE
                .replace("current: 1/general", "current: !!binary aGVsbG8=")
                .into_bytes(),
        ),
        (
            "NUL",
            PRACTICE
                .replace("assessed: ", "assessed: \0")
                .replace("# Patch", "# \0Patch")
                .into_bytes(),
        ),
        ("empty", Vec::new()),
        ("BOM only", b"\xEF\xBB\xBF".to_vec()),
        ("fence only", b"---".to_vec()),
        ("fence and newline", b"---\n".to_vec()),
        ("CR line ends", PRACTICE.replace('\n', "\r").into_bytes()),
        (
            "combining characters",
            PRACTICE
                .replace(
                    "practice: patch-management",
                    "practice: pa\u{301}tch-management\u{20DD}",
                )
                .replace("# Patch", "# Pa\u{301}\u{302}\u{303}tch")
                .into_bytes(),
        ),
        (
            "line separators",
            PRACTICE
                .replace("assessed:", "asse\u{2028}ssed:")
                .replace("kind: procedure", "kind: proce\u{85}dure")
                .replace("# Patch", "# Pa\u{2028}tch \u{85} [x](a\u{2028}b.md)")
                .into_bytes(),
        ),
    ];
    for (name, doc) in &cases {
        let dir = mk_repo();
        std::fs::write(dir.path().join(DOC), doc).expect("write");
        run_every_command(dir.path(), TODAY, name);
    }
    let dir = mk_repo();
    let profile = PROFILE.replace("hardening: 0+/general", "hardening: 4294967296+/general");
    std::fs::write(dir.path().join("sys/profile.md"), profile).expect("write");
    run_every_command(dir.path(), TODAY, "a huge target level");
}

/// Row 47, the dates given as `--today`: year 0, 29 February of year 0, the last day of 9999.
#[test]
fn odd_todays_exit_0_or_1_in_every_command_and_format() {
    for today in ["0000-01-01", "0000-02-29", "9999-12-31"] {
        let dir = mk_repo();
        run_every_command(dir.path(), today, today);
    }
}

fn run_every_command(dir: &Path, today: &str, case: &str) {
    for args in every_command(today) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_bounded(dir, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked"),
            "{case}: {args:?} panicked: {err}"
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{case}: {args:?} exited {:?}: {err}",
            out.status.code()
        );
    }
}

// --- the network --------------------------------------------------------------------------------

/// A server on 127.0.0.1 that reads each request's head and hands the connection and the
/// request line to `answer`, one thread per connection. Returns its base URL.
fn hostile_server(answer: fn(TcpStream, &str)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut request = String::new();
                if reader.read_line(&mut request).unwrap_or(0) == 0 {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                answer(reader.into_inner(), &request);
            });
        }
    });
    base
}

/// A status line, then one header byte every 100 ms for up to 60 s.
fn trickle_headers(mut stream: TcpStream, _: &str) {
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nX-Slow: ");
    for _ in 0..600 {
        std::thread::sleep(Duration::from_millis(100));
        if stream.write_all(b"a").is_err() {
            return;
        }
    }
}

/// Nothing at all for 40 s.
fn slow_first_byte(mut stream: TcpStream, _: &str) {
    std::thread::sleep(Duration::from_secs(40));
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
}

/// A 4 MiB header.
fn huge_header(mut stream: TcpStream, _: &str) {
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nX-Huge: ");
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..64 {
        if stream.write_all(&chunk).is_err() {
            return;
        }
    }
    let _ = stream.write_all(b"\r\nContent-Length: 0\r\n\r\n");
}

/// A redirect to the same URL, for ever.
fn redirect_loop(mut stream: TcpStream, request: &str) {
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let _ = write!(
        stream,
        "HTTP/1.1 302 Found\r\nLocation: {path}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// `HEAD` is refused with 405; `GET` announces a 10 GB body and sends it until the client
/// hangs up.
fn endless_body_after_405(mut stream: TcpStream, request: &str) {
    if request.starts_with("HEAD") {
        let _ = stream.write_all(
            b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    }
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n");
    let chunk = vec![b'x'; 64 * 1024];
    // 10 GB would take minutes: stop after 1 GiB, which no client reading the body finishes
    // within the test's bound either.
    for _ in 0..16 * 1024 {
        if stream.write_all(&chunk).is_err() {
            return;
        }
    }
}

/// Checks `url` with the library's online check and a short per-request timeout: the status
/// and how long it took.
fn check_url(url: &str) -> (smm_lint::online::UrlStatus, Duration) {
    let options = smm_lint::online::Options {
        timeout: Duration::from_millis(800),
        ..smm_lint::online::Options::default()
    };
    let start = Instant::now();
    let mut results = smm_lint::online::check_all(&[url.to_owned()], &options);
    let status = results.remove(url).expect("a status for the URL");
    (status, start.elapsed())
}

/// Row 50: a server that trickles its headers, or sends nothing for 40 s, hits the
/// per-request timeout: not reachable, and the check ends soon after the timeout.
#[test]
fn online_checks_end_at_the_timeout_against_trickling_and_silent_servers() {
    for (name, answer) in [
        ("trickled headers", trickle_headers as fn(TcpStream, &str)),
        ("a 40 s first byte", slow_first_byte),
    ] {
        let url = format!("{}/x", hostile_server(answer));
        let (status, elapsed) = check_url(&url);
        eprintln!("{name}: {status:?} after {elapsed:.2?}");
        assert_ne!(status.label(), "reachable", "{name}");
        assert!(elapsed < Duration::from_secs(8), "{name}: {elapsed:?}");
    }
}

/// Row 50: a redirect loop ends as `too many redirects`; a huge header is refused.
#[test]
fn online_checks_refuse_redirect_loops_and_huge_headers() {
    let url = format!("{}/loop", hostile_server(redirect_loop));
    let (status, elapsed) = check_url(&url);
    assert_eq!(
        status,
        smm_lint::online::UrlStatus::Unreachable("too many redirects".to_owned())
    );
    assert!(elapsed < Duration::from_secs(8), "{elapsed:?}");
    let url = format!("{}/huge", hostile_server(huge_header));
    let (status, elapsed) = check_url(&url);
    eprintln!("a huge header: {status:?} after {elapsed:.2?}");
    assert_ne!(status.label(), "reachable");
    assert!(elapsed < Duration::from_secs(8), "{elapsed:?}");
}

/// Row 50: after a 405 to `HEAD`, the `GET` answer's body (10 GB announced) is never read.
#[test]
fn online_checks_never_read_the_body() {
    let url = format!("{}/big", hostile_server(endless_body_after_405));
    let (status, elapsed) = check_url(&url);
    assert_eq!(status, smm_lint::online::UrlStatus::Reachable);
    assert!(elapsed < Duration::from_secs(8), "{elapsed:?}");
}

/// Row 50, end to end: `check --online` against a redirect loop, a huge header and an endless
/// body reports the first two and finishes in bounded time.
#[test]
fn check_online_against_hostile_servers_is_bounded() {
    let urls = [
        format!("{}/loop", hostile_server(redirect_loop)),
        format!("{}/huge", hostile_server(huge_header)),
        format!("{}/big", hostile_server(endless_body_after_405)),
    ];
    let items: String = urls
        .iter()
        .map(|u| format!("  - url: {u}\n    kind: test\n"))
        .collect();
    let dir = mk_repo();
    let doc = practice(
        &format!("  - path: ../evidence/patching.md\n    kind: procedure\n{items}"),
        "",
    );
    std::fs::write(dir.path().join(DOC), doc).expect("write");
    let start = Instant::now();
    let (_, json) = check_sys(dir.path(), &["--online"]);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(
        at(&json, DOC),
        ["evidence-url-unreachable 8", "evidence-url-unreachable 10"]
    );
}

/// Row 52: without `--online` nothing connects anywhere: evidence URLs and body links point at
/// a listener the test holds on 127.0.0.1, and no connection reaches it from `check` (every
/// format), `report`, `evidence` or `pin --check`. The control: `--online` does connect.
#[test]
fn nothing_connects_without_online() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let dir = mk_repo();
    let doc = practice(
        &format!(
            "  - path: ../evidence/patching.md\n    kind: procedure\n  - url: {base}/evidence\n    kind: test\n"
        ),
        &format!("[a]({base}/link) <{base}/autolink> {base}/bare\n![i]({base}/image.png)\n"),
    );
    std::fs::write(dir.path().join(DOC), doc).expect("write");
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "github", "sarif", "summary-md"] {
        runs.push(vec!["check", "sys", "--format", format]);
    }
    for format in ["md", "html", "json"] {
        runs.push(vec!["report", "sys", "--format", format]);
    }
    for format in ["md", "csv", "json"] {
        runs.push(vec!["evidence", "sys", "--format", format]);
    }
    runs.push(vec!["pin", "sys", "--check"]);
    for mut args in runs {
        args.extend(["--today", TODAY]);
        let out = run_bounded(dir.path(), &args);
        assert_ran(&args, &out);
    }
    // A connection would wait in the listener's backlog whether or not it was accepted.
    listener.set_nonblocking(true).expect("non-blocking");
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Ok((_, from)) => panic!("a connection from {from} without --online"),
        Err(e) => panic!("accept: {e}"),
    }

    let served = std::thread::spawn(move || {
        let start = Instant::now();
        let stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break stream,
                Err(_) if start.elapsed() < DEADLINE => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => panic!("no connection with --online: {e}"),
            }
        };
        stream.set_nonblocking(false).expect("blocking");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
            line.clear();
        }
        let _ = reader
            .into_inner()
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
    let (_, json) = check_sys(dir.path(), &["--online"]);
    served.join().expect("the control server");
    assert_eq!(findings(&json), Vec::<String>::new());
}
