//! The attempts against smm-lint that held, kept as a test matrix so that each keeps holding.
//! Every test names what it checks and gives, in its doc comment, the row of the table of
//! attempts it reproduces. Outside paths are FIFOs where that proves a file was never opened:
//! opening one blocks, so the run hits its deadline and the test fails.
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

mod common;
use common::*;
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
    assert!(!err.contains("panicked"), "smm-lint {args:?} panicked: {err}");
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
    symlink(outside.path().join("secret.md"), evidence_dir.join("link.md")).expect("link");
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
    for model in [abs.as_str(), climb.as_str(), "link.yaml", "linkdir/cat.yaml"] {
        let dir = mk_repo();
        symlink(&fifo, dir.path().join("sys/link.yaml")).expect("link");
        symlink(outside.path(), dir.path().join("sys/linkdir")).expect("dir link");
        let profile = PROFILE.replace("profile: sys\n", &format!("profile: sys\nmodel: {model}\n"));
        std::fs::write(dir.path().join("sys/profile.md"), profile).expect("write");
        let (code, json) = check_sys(dir.path(), &[]);
        assert_eq!(findings(&json), ["catalogue-invalid sys/profile.md:3"], "{model}");
        let message = diagnostics(&json)[0]["message"].as_str().unwrap_or_default();
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
    assert_eq!(findings(&json), [format!("evidence-anchor-not-found {DOC}:6")]);
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
        assert!(stderr(&out).contains("base ref"), "{base:?}: {}", stderr(&out));
        assert!(!marker.exists(), "{base:?} created {m}");
    }
    assert_eq!(listing(dir.path()), before);
    let out = run_bounded(dir.path(), &["check", "sys", "--today", TODAY, "--base=HEAD"]);
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
        &["report", "sys", "--format", "json", "--output", "report.json"],
        &["evidence", "sys", "--format", "json", "--output", "index.json"],
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
    let broken = PROFILE.replace(MARKED, UNMARKED).replace("industry:", "industy:");
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
        assert_eq!(listing(dir.path()), files, "round {round}: files left behind");
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
    assert_eq!(kept, String::from_utf8_lossy(&text), "only a pin line may be added");
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
    assert_eq!(without.as_bytes(), &original[3..], "only the pin line was added");
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
            findings(&json).iter().all(|f| !f.starts_with("front-matter")),
            "{broken}: {:?}",
            findings(&json)
        );
    }
}
