//! `--base` and `--online` against hostile input: file names that could desynchronise git,
//! base blobs too large to read, a configuration changed in the pull request, redirects out of
//! HTTP, and a run-wide deadline. Network: only servers this file starts on 127.0.0.1.

use crate::common::*;
use std::path::Path;
use std::time::{Duration, Instant};

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message]);
}

/// A git repository holding the minimal clean tree, committed and tagged `base`.
fn repo_at_base(extra: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    git(dir.path(), &["init", "-q"]);
    extra(dir.path());
    commit_all(dir.path(), "base");
    git(dir.path(), &["tag", "base"]);
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

const GOVERNANCE: &str =
    "---\npractice: risk-attitude\ncurrent: 3/general\nassessed: 2026-10-02\n---\n";

#[test]
fn a_newline_in_a_base_file_name_does_not_hide_a_regression() {
    let dir = repo_at_base(|d| {
        write_tree(
            d,
            &[
                ("governance/zz.md", GOVERNANCE),
                ("hardening/a\nb.md", "# notes\n"),
            ],
        );
    });
    edit(
        &dir.path().join("governance/zz.md"),
        "3/general",
        "1/general",
    );
    let (code, json) = check_json(dir.path(), &["--base", "base"]);
    let f = findings(&json);
    assert!(
        f.contains(&"regression-level governance/zz.md:3".to_owned()),
        "{f:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn an_oversized_base_document_is_an_error_and_is_not_read() {
    // 3 MB of links under a front matter, against a 1 MB limit.
    let mut huge = String::from(
        "---\npractice: risk-attitude\ncurrent: 3/general\nassessed: 2026-10-02\n---\n",
    );
    while huge.len() < 3_000_000 {
        huge.push_str("[a](b.md) [c](d.md) [e](f.md) [g](h.md)\n");
    }
    let dir = repo_at_base(|d| write_tree(d, &[("governance/huge.md", huge.as_str())]));
    // In the work tree the document is small again, and its level lower.
    std::fs::write(
        dir.path().join("governance/huge.md"),
        GOVERNANCE.replace("3/general", "1/general"),
    )
    .expect("write");
    let started = Instant::now();
    let out = run(
        dir.path(),
        &[
            "check", "--format", "json", "--today", TODAY, "--base", "base",
        ],
    );
    let elapsed = started.elapsed();
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let found: Vec<_> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "limit-exceeded")
        .collect();
    assert_eq!(found.len(), 1, "{:?}", findings(&json));
    assert_eq!(found[0]["path"], "governance/huge.md");
    assert_eq!(found[0]["severity"], "error");
    let message = found[0]["message"].as_str().expect("message");
    assert!(message.contains("not compared with `base`"), "{message}");
    assert_eq!(code(&out), 1);
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[test]
fn an_oversized_base_file_without_front_matter_is_skipped_quietly() {
    let notes = "# Notes\n\n".to_owned() + &"Some text.\n".repeat(200_000);
    let dir = repo_at_base(|d| write_tree(d, &[("hardening/notes.md", notes.as_str())]));
    let (code, json) = check_json(dir.path(), &["--base", "base"]);
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(code, 0);
}

fn config_changed(json: &serde_json::Value) -> Vec<(String, String, String)> {
    diagnostics(json)
        .iter()
        .filter(|d| d["rule"] == "config-changed")
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("?").to_owned(),
                d["severity"].as_str().unwrap_or("?").to_owned(),
                d["message"].as_str().unwrap_or("?").to_owned(),
            )
        })
        .collect()
}

#[test]
fn an_added_configuration_is_reported_even_when_it_turns_the_rule_off() {
    let dir = repo_at_base(|_| {});
    std::fs::write(
        dir.path().join(".smm-lint.yaml"),
        "rules:\n  config-changed: \"off\"\n  evidence-stale: \"off\"\n",
    )
    .expect("write");
    let (code, json) = check_json(dir.path(), &["--base", "base"]);
    assert_eq!(
        config_changed(&json),
        [(
            ".smm-lint.yaml".to_owned(),
            "info".to_owned(),
            "the configuration was added since `base`".to_owned()
        )]
    );
    let help = diagnostics(&json)[0]["help"].as_str().expect("help");
    assert!(help.contains("like a change to the CI workflow"), "{help}");
    assert_eq!(code, 0);
}

#[test]
fn a_removed_or_changed_configuration_is_reported() {
    let dir = repo_at_base(|d| {
        write_tree(d, &[(".smm-lint.yaml", "limits:\n  max_documents: 100\n")]);
    });
    let config = dir.path().join(".smm-lint.yaml");
    std::fs::write(&config, "limits:\n  max_documents: 0\n").expect("write");
    let (_, json) = check_json(dir.path(), &["--base", "base"]);
    assert_eq!(
        config_changed(&json),
        [(
            ".smm-lint.yaml".to_owned(),
            "info".to_owned(),
            "the configuration changed since `base`".to_owned()
        )]
    );
    std::fs::remove_file(&config).expect("remove");
    let (_, json) = check_json(dir.path(), &["--base", "base"]);
    assert_eq!(
        config_changed(&json),
        [(
            ".smm-lint.yaml".to_owned(),
            "info".to_owned(),
            "the configuration in effect at `base` was removed".to_owned()
        )]
    );
}

#[test]
fn an_unchanged_configuration_is_not_reported() {
    let dir = repo_at_base(|d| {
        write_tree(d, &[(".smm-lint.yaml", "rules:\n  evidence-stale: info\n")]);
    });
    let (code, json) = check_json(dir.path(), &["--base", "base"]);
    assert_eq!(config_changed(&json), []);
    assert_eq!(code, 0);
    // Checked from a subdirectory, the same file is still the one in effect.
    let (_, json) = check_json(&dir.path().join("hardening"), &["--base", "base"]);
    assert_eq!(config_changed(&json), []);
}

/// A local server on 127.0.0.1: `/to-file` redirects to `file:///etc/passwd`, `/to-ok`
/// redirects to `/ok`, `/slow…` answers after 30 s, anything else 200. Every request line is
/// logged.
fn hostile_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = std::sync::Arc::clone(&log);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                log.lock().expect("lock").push(request.trim().to_owned());
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let (status, location) = match path.as_str() {
                    "/to-file" => ("302 Found", Some("file:///etc/passwd")),
                    "/to-ok" => ("302 Found", Some("/ok")),
                    p if p.starts_with("/slow") => {
                        std::thread::sleep(Duration::from_secs(30));
                        ("200 OK", None)
                    }
                    _ => ("200 OK", None),
                };
                let mut answer =
                    format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n");
                if let Some(location) = location {
                    answer.push_str(&format!("Location: {location}\r\n"));
                }
                answer.push_str("\r\n");
                let _ = (&stream).write_all(answer.as_bytes());
            });
        }
    });
    (base, seen)
}

/// The minimal tree, its practice citing each of `urls` as evidence.
fn tree_citing(dir: &Path, urls: &[String]) {
    minimal_tree(dir);
    let items: String = urls
        .iter()
        .map(|u| format!("  - url: {u}\n    kind: record\n    reviewed: 2026-10-01\n"))
        .collect();
    edit(
        &dir.join("hardening/patch-management.md"),
        "---\n# Patch",
        &format!("{items}---\n# Patch"),
    );
}

/// `evidence --format json` rows: (url, status).
fn url_statuses(dir: &Path, extra: &[&str]) -> (Vec<(String, String)>, String) {
    let mut args = vec!["evidence", "--format", "json", "--today", TODAY, "--online"];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let rows = json["evidence"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["kind"] == "record")
        .map(|r| {
            (
                r["target"].as_str().unwrap_or("?").to_owned(),
                r["status"].as_str().unwrap_or("?").to_owned(),
            )
        })
        .collect();
    (rows, stderr(&out))
}

#[test]
fn a_redirect_to_a_file_url_is_unreachable_and_never_requested() {
    let (base, seen) = hostile_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let (to_file, to_ok) = (format!("{base}/to-file"), format!("{base}/to-ok"));
    tree_citing(dir.path(), &[to_file.clone(), to_ok.clone()]);
    let (code, json) = check_json(dir.path(), &["--online"]);
    let unreachable: Vec<_> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "evidence-url-unreachable")
        .map(|d| d["message"].as_str().unwrap_or("?").to_owned())
        .collect();
    assert_eq!(unreachable.len(), 1, "{unreachable:?}");
    assert!(
        unreachable[0].contains("/to-file")
            && unreachable[0].contains("redirect to a `file:` URL, not followed"),
        "{unreachable:?}"
    );
    assert_eq!(code, 0, "evidence-url-unreachable is a warning");
    let (rows, _) = url_statuses(dir.path(), &[]);
    assert_eq!(
        rows,
        [
            (to_file, "unreachable".to_owned()),
            (to_ok, "reachable".to_owned())
        ]
    );
    // The http redirect was followed; the file: one never became a request.
    let seen = seen.lock().expect("lock").clone();
    assert!(seen.iter().any(|r| r == "HEAD /ok HTTP/1.1"), "{seen:?}");
    assert!(!seen.iter().any(|r| r.contains("passwd")), "{seen:?}");
}

#[test]
fn the_online_run_ends_at_its_deadline_and_leaves_the_rest_unknown() {
    let (base, _) = hostile_server();
    let dir = tempfile::tempdir().expect("temp dir");
    // More slow URLs than requests in flight (8), each slower than the 10 s timeout.
    let urls: Vec<String> = (0..12).map(|i| format!("{base}/slow{i}")).collect();
    tree_citing(dir.path(), &urls);
    let started = Instant::now();
    let (rows, err) = url_statuses(dir.path(), &["--online-deadline", "2"]);
    let elapsed = started.elapsed();
    assert_eq!(rows.len(), 12);
    assert!(rows.iter().all(|(_, s)| s == "unknown"), "{rows:?}");
    assert!(
        err.contains("12 URLs were not checked within the deadline of 2 s"),
        "{err}"
    );
    // Without the deadline the per-request timeout alone would take 10 s or more.
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");

    let started = Instant::now();
    let out = run(
        dir.path(),
        &[
            "check",
            "--today",
            TODAY,
            "--online",
            "--online-deadline",
            "1",
        ],
    );
    assert_eq!(code(&out), 0, "unknown fails nothing: {}", stdout(&out));
    assert!(started.elapsed() < Duration::from_secs(8));
}

#[test]
fn the_deadline_needs_online() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let out = run(dir.path(), &["check", "--online-deadline", "5"]);
    assert_eq!(code(&out), 2);
}

/// A deadline too large to add to the clock is refused as an argument, not a crash.
#[test]
fn a_deadline_past_a_day_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    for deadline in ["18446744073709551615", "86401", "0"] {
        let out = run(
            dir.path(),
            &["check", "--online", "--online-deadline", deadline],
        );
        assert_eq!(code(&out), 2, "{deadline}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("--online-deadline"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn more_base_documents_than_the_limit_is_an_error() {
    let dir = repo_at_base(|d| {
        write_tree(
            d,
            &[
                (".smm-lint.yaml", "limits:\n  max_documents: 3\n"),
                ("notes/a.md", "# a\n"),
            ],
        );
    });
    std::fs::remove_file(dir.path().join("notes/a.md")).expect("remove");
    let (code, json) = check_json(dir.path(), &["--base", "base"]);
    let cut: Vec<_> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "limit-exceeded")
        .map(|d| d["message"].as_str().unwrap_or("?").to_owned())
        .collect();
    assert_eq!(
        cut,
        ["1 Markdown files at `base` from here on were not read: the limit is 3 per run"],
        "{:?}",
        findings(&json)
    );
    assert_eq!(code, 1);
}

/// A pull request that lowers a claim and waives the regression in the same change passes the
/// gate, as any waiver does, but the gate shows the new waiver; a waiver of `waiver-added`
/// itself is invalid.
#[test]
fn a_waiver_added_with_the_regression_it_waives_is_shown() {
    let doc = |d: &Path| d.join("hardening/patch-management.md");
    let dir = repo_at_base(|d| {
        edit(
            &d.join("profile.md"),
            "patch-management: 1/general",
            "patch-management: 0/general",
        );
        edit(
            &d.join("profile.md"),
            "hardening: 0+/general",
            "hardening: 0/general",
        );
        edit(&doc(d), "current: 1/general", "current: 2/general");
    });
    edit(
        &doc(dir.path()),
        "current: 2/general\n",
        "current: 1/general\n",
    );
    edit(
        &doc(dir.path()),
        "    reviewed: 2026-09-15\n",
        "    reviewed: 2026-09-15\nwaivers:\n  - rule: regression-level\n    reason: the lab lost its rig\n    expires: 9999-12-31\n",
    );
    let (code, json) = check_json(dir.path(), &["--base", "base"]);
    let of = |json: &serde_json::Value, rule: &str| -> Vec<(String, bool)> {
        diagnostics(json)
            .iter()
            .filter(|d| d["rule"] == rule)
            .map(|d| {
                (
                    d["message"].as_str().unwrap_or("?").to_owned(),
                    d.get("waived").is_some_and(|w| !w.is_null()),
                )
            })
            .collect()
    };
    assert_eq!(code, 0, "{json:#}");
    assert!(
        of(&json, "regression-level")
            .iter()
            .all(|(_, waived)| *waived),
        "{json:#}"
    );
    assert_eq!(
        of(&json, "waiver-added"),
        vec![(
            "a waiver of `regression-level` was added or changed since `base` (expires 9999-12-31)"
                .to_owned(),
            false
        )]
    );
    edit(
        &doc(dir.path()),
        "    expires: 9999-12-31\n",
        "    expires: 9999-12-31\n  - rule: waiver-added\n    reason: nothing to see\n    expires: 9999-12-31\n",
    );
    let (code, json) = check_json(dir.path(), &["--base", "base"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(of(&json, "waiver-added").len(), 2, "{json:#}");
    assert!(
        of(&json, "waiver-invalid")
            .iter()
            .any(|(m, _)| m.contains("`waiver-added` cannot be waived")),
        "{json:#}"
    );
}
