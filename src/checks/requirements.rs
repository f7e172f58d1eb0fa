//! `unknown-requirement`: a `standard:` value that names the framework of a mapping the profile
//! selects must name a requirement id that mapping lists.

use crate::diagnostic::Diagnostic;
use crate::model::mapping::{Citation, citation};
use crate::profile::Profile;
use crate::rules::Rule;
use crate::text::excerpt;
use crate::text::suggest::quoted;

pub(crate) fn check(profile: &Profile<'_>, out: &mut Vec<Diagnostic>) {
    if profile.mappings.is_empty() {
        return;
    }
    for practice in &profile.practices {
        for item in &practice.front.evidence {
            let Some(standard) = &item.standard else {
                continue;
            };
            let Some((mapping, Citation::Unknown(id))) =
                citation(&profile.mappings, &standard.value)
            else {
                continue;
            };
            let close = mapping.suggestions(id);
            let help = if close.is_empty() {
                format!(
                    "write `{} ID` with an id the mapping lists ({} listed), or correct the mapping `{}`",
                    excerpt(&mapping.framework),
                    mapping.requirements.len(),
                    excerpt(&mapping.source)
                )
            } else {
                format!("did you mean {}?", quoted(&close))
            };
            out.push(
                Diagnostic::new(
                    Rule::UnknownRequirement,
                    &practice.doc.file,
                    standard.span.clone(),
                    format!(
                        "`{}` is not a requirement of {} {} as the mapping lists them",
                        excerpt(id),
                        excerpt(&mapping.framework),
                        excerpt(&mapping.version)
                    ),
                )
                .label("unknown requirement id")
                .help(help),
            );
        }
    }
}
