//! Hostile and broken input: each case gets a clear diagnostic on the right line (or is
//! skipped), never a panic and never exit 2; and `check` never writes a file.

use crate::common::*;
use std::path::Path;

const PROFILE: &str = "---\nprofile: demo\nsystem: Demo\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n";

/// A tree with the profile above and `doc` as the patch-management practice document.
fn tree_with(doc: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write_tree(
        dir.path(),
        &[("profile.md", PROFILE), ("evidence/p.md", "# P\n")],
    );
    std::fs::create_dir_all(dir.path().join("hardening")).expect("dir");
    std::fs::write(dir.path().join("hardening/patch-management.md"), doc).expect("write");
    dir
}

fn findings_for(doc: &[u8]) -> (i32, Vec<String>) {
    let dir = tree_with(doc);
    let (code, json) = check_json(dir.path(), &[]);
    (code, findings(&json))
}

const GOOD: &str = "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/p.md\n    kind: procedure\n---\n# Body\n";

#[test]
fn bom_and_crlf_are_read_like_plain_lf() {
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(GOOD.as_bytes());
    assert_eq!(findings_for(&bom), (0, vec![]));
    let crlf = GOOD.replace('\n', "\r\n");
    assert_eq!(findings_for(crlf.as_bytes()), (0, vec![]));
    // Spans stay right with CRLF: the bad level is on line 3.
    let crlf = crlf.replace("1/general", "5/general");
    assert!(
        findings_for(crlf.as_bytes())
            .1
            .contains(&"front-matter-schema hardening/patch-management.md:3".to_owned())
    );
}

#[test]
fn invalid_yaml_and_broken_fences_are_one_error_each() {
    let doc = GOOD.replace("current: 1/general", "current: [1/general");
    let (code, f) = findings_for(doc.as_bytes());
    assert_eq!(code, 1);
    // One error, and no cascade: the broken document still counts as the practice's document.
    // The parser notices the unclosed `[` of line 3 where the next key starts.
    assert_eq!(f, ["front-matter-syntax hardening/patch-management.md:4"]);
    let unclosed = "---\npractice: patch-management\ncurrent: 1/general\n# Body\n";
    let (_, f) = findings_for(unclosed.as_bytes());
    assert!(
        f.contains(&"front-matter-syntax hardening/patch-management.md:1".to_owned()),
        "{f:?}"
    );
}

#[test]
fn front_matter_that_is_a_scalar_or_a_list_is_reported_when_ours() {
    let (_, f) = findings_for(b"---\n- practice: patch-management\n---\n");
    assert!(
        f.contains(&"front-matter-schema hardening/patch-management.md:2".to_owned()),
        "{f:?}"
    );
    // Someone else's front matter (a docs site page) is left alone.
    let (code, f) = findings_for(b"---\njust a title\n---\n");
    assert!(
        f.iter().all(|f| !f.contains("patch-management.md")),
        "{f:?}"
    );
    assert_eq!(code, 1, "and the practice is then missing");
}

#[test]
fn wrong_types_and_impossible_values_point_at_the_value() {
    let doc = "---\npractice: patch-management\ncurrent: 1+/general\nassessed: 2026-13-45\nevidence: \"a string\"\nplan:\n  - level: 1/regional\n    due: 2027-01-01\n---\n";
    let (code, f) = findings_for(doc.as_bytes());
    assert_eq!(code, 1);
    for line in [3, 4, 5, 7] {
        let want = format!("front-matter-schema hardening/patch-management.md:{line}");
        assert!(f.contains(&want), "missing {want} in {f:?}");
    }
}

#[test]
fn invalid_utf8_in_the_body_is_reported_and_the_rest_checked() {
    let mut doc = GOOD.as_bytes().to_vec();
    doc.extend_from_slice(b"line one\nbad \xFF\xFE byte\n");
    let (code, f) = findings_for(&doc);
    assert_eq!(f, ["invalid-utf8 hardening/patch-management.md:11"]);
    assert_eq!(code, 1);
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused_with_a_diagnostic() {
    let mut bomb = String::from("---\npractice: patch-management\na: &a [x,x,x,x,x,x,x,x,x]\n");
    for i in 1..12u8 {
        let (p, c) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        bomb.push_str(&format!(
            "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        ));
    }
    bomb.push_str("---\n");
    let (code, f) = findings_for(bomb.as_bytes());
    assert_eq!(code, 1);
    assert!(
        f.iter()
            .any(|f| f.starts_with("front-matter-syntax hardening/patch-management.md")),
        "{f:?}"
    );
    let deep = format!(
        "---\npractice: patch-management\nx: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (_, f) = findings_for(deep.as_bytes());
    assert!(
        f.iter()
            .any(|f| f.starts_with("front-matter-syntax hardening/patch-management.md:3")),
        "{f:?}"
    );
}

/// Over the size limit only the front matter is read; one that does not close within its own
/// limit cannot be checked, which fails the run.
#[test]
fn a_huge_file_whose_front_matter_never_closes_is_an_error_without_being_read() {
    let dir = tree_with(GOOD.as_bytes());
    let huge = std::fs::File::create(dir.path().join("hardening/huge.md")).expect("create");
    std::io::Write::write_all(&mut &huge, b"---\npractice: x\n").expect("write");
    huge.set_len(50 * 1024 * 1024).expect("sparse 50 MB");
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), ["limit-exceeded hardening/huge.md:1"]);
    assert_eq!(code, 1, "an error");
}

#[cfg(unix)]
#[test]
fn symlink_loops_links_out_and_fifos_do_not_trap_or_leak() {
    use std::os::unix::fs::symlink;
    let dir = tree_with(GOOD.as_bytes());
    symlink(dir.path(), dir.path().join("hardening/loop")).expect("loop link");
    symlink("/etc/passwd", dir.path().join("evidence/passwd.md")).expect("link out");
    symlink("/", dir.path().join("root")).expect("link to /");
    let fifo = dir.path().join("x.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        made || !Path::new("/usr/bin/mkfifo").exists(),
        "mkfifo failed"
    );
    let doc = GOOD.replace("../evidence/p.md", "../evidence/passwd.md");
    std::fs::write(dir.path().join("hardening/patch-management.md"), doc).expect("write");
    let (code, json) = check_json(dir.path(), &[]);
    let f = findings(&json);
    assert!(
        f.contains(&"evidence-outside-repo hardening/patch-management.md:6".to_owned()),
        "{f:?}"
    );
    assert_eq!(json["summary"]["documents"], 2);
    assert_eq!(code, 1);
}

#[test]
fn evidence_paths_leaving_the_repository_are_never_read() {
    let doc = "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: /etc/passwd\n    kind: procedure\n  - path: ../../../../../../../../etc/passwd\n    kind: procedure\n---\n";
    let (_, f) = findings_for(doc.as_bytes());
    assert!(
        f.contains(&"evidence-outside-repo hardening/patch-management.md:6".to_owned()),
        "{f:?}"
    );
    assert!(
        f.contains(&"evidence-outside-repo hardening/patch-management.md:8".to_owned()),
        "{f:?}"
    );
}

#[test]
fn messages_that_echo_document_text_stay_on_one_line() {
    let doc = "---\npractice: \"patch-management\\n::error::injected\"\ncurrent: 1/general\nassessed: 2026-10-01\n---\n";
    let dir = tree_with(doc.as_bytes());
    let (_, json) = check_json(dir.path(), &[]);
    for d in diagnostics(&json) {
        let message = d["message"].as_str().expect("message");
        assert!(
            !message.contains('\n') && !message.contains('\r'),
            "{message:?}"
        );
    }
    assert!(findings(&json).contains(&"unknown-id hardening/patch-management.md:2".to_owned()));
}

/// Every file's content and modification time, for "check never writes".
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let meta = entry.metadata().expect("metadata");
            let content = std::fs::read(entry.path()).expect("read");
            out.push((
                entry.path().display().to_string(),
                content,
                meta.modified().expect("mtime"),
            ));
        }
    }
    out
}

#[test]
fn check_never_writes_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("fixtures/bottling-line"), dir.path());
    let before = snapshot(dir.path());
    for format in ["human", "json"] {
        let out = run(dir.path(), &["check", "--format", format]);
        assert!(matches!(code(&out), 0 | 1));
    }
    assert_eq!(snapshot(dir.path()), before);
}

#[cfg(unix)]
#[test]
fn a_fifo_cited_as_evidence_or_linked_is_not_opened() {
    let doc = GOOD.replace("../evidence/p.md", "../evidence/pipe.md#x")
        + "\nSee [the pipe](../evidence/pipe.md#y).\n";
    let dir = tree_with(doc.as_bytes());
    let fifo = dir.path().join("evidence/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    // Run with a deadline: a blocked read would hang the test otherwise.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_smm-lint"))
        .args(["check", "--format", "json", "--today", TODAY])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("check hung on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        findings(&json).contains(&"evidence-not-found hardening/patch-management.md:6".to_owned()),
        "{:?}",
        findings(&json)
    );
}

#[test]
fn a_directory_is_not_evidence() {
    let doc = GOOD.replace("../evidence/p.md", "../evidence/");
    let (code, f) = findings_for(doc.as_bytes());
    assert_eq!(
        f,
        [
            "evidence-insufficient hardening/patch-management.md:3",
            "evidence-not-found hardening/patch-management.md:6"
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn outside_git_the_root_is_the_working_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(json["summary"]["profiles"], 1);
    assert_eq!(code, 0);
    // From a subdirectory nothing above is read (a file planted in a shared parent such as the
    // temporary directory must not widen the boundary): the profile above is not found.
    let (code, json) = check_json(&dir.path().join("hardening"), &[]);
    assert_eq!(json["summary"]["profiles"], 0);
    assert!(
        findings(&json).contains(&"profile-missing patch-management.md:2".to_owned()),
        "{:?}",
        findings(&json)
    );
    assert_eq!(code, 1);
}

#[test]
fn huge_front_matter_and_too_many_evidence_items_hit_their_limits() {
    let mut doc = String::from(
        "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n",
    );
    for _ in 0..1_001 {
        doc.push_str("  - path: ../evidence/p.md\n    kind: procedure\n");
    }
    doc.push_str("---\n");
    let (_, f) = findings_for(doc.as_bytes());
    // The 1,001st item starts on line 5 + 2 × 1,000 + 1.
    assert_eq!(f, ["limit-exceeded hardening/patch-management.md:2006"]);
    let big = format!(
        "---\npractice: patch-management\nnote: \"{}\"\n---\n",
        "x".repeat(300 * 1024)
    );
    let (_, f) = findings_for(big.as_bytes());
    assert_eq!(
        f,
        ["limit-exceeded hardening/patch-management.md:1"],
        "and no practice-missing"
    );
}

#[test]
fn an_anchor_into_a_file_over_the_size_limit_is_reported_as_not_checked() {
    // The tree's .smm-lint.yaml sets max_file_bytes below the cited evidence file's size; both
    // the evidence anchor (line 6) and the body link's anchor (line 12) are reported.
    let dir = repo().join("fuzz/regressions/hostile/anchor-in-large-file");
    let (code, json) = check_json(&dir, &[]);
    assert_eq!(
        findings(&json),
        [
            "limit-exceeded hardening/patch-management.md:6",
            "limit-exceeded hardening/patch-management.md:12"
        ]
    );
    assert_eq!(code, 1, "an anchor that cannot be checked fails the run");
}

#[cfg(unix)]
#[test]
fn a_path_past_path_max_is_a_finding_not_a_stderr_line() {
    let out = std::process::Command::new("bash")
        .arg(repo().join("fuzz/regressions/hostile/path-max.sh"))
        .arg(env!("CARGO_BIN_EXE_smm-lint"))
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("\"rule\": \"limit-exceeded\""), "{text}");
    assert!(
        text.contains("stderr: 0 bytes"),
        "nothing only on stderr: {text}"
    );
}
