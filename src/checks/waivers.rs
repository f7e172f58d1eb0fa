//! Waivers: waiver-invalid and waiver-expired, and which findings a waiver may cover.

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::document::schema::Waiver;
use crate::rules::Rule;
use crate::source::SourceFile;
use std::sync::Arc;

/// Rules no waiver can cover: the document could not be read as intended, or the finding
/// is about waivers themselves.
pub(crate) const UNWAIVABLE: &[Rule] = &[
    Rule::FrontMatterSyntax,
    Rule::FrontMatterSchema,
    Rule::UnknownId,
    Rule::ProfileMissing,
    Rule::ProfileConflict,
    Rule::PracticeDuplicate,
    Rule::WaiverInvalid,
    Rule::WaiverExpired,
    Rule::WaiverAdded,
    Rule::CatalogueInvalid,
    Rule::FileTooLarge,
    Rule::InvalidUtf8,
    Rule::LimitExceeded,
];

pub(crate) fn check(
    file: &Arc<SourceFile>,
    waivers: &[Waiver],
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    for w in waivers {
        let missing: Vec<String> = w.missing.iter().map(|k| format!("`{k}`")).collect();
        if !missing.is_empty() {
            out.push(
                Diagnostic::new(
                    Rule::WaiverInvalid,
                    file,
                    w.span.clone(),
                    format!("waiver without {}", missing.join(" or ")),
                )
                .help("a waiver needs the `rule` it waives, a `reason`, and an `expires` date"),
            );
        }
        if let Some(rule) = &w.rule {
            match Rule::from_id(&rule.value) {
                None => {
                    let help = crate::rules::rule_help(&rule.value);
                    out.push(
                        Diagnostic::new(
                            Rule::WaiverInvalid,
                            file,
                            rule.span.clone(),
                            format!(
                                "waiver names an unknown rule `{}`",
                                crate::text::excerpt(&rule.value)
                            ),
                        )
                        .help(help),
                    );
                }
                Some(r) if UNWAIVABLE.contains(&r) => out.push(
                    Diagnostic::new(
                        Rule::WaiverInvalid,
                        file,
                        rule.span.clone(),
                        format!("`{}` cannot be waived", r.id()),
                    )
                    .help("fix the finding instead; `smm-lint explain` says how"),
                ),
                Some(_) => {}
            }
        }
        if let Some(expires) = &w.expires {
            if expires.value < ctx.today {
                out.push(
                    Diagnostic::new(
                        Rule::WaiverExpired,
                        file,
                        expires.span.clone(),
                        match &w.rule {
                        Some(rule) => format!(
                            "the waiver for `{}` expired on {}",
                            crate::text::excerpt(&rule.value),
                            expires.value
                        ),
                        None => format!("the waiver expired on {}", expires.value),
                    },
                    )
                    .label("expired")
                    .help("fix the finding it covered, or renew the waiver with a new reason and expiry"),
                );
            }
        }
    }
}
