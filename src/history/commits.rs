//! Which commits are points: those that touched the paths (`git log` with pathspecs), or with
//! `--tags` those a tag points at, newest first, cut at `--max-commits`.

use super::{Options, Since, WHO};
use crate::date::Date;
use crate::error::Fatal;
use crate::git;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A commit as `git log` describes it.
#[derive(Debug, Clone)]
pub(super) struct Commit {
    pub(super) id: String,
    pub(super) time: i64,
    pub(super) tree: String,
    pub(super) subject: String,
}

/// The fields `git log` prints per commit, NUL-separated (a subject may hold any other byte).
const FORMAT: &str = "--format=%H%x00%ct%x00%T%x00%s";
const FIELDS: usize = 4;
/// `git log` printing only `FORMAT`: a configured `log.showSignature` would add lines of its
/// own between the records.
const LOG: [&str; 6] = [
    "log",
    "-z",
    "--no-color",
    "--no-show-signature",
    "--encoding=UTF-8",
    FORMAT,
];

/// The commits to analyse, newest first, and whether the range went on past `max_commits`.
pub(super) fn list(
    root: &Path,
    pathspecs: &[PathBuf],
    options: &Options,
    tags: &BTreeMap<String, Vec<String>>,
) -> Result<(Vec<Commit>, bool), Fatal> {
    let mut cmd = git::command(root);
    cmd.args(LOG);
    // One more than wanted tells whether the range was cut.
    let wanted = options.max_commits + 1;
    if !options.tags {
        cmd.arg(format!("--max-count={wanted}"));
    }
    let mut baseline = None;
    match &options.since {
        Some(Since::Date(date)) => {
            cmd.arg(format!("--since={date} 00:00:00 +0000"));
            cmd.arg("HEAD");
        }
        Some(Since::Ref(id)) => {
            cmd.arg(format!("{id}..HEAD"));
            baseline = Some(id.clone());
        }
        None => {
            cmd.arg("HEAD");
        }
    }
    // With --tags a tagged commit is a point whether or not it touched the paths itself.
    if !options.tags {
        cmd.arg("--").args(pathspecs);
    }
    let mut commits = parse(&git::run(&mut cmd, WHO, "log")?);
    if let Some(Since::Date(date)) = &options.since {
        let from = date.days() * 86_400;
        commits.retain(|c| c.time >= from);
    }
    if let Some(id) = baseline {
        commits.extend(one(root, &id, None)?);
    }
    if options.tags {
        commits.retain(|c| tags.contains_key(&c.id));
    }
    let truncated = commits.len() > options.max_commits;
    commits.truncate(options.max_commits);
    Ok((commits, truncated))
}

/// The commit `id` alone; with `before`, the newest commit from `id` dated before that day.
pub(super) fn one(root: &Path, id: &str, before: Option<Date>) -> Result<Option<Commit>, Fatal> {
    let mut cmd = git::command(root);
    cmd.args(LOG).arg("-1");
    if let Some(day) = before {
        // Git's `--before` keeps commits at or before the instant; the day itself is after.
        cmd.arg(format!("--before=@{}", day.days() * 86_400 - 1));
    }
    cmd.arg(id).arg("--");
    let out = git::run(&mut cmd, WHO, "log")?;
    Ok(parse(&out).into_iter().next())
}

fn parse(out: &[u8]) -> Vec<Commit> {
    let fields: Vec<&[u8]> = out.split(|b| *b == 0).collect();
    fields
        .chunks_exact(FIELDS)
        .filter_map(|f| {
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            // `-z` separates records with NUL; any newline git adds between them is not ours.
            let id = text(f[0]).trim().to_owned();
            // A time past i64 (a crafted commit) keeps the commit, at the epoch.
            let time = text(f[1]).trim().parse().unwrap_or(0);
            (!id.is_empty()).then(|| Commit {
                id,
                time,
                tree: text(f[2]).trim().to_owned(),
                subject: text(f[3]),
            })
        })
        .collect()
}

/// Every tag by the commit it points at (annotated tags peeled), names sorted.
pub(super) fn tags(root: &Path) -> Result<BTreeMap<String, Vec<String>>, Fatal> {
    let out = git::run(
        git::command(root).args([
            "for-each-ref",
            "--format=%(objectname)%00%(*objectname)%00%(refname:strip=2)",
            "refs/tags",
        ]),
        WHO,
        "for-each-ref",
    )?;
    let mut by_commit: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // A ref name holds no newline or NUL (git refuses them), so lines are records.
    for line in out.split(|b| *b == b'\n') {
        let fields: Vec<&[u8]> = line.split(|b| *b == 0).collect();
        let [object, peeled, name] = fields.as_slice() else {
            continue;
        };
        let target = if peeled.is_empty() { object } else { peeled };
        by_commit
            .entry(String::from_utf8_lossy(target).into_owned())
            .or_default()
            .push(String::from_utf8_lossy(name).into_owned());
    }
    for names in by_commit.values_mut() {
        names.sort();
    }
    Ok(by_commit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_empty_and_odd_subjects() {
        let out =
            b"aaaa\x001700000000\x00tttt\x00\x00bbbb\x001600000000\x00uuuu\x00line \xff\n\x00";
        let commits = parse(out);
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].subject, "");
        assert_eq!(commits[1].id, "bbbb");
        assert_eq!(commits[1].time, 1_600_000_000);
        assert_eq!(commits[1].subject, "line \u{fffd}\n");
        let odd = parse(b"cccc\x0099999999999999999999\x00vvvv\x00far future\x00");
        assert_eq!(odd.len(), 1, "the commit is kept");
        assert_eq!(odd[0].time, 0);
    }
}
