//! One profile as the history model writes it: the practices' levels, the report's rollups,
//! the plan and the evidence. The report's "since" section compares two of these.

use super::model::{
    DocumentState, EvidencePoint, PlanPoint, PracticePoint, ProfilePoint, RollupPoint,
};
use crate::document::schema::Locator;
use crate::gap::{self, PracticeLevels};
use crate::model::catalogue::Tier;
use crate::model::level::Level;
use crate::profile::Profile;

/// The profile's state as the report's rules give it. A practice whose document is present
/// but did not parse (`claimed` by a broken document) has no levels, and the rollups above it
/// have no current level: unknown, never guessed.
pub(crate) fn profile_point(p: &Profile<'_>) -> ProfilePoint {
    let cat = &p.catalogue;
    let rolled = gap::rollups(p);
    let mut practices = Vec::new();
    let mut rollups = Vec::new();
    for entry in cat.ordered() {
        let node = cat.entry(entry);
        if node.tier == Tier::Practice {
            practices.push(practice(p, entry));
            continue;
        }
        let unknown = cat
            .descendants(entry)
            .into_iter()
            .any(|d| p.claimed.contains(&d) && gap::practice_doc(p, d).is_none());
        rollups.push(RollupPoint {
            id: node.id.clone(),
            name: node.name.clone(),
            tier: tier_name(node.tier).to_owned(),
            target: rolled.target[entry].map(|l| l.to_string()),
            current: rolled.current[entry]
                .filter(|_| !unknown)
                .map(|l| l.to_string()),
            applicable: rolled.current[entry].is_some(),
        });
    }
    let (plan, evidence) = plan_and_evidence(p);
    ProfilePoint {
        id: p.front.id.value.clone(),
        path: relative(p),
        practices,
        rollups,
        plan,
        evidence,
    }
}

fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Domain => "domain",
        Tier::Subdomain => "subdomain",
        Tier::Practice => "practice",
    }
}

fn practice(p: &Profile<'_>, entry: usize) -> PracticePoint {
    let cat = &p.catalogue;
    let node = cat.entry(entry);
    let subdomain = node.parent;
    let domain = subdomain.and_then(|s| cat.entry(s).parent);
    let id_of = |i: Option<usize>| i.map(|i| cat.entry(i).id.clone()).unwrap_or_default();
    let doc = gap::practice_doc(p, entry);
    let state = match doc {
        Some(_) => DocumentState::Parsed,
        None if p.claimed.contains(&entry) => DocumentState::Unparsed,
        None => DocumentState::Missing,
    };
    let mut levels = PracticeLevels::of(p, entry);
    if state == DocumentState::Unparsed {
        levels.current = None;
    }
    PracticePoint {
        id: node.id.clone(),
        name: node.name.clone(),
        subdomain: id_of(subdomain),
        domain: id_of(domain),
        target: levels.target.map(|l| l.to_string()),
        current: levels.current.map(|l| l.to_string()),
        applicable: levels.applicable,
        gap: levels.gap(),
        document: state,
    }
}

/// The plan and evidence items of every practice document, in catalogue then written order.
fn plan_and_evidence(p: &Profile<'_>) -> (Vec<PlanPoint>, Vec<EvidencePoint>) {
    let mut plan = Vec::new();
    let mut evidence = Vec::new();
    for entry in p.catalogue.ordered() {
        let Some(doc) = gap::practice_doc(p, entry) else {
            continue;
        };
        let id = &p.catalogue.entry(entry).id;
        let current = PracticeLevels::of(p, entry).current;
        for item in &doc.front.plan {
            let level = item.level.as_ref().map(|l| l.value);
            plan.push(PlanPoint {
                practice: id.clone(),
                action: item.action.as_ref().map(|a| a.value.clone()),
                level: level.map(|l| l.to_string()),
                due: item.due.as_ref().map(|d| d.value.to_string()),
                open: is_open(current, level),
            });
        }
        for item in &doc.front.evidence {
            let Some(locator) = &item.locator else {
                continue;
            };
            let locator = match locator {
                Locator::Path(s) | Locator::Url(s) => s.value.clone(),
            };
            evidence.push(EvidencePoint {
                practice: id.clone(),
                locator,
                kind: item.kind.as_ref().map(|k| k.value.clone()),
            });
        }
    }
    (plan, evidence)
}

/// An item is open while the practice's current level does not meet the item's level; an
/// item without a level stays open.
fn is_open(current: Option<Level>, level: Option<Level>) -> bool {
    match (current, level) {
        (Some(current), Some(level)) => !current.meets(level),
        _ => true,
    }
}

/// The profile document's path relative to the repository root (as written when outside it).
fn relative(p: &Profile<'_>) -> String {
    let path = p.doc.path.strip_prefix(&p.repo_root).unwrap_or(&p.doc.path);
    path.to_string_lossy().into_owned()
}
