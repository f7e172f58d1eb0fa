//! Markdown pieces shared by the job summary (`--format summary-md`) and the auditors' report
//! (`report --format md`), so that the two show levels and gaps alike.

use crate::gap::Gap;
use std::fmt::Display;

/// Document text as an inline Markdown cell: shown as written, never acted on.
pub(crate) fn cell(text: &str) -> String {
    crate::text::markdown(text)
}

/// An identifier or a path as a code span when it can safely be one, else as [`cell`].
pub(crate) fn code(text: &str) -> String {
    crate::text::markdown_code(text)
}

/// A level as written, or a dash when there is none.
pub(crate) fn level(level: Option<impl Display>) -> String {
    level.map_or_else(|| "—".to_owned(), |l| l.to_string())
}

/// A practice's gap: in bold unless the practice meets its target or does not apply.
pub(crate) fn gap(gap: Gap) -> String {
    match gap {
        Gap::Met | Gap::NotApplicable => gap.to_string(),
        Gap::Above | Gap::Below { .. } | Gap::NoClaim => format!("**{gap}**"),
    }
}
