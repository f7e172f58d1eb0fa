//! `history --format csv`: tidy data, one row per point, profile and practice, newest point
//! first (as the model holds them), for a spreadsheet to pivot. RFC 4180, with every field
//! that a spreadsheet would read as a formula defused as in `evidence --format csv`.

use crate::audit::csv::field;
use crate::history::model::{DocumentState, History};

const HEADER: [&str; 12] = [
    "commit",
    "date",
    "tags",
    "profile",
    "domain",
    "subdomain",
    "practice",
    "target",
    "current",
    "applicable",
    "gap",
    "document",
];

pub(super) fn render(history: &History) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for point in &history.points {
        // Git refuses tag names with spaces: a space separates them unambiguously.
        let tags = point.tags.join(" ");
        for profile in &point.profiles {
            for p in &profile.practices {
                let fields = [
                    point.commit.as_str(),
                    point.date.as_str(),
                    tags.as_str(),
                    profile.id.as_str(),
                    p.domain.as_str(),
                    p.subdomain.as_str(),
                    p.id.as_str(),
                    p.target.as_deref().unwrap_or_default(),
                    p.current.as_deref().unwrap_or_default(),
                    if p.applicable { "yes" } else { "no" },
                    &p.gap.to_string(),
                    document(p.document),
                ];
                let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
                out.push_str(&line.join(","));
                out.push_str("\r\n");
            }
        }
    }
    out
}

fn document(state: DocumentState) -> &'static str {
    match state {
        DocumentState::Parsed => "parsed",
        DocumentState::Unparsed => "unparsed",
        DocumentState::Missing => "missing",
    }
}
