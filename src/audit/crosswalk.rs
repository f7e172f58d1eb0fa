//! The crosswalk of a profile through each mapping it selects: which requirements the claimed
//! levels relate to (an entry at level N is reached by a claimed comprehensiveness of N or
//! more), and which of those some evidence item's `standard:` cites.

use super::model::{Crosswalk, CrosswalkCitation, CrosswalkRelation, CrosswalkRequirement};
use crate::checks::evidence::usable;
use crate::context::Context;
use crate::document::schema::{Locator, PracticeFront};
use crate::gap::PracticeLevels;
use crate::model::level::Level;
use crate::model::mapping::{Citation, Mapping, citation};
use crate::profile::{Practice, Profile};
use std::collections::BTreeSet;
use std::sync::Arc;

pub(super) fn crosswalks(p: &Profile<'_>, ctx: &Context) -> Vec<Crosswalk> {
    p.mappings.iter().map(|m| crosswalk(p, m, ctx)).collect()
}

fn crosswalk(p: &Profile<'_>, mapping: &Arc<Mapping>, ctx: &Context) -> Crosswalk {
    let mut related: Vec<Vec<CrosswalkRelation>> = vec![Vec::new(); mapping.requirements.len()];
    for relation in &mapping.relations {
        let Some(claimed) = claimed(p, relation.practice) else {
            continue;
        };
        if claimed.comp < relation.level {
            continue;
        }
        let entry = p.catalogue.entry(relation.practice);
        let shown = CrosswalkRelation {
            practice: entry.id.clone(),
            name: entry.name.clone(),
            level: relation.level,
            claimed: claimed.to_string(),
            role: relation.role.name().to_owned(),
        };
        // A practice related at several levels shows once, by the highest level it reaches.
        let rows = &mut related[relation.requirement];
        match rows.iter_mut().find(|r| r.practice == shown.practice) {
            Some(row) if row.level < shown.level => *row = shown,
            Some(_) => {}
            None => rows.push(shown),
        }
    }
    let mut cited: Vec<Vec<CrosswalkCitation>> = vec![Vec::new(); mapping.requirements.len()];
    for practice in &p.practices {
        for (i, citation) in citations(p, practice, mapping, ctx) {
            cited[i].push(citation);
        }
    }
    let requirements: Vec<CrosswalkRequirement> = mapping
        .requirements
        .iter()
        .zip(related.into_iter().zip(cited))
        .filter(|(_, (related, _))| !related.is_empty())
        .map(|(r, (related, cited_by))| CrosswalkRequirement {
            id: r.id.clone(),
            title: r.title.clone(),
            related,
            cited_by,
        })
        .collect();
    Crosswalk {
        framework: mapping.framework.clone(),
        version: mapping.version.clone(),
        title: mapping.title.clone(),
        note: mapping.note.clone(),
        source: mapping.source.clone(),
        listed: mapping.requirements.len(),
        cited: requirements
            .iter()
            .filter(|r| !r.cited_by.is_empty())
            .count(),
        requirements,
    }
}

/// The claimed level of a practice that applies, `None` when there is no claim.
fn claimed(p: &Profile<'_>, entry: usize) -> Option<Level> {
    let levels = PracticeLevels::of(p, entry);
    levels.current.filter(|_| levels.applicable)
}

/// The usable evidence items of `practice` that cite a requirement of `mapping`, by its
/// index: an item whose file is missing or outside the repository cites nothing.
fn citations(
    p: &Profile<'_>,
    practice: &Practice<'_>,
    mapping: &Arc<Mapping>,
    ctx: &Context,
) -> Vec<(usize, CrosswalkCitation)> {
    let id = practice.entry.map_or_else(
        || practice.front.practice.value.clone(),
        |e| p.catalogue.entry(e).id.clone(),
    );
    let file = &practice.doc.file;
    practice
        .front
        .evidence
        .iter()
        .filter_map(|item| {
            let standard = item.standard.as_ref()?;
            let (m, Citation::Requirement(i)) = citation(&p.mappings, &standard.value)? else {
                return None;
            };
            (Arc::ptr_eq(m, mapping) && usable(practice.doc, item, ctx)).then(|| {
                let evidence = match &item.locator {
                    Some(Locator::Path(s) | Locator::Url(s)) => s.value.clone(),
                    None => String::new(),
                };
                let citation = CrosswalkCitation {
                    practice: id.clone(),
                    evidence,
                    document: file.name.clone(),
                    line: file.position(item.span.start).line,
                };
                (i, citation)
            })
        })
        .collect()
}

/// The requirements a practice document's claimed level relates to, `FRAMEWORK ID` each, in
/// the order of the mappings and their lists.
pub(super) fn requirements_of(
    p: &Profile<'_>,
    entry: Option<usize>,
    front: &PracticeFront,
) -> Vec<String> {
    let Some(entry) = entry else {
        return Vec::new();
    };
    let Some(current) = front
        .current
        .as_ref()
        .filter(|_| front.applicable.as_ref().is_none_or(|a| a.value))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for mapping in &p.mappings {
        let reached: BTreeSet<usize> = mapping
            .related(entry, current.value.comp)
            .into_iter()
            .map(|r| r.requirement)
            .collect();
        out.extend(
            reached
                .into_iter()
                .map(|i| format!("{} {}", mapping.framework, mapping.requirements[i].id)),
        );
    }
    out
}
