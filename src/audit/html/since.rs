//! The *Since the last assessment* section: what changed from the baseline commit.

use super::markup::{Html, html};
use super::{code, opt};
use crate::audit::model::{EvidenceMove, GapMove, LevelMove, SinceReport};

pub(super) fn section(out: &mut Html, n: usize, s: &SinceReport) {
    html!(
        out,
        "<h3 id=\"p{}-since\">Since the last assessment</h3>\n",
        n
    );
    let short: String = s.commit.chars().take(12).collect();
    html!(
        out,
        "<p class=\"note\">Compared with commit {} of {} ({}).</p>\n",
        code(&short),
        s.date,
        s.subject
    );
    let empty = s.raised.is_empty()
        && s.lowered.is_empty()
        && s.targets_changed.is_empty()
        && s.evidence_added.is_empty()
        && s.evidence_removed.is_empty()
        && s.gaps_closed.is_empty()
        && s.gaps_opened.is_empty();
    if empty {
        out.push_raw("<p>No level, target or evidence changed.</p>\n");
        return;
    }
    out.push_raw("<dl class=\"since\">\n");
    moves(out, "Levels raised", &s.raised);
    moves(out, "Levels lowered", &s.lowered);
    moves(out, "Targets changed", &s.targets_changed);
    evidence(out, "Evidence added", &s.evidence_added);
    evidence(out, "Evidence removed", &s.evidence_removed);
    gaps(out, "Gaps closed", &s.gaps_closed);
    gaps(out, "Gaps opened", &s.gaps_opened);
    out.push_raw("</dl>\n");
}

fn moves(out: &mut Html, label: &'static str, rows: &[LevelMove]) {
    if rows.is_empty() {
        return;
    }
    html!(out, "<dt>{}</dt>\n", label);
    for m in rows {
        html!(
            out,
            "<dd>{} <span class=\"id\">{}</span>: {} → {}</dd>\n",
            m.name,
            m.practice,
            opt(m.from.as_deref()),
            opt(m.to.as_deref())
        );
    }
}

fn evidence(out: &mut Html, label: &'static str, rows: &[EvidenceMove]) {
    if rows.is_empty() {
        return;
    }
    html!(out, "<dt>{}</dt>\n", label);
    for e in rows {
        html!(
            out,
            "<dd><span class=\"id\">{}</span> {}</dd>\n",
            e.practice,
            code(&e.locator)
        );
    }
}

fn gaps(out: &mut Html, label: &'static str, rows: &[GapMove]) {
    if rows.is_empty() {
        return;
    }
    html!(out, "<dt>{}</dt>\n", label);
    for g in rows {
        html!(
            out,
            "<dd>{} <span class=\"id\">{}</span>: {} → {}</dd>\n",
            g.name,
            g.practice,
            g.from.to_string(),
            g.to.to_string()
        );
    }
}
