//! Resolving a local path written in a document, without ever reading outside the repository.

use crate::cache::Cache;
use crate::discover::is_markdown;
use crate::document::body;
use crate::paths;
use crate::yaml::frontmatter;
use std::collections::HashSet;
use std::path::Path;

pub(crate) use crate::cache::Resolved;

/// Resolves `raw` (no `#anchor`) relative to `dir`; `/x` is relative to the repository root.
/// Once per run for each distinct question: the documents of a directory cite the same few
/// files many times.
pub(crate) fn resolve(
    raw: &str,
    dir: &Path,
    repo_root: &Path,
    allow_root_relative: bool,
    cache: &Cache,
) -> Resolved {
    cache.resolution((dir, repo_root, raw, allow_root_relative), || {
        resolve_uncached(raw, dir, repo_root, allow_root_relative, cache)
    })
}

fn resolve_uncached(
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
    // Git's metadata is not repository content: a path into it is treated as outside.
    if !paths::is_inside(&lexical, repo_root) || paths::in_git_metadata(&lexical, repo_root) {
        return Resolved::Outside;
    }
    let root = cache.canonical(repo_root);
    match cache.resolved(&lexical) {
        Some(canonical) if paths::in_git_metadata(&canonical, &root) => Resolved::Outside,
        Some(canonical) if canonical.starts_with(&root) => Resolved::Found(canonical),
        Some(_) => Resolved::LinkOutside,
        // Missing, but perhaps below a link that leads out: saying "does not exist" there would
        // tell whether a file outside the repository exists.
        None if cache.leads_out(&lexical, repo_root, || {
            leads_out(&lexical, repo_root, &root, MAX_LINK_HOPS)
        }) =>
        {
            Resolved::LinkOutside
        }
        None => Resolved::Missing,
    }
}

/// The path `raw` with `\` written as `/`, when that form is a file or directory inside the
/// repository (a path copied from Windows).
pub(crate) fn with_slashes(
    raw: &str,
    dir: &Path,
    repo_root: &Path,
    cache: &Cache,
) -> Option<String> {
    if !raw.contains('\\') {
        return None;
    }
    let slashed = raw.replace('\\', "/");
    matches!(
        resolve(&slashed, dir, repo_root, false, cache),
        Resolved::Found(_)
    )
    .then_some(slashed)
}

/// For an absolute path that names a file or directory inside the repository, the same path
/// written relative to `dir`. Nothing is said about an absolute path outside the repository,
/// and the relative form goes through [`resolve`], so a symbolic link leading out is not
/// followed.
pub(crate) fn relative_form(
    raw: &str,
    dir: &Path,
    repo_root: &Path,
    cache: &Cache,
) -> Option<String> {
    let absolute = paths::normalize(Path::new(raw));
    if !Path::new(raw).is_absolute() {
        return None;
    }
    let canonical_root = cache.canonical(repo_root);
    let in_repo = [repo_root, canonical_root.as_path()]
        .into_iter()
        .find_map(|root| absolute.strip_prefix(root).ok())?;
    let dir_in_repo = paths::normalize(dir);
    let dir_in_repo = dir_in_repo.strip_prefix(repo_root).ok()?;
    let mut relative: Vec<String> = dir_in_repo.components().map(|_| "..".to_owned()).collect();
    relative.extend(
        in_repo
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    let relative = relative.join("/");
    matches!(
        resolve(&relative, dir, repo_root, false, cache),
        Resolved::Found(_)
    )
    .then_some(relative)
}

/// How many dangling symbolic links are followed, one to the next, before giving up.
const MAX_LINK_HOPS: u32 = 40;

/// Whether a path that does not exist (inside the repository as written) passes through a
/// symbolic link that leads out of `canonical_root`: its deepest existing ancestor resolves
/// outside, or a dangling link on the way points outside.
fn leads_out(lexical: &Path, repo_root: &Path, canonical_root: &Path, hops: u32) -> bool {
    for ancestor in lexical.ancestors() {
        if !paths::is_inside(ancestor, repo_root) {
            return false;
        }
        if let Ok(canonical) = ancestor.canonicalize() {
            return !canonical.starts_with(canonical_root);
        }
        if let Ok(target) = std::fs::read_link(ancestor) {
            // A dangling link: follow it with the rest of the path after it.
            let rest = lexical.strip_prefix(ancestor).unwrap_or(Path::new(""));
            let parent = ancestor.parent().unwrap_or(repo_root);
            let next = paths::normalize(&parent.join(target).join(rest));
            // A loop of links inside the repository ends, like the system's resolution, as
            // missing.
            return !paths::is_inside(&next, repo_root)
                || (hops > 0 && leads_out(&next, repo_root, canonical_root, hops - 1));
        }
    }
    false
}

/// The anchors of a Markdown file (heading ids and HTML ids), or `None` when it is not a
/// Markdown file or cannot be read within `max_bytes`.
pub(crate) fn anchors(path: &Path, max_bytes: u64) -> Option<HashSet<String>> {
    // Only regular files are opened: reading a FIFO would block forever.
    let meta = std::fs::metadata(path).ok()?;
    if !is_markdown(path) || !meta.is_file() || meta.len() > max_bytes {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = crate::read::lossy_text(&bytes).into_owned();
    let body_range = match frontmatter::split(&text) {
        frontmatter::Split::Fenced { body, .. } => body,
        _ => 0..text.len(),
    };
    Some(body::parse(&text, body_range).anchors)
}

impl Resolved {
    /// Why a path that is not inside the repository is outside, for messages.
    pub(crate) fn outside_reason(&self) -> Option<&'static str> {
        match self {
            Resolved::Outside => Some("leaves the repository"),
            Resolved::LinkOutside => Some("is a symbolic link that leads out of the repository"),
            Resolved::Missing | Resolved::Found(_) => None,
        }
    }
}

/// The size of a Markdown file too large to read its anchors, for a finding that says so.
pub(crate) fn too_large_for_anchors(path: &Path, ctx: &crate::context::Context) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    (is_markdown(path) && meta.is_file() && meta.len() > ctx.settings.max_file_bytes)
        .then_some(meta.len())
}

/// The finding for an anchor that was not checked because its file is above the size limit.
pub(crate) fn anchor_unchecked(
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
            crate::text::excerpt(anchor),
            crate::text::excerpt(target)
        ),
    )
    .help("cite a smaller document, or raise `limits.max_file_bytes` in .smm-lint.yaml")
}

/// [`anchors`], read once per run for each file.
pub(crate) fn cached_anchors(
    path: &Path,
    ctx: &crate::context::Context,
) -> Option<std::sync::Arc<HashSet<String>>> {
    ctx.cache
        .anchors(path, || anchors(path, ctx.settings.max_file_bytes))
}

/// Past this many headings a file gets no anchor suggestion: each missing anchor would be
/// weighed against all of them.
pub(crate) const MAX_SUGGESTED_ANCHORS: usize = 5_000;

/// "did you mean" for a missing `anchor` of the file at `path`, whose anchors were read
/// already; the candidates are prepared once per file and run.
pub(crate) fn anchor_help(path: &Path, anchor: &str, ctx: &crate::context::Context) -> String {
    let names = ctx.cache.anchor_names(path, || {
        let anchors = cached_anchors(path, ctx)?;
        if anchors.len() > MAX_SUGGESTED_ANCHORS {
            return None;
        }
        let mut sorted: Vec<&str> = anchors.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        Some(crate::text::suggest::Candidates::new(sorted))
    });
    let close = names.map(|n| n.close(anchor, 3, 0.7)).unwrap_or_default();
    if close.is_empty() {
        "an anchor is the GitHub id of a heading in that file: lowercase, punctuation dropped, spaces as `-`".to_owned()
    } else {
        format!("did you mean {}?", crate::text::suggest::quoted(&close))
    }
}

/// Splits `path#anchor` (and drops a `?query`).
pub(crate) fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    (path.split('?').next().unwrap_or(path), anchor)
}

/// Whether an anchor is among `anchors`; GitHub matches heading ids case-insensitively.
pub(crate) fn has_anchor(anchors: &HashSet<String>, anchor: &str) -> bool {
    let decoded = paths::percent_decode(anchor);
    anchors.contains(&decoded) || anchors.contains(&decoded.to_lowercase())
}

/// Directories with more entries than this are not listed for suggestions: ranking a huge
/// directory per missing file is unbounded work for a small document.
pub(crate) const MAX_LISTED: usize = 1000;

/// Paths like `raw` whose file name is one of the names in the directory it points into, for
/// "did you mean" help on a missing file. Only a directory inside the repository (resolved
/// canonically, links followed) with at most [`MAX_LISTED`] entries is listed, once per run.
pub(crate) fn nearby(raw: &str, dir: &Path, repo_root: &Path, cache: &Cache) -> Vec<String> {
    let lexical = paths::normalize(&dir.join(raw));
    let (Some(parent), Some(name)) = (lexical.parent(), lexical.file_name()) else {
        return Vec::new();
    };
    if !paths::is_inside(parent, repo_root) {
        return Vec::new();
    }
    let Ok(parent) = parent.canonicalize() else {
        return Vec::new();
    };
    if !parent.starts_with(cache.canonical(repo_root)) {
        return Vec::new();
    }
    let Some(names) = cache.dir_names(&parent, || list_bounded(&parent, MAX_LISTED)) else {
        return Vec::new();
    };
    let prefix = raw
        .strip_suffix(name.to_string_lossy().as_ref())
        .unwrap_or("");
    names
        .close(&name.to_string_lossy(), 3, 0.7)
        .into_iter()
        .map(|n| format!("{prefix}{n}"))
        .collect()
}

/// The sorted entry names of `dir`, prepared for suggestions, or `None` when it cannot be read
/// or has more than `max` entries (reading stops there).
fn list_bounded(dir: &Path, max: usize) -> Option<crate::text::suggest::Candidates> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        if names.len() == max {
            return None;
        }
        names.push(entry.ok()?.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Some(crate::text::suggest::Candidates::new(
        names.iter().map(String::as_str),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers are kept per question: the same path asked with and without `/x` meaning the
    /// root's `x`, or from another directory, or with a NUL that would run into the next part
    /// of the key, gets its own answer, not the one asked first.
    #[test]
    fn each_distinct_question_gets_its_own_answer() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().canonicalize().expect("root");
        std::fs::create_dir_all(root.join("docs")).expect("dir");
        std::fs::write(root.join("x.md"), "x").expect("file");
        std::fs::write(root.join("docs/y.md"), "y").expect("file");
        let cache = Cache::default();
        let docs = root.join("docs");
        for _ in 0..2 {
            assert_eq!(
                resolve("/x.md", &docs, &root, true, &cache),
                Resolved::Found(root.join("x.md"))
            );
            assert_eq!(
                resolve("/x.md", &docs, &root, false, &cache),
                Resolved::Outside
            );
            assert_eq!(
                resolve("y.md", &docs, &root, false, &cache),
                Resolved::Found(root.join("docs/y.md"))
            );
            assert_eq!(
                resolve("y.md", &root, &root, false, &cache),
                Resolved::Missing
            );
            assert_eq!(
                resolve("y.md\0\u{1}", &docs, &root, false, &cache),
                Resolved::Missing
            );
        }
    }
}
