//! Hand-built histories for the tests of the facts and of the formats.

use super::model::{
    DocumentState, EvidencePoint, Facts, History, PlanPoint, Point, PracticePoint, ProfilePoint,
    RollupPoint, VERSION,
};
use crate::date::Date;
use crate::gap;
use crate::model::level::Level;

/// The points are given newest first, as the model holds them.
pub(crate) fn history(points: Vec<Point>) -> History {
    let mut history = History {
        version: VERSION,
        points,
        truncated: false,
        facts: Facts::default(),
    };
    history.facts = super::facts::derive(&history);
    history
}

pub(crate) fn point(commit: &str, date: &str, profiles: Vec<ProfilePoint>) -> Point {
    let days = Date::parse(date).map_or(0, Date::days);
    let unparsed = profiles
        .iter()
        .flat_map(|p| &p.practices)
        .filter(|p| p.document == DocumentState::Unparsed)
        .map(|p| format!("practices/{}.md", p.id))
        .collect();
    Point {
        commit: format!("{commit:0<40}"),
        date: date.to_owned(),
        time: days * 86_400,
        subject: format!("assessment {date}"),
        tags: Vec::new(),
        profiles,
        unparsed,
    }
}

/// A profile with the practices given and the rollups of their domains and subdomains
/// (the lowest current level below, the highest target: enough for the formats' tests).
pub(crate) fn profile(id: &str, practices: Vec<PracticePoint>) -> ProfilePoint {
    let mut rollups: Vec<RollupPoint> = Vec::new();
    for p in &practices {
        for (tier, rid) in [("domain", &p.domain), ("subdomain", &p.subdomain)] {
            if rollups.iter().any(|r| &r.id == rid) {
                continue;
            }
            let below: Vec<&PracticePoint> = practices
                .iter()
                .filter(|q| if tier == "domain" { &q.domain } else { &q.subdomain } == rid)
                .collect();
            rollups.push(RollupPoint {
                id: rid.clone(),
                name: title(rid),
                tier: tier.to_owned(),
                target: rollup(below.iter().map(|q| q.target.as_deref())),
                current: rollup(below.iter().map(|q| q.current.as_deref())),
                applicable: below.iter().any(|q| q.applicable),
            });
        }
    }
    ProfilePoint {
        id: id.to_owned(),
        path: format!("{id}/profile.md"),
        practices,
        rollups,
        plan: Vec::new(),
        evidence: Vec::new(),
    }
}

/// The level every child reaches, with `+` where some go beyond it; none when a child has none.
fn rollup<'a>(levels: impl Iterator<Item = Option<&'a str>>) -> Option<String> {
    let levels: Vec<Level> = levels
        .map(|l| l.and_then(|l| Level::parse(l).ok()))
        .collect::<Option<_>>()?;
    let comp = levels.iter().map(|l| l.comp).min()?;
    let scope = levels.iter().map(|l| l.scope).min()?;
    let mut level = Level::new(comp, scope);
    level.comp_plus = levels.iter().any(|l| l.comp > comp);
    level.scope_plus = levels.iter().any(|l| l.scope > scope);
    Some(level.to_string())
}

fn title(id: &str) -> String {
    let mut out = id.replace('-', " ");
    if let Some(first) = out.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// A parsed practice in domain `d` and subdomain `s`.
pub(crate) fn practice(
    id: &str,
    (d, s): (&str, &str),
    target: Option<&str>,
    current: Option<&str>,
) -> PracticePoint {
    let parse = |l: Option<&str>| l.and_then(|l| Level::parse(l).ok());
    PracticePoint {
        id: id.to_owned(),
        name: title(id),
        subdomain: s.to_owned(),
        domain: d.to_owned(),
        target: target.map(str::to_owned),
        current: current.map(str::to_owned),
        applicable: true,
        gap: gap::describe(parse(target), parse(current), true),
        document: DocumentState::Parsed,
    }
}

/// The practice as a document that did not parse: levels unknown.
pub(crate) fn unparsed(mut practice: PracticePoint) -> PracticePoint {
    practice.current = None;
    practice.gap = gap::Gap::NoClaim;
    practice.document = DocumentState::Unparsed;
    practice
}

pub(crate) fn plan(
    practice: &str,
    action: Option<&str>,
    level: Option<&str>,
    due: Option<&str>,
    open: bool,
) -> PlanPoint {
    PlanPoint {
        practice: practice.to_owned(),
        action: action.map(str::to_owned),
        level: level.map(str::to_owned),
        due: due.map(str::to_owned),
        open,
    }
}

pub(crate) fn evidence(practice: &str, locator: &str) -> EvidencePoint {
    EvidencePoint {
        practice: practice.to_owned(),
        locator: locator.to_owned(),
        kind: None,
    }
}
