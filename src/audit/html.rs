//! `report --format html`: one self-contained HTML5 page for an auditor, with a section per
//! profile: header, summary, charts, gap table, roadmap, findings and the evidence index.
//!
//! The page must work offline and as an archived file, so it has no JavaScript and loads
//! nothing: the stylesheet is inline and the charts are inline SVG drawn here. Meaning never
//! rests on colour alone: every bar has a text label and a scope pattern, and every badge says
//! what it means in words. A print stylesheet lays the page out on A4.
//!
//! Every string in the model comes from documents in pull requests, so each one goes through
//! [`escape`] on its way out. The output depends on the report only (no clock, no hash-map
//! order): the same tree and `--today` give the same bytes.

use super::model::{
    Counts, DomainReport, EvidenceRow, EvidenceStatus, FindingRow, Gap, Generated, LevelText,
    LevelView, PlanRow, PlanStatus, PracticeRow, ProfileReport, Report, Rollup, WaiverRow,
};
use std::fmt::Write as _;

/// Appends formatted text to a `String`. Writing to a `String` cannot fail, so the
/// `fmt::Result` carries nothing and is dropped.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Renders the whole report as one HTML page.
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(128 * 1024);
    page_start(&mut out, report);
    for (index, profile) in report.profiles.iter().enumerate() {
        profile_section(&mut out, index + 1, profile, &report.generated);
    }
    page_end(&mut out, &report.generated);
    out
}

/// Escapes text for HTML element content and quoted attribute values (and SVG inside HTML).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An optional field, escaped, or a dash when it is absent.
fn opt(text: Option<&str>) -> String {
    text.map_or_else(|| "—".to_owned(), escape)
}

/// A path or URL, escaped, with a line-break opportunity after each `/`: long paths then wrap
/// at their separators instead of widening the table or breaking mid-name.
fn path(text: &str) -> String {
    escape(text).replace('/', "/<wbr>")
}

fn level(view: Option<LevelView>) -> String {
    view.map_or_else(|| "—".to_owned(), |v| escape(&v.to_string()))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// --- the page ---------------------------------------------------------------------------------

fn page_start(out: &mut String, report: &Report) {
    let ids: Vec<&str> = report.profiles.iter().map(|p| p.id.as_str()).collect();
    let title = if ids.is_empty() {
        "Security maturity report".to_owned()
    } else {
        format!("Security maturity report: {}", ids.join(", "))
    };
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"smm-lint {}\">\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<div class=\"page\">\n",
        escape(&report.generated.smm_lint),
        escape(&title),
    );
    w!(
        out,
        "<header class=\"page-header\">\n<h1>IoT Security Maturity Report</h1>\n\
         <p>{} · generated {} by smm-lint {}</p>\n</header>\n",
        plural(report.profiles.len(), "profile", "profiles"),
        escape(&report.generated.today),
        escape(&report.generated.smm_lint)
    );
    contents(out, report);
    if report.profiles.is_empty() {
        out.push_str("<p class=\"note\">No profile was found.</p>\n");
    }
}

/// Links to the profiles, when there is more than one to jump between.
fn contents(out: &mut String, report: &Report) {
    if report.profiles.len() < 2 {
        return;
    }
    out.push_str("<nav class=\"toc\" aria-label=\"Profiles\"><ul>\n");
    for (index, profile) in report.profiles.iter().enumerate() {
        let n = index + 1;
        w!(
            out,
            "<li><a href=\"#p{n}\">{}</a></li>\n",
            escape(&profile.id)
        );
    }
    out.push_str("</ul></nav>\n");
}

fn page_end(out: &mut String, generated: &Generated) {
    w!(
        out,
        "<footer class=\"page-footer\">\n<p>Comprehensiveness levels: 0 None, 1 Minimum, \
         2 Ad hoc, 3 Consistent, 4 Formalized. Scopes, from broadest to narrowest: general, \
         industry, system.</p>\n<p>{}</p>\n\
         <p>Generated {} by smm-lint {}.</p>\n</footer>\n</div>\n</body>\n</html>\n",
        with_code(crate::gap::ROLLUP_NOTE),
        escape(&generated.today),
        escape(&generated.smm_lint)
    );
}

/// Text with `code` spans, escaped, the spans as `<code>`.
fn with_code(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

/// A rollup, escaped; absent when no practice below it applies.
fn rollup_level(text: Option<&str>) -> String {
    text.map_or_else(|| "n/a".to_owned(), escape)
}

// --- one profile ------------------------------------------------------------------------------

/// `n` numbers the profile in the page (from 1). Element ids are built from it, never from the
/// profile id, which may hold any text.
fn profile_section(out: &mut String, n: usize, profile: &ProfileReport, generated: &Generated) {
    w!(
        out,
        "<section class=\"profile\" id=\"p{n}\" aria-labelledby=\"p{n}-h\">\n\
         <h2 id=\"p{n}-h\"><span class=\"eyebrow\">Profile</span>{}</h2>\n",
        escape(&profile.id)
    );
    profile_meta(out, profile, generated);
    summary_tiles(out, profile);
    overall_chart(out, n, profile);
    gap_table(out, n, profile);
    domain_charts(out, n, profile);
    roadmap(out, n, &profile.roadmap);
    findings(out, n, profile);
    profile_details(out, n, profile);
    practice_details(out, n, profile);
    evidence_index(out, n, &profile.evidence);
    out.push_str("</section>\n");
}

fn profile_meta(out: &mut String, profile: &ProfileReport, generated: &Generated) {
    let code = |text: &str| format!("<code>{}</code>", escape(text));
    let fields = [
        ("System", opt(profile.system.as_deref())),
        ("Industry", opt(profile.industry.as_deref())),
        ("Model", code(&profile.model)),
        (
            "Model file",
            profile
                .model_file
                .as_deref()
                .map_or_else(|| "—".to_owned(), code),
        ),
        ("Owner", opt(profile.owner.as_deref())),
        ("Commit", code(&profile.commit)),
        ("Profile document", code(&profile.path)),
        ("Report date", escape(&generated.today)),
        ("smm-lint", escape(&generated.smm_lint)),
    ];
    out.push_str("<dl class=\"meta\">\n");
    for (term, value) in fields {
        w!(out, "<div><dt>{term}</dt><dd>{value}</dd></div>\n");
    }
    out.push_str("</dl>\n");
}

fn practices(profile: &ProfileReport) -> impl Iterator<Item = &PracticeRow> {
    profile
        .domains
        .iter()
        .flat_map(|d| &d.subdomains)
        .flat_map(|s| &s.practices)
}

/// The figures an auditor looks at first, as a row of tiles.
fn summary_tiles(out: &mut String, profile: &ProfileReport) {
    let rows: Vec<&PracticeRow> = practices(profile).collect();
    let count = |of: fn(Gap) -> bool| rows.iter().filter(|p| of(p.gap)).count();
    let met = count(|g| matches!(g, Gap::Met | Gap::Above));
    let below = count(|g| matches!(g, Gap::Below { .. }));
    let no_claim = count(|g| g == Gap::NoClaim);
    let not_applicable = count(|g| g == Gap::NotApplicable);
    // A practice that does not apply is neither at nor below its target.
    let applicable = rows.len() - not_applicable;
    let ok: usize = rows.iter().map(|p| p.evidence_ok).sum();
    let total: usize = rows.iter().map(|p| p.evidence_total).sum();
    let overdue = profile
        .roadmap
        .iter()
        .filter(|r| r.status == PlanStatus::Overdue)
        .count();
    let f = &profile.findings;
    let tiles = [
        (
            format!("{met} / {applicable}"),
            "practices at or above target".to_owned(),
        ),
        (
            below.to_string(),
            format!("below target · {no_claim} without a claim · {not_applicable} not applicable"),
        ),
        (format!("{ok} / {total}"), "evidence items ok".to_owned()),
        (
            f.errors.to_string(),
            format!(
                "errors · {} · {}",
                plural(f.warnings, "warning", "warnings"),
                plural(f.infos, "info", "infos")
            ),
        ),
        (
            profile.roadmap.len().to_string(),
            format!("roadmap items · {overdue} overdue"),
        ),
    ];
    out.push_str("<div class=\"tiles\">\n");
    for (figure, label) in tiles {
        w!(
            out,
            "<p class=\"tile\"><span class=\"n\">{figure}</span> <span class=\"l\">{label}</span></p>\n"
        );
    }
    out.push_str("</div>\n");
}

// --- the gap table ----------------------------------------------------------------------------

fn gap_table(out: &mut String, n: usize, profile: &ProfileReport) {
    w!(
        out,
        "<h3 id=\"p{n}-gaps\">Gap table</h3>\n<table class=\"gaps\">\n<thead>\n\
         <tr><th rowspan=\"2\" scope=\"col\" class=\"name\">Practice</th><th rowspan=\"2\" scope=\"col\">Target</th>\
         <th rowspan=\"2\" scope=\"col\">Current</th><th rowspan=\"2\" scope=\"col\">Gap</th>\
         <th rowspan=\"2\" scope=\"col\">Assessed</th>\
         <th rowspan=\"2\" scope=\"col\" class=\"num\">Evidence ok / total</th>\
         <th colspan=\"3\" scope=\"colgroup\" class=\"center\">Findings</th></tr>\n\
         <tr><th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\" class=\"num\">Warnings</th>\
         <th scope=\"col\" class=\"num\">Infos</th></tr>\n</thead>\n"
    );
    for domain in &profile.domains {
        domain_rows(out, domain);
    }
    out.push_str("</table>\n");
}

/// One `<tbody>` per domain: a rollup row for the domain, then each subdomain's rollup row and
/// its practices.
fn domain_rows(out: &mut String, domain: &DomainReport) {
    out.push_str("<tbody>\n");
    rollup_row(out, "domain", "Domain", &domain.rollup);
    for subdomain in &domain.subdomains {
        rollup_row(out, "subdomain", "Subdomain", &subdomain.rollup);
        for practice in &subdomain.practices {
            practice_row(out, practice);
        }
    }
    out.push_str("</tbody>\n");
}

fn rollup_row(out: &mut String, class: &str, kind: &str, rollup: &Rollup) {
    w!(
        out,
        "<tr class=\"{class}\"><th scope=\"row\"><span class=\"kind\">{kind}</span> {}</th>\
         <td>{}</td><td>{}</td><td colspan=\"6\"></td></tr>\n",
        escape(&rollup.name),
        rollup_level(rollup.target.as_deref()),
        rollup_level(rollup.current.as_deref())
    );
}

fn practice_row(out: &mut String, p: &PracticeRow) {
    let evidence_class = if p.evidence_ok < p.evidence_total {
        " short"
    } else {
        ""
    };
    w!(
        out,
        "<tr class=\"practice\"><th scope=\"row\">{} <span class=\"id\">{}</span></th>\
         <td>{}</td><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td>\
         <td class=\"num{evidence_class}\">{} / {}</td>{}</tr>\n",
        escape(&p.name),
        escape(&p.id),
        level(p.target),
        if p.applicable {
            level(p.current)
        } else {
            "n/a".to_owned()
        },
        gap_badge(p),
        opt(p.assessed.as_deref()),
        p.evidence_ok,
        p.evidence_total,
        count_cells(&p.findings)
    );
}

fn gap_badge(p: &PracticeRow) -> String {
    // The symbol repeats what the words say, for a reader skimming the column.
    let (class, mark) = match p.gap {
        Gap::Met => ("good", "✓ "),
        Gap::Above => ("info", "▲ "),
        Gap::Below { .. } => ("bad", "▼ "),
        Gap::NoClaim => ("warn", ""),
        Gap::NotApplicable => ("muted", ""),
    };
    let badge = format!(
        "<span class=\"badge {class}\">{mark}{}</span>",
        escape(&p.gap.to_string())
    );
    match p.rationale.as_deref().filter(|_| !p.applicable) {
        Some(why) => format!("{badge} <span class=\"rationale\">{}</span>", escape(why)),
        None => badge,
    }
}

/// Errors, warnings and infos as three numeric cells; zeros are greyed so the others stand out.
fn count_cells(c: &Counts) -> String {
    let cell = |n: usize, class: &str| {
        if n == 0 {
            "<td class=\"num zero\">0</td>".to_owned()
        } else {
            format!("<td class=\"num {class}\">{n}</td>")
        }
    };
    format!(
        "{}{}{}",
        cell(c.errors, "err"),
        cell(c.warnings, "wrn"),
        cell(c.infos, "inf")
    )
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

fn plan_badge(status: PlanStatus) -> String {
    let (class, text) = match status {
        PlanStatus::Overdue => ("bad", "Overdue"),
        PlanStatus::Done => ("good", "done"),
        PlanStatus::DueSoon => ("warn", "Due within 90 days"),
        PlanStatus::Later => ("muted", "Later"),
    };
    format!("<span class=\"badge {class}\">{text}</span>")
}

fn roadmap(out: &mut String, n: usize, rows: &[PlanRow]) {
    w!(out, "<h3 id=\"p{n}-roadmap\">Roadmap</h3>\n");
    if rows.is_empty() {
        out.push_str("<p class=\"note\">No plan items.</p>\n");
        return;
    }
    out.push_str(
        "<table class=\"roadmap\">\n<thead><tr><th scope=\"col\">Due</th>\
         <th scope=\"col\">Status</th><th scope=\"col\">Practice</th><th scope=\"col\">Level</th>\
         <th scope=\"col\">Action</th><th scope=\"col\">Owner</th><th scope=\"col\">Source</th>\
         </tr></thead>\n<tbody>\n",
    );
    for row in sorted_plan(rows) {
        w!(
            out,
            "<tr><td class=\"nowrap\">{}</td><td>{}</td><th scope=\"row\">{} \
             <span class=\"id\">{}</span></th><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"wrap\"><code>{}:{}</code></td></tr>\n",
            opt(row.due.as_deref()),
            plan_badge(row.status),
            escape(&row.name),
            escape(&row.practice),
            opt(row.level.as_deref()),
            opt(row.action.as_deref()),
            opt(row.owner.as_deref()),
            path(&row.document),
            row.line
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

// --- findings ---------------------------------------------------------------------------------

fn findings(out: &mut String, n: usize, profile: &ProfileReport) {
    w!(out, "<h3 id=\"p{n}-findings\">Findings per practice</h3>\n");
    let all: Vec<&PracticeRow> = practices(profile).collect();
    let with: Vec<&PracticeRow> = all.iter().copied().filter(|p| p.findings.any()).collect();
    w!(
        out,
        "<p class=\"note\">Open findings from <code>check</code> (waived ones not counted). \
         {} without findings.</p>\n",
        plural(all.len() - with.len(), "practice", "practices")
    );
    out.push_str(
        "<table class=\"findings\">\n<thead><tr><th scope=\"col\">Practice</th>\
         <th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\" class=\"num\">Warnings</th>\
         <th scope=\"col\" class=\"num\">Infos</th></tr></thead>\n<tbody>\n",
    );
    for p in with {
        w!(
            out,
            "<tr><th scope=\"row\">{} <span class=\"id\">{}</span></th>{}</tr>\n",
            escape(&p.name),
            escape(&p.id),
            count_cells(&p.findings)
        );
    }
    w!(
        out,
        "</tbody>\n<tfoot><tr><th scope=\"row\">All documents of the profile</th>{}</tr></tfoot>\n\
         </table>\n",
        count_cells(&profile.findings)
    );
}

// --- the evidence index -----------------------------------------------------------------------

fn evidence_badge(status: EvidenceStatus) -> String {
    use EvidenceStatus as S;
    let class = match status {
        S::Ok | S::Reachable => "good",
        S::Stale | S::UncheckedUrl | S::Unknown => "warn",
        S::Missing | S::AnchorMissing | S::OutsideRepo | S::Changed | S::Unreachable => "bad",
    };
    format!("<span class=\"badge {class}\">{status}</span>")
}

/// The index has thirteen columns, too many for portrait A4: its wrapper prints on landscape
/// pages of its own.
fn evidence_index(out: &mut String, n: usize, rows: &[EvidenceRow]) {
    w!(
        out,
        "<div class=\"evidence-index\">\n<h3 id=\"p{n}-evidence\">Evidence index</h3>\n"
    );
    if rows.is_empty() {
        out.push_str("<p class=\"note\">No evidence is cited.</p>\n</div>\n");
        return;
    }
    out.push_str(
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
    out.push_str("</tbody>\n</table>\n</div>\n");
}

fn evidence_row(out: &mut String, r: &EvidenceRow) {
    let age = r.age_days.map_or_else(|| "—".to_owned(), |d| d.to_string());
    w!(
        out,
        "<tr><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td><td>{}</td>\
         <td class=\"wrap\">{}</td><td class=\"wrap\">{}</td>\
         <td class=\"nowrap\">{}</td><td class=\"num\">{age}</td><td>{}</td><td>{}</td><td>{}</td>\
         <td class=\"wrap\"><code>{}</code></td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        escape(&r.profile),
        escape(&r.practice),
        opt(r.claimed.as_deref()),
        opt(r.kind.as_deref()),
        evidence_link(r),
        opt(r.anchor.as_deref()),
        opt(r.reviewed.as_deref()),
        opt(r.standard.as_deref()),
        r.pin,
        evidence_badge(r.status),
        path(&r.document),
        r.line,
        if r.waived { "yes" } else { "no" }
    );
}

/// The evidence by its repository path, as a link to the file when it resolves; else as
/// written.
fn evidence_link(r: &EvidenceRow) -> String {
    match (&r.repo_path, &r.href) {
        (Some(shown), Some(href)) => format!(
            "<a href=\"{}\"><code>{}</code></a>",
            escape(href),
            path(shown)
        ),
        _ => format!("<code>{}</code>", path(&r.target)),
    }
}

// --- details: narratives, findings, waivers, plans ----------------------------------------

fn narrative_block(out: &mut String, text: Option<&str>, links: &super::model::NarrativeLinks) {
    if let Some(text) = text {
        let base = super::narrative::LinkBase {
            prefix: links.base.as_deref(),
            climb: links.climb,
        };
        w!(
            out,
            "<div class=\"narrative\">\n{}</div>\n",
            super::narrative::render(text, base)
        );
    }
}

fn profile_details(out: &mut String, n: usize, profile: &ProfileReport) {
    if profile.narrative.is_none()
        && profile.waivers.is_empty()
        && profile.other_findings.is_empty()
    {
        return;
    }
    w!(out, "<h3 id=\"p{n}-narrative\">Profile</h3>\n");
    narrative_block(out, profile.narrative.as_deref(), &profile.links);
    if !profile.waivers.is_empty() {
        out.push_str("<h4>Waivers of the profile document</h4>\n");
        waiver_table(out, &profile.waivers);
    }
    if !profile.other_findings.is_empty() {
        out.push_str(
            "<h4>Other findings</h4>\n<p class=\"note\">On documents that no practice section \
             shows: the profile document, duplicates, unknown ids.</p>\n",
        );
        finding_table(out, &profile.other_findings);
    }
}

fn practice_details(out: &mut String, n: usize, profile: &ProfileReport) {
    w!(out, "<h3 id=\"p{n}-practices\">Practices</h3>\n");
    for (i, p) in practices(profile).enumerate() {
        w!(
            out,
            "<article class=\"practice\" id=\"p{n}-practice-{i}\">\n<h4>{} \
             <span class=\"id\">{}</span> {}</h4>\n",
            escape(&p.name),
            escape(&p.id),
            gap_badge(p)
        );
        let document = p.document.as_deref().map_or_else(
            || "no document".to_owned(),
            |d| format!("<code>{}</code>", path(d)),
        );
        let mut fields = vec![
            ("Document", document),
            ("Assessor", opt(p.assessor.as_deref())),
            ("Assessed", opt(p.assessed.as_deref())),
            (
                "Target",
                level_text(p.target, p.target_description.as_ref()),
            ),
            (
                "Current",
                level_text(p.current, p.current_description.as_ref()),
            ),
        ];
        if !p.applicable {
            fields.push(("Not applicable because", opt(p.rationale.as_deref())));
        }
        out.push_str("<dl class=\"practice-meta\">\n");
        for (term, value) in fields {
            w!(out, "<div><dt>{term}</dt><dd>{value}</dd></div>\n");
        }
        out.push_str("</dl>\n");
        finding_table(out, &p.finding_list);
        if !p.waivers.is_empty() {
            waiver_table(out, &p.waivers);
        }
        plan_table(out, &p.plan);
        narrative_block(out, p.narrative.as_deref(), &p.links);
        out.push_str("</article>\n");
    }
}

fn level_text(view: Option<LevelView>, text: Option<&LevelText>) -> String {
    let mut out = level(view);
    if let Some(t) = text {
        w!(
            out,
            " — <strong>{}</strong>: {}",
            escape(&t.name),
            escape(&t.meaning)
        );
        if let Some(action) = &t.action {
            w!(
                out,
                " <span class=\"action\">At this level: {}</span>",
                escape(action)
            );
        }
    }
    out
}

fn finding_table(out: &mut String, rows: &[FindingRow]) {
    if rows.is_empty() {
        out.push_str("<p class=\"note\">No findings.</p>\n");
        return;
    }
    out.push_str(
        "<table class=\"finding-list\">\n<thead><tr><th scope=\"col\">Severity</th>\
         <th scope=\"col\">Rule</th><th scope=\"col\">Message</th><th scope=\"col\">Where</th>\
         <th scope=\"col\">Waived</th></tr></thead>\n<tbody>\n",
    );
    for f in rows {
        w!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td>\
             <td class=\"wrap\"><code>{}:{}</code></td><td>{}</td></tr>\n",
            escape(&f.severity),
            escape(&f.rule),
            escape(&f.message),
            path(&f.document),
            f.line,
            f.waived
                .as_deref()
                .map_or_else(|| "no".to_owned(), |w| format!("yes: {}", escape(w)))
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn waiver_table(out: &mut String, rows: &[WaiverRow]) {
    out.push_str(
        "<table class=\"waivers\">\n<thead><tr><th scope=\"col\">Waived rule</th>\
         <th scope=\"col\">Reason</th><th scope=\"col\">Expires</th>\
         <th scope=\"col\">State</th><th scope=\"col\">Where</th></tr></thead>\n<tbody>\n",
    );
    for w in rows {
        w!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td><td>{}</td>\
             <td class=\"wrap\"><code>{}:{}</code></td></tr>\n",
            w.rule
                .as_deref()
                .map_or_else(|| "—".to_owned(), |r| format!("<code>{}</code>", escape(r))),
            opt(w.reason.as_deref()),
            opt(w.expires.as_deref()),
            w.state,
            path(&w.document),
            w.line
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn plan_table(out: &mut String, rows: &[PlanRow]) {
    if rows.is_empty() {
        return;
    }
    out.push_str(
        "<table class=\"plan\">\n<thead><tr><th scope=\"col\">Plan level</th>\
         <th scope=\"col\">Due</th><th scope=\"col\">Status</th><th scope=\"col\">Owner</th>\
         <th scope=\"col\">Action</th></tr></thead>\n<tbody>\n",
    );
    for r in rows {
        w!(
            out,
            "<tr><td>{}</td><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            opt(r.level.as_deref()),
            opt(r.due.as_deref()),
            plan_badge(r.status),
            opt(r.owner.as_deref()),
            opt(r.action.as_deref())
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

// --- charts -----------------------------------------------------------------------------------

/// The geometry of a bar chart, in SVG user units (about CSS pixels at full width).
#[derive(Debug, Clone, Copy)]
struct Layout {
    width: u32,
    /// Where level 0 is; in the overall chart the practice names sit left of it.
    x0: u32,
    /// Width of one level.
    unit: u32,
    /// True: names in a column left of the bars; false: each name above its bars (narrow
    /// charts, where a name column would leave no room for the bars).
    names_left: bool,
    /// Characters per line of a practice name before it wraps.
    wrap: usize,
    /// True: a heading row per domain (the overall chart).
    domain_rows: bool,
}

impl Layout {
    /// Level names under the numbers on the axis: only where a level is wide enough for them.
    fn tick_names(self) -> bool {
        self.unit >= 100
    }

    /// Height of the axis band above the bars.
    fn axis(self) -> u32 {
        if self.tick_names() { 36 } else { 22 }
    }
}

const OVERALL: Layout = Layout {
    width: 1120,
    x0: 370,
    unit: 150,
    names_left: true,
    wrap: 50,
    domain_rows: true,
};

const SMALL: Layout = Layout {
    width: 370,
    x0: 24,
    unit: 54,
    names_left: false,
    wrap: 50,
    domain_rows: false,
};

const BAR: u32 = 13;
const BAR_GAP: u32 = 3;
const ROW_PAD: u32 = 12;
const LINE: u32 = 15;
const DOMAIN_ROW: u32 = 30;
const LEVEL_NAMES: [&str; 5] = ["None", "Minimum", "Ad hoc", "Consistent", "Formalized"];

/// Bar colours: light with a dark outline for the target, dark for the current state. They
/// differ in lightness as well as hue, so they stay apart in grey print and for colour-blind
/// readers; the labels and the order (target above current) carry the same meaning in text.
const TARGET_FILL: &str = "#d3e2f2";
const TARGET_INK: &str = "#2a5b8c";
const CURRENT_FILL: &str = "#c25a12";
const CURRENT_INK: &str = "#7a3508";
const KEY_FILL: &str = "#e3e7ec";
const KEY_INK: &str = "#4a5565";

/// A chart to draw: its ids are unique in the page, its title is plain text (escaped on
/// output) and its practices come grouped by domain.
struct Chart<'a> {
    id: String,
    title: String,
    domains: Vec<&'a DomainReport>,
    layout: Layout,
}

/// One row of a chart: a domain's heading, or a practice with its name wrapped into lines.
enum Row<'a> {
    Domain(&'a Rollup),
    Practice(&'a PracticeRow, Vec<String>),
}

fn overall_chart(out: &mut String, n: usize, profile: &ProfileReport) {
    w!(
        out,
        "<h3 id=\"p{n}-chart\">Target versus current, per practice</h3>\n<figure class=\"chart overall\">\n"
    );
    let chart = Chart {
        id: format!("p{n}-all"),
        title: format!(
            "Target versus current comprehensiveness per practice, profile {}",
            profile.id
        ),
        domains: profile.domains.iter().collect(),
        layout: OVERALL,
    };
    svg_chart(out, &chart);
    out.push_str("</figure>\n");
}

fn domain_charts(out: &mut String, n: usize, profile: &ProfileReport) {
    w!(
        out,
        "<h3 id=\"p{n}-domains\">By domain</h3>\n<div class=\"domain-charts\">\n"
    );
    for (index, domain) in profile.domains.iter().enumerate() {
        let r = &domain.rollup;
        w!(
            out,
            "<figure class=\"chart small\">\n<figcaption>{}<span class=\"rollup\">target {} · \
             current {}</span></figcaption>\n",
            escape(&r.name),
            rollup_level(r.target.as_deref()),
            rollup_level(r.current.as_deref())
        );
        let chart = Chart {
            id: format!("p{n}-d{}", index + 1),
            title: format!(
                "{}: target versus current comprehensiveness per practice",
                r.name
            ),
            domains: vec![domain],
            layout: SMALL,
        };
        svg_chart(out, &chart);
        out.push_str("</figure>\n");
    }
    out.push_str("</div>\n");
}

/// Greedy word wrap; a single word longer than `width` gets a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn chart_rows<'a>(chart: &Chart<'a>) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for domain in &chart.domains {
        if chart.layout.domain_rows {
            rows.push(Row::Domain(&domain.rollup));
        }
        for practice in domain.subdomains.iter().flat_map(|s| &s.practices) {
            rows.push(Row::Practice(
                practice,
                wrap(&practice.name, chart.layout.wrap),
            ));
        }
    }
    rows
}

fn row_height(row: &Row<'_>, layout: Layout) -> u32 {
    let bars = 2 * BAR + BAR_GAP;
    match row {
        Row::Domain(_) => DOMAIN_ROW,
        Row::Practice(_, lines) if layout.names_left => {
            bars.max(LINE * units(lines.len())) + ROW_PAD
        }
        Row::Practice(_, lines) => LINE * units(lines.len()) + 3 + bars + ROW_PAD,
    }
}

/// A count of lines or characters as SVG units. Counts here are small; capping them keeps the
/// arithmetic on coordinates far from overflow whatever a document holds.
fn units(n: usize) -> u32 {
    u32::try_from(n).map_or(10_000, |n| n.min(10_000))
}

/// Height of the legend band above the axis: the narrow chart puts its legend on two lines.
fn legend_height(layout: Layout) -> u32 {
    if layout.names_left { 30 } else { 50 }
}

/// Height of the band below the bars: level numbers and the axis title.
const AXIS_BELOW: u32 = 36;

fn svg_chart(out: &mut String, chart: &Chart<'_>) {
    let layout = chart.layout;
    let rows = chart_rows(chart);
    let top = legend_height(layout) + layout.axis();
    let body: u32 = rows.iter().map(|r| row_height(r, layout)).sum();
    let height = top + body + AXIS_BELOW;
    let id = &chart.id;
    w!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" class=\"bars\" \
         font-size=\"12\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        escape(&chart.title),
        escape(&chart_desc(&rows)),
        w = layout.width,
    );
    patterns(out, id);
    legend(out, id, layout);
    axis(out, layout, legend_height(layout), top + body);
    let mut y = top;
    for row in &rows {
        match row {
            Row::Domain(rollup) => domain_heading(out, layout, y, rollup),
            Row::Practice(practice, lines) => practice_bars(out, id, layout, y, practice, lines),
        }
        y += row_height(row, layout);
    }
    out.push_str("</svg>\n");
}

/// The chart's data in words, for screen readers and for anyone who cannot see the bars.
fn chart_desc(rows: &[Row<'_>]) -> String {
    let mut desc = String::from(
        "Grouped horizontal bars, two per practice: the upper bar is the target, the lower bar \
         the current state. Bar length is the comprehensiveness level from 0 to 4; the fill \
         pattern is the scope (solid: general, hatched: industry, cross-hatched: system); each \
         bar is labelled with its level and scope.",
    );
    for row in rows {
        if let Row::Practice(p, _) = row {
            w!(
                desc,
                " {}: target {}, current {}, {}.",
                p.name,
                describe(p.target, "none"),
                describe(p.current, current_missing(p)),
                p.gap
            );
        }
    }
    desc
}

fn describe(view: Option<LevelView>, missing: &str) -> String {
    view.map_or_else(|| missing.to_owned(), |v| v.to_string())
}

fn current_missing(p: &PracticeRow) -> &'static str {
    if p.applicable {
        "no claim"
    } else {
        "not applicable"
    }
}

/// Hatch patterns for the scopes, per bar kind. Each chart has its own, under ids prefixed
/// with the chart's, so a chart never depends on another one's definitions.
fn patterns(out: &mut String, id: &str) {
    out.push_str("<defs>\n");
    for (kind, fill, ink) in [
        ("t", TARGET_FILL, TARGET_INK),
        ("c", CURRENT_FILL, "#ffffff"),
        ("k", KEY_FILL, KEY_INK),
    ] {
        w!(
            out,
            "<pattern id=\"{id}-{kind}-industry\" patternUnits=\"userSpaceOnUse\" width=\"6\" \
             height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" \
             fill=\"{fill}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{ink}\" \
             stroke-width=\"2.2\"/></pattern>\n\
             <pattern id=\"{id}-{kind}-system\" patternUnits=\"userSpaceOnUse\" width=\"6\" \
             height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" \
             fill=\"{fill}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{ink}\" \
             stroke-width=\"1.6\"/><line x1=\"0\" y1=\"0\" x2=\"6\" y2=\"0\" stroke=\"{ink}\" \
             stroke-width=\"1.6\"/></pattern>\n"
        );
    }
    out.push_str("</defs>\n");
}

/// The paint for a bar: `kind` is `t` (target), `c` (current) or `k` (legend key). General
/// scope is a plain fill; industry and system are the hatch patterns.
fn paint(id: &str, kind: &str, scope: &str) -> String {
    let plain = match kind {
        "t" => TARGET_FILL,
        "c" => CURRENT_FILL,
        _ => KEY_FILL,
    };
    match scope {
        "industry" | "system" => format!("url(#{id}-{kind}-{scope})"),
        _ => plain.to_owned(),
    }
}

fn ink(kind: &str) -> &'static str {
    match kind {
        "t" => TARGET_INK,
        "c" => CURRENT_INK,
        _ => KEY_INK,
    }
}

fn legend(out: &mut String, id: &str, layout: Layout) {
    let second_line = !layout.names_left;
    let (mut x, mut y) = (
        layout.x0.saturating_sub(if second_line { 20 } else { 0 }),
        8,
    );
    let start = x;
    out.push_str("<g class=\"legend\" aria-hidden=\"true\">\n");
    let items: [(&str, &str, &str); 5] = [
        ("t", "general", "Target (upper bar)"),
        ("c", "general", "Current (lower bar)"),
        ("k", "general", "general"),
        ("k", "industry", "industry"),
        ("k", "system", "system"),
    ];
    for (index, (kind, scope, label)) in items.into_iter().enumerate() {
        if index == 2 {
            if second_line {
                (x, y) = (start, y + 20);
            } else {
                x += 16;
            }
            w!(
                out,
                "<text x=\"{x}\" y=\"{}\" class=\"k\">Scope:</text>\n",
                y + 11
            );
            x += 46;
        }
        w!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"22\" height=\"13\" fill=\"{}\" stroke=\"{}\"/>\
             <text x=\"{}\" y=\"{}\">{label}</text>\n",
            paint(id, kind, scope),
            ink(kind),
            x + 28,
            y + 11
        );
        x += 28 + 7 * units(label.len()) + 18;
    }
    out.push_str("</g>\n");
}

/// Grid lines at each level, with the level numbers and names above and below the bars.
fn axis(out: &mut String, layout: Layout, top: u32, bottom: u32) {
    out.push_str("<g class=\"axis\" aria-hidden=\"true\">\n");
    for (lvl, name) in LEVEL_NAMES.iter().enumerate() {
        let x = layout.x0 + layout.unit * units(lvl);
        let stroke = if lvl == 0 { "#6b7482" } else { "#d3d9e0" };
        w!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{bottom}\" stroke=\"{stroke}\"/>\n\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" class=\"tick\">{lvl}</text>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" class=\"tick\">{lvl}</text>\n",
            top + layout.axis() - 4,
            top + 13,
            bottom + 16
        );
        if layout.tick_names() {
            w!(
                out,
                "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" class=\"tickname\">{name}</text>\n",
                top + 27
            );
        }
    }
    let middle = layout.x0 + layout.unit * 2;
    w!(
        out,
        "<text x=\"{middle}\" y=\"{}\" text-anchor=\"middle\" class=\"k\">Comprehensiveness \
         level</text>\n</g>\n",
        bottom + 31
    );
}

/// The heading may run across the grid lines: a white halo drawn under the glyphs
/// (`paint-order`) keeps it readable.
fn domain_heading(out: &mut String, layout: Layout, y: u32, rollup: &Rollup) {
    w!(
        out,
        "<line x1=\"0\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#b9c3d0\"/>\
         <text x=\"0\" y=\"{}\" class=\"dom\" stroke=\"#ffffff\" stroke-width=\"4\" \
         paint-order=\"stroke\" stroke-linejoin=\"round\">{} <tspan class=\"k\" font-weight=\"400\">· target {} · \
         current {}</tspan></text>\n",
        y + 3,
        layout.width,
        y + 3,
        y + 21,
        escape(&rollup.name),
        rollup_level(rollup.target.as_deref()),
        rollup_level(rollup.current.as_deref())
    );
}

fn practice_bars(
    out: &mut String,
    id: &str,
    layout: Layout,
    y: u32,
    p: &PracticeRow,
    lines: &[String],
) {
    w!(
        out,
        "<g class=\"practice\" data-practice=\"{}\">\n",
        escape(&p.id)
    );
    let bars_top = practice_name(out, layout, y, lines);
    bar(out, id, layout, bars_top, p, "t", p.target);
    bar(out, id, layout, bars_top + BAR + BAR_GAP, p, "c", p.current);
    out.push_str("</g>\n");
}

/// Writes the name and returns where the bars start: beside the name in the overall chart,
/// below it in the narrow ones.
fn practice_name(out: &mut String, layout: Layout, y: u32, lines: &[String]) -> u32 {
    let count = units(lines.len());
    if layout.names_left {
        let bars = 2 * BAR + BAR_GAP;
        let block = bars.max(LINE * count);
        // Centre the name's lines on the pair of bars; 4 lifts the baseline to mid-height.
        let first = y + block / 2 + 4 - (LINE * (count - 1)) / 2;
        text_lines(out, layout.x0 - 12, first, "end", lines);
        y + (block - bars) / 2
    } else {
        text_lines(out, layout.x0 - 20, y + 12, "start", lines);
        y + LINE * count + 3
    }
}

fn text_lines(out: &mut String, x: u32, first: u32, anchor: &str, lines: &[String]) {
    w!(
        out,
        "<text x=\"{x}\" y=\"{first}\" text-anchor=\"{anchor}\" class=\"name\">"
    );
    for (index, line) in lines.iter().enumerate() {
        let dy = if index == 0 { 0 } else { LINE };
        w!(out, "<tspan x=\"{x}\" dy=\"{dy}\">{}</tspan>", escape(line));
    }
    out.push_str("</text>\n");
}

/// One bar with its label. A missing level draws an empty bar (so every practice has its pair)
/// and says why in the label.
fn bar(
    out: &mut String,
    id: &str,
    layout: Layout,
    y: u32,
    p: &PracticeRow,
    kind: &str,
    view: Option<LevelView>,
) {
    let (role, missing) = if kind == "t" {
        ("target", "none")
    } else {
        ("current", current_missing(p))
    };
    let width = view.map_or(0, |v| layout.unit * u32::from(v.level.min(4)));
    let scope = view.map_or("general", |v| v.scope.name());
    let value = describe(view, missing);
    w!(
        out,
        "<rect class=\"bar {role}\" x=\"{}\" y=\"{y}\" width=\"{width}\" height=\"{BAR}\" \
         fill=\"{}\" stroke=\"{}\"><title>{}: {role} {}</title></rect>\
         <text x=\"{}\" y=\"{}\" class=\"v\"><tspan class=\"k\">{role}</tspan> {}</text>\n",
        layout.x0,
        paint(id, kind, scope),
        ink(kind),
        escape(&p.name),
        escape(&value),
        layout.x0 + width + 6,
        y + BAR - 2,
        escape(&value)
    );
}

// --- the stylesheet ---------------------------------------------------------------------------

/// Inline, so the file stands alone. System fonts only: nothing is fetched.
const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f5; color: #1b2330;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", "DejaVu Sans", sans-serif; }
.page { max-width: 1220px; margin: 0 auto; padding: 22px 24px 40px; }
.page-header { display: flex; flex-wrap: wrap; justify-content: space-between;
  align-items: baseline; gap: 4px 24px; border-bottom: 3px solid #1f3a5f;
  padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 24px; margin: 0; color: #1f3a5f; }
.page-header p { margin: 0; color: #4a5565; }
nav.toc ul { list-style: none; display: flex; flex-wrap: wrap; gap: 8px 18px; padding: 0;
  margin: 0 0 18px; }
section.profile { background: #fff; border: 1px solid #d3d9e0; border-radius: 6px;
  padding: 22px 28px 28px; margin-bottom: 28px; }
h2 { font-size: 24px; margin: 0; color: #1b2330; }
h2 .eyebrow { display: block; font-size: 12px; font-weight: 600; letter-spacing: .08em;
  text-transform: uppercase; color: #5b6676; }
h3 { font-size: 17px; color: #1f3a5f; margin: 30px 0 10px; padding-bottom: 5px;
  border-bottom: 1px solid #d3d9e0; }
dl.meta { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px 24px;
  margin: 14px 0 0; }
dl.meta div { min-width: 0; }
dl.meta dt { font-size: 12px; font-weight: 600; color: #5b6676; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas,
  monospace; font-size: 12.5px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr));
  gap: 12px; margin: 18px 0 0; }
.tile { margin: 0; border: 1px solid #d3d9e0; border-left: 4px solid #2a5b8c;
  border-radius: 4px; padding: 8px 12px; }
.tile .n { display: block; font-size: 22px; font-weight: 700; line-height: 1.2; }
.tile .l { font-size: 12.5px; color: #4a5565; }
figure { margin: 0; }
figure.chart svg { display: block; width: 100%; height: auto; }
figure.overall svg { max-width: 1120px; }
svg.bars text { fill: #1b2330; }
svg.bars .k { fill: #5b6676; }
svg.bars .name { font-size: 13px; }
svg.bars .dom { font-size: 13.5px; font-weight: 700; fill: #1f3a5f; }
svg.bars .tick { font-weight: 700; }
svg.bars .tickname { font-size: 11px; fill: #5b6676; }
.domain-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
  gap: 16px; }
.domain-charts figure { border: 1px solid #d3d9e0; border-radius: 4px; padding: 10px 12px; }
figcaption { font-weight: 700; color: #1f3a5f; margin-bottom: 6px; }
figcaption .rollup { display: block; font-weight: 400; color: #4a5565; font-size: 13px; }
.rationale { display: block; margin-top: 2px; font-size: 12px; color: #4a5565; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px;
  border-bottom: 1px solid #e2e6eb; }
thead th { background: #eef2f7; border-bottom: 2px solid #b9c3d0; font-weight: 600;
  vertical-align: bottom; }
tbody th { font-weight: 400; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.center { text-align: center; }
.nowrap { white-space: nowrap; }
.wrap { overflow-wrap: break-word; }
.id { display: block; font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace;
  font-size: 11px; color: #5b6676; }
.kind { font-size: 11px; font-weight: 600; letter-spacing: .05em; text-transform: uppercase;
  color: #5b6676; }
table.gaps th.name { width: 34%; }
table.gaps tr.domain > * { background: #e3ebf5; font-weight: 700; border-top: 2px solid #b9c3d0; }
table.gaps tr.subdomain > * { background: #f5f7fa; font-weight: 600; }
table.gaps tr.subdomain th { padding-left: 18px; }
table.gaps tr.practice th { padding-left: 32px; }
table.findings td.num { width: 8em; }
table.gaps td.short { color: #9b1c1c; font-weight: 700; }
td.zero { color: #8a94a3; }
td.err { color: #9b1c1c; font-weight: 700; }
td.wrn { color: #7a4b00; font-weight: 700; }
td.inf { font-weight: 700; }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid #b9c3d0; }
.badge { display: inline-block; padding: 0 7px; border: 1px solid; border-radius: 10px;
  font-size: 12px; font-weight: 600; white-space: nowrap; }
/* A long gap ("scope general, needs industry") wraps rather than widening the table. */
table.gaps .badge { white-space: normal; border-radius: 6px; }
.badge.good { color: #1d6b39; border-color: #8cc6a0; background: #e8f5ec; }
.badge.bad { color: #9b1c1c; border-color: #e2a0a0; background: #fdecec; }
.badge.warn { color: #7a4b00; border-color: #e3c173; background: #fff5db; }
.badge.info { color: #23527f; border-color: #a7bfd9; background: #edf3fa; }
.badge.muted { color: #4a5565; border-color: #c4cbd5; background: #f3f5f8; }
table.evidence { font-size: 12px; }
table.evidence th, table.evidence td { padding: 4px 5px; }
table.evidence code { font-size: 11.5px; }
.note { color: #4a5565; }
article.practice { border-top: 1px solid #d3d9e0; padding: 6px 0 10px; break-inside: auto; }
article.practice h4 { font-size: 15px; margin: 10px 0 6px; }
dl.practice-meta { display: grid; grid-template-columns: 12em 1fr; gap: 2px 12px; margin: 0 0 8px; }
dl.practice-meta div { display: contents; }
dl.practice-meta dt { font-weight: 600; color: #5b6676; }
dl.practice-meta dd { margin: 0; overflow-wrap: anywhere; }
.action { color: #4a5565; }
.narrative { border-left: 3px solid #d3d9e0; padding: 0 12px; margin: 8px 0; overflow-wrap: anywhere; }
.narrative h4, .narrative h5, .narrative h6 { font-size: 14px; margin: 10px 0 4px; }
code.raw-html { color: #7a3508; }
.page-footer { color: #4a5565; font-size: 12.5px; }
@page { size: A4; margin: 15mm; }
@page wide { size: A4 landscape; margin: 15mm; }
@media print {
  body { background: none; color: #000; font-size: 9.5pt; }
  .page { max-width: none; padding: 0; }
  nav.toc { display: none; }
  .tiles { grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 8px; margin-top: 12px; }
  .tile { padding: 4px 8px; }
  .tile .n { font-size: 14pt; }
  .page-header { margin-bottom: 10px; }
  h1 { font-size: 18pt; }
  h3 { margin: 16px 0 6px; }
  dl.meta { gap: 4px 16px; margin-top: 8px; }
  table.gaps th.name { width: 40%; }
  .evidence-index { page: wide; }
  table.evidence td:first-child { white-space: nowrap; }
  section.profile { border: 0; border-radius: 0; padding: 0; margin: 0; }
  section.profile + section.profile { break-before: page; }
  thead th, table.gaps tr.domain > *, table.gaps tr.subdomain > *, .badge { background: none; }
  .badge { border-color: currentColor; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 4px; }
  .id { font-size: 6.5pt; }
  table.evidence, table.evidence code { font-size: 7pt; }
  thead { display: table-header-group; }
  tr, figure, svg, .tile, dl.meta div { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure.chart svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::model::{Scope, SubdomainReport, VERSION};

    fn view(level: u8, scope: &str) -> Option<LevelView> {
        Scope::parse(scope).map(|scope| LevelView { level, scope })
    }

    fn practice(id: &str, name: &str, target: u8, current: Option<u8>) -> PracticeRow {
        PracticeRow {
            id: id.to_owned(),
            name: name.to_owned(),
            target: view(target, "industry"),
            current: current.and_then(|c| view(c, "general")),
            gap: match current {
                None => Gap::NoClaim,
                Some(c) if c < target => Gap::Below {
                    levels: 1,
                    scope: None,
                },
                Some(_) => Gap::Met,
            },
            gap_levels: 0,
            applicable: true,
            rationale: None,
            assessed: Some("2026-10-01".to_owned()),
            evidence_ok: 1,
            evidence_total: 2,
            findings: Counts {
                warnings: 1,
                ..Counts::default()
            },
            document: Some(format!("{id}.md")),
            assessor: None,
            target_description: None,
            current_description: None,
            finding_list: Vec::new(),
            waivers: Vec::new(),
            plan: Vec::new(),
            narrative: None,
            links: Default::default(),
        }
    }

    fn rollup(id: &str, name: &str) -> Rollup {
        Rollup {
            id: id.to_owned(),
            name: name.to_owned(),
            target: Some("2+/industry".to_owned()),
            current: Some("1/general+".to_owned()),
        }
    }

    fn domain(id: &str, practices: Vec<PracticeRow>) -> DomainReport {
        DomainReport {
            rollup: rollup(id, &format!("Domain {id}")),
            subdomains: vec![SubdomainReport {
                rollup: rollup(&format!("{id}-sub"), &format!("Subdomain of {id}")),
                practices,
            }],
        }
    }

    fn plan(practice: &str, due: Option<&str>, status: PlanStatus) -> PlanRow {
        PlanRow {
            practice: practice.to_owned(),
            name: format!("Name of {practice}"),
            level: Some("3/industry".to_owned()),
            due: due.map(str::to_owned),
            action: Some(format!("Action for {practice}")),
            status,
            document: format!("{practice}.md"),
            line: 9,
            owner: None,
        }
    }

    fn evidence(practice: &str) -> EvidenceRow {
        EvidenceRow {
            profile: "alpha".to_owned(),
            practice: practice.to_owned(),
            claimed: Some("2/general".to_owned()),
            kind: Some("record".to_owned()),
            target: "evidence/log.md".to_owned(),
            anchor: Some("week-1".to_owned()),
            reviewed: Some("2026-09-01".to_owned()),
            age_days: Some(81),
            standard: Some("IEC 62443-2-3".to_owned()),
            pin: crate::audit::model::PinState::Ok,
            status: EvidenceStatus::Stale,
            document: format!("{practice}.md"),
            line: 7,
            waived: false,
            repo_path: None,
            href: None,
            note: None,
            resolved: None,
        }
    }

    fn profile(id: &str, domains: Vec<DomainReport>) -> ProfileReport {
        ProfileReport {
            id: id.to_owned(),
            path: format!("{id}/profile.md"),
            system: Some("Line 3 filler".to_owned()),
            industry: Some("manufacturing".to_owned()),
            model: "iic-smm".to_owned(),
            model_file: None,
            owner: Some("ot@example.com".to_owned()),
            commit: "not in git".to_owned(),
            uncommitted_changes: None,
            domains,
            roadmap: vec![
                plan("b", Some("2027-02-01"), PlanStatus::Later),
                plan("a", None, PlanStatus::Later),
                plan("c", Some("2026-10-01"), PlanStatus::Overdue),
                plan("d", Some("2026-12-01"), PlanStatus::DueSoon),
            ],
            evidence: vec![evidence("a1")],
            findings: Counts {
                errors: 1,
                warnings: 3,
                ..Counts::default()
            },
            other_findings: Vec::new(),
            narrative: None,
            waivers: Vec::new(),
            links: Default::default(),
        }
    }

    /// Two profiles: `alpha` with two domains (3 practices), `beta` with one (1 practice).
    fn report() -> Report {
        Report {
            version: VERSION,
            generated: Generated {
                today: "2026-11-21".to_owned(),
                smm_lint: "9.9.9".to_owned(),
            },
            profiles: vec![
                profile(
                    "alpha",
                    vec![
                        domain(
                            "g",
                            vec![
                                practice("a1", "Alpha one", 2, Some(2)),
                                practice("a2", "Alpha two", 3, Some(2)),
                            ],
                        ),
                        domain("h", vec![practice("a3", "Alpha three", 2, None)]),
                    ],
                ),
                profile(
                    "beta",
                    vec![domain("g", vec![practice("b1", "Beta one", 1, Some(1))])],
                ),
            ],
        }
    }

    /// The text of each `<svg>…</svg>` element, in order.
    fn svgs(html: &str) -> Vec<&str> {
        html.split("<svg ")
            .skip(1)
            .map(|rest| rest.split("</svg>").next().unwrap_or(""))
            .collect()
    }

    #[test]
    fn escape_replaces_the_five_special_characters() {
        assert_eq!(
            escape(r#"a & b < c > d " e ' f"#),
            "a &amp; b &lt; c &gt; d &quot; e &#39; f"
        );
        assert_eq!(escape("plain text, é"), "plain text, é");
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn is_one_self_contained_page() {
        let html = render(&report());
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("<title>Security maturity report: alpha, beta</title>"));
        assert!(html.contains("@media print"));
        assert!(html.contains("@page { size: A4; margin: 15mm; }"));
        assert!(html.trim_end().ends_with("</html>"));
        for outside in [
            "<script",
            "<link",
            "<img",
            "src=",
            "@import",
            "url(http",
            "href=\"http",
        ] {
            assert!(!html.contains(outside), "the page holds {outside}");
        }
    }

    #[test]
    fn has_a_section_per_profile_with_its_header() {
        let html = render(&report());
        assert_eq!(html.matches("<section class=\"profile\"").count(), 2);
        for id in ["alpha", "beta"] {
            assert!(html.contains(&format!("<span class=\"eyebrow\">Profile</span>{id}</h2>")));
        }
        for field in [
            "Line 3 filler",
            "manufacturing",
            "iic-smm",
            "ot@example.com",
            "not in git",
        ] {
            assert!(html.contains(field), "header lacks {field}");
        }
        assert!(html.contains("<dd>2026-11-21</dd>"));
        assert!(html.contains("<dd>9.9.9</dd>"));
    }

    #[test]
    fn draws_an_overall_chart_and_one_per_domain_with_a_bar_pair_per_practice() {
        let html = render(&report());
        let charts = svgs(&html);
        // alpha: overall + 2 domains; beta: overall + 1 domain.
        assert_eq!(charts.len(), 5);
        let pairs: Vec<(usize, usize)> = charts
            .iter()
            .map(|svg| {
                (
                    svg.matches("class=\"bar target\"").count(),
                    svg.matches("class=\"bar current\"").count(),
                )
            })
            .collect();
        assert_eq!(pairs, [(3, 3), (2, 2), (1, 1), (1, 1), (1, 1)]);
        // A practice without a claim still has its pair, and says so in words.
        assert!(charts[0].contains("current</tspan> no claim"));
    }

    #[test]
    fn every_chart_is_labelled_for_assistive_technology() {
        let html = render(&report());
        for svg in svgs(&html) {
            assert!(svg.contains("role=\"img\""));
            let labelledby = svg
                .split("aria-labelledby=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default();
            let ids: Vec<&str> = labelledby.split(' ').collect();
            assert_eq!(ids.len(), 2, "{labelledby}");
            assert!(svg.contains(&format!("<title id=\"{}\">", ids[0])));
            assert!(svg.contains(&format!("<desc id=\"{}\">", ids[1])));
        }
        assert!(html.contains("Alpha two: target 3/industry, current 2/general, 1 level below."));
    }

    #[test]
    fn bars_show_the_level_as_text_and_the_scope_as_a_pattern() {
        let html = render(&report());
        let overall = svgs(&html)[0];
        assert!(overall.contains("<tspan class=\"k\">target</tspan> 3/industry"));
        assert!(overall.contains("<tspan class=\"k\">current</tspan> 2/general"));
        assert!(overall.contains("fill=\"url(#p1-all-t-industry)\""));
        assert!(overall.contains("<pattern id=\"p1-all-t-industry\""));
        assert!(overall.contains("<pattern id=\"p1-all-c-system\""));
    }

    #[test]
    fn gap_table_has_rollups_and_every_practice() {
        let html = render(&report());
        assert!(html.contains("<span class=\"kind\">Domain</span> Domain g</th><td>2+/industry</td><td>1/general+</td>"));
        assert!(html.contains("<span class=\"kind\">Subdomain</span> Subdomain of g</th>"));
        assert_eq!(html.matches("<tr class=\"practice\">").count(), 4);
        assert!(html.contains("<span class=\"badge bad\">▼ 1 level below</span>"));
        assert!(html.contains("<td class=\"num short\">1 / 2</td>"));
    }

    #[test]
    fn roadmap_is_sorted_by_due_date_with_status_in_words() {
        let html = render(&report());
        let section = html
            .split("<table class=\"roadmap\">")
            .nth(1)
            .unwrap_or_default();
        let order: Vec<usize> = [
            "2026-10-01",
            "2026-12-01",
            "2027-02-01",
            "<td class=\"nowrap\">—",
        ]
        .iter()
        .map(|needle| section.find(needle).unwrap_or(usize::MAX))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        for badge in ["Overdue", "Due within 90 days", "Later"] {
            assert!(section.contains(&format!("\">{badge}</span>")));
        }
    }

    #[test]
    fn lists_findings_and_every_evidence_field() {
        let html = render(&report());
        assert!(html.contains(
            "<th scope=\"row\">All documents of the profile</th><td class=\"num err\">1</td>"
        ));
        let row = html
            .split("<table class=\"evidence\">")
            .nth(1)
            .and_then(|t| t.split("<tbody>\n").nth(1))
            .unwrap_or_default();
        for field in [
            "alpha",
            "a1",
            "2/general",
            "record",
            "evidence/<wbr>log.md",
            "week-1",
            "2026-09-01",
            "81",
            "IEC 62443-2-3",
            ">ok<",
            "stale",
            "a1.md",
            ">7<",
        ] {
            assert!(row.contains(field), "evidence row lacks {field}");
        }
    }

    #[test]
    fn text_from_documents_is_escaped_everywhere() {
        let mut report = report();
        let evil = "<script>alert('x')</script>";
        let p = &mut report.profiles[0];
        p.id = format!("alpha{evil}");
        p.system = Some(evil.to_owned());
        p.domains[0].rollup.name = evil.to_owned();
        p.domains[0].subdomains[0].practices[0].name = format!("Practice {evil}");
        p.roadmap[0].action = Some(evil.to_owned());
        p.evidence[0].target = format!("\"><{evil}");
        let html = render(&report);
        assert!(!html.contains("<script"));
        assert!(html.contains("alpha&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        // In the chart titles, descriptions and bar labels too.
        assert!(svgs(&html)[0].contains("Practice &lt;script&gt;"));
    }

    #[test]
    fn paths_may_break_after_each_slash_and_stay_escaped() {
        assert_eq!(path("../a&b/c.md"), "../<wbr>a&amp;b/<wbr>c.md");
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(render(&report()), render(&report()));
    }

    #[test]
    fn an_empty_report_is_still_a_page() {
        let html = render(&Report {
            version: VERSION,
            generated: Generated {
                today: "2026-11-21".to_owned(),
                smm_lint: "9.9.9".to_owned(),
            },
            profiles: Vec::new(),
        });
        assert!(html.contains("No profile was found."));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn long_names_wrap_at_word_boundaries() {
        assert_eq!(
            wrap("Remediation, recovery and continuity of operations", 20),
            [
                "Remediation,",
                "recovery and",
                "continuity of",
                "operations"
            ]
        );
        assert_eq!(wrap("", 10), [""]);
    }
}
