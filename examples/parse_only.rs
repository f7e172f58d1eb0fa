//! The parse-only limit for the benchmark (`scripts/bench`): walk a tree, read every Markdown
//! file, split the front matter, parse the YAML with spans (`yaml::parse`) and the
//! Markdown body (`document::body::parse`), and run no rules. The same crates and the same
//! parallelism (rayon) as `smm-lint check`, so `check` cannot be faster than this.
//!
//! ```sh
//! cargo run --release --example parse_only -- DIR [DIR…]
//! ```
//!
//! Prints one line: files, documents (files with front matter), bytes, YAML nodes, links and
//! anchors (the counts keep the work from being optimised away, and can be compared with
//! `check`'s summary).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use rayon::prelude::*;
use smm_lint::document::body;
use smm_lint::yaml::{self, frontmatter};
use std::path::PathBuf;
use std::process::ExitCode;
use walkdir::WalkDir;

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    files: usize,
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

fn is_markdown(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// The files `check` would read: Markdown, hidden directories and `node_modules`/`target`
/// below the given roots skipped, symbolic links not followed.
fn walk(root: &PathBuf, out: &mut Vec<PathBuf>) {
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_dir()
                && e.depth() > 0
                && (name.starts_with('.') || name == "node_modules" || name == "target"))
        });
    for entry in walker.flatten() {
        if entry.file_type().is_file() && is_markdown(entry.path()) {
            out.push(entry.into_path());
        }
    }
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
        // Evidence and other Markdown: `check` reads their headings for anchors.
        _ => 0..text.len(),
    };
    let parsed = body::parse(&text, body_range);
    c.links = parsed.links.len();
    c.anchors = parsed.anchors.len();
    c
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
