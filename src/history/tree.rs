//! The objects of the walk, read through one `git cat-file --batch`. Trees are kept by object
//! id for as long as consecutive points use them ([`Recent`]): a tree shared by neighbouring
//! commits is read once, and memory holds about two points' worth, however long the walk.

use crate::error::Fatal;
use crate::git::{self, Batch, Object, TreeEntry};
use std::collections::HashMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A cache that keeps what the current and the previous generation (point) used: points are
/// walked newest first, and a point shares most of its objects with the one before it.
pub(super) struct Recent<K, V> {
    current: HashMap<K, V>,
    previous: HashMap<K, V>,
}

impl<K: Hash + Eq, V: Clone> Recent<K, V> {
    pub(super) fn new() -> Recent<K, V> {
        Recent {
            current: HashMap::new(),
            previous: HashMap::new(),
        }
    }

    pub(super) fn get(&mut self, key: &K) -> Option<V>
    where
        K: Clone,
    {
        if let Some(v) = self.current.get(key) {
            return Some(v.clone());
        }
        let v = self.previous.remove(key)?;
        self.current.insert(key.clone(), v.clone());
        Some(v)
    }

    pub(super) fn insert(&mut self, key: K, value: V) {
        self.current.insert(key, value);
    }

    /// Starts a new generation: what the one before the last did not use is dropped.
    pub(super) fn next_generation(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

/// What a blob read gives.
#[derive(Debug, Clone)]
pub(super) enum Blob {
    Bytes(Rc<Vec<u8>>),
    /// Above the size limit: not read.
    TooLarge,
    Missing,
}

pub(super) struct Store {
    batch: Batch,
    /// Bytes of a binary object id (20 for SHA-1, 32 for SHA-256).
    id_len: usize,
    trees: Recent<String, Rc<Vec<TreeEntry>>>,
}

impl Store {
    /// A store for the repository at `root`, whose object ids are `id_hex_len` hex digits.
    pub(super) fn open(
        root: &Path,
        max_file_bytes: u64,
        id_hex_len: usize,
    ) -> Result<Store, Fatal> {
        Ok(Store {
            batch: Batch::open(root, max_file_bytes, super::WHO)?,
            id_len: id_hex_len / 2,
            trees: Recent::new(),
        })
    }

    /// The entries of the tree `id` (empty when it is not a tree).
    pub(super) fn tree(&mut self, id: &str) -> Result<Rc<Vec<TreeEntry>>, Fatal> {
        if let Some(done) = self.trees.get(&id.to_owned()) {
            return Ok(done);
        }
        let entries = match self.batch.get(id)? {
            Some(Object::Tree(bytes)) => git::parse_tree(&bytes, self.id_len),
            _ => Vec::new(),
        };
        let entries = Rc::new(entries);
        self.trees.insert(id.to_owned(), Rc::clone(&entries));
        Ok(entries)
    }

    /// Starts the next point: trees neither it nor the point before use are dropped.
    pub(super) fn next_generation(&mut self) {
        self.trees.next_generation();
    }

    /// The blob `id`, unless it is above the size limit. Not kept: what is read from a blob
    /// (a document, a configuration) is kept by its reader.
    pub(super) fn blob(&mut self, id: &str) -> Result<Blob, Fatal> {
        Ok(match self.batch.get(id)? {
            Some(Object::Blob(bytes)) => Blob::Bytes(Rc::new(bytes)),
            Some(Object::Skipped { .. }) => Blob::TooLarge,
            _ => Blob::Missing,
        })
    }

    /// The regular files below `tree` whose paths (relative to the repository root) are in
    /// or below one of `roots` and pass `wanted`, in git's order.
    pub(super) fn files_under(
        &mut self,
        tree: &str,
        roots: &[PathBuf],
        wanted: &dyn Fn(&Path) -> bool,
    ) -> Result<Vec<(PathBuf, String)>, Fatal> {
        let mut out = Vec::new();
        // Depth first, git's order kept: a stack of iterators would borrow the store.
        let mut stack: Vec<(PathBuf, Rc<Vec<TreeEntry>>, usize)> =
            vec![(PathBuf::new(), self.tree(tree)?, 0)];
        while let Some((dir, entries, at)) = stack.pop() {
            let Some(entry) = entries.get(at) else {
                continue;
            };
            stack.push((dir.clone(), Rc::clone(&entries), at + 1));
            let Some(name) = git::path_from_bytes(&entry.name) else {
                continue;
            };
            let path = dir.join(name);
            let under_root = roots.iter().any(|r| path.starts_with(r));
            if entry.is_tree() {
                let towards_root = roots.iter().any(|r| r.starts_with(&path));
                if under_root || towards_root {
                    let sub = self.tree(&entry.id)?;
                    stack.push((path, sub, 0));
                }
            } else if entry.is_file() && under_root && wanted(&path) {
                out.push((path, entry.id.clone()));
            }
        }
        Ok(out)
    }

    /// The blob id of the regular file at `path` (relative to the repository root) in `tree`.
    pub(super) fn lookup(&mut self, tree: &str, path: &Path) -> Result<Option<String>, Fatal> {
        let mut id = tree.to_owned();
        let mut components = path.components().peekable();
        while let Some(component) = components.next() {
            let std::path::Component::Normal(name) = component else {
                return Ok(None);
            };
            let entries = self.tree(&id)?;
            let Some(entry) = entries
                .iter()
                .find(|e| git::path_from_bytes(&e.name).as_deref() == Some(Path::new(name)))
            else {
                return Ok(None);
            };
            let last = components.peek().is_none();
            match (last, entry.is_tree(), entry.is_file()) {
                (true, _, true) => return Ok(Some(entry.id.clone())),
                (false, true, _) => id = entry.id.clone(),
                _ => return Ok(None),
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recent_cache_keeps_two_generations() {
        let mut cache: Recent<u32, u32> = Recent::new();
        cache.insert(1, 10);
        cache.next_generation();
        cache.insert(2, 20);
        assert_eq!(
            cache.get(&1),
            Some(10),
            "used again: carried into this generation"
        );
        cache.next_generation();
        cache.next_generation();
        assert_eq!(cache.get(&2), None, "unused for two generations: dropped");
        assert_eq!(cache.get(&1), None);
    }
}
