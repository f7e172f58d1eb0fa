//! A practice's current state against its target: below-target, above-target, plan-missing,
//! plan-overdue, and the scope context of its levels.

use crate::diagnostic::Diagnostic;
use crate::profile::{Practice, Profile};
use crate::rules::Rule;
use crate::settings::Settings;

pub fn check(
    profile: &Profile<'_>,
    practice: &Practice<'_>,
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) {
    let front = practice.front;
    let file = &practice.doc.file;
    if front.applicable.as_ref().is_some_and(|a| !a.value) {
        return;
    }
    let Some(current) = &front.current else {
        return;
    };
    let Some(target) = practice.entry.and_then(|e| profile.targets.effective[e]) else {
        return;
    };
    let target = target.base();
    let where_set = target_origin(profile, practice.entry);
    if !current.value.meets(target) {
        out.push(
            Diagnostic::new(
                Rule::BelowTarget,
                file,
                current.span.clone(),
                format!("current {} is below the target {target}", current.value),
            )
            .label(format!("target {target}"))
            .help(format!(
                "the target comes from {where_set}; raise the practice to it, or add a `plan:` item that reaches it"
            )),
        );
        let planned = front
            .plan
            .iter()
            .any(|p| p.level.as_ref().is_some_and(|l| l.value.meets(target)));
        if !planned {
            out.push(
                Diagnostic::new(
                    Rule::PlanMissing,
                    file,
                    current.span.clone(),
                    format!("no plan item reaches the target {target}"),
                )
                .help(format!(
                    "add a `plan:` item with `level: {target}`, a `due:` date and an `action:`"
                )),
            );
        }
    } else if current.value.comp > target.comp || current.value.scope > target.scope {
        out.push(
            Diagnostic::new(
                Rule::AboveTarget,
                file,
                current.span.clone(),
                format!("current {} is above the target {target}", current.value),
            )
            .help(format!("the target comes from {where_set}; effort beyond the target may be better spent elsewhere")),
        );
    }
    for item in &front.plan {
        let (Some(level), Some(due)) = (&item.level, &item.due) else {
            continue;
        };
        if due.value < settings.today && !current.value.meets(level.value) {
            out.push(
                Diagnostic::new(
                    Rule::PlanOverdue,
                    file,
                    due.span.clone(),
                    format!("plan item to reach {} was due {} and current is still {}", level.value, due.value, current.value),
                )
                .label("overdue")
                .help("update `current` if the work is done, or set a new `due` date with the reason in the body"),
            );
        }
    }
}

/// Where a practice's target is written, for help texts: "profile.md:9 (`hardening: 2/general+`)".
fn target_origin(profile: &Profile<'_>, entry: Option<usize>) -> String {
    let Some(entry) = entry else {
        return profile.doc.file.name.clone();
    };
    let cat = &profile.catalogue;
    let found = profile
        .targets
        .explicit
        .get(&entry)
        .map(|(id, level)| (id, level))
        .or_else(|| {
            profile
                .targets
                .explicit_ancestor(cat, entry)
                .and_then(|(a, _)| {
                    profile
                        .targets
                        .explicit
                        .get(&a)
                        .map(|(id, level)| (id, level))
                })
        });
    match found {
        Some((id, level)) => {
            let line = profile.doc.file.position(level.span.start).line;
            format!(
                "{}:{line} (`{}: {}`)",
                profile.doc.file.name, id.value, level.value
            )
        }
        None => profile.doc.file.name.clone(),
    }
}
