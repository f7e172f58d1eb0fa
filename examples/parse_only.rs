//! The parse-only limit for the benchmark (`scripts/bench`): what `check` must do before any
//! rule runs, and nothing more. Walk the tree, read every Markdown file once, parse it with
//! `document::parse` (the function `check` loads each file with: front matter split, YAML with
//! spans, typed front matter, Markdown body), and parse the body of every other Markdown file
//! for its anchors (as `check` does for the evidence files its documents cite). The same crates,
//! the same code and the same parallelism (rayon) as `check`, so `check` cannot be faster than
//! this, and `check / parse-only` measures what the checks and the report add.
//!
//! ```sh
//! cargo run --release --example parse_only -- DIR [DIR…]
//! ```
//!
//! Prints one line of counts (they keep the work from being optimised away, and can be compared
//! with `check`'s summary).
//!
//! The walk is a copy of `check`'s (`src/discover.rs`, `walk`): that module is private to the
//! crate, so an example cannot call it. The copy keeps its rules: Markdown files (`.md`,
//! `.markdown`), hidden directories and `node_modules`/`target` below a root skipped, symbolic
//! links not followed, in file-name order. It leaves out what `check` adds around the walk for a
//! directory argument: the walk up to the enclosing profile and the repository-boundary checks
//! (a few `stat` and `readlink` calls per argument), and the per-file `stat` and canonical-path
//! check of loading.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use rayon::prelude::*;
use smm_lint::document::{self, body};
use smm_lint::model::evidence::EvidenceRules;
use smm_lint::yaml::frontmatter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use walkdir::WalkDir;

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    files: usize,
    /// Profile and practice documents that parsed.
    documents: usize,
    /// Ours, but not readable as a document (a YAML error, say).
    broken: usize,
    /// Findings of parsing (schema, syntax).
    diagnostics: usize,
    bytes: usize,
    links: usize,
    anchors: usize,
}

impl Counts {
    fn add(self, o: Counts) -> Counts {
        Counts {
            files: self.files + o.files,
            documents: self.documents + o.documents,
            broken: self.broken + o.broken,
            diagnostics: self.diagnostics + o.diagnostics,
            bytes: self.bytes + o.bytes,
            links: self.links + o.links,
            anchors: self.anchors + o.anchors,
        }
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Directory names never entered (as in `check`).
const SKIPPED_DIRS: &[&str] = &["node_modules", "target"];

/// The files `check` reads under `root`, in the order it lists them.
fn walk(root: &Path, out: &mut Vec<PathBuf>) {
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_dir()
                && e.depth() > 0
                && (name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref())))
        });
    for entry in walker.flatten() {
        if is_markdown(entry.path())
            && (entry.file_type().is_file() || entry.file_type().is_symlink())
        {
            out.push(entry.into_path());
        }
    }
}

fn parse_file(path: &PathBuf, kinds: &[String]) -> Counts {
    let mut c = Counts {
        files: 1,
        ..Counts::default()
    };
    let Ok(bytes) = std::fs::read(path) else {
        return c;
    };
    c.bytes = bytes.len();
    let name = path.to_string_lossy().into_owned();
    let parsed = document::parse(path.clone(), name, &bytes, kinds);
    c.diagnostics = parsed.diagnostics.len();
    c.broken = usize::from(parsed.broken.is_some());
    if let Some(doc) = parsed.document {
        c.documents = 1;
        c.links = doc.body.links.len();
        c.anchors = doc.body.anchors.len();
        return c;
    }
    if parsed.broken.is_none() {
        // Not one of ours (evidence): `check` reads its headings for the anchors cited.
        let text = String::from_utf8_lossy(&bytes);
        let range = match frontmatter::split(&text) {
            frontmatter::Split::Fenced { body, .. } => body,
            _ => 0..text.len(),
        };
        let parsed = body::parse(&text, range);
        c.links = parsed.links.len();
        c.anchors = parsed.anchors.len();
    }
    c
}

fn main() -> ExitCode {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        eprintln!("usage: parse_only DIR [DIR…]");
        return ExitCode::from(2);
    }
    let kinds = match EvidenceRules::builtin() {
        Ok(rules) => rules.kinds,
        Err(e) => {
            eprintln!("parse_only: the built-in evidence rules: {e}");
            return ExitCode::from(2);
        }
    };
    let mut files = Vec::new();
    for root in &roots {
        walk(root, &mut files);
    }
    let total = files
        .par_iter()
        .map(|path| parse_file(path, &kinds))
        .reduce(Counts::default, Counts::add);
    println!(
        "files {} documents {} broken {} diagnostics {} bytes {} links {} anchors {}",
        total.files,
        total.documents,
        total.broken,
        total.diagnostics,
        total.bytes,
        total.links,
        total.anchors
    );
    ExitCode::SUCCESS
}
