//! A practice's current state against its target: below-target, above-target, plan-missing,
//! plan-overdue, and the scope context of its levels.

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::model::level::Level;
use crate::profile::{Practice, Profile};
use crate::rules::Rule;

pub(crate) fn check(
    profile: &Profile<'_>,
    practice: &Practice<'_>,
    ctx: &Context,
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
        // A gap that a plan item reaches is the roadmap at work: `below-target` (info by
        // default) records it. A gap with no such item is `plan-missing`; an item past its
        // date is `plan-overdue` (below).
        let reaching = front
            .plan
            .iter()
            .filter(|p| p.level.as_ref().is_some_and(|l| l.value.meets(target)))
            .min_by_key(|p| (p.due.is_none(), p.due.as_ref().map(|d| d.value)));
        let help = match reaching {
            Some(item) => {
                let line = file.position(item.span.start).line;
                match &item.due {
                    Some(due) if due.value < ctx.today => format!(
                        "planned for {}, now overdue (line {line}); the target comes from {where_set}",
                        due.value
                    ),
                    Some(due) => format!(
                        "planned for {} (line {line}); the target comes from {where_set}",
                        due.value
                    ),
                    None => format!("planned (line {line}); the target comes from {where_set}"),
                }
            }
            None => format!(
                "the target comes from {where_set}; raise the practice to it, or add a `plan:` item that reaches it"
            ),
        };
        out.push(
            Diagnostic::new(
                Rule::BelowTarget,
                file,
                current.span.clone(),
                shortfall(current.value, target),
            )
            .label(format!("target {target}"))
            .help(help),
        );
        if reaching.is_none() {
            // The step that closes the gap keeps what is already reached.
            let step = Level::new(
                current.value.comp.max(target.comp),
                current.value.scope.max(target.scope),
            );
            out.push(
                Diagnostic::new(
                    Rule::PlanMissing,
                    file,
                    current.span.clone(),
                    format!("no plan item reaches the target {target}"),
                )
                .help(format!(
                    "add a `plan:` item with `level: {step}`, a `due:` date and an `action:`"
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
        if due.value < ctx.today && !current.value.meets(level.value) {
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

/// What falls short, in words: the level, the scope, or both. A higher level does not make up
/// for a broader scope: `2/general` against `1/system` is a scope gap.
fn shortfall(current: Level, target: Level) -> String {
    let levels = target.comp.saturating_sub(current.comp);
    let level = format!(
        "{} below",
        crate::text::plural(levels.into(), "level", "levels")
    );
    let scope = format!(
        "its scope {} is broader than {}",
        current.scope.name(),
        target.scope.name()
    );
    match (levels > 0, current.scope < target.scope) {
        (true, true) => format!(
            "current {current} falls short of the target {target} in level and scope: {level}, and {scope}"
        ),
        (false, true) => {
            format!("current {current} falls short of the target {target} in scope: {scope}")
        }
        _ => format!("current {current} is {level} the target {target}"),
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
