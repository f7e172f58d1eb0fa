//! The tables: gaps, roadmap, findings, evidence, waivers and plans.

use super::markup::{Html, html};
use super::{level, opt, path, practices, rollup_level};
use crate::audit::model::{
    Counts, DomainReport, EvidenceRow, EvidenceStatus, FindingRow, Gap, PlanRow, PlanStatus,
    PracticeRow, ProfileReport, Rollup, WaiverRow,
};
use crate::text::plural;

// --- the gap table ----------------------------------------------------------------------------

pub(super) fn gap_table(out: &mut Html, n: usize, profile: &ProfileReport) {
    html!(
        out,
        "<h3 id=\"p{}-gaps\">Gap table</h3>\n<table class=\"gaps\">\n<thead>\n\
         <tr><th rowspan=\"2\" scope=\"col\" class=\"name\">Practice</th><th rowspan=\"2\" scope=\"col\">Target</th>\
         <th rowspan=\"2\" scope=\"col\">Current</th><th rowspan=\"2\" scope=\"col\">Gap</th>\
         <th rowspan=\"2\" scope=\"col\">Assessed</th>\
         <th rowspan=\"2\" scope=\"col\" class=\"num\">Evidence ok / total</th>\
         <th colspan=\"3\" scope=\"colgroup\" class=\"center\">Findings</th></tr>\n\
         <tr><th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\" class=\"num\">Warnings</th>\
         <th scope=\"col\" class=\"num\">Infos</th></tr>\n</thead>\n",
        n
    );
    for domain in &profile.domains {
        domain_rows(out, domain);
    }
    out.push_raw("</table>\n");
}

/// One `<tbody>` per domain: a rollup row for the domain, then each subdomain's rollup row and
/// its practices.
fn domain_rows(out: &mut Html, domain: &DomainReport) {
    out.push_raw("<tbody>\n");
    rollup_row(out, "domain", "Domain", &domain.rollup);
    for subdomain in &domain.subdomains {
        rollup_row(out, "subdomain", "Subdomain", &subdomain.rollup);
        for practice in &subdomain.practices {
            practice_row(out, practice);
        }
    }
    out.push_raw("</tbody>\n");
}

fn rollup_row(out: &mut Html, class: &str, kind: &str, rollup: &Rollup) {
    html!(
        out,
        "<tr class=\"{}\"><th scope=\"row\"><span class=\"kind\">{}</span> {}</th>\
         <td>{}</td><td>{}</td><td colspan=\"6\"></td></tr>\n",
        class,
        kind,
        rollup.name,
        rollup_level(rollup.target.as_deref()),
        rollup_level(rollup.current.as_deref())
    );
}

fn practice_row(out: &mut Html, p: &PracticeRow) {
    let evidence_class = if p.evidence_ok < p.evidence_total {
        " short"
    } else {
        ""
    };
    html!(
        out,
        "<tr class=\"practice\"><th scope=\"row\">{} <span class=\"id\">{}</span></th>\
         <td>{}</td><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td>\
         <td class=\"num{}\">{} / {}</td>{}</tr>\n",
        p.name,
        p.id,
        level(p.target),
        if p.applicable {
            level(p.current)
        } else {
            Html::raw("n/a")
        },
        gap_badge(p),
        opt(p.assessed.as_deref()),
        evidence_class,
        p.evidence_ok,
        p.evidence_total,
        count_cells(&p.findings)
    );
}

pub(super) fn gap_badge(p: &PracticeRow) -> Html {
    // The symbol repeats what the words say, for a reader skimming the column.
    let (class, mark) = match p.gap {
        Gap::Met => ("good", "✓ "),
        Gap::Above => ("info", "▲ "),
        Gap::Below { .. } => ("bad", "▼ "),
        Gap::NoClaim => ("warn", ""),
        Gap::NotApplicable => ("muted", ""),
    };
    let mut out = Html::new();
    html!(
        out,
        "<span class=\"badge {}\">{}{}</span>",
        class,
        mark,
        p.gap.to_string()
    );
    if let Some(why) = p.rationale.as_deref().filter(|_| !p.applicable) {
        html!(out, " <span class=\"rationale\">{}</span>", why);
    }
    out
}

/// Errors, warnings and infos as three numeric cells; zeros are greyed so the others stand out.
fn count_cells(c: &Counts) -> Html {
    let mut out = Html::new();
    for (n, class) in [(c.errors, "err"), (c.warnings, "wrn"), (c.infos, "inf")] {
        if n == 0 {
            out.push_raw("<td class=\"num zero\">0</td>");
        } else {
            html!(out, "<td class=\"num {}\">{}</td>", class, n);
        }
    }
    out
}

// --- the roadmap ------------------------------------------------------------------------------

/// Plan rows by due date (undated last), then by practice and place, so the order is stable.
fn sorted_plan(rows: &[PlanRow]) -> Vec<&PlanRow> {
    let mut sorted: Vec<&PlanRow> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        (a.due.is_none(), &a.due, &a.practice, &a.document, a.line).cmp(&(
            b.due.is_none(),
            &b.due,
            &b.practice,
            &b.document,
            b.line,
        ))
    });
    sorted
}

fn plan_badge(status: PlanStatus) -> Html {
    let (class, text) = match status {
        PlanStatus::Overdue => ("bad", "Overdue"),
        PlanStatus::Done => ("good", "done"),
        PlanStatus::DueSoon => ("warn", "Due within 90 days"),
        PlanStatus::Later => ("muted", "Later"),
    };
    let mut out = Html::new();
    html!(out, "<span class=\"badge {}\">{}</span>", class, text);
    out
}

pub(super) fn roadmap(out: &mut Html, n: usize, rows: &[PlanRow]) {
    html!(out, "<h3 id=\"p{}-roadmap\">Roadmap</h3>\n", n);
    if rows.is_empty() {
        out.push_raw("<p class=\"note\">No plan items.</p>\n");
        return;
    }
    out.push_raw(
        "<table class=\"roadmap\">\n<thead><tr><th scope=\"col\">Due</th>\
         <th scope=\"col\">Status</th><th scope=\"col\">Practice</th><th scope=\"col\">Level</th>\
         <th scope=\"col\">Action</th><th scope=\"col\">Owner</th><th scope=\"col\">Source</th>\
         </tr></thead>\n<tbody>\n",
    );
    for row in sorted_plan(rows) {
        html!(
            out,
            "<tr><td class=\"nowrap\">{}</td><td>{}</td><th scope=\"row\">{} \
             <span class=\"id\">{}</span></th><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"wrap\"><code>{}:{}</code></td></tr>\n",
            opt(row.due.as_deref()),
            plan_badge(row.status),
            row.name,
            row.practice,
            opt(row.level.as_deref()),
            opt(row.action.as_deref()),
            opt(row.owner.as_deref()),
            path(&row.document),
            row.line
        );
    }
    out.push_raw("</tbody>\n</table>\n");
}

// --- findings ---------------------------------------------------------------------------------

pub(super) fn findings(out: &mut Html, n: usize, profile: &ProfileReport) {
    html!(
        out,
        "<h3 id=\"p{}-findings\">Findings per practice</h3>\n",
        n
    );
    let all: Vec<&PracticeRow> = practices(profile).collect();
    let with: Vec<&PracticeRow> = all.iter().copied().filter(|p| p.findings.any()).collect();
    html!(
        out,
        "<p class=\"note\">Open findings from <code>check</code> (waived ones not counted). \
         {} without findings.</p>\n",
        plural(all.len() - with.len(), "practice", "practices")
    );
    out.push_raw(
        "<table class=\"findings\">\n<thead><tr><th scope=\"col\">Practice</th>\
         <th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\" class=\"num\">Warnings</th>\
         <th scope=\"col\" class=\"num\">Infos</th></tr></thead>\n<tbody>\n",
    );
    for p in with {
        html!(
            out,
            "<tr><th scope=\"row\">{} <span class=\"id\">{}</span></th>{}</tr>\n",
            p.name,
            p.id,
            count_cells(&p.findings)
        );
    }
    html!(
        out,
        "</tbody>\n<tfoot><tr><th scope=\"row\">All documents of the profile</th>{}</tr></tfoot>\n\
         </table>\n",
        count_cells(&profile.findings)
    );
}

pub(super) fn finding_list(out: &mut Html, rows: &[FindingRow]) {
    if rows.is_empty() {
        out.push_raw("<p class=\"note\">No findings.</p>\n");
        return;
    }
    out.push_raw(
        "<table class=\"finding-list\">\n<thead><tr><th scope=\"col\">Severity</th>\
         <th scope=\"col\">Rule</th><th scope=\"col\">Message</th><th scope=\"col\">Where</th>\
         <th scope=\"col\">Waived</th></tr></thead>\n<tbody>\n",
    );
    for f in rows {
        let waived = match f.waived.as_deref() {
            Some(why) => {
                let mut out = Html::new();
                html!(out, "yes: {}", why);
                out
            }
            None => Html::raw("no"),
        };
        html!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td>\
             <td class=\"wrap\"><code>{}:{}</code></td><td>{}</td></tr>\n",
            f.severity,
            f.rule,
            f.message,
            path(&f.document),
            f.line,
            waived
        );
    }
    out.push_raw("</tbody>\n</table>\n");
}

// --- the evidence index -----------------------------------------------------------------------

fn evidence_badge(status: EvidenceStatus) -> Html {
    use EvidenceStatus as S;
    let class = match status {
        S::Ok | S::Reachable => "good",
        S::Stale | S::UncheckedUrl | S::Unknown => "warn",
        S::Missing | S::AnchorMissing | S::OutsideRepo | S::Changed | S::Unreachable => "bad",
    };
    let mut out = Html::new();
    html!(
        out,
        "<span class=\"badge {}\">{}</span>",
        class,
        status.label()
    );
    out
}

/// The index has thirteen columns, too many for portrait A4: its wrapper prints on landscape
/// pages of its own.
pub(super) fn evidence_index(out: &mut Html, n: usize, rows: &[EvidenceRow]) {
    html!(
        out,
        "<div class=\"evidence-index\">\n<h3 id=\"p{}-evidence\">Evidence index</h3>\n",
        n
    );
    if rows.is_empty() {
        out.push_raw("<p class=\"note\">No evidence is cited.</p>\n</div>\n");
        return;
    }
    out.push_raw(
        "<table class=\"evidence\">\n<thead><tr><th scope=\"col\">Profile</th>\
         <th scope=\"col\">Practice</th><th scope=\"col\">Claimed</th><th scope=\"col\">Kind</th>\
         <th scope=\"col\">Path or URL</th><th scope=\"col\">Anchor</th>\
         <th scope=\"col\">Reviewed</th><th scope=\"col\" class=\"num\">Age (days)</th>\
         <th scope=\"col\">Standard</th><th scope=\"col\">Pin</th><th scope=\"col\">Status</th>\
         <th scope=\"col\">Document</th><th scope=\"col\" class=\"num\">Line</th>\
         <th scope=\"col\">Waived</th></tr></thead>\n<tbody>\n",
    );
    for row in rows {
        evidence_row(out, row);
    }
    out.push_raw("</tbody>\n</table>\n</div>\n");
}

fn evidence_row(out: &mut Html, r: &EvidenceRow) {
    let age = r.age_days.map_or_else(|| "—".to_owned(), |d| d.to_string());
    html!(
        out,
        "<tr><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td><td>{}</td>\
         <td class=\"wrap\">{}</td><td class=\"wrap\">{}</td>\
         <td class=\"nowrap\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td>\
         <td class=\"wrap\"><code>{}</code></td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        r.profile,
        r.practice,
        opt(r.claimed.as_deref()),
        opt(r.kind.as_deref()),
        evidence_link(r),
        opt(r.anchor.as_deref()),
        opt(r.reviewed.as_deref()),
        age,
        opt(r.standard.as_deref()),
        r.pin.label(),
        evidence_badge(r.status),
        path(&r.document),
        r.line,
        if r.waived { "yes" } else { "no" }
    );
}

/// The evidence by its repository path, as a link to the file when it resolves; else as
/// written.
fn evidence_link(r: &EvidenceRow) -> Html {
    let mut out = Html::new();
    match (&r.repo_path, &r.href) {
        (Some(shown), Some(href)) if crate::audit::links::is_relative_href(href) => {
            html!(out, "<a href=\"{}\"><code>{}</code></a>", href, path(shown));
        }
        _ => html!(out, "<code>{}</code>", path(&r.target)),
    }
    out
}

// --- indicators, waivers and plans -----------------------------------------------------------

/// The claimed level's indicators, each with the evidence items that cite it, or marked.
pub(super) fn indicators(out: &mut Html, p: &PracticeRow) {
    let Some(level) = p.current.filter(|_| !p.indicators.is_empty()) else {
        return;
    };
    html!(
        out,
        "<table class=\"indicators\">\n<caption>Indicators of level {}</caption>\n\
         <thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">Cited by</th></tr></thead>\n<tbody>\n",
        level.level
    );
    for i in &p.indicators {
        let mut cited = Html::new();
        if i.covered {
            for (n, c) in i.cited_by.iter().enumerate() {
                if n > 0 {
                    cited.push_raw("<br>");
                }
                html!(
                    cited,
                    "<code>{}</code> <span class=\"where\"><code>{}:{}</code></span>",
                    c.evidence,
                    path(&c.document),
                    c.line
                );
            }
        } else {
            cited.push_raw("<span class=\"badge warn\">not cited</span>");
        }
        html!(
            out,
            "<tr><td><code>{}</code><br>{}</td><td class=\"wrap\">{}</td></tr>\n",
            i.id,
            i.text,
            cited
        );
    }
    out.push_raw("</tbody>\n</table>\n");
}

pub(super) fn waivers(out: &mut Html, rows: &[WaiverRow]) {
    out.push_raw(
        "<table class=\"waivers\">\n<thead><tr><th scope=\"col\">Waived rule</th>\
         <th scope=\"col\">Reason</th><th scope=\"col\">Expires</th>\
         <th scope=\"col\">State</th><th scope=\"col\">Where</th></tr></thead>\n<tbody>\n",
    );
    for w in rows {
        let rule = w
            .rule
            .as_deref()
            .map_or_else(|| Html::raw("—"), super::code);
        html!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td><td>{}</td>\
             <td class=\"wrap\"><code>{}:{}</code></td></tr>\n",
            rule,
            opt(w.reason.as_deref()),
            opt(w.expires.as_deref()),
            w.state.label(),
            path(&w.document),
            w.line
        );
    }
    out.push_raw("</tbody>\n</table>\n");
}

pub(super) fn plan(out: &mut Html, rows: &[PlanRow]) {
    if rows.is_empty() {
        return;
    }
    out.push_raw(
        "<table class=\"plan\">\n<thead><tr><th scope=\"col\">Plan level</th>\
         <th scope=\"col\">Due</th><th scope=\"col\">Status</th><th scope=\"col\">Owner</th>\
         <th scope=\"col\">Action</th></tr></thead>\n<tbody>\n",
    );
    for r in rows {
        html!(
            out,
            "<tr><td>{}</td><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            opt(r.level.as_deref()),
            opt(r.due.as_deref()),
            plan_badge(r.status),
            opt(r.owner.as_deref()),
            opt(r.action.as_deref())
        );
    }
    out.push_raw("</tbody>\n</table>\n");
}
