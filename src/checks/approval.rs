//! The sign-off on the profile's targets: approval-stale, approval-missing.

use crate::approval::{self, Changes, Status};
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::profile::Profile;
use crate::rules::Rule;
use crate::text::excerpt;

/// Changed targets named in one finding; the rest are counted.
const MAX_CHANGES_SHOWN: usize = 20;

pub(crate) fn check(profile: &Profile<'_>, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let on = |rule: Rule| {
        ctx.settings
            .severities
            .get(&rule)
            .is_some_and(Option::is_some)
    };
    let file = &profile.doc.file;
    if profile.front.approved_key.is_none() {
        if on(Rule::ApprovalMissing) {
            out.push(
                Diagnostic::new(
                    Rule::ApprovalMissing,
                    file,
                    profile.front.id.span.clone(),
                    format!(
                        "the targets of profile `{}` carry no sign-off (`approved:`)",
                        excerpt(&profile.front.id.value)
                    ),
                )
                .help("have the owner of the targets review them, then run `smm-lint approve --by NAME`"),
            );
        }
        return;
    }
    // The look-back through git is only paid for when the finding can be shown.
    if !on(Rule::ApprovalStale) {
        return;
    }
    let Status::Stale { approval, changes } = approval::status(profile, ctx) else {
        return;
    };
    let span = profile
        .front
        .approved_key
        .clone()
        .unwrap_or_else(|| approval.targets.span.clone());
    let approved = format!(
        "the targets changed since they were approved by \"{}\" on {}",
        excerpt(&approval.by.value),
        approval.date.value
    );
    let message = match changes {
        Changes::Listed(changes) => format!("{approved}: {}", list(&changes)),
        Changes::Unknown(why) => format!("{approved}; the changed targets cannot be listed: {why}"),
    };
    out.push(
        Diagnostic::new(Rule::ApprovalStale, file, span, message)
            .label("approved for other targets")
            .help("have the owner of the targets approve them again (`smm-lint approve --by NAME`), or restore the approved targets"),
    );
}

fn list(changes: &[approval::Change]) -> String {
    let mut shown: Vec<String> = changes
        .iter()
        .take(MAX_CHANGES_SHOWN)
        .map(|c| excerpt(&c.to_string()))
        .collect();
    if changes.len() > MAX_CHANGES_SHOWN {
        shown.push(format!("and {} more", changes.len() - MAX_CHANGES_SHOWN));
    }
    if shown.is_empty() {
        // The same targets under a hash written by hand for other ones.
        return "none of the targets differs from the approved version".to_owned();
    }
    shown.join("; ")
}
