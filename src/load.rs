//! Reads candidate files within the limits, and parses them into documents.

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::document::{self, Broken, MAX_FRONT_MATTER_BYTES, Parsed};
use crate::paths;
use crate::read;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::yaml::frontmatter;
use std::path::Path;

/// Reads and parses one file. A file whose canonical path is outside the repository (reached
/// through a symbolic link), and anything that is not a regular file (a FIFO named `x.md`),
/// is skipped without being opened.
pub(crate) fn load(path: &Path, ctx: &Context) -> Parsed {
    let name = paths::display(path, &ctx.cwd);
    match gate(path, ctx) {
        Gate::Skip => Parsed::default(),
        Gate::TooLarge(len) => too_large(path, name, len, ctx),
        Gate::Read => match std::fs::read(path) {
            Ok(bytes) => document::parse(
                path.to_path_buf(),
                name,
                &bytes,
                &ctx.settings.evidence.kinds,
            ),
            Err(_) => Parsed::default(),
        },
    }
}

/// The bytes of `path` when [`load`] reads it whole: the same checks before opening it. For the
/// parse-only benchmark (`examples/parse_only.rs`), which must read what `check` reads.
#[doc(hidden)]
pub fn read_whole(path: &Path, ctx: &Context) -> Option<Vec<u8>> {
    match gate(path, ctx) {
        Gate::Read => std::fs::read(path).ok(),
        Gate::Skip | Gate::TooLarge(_) => None,
    }
}

/// What may be done with a file before it is opened.
enum Gate {
    Skip,
    /// Above the size limit (its length).
    TooLarge(u64),
    Read,
}

fn gate(path: &Path, ctx: &Context) -> Gate {
    let Ok(meta) = std::fs::metadata(path) else {
        return Gate::Skip;
    };
    if !meta.is_file() || !ctx.stays_inside(path) {
        return Gate::Skip;
    }
    if meta.len() > ctx.settings.max_file_bytes {
        return Gate::TooLarge(meta.len());
    }
    Gate::Read
}

/// A file above the size limit still has its front matter read and checked, since it sits at
/// the top and holds every claim: a padded document must not hide a lowered level. Only the
/// body is skipped, and said so. Large files that are not ours are skipped silently.
fn too_large(path: &Path, name: String, len: u64, ctx: &Context) -> Parsed {
    // The front matter up to its limit, plus room for the fences and a byte-order mark.
    const SLACK: usize = 4096;
    let head = std::fs::File::open(path)
        .map(|f| read::head(f, (MAX_FRONT_MATTER_BYTES + SLACK) as u64))
        .unwrap_or_default();
    let text = read::lossy_text(&head);
    let front_end = match frontmatter::split(&text) {
        frontmatter::Split::Fenced { body, .. } => body.start,
        frontmatter::Split::Unclosed { open } => {
            return match frontmatter::marker(&text[open.end..]) {
                Some(marker) => unclosed_within_limit(path, name, &text[..open.end], marker),
                None => Parsed::default(),
            };
        }
        frontmatter::Split::None => return Parsed::default(),
    };
    let front = &text[..front_end];
    let mut parsed = document::parse(
        path.to_path_buf(),
        name.clone(),
        front.as_bytes(),
        &ctx.settings.evidence.kinds,
    );
    if parsed.document.is_none() && parsed.broken.is_none() {
        return parsed;
    }
    let file = SourceFile::new(name, front.to_owned());
    parsed.diagnostics.push(
        Diagnostic::new(
            Rule::FileTooLarge,
            &file,
            0..0,
            format!(
                "{len} bytes is above the limit of {} bytes: the front matter was checked, the body was not read",
                ctx.settings.max_file_bytes
            ),
        )
        .help("keep practice documents small and link to large evidence; or raise `limits.max_file_bytes` in .smm-lint.yaml"),
    );
    parsed
}

/// A large file of ours whose front matter does not close within the front-matter limit: it
/// cannot be checked, which fails the run.
fn unclosed_within_limit(
    path: &Path,
    name: String,
    open: &str,
    marker: frontmatter::Marker,
) -> Parsed {
    let file = SourceFile::new(name, open.to_owned());
    let diagnostic = Diagnostic::new(
        Rule::LimitExceeded,
        &file,
        0..open.len(),
        format!("the front matter does not close within its limit of {MAX_FRONT_MATTER_BYTES} bytes; the document is not read"),
    )
    .help("keep the front matter to the keys of the format and close it with a line holding only `---`");
    Parsed {
        document: None,
        diagnostics: vec![diagnostic],
        broken: Some(Broken {
            path: path.to_path_buf(),
            marker,
        }),
    }
}
