//! `history`: the profile tree as of each commit that touched it, analysed with the same code as
//! `check`, read from git objects (no checkout, nothing written).
//!
//! Cost: one `git for-each-ref`, one `git log` and one `git cat-file --batch` for the whole
//! walk. Trees and blobs are read once per object id and documents parsed once per blob and
//! path, so a commit that changes one document costs one blob and the trees above it.

mod commits;
pub(crate) mod facts;
pub(crate) mod model;
mod point;
mod snapshot;
#[cfg(test)]
pub(crate) mod testing;
mod tree;

use crate::context::Context;
use crate::date::Date;
use crate::error::Fatal;
use crate::git;
use crate::paths;
use model::{Facts, History, Point, VERSION};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) use point::profile_point;

/// What needs git, in messages.
const WHO: &str = "history";
/// Points analysed when `--max-commits` is not given.
pub(crate) const DEFAULT_MAX_COMMITS: usize = 200;
/// The most `--max-commits` may ask for: each point holds a row per practice of every profile.
pub(crate) const MAX_COMMITS_LIMIT: usize = 10_000;

/// Where the walk starts from: `--since`.
#[derive(Debug, Clone)]
pub(crate) enum Since {
    /// Commits dated (committer date, UTC) on or after this day.
    Date(Date),
    /// Commits after this one (an object id), and this one's own state as the oldest point.
    Ref(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) since: Option<Since>,
    /// Only commits a tag points at.
    pub(crate) tags: bool,
    pub(crate) max_commits: usize,
}

/// The repository that holds `paths` (relative to the current directory), and the paths
/// relative to its root.
pub(crate) struct Repository {
    pub(crate) root: PathBuf,
    pub(crate) roots: Vec<PathBuf>,
    /// `HEAD`'s object id.
    pub(crate) head: String,
}

impl Repository {
    pub(crate) fn find(paths: &[PathBuf], ctx: &Context) -> Result<Repository, Fatal> {
        // A file stands for its directory, as `check` reads a file with its whole profile.
        let absolute: Vec<PathBuf> = paths
            .iter()
            .map(|p| paths::normalize(&ctx.cwd.join(p)))
            .map(|p| match p.parent() {
                Some(dir) if p.is_file() => dir.to_path_buf(),
                _ => p,
            })
            .collect();
        let start = absolute.first().map_or(ctx.cwd.as_path(), PathBuf::as_path);
        let Some(root) = paths::git_root(start) else {
            return Err(
                Fatal::new("history needs a git work tree: the paths are not in one")
                    .help("run it inside the repository that holds the profile"),
            );
        };
        let mut roots = Vec::new();
        for path in &absolute {
            let Ok(rel) = path.strip_prefix(&root) else {
                return Err(Fatal::new(format!(
                    "{} is outside the repository {}",
                    paths::display(path, &ctx.cwd),
                    root.display()
                )));
            };
            roots.push(rel.to_path_buf());
        }
        let head = resolve(&root, "HEAD").ok_or_else(|| {
            Fatal::new(format!(
                "the repository {} has no commits yet",
                root.display()
            ))
            .help("commit the profile first: its history starts with its first commit")
        })?;
        Ok(Repository { root, roots, head })
    }

    /// Whether the repository is a shallow clone (its history cut where the fetch stopped).
    pub(crate) fn shallow(&self) -> bool {
        git::command(&self.root)
            .args(["rev-parse", "--is-shallow-repository"])
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"true"))
    }

    /// The pathspecs of the roots (`.` for the whole repository).
    fn pathspecs(&self) -> Vec<PathBuf> {
        self.roots
            .iter()
            .map(|r| {
                if r.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    r.clone()
                }
            })
            .collect()
    }
}

/// The commit `reference` names, when it names one.
fn resolve(root: &Path, reference: &str) -> Option<String> {
    // A ref never starts with `-`; refused here so it cannot be read as an option.
    if reference.starts_with('-') || reference.is_empty() {
        return None;
    }
    let out = git::command(root)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{reference}^{{commit}}"))
        .output()
        .ok()?;
    let id = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !id.is_empty()).then_some(id)
}

/// `--since`: a `YYYY-MM-DD` date, else a ref that names a commit.
pub(crate) fn since(repo: &Repository, written: &str) -> Result<Since, Fatal> {
    if let Ok(date) = Date::parse(written) {
        return Ok(Since::Date(date));
    }
    match resolve(&repo.root, written) {
        Some(id) => Ok(Since::Ref(id)),
        None => Err(Fatal::new(format!(
            "--since: `{}` is neither a date (YYYY-MM-DD) nor a commit of {}",
            crate::text::excerpt(written),
            repo.root.display()
        ))
        .help("use a branch, tag or commit that exists locally; in GitHub Actions check out with `fetch-depth: 0`")),
    }
}

/// The history of the profile trees under the repository's roots, newest first.
pub(crate) fn walk(repo: &Repository, ctx: &Context, options: &Options) -> Result<History, Fatal> {
    let mut session = Session::open(repo, ctx)?;
    let (list, cut) = commits::list(&repo.root, &repo.pathspecs(), options, &session.tags)?;
    // A shallow clone ends where the fetch stopped, not at the first commit.
    let truncated = cut || repo.shallow();
    let points = list
        .iter()
        .map(|c| session.walker.point(c, &repo.roots, &session.tags))
        .collect::<Result<Vec<_>, _>>()?;
    let mut history = History {
        version: VERSION,
        points,
        truncated,
        facts: Facts::default(),
    };
    history.facts = facts::derive(&history);
    Ok(history)
}

/// One repository's objects, tags and parsed documents, shared by every question asked of it:
/// the report asks once per profile, and each profile's walk reuses what the others read.
pub(crate) struct Session<'a> {
    root: PathBuf,
    tags: BTreeMap<String, Vec<String>>,
    walker: snapshot::Walker<'a>,
}

impl<'a> Session<'a> {
    pub(crate) fn open(repo: &Repository, ctx: &'a Context) -> Result<Session<'a>, Fatal> {
        let tags = commits::tags(&repo.root)?;
        let store = tree::Store::open(&repo.root, ctx.settings.max_file_bytes, repo.head.len())?;
        Ok(Session {
            root: repo.root.clone(),
            tags,
            walker: snapshot::Walker::new(ctx, repo.root.clone(), store)?,
        })
    }

    /// Whether `repo` is this session's repository.
    pub(crate) fn holds(&self, repo: &Repository) -> bool {
        self.root == repo.root
    }

    /// The newest point of those `options` select (under `repo`'s roots) for which `wanted`
    /// holds; points are analysed one at a time, newest first, and the walk stops at the first
    /// that is wanted.
    pub(crate) fn find(
        &mut self,
        repo: &Repository,
        options: &Options,
        mut wanted: impl FnMut(&Point) -> bool,
    ) -> Result<Option<Point>, Fatal> {
        let (list, _) = commits::list(&self.root, &repo.pathspecs(), options, &self.tags)?;
        for commit in &list {
            let point = self.walker.point(commit, &repo.roots, &self.tags)?;
            if wanted(&point) {
                return Ok(Some(point));
            }
        }
        Ok(None)
    }

    /// The point (under `repo`'s roots) of the state `since` names: a ref's commit, or the
    /// newest commit of `HEAD` dated before a day; `None` when there is no such commit.
    pub(crate) fn state_at(
        &mut self,
        repo: &Repository,
        since: &Since,
    ) -> Result<Option<Point>, Fatal> {
        let commit = match since {
            Since::Ref(id) => commits::one(&self.root, id, None)?,
            Since::Date(date) => commits::one(&self.root, "HEAD", Some(*date))?,
        };
        commit
            .map(|c| self.walker.point(&c, &repo.roots, &self.tags))
            .transpose()
    }
}
