//! The page as a whole, rendered from a small report built here.

use super::*;
use crate::audit::model::{
    ApprovalState, ApprovalView, Counts, DomainReport, EvidenceRow, EvidenceStatus, Gap, Generated,
    PinState, PlanRow, PlanStatus, Rollup, Scope, SubdomainReport, VERSION,
};

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
        indicators: Vec::new(),
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
        pin: PinState::Ok,
        status: EvidenceStatus::Stale,
        document: format!("{practice}.md"),
        line: 7,
        waived: false,
        repo_path: None,
        href: None,
        note: None,
        requirements: Vec::new(),
        resolved: None,
        sha256: None,
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
        approval: ApprovalView {
            state: ApprovalState::Missing,
            by: None,
            date: None,
            changes: Vec::new(),
            changes_unknown: None,
        },
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
        crosswalks: Vec::new(),
        since: None,
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
    assert!(html.contains(
        "<span class=\"kind\">Domain</span> Domain g</th><td>2+/industry</td><td>1/general+</td>"
    ));
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
fn paths_may_break_after_each_slash_and_stay_escaped() {
    assert_eq!(path("../a&b/c.md").as_str(), "../<wbr>a&amp;b/<wbr>c.md");
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
        charts::wrap("Remediation, recovery and continuity of operations", 20),
        [
            "Remediation,",
            "recovery and",
            "continuity of",
            "operations"
        ]
    );
    assert_eq!(charts::wrap("", 10), [""]);
}
