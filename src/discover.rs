//! Finds the Markdown files to read: walks directories, and walks up from each PATH to the
//! profile it belongs to, so a single file is always checked with its whole profile.

use crate::document::split;
use crate::error::Fatal;
use crate::paths;
use crate::settings::Settings;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Directory names never entered.
const SKIPPED_DIRS: &[&str] = &["node_modules", "target"];

#[derive(Debug, Default)]
pub struct Found {
    /// Absolute, normalized, sorted, unique.
    pub files: Vec<PathBuf>,
    /// The directories walked, and single files checked on their own.
    pub roots: Vec<PathBuf>,
    /// Problems met while walking (unreadable directories), for stderr.
    pub unreadable: Vec<(PathBuf, String)>,
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// `paths` are absolute and normalized.
pub fn discover(paths: &[PathBuf], settings: &Settings) -> Result<Found, Fatal> {
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut singles: Vec<PathBuf> = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| {
            Fatal::new(format!(
                "cannot read {}: {e}",
                paths::display(path, &settings.cwd)
            ))
        })?;
        let start = if meta.is_dir() {
            path.clone()
        } else {
            parent(path)
        };
        match profile_dir_above(&start, &stop_dir(&start, settings)) {
            Some(dir) => roots.push(dir),
            None if meta.is_dir() => roots.push(path.clone()),
            None if is_markdown(path) && split::marker(&head(path)).is_some() => {
                singles.push(path.clone())
            }
            None => roots.extend(citing_profiles(path, settings)),
        }
    }
    roots.sort();
    roots.dedup();
    let roots: Vec<PathBuf> = roots
        .iter()
        .filter(|r| !roots.iter().any(|o| o != *r && r.starts_with(o)))
        .cloned()
        .collect();
    let mut found = Found::default();
    for root in &roots {
        walk(root, settings, &mut found);
    }
    let singles: Vec<PathBuf> = singles
        .into_iter()
        .filter(|s| !roots.iter().any(|r| s.starts_with(r)))
        .collect();
    found.files.extend(singles.iter().cloned());
    found.roots = roots.into_iter().chain(singles).collect();
    found.files.sort();
    found.files.dedup();
    Ok(found)
}

/// The profiles whose practice documents may cite `file`, a file outside every profile tree
/// (shared evidence, say): those that mention its name. This walks the whole repository, but
/// only in this case; a superset is fine, since the profiles found are then checked in full.
fn citing_profiles(file: &Path, settings: &Settings) -> Vec<PathBuf> {
    let Some(name) = file.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let root = settings.repo_root(&parent(file));
    let mut all = Found::default();
    walk(&root, settings, &mut all);
    let mut dirs: Vec<PathBuf> = all
        .files
        .iter()
        .filter(|doc| {
            let text = head(doc);
            text.contains(&name) && matches!(split::marker(&text), Some(split::Marker::Practice(_)))
        })
        .filter_map(|doc| profile_dir_above(&parent(doc), &root))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// The first 64 KiB of a file as text: enough for any front matter.
fn head(path: &Path) -> String {
    const PEEK: u64 = 64 * 1024;
    let mut bytes = Vec::new();
    // Check the type before opening: opening a FIFO blocks.
    if std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        if let Ok(file) = std::fs::File::open(path) {
            let _ = std::io::Read::read_to_end(&mut std::io::Read::take(file, PEEK), &mut bytes);
        }
    }
    String::from_utf8_lossy(&bytes)
        .trim_start_matches('\u{feff}')
        .to_owned()
}

fn parent(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Walking up stops at the repository root when `start` is inside it, else at `start`.
fn stop_dir(start: &Path, settings: &Settings) -> PathBuf {
    let root = settings.repo_root(start);
    if start.starts_with(&root) {
        root
    } else {
        start.to_path_buf()
    }
}

/// The nearest directory from `start` up to `stop` that holds a profile document.
fn profile_dir_above(start: &Path, stop: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        if holds_profile(dir) {
            return Some(dir.to_path_buf());
        }
        if dir == stop || !dir.starts_with(stop) {
            break;
        }
    }
    None
}

pub fn holds_profile(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        is_markdown(&path) && e.file_type().is_ok_and(|t| t.is_file()) && is_profile_file(&path)
    })
}

/// A cheap look at the front matter: a top-level `profile:` key.
fn is_profile_file(path: &Path) -> bool {
    let text = head(path);
    match split::split(&text) {
        split::Split::Fenced { yaml, .. } => text[yaml].lines().any(|l| {
            l.starts_with("profile:")
                || l.starts_with("\"profile\":")
                || l.starts_with("'profile':")
        }),
        _ => false,
    }
}

fn walk(root: &Path, settings: &Settings, found: &mut Found) {
    // Symbolic links are not followed while walking, so a link loop cannot trap the walk;
    // a linked Markdown file is still read (the loader checks where it points).
    let walker = WalkDir::new(root).follow_links(false).sort_by_file_name();
    let walker = walker.into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        let skipped_dir = e.file_type().is_dir()
            && e.depth() > 0
            && (name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref()));
        !skipped_dir
            && !settings
                .exclude
                .as_ref()
                .is_some_and(|x| x.matches(e.path()))
    });
    for entry in walker {
        match entry {
            Ok(e)
                if is_markdown(e.path())
                    && (e.file_type().is_file() || e.file_type().is_symlink()) =>
            {
                found.files.push(e.into_path());
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                let reason = err
                    .io_error()
                    .map_or_else(|| err.to_string(), ToString::to_string);
                found.unreadable.push((path, reason));
            }
        }
    }
}
