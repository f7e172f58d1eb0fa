//! `--base GIT-REF`: the policy documents as they are at a git ref, read through the git
//! binary (`ls-tree`, then one `cat-file --batch`), without touching the work tree.
//!
//! Blobs are requested by object id, never by `REF:PATH`: a path may hold a newline, and a
//! request line with a newline in it would pair every later answer with the wrong path.

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::discover::is_markdown;
use crate::document::{self, Document};
use crate::error::Fatal;
use crate::git::{self, Entry};
use crate::paths;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::yaml::frontmatter;
use std::path::{Path, PathBuf};

mod config;

/// What needs git, in messages.
const WHO: &str = "--base";

/// The documents found under the checked roots at the base ref.
#[derive(Debug)]
pub(crate) struct Base {
    /// The ref as the user wrote it, for messages.
    pub(crate) reference: String,
    pub(crate) documents: Vec<Document>,
    /// Findings of reading the base: documents that could not be compared, a changed
    /// configuration.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Reads the Markdown files below `roots` (absolute) as they are at `reference`.
pub(crate) fn load(reference: &str, roots: &[PathBuf], ctx: &Context) -> Result<Base, Fatal> {
    let start = roots.first().map_or(ctx.cwd.as_path(), PathBuf::as_path);
    let Some(root) = paths::git_root(start) else {
        return Err(Fatal::new(
            "--base needs a git work tree: the checked paths are not in one",
        ));
    };
    let commit = format!("{reference}^{{commit}}");
    let verified = git::command(&root)
        .args(["rev-parse", "--verify", "--quiet", &commit])
        .output();
    if !verified.is_ok_and(|o| o.status.success()) {
        return Err(Fatal::new(format!("the base ref `{reference}` does not exist in {}", root.display()))
            .help("use a branch, tag or commit that exists locally; in GitHub Actions check out with `fetch-depth: 0`"));
    }
    let listing = git::run(
        git::command(&root).args(["ls-tree", "-r", "-z", "-l", &commit]),
        WHO,
        "ls-tree",
    )?;
    let wanted: Vec<Entry> = git::parse_listing(&listing)
        .into_iter()
        .filter(|e| is_markdown(&e.path))
        .filter(|e| roots.iter().any(|r| root.join(&e.path).starts_with(r)))
        .collect();
    let mut diagnostics = Vec::new();
    let wanted = within_limit(wanted, reference, &root, ctx, &mut diagnostics);
    let (small, large): (Vec<Entry>, Vec<Entry>) = wanted
        .into_iter()
        .partition(|e| e.size <= ctx.settings.max_file_bytes);
    for entry in &large {
        if let Some(d) = too_large(&root, reference, entry, ctx) {
            diagnostics.push(d);
        }
    }
    let ids: Vec<&str> = small.iter().map(|e| e.id.as_str()).collect();
    let blobs = git::cat_files(&root, &ids, ctx.settings.max_file_bytes, WHO)?;
    let documents = small
        .iter()
        .zip(blobs)
        .filter_map(|(entry, bytes)| {
            let abs = root.join(&entry.path);
            let name = format!("{reference}:{}", paths::display(&abs, &ctx.cwd));
            document::parse(abs, name, &bytes?, &ctx.settings.evidence.kinds).document
        })
        .collect();
    diagnostics.extend(config::compare(&root, reference, &commit, ctx));
    Ok(Base {
        reference: reference.to_owned(),
        documents,
        diagnostics,
    })
}

/// At most `limits.max_documents` Markdown files, in the order git lists them; a cut
/// is an error, since the documents left out are not compared.
fn within_limit(
    mut wanted: Vec<Entry>,
    reference: &str,
    root: &Path,
    ctx: &Context,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let Some(first) = wanted.get(ctx.settings.max_documents) else {
        return wanted;
    };
    let name = paths::display(&root.join(&first.path), &ctx.cwd);
    let file = SourceFile::new(name, String::new());
    diagnostics.push(
        Diagnostic::new(
            Rule::LimitExceeded,
            &file,
            0..0,
            format!(
                "{} Markdown files at `{}` from here on were not read: the limit is {} per run",
                wanted.len() - ctx.settings.max_documents,
                crate::text::excerpt(reference),
                ctx.settings.max_documents
            ),
        )
        .help("check one profile tree at a time, exclude directories without profiles, or raise `limits.max_documents`"),
    );
    wanted.truncate(ctx.settings.max_documents);
    wanted
}

/// A base blob above the size limit is not read: the document it holds cannot be compared,
/// so a lowered claim in it would pass unseen. When its head shows our front matter, that is
/// an error finding; other large Markdown files (not ours) are skipped quietly.
fn too_large(root: &Path, reference: &str, entry: &Entry, ctx: &Context) -> Option<Diagnostic> {
    let head = git::blob_head(root, &entry.id, crate::read::PEEK_BYTES);
    let text = crate::read::lossy_text(&head).into_owned();
    let front = match frontmatter::split(&text) {
        frontmatter::Split::Fenced { yaml, .. } => &text[yaml],
        frontmatter::Split::Unclosed { open } => &text[open.end..],
        frontmatter::Split::None => return None,
    };
    frontmatter::marker(front)?;
    let name = paths::display(&root.join(&entry.path), &ctx.cwd);
    let file = SourceFile::new(name, String::new());
    Some(
        Diagnostic::new(
            Rule::LimitExceeded,
            &file,
            0..0,
            format!(
                "not compared with `{}`: there it is {} bytes, above the limit of {} bytes",
                crate::text::excerpt(reference),
                entry.size,
                ctx.settings.max_file_bytes
            ),
        )
        .help("a regression in this document would go unseen; keep practice documents small, or raise `limits.max_file_bytes` in .smm-lint.yaml"),
    )
}
