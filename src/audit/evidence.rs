//! The evidence index: one row per evidence item, with its state read off the same assessment
//! as `check`'s evidence findings.

use super::model::*;
use crate::analysis::Analysis;
use crate::checks::evidence::{Target, assess};
use crate::document::Document;
use crate::document::schema::{Evidence, Front};
use crate::online::UrlStatus;
use crate::profile::{Practice, Profile};
use std::collections::BTreeMap;
use std::path::Path;

/// Evidence rows of every practice document of the profile: in catalogue order, duplicates
/// next to each other, then documents with an unknown id. Documents with findings are listed
/// too: an auditor needs every item that is cited, valid or not.
pub(super) fn profile_evidence(
    analysis: &Analysis<'_>,
    p: &Profile<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> Vec<EvidenceRow> {
    let order = p.catalogue.ordered();
    let mut practices: Vec<&Practice<'_>> = p.practices.iter().collect();
    practices.sort_by_key(|d| {
        let at = d
            .entry
            .and_then(|e| order.iter().position(|&o| o == e))
            .unwrap_or(usize::MAX);
        (at, d.doc.file.name.clone())
    });
    practices
        .into_iter()
        .flat_map(|d| practice_evidence(analysis, &p.front.id.value, p, d, urls))
        .collect()
}

pub(super) fn practice_evidence(
    analysis: &Analysis<'_>,
    profile: &str,
    p: &Profile<'_>,
    d: &Practice<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> Vec<EvidenceRow> {
    let id = d.entry.map_or_else(
        || d.front.practice.value.clone(),
        |e| p.catalogue.entry(e).id.clone(),
    );
    let requirements = super::crosswalk::requirements_of(p, d.entry, d.front);
    let mut rows = document_evidence(analysis, profile, &id, d, urls);
    for row in &mut rows {
        row.requirements.clone_from(&requirements);
    }
    rows
}

/// Evidence rows of one practice document, whichever profile it belongs to (if any).
fn document_evidence(
    analysis: &Analysis<'_>,
    profile: &str,
    practice: &str,
    d: &Practice<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> Vec<EvidenceRow> {
    let (doc, front) = (d.doc, d.front);
    let root = analysis
        .context
        .repo_root(doc.path.parent().unwrap_or(&analysis.context.cwd));
    let waived = waived_offsets(analysis, doc);
    front
        .evidence
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let end = front.evidence.get(i + 1).map_or_else(
                || item_end(&doc.file.text, item.span.start),
                |n| n.span.start,
            );
            let mut row = evidence_row(analysis, profile, practice, d, item, &root, urls);
            row.waived = waived.iter().any(|&o| (item.span.start..end).contains(&o));
            row
        })
        .collect()
}

/// Where the findings waived on `doc` start.
fn waived_offsets(analysis: &Analysis<'_>, doc: &Document) -> Vec<usize> {
    crate::sink::on_file(&analysis.diagnostics, &doc.file.name)
        .iter()
        .filter(|d| d.waived.is_some())
        .map(|d| d.span.start)
        .collect()
}

/// The end of the last evidence item starting at `start`: the next line that is not indented
/// (the next top-level key, or the closing `---`).
fn item_end(text: &str, start: usize) -> usize {
    let mut at = text[start..]
        .find('\n')
        .map_or(text.len(), |n| start + n + 1);
    while at < text.len() {
        let line = &text[at..];
        if !line.starts_with([' ', '\t', '-', '\n', '\r']) || line.starts_with("---") {
            return at;
        }
        at = line.find('\n').map_or(text.len(), |n| at + n + 1);
    }
    text.len()
}

/// The evidence of practice documents that belong to no profile (already a finding), so that
/// the evidence index still lists every cited item.
fn orphan_evidence(
    analysis: &Analysis<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> Vec<EvidenceRow> {
    let in_profile = |doc: &Document| {
        analysis
            .profiles
            .iter()
            .any(|p| p.practices.iter().any(|d| std::ptr::eq(d.doc, doc)))
    };
    analysis
        .documents
        .iter()
        .filter(|doc| !in_profile(doc))
        .filter_map(|doc| match &doc.front {
            Front::Practice(front) => Some(document_evidence(
                analysis,
                "",
                &front.practice.value,
                &Practice {
                    doc,
                    front,
                    entry: None,
                },
                urls,
            )),
            Front::Profile(_) => None,
        })
        .flatten()
        .collect()
}

/// Every evidence item of the analysed documents: the profiles' first, then those of practice
/// documents outside any profile.
pub(crate) fn all_evidence(report: Report, analysis: &Analysis<'_>) -> Vec<EvidenceRow> {
    let mut rows: Vec<EvidenceRow> = report
        .profiles
        .into_iter()
        .flat_map(|p| p.evidence)
        .collect();
    rows.extend(orphan_evidence(analysis, analysis.urls.as_ref()));
    rows
}

fn evidence_row(
    analysis: &Analysis<'_>,
    profile: &str,
    practice_id: &str,
    practice: &Practice<'_>,
    item: &Evidence,
    root: &Path,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> EvidenceRow {
    let ctx = analysis.context;
    let (doc, front) = (practice.doc, practice.front);
    let a = assess(doc, item, root, ctx);
    let pin = a.pin_state(item);
    let status = match &a.target {
        Target::Nothing | Target::Missing | Target::NotAFile(_) => EvidenceStatus::Missing,
        Target::Outside(_) => EvidenceStatus::OutsideRepo,
        Target::Url => match urls.and_then(|u| u.get(&a.raw)) {
            Some(UrlStatus::Reachable) if a.stale.is_some() => EvidenceStatus::Stale,
            Some(UrlStatus::Reachable) => EvidenceStatus::Reachable,
            Some(UrlStatus::Unreachable(_)) => EvidenceStatus::Unreachable,
            Some(UrlStatus::Unknown(_)) => EvidenceStatus::Unknown,
            Some(UrlStatus::NotChecked(_)) | None => EvidenceStatus::UncheckedUrl,
        },
        Target::File {
            anchor_found: Some(false),
            ..
        } => EvidenceStatus::AnchorMissing,
        Target::File { .. } if pin == PinState::Changed => EvidenceStatus::Changed,
        Target::File { .. } if a.stale.is_some() => EvidenceStatus::Stale,
        Target::File { .. } => EvidenceStatus::Ok,
    };
    let line = doc.file.position(item.span.start).line;
    let resolved = match &a.target {
        Target::File { path, .. } => Some(crate::paths::normalize(path)),
        _ => None,
    };
    EvidenceRow {
        profile: profile.to_owned(),
        practice: practice_id.to_owned(),
        claimed: front.current.as_ref().map(|c| c.value.to_string()),
        kind: item.kind.as_ref().map(|k| k.value.clone()),
        target: a.raw.clone(),
        anchor: a.anchor.clone(),
        reviewed: item.reviewed.as_ref().map(|r| r.value.to_string()),
        age_days: item
            .reviewed
            .as_ref()
            .map(|r| r.value.days_until(ctx.today)),
        standard: item.standard.as_ref().map(|s| s.value.clone()),
        pin,
        status,
        document: doc.file.name.clone(),
        line,
        waived: false,
        repo_path: resolved
            .as_ref()
            .filter(|f| f.starts_with(root))
            .map(|f| crate::paths::display(f, root)),
        href: None,
        note: item.note.as_ref().map(|n| n.value.clone()),
        requirements: Vec::new(),
        resolved,
        sha256: item
            .sha256
            .as_ref()
            .filter(|_| pin == PinState::Ok)
            .map(|s| s.value.trim().to_ascii_lowercase()),
    }
}
