//! The report's *Since the last assessment* section: each profile compared with its state at an
//! earlier commit, read from git as `history` reads it.

use super::model::{EvidenceMove, GapMove, LevelMove, Report, SinceReport};
use crate::analysis::Analysis;
use crate::error::Fatal;
use crate::gap::Gap;
use crate::history::model::{DocumentState, Point, PracticePoint, ProfilePoint};
use crate::history::{self, Options, Repository, Session};
use crate::model::level::Level;
use std::collections::HashSet;

/// Fills each profile's section. With `since` (a ref or a date), that state is the baseline
/// and a `since` that names nothing is an error; without it, the newest commit whose levels
/// differ from the reported ones. Outside git, or when no such commit exists, there is no
/// section; a problem reading the history leaves the section out rather than the report.
pub(crate) fn attach(
    report: &mut Report,
    analysis: &Analysis<'_>,
    since: Option<&str>,
) -> Result<(), Fatal> {
    let ctx = analysis.context;
    // One session per repository: its objects and parsed documents serve every profile in it.
    let mut session: Option<Session<'_>> = None;
    for (p, r) in analysis.profiles.iter().zip(report.profiles.iter_mut()) {
        if r.uncommitted_changes.is_none() {
            continue;
        }
        let now = history::profile_point(p);
        let found = Repository::find(std::slice::from_ref(&p.dir), ctx).and_then(|repo| {
            if !session.as_ref().is_some_and(|s| s.holds(&repo)) {
                session = Some(Session::open(&repo, ctx)?);
            }
            Ok((repo, session.as_mut()))
        });
        let baseline = match (since, found) {
            (Some(written), found) => {
                let (repo, Some(session)) = found? else {
                    continue;
                };
                let since = history::since(&repo, written)?;
                session.state_at(&repo, &since)?
            }
            (None, Ok((repo, Some(session)))) => previous(session, &repo, &now),
            (None, _) => None,
        };
        let Some(point) = baseline else {
            continue;
        };
        let Some(before) = point.profiles.iter().find(|b| b.path == now.path) else {
            continue;
        };
        r.since = Some(compare(&point, before, &now));
    }
    Ok(())
}

/// The newest commit at which the profile existed with other levels than `now`'s.
fn previous(session: &mut Session<'_>, repo: &Repository, now: &ProfilePoint) -> Option<Point> {
    let options = Options {
        since: None,
        tags: false,
        max_commits: history::DEFAULT_MAX_COMMITS,
    };
    let differs = |point: &Point| {
        point
            .profiles
            .iter()
            .find(|b| b.path == now.path)
            .is_some_and(|before| levels(before) != levels(now))
    };
    session.find(repo, &options, differs).ok().flatten()
}

/// Every practice's target and current level: what an assessment sets.
fn levels(p: &ProfilePoint) -> Vec<(&str, Option<&str>, Option<&str>)> {
    p.practices
        .iter()
        .map(|x| (x.id.as_str(), x.target.as_deref(), x.current.as_deref()))
        .collect()
}

fn compare(point: &Point, before: &ProfilePoint, now: &ProfilePoint) -> SinceReport {
    let mut out = SinceReport {
        commit: point.commit.clone(),
        date: point.date.clone(),
        subject: point.subject.clone(),
        raised: Vec::new(),
        lowered: Vec::new(),
        targets_changed: Vec::new(),
        evidence_added: Vec::new(),
        evidence_removed: Vec::new(),
        gaps_closed: Vec::new(),
        gaps_opened: Vec::new(),
    };
    for practice in &now.practices {
        let Some(old) = before.practices.iter().find(|o| o.id == practice.id) else {
            continue;
        };
        // A document that did not parse on either side has unknown levels: no change is
        // claimed for it.
        if old.document == DocumentState::Unparsed || practice.document == DocumentState::Unparsed {
            continue;
        }
        let mv = |from: &Option<String>, to: &Option<String>| LevelMove {
            practice: practice.id.clone(),
            name: practice.name.clone(),
            from: from.clone(),
            to: to.clone(),
        };
        if old.current != practice.current {
            let moved = mv(&old.current, &practice.current);
            if raised(old, practice) {
                out.raised.push(moved);
            } else {
                out.lowered.push(moved);
            }
        }
        if old.target != practice.target {
            out.targets_changed.push(mv(&old.target, &practice.target));
        }
        let below = |g: Gap| matches!(g, Gap::Below { .. });
        let gap = GapMove {
            practice: practice.id.clone(),
            name: practice.name.clone(),
            from: old.gap,
            to: practice.gap,
        };
        match (below(old.gap), below(practice.gap)) {
            (true, false) => out.gaps_closed.push(gap),
            (false, true) => out.gaps_opened.push(gap),
            _ => {}
        }
    }
    let key = |e: &crate::history::model::EvidencePoint| (e.practice.clone(), e.locator.clone());
    let old: Vec<_> = before.evidence.iter().map(key).collect();
    let new: Vec<_> = now.evidence.iter().map(key).collect();
    let (old_set, new_set): (HashSet<_>, HashSet<_>) = (old.iter().collect(), new.iter().collect());
    for (practice, locator) in new.iter().filter(|e| !old_set.contains(e)) {
        out.evidence_added.push(EvidenceMove {
            practice: practice.clone(),
            locator: locator.clone(),
        });
    }
    for (practice, locator) in old.iter().filter(|e| !new_set.contains(e)) {
        out.evidence_removed.push(EvidenceMove {
            practice: practice.clone(),
            locator: locator.clone(),
        });
    }
    out
}

/// Whether the current level went up: it meets the old one (a claim where there was none
/// counts as up).
fn raised(old: &PracticePoint, new: &PracticePoint) -> bool {
    let parse = |l: &Option<String>| l.as_deref().and_then(|t| Level::parse(t).ok());
    match (parse(&old.current), parse(&new.current)) {
        (None, Some(_)) => true,
        (Some(old), Some(new)) => new.meets(old),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice(current: Option<&str>) -> PracticePoint {
        PracticePoint {
            id: "p".into(),
            name: "P".into(),
            subdomain: "s".into(),
            domain: "d".into(),
            target: None,
            current: current.map(str::to_owned),
            applicable: true,
            gap: Gap::NoClaim,
            document: DocumentState::Parsed,
        }
    }

    #[test]
    fn only_a_level_that_meets_the_old_one_counts_as_raised() {
        let up = |from: Option<&str>, to: Option<&str>| raised(&practice(from), &practice(to));
        assert!(up(Some("2/industry"), Some("3/industry")));
        assert!(up(Some("2/general"), Some("2/industry")));
        assert!(up(None, Some("1/general")));
        assert!(
            !up(Some("2/industry"), Some("3/general")),
            "mixed: not a pure rise"
        );
        assert!(!up(Some("3/industry"), Some("2/industry")));
        assert!(!up(Some("1/general"), None));
    }
}
