//! Helpers shared by the end-to-end tests: run the built binary and read its JSON.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

pub const TODAY: &str = "2026-11-21";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `smm-lint ARGS` in `dir` with colour off.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smm-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited with a code, not a signal")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `check --format json --today TODAY [extra…]` in `dir`: the exit code and the parsed JSON.
pub fn check_json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert!(
        !stderr(&out).contains("panicked"),
        "panic: {}",
        stderr(&out)
    );
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| {
        panic!(
            "JSON output ({e}): {}\nstderr: {}",
            stdout(&out),
            stderr(&out)
        )
    });
    (code(&out), json)
}

pub fn diagnostics(json: &Value) -> &Vec<Value> {
    json["diagnostics"].as_array().expect("a diagnostics array")
}

/// `rule path:line` for every diagnostic, in output order.
pub fn findings(json: &Value) -> Vec<String> {
    diagnostics(json)
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}",
                d["rule"].as_str().unwrap_or("?"),
                d["path"].as_str().unwrap_or("?"),
                d["line"]
            )
        })
        .collect()
}

/// Copies a directory tree (files and directories only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Writes `files` (relative path, content) under `dir`.
pub fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
        std::fs::write(path, content).expect("write file");
    }
}

/// The minimal clean tree most tests start from: one practice in scope.
pub fn minimal_tree(dir: &Path) {
    write_tree(
        dir,
        &[
            (
                "profile.md",
                "---\nprofile: demo\nsystem: Demo gateway\nindustry: energy\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n# Demo\n",
            ),
            (
                "hardening/patch-management.md",
                "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n---\n# Patch management\n",
            ),
            (
                "evidence/patching.md",
                "# Patching\n\n## Monthly window\n\nFirst Tuesday.\n",
            ),
        ],
    );
}

/// A local HTTP server answering by path, counting the requests it sees.
pub fn serve() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
            log.lock().expect("lock").push(path.clone());
            let status = match path.as_str() {
                "/ok" => "200 OK",
                "/missing" => "404 Not Found",
                "/limited" => "429 Too Many Requests",
                "/forbidden" => "403 Forbidden",
                _ => "500 Internal Server Error",
            };
            let _ = write!(
                &stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (base, seen)
}
