//! Resolving a local path written in a document, without ever reading outside the repository.

use crate::cache::Cache;
use crate::discover::is_markdown;
use crate::document::{body, split};
use crate::paths;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Leaves the repository: absolute, or too many `..`.
    Outside,
    /// Stays inside as written, but a symbolic link on the way leads out.
    LinkOutside,
    Missing,
    /// The canonical path of an existing file or directory inside the repository.
    Found(PathBuf),
}

/// Resolves `raw` (no `#anchor`) relative to `dir`; `/x` is relative to the repository root.
pub fn resolve(
    raw: &str,
    dir: &Path,
    repo_root: &Path,
    allow_root_relative: bool,
    cache: &Cache,
) -> Resolved {
    let joined = match raw.strip_prefix('/') {
        Some(rest) if allow_root_relative => repo_root.join(rest),
        Some(_) => return Resolved::Outside,
        None if Path::new(raw).is_absolute()
            || raw.starts_with('\\')
            || raw.get(1..2) == Some(":") =>
        {
            return Resolved::Outside;
        }
        None => dir.join(raw),
    };
    let lexical = paths::normalize(&joined);
    if !paths::is_inside(&lexical, repo_root) {
        return Resolved::Outside;
    }
    let Ok(canonical) = lexical.canonicalize() else {
        // A dangling link that points out is still "outside", not "missing".
        return match std::fs::read_link(&lexical) {
            Ok(target)
                if !paths::is_inside(
                    &paths::normalize(&lexical.parent().unwrap_or(repo_root).join(&target)),
                    repo_root,
                ) =>
            {
                Resolved::LinkOutside
            }
            _ => Resolved::Missing,
        };
    };
    if canonical.starts_with(cache.canonical(repo_root)) {
        Resolved::Found(canonical)
    } else {
        Resolved::LinkOutside
    }
}

/// The anchors of a Markdown file (heading ids and HTML ids), or `None` when it is not a
/// Markdown file or cannot be read within `max_bytes`.
pub fn anchors(path: &Path, max_bytes: u64) -> Option<HashSet<String>> {
    // Only regular files are opened: reading a FIFO would block forever.
    let meta = std::fs::metadata(path).ok()?;
    if !is_markdown(path) || !meta.is_file() || meta.len() > max_bytes {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text =
        String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
    let body_range = match split::split(&text) {
        split::Split::Fenced { body, .. } => body,
        _ => 0..text.len(),
    };
    Some(body::parse(&text, body_range).anchors)
}

impl Resolved {
    /// Why a path that is not inside the repository is outside, for messages.
    pub fn outside_reason(&self) -> Option<&'static str> {
        match self {
            Resolved::Outside => Some("leaves the repository"),
            Resolved::LinkOutside => Some("is a symbolic link that leads out of the repository"),
            Resolved::Missing | Resolved::Found(_) => None,
        }
    }
}

/// The size of a Markdown file too large to read its anchors, for a finding that says so.
pub fn too_large_for_anchors(path: &Path, settings: &crate::settings::Settings) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    (is_markdown(path) && meta.is_file() && meta.len() > settings.max_file_bytes)
        .then_some(meta.len())
}

/// The finding for an anchor that was not checked because its file is above the size limit.
pub fn anchor_unchecked(
    file: &std::sync::Arc<crate::source::SourceFile>,
    span: std::ops::Range<usize>,
    anchor: &str,
    target: &str,
    size: u64,
    limit: u64,
) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::new(
        crate::rules::Rule::LimitExceeded,
        file,
        span,
        format!(
            "`#{}` was not checked: `{}` is {size} bytes, above the limit of {limit}",
            crate::model::level::one_line(anchor),
            crate::model::level::one_line(target)
        ),
    )
    .help("cite a smaller document, or raise `limits.max_file_bytes` in .smm-lint.yaml")
}

/// [`anchors`], read once per run for each file.
pub fn cached_anchors(
    path: &Path,
    settings: &crate::settings::Settings,
) -> Option<std::sync::Arc<HashSet<String>>> {
    settings
        .cache
        .anchors(path, || anchors(path, settings.max_file_bytes))
}

/// Splits `path#anchor` (and drops a `?query`).
pub fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    (path.split('?').next().unwrap_or(path), anchor)
}

/// Whether an anchor is among `anchors`; GitHub matches heading ids case-insensitively.
pub fn has_anchor(anchors: &HashSet<String>, anchor: &str) -> bool {
    let decoded = paths::percent_decode(anchor);
    anchors.contains(&decoded) || anchors.contains(&decoded.to_lowercase())
}

/// Paths like `raw` whose file name is one of the names in the directory it points into, for
/// "did you mean" help on a missing file.
pub fn nearby(raw: &str, dir: &Path) -> Vec<String> {
    let lexical = paths::normalize(&dir.join(raw));
    let (Some(parent), Some(name)) = (lexical.parent(), lexical.file_name()) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let prefix = raw
        .strip_suffix(name.to_string_lossy().as_ref())
        .unwrap_or("");
    crate::suggest::close(&name.to_string_lossy(), &refs, 3)
        .into_iter()
        .map(|n| format!("{prefix}{n}"))
        .collect()
}
