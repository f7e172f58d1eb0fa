//! Indicators of accomplishment cited by evidence: a citation must name an indicator of the
//! practice (`unknown-id`), and the claimed level's indicators that no evidence item cites are
//! named (`indicator-uncovered`).

use super::evidence::usable;
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::model::catalogue::Entry;
use crate::profile::{Practice, Profile};
use crate::rules::Rule;
use crate::text::excerpt;
use crate::yaml::Spanned;

pub(crate) fn check(
    profile: &Profile<'_>,
    practice: &Practice<'_>,
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    let Some(index) = practice.entry else {
        return;
    };
    let entry = profile.catalogue.entry(index);
    for item in &practice.front.evidence {
        for cited in &item.indicators {
            if !entry.indicators().any(|(_, i)| i.id == cited.value.trim()) {
                out.push(unknown(practice, entry, cited));
            }
        }
    }
    // A practice whose evidence cites no indicator has not taken them up: a finding on every
    // such practice would speak of a vocabulary the team never chose. The first citation
    // turns the rule on for that practice; the report lists every practice's indicators anyway.
    if practice
        .front
        .evidence
        .iter()
        .any(|e| !e.indicators.is_empty())
    {
        uncovered(practice, entry, ctx, out);
    }
}

fn unknown(practice: &Practice<'_>, entry: &Entry, cited: &Spanned<String>) -> Diagnostic {
    let ids: Vec<&str> = entry.indicators().map(|(_, i)| i.id.as_str()).collect();
    let close = crate::text::suggest::close(cited.value.trim(), &ids, 3);
    let help = if close.is_empty() {
        format!(
            "cite an indicator of `{0}`; `smm-lint describe {0}` lists them",
            entry.id
        )
    } else {
        format!("did you mean {}?", crate::text::suggest::quoted(&close))
    };
    Diagnostic::new(
        Rule::UnknownId,
        &practice.doc.file,
        cited.span.clone(),
        format!(
            "`{}` is not an indicator of practice `{}`",
            excerpt(&cited.value),
            entry.id
        ),
    )
    .label("not an indicator of this practice")
    .help(help)
}

/// The claimed level's own indicators that no evidence item of the practice cites. A lower
/// level's indicators are not asked for again: the claim is judged by its own level's. Only
/// usable evidence covers one: an item whose file is missing or outside the repository does
/// not, even with its finding waived.
fn uncovered(practice: &Practice<'_>, entry: &Entry, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let front = practice.front;
    if front.applicable.as_ref().is_some_and(|a| !a.value) || front.evidence_unread {
        return;
    }
    let Some(current) = &front.current else {
        return;
    };
    let level = current.value.comp;
    let all = entry.indicators_of(level);
    let usable: Vec<_> = front
        .evidence
        .iter()
        .filter(|e| !e.indicators.is_empty() && usable(practice.doc, e, ctx))
        .collect();
    let missing: Vec<String> = all
        .iter()
        .filter(|i| {
            !usable
                .iter()
                .any(|e| e.indicators.iter().any(|c| c.value.trim() == i.id))
        })
        .map(|i| format!("`{}`", i.id))
        .collect();
    if missing.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::IndicatorUncovered,
            &practice.doc.file,
            current.span.clone(),
            format!(
                "level {level} indicators that no evidence cites ({} of {}): {}",
                missing.len(),
                all.len(),
                missing.join(", ")
            ),
        )
        .label(format!("level {level} claimed"))
        .help(format!(
            "add `indicators: [ID]` to the evidence item that shows each; `smm-lint describe {} {level}` says what they ask",
            entry.id
        )),
    );
}
