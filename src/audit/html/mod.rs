//! `report --format html`: one self-contained HTML5 page for an auditor, with a section per
//! profile: header, summary, charts, gap table, roadmap, findings and the evidence index.
//!
//! The page must work offline and as an archived file, so it has no JavaScript and loads
//! nothing: the stylesheet is inline and the charts are inline SVG drawn here. Meaning never
//! rests on colour alone: every bar has a text label and a scope pattern, and every badge says
//! what it means in words. A print stylesheet lays the page out on A4.
//!
//! Every string in the model comes from documents in pull requests. The page is built as
//! [`Html`], which takes text only escaped (see [`markup`]), so escaping does not depend on
//! each call site remembering it. The output depends on the report only (no clock, no hash-map
//! order): the same tree and `--today` give the same bytes.

pub(crate) mod charts;
mod crosswalk;
pub(crate) mod css;
pub(crate) mod markup;
mod page;
mod since;
mod tables;
#[cfg(test)]
mod tests;

use super::model::{LevelView, PracticeRow, ProfileReport, Report};
pub(crate) use markup::Html;
use markup::html;

/// Renders the whole report as one HTML page.
pub(crate) fn render(report: &Report) -> String {
    let mut out = Html::new();
    page::start(&mut out, report);
    for (index, profile) in report.profiles.iter().enumerate() {
        page::profile_section(&mut out, index + 1, profile, &report.generated);
    }
    page::end(&mut out, &report.generated);
    out.into_string()
}

/// An optional field, escaped, or a dash when it is absent.
fn opt(text: Option<&str>) -> Html {
    text.map_or_else(|| Html::raw("—"), Html::text)
}

/// A path or URL, escaped, with a line-break opportunity after each `/`: long paths then wrap
/// at their separators instead of widening the table or breaking mid-name.
fn path(text: &str) -> Html {
    let mut out = Html::new();
    for (i, part) in text.split('/').enumerate() {
        if i > 0 {
            out.push_raw("/<wbr>");
        }
        out.push_text(part);
    }
    out
}

/// `text` as `<code>`.
fn code(text: &str) -> Html {
    let mut out = Html::new();
    html!(out, "<code>{}</code>", text);
    out
}

fn level(view: Option<LevelView>) -> Html {
    view.map_or_else(|| Html::raw("—"), |v| Html::text(&v.to_string()))
}

/// A rollup; absent when no practice below it applies.
fn rollup_level(text: Option<&str>) -> Html {
    text.map_or_else(|| Html::raw("n/a"), Html::text)
}

fn practices(profile: &ProfileReport) -> impl Iterator<Item = &PracticeRow> {
    profile
        .domains
        .iter()
        .flat_map(|d| &d.subdomains)
        .flat_map(|s| &s.practices)
}
