//! The page around the profiles, and each profile's header, summary and details.

use super::markup::{Html, html};
use super::{charts, code, level, opt, path, practices, tables};
use crate::audit::model::{
    Gap, Generated, LevelText, LevelView, NarrativeLinks, PlanStatus, PracticeRow, ProfileReport,
    Report,
};
use crate::text::plural;

pub(super) fn start(out: &mut Html, report: &Report) {
    let ids: Vec<&str> = report.profiles.iter().map(|p| p.id.as_str()).collect();
    let title = if ids.is_empty() {
        "Security maturity report".to_owned()
    } else {
        format!("Security maturity report: {}", ids.join(", "))
    };
    html!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"smm-lint {}\">\n<title>{}</title>\n\
         <style>{}</style>\n</head>\n<body>\n<div class=\"page\">\n",
        report.generated.smm_lint,
        title,
        Html::raw(super::css::STYLE),
    );
    html!(
        out,
        "<header class=\"page-header\">\n<h1>IoT Security Maturity Report</h1>\n\
         <p>{} · generated {} by smm-lint {}</p>\n</header>\n",
        plural(report.profiles.len(), "profile", "profiles"),
        report.generated.today,
        report.generated.smm_lint
    );
    contents(out, report);
    if report.profiles.is_empty() {
        out.push_raw("<p class=\"note\">No profile was found.</p>\n");
    }
}

/// Links to the profiles, when there is more than one to jump between.
fn contents(out: &mut Html, report: &Report) {
    if report.profiles.len() < 2 {
        return;
    }
    out.push_raw("<nav class=\"toc\" aria-label=\"Profiles\"><ul>\n");
    for (index, profile) in report.profiles.iter().enumerate() {
        html!(
            out,
            "<li><a href=\"#p{}\">{}</a></li>\n",
            index + 1,
            profile.id
        );
    }
    out.push_raw("</ul></nav>\n");
}

pub(super) fn end(out: &mut Html, generated: &Generated) {
    html!(
        out,
        "<footer class=\"page-footer\">\n<p>Comprehensiveness levels: 0 None, 1 Minimum, \
         2 Ad hoc, 3 Consistent, 4 Formalized. Scopes, from broadest to narrowest: general, \
         industry, system.</p>\n<p>{}</p>\n\
         <p>Generated {} by smm-lint {}.</p>\n</footer>\n</div>\n</body>\n</html>\n",
        with_code(crate::gap::ROLLUP_NOTE),
        generated.today,
        generated.smm_lint
    );
}

/// Text with `code` spans, escaped, the spans as `<code>`.
fn with_code(text: &str) -> Html {
    let mut out = Html::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_html(&code(part));
        } else {
            out.push_text(part);
        }
    }
    out
}

/// `n` numbers the profile in the page (from 1). Element ids are built from it, never from the
/// profile id, which may hold any text.
pub(super) fn profile_section(
    out: &mut Html,
    n: usize,
    profile: &ProfileReport,
    generated: &Generated,
) {
    html!(
        out,
        "<section class=\"profile\" id=\"p{}\" aria-labelledby=\"p{}-h\">\n\
         <h2 id=\"p{}-h\"><span class=\"eyebrow\">Profile</span>{}</h2>\n",
        n,
        n,
        n,
        profile.id
    );
    profile_meta(out, profile, generated);
    summary_tiles(out, profile);
    if let Some(since) = &profile.since {
        super::since::section(out, n, since);
    }
    charts::overall(out, n, profile);
    tables::gap_table(out, n, profile);
    charts::per_domain(out, n, profile);
    tables::roadmap(out, n, &profile.roadmap);
    tables::findings(out, n, profile);
    profile_details(out, n, profile);
    practice_details(out, n, profile);
    tables::evidence_index(out, n, &profile.evidence);
    super::crosswalk::crosswalks(out, n, &profile.crosswalks);
    out.push_raw("</section>\n");
}

fn profile_meta(out: &mut Html, profile: &ProfileReport, generated: &Generated) {
    let fields = [
        ("System", opt(profile.system.as_deref())),
        ("Industry", opt(profile.industry.as_deref())),
        ("Model", code(&profile.model)),
        (
            "Model file",
            profile
                .model_file
                .as_deref()
                .map_or_else(|| Html::raw("—"), code),
        ),
        ("Owner", opt(profile.owner.as_deref())),
        ("Targets approved", Html::text(&profile.approval.summary())),
        ("Commit", code(&profile.commit)),
        ("Profile document", code(&profile.path)),
        ("Report date", Html::text(&generated.today)),
        ("smm-lint", Html::text(&generated.smm_lint)),
    ];
    out.push_raw("<dl class=\"meta\">\n");
    for (term, value) in fields {
        html!(out, "<div><dt>{}</dt><dd>{}</dd></div>\n", term, value);
    }
    out.push_raw("</dl>\n");
}

/// The figures an auditor looks at first, as a row of tiles.
fn summary_tiles(out: &mut Html, profile: &ProfileReport) {
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
    out.push_raw("<div class=\"tiles\">\n");
    for (figure, label) in tiles {
        html!(
            out,
            "<p class=\"tile\"><span class=\"n\">{}</span> <span class=\"l\">{}</span></p>\n",
            figure,
            label
        );
    }
    out.push_raw("</div>\n");
}

fn narrative_block(out: &mut Html, text: Option<&str>, links: &NarrativeLinks) {
    if let Some(text) = text {
        let base = crate::audit::narrative::LinkBase {
            prefix: links.base.as_deref(),
            climb: links.climb,
        };
        html!(
            out,
            "<div class=\"narrative\">\n{}</div>\n",
            crate::audit::narrative::render(text, base)
        );
    }
}

fn profile_details(out: &mut Html, n: usize, profile: &ProfileReport) {
    if profile.narrative.is_none()
        && profile.waivers.is_empty()
        && profile.other_findings.is_empty()
    {
        return;
    }
    html!(out, "<h3 id=\"p{}-narrative\">Profile</h3>\n", n);
    narrative_block(out, profile.narrative.as_deref(), &profile.links);
    if !profile.waivers.is_empty() {
        out.push_raw("<h4>Waivers of the profile document</h4>\n");
        tables::waivers(out, &profile.waivers);
    }
    if !profile.other_findings.is_empty() {
        out.push_raw(
            "<h4>Other findings</h4>\n<p class=\"note\">On documents that no practice section \
             shows: the profile document, duplicates, unknown ids.</p>\n",
        );
        tables::finding_list(out, &profile.other_findings);
    }
}

fn practice_details(out: &mut Html, n: usize, profile: &ProfileReport) {
    html!(out, "<h3 id=\"p{}-practices\">Practices</h3>\n", n);
    for (i, p) in practices(profile).enumerate() {
        html!(
            out,
            "<article class=\"practice\" id=\"p{}-practice-{}\">\n<h4>{} \
             <span class=\"id\">{}</span> {}</h4>\n",
            n,
            i,
            p.name,
            p.id,
            tables::gap_badge(p)
        );
        let document = p.document.as_deref().map_or_else(
            || Html::raw("no document"),
            |d| {
                let mut out = Html::new();
                html!(out, "<code>{}</code>", path(d));
                out
            },
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
        out.push_raw("<dl class=\"practice-meta\">\n");
        for (term, value) in fields {
            html!(out, "<div><dt>{}</dt><dd>{}</dd></div>\n", term, value);
        }
        out.push_raw("</dl>\n");
        tables::indicators(out, p);
        tables::finding_list(out, &p.finding_list);
        if !p.waivers.is_empty() {
            tables::waivers(out, &p.waivers);
        }
        tables::plan(out, &p.plan);
        narrative_block(out, p.narrative.as_deref(), &p.links);
        out.push_raw("</article>\n");
    }
}

fn level_text(view: Option<LevelView>, text: Option<&LevelText>) -> Html {
    let mut out = level(view);
    if let Some(t) = text {
        html!(out, " — <strong>{}</strong>: {}", t.name, t.meaning);
        if let Some(action) = &t.action {
            html!(
                out,
                " <span class=\"action\">At this level: {}</span>",
                action
            );
        }
    }
    out
}
