//! The parse-only limit for the benchmark (`scripts/bench`): the parsing `check` cannot do
//! without, and no rule. Walk the tree as `check` does, read every Markdown file once, split the
//! front matter, parse the YAML with spans (`yaml::parse`) and the Markdown body
//! (`document::body::parse`): the functions, crates and parallelism (rayon) `check` uses. So
//! `check` cannot be faster than this, and `check / parse-only` is what the rules, the profiles
//! and the report add.
//!
//! ```sh
//! cargo run --release --example parse_only -- DIR [DIR…]
//! ```
//!
//! Prints one line of counts (they keep the work from being optimised away, and can be compared
//! with `check`'s summary).
//!
//! Not `document::parse`: after `yaml::parse` it reads the tree into the typed front matter and
//! runs the schema rules (`front-matter-schema`, `unknown-key`), which are checks.
//!
//! The walk is a copy of `check`'s (`walk` in `src/discover.rs`): that module is private to the
//! crate (`mod discover;`, `pub(crate) fn discover`, taking a `Context` and returning `Found`
//! with crate-private fields), so an example cannot call it. The copy keeps its rules: Markdown
//! files (`.md`, `.markdown`) and links to them, hidden directories and `node_modules`/`target`
//! below a root skipped, symbolic links not followed, in file-name order. It leaves out what
//! `check` adds around the walk: `exclude:` globs of `.smm-lint.yaml` (the benchmark trees have
//! none), the walk up from each argument to its profile and to the repository root (a directory
//! listing and the first 64 KiB of its Markdown files, per level), the repository-boundary check
//! of each argument, and the `stat` and canonical-path check of each file before it is read.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use rayon::prelude::*;
use smm_lint::document::body;
use smm_lint::yaml::{self, frontmatter};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use walkdir::WalkDir;

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    files: usize,
    /// Files with front matter.
    documents: usize,
    bytes: usize,
    yaml_errors: usize,
    nodes: usize,
    links: usize,
    anchors: usize,
}

impl Counts {
    fn add(self, o: Counts) -> Counts {
        Counts {
            files: self.files + o.files,
            documents: self.documents + o.documents,
            bytes: self.bytes + o.bytes,
            yaml_errors: self.yaml_errors + o.yaml_errors,
            nodes: self.nodes + o.nodes,
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

fn parse_file(path: &PathBuf) -> Counts {
    let mut c = Counts {
        files: 1,
        ..Counts::default()
    };
    let Ok(bytes) = std::fs::read(path) else {
        return c;
    };
    c.bytes = bytes.len();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8_lossy(bytes);
    let body_range = match frontmatter::split(&text) {
        frontmatter::Split::Fenced { yaml, body, .. } => {
            c.documents = 1;
            match yaml::parse(&text[yaml]) {
                Ok(node) => c.nodes = count_nodes(&node),
                Err(_) => c.yaml_errors = 1,
            }
            body
        }
        // Evidence and other Markdown: `check` reads their headings for the anchors cited.
        _ => 0..text.len(),
    };
    let parsed = body::parse(&text, body_range);
    c.links = parsed.links.len();
    c.anchors = parsed.anchors.len();
    c
}

fn count_nodes(node: &yaml::Node) -> usize {
    1 + match &node.value {
        yaml::Value::Seq(items) => items.iter().map(count_nodes).sum(),
        yaml::Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| count_nodes(k) + count_nodes(v))
            .sum(),
        _ => 0,
    }
}

fn main() -> ExitCode {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        eprintln!("usage: parse_only DIR [DIR…]");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for root in &roots {
        walk(root, &mut files);
    }
    let total = files
        .par_iter()
        .map(parse_file)
        .reduce(Counts::default, Counts::add);
    println!(
        "files {} documents {} bytes {} yaml_errors {} nodes {} links {} anchors {}",
        total.files,
        total.documents,
        total.bytes,
        total.yaml_errors,
        total.nodes,
        total.links,
        total.anchors
    );
    ExitCode::SUCCESS
}
