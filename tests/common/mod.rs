//! Helpers shared by the end-to-end tests: run the built binary and read its JSON.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

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

/// A local HTTP server answering by path, counting the requests it sees: `/ok` 200,
/// `/missing` 404, `/gone` 410, `/limited` 429, `/forbidden` 403, `/error` 500,
/// `/head-not-allowed` 405 to HEAD, `/redirect` to `/ok`, `/loop` to itself, `/slow` after
/// 200 ms, `/hang` after 2 s, anything else 404. Returns its base URL and the paths requested.
pub fn serve() -> (String, Arc<Mutex<Vec<String>>>) {
    let server = Server::start();
    (server.url(""), Arc::clone(&server.shared.paths))
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub user_agent: Option<String>,
}

#[derive(Default)]
pub struct Shared {
    pub seen: Mutex<Vec<Seen>>,
    /// The request paths, in order (what `serve` hands out).
    pub paths: Arc<Mutex<Vec<String>>>,
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
}

/// The server of `serve`, on 127.0.0.1 only, one thread per connection; it runs until the test
/// process ends.
pub struct Server {
    pub port: u16,
    pub shared: Arc<Shared>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let port = listener.local_addr().expect("local address").port();
        let shared = Arc::new(Shared::default());
        let for_thread = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&for_thread);
                thread::spawn(move || answer(stream, &shared));
            }
        });
        Server { port, shared }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().expect("lock").clone()
    }

    /// The methods of the requests to `path`, in order.
    pub fn requests_to(&self, path: &str) -> Vec<String> {
        self.seen()
            .into_iter()
            .filter(|seen| seen.path == path)
            .map(|seen| seen.method)
            .collect()
    }
}

fn answer(stream: TcpStream, shared: &Shared) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("set a read timeout");
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut user_agent = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("user-agent") => {
                user_agent = Some(value.trim().to_owned());
            }
            _ => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    shared.paths.lock().expect("lock").push(target);
    shared.seen.lock().expect("lock").push(Seen {
        method: method.clone(),
        path: path.clone(),
        user_agent,
    });

    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let (status, location) = match path.as_str() {
        "/ok" => ("200 OK", None),
        "/missing" => ("404 Not Found", None),
        "/gone" => ("410 Gone", None),
        "/limited" => ("429 Too Many Requests", None),
        "/forbidden" => ("403 Forbidden", None),
        "/error" => ("500 Internal Server Error", None),
        "/head-not-allowed" if method == "HEAD" => ("405 Method Not Allowed", None),
        "/head-not-allowed" => ("200 OK", None),
        "/redirect" => ("302 Found", Some("/ok")),
        "/loop" => ("302 Found", Some("/loop")),
        "/slow" => {
            thread::sleep(Duration::from_millis(200));
            ("200 OK", None)
        }
        "/hang" => {
            thread::sleep(Duration::from_secs(2));
            ("200 OK", None)
        }
        _ => ("404 Not Found", None),
    };
    // Leave the in-flight count before answering, so that a client's next request can never
    // overlap with this one in the count.
    shared.in_flight.fetch_sub(1, Ordering::SeqCst);

    let mut response = format!("HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: 0\r\n");
    if let Some(location) = location {
        response.push_str(&format!("Location: {location}\r\n"));
    }
    response.push_str("\r\n");
    let mut stream = reader.into_inner();
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

/// The `-f` format for `/usr/bin/time` that [`time_figures`] reads: user and system CPU seconds
/// and peak resident memory in KiB.
pub const TIME_FORMAT: &str = "%U %S %M";

/// What `/usr/bin/time -f TIME_FORMAT -o FILE` wrote: the CPU time (user plus system) and the
/// peak resident memory in KiB. CPU time, not wall-clock time, is what bounded-work tests
/// compare: the tests run in parallel, on machines doing other work, and waiting for a core is
/// not work. `/usr/bin/time` writes "Command exited with non-zero status N" before the figures.
pub fn time_figures(report: &str) -> Option<(Duration, u64)> {
    let line = report.lines().next_back()?;
    let mut fields = line.split_whitespace();
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    let rss: u64 = fields.next()?.parse().ok()?;
    Some((Duration::from_secs_f64(user + system), rss))
}

/// `git ARGS` in `dir`, isolated from the machine's configuration; with `day` (`YYYY-MM-DD`), the
/// author and committer dates are that day at noon UTC, so commits and their dates are fixed.
/// Returns git's output; a failing git fails the test.
pub fn git_in(dir: &Path, day: Option<&str>, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    cmd.args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    if let Some(day) = day {
        let when = format!("{day}T12:00:00Z");
        cmd.env("GIT_AUTHOR_DATE", &when)
            .env("GIT_COMMITTER_DATE", &when);
    }
    let out = cmd.output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Replaces the first `from` in `dir/file` with `to`; the text must hold `from`.
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}
