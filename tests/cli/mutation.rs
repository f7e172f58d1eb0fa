//! Mutation test: the fixture trees with seeded random damage (lines deleted, duplicated or
//! swapped, bytes inserted, files truncated, YAML tokens replaced by `:`, `-`, `[`, `{`, `&a`,
//! `*a`, `!!binary` or a tab), each checked by the binary: the exit code is 0 or 1, the JSON
//! parses and its locations are sane, the other formats render, and nothing mentions a panic.
//!
//! The seed is fixed, so a failure reproduces; the failing tree is kept under
//! `target/mutation-failures/` and the mutations applied are printed.
//! Each tree gets `SMM_MUTATION_ROUNDS` rounds (default 5, to keep `cargo test` quick; `.ci/run`
//! sets 40); `SMM_MUTATION_SEED=N` explores another seed.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// SplitMix64: tiny, good enough, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What replaces a YAML token.
const TOKENS: &[&str] = &[":", "-", "[", "{", "&a", "*a", "!!binary", "\t"];

/// Bytes worth inserting: structure, line breaks, invalid UTF-8, multi-byte characters.
const INSERTS: &[&[u8]] = &[
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\t",
    b"---\n",
    b"...\n",
    b": ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"&a ",
    b"*a",
    b"*b",
    b"!!binary ",
    b"!!str ",
    b"? ",
    b"#",
    b"\"",
    b"'",
    b"|\n",
    b">-\n",
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"\xef\xbb\xbf",
    "é".as_bytes(),
    "😀".as_bytes(),
    b"\xe2\x80\xae",
    b"../../../../etc/passwd",
    b"#no-such-anchor",
    b"5/general",
    b"2+/industry+",
    b"2026-02-30",
    b"9999-12-31",
    b"1e400",
    b"<<: *a\n",
    b"[x](#nowhere)",
    b"# Heading\n",
];

/// A line-wise view of a file that keeps its line breaks.
fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// Applies one random mutation to `bytes` and says which.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) -> String {
    match rng.below(9) {
        0 => {
            let mut l = lines(bytes);
            if l.is_empty() {
                return "delete line (empty file)".into();
            }
            let i = rng.below(l.len());
            l.remove(i);
            *bytes = l.concat();
            format!("delete line {}", i + 1)
        }
        1 => {
            let mut l = lines(bytes);
            if l.is_empty() {
                return "duplicate line (empty file)".into();
            }
            let i = rng.below(l.len());
            let copy = l[i].clone();
            l.insert(i, copy);
            *bytes = l.concat();
            format!("duplicate line {}", i + 1)
        }
        2 => {
            let mut l = lines(bytes);
            if l.len() < 2 {
                return "swap lines (too short)".into();
            }
            // Mostly neighbours (indentation damage), sometimes far apart.
            let i = rng.below(l.len());
            let j = if rng.below(2) == 0 {
                (i + 1) % l.len()
            } else {
                rng.below(l.len())
            };
            l.swap(i, j);
            *bytes = l.concat();
            format!("swap lines {} and {}", i + 1, j + 1)
        }
        3 | 4 => {
            let at = rng.below(bytes.len() + 1);
            let insert = rng.pick(INSERTS);
            bytes.splice(at..at, insert.iter().copied());
            format!("insert {:?} at byte {at}", String::from_utf8_lossy(insert))
        }
        5 => {
            let at = rng.below(bytes.len() + 1);
            bytes.truncate(at);
            format!("truncate at byte {at}")
        }
        _ => replace_token(rng, bytes),
    }
}

/// Replaces one whitespace-delimited token of the front matter (or, when there is none, of the
/// file) with one of [`TOKENS`].
fn replace_token(rng: &mut Rng, bytes: &mut Vec<u8>) -> String {
    let front_end = front_matter_end(bytes).unwrap_or(bytes.len());
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, &b) in bytes[..front_end].iter().enumerate() {
        let space = matches!(b, b' ' | b'\n' | b'\r' | b'\t');
        match (space, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                tokens.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push(s..front_end);
    }
    let replacement = rng.pick(TOKENS);
    if tokens.is_empty() {
        return "replace token (none)".into();
    }
    let range = tokens[rng.below(tokens.len())].clone();
    let old = String::from_utf8_lossy(&bytes[range.clone()]).into_owned();
    bytes.splice(range.clone(), replacement.bytes());
    format!(
        "replace `{old}` at byte {} with {replacement:?}",
        range.start
    )
}

/// The byte offset just past the closing front-matter fence, when there is one.
fn front_matter_end(bytes: &[u8]) -> Option<usize> {
    if !bytes.starts_with(b"---") {
        return None;
    }
    let mut offset = 0;
    for (n, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        offset += line.len();
        if n > 0 && line.trim_ascii_end() == b"---" {
            return Some(offset);
        }
    }
    None
}

/// Every regular file under `dir` that a mutation may hit: Markdown documents and catalogue
/// files (not the configuration, whose errors are exit 2 by design).
fn targets(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "md" || e == "markdown" || e == "yaml")
                && path.file_name().is_some_and(|n| n != ".smm-lint.yaml")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The sanity of one JSON report: every location relative, inside the tree, lines 1-based.
fn check_report(json: &Value) -> Result<(), String> {
    let diags = json["diagnostics"]
        .as_array()
        .ok_or("no diagnostics array")?;
    for d in diags {
        let rule = d["rule"].as_str().ok_or("a diagnostic without a rule")?;
        d["message"]
            .as_str()
            .filter(|m| !m.is_empty())
            .ok_or(format!("{rule}: no message"))?;
        let Some(path) = d["path"].as_str() else {
            continue;
        };
        if path.starts_with('/') || path.split('/').any(|c| c == "..") {
            return Err(format!("{rule}: path outside the tree: {path}"));
        }
        let line = d["line"].as_u64().ok_or(format!("{rule}: no line"))?;
        let column = d["column"].as_u64().ok_or(format!("{rule}: no column"))?;
        let end_line = d["end_line"]
            .as_u64()
            .ok_or(format!("{rule}: no end_line"))?;
        let end_column = d["end_column"]
            .as_u64()
            .ok_or(format!("{rule}: no end_column"))?;
        if line == 0 || column == 0 || (end_line, end_column) < (line, column) {
            return Err(format!(
                "{rule}: bad location {path}:{line}:{column}-{end_line}:{end_column}"
            ));
        }
    }
    json["summary"]["documents"]
        .as_u64()
        .ok_or("no summary.documents")?;
    Ok(())
}

/// Runs every format over `dir`; returns the first problem found.
fn check_tree(dir: &Path, round: usize) -> Result<(), String> {
    let mut formats = vec!["json", "human"];
    if round % 4 == 0 {
        formats.extend(["sarif", "github", "summary-md"]);
    }
    for format in formats {
        let out = run(
            dir,
            &[
                "check",
                "--format",
                format,
                "--today",
                TODAY,
                "--fail-on",
                "error",
            ],
        );
        let err = stderr(&out);
        let code = out.status.code();
        if err.contains("panick") || err.contains("RUST_BACKTRACE") {
            return Err(format!("--format {format}: panic: {err}"));
        }
        if !matches!(code, Some(0 | 1)) {
            return Err(format!("--format {format}: exit {code:?}\nstderr: {err}"));
        }
        match format {
            "json" | "sarif" => {
                let json: Value = serde_json::from_slice(&out.stdout).map_err(|e| {
                    format!(
                        "--format {format}: not JSON ({e}): {}",
                        String::from_utf8_lossy(&out.stdout)
                    )
                })?;
                if format == "json" {
                    check_report(&json).map_err(|e| format!("--format json: {e}"))?;
                }
            }
            _ => {
                std::str::from_utf8(&out.stdout)
                    .map_err(|e| format!("--format {format}: stdout not UTF-8: {e}"))?;
            }
        }
    }
    Ok(())
}

/// Rounds per tree in a plain `cargo test`; the long run sets `SMM_MUTATION_ROUNDS`.
const DEFAULT_ROUNDS: usize = 5;

/// `SMM_MUTATION_ROUNDS` mutated copies of `tree`; each round damages `files_per_round` files
/// with one to three mutations each, then checks the copy. Round `n` is the same whatever the
/// number of rounds, so a longer run extends a shorter one.
fn mutate_tree(tree: &str, seed: u64, files_per_round: usize) {
    let seed = std::env::var("SMM_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(seed);
    let rounds = std::env::var("SMM_MUTATION_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_ROUNDS);
    let source = repo().join("fixtures").join(tree);
    let mut rng = Rng(seed);
    let mut mutations = 0;
    for round in 0..rounds {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("repo");
        copy_tree(&source, &dir);
        let files = targets(&dir);
        let mut log = Vec::new();
        for _ in 0..files_per_round {
            let file = rng.pick(&files).clone();
            let mut bytes = std::fs::read(&file).expect("read");
            for _ in 0..=rng.below(3) {
                let what = mutate(&mut rng, &mut bytes);
                let name = file.strip_prefix(&dir).unwrap_or(&file).display();
                log.push(format!("{name}: {what}"));
                mutations += 1;
            }
            std::fs::write(&file, &bytes).expect("write");
        }
        if let Err(problem) = check_tree(&dir, round) {
            let keep = repo()
                .join("target/mutation-failures")
                .join(format!("{tree}-seed{seed}-round{round}"));
            let _ = std::fs::remove_dir_all(&keep);
            copy_tree(&dir, &keep);
            panic!(
                "{tree}, seed {seed}, round {round}: {problem}\nmutations:\n  {}\ntree kept in {}",
                log.join("\n  "),
                keep.display()
            );
        }
    }
    assert!(mutations >= rounds * files_per_round);
}

#[test]
fn mutated_bottling_line() {
    mutate_tree("bottling-line", 0x5EED_0001, 3);
}

#[test]
fn mutated_ota_gateway() {
    mutate_tree("ota-gateway", 0x5EED_0002, 3);
}

#[test]
fn mutated_home_camera() {
    mutate_tree("home-camera", 0x5EED_0003, 3);
}

/// A profile with its own catalogue file (`model: catalogue.yaml`): the catalogue is mutated too.
#[test]
fn mutated_extended_catalogue() {
    mutate_tree("rules/catalogue-invalid/pass", 0x5EED_0004, 2);
}

#[test]
fn the_mutator_is_deterministic() {
    let base = std::fs::read(repo().join("fixtures/bottling-line/hardening/patch-management.md"))
        .expect("fixture");
    let run = |seed| {
        let mut rng = Rng(seed);
        let mut bytes = base.clone();
        let log: Vec<String> = (0..50).map(|_| mutate(&mut rng, &mut bytes)).collect();
        (bytes, log)
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7).0, run(8).0);
}
