//! Facts about the file system that many documents ask for in one run: the anchors of a
//! Markdown file, a directory's entry names, a directory's repository root, a root's canonical
//! path. Kept per run (in the run's context), so nothing outlives the run that read it; safe to share
//! between threads.

use crate::text::suggest::Candidates;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

type Anchors = Option<Arc<HashSet<String>>>;

#[derive(Debug, Default)]
pub(crate) struct Cache {
    anchors: Mutex<HashMap<PathKey, Anchors>>,
    roots: Mutex<HashMap<PathKey, PathBuf>>,
    canonical: Mutex<HashMap<PathKey, PathBuf>>,
    resolved: Mutex<HashMap<PathKey, Option<PathBuf>>>,
    is_file: Mutex<HashMap<PathKey, bool>>,
    leads_out: Mutex<HashMap<(PathBuf, PathBuf), bool>>,
    sha256: Mutex<HashMap<PathKey, Option<String>>>,
    listings: Mutex<HashMap<PathKey, Listing>>,
    anchor_names: Mutex<HashMap<PathKey, Listing>>,
    resolutions: Mutex<HashMap<ResolutionKey, Resolved>>,
}

/// Where a path written in a document leads (`checks::files::resolve` finds it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// Leaves the repository: absolute, or too many `..`.
    Outside,
    /// Stays inside as written, but a symbolic link on the way leads out.
    LinkOutside,
    Missing,
    /// The canonical path of an existing file or directory inside the repository.
    Found(PathBuf),
}

/// A path as written, with what it is resolved against (the document's directory, the
/// repository root, whether `/x` may mean the root's `x`), as bytes joined by NUL: hashing and
/// comparing bytes costs a fraction of `Path`'s component-wise forms. Unambiguous: paths hold
/// no NUL, and the text as written (which may) runs to the last two bytes.
type ResolutionKey = Vec<u8>;

/// A directory's entry names, prepared for suggestions; `None` when not listed.
type Listing = Option<Arc<Candidates>>;

/// A path as the key of a memo: its bytes, which hash and compare far cheaper than `Path`'s
/// component-wise forms. Two spellings of one path (`a//b`, `a/b`) are at worst answered twice,
/// alike.
type PathKey = Box<[u8]>;

/// Looks `key` up in `map`, computing it outside the lock when absent (two threads may both
/// compute it; the results are equal).
fn memo<V: Clone>(map: &Mutex<HashMap<PathKey, V>>, key: &Path, compute: impl FnOnce() -> V) -> V {
    let bytes = key.as_os_str().as_encoded_bytes();
    if let Some(v) = map
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(bytes)
    {
        return v.clone();
    }
    let value = compute();
    map.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(bytes.into(), value.clone());
    value
}

/// [`memo`] for a key that is built for the question (a tuple of paths): the lookup owns it.
fn memo_owned<K: Hash + Eq, V: Clone>(
    map: &Mutex<HashMap<K, V>>,
    key: K,
    compute: impl FnOnce() -> V,
) -> V {
    if let Some(v) = map.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
        return v.clone();
    }
    let value = compute();
    map.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, value.clone());
    value
}

impl Cache {
    pub(crate) fn anchors(
        &self,
        path: &Path,
        compute: impl FnOnce() -> Option<HashSet<String>>,
    ) -> Anchors {
        memo(&self.anchors, path, || compute().map(Arc::new))
    }

    /// Forgets what was learnt about single files and directory listings, keeping only the
    /// repository roots and their canonical paths (a few per tree). A run that checks one
    /// profile directory at a time calls it between batches: most files are cited from one
    /// directory only, so keeping their facts to the end would make memory grow with the tree,
    /// while a file cited from everywhere is only looked up again once per batch.
    pub(crate) fn forget_files(&self) {
        fn clear<K, V>(map: &Mutex<HashMap<K, V>>) {
            *map.lock().unwrap_or_else(PoisonError::into_inner) = HashMap::new();
        }
        clear(&self.anchors);
        clear(&self.resolved);
        clear(&self.is_file);
        clear(&self.leads_out);
        clear(&self.sha256);
        clear(&self.listings);
        clear(&self.anchor_names);
        clear(&self.resolutions);
    }

    pub(crate) fn root(&self, dir: &Path, compute: impl FnOnce() -> PathBuf) -> PathBuf {
        memo(&self.roots, dir, compute)
    }

    /// A file's SHA-256, hashed once per run however many pins cite it.
    pub(crate) fn sha256(
        &self,
        path: &Path,
        compute: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        memo(&self.sha256, path, compute)
    }

    /// A path's canonical form, or `None` when it cannot be resolved (the boundary checks
    /// need the difference, where [`Cache::canonical`] falls back to the path as given).
    /// Resolved once per run however many documents cite the path: each resolution costs a
    /// `readlink` per component.
    pub(crate) fn resolved(&self, path: &Path) -> Option<PathBuf> {
        memo(&self.resolved, path, || self.resolve_uncached(path))
    }

    /// A name that is not a symbolic link resolves to its directory's canonical form and the
    /// name: one `lstat`, with the directory resolved once per run. Links, and paths that are
    /// not plain (`.`, `..`), go to the system's resolution.
    fn resolve_uncached(&self, path: &Path) -> Option<PathBuf> {
        use std::path::Component;
        let plain = path.components().all(|c| {
            matches!(
                c,
                Component::RootDir | Component::Prefix(_) | Component::Normal(_)
            )
        });
        match (plain, path.parent(), path.file_name()) {
            (true, Some(parent), Some(name)) => match std::fs::symlink_metadata(path) {
                Ok(meta) if !meta.file_type().is_symlink() => {
                    self.resolved(parent).map(|dir| dir.join(name))
                }
                Ok(_) => path.canonicalize().ok(),
                Err(_) => None,
            },
            _ => path.canonicalize().ok(),
        }
    }

    /// Whether a (canonical) path is a regular file, asked once per run.
    pub(crate) fn is_file(&self, path: &Path) -> bool {
        memo(&self.is_file, path, || path.is_file())
    }

    /// Whether a path that does not resolve passes through a link leading out of the
    /// repository at `root`, found once per run per path and root.
    pub(crate) fn leads_out(
        &self,
        path: &Path,
        root: &Path,
        compute: impl FnOnce() -> bool,
    ) -> bool {
        memo_owned(
            &self.leads_out,
            (path.to_path_buf(), root.to_path_buf()),
            compute,
        )
    }

    /// A directory's entries for "did you mean", listed once per run however many missing
    /// files point into it.
    pub(crate) fn dir_names(
        &self,
        dir: &Path,
        compute: impl FnOnce() -> Option<Candidates>,
    ) -> Listing {
        memo(&self.listings, dir, || compute().map(Arc::new))
    }

    /// A Markdown file's anchors for "did you mean", prepared once per run however many
    /// missing anchors point into it.
    pub(crate) fn anchor_names(
        &self,
        path: &Path,
        compute: impl FnOnce() -> Option<Candidates>,
    ) -> Listing {
        memo(&self.anchor_names, path, || compute().map(Arc::new))
    }

    /// Where `raw` leads from `dir` (see `checks::files::resolve`), found once per run.
    pub(crate) fn resolution(
        &self,
        (dir, root, raw, root_relative): (&Path, &Path, &str, bool),
        compute: impl FnOnce() -> Resolved,
    ) -> Resolved {
        let (dir, root) = (dir.as_os_str(), root.as_os_str());
        let mut key = Vec::with_capacity(dir.len() + root.len() + raw.len() + 3);
        key.extend_from_slice(dir.as_encoded_bytes());
        key.push(0);
        key.extend_from_slice(root.as_encoded_bytes());
        key.push(0);
        key.extend_from_slice(raw.as_bytes());
        key.push(0);
        key.push(u8::from(root_relative));
        memo_owned(&self.resolutions, key, compute)
    }

    /// The canonical form of a repository root (symbolic links resolved).
    pub(crate) fn canonical(&self, root: &Path) -> PathBuf {
        memo(&self.canonical, root, || {
            root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::{Cache, Resolved};
    use std::cell::Cell;
    use std::path::Path;

    /// After `forget_files`, every per-file fact is computed again: a fact kept by mistake
    /// would grow with the tree when `check` works one profile directory at a time.
    #[test]
    fn forgetting_files_forgets_every_per_file_fact() {
        let cache = Cache::default();
        let computed = Cell::new(0);
        let path = Path::new("/r/a.md");
        let ask = |cache: &Cache| {
            let count = || computed.set(computed.get() + 1);
            cache.anchors(path, || {
                count();
                None
            });
            cache.sha256(path, || {
                count();
                None
            });
            cache.leads_out(path, path, || {
                count();
                false
            });
            cache.dir_names(path, || {
                count();
                None
            });
            cache.anchor_names(path, || {
                count();
                None
            });
            cache.resolution((path, path, "a.md", false), || {
                count();
                Resolved::Missing
            });
        };
        ask(&cache);
        assert_eq!(computed.get(), 6);
        ask(&cache);
        assert_eq!(computed.get(), 6, "asked again: answered from the memos");
        cache.forget_files();
        ask(&cache);
        assert_eq!(computed.get(), 12, "after forget_files: computed again");
    }
    use std::os::unix::fs::symlink;

    /// The per-directory shortcut gives what the system's resolution gives, for every shape
    /// of path a document can cite.
    #[test]
    fn resolved_agrees_with_the_system_resolution() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        std::fs::create_dir_all(root.join("repo/docs/deep")).expect("dirs");
        std::fs::create_dir_all(root.join("outside")).expect("dir");
        std::fs::write(root.join("repo/docs/deep/a.md"), "a").expect("file");
        std::fs::write(root.join("outside/secret.md"), "s").expect("file");
        symlink(root.join("repo/docs"), root.join("repo/alias")).expect("link");
        symlink("../outside", root.join("repo/out")).expect("link");
        symlink("deep/a.md", root.join("repo/docs/file-link.md")).expect("link");
        symlink("nowhere", root.join("repo/dangling")).expect("link");
        let cases = [
            "repo/docs/deep/a.md",
            "repo/alias/deep/a.md",
            "repo/out/secret.md",
            "repo/docs/file-link.md",
            "repo/dangling",
            "repo/docs/deep/a.md/below",
            "repo/docs/missing.md",
            "repo/docs/../docs/deep/a.md",
            "repo/alias/../docs/deep/a.md",
            "repo",
        ];
        let cache = Cache::default();
        for case in cases {
            let path = root.join(case);
            // Twice: the second answer comes from the memo.
            for _ in 0..2 {
                assert_eq!(cache.resolved(&path), path.canonicalize().ok(), "{case}");
            }
        }
    }
}
