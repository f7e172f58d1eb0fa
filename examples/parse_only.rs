//! The parse-only limit for the benchmark (`scripts/bench`): the parsing `check` cannot do
//! without, and no rule. Walk the tree as `check` does, read every Markdown file once, split the
//! front matter, parse the YAML with spans (`yaml::parse`) and the Markdown body
//! (`document::body::parse`): the functions, crates and parallelism (rayon) `check` uses. So
//! `check` cannot be faster than this, and `check / parse-only` is what the rules, the profiles
//! and the report add.
//!
//! ```sh
//! cargo run --release --example parse_only -- PATH [PATH…]
//! ```
//!
//! Prints one line of counts (they keep the work from being optimised away, and can be compared
//! with `check`'s summary).
//!
//! Not `document::parse`: after `yaml::parse` it reads the tree into the typed front matter and
//! runs the schema rules (`front-matter-schema`, `unknown-key`), which are checks.
//!
//! The files are those `check` reads, found by `check`'s own discovery
//! (`discover::files_for_check`: the walk, the walk up from each argument to its profile, the
//! repository boundary, `exclude:` globs) and opened through `check`'s own checks before reading
//! (`load::read_whole`: a regular file, inside the repository, within the size limit).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use rayon::prelude::*;
use smm_lint::context::Context;
use smm_lint::document::body;
use smm_lint::yaml::{self, frontmatter};
use smm_lint::{discover, load};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

fn parse_file(path: &Path, ctx: &Context) -> Counts {
    let mut c = Counts {
        files: 1,
        ..Counts::default()
    };
    let Some(bytes) = load::read_whole(path, ctx) else {
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
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        eprintln!("usage: parse_only PATH [PATH…]");
        return ExitCode::from(2);
    }
    let (ctx, files) = match discover::files_for_check(&args) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("parse_only: {message}");
            return ExitCode::from(2);
        }
    };
    let total = files
        .par_iter()
        .map(|path| parse_file(path, &ctx))
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
