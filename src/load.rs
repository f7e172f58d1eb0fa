//! Reads candidate files within the limits, and parses them into documents.

use crate::diagnostic::Diagnostic;
use crate::document::{self, Broken, Parsed, split};
use crate::paths;
use crate::rules::Rule;
use crate::settings::Settings;
use crate::source::SourceFile;
use std::io::Read;
use std::path::Path;

/// Reads and parses one file. Symbolic links pointing outside the repository, and anything
/// that is not a regular file (a FIFO named `x.md`), are skipped without being opened.
pub fn load(path: &Path, settings: &Settings) -> Parsed {
    let name = paths::display(path, &settings.cwd);
    let Ok(meta) = std::fs::metadata(path) else {
        return Parsed::default();
    };
    if !meta.is_file() {
        return Parsed::default();
    }
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && !link_stays_inside(path, settings)
    {
        return Parsed::default();
    }
    if meta.len() > settings.max_file_bytes {
        return too_large(path, name, meta.len(), settings);
    }
    match std::fs::read(path) {
        Ok(bytes) => document::parse(path.to_path_buf(), name, &bytes, &settings.evidence.kinds),
        Err(_) => Parsed::default(),
    }
}

fn link_stays_inside(path: &Path, settings: &Settings) -> bool {
    let root = settings.repo_root(path.parent().unwrap_or(&settings.cwd));
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(target), Ok(root)) => target.starts_with(root),
        _ => false,
    }
}

/// A file above the size limit is not read; it is reported only when it starts like a
/// front-matter document, since most large Markdown files are not ours.
fn too_large(path: &Path, name: String, len: u64, settings: &Settings) -> Parsed {
    const PEEK: u64 = 64 * 1024;
    let mut head = Vec::new();
    let _ = std::fs::File::open(path).and_then(|f| f.take(PEEK).read_to_end(&mut head));
    let text =
        String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head)).into_owned();
    let front = match split::split(&text) {
        split::Split::Fenced { yaml, .. } => &text[yaml],
        split::Split::Unclosed { open } => &text[open.end..],
        split::Split::None => return Parsed::default(),
    };
    // Most large Markdown files are not ours: only one with our marker key is reported.
    let Some(marker) = split::marker(front) else {
        return Parsed::default();
    };
    let file = SourceFile::new(name, String::new());
    let diagnostic = Diagnostic::new(
        Rule::FileTooLarge,
        &file,
        0..0,
        format!("skipped: {len} bytes is above the limit of {} bytes", settings.max_file_bytes),
    )
    .help("keep practice documents small and link to large evidence; or raise `limits.max_file_bytes` in .smm-lint.yaml");
    Parsed {
        document: None,
        diagnostics: vec![diagnostic],
        broken: Some(Broken {
            path: path.to_path_buf(),
            marker,
        }),
    }
}
