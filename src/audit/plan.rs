//! The roadmap: the plan items of a profile's practices, with where each stands.

use super::model::*;
use crate::analysis::Analysis;
use crate::profile::{Practice, Profile};

/// Plan items due within this many days are "due soon".
const DUE_SOON_DAYS: i64 = 90;

pub(super) fn roadmap(analysis: &Analysis<'_>, p: &Profile<'_>) -> Vec<PlanRow> {
    let mut rows: Vec<PlanRow> = p
        .practices
        .iter()
        .flat_map(|practice| plan_rows(analysis, p, practice))
        .collect();
    rows.sort_by(|a, b| (&a.due, &a.practice).cmp(&(&b.due, &b.practice)));
    rows
}

/// The plan items of one practice document, in the order written.
pub(super) fn plan_rows(
    analysis: &Analysis<'_>,
    p: &Profile<'_>,
    practice: &Practice<'_>,
) -> Vec<PlanRow> {
    let today = analysis.context.today;
    let current = practice.front.current.as_ref().map(|c| c.value);
    let id = practice.entry.map_or_else(
        || practice.front.practice.value.clone(),
        |e| p.catalogue.entry(e).id.clone(),
    );
    let name = practice
        .entry
        .map_or_else(|| id.clone(), |e| p.catalogue.entry(e).name.clone());
    practice
        .front
        .plan
        .iter()
        .map(|item| {
            let due = item.due.as_ref().map(|d| d.value);
            let reached = match (current, &item.level) {
                (Some(c), Some(l)) => c.meets(l.value),
                _ => false,
            };
            let status = match due {
                Some(d) if d < today && !reached => PlanStatus::Overdue,
                Some(d) if d < today => PlanStatus::Done,
                Some(d) if today.days_until(d) <= DUE_SOON_DAYS => PlanStatus::DueSoon,
                _ => PlanStatus::Later,
            };
            PlanRow {
                practice: id.clone(),
                name: name.clone(),
                level: item.level.as_ref().map(|l| l.value.to_string()),
                due: due.map(|d| d.to_string()),
                action: item.action.as_ref().map(|a| a.value.clone()),
                status,
                document: practice.doc.file.name.clone(),
                line: practice.doc.file.position(item.span.start).line,
                owner: item.owner.as_ref().map(|o| o.value.clone()),
            }
        })
        .collect()
}
