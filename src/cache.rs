//! Facts about the file system that many documents ask for in one run: the anchors of a
//! Markdown file, a directory's entry names, a directory's repository root, a root's canonical
//! path. Kept per run (in the run's context), so nothing outlives the run that read it; safe to share
//! between threads.

use crate::text::suggest::Candidates;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

type Anchors = Option<Arc<HashSet<String>>>;

#[derive(Debug, Default)]
pub(crate) struct Cache {
    anchors: Mutex<HashMap<PathBuf, Anchors>>,
    roots: Mutex<HashMap<PathBuf, PathBuf>>,
    canonical: Mutex<HashMap<PathBuf, PathBuf>>,
    resolved_dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    sha256: Mutex<HashMap<PathBuf, Option<String>>>,
    listings: Mutex<HashMap<PathBuf, Listing>>,
    anchor_names: Mutex<HashMap<PathBuf, Listing>>,
}

/// A directory's entry names, prepared for suggestions; `None` when not listed.
type Listing = Option<Arc<Candidates>>;

/// Looks `key` up in `map`, computing it outside the lock when absent (two threads may both
/// compute it; the results are equal).
fn memo<V: Clone>(map: &Mutex<HashMap<PathBuf, V>>, key: &Path, compute: impl FnOnce() -> V) -> V {
    if let Some(v) = map.lock().unwrap_or_else(PoisonError::into_inner).get(key) {
        return v.clone();
    }
    let value = compute();
    map.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key.to_path_buf(), value.clone());
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

    /// A directory's canonical form, or `None` when it cannot be resolved (the boundary checks
    /// need the difference, where [`Cache::canonical`] falls back to the path as given).
    pub(crate) fn resolved_dir(&self, dir: &Path) -> Option<PathBuf> {
        memo(&self.resolved_dirs, dir, || dir.canonicalize().ok())
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

    /// The canonical form of a repository root (symbolic links resolved).
    pub(crate) fn canonical(&self, root: &Path) -> PathBuf {
        memo(&self.canonical, root, || {
            root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
        })
    }
}
