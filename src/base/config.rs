//! `config-changed`: the configuration in effect compared with the one at the base ref.
//!
//! The configuration can turn rules off and relax limits, so a pull request that changes it
//! changes the gate itself; the finding makes that visible in the gate's own output.

use crate::config::FILE_NAME;
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::paths;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::text::excerpt;
use std::path::{Path, PathBuf};

const HELP: &str = "the configuration can turn rules off and relax limits: review a change to it like a change to the CI workflow";

/// A `config-changed` finding when the configuration in effect (the `--config` file, or the
/// nearest `.smm-lint.yaml`) was added, removed or changed since `commit`.
pub(crate) fn compare(
    root: &Path,
    reference: &str,
    commit: &str,
    ctx: &Context,
) -> Option<Diagnostic> {
    let current = ctx
        .settings
        .config_path
        .as_deref()
        .and_then(|p| p.strip_prefix(root).ok())
        .map(Path::to_path_buf);
    // A configuration outside the repository is not part of what is reviewed here.
    if ctx.settings.config_path.is_some() && current.is_none() {
        return None;
    }
    let mut candidates: Vec<PathBuf> = current.iter().cloned().collect();
    candidates.extend(
        ctx.cwd
            .ancestors()
            .filter_map(|d| d.strip_prefix(root).ok())
            .map(|d| d.join(FILE_NAME)),
    );
    let at_base = blob_ids(root, commit, &candidates);
    let id_at_base = |p: &Path| at_base.iter().find(|(q, _)| q == p).map(|(_, id)| id);
    let reference = excerpt(reference);
    let (path, message) = match &current {
        Some(path) => match id_at_base(path) {
            Some(old) if Some(old) == work_tree_id(root, path).as_ref() => return None,
            Some(_) => (
                path.clone(),
                format!("the configuration changed since `{reference}`"),
            ),
            None => (
                path.clone(),
                format!("the configuration was added since `{reference}`"),
            ),
        },
        None => {
            // The configuration that was in effect at the base: the nearest one.
            let old = candidates.iter().find(|p| id_at_base(p).is_some())?;
            (
                old.clone(),
                format!("the configuration in effect at `{reference}` was removed"),
            )
        }
    };
    let name = paths::display(&root.join(&path), &ctx.cwd);
    let file = SourceFile::new(name, String::new());
    Some(Diagnostic::new(Rule::ConfigChanged, &file, 0..0, message).help(HELP))
}

/// The blob id of each of `paths` (relative to `root`) that exists at `commit`.
fn blob_ids(root: &Path, commit: &str, paths: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let Ok(out) = crate::git::command(root)
        .args(["ls-tree", "-z", "-l", commit, "--"])
        .args(paths)
        .output()
    else {
        return Vec::new();
    };
    crate::git::parse_listing(&out.stdout)
        .into_iter()
        .map(|e| (e.path, e.id))
        .collect()
}

/// The id git would give the work-tree file (its own clean filters and line-ending
/// settings applied), so an unchanged file never reads as changed.
fn work_tree_id(root: &Path, path: &Path) -> Option<String> {
    let out = crate::git::command(root)
        .args(["hash-object", "--"])
        .arg(path)
        .output()
        .ok()?;
    let id = String::from_utf8(out.stdout).ok()?;
    out.status.success().then(|| id.trim().to_owned())
}
