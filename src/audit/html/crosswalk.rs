//! The crosswalk section of each profile: per mapping, the requirements the claimed levels
//! relate to and the evidence that cites each.

use super::Html;
use super::markup::html;
use crate::audit::model::{Crosswalk, CrosswalkRequirement};

pub(super) fn crosswalks(out: &mut Html, n: usize, crosswalks: &[Crosswalk]) {
    for (i, c) in crosswalks.iter().enumerate() {
        html!(
            out,
            "<div class=\"crosswalk\">\n<h3 id=\"p{}-crosswalk-{}\">Crosswalk: {} {}</h3>\n",
            n,
            i,
            c.framework,
            c.version
        );
        html!(
            out,
            "<p class=\"note\">{}Mapping <code>{}</code>. {} of the {} requirements it lists relate to the claimed levels; evidence cites {} of them.</p>\n",
            title(c),
            c.source,
            c.requirements.len(),
            c.listed,
            c.cited
        );
        if let Some(note) = &c.note {
            html!(out, "<p class=\"note\">{}</p>\n", note);
        }
        if c.requirements.is_empty() {
            out.push_raw("</div>\n");
            continue;
        }
        out.push_raw(
            "<table class=\"crosswalk\">\n<thead><tr><th scope=\"col\">Requirement</th>\
             <th scope=\"col\">Title</th><th scope=\"col\">Related by (practice, claimed ≥ level, role)</th>\
             <th scope=\"col\">Cited by evidence</th></tr></thead>\n<tbody>\n",
        );
        for r in &c.requirements {
            row(out, r);
        }
        out.push_raw("</tbody>\n</table>\n</div>\n");
    }
}

fn title(c: &Crosswalk) -> Html {
    let mut out = Html::new();
    if let Some(t) = &c.title {
        html!(out, "{}. ", t);
    }
    out
}

fn row(out: &mut Html, r: &CrosswalkRequirement) {
    let mut related = Html::new();
    for (i, rel) in r.related.iter().enumerate() {
        if i > 0 {
            related.push_raw("<br>");
        }
        html!(
            related,
            "{} ({} ≥ {}, {})",
            rel.name,
            rel.claimed,
            rel.level,
            rel.role
        );
    }
    let mut cited = Html::new();
    if r.cited_by.is_empty() {
        cited.push_raw("<span class=\"badge bad\">not cited</span>");
    }
    for (i, c) in r.cited_by.iter().enumerate() {
        if i > 0 {
            cited.push_raw("<br>");
        }
        html!(
            cited,
            "<code>{}</code> (<code>{}:{}</code>)",
            c.evidence,
            c.document,
            c.line
        );
    }
    html!(
        out,
        "<tr><td class=\"nowrap\"><code>{}</code></td><td>{}</td><td>{}</td><td class=\"wrap\">{}</td></tr>\n",
        r.id,
        r.title,
        related,
        cited
    );
}
