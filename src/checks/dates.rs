//! Dates in a practice or profile document: assessment-stale and date-in-future.

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::document::schema::{PracticeFront, ProfileFront};
use crate::rules::Rule;
use crate::source::SourceFile;
use std::sync::Arc;

pub(crate) fn check(
    file: &Arc<SourceFile>,
    front: &PracticeFront,
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    let today = ctx.today;
    if let Some(assessed) = &front.assessed {
        let age = assessed.value.days_until(today);
        let max = ctx.settings.evidence.assessment_max_age_days;
        if age < 0 {
            out.push(future(
                file,
                assessed.span.clone(),
                "assessed",
                assessed.value,
                today,
            ));
        } else if age > i64::from(max) {
            out.push(
                Diagnostic::new(
                    Rule::AssessmentStale,
                    file,
                    assessed.span.clone(),
                    format!("assessed {age} days ago; assessments are due every {max} days"),
                )
                .help(
                    "assess the practice again and update `assessed`, `current` and the evidence",
                ),
            );
        }
    }
    for item in &front.evidence {
        if let Some(reviewed) = &item.reviewed {
            if reviewed.value > today {
                out.push(future(
                    file,
                    reviewed.span.clone(),
                    "reviewed",
                    reviewed.value,
                    today,
                ));
            }
        }
    }
}

/// The date of the targets' sign-off, like `assessed`, records something that has happened.
pub(crate) fn profile(
    file: &Arc<SourceFile>,
    front: &ProfileFront,
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(approval) = &front.approval {
        let date = &approval.date;
        if date.value > ctx.today {
            out.push(future(
                file,
                date.span.clone(),
                "approved.date",
                date.value,
                ctx.today,
            ));
        }
    }
}

fn future(
    file: &Arc<SourceFile>,
    span: std::ops::Range<usize>,
    key: &str,
    date: crate::date::Date,
    today: crate::date::Date,
) -> Diagnostic {
    Diagnostic::new(Rule::DateInFuture, file, span, format!("`{key}` is {date}, after today ({today})"))
        .help("a date of something that happened cannot be in the future; correct it, or pass `--today` when checking an old state")
}
