//! The approved targets of a stale sign-off, found in the git history of the profile document:
//! the newest committed version of that one file whose targets hash to the approved hash.
//!
//! Read through the git program: one `log` of the file's path (literal, bounded) with the blob
//! id of each version, then one `cat-file --batch` by object id. Nothing is checked out and
//! nothing is written; any failure of git is a reason, never an error of the run.

use crate::context::Context;
use crate::document::{self, schema::Front};
use crate::paths;
use crate::profile::Profile;
use std::collections::HashSet;
use std::path::Path;
use std::process::Stdio;

/// Commits of the profile document looked back through, newest first.
pub(crate) const MAX_COMMITS: usize = 200;

/// The canonical form of the approved targets, or why it cannot be found.
pub(super) fn approved_targets(
    profile: &Profile<'_>,
    approved: &str,
    ctx: &Context,
) -> Result<String, String> {
    let path = &profile.doc.path;
    let Some(root) = path.parent().and_then(paths::git_root) else {
        return Err("the profile is not in a git repository".to_owned());
    };
    let Ok(relative) = path.strip_prefix(&root) else {
        return Err("the profile is not inside its git repository".to_owned());
    };
    let (blobs, more) = versions(&root, relative)?;
    if blobs.is_empty() {
        return Err("the profile has no committed version in git".to_owned());
    }
    let ids: Vec<&str> = blobs.iter().map(String::as_str).collect();
    let contents =
        crate::git::cat_files(&root, &ids, ctx.settings.max_file_bytes, "approval-stale")
            .map_err(|_| "git could not read the profile's earlier versions".to_owned())?;
    let kinds = &ctx.settings.evidence.kinds;
    for bytes in contents.into_iter().flatten() {
        let parsed = document::parse(path.clone(), profile.doc.file.name.clone(), &bytes, kinds);
        let Some(Front::Profile(front)) = parsed.document.map(|d| d.front) else {
            continue;
        };
        if let Ok(form) = super::canonical(&front, &profile.catalogue) {
            if super::hash(&form) == approved {
                return Ok(form);
            }
        }
    }
    Err(if more {
        format!(
            "no version among the {MAX_COMMITS} newest commits of the profile has the approved targets"
        )
    } else {
        "no committed version of the profile has the approved targets".to_owned()
    })
}

/// The distinct blob ids of `relative` in the newest [`MAX_COMMITS`] commits that changed it,
/// newest first, and whether older commits were left out.
fn versions(root: &Path, relative: &Path) -> Result<(Vec<String>, bool), String> {
    let output = crate::git::command(root)
        .args([
            "log",
            "-z",
            "--format=%H",
            "--raw",
            "--no-abbrev",
            "--no-renames",
        ])
        .arg(format!("--max-count={}", MAX_COMMITS + 1))
        .arg("--")
        .arg(relative)
        .stderr(Stdio::null())
        .output()
        .map_err(|_| "the git program could not be run".to_owned())?;
    if !output.status.success() {
        return Err("git could not read the profile's history".to_owned());
    }
    Ok(parse_log(&output.stdout))
}

/// Reads `log -z --format=%H --raw` output: a commit id, then for the file one
/// `:MODE MODE OLD NEW STATUS` record and its path, each ended by NUL (a line break may
/// precede a record). Returns the new blob ids (deleted versions left out, each id once) of the
/// first [`MAX_COMMITS`] commits, and whether there were more.
fn parse_log(out: &[u8]) -> (Vec<String>, bool) {
    let mut blobs = Vec::new();
    let mut seen = HashSet::new();
    let mut commits = 0;
    let mut tokens = out.split(|b| *b == 0);
    while let Some(token) = tokens.next() {
        let token = String::from_utf8_lossy(token);
        let token = token.trim_start_matches('\n');
        if let Some(record) = token.strip_prefix(':') {
            // The path follows as its own token; it is the one path asked for.
            tokens.next();
            if commits > MAX_COMMITS {
                continue;
            }
            let fields: Vec<&str> = record.split(' ').collect();
            if let [_, _, _, new, _] = fields.as_slice() {
                let is_blob = new.len() >= 40 && new.bytes().all(|b| b.is_ascii_hexdigit());
                if is_blob && new.bytes().any(|b| b != b'0') && seen.insert((*new).to_owned()) {
                    blobs.push((*new).to_owned());
                }
            }
        } else if !token.is_empty() {
            commits += 1;
        }
    }
    (blobs, commits > MAX_COMMITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(id: char, blob: char) -> String {
        let c = id.to_string().repeat(40);
        let b = blob.to_string().repeat(40);
        format!("{c}\0\n:100644 100644 {} {b} M\0p.md\0", "0".repeat(40))
    }

    #[test]
    fn the_log_gives_each_version_once_newest_first() {
        let mut out = commit('a', 'b') + &commit('c', 'd') + &commit('e', 'b');
        // A deletion leaves no version.
        out.push_str(&format!(
            "{}\0\n:100644 000000 {} {} D\0p.md\0",
            "f".repeat(40),
            "1".repeat(40),
            "0".repeat(40)
        ));
        let (blobs, more) = parse_log(out.as_bytes());
        assert_eq!(blobs, ["b".repeat(40), "d".repeat(40)]);
        assert!(!more);
    }

    #[test]
    fn commits_past_the_bound_are_left_out() {
        let out: String = (0..=MAX_COMMITS)
            .map(|i| commit('a', if i == MAX_COMMITS { 'e' } else { 'b' }))
            .collect();
        let (blobs, more) = parse_log(out.as_bytes());
        assert_eq!(blobs, ["b".repeat(40)]);
        assert!(more);
    }
}
