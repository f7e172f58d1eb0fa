//! Against the documents at `--base GIT-REF`: regression-level, regression-evidence,
//! target-changed, waiver-added.

use crate::base::Base;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::document::schema::{Front, Locator, PracticeFront, ProfileFront, Waiver};
use crate::profile::Profile;
use crate::rules::Rule;
use crate::text::excerpt;
use std::collections::BTreeMap;
use std::path::Path;

/// The base ref's profile document and practice documents for the directory of `profile`.
struct BaseProfile<'a> {
    front: &'a ProfileFront,
    /// Catalogue entry → the practice's front matter at the base.
    practices: BTreeMap<usize, &'a PracticeFront>,
}

fn base_profile<'a>(profile: &Profile<'_>, base: &'a Base) -> Option<BaseProfile<'a>> {
    let parent = |d: &Document| d.path.parent().map(Path::to_path_buf).unwrap_or_default();
    let front = base.documents.iter().find_map(|d| match &d.front {
        Front::Profile(p) if parent(d) == profile.dir => Some(p),
        _ => None,
    })?;
    let profile_dirs: Vec<_> = base
        .documents
        .iter()
        .filter(|d| matches!(d.front, Front::Profile(_)))
        .map(parent)
        .collect();
    let mut practices = BTreeMap::new();
    for d in &base.documents {
        let Front::Practice(p) = &d.front else {
            continue;
        };
        let owner = d
            .path
            .ancestors()
            .skip(1)
            .find(|a| profile_dirs.iter().any(|p| p == a));
        if owner != Some(profile.dir.as_path()) {
            continue;
        }
        if let Some(found) = profile.catalogue.find(&p.practice.value) {
            practices.entry(found.index).or_insert(p);
        }
    }
    Some(BaseProfile { front, practices })
}

pub(crate) fn check(profile: &Profile<'_>, base: &Base, out: &mut Vec<Diagnostic>) {
    let Some(old) = base_profile(profile, base) else {
        return;
    };
    targets_changed(profile, &old, &base.reference, out);
    waivers_added(profile, &old, &base.reference, out);
    let reference = &base.reference;
    for (&entry, before) in &old.practices {
        let Some(before_level) = before.current.as_ref().map(|c| c.value) else {
            continue;
        };
        let id = &profile.catalogue.entry(entry).id;
        let Some(now) = profile.practices.iter().find(|p| p.entry == Some(entry)) else {
            // A document that is there but broken is already reported; it is not gone.
            if before_level.comp > 0 && !profile.claimed.contains(&entry) {
                out.push(
                    Diagnostic::new(
                        Rule::RegressionLevel,
                        &profile.doc.file,
                        profile.front.id.span.clone(),
                        format!("practice `{id}` was claimed at {before_level} at `{reference}`; its document is gone"),
                    )
                    .help("a removed practice document withdraws its claim; restore it, or lower the claim in a document of its own"),
                );
            }
            continue;
        };
        let Some(current) = &now.front.current else {
            continue;
        };
        if current.value.comp < before_level.comp || current.value.scope < before_level.scope {
            out.push(
                Diagnostic::new(
                    Rule::RegressionLevel,
                    &now.doc.file,
                    current.span.clone(),
                    format!("current {} is lower than {before_level} at `{reference}`", current.value),
                )
                .label(format!("was {before_level}"))
                .help("if the practice really regressed, say why in the body and plan how to recover; otherwise restore the level"),
            );
        } else if current.value == before_level {
            removed_evidence(now.doc, now.front, before, reference, out);
        }
    }
}

fn locator_text(l: &Locator) -> String {
    match l {
        Locator::Path(p) => p.value.trim().trim_start_matches("./").to_owned(),
        Locator::Url(u) => u.value.trim().to_owned(),
    }
}

fn removed_evidence(
    doc: &Document,
    now: &PracticeFront,
    before: &PracticeFront,
    reference: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(current) = &now.current else { return };
    let present: Vec<String> = now
        .evidence
        .iter()
        .filter_map(|e| e.locator.as_ref())
        .map(locator_text)
        .collect();
    for item in &before.evidence {
        let Some(locator) = item.locator.as_ref().map(locator_text) else {
            continue;
        };
        if present.contains(&locator) {
            continue;
        }
        let kind = item
            .kind
            .as_ref()
            .map_or(String::new(), |k| format!(" ({})", k.value));
        out.push(
            Diagnostic::new(
                Rule::RegressionEvidence,
                &doc.file,
                current.span.clone(),
                format!(
                    "evidence `{}`{kind} was removed since `{reference}`, but the claim stayed {}",
                    excerpt(&locator),
                    current.value
                ),
            )
            .label("claim unchanged")
            .help("restore the evidence, replace it with newer evidence, or lower the claim"),
        );
    }
}

/// `id: level` lines in catalogue order, for the diff.
fn target_lines(front: &ProfileFront, profile: &Profile<'_>) -> String {
    let order = profile.catalogue.ordered();
    let mut lines: Vec<(usize, String)> = front
        .targets
        .iter()
        .map(|t| {
            let level = t
                .level
                .as_ref()
                .map_or("?".to_owned(), |l| l.value.to_string());
            let position = profile
                .catalogue
                .find(&t.id.value)
                .and_then(|f| order.iter().position(|&e| e == f.index))
                .unwrap_or(usize::MAX);
            (position, format!("{}: {level}\n", t.id.value))
        })
        .collect();
    lines.sort();
    lines.into_iter().map(|(_, l)| l).collect()
}

fn targets_changed(
    profile: &Profile<'_>,
    old: &BaseProfile<'_>,
    reference: &str,
    out: &mut Vec<Diagnostic>,
) {
    let (before, now) = (
        target_lines(old.front, profile),
        target_lines(profile.front, profile),
    );
    if before == now {
        return;
    }
    let diff = similar::TextDiff::from_lines(&before, &now);
    let unified = diff
        .unified_diff()
        .context_radius(2)
        .header(reference, "working tree")
        .to_string();
    let changes = diff
        .ops()
        .iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .count();
    let span = profile
        .front
        .targets_key
        .clone()
        .unwrap_or_else(|| profile.front.id.span.clone());
    out.push(
        Diagnostic::new(
            Rule::TargetChanged,
            &profile.doc.file,
            span,
            format!(
                "the targets differ from `{reference}` ({})",
                crate::text::plural(changes, "change", "changes")
            ),
        )
        .help(format!("review the change to the targets:\n{unified}")),
    );
}

/// Waivers written since `reference`: a waiver added in the same change as the finding it
/// covers can hide a regression, so the gate shows each one.
fn waivers_added(
    profile: &Profile<'_>,
    old: &BaseProfile<'_>,
    reference: &str,
    out: &mut Vec<Diagnostic>,
) {
    let mut documents: Vec<(&Document, &[Waiver], &[Waiver])> =
        vec![(profile.doc, &profile.front.waivers, &old.front.waivers)];
    for practice in &profile.practices {
        let before = practice
            .entry
            .and_then(|e| old.practices.get(&e))
            .map_or(&[][..], |p| p.waivers.as_slice());
        documents.push((practice.doc, &practice.front.waivers, before));
    }
    for (doc, now, before) in documents {
        for waiver in now
            .iter()
            .filter(|w| !before.iter().any(|b| same_waiver(w, b)))
        {
            let rule = waiver.rule.as_ref().map_or("?", |r| r.value.as_str());
            let expires = waiver.expires.as_ref().map_or_else(
                || "no expiry".to_owned(),
                |e| format!("expires {}", e.value),
            );
            out.push(
                Diagnostic::new(
                    Rule::WaiverAdded,
                    &doc.file,
                    waiver.span.clone(),
                    format!(
                        "a waiver of `{}` was added or changed since `{}` ({expires})",
                        excerpt(rule),
                        excerpt(reference)
                    ),
                )
                .help("a waiver written in the same change as what it waives can hide a regression: review it like a change to the rules"),
            );
        }
    }
}

/// Waivers compared by what they say, not where they are written.
fn same_waiver(a: &Waiver, b: &Waiver) -> bool {
    let text = |s: &Option<crate::yaml::Spanned<String>>| s.as_ref().map(|v| v.value.clone());
    text(&a.rule) == text(&b.rule)
        && text(&a.reason) == text(&b.reason)
        && a.expires.as_ref().map(|e| e.value) == b.expires.as_ref().map(|e| e.value)
}
