//! A hostile repository: symbolic link loops, a link to `/`, FIFOs named `*.md`, 1 GiB sparse
//! files with front matter, a path of 4,000 characters (and one past PATH_MAX), and evidence and
//! links pointing at each. Every check finishes in bounded time and memory, exits 0 or 1 with
//! valid JSON, and writes nothing: every file's and directory's content and mtime are recorded
//! before and after.
#![allow(clippy::print_stderr)] // timings, shown with --nocapture

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// Generous bounds: the debug binary on a loaded 2-core machine. CPU time where it can be
/// measured; wall-clock time has a wider bound, since the other tests run alongside, and still
/// catches a run blocked on a FIFO (which takes no CPU time).
const TIME_BOUND: Duration = Duration::from_secs(20);
const WALL_BOUND: Duration = Duration::from_secs(60);
/// A run still going after this is killed and reported as a hang.
const KILL_AFTER: Duration = Duration::from_secs(90);
/// Peak resident memory, in KiB (reading a 1 GiB file would blow it).
const RSS_BOUND_KB: u64 = 200 * 1024;

const GIB: u64 = 1 << 30;

const PROFILE: &str = "---\nprofile: hostile\nsystem: Hostile gateway\nindustry: energy\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n# Hostile\n";

/// One component of the long path: 199 characters, under every file system's 255.
fn component(c: char) -> String {
    std::iter::repeat_n(c, 199).collect()
}

/// A relative directory path of at least `len` characters made of `c` components.
fn long_dir(c: char, len: usize) -> String {
    let comp = component(c);
    let n = len.div_ceil(comp.len() + 1);
    let mut path = vec![comp; n].join("/");
    path.insert_str(0, "long/");
    path
}

/// Creates nested directories and files under `base` one component at a time with relative
/// paths, so that paths longer than PATH_MAX can be made (bash: dash cannot `cd` past PATH_MAX).
fn create_deep(base: &Path, dir: &str, files: &[(&str, &str)]) {
    let mut script = String::from("set -e\n");
    for comp in dir.split('/') {
        script.push_str(&format!("mkdir -p '{comp}'\ncd -P '{comp}'\n"));
    }
    for (name, content) in files {
        script.push_str(&format!("cat > '{name}' <<'EOF'\n{content}EOF\n"));
    }
    let status = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(base)
        .status()
        .expect("sh runs");
    assert!(status.success(), "creating the deep directories failed");
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A sparse file of `len` bytes that starts with `head`.
fn sparse(path: &Path, head: &str, len: u64) {
    let mut f = std::fs::File::create(path).expect("create sparse file");
    f.write_all(head.as_bytes()).expect("write head");
    f.set_len(len).expect("extend sparse file");
}

/// What a hostile practice document cites: each target as evidence and as a body link.
fn citing_practice(targets: &[&str]) -> String {
    let mut doc = String::from(
        "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n",
    );
    for t in targets {
        doc.push_str(&format!(
            "  - path: {t}\n    kind: record\n    reviewed: 2026-09-20\n"
        ));
    }
    doc.push_str("---\n# Patch management\n\n");
    for (i, t) in targets.iter().enumerate() {
        doc.push_str(&format!("See [target {i}]({t}).\n"));
    }
    doc
}

/// The base tree: a profile, the evidence and the `hardening/` directory.
fn base_tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path().join("repo");
    write_tree(
        &repo,
        &[
            ("profile.md", PROFILE),
            (
                "evidence/patching.md",
                "# Patching\n\n## Monthly window\n\nFirst Tuesday.\n",
            ),
        ],
    );
    std::fs::create_dir_all(repo.join("hardening")).expect("dir");
    (tmp, repo)
}

fn write_practice(repo: &Path, targets: &[&str]) {
    std::fs::write(
        repo.join("hardening/patch-management.md"),
        citing_practice(targets),
    )
    .expect("write practice");
}

// ---------------------------------------------------------------------------------------------
// Running the binary with a watchdog, measuring time and peak memory.

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// CPU time when `/usr/bin/time` measured the run, else wall-clock time.
    work: Duration,
    wall: Duration,
    peak_rss_kb: Option<u64>,
}

/// Runs `smm-lint ARGS` in `dir`, killing it after [`KILL_AFTER`]. Output goes to files
/// outside the checked tree, so a large report cannot fill a pipe and stall the run.
fn run_bounded(dir: &Path, args: &[&str]) -> Outcome {
    let out_dir = tempfile::tempdir().expect("temp dir for the output");
    let stdout_path = out_dir.path().join("stdout");
    let stderr_path = out_dir.path().join("stderr");
    let rss_path = out_dir.path().join("rss");
    let bin = env!("CARGO_BIN_EXE_smm-lint");
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f")
            .arg(TIME_FORMAT)
            .arg("-o")
            .arg(&rss_path)
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"));
    let start = Instant::now();
    let mut child = cmd.spawn().expect("the binary starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if start.elapsed() > KILL_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let wall = start.elapsed();
    let read = |p: &Path| {
        let mut s = Vec::new();
        let _ = std::fs::File::open(p).and_then(|mut f| f.read_to_end(&mut s));
        String::from_utf8_lossy(&s).into_owned()
    };
    let stderr = read(&stderr_path);
    let Some(status) = status else {
        panic!(
            "smm-lint {args:?} hung: killed after {KILL_AFTER:?}\nstderr: {}",
            tail(&stderr)
        );
    };
    let figures = time_figures(&read(&rss_path));
    Outcome {
        code: status.code(),
        stdout: read(&stdout_path),
        stderr,
        work: figures.map_or(wall, |(cpu, _)| cpu),
        wall,
        peak_rss_kb: figures.map(|(_, rss)| rss),
    }
}

fn tail(s: &str) -> &str {
    let mut start = s.len().saturating_sub(2000);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// `check --format json` in `dir` with `extra` arguments: bounded, exit 0 or 1, valid JSON.
fn check_bounded(dir: &Path, extra: &[&str]) -> (i32, Value, Outcome) {
    let mut args = vec!["check", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let out = run_bounded(dir, &args);
    assert_sane(&args, &out);
    let code = out.code.expect("an exit code");
    assert!(
        matches!(code, 0 | 1),
        "smm-lint {args:?} exited {code}\nstderr: {}",
        tail(&out.stderr)
    );
    let json: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "smm-lint {args:?}: not JSON ({e}): {}\nstderr: {}",
            tail(&out.stdout),
            tail(&out.stderr)
        )
    });
    assert!(json["diagnostics"].is_array(), "no diagnostics array");
    (code, json, out)
}

/// Time, memory and no panic, whatever the exit code.
fn assert_sane(args: &[&str], out: &Outcome) {
    assert!(
        !out.stderr.contains("panicked"),
        "smm-lint {args:?} panicked: {}",
        tail(&out.stderr)
    );
    assert!(
        out.code.is_some(),
        "smm-lint {args:?} died of a signal\nstderr: {}",
        tail(&out.stderr)
    );
    assert!(
        out.work < TIME_BOUND,
        "smm-lint {args:?} took {:?} (bound {TIME_BOUND:?})",
        out.work
    );
    assert!(
        out.wall < WALL_BOUND,
        "smm-lint {args:?} took {:?} of wall-clock time (bound {WALL_BOUND:?})",
        out.wall
    );
    if let Some(kb) = out.peak_rss_kb {
        assert!(
            kb < RSS_BOUND_KB,
            "smm-lint {args:?} peaked at {kb} KiB (bound {RSS_BOUND_KB} KiB)"
        );
    }
}

/// Rules reported at `path` (repository-relative, as printed).
fn rules_at<'a>(json: &'a Value, path: &str) -> Vec<&'a str> {
    diagnostics(json)
        .iter()
        .filter(|d| d["path"].as_str() == Some(path))
        .filter_map(|d| d["rule"].as_str())
        .collect()
}

/// The rules of the diagnostics whose message mentions `needle`.
fn rules_mentioning<'a>(json: &'a Value, needle: &str) -> Vec<&'a str> {
    diagnostics(json)
        .iter()
        .filter(|d| d["message"].as_str().is_some_and(|m| m.contains(needle)))
        .filter_map(|d| d["rule"].as_str())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The "check never writes" snapshot.

#[derive(Debug, PartialEq, Eq)]
enum Entry {
    Dir {
        mtime: Option<SystemTime>,
        names: Vec<String>,
    },
    File {
        len: u64,
        mtime: Option<SystemTime>,
        /// The whole content, or its first 64 KiB for files over 1 MiB (the sparse ones).
        head: Vec<u8>,
    },
    Link {
        target: PathBuf,
        mtime: Option<SystemTime>,
    },
    Other {
        mtime: Option<SystemTime>,
    },
    Unreadable(String),
}

/// Every entry under `root`, symbolic links not followed.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                out.insert(path, Entry::Unreadable(e.kind().to_string()));
                continue;
            }
        };
        let mtime = meta.modified().ok();
        let t = meta.file_type();
        let entry = if t.is_symlink() {
            Entry::Link {
                target: std::fs::read_link(&path).unwrap_or_default(),
                mtime,
            }
        } else if t.is_dir() {
            match std::fs::read_dir(&path) {
                Ok(rd) => {
                    let mut names: Vec<String> = rd
                        .filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect();
                    names.sort();
                    stack.extend(names.iter().map(|n| path.join(n)));
                    Entry::Dir { mtime, names }
                }
                Err(e) => Entry::Unreadable(e.kind().to_string()),
            }
        } else if t.is_file() {
            let mut head = Vec::new();
            let limit = if meta.len() > 1 << 20 {
                64 << 10
            } else {
                1 << 20
            };
            let _ = std::fs::File::open(&path).and_then(|f| f.take(limit).read_to_end(&mut head));
            Entry::File {
                len: meta.len(),
                mtime,
                head,
            }
        } else {
            Entry::Other { mtime }
        };
        out.insert(path, entry);
    }
    out
}

fn assert_unchanged(before: &BTreeMap<PathBuf, Entry>, after: &BTreeMap<PathBuf, Entry>) {
    let added: Vec<&PathBuf> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let removed: Vec<&PathBuf> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(added.is_empty(), "check created {added:?}");
    assert!(removed.is_empty(), "check removed {removed:?}");
    for (path, entry) in before {
        assert_eq!(
            Some(entry),
            after.get(path),
            "check changed {}",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The whole hostile repository.

/// Builds every hostile item into one tree; returns the long directory's relative path.
fn hostile_tree(repo: &Path) -> String {
    // Symbolic link loops: two links to each other, a link to its own directory, and a
    // Markdown file linked to itself.
    symlink("loop-b", repo.join("loop-a")).expect("symlink");
    symlink("loop-a", repo.join("loop-b")).expect("symlink");
    symlink(".", repo.join("self")).expect("symlink");
    symlink("loop.md", repo.join("evidence/loop.md")).expect("symlink");
    // The file system root, as a directory and as a Markdown file.
    symlink("/", repo.join("root")).expect("symlink");
    symlink("/etc/passwd", repo.join("evidence/passwd.md")).expect("symlink");
    // FIFOs named like documents: opening one for reading would block forever.
    mkfifo(&repo.join("x.md"));
    mkfifo(&repo.join("evidence/x.md"));
    // 1 GiB sparse files: a practice document and an evidence document.
    sparse(
        &repo.join("hardening/huge.md"),
        "---\npractice: vulnerability-assessment\ncurrent: 1/general\nassessed: 2026-10-01\n---\n# Huge\n",
        GIB,
    );
    sparse(
        &repo.join("evidence/huge.md"),
        "# Huge evidence\n\n## Window\n",
        GIB,
    );
    // A path of 4,000 characters (plus the temp dir's own, under PATH_MAX = 4096 in all).
    let long = long_dir('d', 4000 - "/monitoring-practices.md".len());
    create_deep(
        repo,
        &long,
        &[
            ("deep-evidence.md", "# Deep\n\n## Anchor\n"),
            (
                "monitoring-practices.md",
                "---\npractice: monitoring-practices\ncurrent: 0/general\nassessed: 2026-10-01\nasessor: a@example.com\n---\n# Deep practice\n\n[back](deep-evidence.md#anchor)\n",
            ),
        ],
    );
    let deep = format!("../{long}/deep-evidence.md");
    write_practice(
        repo,
        &[
            "../loop-a/x.md",
            "../self/evidence/patching.md",
            "../evidence/loop.md",
            "../root/etc/passwd",
            "../evidence/passwd.md",
            "../x.md",
            "../evidence/x.md",
            "../hardening/huge.md#huge",
            "../evidence/huge.md#window",
            "../evidence/huge.md#no-such-heading",
            &format!("{deep}#anchor"),
            &format!("{deep}#no-such-anchor"),
        ],
    );
    long
}

#[test]
fn a_hostile_repository_is_checked_in_bounded_time_and_memory_and_never_written() {
    let (tmp, repo) = base_tree();
    let long = hostile_tree(&repo);
    assert!(long.len() + "/monitoring-practices.md".len() >= 4000);
    let before = snapshot(tmp.path());
    let (code, json, out) = check_bounded(&repo, &[]);
    assert_eq!(code, 1, "errors are expected");

    let practice = "hardening/patch-management.md";
    // Out of the repository through a link to `/`: reported, never opened.
    assert!(
        rules_mentioning(&json, "../root/etc/passwd").contains(&"evidence-outside-repo"),
        "{:#?}",
        findings(&json)
    );
    assert!(rules_mentioning(&json, "../evidence/passwd.md").contains(&"evidence-outside-repo"));
    // FIFOs are not regular files.
    assert!(rules_mentioning(&json, "`../x.md`").contains(&"evidence-not-found"));
    assert!(rules_mentioning(&json, "`../evidence/x.md`").contains(&"evidence-not-found"));
    // Loops resolve to nothing.
    assert!(rules_mentioning(&json, "../loop-a/x.md").contains(&"evidence-not-found"));
    assert!(rules_mentioning(&json, "../evidence/loop.md").contains(&"evidence-not-found"));
    // Of the 1 GiB practice document only the front matter is read (and checked), and said so.
    assert!(
        rules_at(&json, "hardening/huge.md").contains(&"file-too-large"),
        "{:#?}",
        findings(&json)
    );
    // The document at the end of the 4,000-character path is found and checked.
    let deep_doc = format!("{long}/monitoring-practices.md");
    assert!(
        rules_at(&json, &deep_doc).contains(&"unknown-key"),
        "{:#?}",
        findings(&json)
    );
    // Its evidence file is read: a missing anchor there is found, a present one is not.
    assert!(rules_mentioning(&json, "#no-such-anchor").contains(&"evidence-anchor-not-found"));
    assert!(!rules_mentioning(&json, "#anchor`").contains(&"evidence-anchor-not-found"));
    // Nothing is reported about a link that stays inside through `self -> .`.
    assert!(rules_mentioning(&json, "../self/evidence/patching.md").is_empty());
    assert!(!rules_at(&json, practice).is_empty());

    // The other formats, on the same tree.
    for format in ["human", "sarif", "github", "summary-md"] {
        let args = ["check", "--format", format, "--today", TODAY];
        let out = run_bounded(&repo, &args);
        assert_sane(&args, &out);
        assert!(matches!(out.code, Some(0 | 1)), "{format}: {:?}", out.code);
    }
    assert_unchanged(&before, &snapshot(tmp.path()));
    eprintln!(
        "hostile repository: {:?}, peak RSS {:?} KiB",
        out.work, out.peak_rss_kb
    );
}

/// Each hostile item given as the PATH argument: bounded, no panic; 0 or 1 with JSON, or 2 with
/// a message for a PATH that cannot be read at all (a link loop).
#[test]
fn hostile_paths_given_as_arguments() {
    let (tmp, repo) = base_tree();
    let long = hostile_tree(&repo);
    let before = snapshot(tmp.path());
    let deep = format!("{long}/monitoring-practices.md");
    for path in [
        "x.md",
        "evidence/x.md",
        "root",
        "root/etc/passwd",
        "evidence/passwd.md",
        "self",
        "self/self/self/hardening",
        "hardening/huge.md",
        "evidence/huge.md",
        deep.as_str(),
        "loop-a",
        "evidence/loop.md",
    ] {
        let args = ["check", "--format", "json", "--today", TODAY, path];
        let out = run_bounded(&repo, &args);
        assert_sane(&args, &out);
        match out.code {
            Some(0 | 1) => {
                serde_json::from_str::<Value>(&out.stdout)
                    .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {}", tail(&out.stdout)));
            }
            Some(2) => assert!(
                out.stderr.contains("cannot read"),
                "{path}: exit 2 without saying why: {}",
                tail(&out.stderr)
            ),
            code => panic!("{path}: exit {code:?}: {}", tail(&out.stderr)),
        }
    }
    assert_unchanged(&before, &snapshot(tmp.path()));
}

// ---------------------------------------------------------------------------------------------
// Each item alone, so a failure names its cause.

#[test]
fn a_symlink_loop() {
    let (_tmp, repo) = base_tree();
    symlink("b", repo.join("a")).expect("symlink");
    symlink("a", repo.join("b")).expect("symlink");
    symlink("..", repo.join("hardening/up")).expect("symlink");
    symlink("loop.md", repo.join("loop.md")).expect("symlink");
    write_practice(
        &repo,
        &["../a/x.md", "../loop.md", "up/up/up/evidence/patching.md"],
    );
    let (_, json, _) = check_bounded(&repo, &[]);
    assert!(rules_mentioning(&json, "../a/x.md").contains(&"evidence-not-found"));
    assert!(rules_mentioning(&json, "../loop.md").contains(&"evidence-not-found"));
}

#[test]
fn a_symlink_to_the_root() {
    let (_tmp, repo) = base_tree();
    symlink("/", repo.join("root")).expect("symlink");
    symlink("/", repo.join("hardening/root.md")).expect("symlink");
    write_practice(&repo, &["../root/etc/passwd", "root.md", "../root"]);
    let (_, json, _) = check_bounded(&repo, &[]);
    for t in ["../root/etc/passwd", "`root.md`", "`../root`"] {
        assert!(
            rules_mentioning(&json, t).contains(&"evidence-outside-repo"),
            "{t}: {:#?}",
            findings(&json)
        );
    }
}

#[test]
fn a_fifo_named_like_a_document() {
    let (_tmp, repo) = base_tree();
    mkfifo(&repo.join("x.md"));
    mkfifo(&repo.join("hardening/vulnerability-assessment.md"));
    write_practice(&repo, &["../x.md", "vulnerability-assessment.md#a"]);
    let (_, json, _) = check_bounded(&repo, &[]);
    assert!(rules_mentioning(&json, "`../x.md`").contains(&"evidence-not-found"));
    assert!(
        rules_mentioning(&json, "`vulnerability-assessment.md#a`").contains(&"evidence-not-found")
            || rules_mentioning(&json, "`vulnerability-assessment.md`")
                .contains(&"evidence-not-found"),
        "{:#?}",
        findings(&json)
    );
}

#[test]
fn a_sparse_gigabyte_document_with_front_matter() {
    let (_tmp, repo) = base_tree();
    sparse(
        &repo.join("hardening/vulnerability-assessment.md"),
        "---\npractice: vulnerability-assessment\ncurrent: 1/general\nassessed: 2026-10-01\n---\n# Huge\n",
        GIB,
    );
    // Front matter that never closes within the first megabytes either.
    sparse(
        &repo.join("hardening/unclosed.md"),
        "---\npractice: monitoring-practices\n",
        GIB,
    );
    sparse(&repo.join("evidence/huge.md"), "# Huge\n\n## Window\n", GIB);
    write_practice(
        &repo,
        &["vulnerability-assessment.md", "../evidence/huge.md#window"],
    );
    let (_, json, out) = check_bounded(&repo, &[]);
    // Its front matter is still checked (level 1 without evidence), its body is not read.
    let huge = rules_at(&json, "hardening/vulnerability-assessment.md");
    assert!(huge.contains(&"file-too-large"), "{huge:?}");
    assert!(huge.contains(&"evidence-insufficient"), "{huge:?}");
    // A front matter that does not close within its limit cannot be checked: an error.
    assert_eq!(rules_at(&json, "hardening/unclosed.md"), ["limit-exceeded"]);
    eprintln!("sparse: {:?}, {:?} KiB", out.work, out.peak_rss_kb);
}

#[test]
fn a_path_of_four_thousand_characters() {
    let (tmp, repo) = base_tree();
    let long = long_dir('p', 4000 - "/deep.md".len());
    create_deep(&repo, &long, &[("deep.md", "# Deep\n\n## Anchor\n")]);
    assert!(long.len() + "/deep.md".len() >= 4000);
    assert!(tmp.path().join(&repo).join(&long).as_os_str().len() < 4096);
    write_practice(
        &repo,
        &[
            &format!("../{long}/deep.md#anchor"),
            &format!("../{long}/deep.md#nope"),
        ],
    );
    let (_, json, _) = check_bounded(&repo, &[]);
    assert!(
        rules_mentioning(&json, "#nope").contains(&"evidence-anchor-not-found"),
        "{:#?}",
        findings(&json)
    );
    assert!(!rules_mentioning(&json, "#anchor").contains(&"evidence-anchor-not-found"));
}

/// Past PATH_MAX the files cannot be opened by path at all: reported or skipped, never fatal.
#[test]
fn a_path_longer_than_path_max() {
    let (_tmp, repo) = base_tree();
    let long = long_dir('q', 4400);
    create_deep(
        &repo,
        &long,
        &[
            ("deep.md", "# Deep\n\n## Anchor\n"),
            (
                "monitoring-practices.md",
                "---\npractice: monitoring-practices\ncurrent: 0/general\nassessed: 2026-10-01\n---\n# Deep\n",
            ),
        ],
    );
    write_practice(&repo, &[&format!("../{long}/deep.md#anchor")]);
    let (_, _json, out) = check_bounded(&repo, &[]);
    // The walk cannot enter the directory; what it says about it stays short.
    assert!(
        out.stderr.len() < 20_000,
        "stderr of {} bytes",
        out.stderr.len()
    );
}

/// A `sha256` pin is checked by hashing the file: bounded by the file's size. 64 MiB keeps the
/// debug build's hashing to a second or two.
#[test]
fn a_pinned_large_evidence_file() {
    let (_tmp, repo) = base_tree();
    sparse(&repo.join("evidence/large.md"), "# Large\n", 64 << 20);
    let mut doc = citing_practice(&[]);
    doc = doc.replacen(
        "evidence:\n",
        "evidence:\n  - path: ../evidence/large.md\n    kind: record\n    sha256: abababababababababababababababababababababababababababababababab\n",
        1,
    );
    std::fs::write(repo.join("hardening/patch-management.md"), doc).expect("write");
    let (_, json, _) = check_bounded(&repo, &[]);
    assert!(rules_mentioning(&json, "../evidence/large.md").contains(&"evidence-changed"));
}

/// Each file is hashed once per run, however many pins cite it (it was once hashed per pin: 10
/// pins on a 1 GiB sparse file took about 9.5 s against 0.95 s for one).
#[test]
fn many_pins_on_one_large_file_hash_it_once() {
    let timed = |pins: u64| {
        let (_tmp, repo) = base_tree();
        sparse(&repo.join("evidence/large.md"), "# Large\n", 64 << 20);
        let items: String = (0..pins)
            .map(|i| {
                format!(
                    "  - path: ../evidence/large.md\n    kind: record\n    sha256: {:064x}\n",
                    0xabcd_ef00_u64 + i
                )
            })
            .collect();
        let doc = citing_practice(&[]).replacen("evidence:\n", &format!("evidence:\n{items}"), 1);
        std::fs::write(repo.join("hardening/patch-management.md"), doc).expect("write");
        check_bounded(&repo, &[]).2.work
    };
    let one = timed(1);
    let twenty = timed(20);
    // Hashing per pin would take about 20 times as long. The margin is wide in case the time is
    // wall-clock time (no /usr/bin/time), which the tests running alongside disturb.
    assert!(
        twenty < one * 8 + Duration::from_secs(1),
        "20 pins on one file: {twenty:?}; one pin: {one:?}"
    );
}

/// `check` never writes, on a real fixture tree, in every format.
#[test]
fn check_never_writes_a_fixture_tree() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path().join("repo");
    copy_tree(&repo_root_fixture(), &repo);
    // A broken document too, since reports about broken input are where a writer might hide.
    std::fs::write(
        repo.join("hardening/broken.md"),
        "---\npractice: monitoring-practices\ncurrent: [2/general\n---\n# Broken\n",
    )
    .expect("write");
    // Backdate every file, so that a rewrite with the same content would still show.
    backdate(&repo);
    let before = snapshot(tmp.path());
    for format in ["json", "human", "sarif", "github", "summary-md"] {
        let args = ["check", "--format", format, "--today", TODAY];
        let out = run_bounded(&repo, &args);
        assert_sane(&args, &out);
        assert_eq!(out.code, Some(1), "{format}: {}", tail(&out.stderr));
    }
    // A file argument.
    let args = [
        "check",
        "--format",
        "json",
        "--today",
        TODAY,
        "hardening/patch-management.md",
    ];
    let out = run_bounded(&repo, &args);
    assert_sane(&args, &out);
    assert_unchanged(&before, &snapshot(tmp.path()));
}

fn backdate(dir: &Path) {
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            backdate(&path);
        } else {
            std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(past))
                .expect("set mtime");
        }
    }
}

fn repo_root_fixture() -> PathBuf {
    repo().join("fixtures/bottling-line")
}
