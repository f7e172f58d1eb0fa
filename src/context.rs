//! The context of one run, built once by the command and read by every stage: where the run
//! is (the current directory), what day it is (`--today`), the settings, and what the run has
//! learnt about the file system so far.

use crate::cache::Cache;
use crate::date::Date;
use crate::error::Fatal;
use crate::paths;
use crate::settings::Settings;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Context {
    /// The current directory, normalized: PATHs and messages are relative to it.
    pub(crate) cwd: PathBuf,
    /// The root outside a git work tree: the current directory. Nothing above it is read, so
    /// finding it opens nothing.
    pub(crate) fallback_root: PathBuf,
    pub(crate) today: Date,
    pub(crate) settings: Settings,
    /// What this run has already learnt about the file system; it lives no longer than the
    /// run.
    pub(crate) cache: Cache,
}

impl Context {
    /// The context of a run in the current directory, with `today` and `config` as given on
    /// the command line.
    pub fn new(today: Option<&str>, config: Option<&Path>) -> Result<Context, Fatal> {
        let cwd = cwd()?;
        let today = self::today(today)?;
        let settings = Settings::resolve(config, &cwd)?;
        Ok(Context::with(cwd, today, settings))
    }

    /// The context of a run in `cwd` with these settings (for callers that are not a command
    /// line: the fuzz targets).
    pub fn with(cwd: PathBuf, today: Date, settings: Settings) -> Context {
        Context {
            fallback_root: cwd.clone(),
            cwd,
            today,
            settings,
            cache: Cache::default(),
        }
    }

    /// The repository root for `dir`: its git work tree, else [`Context::fallback_root`].
    /// Nothing outside it is ever read.
    pub(crate) fn repo_root(&self, dir: &Path) -> PathBuf {
        self.cache.root(dir, || {
            paths::git_root(dir).unwrap_or_else(|| self.fallback_root.clone())
        })
    }

    /// The repository a document at `path` is written in: the current directory's, when
    /// `path` is inside it (found from the current directory, which no link inside the
    /// repository can move); else the repository root of the document's directory.
    pub(crate) fn write_root(&self, path: &Path) -> PathBuf {
        let here = self.repo_root(&self.cwd);
        if path.starts_with(&here) {
            return here;
        }
        let dir = path.parent().unwrap_or(&self.cwd);
        self.repo_root(dir)
    }

    /// Whether `path` (absolute, normalized) is inside the repository once every symbolic link
    /// on the way is resolved. A path that does not exist is not inside.
    pub(crate) fn stays_inside(&self, path: &Path) -> bool {
        let Some(parent) = path.parent() else {
            return false;
        };
        let root = self.cache.canonical(&self.repo_root(parent));
        match std::fs::symlink_metadata(path) {
            // A file that is not a link is where its directory is: the directory's canonical
            // form is worked out once per run, not once per file.
            Ok(meta) if !meta.file_type().is_symlink() => self
                .cache
                .resolved(parent)
                .is_some_and(|dir| dir.starts_with(&root)),
            Ok(_) => path.canonicalize().is_ok_and(|p| p.starts_with(&root)),
            Err(_) => false,
        }
    }
}

/// The current directory, normalized.
pub(crate) fn cwd() -> Result<PathBuf, Fatal> {
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal::new(format!("cannot read the current directory: {e}")))?;
    Ok(paths::normalize(&cwd))
}

/// `--today` as given, else today's date in UTC.
pub fn today(arg: Option<&str>) -> Result<Date, Fatal> {
    match arg {
        Some(t) => Date::parse(t).map_err(|m| Fatal::new(format!("--today: {m}"))),
        None => Ok(Date::today_utc()),
    }
}
