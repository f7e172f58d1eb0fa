//! `history --format md|csv|html`: the writers of a [`History`]. (JSON is the model as serde
//! writes it.)
//!
//! The writers share what a history looks like as a grid: per profile, its domains, subdomains
//! and practices (rows, in catalogue order, whatever point they appear at), against the points
//! (columns, oldest first: time runs left to right as on a chart's axis, and a change arrow
//! compares a cell with the one on its left).

mod csv;
mod html;
mod markdown;
#[cfg(test)]
mod tests;
mod timeline;

use crate::history::model::{DocumentState, History, PracticePoint, ProfilePoint};
use crate::model::level::{Level, Scope};
use std::collections::{HashMap, HashSet};
use timeline::Timeline;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Md,
    Csv,
    Html,
}

pub(crate) fn render(format: Format, history: &History) -> String {
    match format {
        Format::Md => markdown::render(history),
        Format::Csv => csv::render(history),
        Format::Html => html::render(history),
    }
}

/// The first 7 characters of a commit id, as git abbreviates it.
fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// The rows of one profile's grid: every domain, subdomain and practice it had at any point.
struct ProfileRows {
    id: String,
    domains: Vec<DomainRows>,
}

struct DomainRows {
    id: String,
    name: String,
    subdomains: Vec<SubdomainRows>,
}

struct SubdomainRows {
    id: String,
    name: String,
    /// Practice ids and names.
    practices: Vec<(String, String)>,
}

/// The profiles with their rows, in the order they first appear reading the points newest
/// first: the newest catalogue's order, then what only older points had.
fn profiles(history: &History) -> Vec<ProfileRows> {
    let mut out: Vec<ProfileRows> = Vec::new();
    // Where each profile, domain and subdomain is in `out`, and the practices placed: a
    // catalogue's size costs linear work per point, not quadratic.
    let mut profiles: HashMap<&str, usize> = HashMap::new();
    let mut places: HashMap<(usize, &str), usize> = HashMap::new();
    let mut subplaces: HashMap<(usize, usize, &str), usize> = HashMap::new();
    let mut placed: HashSet<(usize, &str)> = HashSet::new();
    for point in &history.points {
        for profile in &point.profiles {
            let n = *profiles.entry(profile.id.as_str()).or_insert_with(|| {
                out.push(ProfileRows {
                    id: profile.id.clone(),
                    domains: Vec::new(),
                });
                out.len() - 1
            });
            let rows = &mut out[n];
            for p in &profile.practices {
                if !placed.insert((n, p.id.as_str())) {
                    continue;
                }
                let d = *places.entry((n, p.domain.as_str())).or_insert_with(|| {
                    rows.domains.push(DomainRows {
                        id: p.domain.clone(),
                        name: rollup_name(profile, &p.domain),
                        subdomains: Vec::new(),
                    });
                    rows.domains.len() - 1
                });
                let subdomains = &mut rows.domains[d].subdomains;
                let s = *subplaces
                    .entry((n, d, p.subdomain.as_str()))
                    .or_insert_with(|| {
                        subdomains.push(SubdomainRows {
                            id: p.subdomain.clone(),
                            name: rollup_name(profile, &p.subdomain),
                            practices: Vec::new(),
                        });
                        subdomains.len() - 1
                    });
                subdomains[s].practices.push((p.id.clone(), p.name.clone()));
            }
        }
    }
    out
}

/// The name of a domain or subdomain at a point; its id when the point has no rollup for it.
fn rollup_name(profile: &ProfilePoint, id: &str) -> String {
    profile
        .rollups
        .iter()
        .find(|r| r.id == id)
        .map_or_else(|| id.to_owned(), |r| r.name.clone())
}

/// What a practice's current level did from one known point to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Up,
    Down,
    /// Higher in one respect and lower in the other (more comprehensive, broader scope).
    Mixed,
}

impl Change {
    fn arrow(self) -> &'static str {
        match self {
            Change::Up => "↑",
            Change::Down => "↓",
            Change::Mixed => "↕",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Change::Up => "raised",
            Change::Down => "lowered",
            Change::Mixed => "changed",
        }
    }
}

/// The change from `before` to `after`, if any. A claim made counts as raised, a claim
/// withdrawn as lowered.
fn change(before: Option<&str>, after: Option<&str>) -> Option<Change> {
    fn parse(text: Option<&str>) -> Option<Result<Level, &str>> {
        text.map(|t| Level::parse(t).map_err(|_| t.trim()))
    }
    match (parse(before), parse(after)) {
        (None, None) => None,
        (None, Some(_)) => Some(Change::Up),
        (Some(_), None) => Some(Change::Down),
        (Some(Ok(b)), Some(Ok(a))) => {
            let (b, a) = (b.base(), a.base());
            if a == b {
                None
            } else if a.meets(b) {
                Some(Change::Up)
            } else if b.meets(a) {
                Some(Change::Down)
            } else {
                Some(Change::Mixed)
            }
        }
        (Some(b), Some(a)) => (b != a).then_some(Change::Mixed),
    }
}

/// A level as a chart draws it: its comprehensiveness (0 to 4) and scope. Notation that does
/// not parse is drawn from its leading digit, at general scope.
fn plotted(text: &str) -> Option<(u8, Scope)> {
    match Level::parse(text) {
        Ok(level) => Some((level.comp.min(4), level.scope)),
        Err(_) => text
            .trim()
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .and_then(|d| u8::try_from(d).ok())
            .filter(|d| *d <= 4)
            .map(|d| (d, Scope::General)),
    }
}

/// What a practice's cell shows at one point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell<'a> {
    /// The profile or practice is not in the catalogue at this point.
    Absent,
    Unparsed,
    Missing,
    NotApplicable,
    Current(Option<&'a str>),
}

fn cell(practice: Option<&PracticePoint>) -> Cell<'_> {
    match practice {
        None => Cell::Absent,
        Some(p) if p.document == DocumentState::Unparsed => Cell::Unparsed,
        Some(p) if p.document == DocumentState::Missing => Cell::Missing,
        Some(p) if !p.applicable => Cell::NotApplicable,
        Some(p) => Cell::Current(p.current.as_deref()),
    }
}

/// A piece of a fact's sentence: words, or an identifier or path (a code span in Markdown and
/// HTML).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Code(String),
}

/// One group of derived facts: a heading and a sentence per fact.
struct FactGroup {
    title: &'static str,
    /// What the group shows when it is empty.
    none: &'static str,
    lines: Vec<Vec<Part>>,
}

/// The derived facts in words, shared by the formats that write sentences: all of them, or
/// those of the profile `only`.
fn fact_groups(history: &History, timeline: &Timeline<'_>, only: Option<&str>) -> Vec<FactGroup> {
    let many = only.is_none() && profiles(history).len() > 1;
    let mine = |profile: &str| only.is_none_or(|o| o == profile);
    let who = |profile: &str, practice: &str| {
        let mut parts = vec![
            Part::Text(
                timeline
                    .practice_name(profile, practice)
                    .unwrap_or(practice)
                    .to_owned(),
            ),
            Part::Text(" (".to_owned()),
            Part::Code(practice.to_owned()),
            Part::Text(")".to_owned()),
        ];
        if many {
            parts.push(Part::Text(" in ".to_owned()));
            parts.push(Part::Code(profile.to_owned()));
        }
        parts.push(Part::Text(": ".to_owned()));
        parts
    };
    let level = |l: Option<&str>| l.unwrap_or("no claim").to_owned();
    let facts = &history.facts;
    let last_changed = facts
        .last_changed
        .iter()
        .filter(|c| mine(&c.profile))
        .map(|c| {
            let mut line = who(&c.profile, &c.practice);
            let how = change(c.from.as_deref(), c.to.as_deref()).map_or("changed", Change::words);
            line.push(Part::Text(format!(
                "{how} from {} to {} on {}, commit ",
                level(c.from.as_deref()),
                level(c.to.as_deref()),
                c.date
            )));
            line.push(Part::Code(short(&c.commit).to_owned()));
            line
        })
        .collect();
    let gap_line = |g: &crate::history::model::GapChange| {
        let mut line = who(&g.profile, &g.practice);
        line.push(Part::Text(format!("{} then, {} now", g.from, g.to)));
        line
    };
    let slipped = facts
        .slipped
        .iter()
        .filter(|s| mine(&s.profile))
        .map(|s| {
            let mut line = who(&s.profile, &s.practice);
            let item = match (&s.action, &s.level) {
                (Some(action), _) => format!("“{action}”"),
                (None, Some(level)) => format!("the step to {level}"),
                (None, None) => "a plan item".to_owned(),
            };
            line.push(Part::Text(format!(
                "{item} was due {}, now {}: moved later {}",
                s.first_due,
                s.last_due,
                crate::text::plural(s.times, "time", "times")
            )));
            line
        })
        .collect();
    vec![
        FactGroup {
            title: "Last level change per practice",
            none: "No practice changed level over these points.",
            lines: last_changed,
        },
        FactGroup {
            title: "Gaps closed since the first point",
            none: "No gap closed.",
            lines: facts
                .gaps_closed
                .iter()
                .filter(|g| mine(&g.profile))
                .map(gap_line)
                .collect(),
        },
        FactGroup {
            title: "Gaps opened since the first point",
            none: "No gap opened.",
            lines: facts
                .gaps_opened
                .iter()
                .filter(|g| mine(&g.profile))
                .map(gap_line)
                .collect(),
        },
        FactGroup {
            title: "Plan items that slipped",
            none: "No plan item's due date moved later.",
            lines: slipped,
        },
    ]
}

/// A sentence about the range of points, for the top of a page.
fn range_line(history: &History) -> Vec<Part> {
    let points: Vec<_> = history.points.iter().rev().collect();
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return vec![Part::Text("No commit touched the profile tree.".to_owned())];
    };
    let mut line = vec![Part::Text(format!(
        "{} from {} (commit ",
        crate::text::plural(points.len(), "point", "points"),
        first.date
    ))];
    line.push(Part::Code(short(&first.commit).to_owned()));
    line.push(Part::Text(format!(") to {} (commit ", last.date)));
    line.push(Part::Code(short(&last.commit).to_owned()));
    line.push(Part::Text(").".to_owned()));
    if history.truncated {
        line.push(Part::Text(
            " The walk stopped at the commit limit: older commits are not shown.".to_owned(),
        ));
    }
    line
}
