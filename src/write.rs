//! The one way smm-lint writes a file: `check --output` and `--fix`, `pin`, `report` and
//! `evidence --output`, `init`.
//!
//! The bytes go to a new temporary file in the destination's directory, created exclusively
//! under a short random name (never opened through an existing path, so a symbolic link planted
//! at any name is never followed), which then replaces the destination by a rename: a reader
//! sees the old file or the new one, never half of one. The replaced file's permission bits,
//! and its owner and group where the process may set them, are kept. The rename breaks a hard
//! link, as an editor's save does.
//!
//! A document (`--fix`, `pin`, `init`) is only written inside its repository: the destination
//! and every directory above it, up to the repository root, must resolve inside the canonical
//! root. A document that is a symbolic link to a file inside the repository is written at its
//! target, and the link stays.

use crate::paths;
#[cfg(unix)]
use std::fs::Permissions;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// The temporary file's name: `.smm` + random characters + `.tmp`.
const TEMP_PREFIX: &str = ".smm";
const TEMP_SUFFIX: &str = ".tmp";
const TEMP_RANDOM_CHARS: usize = 8;

/// Why a file was not written.
#[derive(Debug)]
pub(crate) enum Failure {
    /// `through`, on the way to the destination (a directory above it, or the destination
    /// itself), resolves outside the repository.
    Outside {
        through: PathBuf,
    },
    /// The destination is a symbolic link that resolves to nothing.
    Dangling {
        path: PathBuf,
    },
    Io {
        path: PathBuf,
        error: io::Error,
    },
}

impl Failure {
    /// Whether the write was refused (nothing was attempted) rather than failed.
    pub(crate) fn is_refusal(&self) -> bool {
        !matches!(self, Failure::Io { .. })
    }

    /// The message, with paths shown relative to `base`.
    pub(crate) fn describe(&self, base: &Path) -> String {
        let show = |p: &Path| paths::display(p, base);
        match self {
            Failure::Outside { through, .. } => {
                format!("`{}` leads out of the repository", show(through))
            }
            Failure::Dangling { path } => {
                format!("`{}` is a symbolic link to nothing", show(path))
            }
            Failure::Io { path, error } => format!("cannot write {}: {error}", show(path)),
        }
    }
}

/// Writes `bytes` at `path`, wherever the user named it (`--output`). A path named inside the
/// repository at `root` must stay inside it once the directories on the way are resolved: a
/// link to a directory out of the repository, which a pull request can plant, cannot carry the
/// file out. A symbolic link at `path` itself is replaced by the file; its target is left as
/// it was.
pub(crate) fn output(path: &Path, root: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let path = paths::normalize(path);
    if let Some(parent) = path.parent().filter(|p| p.starts_with(root)) {
        resolve_document(parent, root)?;
    }
    replace(&path, bytes).map_err(|error| Failure::Io { path, error })
}

/// Writes the document at `path` (absolute, normalized) inside the repository at `root`,
/// creating the directories it needs; see [`resolve_document`] for where it lands.
pub(crate) fn document(path: &Path, root: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let target = resolve_document(path, root)?;
    let io_failure = |error| Failure::Io {
        path: path.to_path_buf(),
        error,
    };
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(io_failure)?;
    }
    replace(&target, bytes).map_err(io_failure)
}

/// Where a document at `path` is written, without writing anything: `path` with every symbolic
/// link on the way resolved, provided each resolves inside `root`. Parts of `path` that do not
/// exist yet are kept as they are (they will be created as plain directories).
pub(crate) fn resolve_document(path: &Path, root: &Path) -> Result<PathBuf, Failure> {
    let outside = |through: &Path| Failure::Outside {
        through: through.to_path_buf(),
    };
    let io_failure = |error| Failure::Io {
        path: path.to_path_buf(),
        error,
    };
    let canonical_root = root.canonicalize().map_err(io_failure)?;
    let relative = path.strip_prefix(root).map_err(|_| outside(path))?;
    let mut lexical = root.to_path_buf();
    let mut resolved = canonical_root.clone();
    let mut parts = relative.components();
    while let Some(part) = parts.next() {
        let Component::Normal(name) = part else {
            return Err(outside(path));
        };
        lexical.push(name);
        let meta = match fs::symlink_metadata(&lexical) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                resolved.push(name);
                let rest = parts.as_path();
                if !rest.as_os_str().is_empty() {
                    resolved.push(rest);
                }
                return Ok(resolved);
            }
            Err(e) => return Err(io_failure(e)),
        };
        if !meta.file_type().is_symlink() {
            resolved.push(name);
            continue;
        }
        resolved = match lexical.canonicalize() {
            Ok(target) => target,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(Failure::Dangling { path: lexical });
            }
            Err(e) => return Err(io_failure(e)),
        };
        if !resolved.starts_with(&canonical_root) {
            return Err(outside(&lexical));
        }
    }
    Ok(resolved)
}

/// Replaces `dest` by a file holding `bytes`, through an exclusive temporary file in the same
/// directory (removed again on any error).
fn replace(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let existing = fs::symlink_metadata(dest)
        .ok()
        .filter(fs::Metadata::is_file);
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM_CHARS);
    // A new file gets what the umask allows of read and write for everyone, like any file the
    // user creates (tempfile's own default, 0600, suits secrets, not reports).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir)?;
    if let Some(meta) = &existing {
        keep_owner(temp.as_file(), meta)?;
        temp.as_file().set_permissions(meta.permissions())?;
    }
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(dest).map_err(|e| e.error)?;
    Ok(())
}

/// Gives `file` the owner and group of the file it replaces, as far as the process may: only
/// a privileged process can give a file away; an owner can still set a group it belongs to.
#[cfg(unix)]
fn keep_owner(file: &File, meta: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, fchown};
    let current = file.metadata()?;
    if (current.uid(), current.gid()) == (meta.uid(), meta.gid()) {
        return Ok(());
    }
    let permitted = |r: io::Result<()>| match r {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => Ok(false),
        other => other.map(|()| true),
    };
    if !permitted(fchown(file, Some(meta.uid()), Some(meta.gid())))? {
        permitted(fchown(file, None, Some(meta.gid())))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn keep_owner(_file: &File, _meta: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A repository with a document linked inside, a directory and a document linked out,
    /// and a link to nothing; returns (repository, outside, canonical root).
    fn tree() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
        let repo = tempfile::tempdir().expect("temp dir");
        let outside = tempfile::tempdir().expect("temp dir");
        let root = repo.path().canonicalize().expect("canonical");
        fs::create_dir_all(root.join("sys/real")).expect("mkdir");
        fs::write(root.join("sys/real/doc.md"), "old").expect("write");
        fs::write(outside.path().join("doc.md"), "outside").expect("write");
        symlink("real/doc.md", root.join("sys/link.md")).expect("link");
        symlink(outside.path(), root.join("sys/out")).expect("link");
        symlink(outside.path().join("doc.md"), root.join("sys/out.md")).expect("link");
        symlink(root.join("missing.md"), root.join("sys/dangling.md")).expect("link");
        (repo, outside, root)
    }

    #[test]
    fn a_document_resolves_inside_the_repository_or_is_refused() {
        let (_repo, outside, root) = tree();
        let resolve = |p: &str| resolve_document(&root.join(p), &root);
        assert_eq!(
            resolve("sys/link.md").ok(),
            Some(root.join("sys/real/doc.md"))
        );
        assert_eq!(
            resolve("sys/new/a/b.md").ok(),
            Some(root.join("sys/new/a/b.md"))
        );
        for (p, through) in [("sys/out/x.md", "sys/out"), ("sys/out.md", "sys/out.md")] {
            match resolve(p) {
                Err(e @ Failure::Outside { .. }) => assert_eq!(
                    e.describe(&root),
                    format!("`{through}` leads out of the repository")
                ),
                other => panic!("{p}: {other:?}"),
            }
        }
        assert!(matches!(
            resolve("sys/dangling.md"),
            Err(Failure::Dangling { .. })
        ));
        assert!(matches!(
            resolve_document(&outside.path().join("x.md"), &root),
            Err(Failure::Outside { .. })
        ));
    }

    #[test]
    fn a_document_is_written_at_its_target_and_nothing_is_written_outside() {
        let (_repo, outside, root) = tree();
        document(&root.join("sys/link.md"), &root, b"new").expect("written");
        assert_eq!(
            fs::read(root.join("sys/real/doc.md")).expect("read"),
            b"new"
        );
        let link = fs::symlink_metadata(root.join("sys/link.md")).expect("stat");
        assert!(link.file_type().is_symlink());
        assert!(document(&root.join("sys/out/x.md"), &root, b"new").is_err());
        assert!(document(&root.join("sys/out.md"), &root, b"new").is_err());
        assert_eq!(fs::read_dir(outside.path()).expect("ls").count(), 1);
        assert_eq!(
            fs::read(outside.path().join("doc.md")).expect("read"),
            b"outside"
        );
        document(&root.join("sys/new/dir/doc.md"), &root, b"made").expect("written");
        assert_eq!(
            fs::read(root.join("sys/new/dir/doc.md")).expect("read"),
            b"made"
        );
    }
}
