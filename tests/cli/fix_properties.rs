//! Property: on seeded mutations of every fixture tree (misspelt keys and ids next to their
//! correct twins, aliases, block and multi-line flow scalars, flow mappings, quotes, comments,
//! CRLF, a byte order mark, placeholder pins, changed evidence), `check --fix` and `pin`
//! - never add a `front-matter-*` finding,
//! - never change a byte outside the lines their `--diff` announced (the diff, applied exactly
//!   to the files before, gives the files after),
//! - and change nothing when run a second time.
//!
//! Seeded and reproducible: a failure prints the seed, the case and the mutations, and keeps the
//! tree under `target/fix-property-failures/`. `SMM_PROPTEST_CASES=N` (default 40, to keep
//! `cargo test` quick; `.ci/run` sets 240) and `SMM_PROPTEST_SEED=N` explore further. Case `n`
//! is the same whatever the number of cases, so a longer run extends a shorter one.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Ten cases per shard in a plain `cargo test`; `.ci/run` runs 240.
const DEFAULT_CASES: usize = 40;
/// Below this many cases in a shard, how often each path of the property was taken says little,
/// so only longer runs (`.ci/run`: 60 per shard) check it.
const COVERAGE_MIN_CASES: usize = 40;
const DEFAULT_SEED: u64 = 0xF1C5_0001;
/// The cases are shared out over this many tests, which run in parallel.
const SHARDS: usize = 4;

/// SplitMix64: tiny, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Every fixture tree: the example systems and each rule's failing and passing case.
fn trees() -> Vec<PathBuf> {
    let fixtures = repo().join("fixtures");
    let mut out: Vec<PathBuf> = ["bottling-line", "ota-gateway", "home-camera"]
        .iter()
        .map(|t| fixtures.join(t))
        .collect();
    let mut rules: Vec<PathBuf> = std::fs::read_dir(fixtures.join("rules"))
        .expect("fixtures/rules")
        .map(|e| e.expect("entry").path())
        .collect();
    rules.sort();
    for rule in rules {
        out.extend(
            ["fail", "pass"]
                .map(|c| rule.join(c))
                .into_iter()
                .filter(|p| p.is_dir()),
        );
    }
    out
}

/// (canonical id, alias) pairs of the built-in catalogue.
fn aliases() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(repo().join("rules/catalogue/iic-smm.yaml")).expect("catalogue");
    let mut out = Vec::new();
    let mut id = String::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("- id: ") {
            id = rest.trim().to_owned();
        } else if let Some(rest) = line.strip_prefix("aliases: [") {
            for alias in rest.trim_end_matches(']').split(',') {
                let alias = alias.trim();
                if !alias.is_empty() {
                    out.push((id.clone(), alias.to_owned()));
                }
            }
        }
    }
    out
}

/// Every file of the tree, by path relative to it.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(name, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// Markdown files with front matter: the documents a mutation aims at (the invalid UTF-8
/// fixture takes part unmutated).
fn documents(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    files
        .iter()
        .filter(|(name, bytes)| {
            name.ends_with(".md") && bytes.starts_with(b"---") && std::str::from_utf8(bytes).is_ok()
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// A typo of `word`: a letter dropped, two swapped, or one doubled (never the first).
fn typo(rng: &mut Rng, word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return format!("{word}x");
    }
    let at = 1 + rng.below(chars.len() - 2);
    let mut out = chars.clone();
    match rng.below(3) {
        0 => {
            out.remove(at);
        }
        1 => out.swap(at, at + 1),
        _ => out.insert(at, chars[at]),
    }
    let out: String = out.into_iter().collect();
    if out == word { format!("{word}x") } else { out }
}

/// The lines of the front matter (between the fences), as indices into `lines`.
fn front_lines(lines: &[String]) -> std::ops::Range<usize> {
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map_or(lines.len(), |p| p + 1);
    1.min(end)..end
}

/// `key: value` of a front-matter line, with its indent.
fn entry(line: &str) -> Option<(usize, String, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let (key, value) = rest.split_once(':')?;
    let ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| (indent, key.to_owned(), value.to_owned()))
}

/// Applies one mutation to a document's text and says which; `None` when it does not apply.
fn mutate(rng: &mut Rng, text: &str, aliases: &[(String, String)]) -> Option<(String, String)> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let front = front_lines(&lines);
    let entries: Vec<usize> = front
        .clone()
        .filter(|&i| entry(&lines[i]).is_some())
        .collect();
    let top: Vec<usize> = entries
        .iter()
        .copied()
        .filter(|&i| !lines[i].starts_with(' '))
        .collect();
    let nested: Vec<usize> = entries
        .iter()
        .copied()
        .filter(|&i| lines[i].starts_with("  ") && !lines[i].trim_start().starts_with('-'))
        .collect();
    let what = match rng.below(15) {
        0 => {
            // A misspelt key next to its correct twin.
            let &i = rng.pick(&top)?;
            let (indent, key, value) = entry(&lines[i])?;
            let twin = format!("{}{}:{value}", " ".repeat(indent), typo(rng, &key));
            lines.insert(i + 1, twin);
            format!("misspelt twin of key `{key}`")
        }
        1 => {
            let &i = rng.pick(&top)?;
            let (indent, key, value) = entry(&lines[i])?;
            lines[i] = format!("{}{}:{value}", " ".repeat(indent), typo(rng, &key));
            format!("misspelt key `{key}`")
        }
        2 => {
            // A misspelt target id next to its twin.
            let &i = rng.pick(&nested)?;
            let (indent, key, value) = entry(&lines[i])?;
            let twin = format!("{}{}:{value}", " ".repeat(indent), typo(rng, &key));
            lines.insert(i + 1, twin);
            format!("misspelt twin of `{key}`")
        }
        3 | 4 => {
            // A misspelt id: the practice, or a target.
            let i = practice_line(&lines, &front).or_else(|| rng.pick(&nested).copied())?;
            let (indent, key, value) = entry(&lines[i])?;
            lines[i] = if key == "practice" {
                format!("practice: {}", typo(rng, value.trim()))
            } else {
                format!("{}{}:{value}", " ".repeat(indent), typo(rng, &key))
            };
            format!("misspelt id on line {}", i + 1)
        }
        5 => {
            // An alias for an id, in place or next to it.
            let (canonical, alias) = rng.pick(aliases)?.clone();
            let i = front.clone().find(|&i| {
                lines[i].trim_end() == format!("practice: {canonical}")
                    || lines[i].trim_start().starts_with(&format!("{canonical}:"))
            })?;
            let replaced = lines[i].replacen(&canonical, &alias, 1);
            if rng.below(2) == 0 {
                lines.insert(i + 1, replaced);
                format!("alias `{alias}` next to `{canonical}`")
            } else {
                lines[i] = replaced;
                format!("alias `{alias}` for `{canonical}`")
            }
        }
        6 => {
            // The practice id as a block scalar (maybe an alias, maybe misspelt).
            let i = practice_line(&lines, &front)?;
            let (_, _, value) = entry(&lines[i])?;
            let mut id = value.trim().to_owned();
            if let Some((_, alias)) = aliases.iter().find(|(c, _)| *c == id) {
                id = alias.clone();
            } else if rng.below(2) == 0 {
                id = typo(rng, &id);
            }
            let header = *rng.pick(&[">-", "|-", ">", "|"])?;
            lines[i] = format!("practice: {header}\n  {id}");
            format!("block scalar `{header}` for `{id}`")
        }
        7 => {
            // A quoted id broken over two lines.
            let i = practice_line(&lines, &front)?;
            let (_, _, value) = entry(&lines[i])?;
            let id = value.trim().to_owned();
            let cut = id.find('-')? + 1;
            lines[i] = format!("practice: \"{}\n  {}\"", &id[..cut], &id[cut..]);
            format!("multi-line quoted `{id}`")
        }
        8 => {
            // A `+` dropped from a target: a rollup fix.
            let i = *rng.pick(
                &nested
                    .iter()
                    .copied()
                    .filter(|&i| lines[i].contains('+'))
                    .collect::<Vec<_>>(),
            )?;
            lines[i] = lines[i].replacen('+', "", 1);
            format!("`+` dropped on line {}", i + 1)
        }
        9 => {
            let &i = rng.pick(&entries)?;
            let (indent, key, value) = entry(&lines[i])?;
            let value = value.trim();
            if value.is_empty() || value.contains(['"', '\'', '#']) {
                return None;
            }
            let q = if rng.below(2) == 0 { '"' } else { '\'' };
            lines[i] = format!("{}{key}: {q}{value}{q}", " ".repeat(indent));
            format!("quoted value on line {}", i + 1)
        }
        10 => {
            let &i = rng.pick(&entries)?;
            if rng.below(2) == 0 {
                lines[i].push_str(" # a comment: with [brackets] and 'quotes'");
            } else {
                lines.insert(i, "# a comment line".to_owned());
            }
            format!("comment at line {}", i + 1)
        }
        11 => {
            // The targets as a flow mapping, over one or two lines.
            let t = front.clone().find(|&i| lines[i].trim_end() == "targets:")?;
            let mut end = t + 1;
            let mut items = Vec::new();
            while end < front.end && lines[end].starts_with("  ") {
                let (_, key, value) = entry(&lines[end])?;
                items.push(format!("{key}: {}", value.trim()));
                end += 1;
            }
            if items.is_empty() {
                return None;
            }
            let sep = if rng.below(2) == 0 { ", " } else { ",\n  " };
            lines.splice(t..end, [format!("targets: {{{}}}", items.join(sep))]);
            "targets as a flow mapping".to_owned()
        }
        12 => {
            // A placeholder pin on an evidence item, or one that replaces a real pin.
            let i = front
                .clone()
                .find(|&i| lines[i].trim_start().starts_with("- path:"))?;
            let indent = lines[i].len() - lines[i].trim_start().len() + 2;
            let placeholder = *rng.pick(&["TODO", "\"\"", "tbd", "0"])?;
            match (i + 1..front.end).find(|&j| lines[j].trim_start().starts_with("sha256:")) {
                Some(j) if rng.below(2) == 0 => {
                    lines[j] = format!("{}sha256: {placeholder}", " ".repeat(indent));
                }
                _ => lines.insert(
                    i + 1,
                    format!("{}sha256: {placeholder}", " ".repeat(indent)),
                ),
            }
            format!("placeholder pin `{placeholder}` after line {}", i + 1)
        }
        13 => {
            let text = lines.join("\n").replace("\r\n", "\n").replace('\n', "\r\n");
            return Some((text, "CRLF".to_owned()));
        }
        _ => {
            let text = lines.join("\n");
            if text.starts_with('\u{feff}') {
                return None;
            }
            return Some((format!("\u{feff}{text}"), "byte order mark".to_owned()));
        }
    };
    Some((lines.join("\n"), what))
}

fn practice_line(lines: &[String], front: &std::ops::Range<usize>) -> Option<usize> {
    front.clone().find(|&i| lines[i].starts_with("practice: "))
}

/// The `front-matter-*` findings per (rule, file).
fn front_matter(json: &Value) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for d in diagnostics(json) {
        let rule = d["rule"].as_str().unwrap_or("");
        if rule.starts_with("front-matter-") {
            let key = format!("{rule} {}", d["path"].as_str().unwrap_or(""));
            *out.entry(key).or_insert(0) += 1;
        }
    }
    out
}

fn no_new_findings(
    before: &BTreeMap<String, usize>,
    after: &BTreeMap<String, usize>,
) -> Result<(), String> {
    for (key, n) in after {
        if n > before.get(key).unwrap_or(&0) {
            return Err(format!(
                "new finding {key} ({n}, was {:?})",
                before.get(key)
            ));
        }
    }
    Ok(())
}

fn json_of(out: &std::process::Output, what: &str) -> Result<Value, String> {
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{what}: not JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

fn sane(out: &std::process::Output, what: &str) -> Result<(), String> {
    let err = stderr(out);
    if err.contains("panicked") || !matches!(out.status.code(), Some(0 | 1)) {
        return Err(format!("{what}: exit {:?}\n{err}", out.status.code()));
    }
    Ok(())
}

/// The files after a command whose `--diff` was `diff`, taken on the files `before`.
fn expect_patched(
    dir: &Path,
    diff: &[u8],
    before: &BTreeMap<String, Vec<u8>>,
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let patched = crate::fix_support::apply(dir, diff)?;
    let mut want = before.clone();
    want.extend(patched);
    Ok(want)
}

fn same_files(
    want: &BTreeMap<String, Vec<u8>>,
    have: &BTreeMap<String, Vec<u8>>,
    what: &str,
) -> Result<(), String> {
    for (name, bytes) in have {
        if want.get(name) != Some(bytes) {
            return Err(format!(
                "{what}: {name} is not what the diff announced:\n--- want\n{}\n--- have\n{}",
                String::from_utf8_lossy(want.get(name).map_or(&[][..], Vec::as_slice)),
                String::from_utf8_lossy(bytes)
            ));
        }
    }
    if want.len() != have.len() {
        return Err(format!("{what}: files were added or removed"));
    }
    Ok(())
}

/// What a case exercised, so that the property is known to have been tried.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    fixed: usize,
    left: usize,
    pinned: usize,
}

/// `check --fix`, then `pin`, each checked against its `--diff` and run twice.
fn check_case(dir: &Path) -> Result<Seen, String> {
    let mut seen = Seen::default();
    let today = ["--today", TODAY];
    let before = run(dir, &["check", "--format", "json", today[0], today[1]]);
    sane(&before, "check")?;
    let found0 = front_matter(&json_of(&before, "check")?);
    let files0 = snapshot(dir);

    let diff = run(dir, &["check", "--diff", today[0], today[1]]);
    sane(&diff, "check --diff")?;
    let want =
        expect_patched(dir, &diff.stdout, &files0).map_err(|e| format!("check --diff: {e}"))?;
    let fix = run(
        dir,
        &["check", "--fix", "--format", "json", today[0], today[1]],
    );
    sane(&fix, "check --fix")?;
    seen.fixed = usize::from(!diff.stdout.is_empty());
    seen.left = usize::from(stderr(&diff).contains("not fixed automatically"));
    let files1 = snapshot(dir);
    same_files(&want, &files1, "check --fix")?;
    let found1 = front_matter(&json_of(&fix, "check --fix")?);
    no_new_findings(&found0, &found1).map_err(|e| format!("check --fix: {e}"))?;
    let again = run(dir, &["check", "--fix", today[0], today[1]]);
    sane(&again, "second check --fix")?;
    same_files(&files1, &snapshot(dir), "second check --fix")?;

    let diff = run(dir, &["pin", "--diff"]);
    sane(&diff, "pin --diff")?;
    let want =
        expect_patched(dir, &diff.stdout, &files1).map_err(|e| format!("pin --diff: {e}"))?;
    let pin = run(dir, &["pin"]);
    sane(&pin, "pin")?;
    seen.pinned = usize::from(!diff.stdout.is_empty());
    let files2 = snapshot(dir);
    same_files(&want, &files2, "pin")?;
    let after = run(dir, &["check", "--format", "json", today[0], today[1]]);
    sane(&after, "check after pin")?;
    no_new_findings(&found1, &front_matter(&json_of(&after, "check after pin")?))
        .map_err(|e| format!("pin: {e}"))?;
    let again = run(dir, &["pin"]);
    sane(&again, "second pin")?;
    same_files(&files2, &snapshot(dir), "second pin")?;
    Ok(seen)
}

/// Runs the cases `shard`, `shard + SHARDS`, … of the seeded sequence.
fn run_shard(shard: usize) {
    let cases: usize = env_or("SMM_PROPTEST_CASES", DEFAULT_CASES);
    let seed: u64 = env_or("SMM_PROPTEST_SEED", DEFAULT_SEED);
    let trees = trees();
    let aliases = aliases();
    let mut mutated = 0;
    let mut seen = Seen::default();
    for case in (shard..cases).step_by(SHARDS) {
        let tree = &trees[case % trees.len()];
        let mut rng = Rng(seed ^ (case as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("repo");
        copy_tree(tree, &dir);
        let files = snapshot(&dir);
        let docs = documents(&files);
        let mut log = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let Some(doc) = rng.pick(&docs) else {
                break;
            };
            let path = dir.join(doc);
            let text = std::fs::read_to_string(&path).expect("fixture documents are UTF-8");
            // A mutation that does not fit this document is tried on the next roll.
            if let Some((text, what)) = mutate(&mut rng, &text, &aliases) {
                std::fs::write(&path, text).expect("write");
                log.push(format!("{doc}: {what}"));
            }
        }
        // Changed evidence: the pins that cite it go stale, and `pin` refreshes them.
        let evidence: Vec<&String> = files
            .keys()
            .filter(|name| !docs.contains(name) && !name.ends_with(".yaml"))
            .collect();
        if rng.below(3) == 0 {
            if let Some(name) = rng.pick(&evidence) {
                let mut bytes = files[*name].clone();
                bytes.extend_from_slice(b"\nchanged after it was pinned\n");
                std::fs::write(dir.join(name), bytes).expect("write");
                log.push(format!("{name}: changed"));
            }
        }
        mutated += usize::from(!log.is_empty());
        let start = snapshot(&dir);
        let problem = match check_case(&dir) {
            Ok(case_seen) => {
                seen.fixed += case_seen.fixed;
                seen.left += case_seen.left;
                seen.pinned += case_seen.pinned;
                None
            }
            Err(problem) => Some(problem),
        };
        if let Some(problem) = problem {
            let name = tree.strip_prefix(repo().join("fixtures")).unwrap_or(tree);
            let keep = repo().join("target/fix-property-failures").join(format!(
                "{}-seed{seed}-case{case}",
                name.to_string_lossy().replace('/', "-")
            ));
            let _ = std::fs::remove_dir_all(&keep);
            // The tree as mutated, before any command: rerun the commands there to reproduce.
            for (file, bytes) in &start {
                let path = keep.join(file);
                std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
                std::fs::write(path, bytes).expect("write");
            }
            panic!(
                "{}, seed {seed}, case {case}: {problem}\nmutations:\n  {}\nmutated tree kept in {}",
                name.display(),
                log.join("\n  "),
                keep.display()
            );
        }
    }
    let ran = (shard..cases).step_by(SHARDS).count();
    assert!(
        mutated * 10 >= ran * 8,
        "only {mutated} of {ran} cases were mutated"
    );
    // Enough of the cases reach each path of the property to mean something.
    assert!(
        ran < COVERAGE_MIN_CASES
            || seen.fixed * 5 >= ran && seen.left * 10 >= ran && seen.pinned * 10 >= ran,
        "{ran} cases exercised too little: {seen:?}"
    );
}

#[test]
fn fix_and_pin_are_safe_on_mutated_fixtures_0() {
    run_shard(0);
}

#[test]
fn fix_and_pin_are_safe_on_mutated_fixtures_1() {
    run_shard(1);
}

#[test]
fn fix_and_pin_are_safe_on_mutated_fixtures_2() {
    run_shard(2);
}

#[test]
fn fix_and_pin_are_safe_on_mutated_fixtures_3() {
    run_shard(3);
}

#[test]
fn the_mutations_are_deterministic() {
    let text = std::fs::read_to_string(
        repo().join("fixtures/bottling-line/governance/third-party-dependencies-management.md"),
    )
    .expect("fixture");
    let aliases = aliases();
    assert!(!aliases.is_empty());
    let run = |seed| {
        let mut rng = Rng(seed);
        (0..40)
            .map(|_| mutate(&mut rng, &text, &aliases))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
    assert!(trees().len() > 50, "every fixture tree takes part");
}
