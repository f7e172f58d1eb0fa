//! Which commit a report describes, and whether the work tree differs from it.

use crate::analysis::Analysis;
use crate::document::schema::Locator;
use crate::profile::Profile;
use std::path::{Path, PathBuf};

/// `git` with pathspecs read literally (a document's path is never a glob or magic) and no
/// optional locks (a report does not refresh the index).
fn git(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new("git");
    cmd.args(["--literal-pathspecs", "--no-optional-locks", "-C"])
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

/// The commit the report describes: `git rev-parse HEAD`, followed by ` + uncommitted changes`
/// when the work tree differs from it in the profile's directory (its documents) or in the
/// files its documents cite, or when a cited file is ignored by git (so in no commit), so that
/// a report never passes for a commit it does not match.
pub(super) fn commit_of(dir: &Path, inputs: &Inputs) -> (String, Option<bool>) {
    let head = git(dir)
        .args(["rev-parse", "--verify", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|s| !s.is_empty());
    let Some(head) = head else {
        return ("not in git".to_owned(), None);
    };
    // The paths follow `--`: whatever a document writes, git reads it as a path.
    let status = |extra: &[&str], paths: &[PathBuf]| -> Option<bool> {
        if paths.is_empty() {
            return Some(false);
        }
        git(dir)
            .arg("status")
            .args(["--porcelain", "-z"])
            .args(extra)
            .arg("--")
            .args(paths)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| !o.stdout.is_empty())
    };
    let changed = status(&[], &inputs.all)
        .and_then(|c| Some(c || status(&["--ignored=matching"], &inputs.files)?));
    match changed {
        Some(false) => (head, Some(false)),
        Some(true) => (format!("{head} + uncommitted changes"), Some(true)),
        None => (format!("{head} (work tree state unknown)"), None),
    }
}

/// What `git status` is asked about.
pub(super) struct Inputs {
    /// The profile's directory and every file the report is built from outside it.
    all: Vec<PathBuf>,
    /// The cited files themselves, wherever they are (an ignored one is in no commit).
    files: Vec<PathBuf>,
}

/// What the report is built from, for `git status`: the profile's directory, the catalogue
/// file it names, and every local evidence path its documents cite inside the repository, each
/// also at the place its symbolic links lead to (git looks at a link, not at its target).
pub(super) fn inputs(analysis: &Analysis<'_>, p: &Profile<'_>) -> Inputs {
    let cwd = &analysis.context.cwd;
    let local = |base: &Path, written: &str| {
        let path = written.trim().split('#').next().unwrap_or_default();
        crate::paths::normalize(&cwd.join(base).join(path))
    };
    let mut files = Vec::new();
    if let Some(model) = p
        .front
        .model
        .as_ref()
        .filter(|m| m.value.trim() != crate::model::catalogue::BUILTIN_ID)
    {
        files.push(local(&p.dir, model.value.trim()));
    }
    for practice in &p.practices {
        let base = practice.doc.path.parent().unwrap_or(&p.dir);
        for item in &practice.front.evidence {
            if let Some(Locator::Path(written)) = &item.locator {
                files.push(local(base, &written.value));
            }
        }
    }
    let canonical_root = analysis.context.cache.canonical(&p.repo_root);
    let resolved: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.canonicalize().ok())
        .filter_map(|c| {
            c.strip_prefix(&canonical_root)
                .ok()
                .map(|r| p.repo_root.join(r))
        })
        .collect();
    files.extend(resolved);
    // Paths outside the repository are not git's to judge (and `evidence-outside-repo` says so).
    files.retain(|path| path.starts_with(&p.repo_root) && path != &p.repo_root);
    files.sort();
    files.dedup();
    // Paths below the profile's directory are covered by it, for changes.
    let mut all: Vec<PathBuf> = files
        .iter()
        .filter(|f| !f.starts_with(&p.dir))
        .cloned()
        .collect();
    all.push(p.dir.clone());
    all.sort();
    Inputs { all, files }
}
