//! The report's sheets: the gap table with its rollups, the roadmap, the evidence index, the
//! findings and the profiles.

use super::{SHEETS, Table, Value, level_cells};
use crate::audit::model::{
    Counts, EvidenceRow, FindingRow, LevelView, PlanRow, ProfileReport, Report, Rollup,
};

fn view_cells(view: Option<LevelView>) -> [Value; 3] {
    let written = view.map(|v| v.to_string());
    level_cells(written.as_deref())
}

fn count_cells(counts: &Counts) -> [Value; 3] {
    [
        Value::count(counts.errors),
        Value::count(counts.warnings),
        Value::count(counts.infos),
    ]
}

/// The gap table: a row per domain, subdomain and practice, each with its profile, domain and
/// subdomain ids so that a filter on any of them keeps the rows below it.
pub(super) fn gap(report: &Report) -> Table {
    let header = vec![
        "profile",
        "row",
        "domain",
        "subdomain",
        "practice",
        "name",
        "target",
        "target_level",
        "target_scope",
        "current",
        "current_level",
        "current_scope",
        "gap",
        "gap_levels",
        "applicable",
        "rationale",
        "assessed",
        "assessor",
        "evidence_ok",
        "evidence_total",
        "errors",
        "warnings",
        "infos",
        "document",
    ];
    let mut rows = Vec::new();
    for p in &report.profiles {
        for d in &p.domains {
            rows.push(rollup_row(p, "domain", &d.rollup, None));
            for s in &d.subdomains {
                rows.push(rollup_row(p, "subdomain", &s.rollup, Some(&d.rollup.id)));
                for r in &s.practices {
                    let mut row = vec![
                        Value::text(&p.id),
                        Value::text("practice"),
                        Value::text(&d.rollup.id),
                        Value::text(&s.rollup.id),
                        Value::text(&r.id),
                        Value::text(&r.name),
                    ];
                    row.extend(view_cells(r.target));
                    row.extend(view_cells(r.current));
                    row.extend([
                        Value::text(r.gap.to_string()),
                        Value::Number(f64::from(r.gap_levels)),
                        Value::yes_no(r.applicable),
                        Value::opt_text(r.rationale.as_deref()),
                        Value::opt_date(r.assessed.as_deref()),
                        Value::opt_text(r.assessor.as_deref()),
                        Value::count(r.evidence_ok),
                        Value::count(r.evidence_total),
                    ]);
                    row.extend(count_cells(&r.findings));
                    row.push(Value::opt_text(r.document.as_deref()));
                    rows.push(row);
                }
            }
        }
    }
    Table {
        name: SHEETS[0],
        header,
        rows,
    }
}

/// A domain's (no `parent`) or subdomain's row: its rollups; the practice columns empty.
fn rollup_row(p: &ProfileReport, kind: &str, rollup: &Rollup, parent: Option<&str>) -> Vec<Value> {
    let (domain, subdomain) = match parent {
        Some(domain) => (Value::text(domain), Value::text(&rollup.id)),
        None => (Value::text(&rollup.id), Value::Empty),
    };
    let mut row = vec![
        Value::text(&p.id),
        Value::text(kind),
        domain,
        subdomain,
        Value::Empty,
        Value::text(&rollup.name),
    ];
    row.extend(level_cells(rollup.target.as_deref()));
    row.extend(level_cells(rollup.current.as_deref()));
    row.extend(std::iter::repeat_n(Value::Empty, 12));
    row
}

pub(super) fn roadmap(report: &Report) -> Table {
    let header = vec![
        "profile",
        "practice",
        "name",
        "level",
        "level_number",
        "scope",
        "due",
        "action",
        "owner",
        "status",
        "document",
        "line",
    ];
    let rows = report
        .profiles
        .iter()
        .flat_map(|p| p.roadmap.iter().map(move |r| plan_row(p, r)))
        .collect();
    Table {
        name: SHEETS[1],
        header,
        rows,
    }
}

fn plan_row(p: &ProfileReport, r: &PlanRow) -> Vec<Value> {
    let mut row = vec![
        Value::text(&p.id),
        Value::text(&r.practice),
        Value::text(&r.name),
    ];
    row.extend(level_cells(r.level.as_deref()));
    row.extend([
        Value::opt_date(r.due.as_deref()),
        Value::opt_text(r.action.as_deref()),
        Value::opt_text(r.owner.as_deref()),
        Value::text(r.status.label()),
        Value::text(&r.document),
        Value::count(r.line),
    ]);
    row
}

/// The evidence index with the columns of `evidence --format csv`, in its order.
pub(super) fn evidence(evidence: &[EvidenceRow]) -> Table {
    // The CSV's own header: the two cannot drift apart.
    let header = super::super::csv::HEADER.to_vec();
    let rows = evidence
        .iter()
        .map(|r| {
            let written = match &r.anchor {
                Some(a) => format!("{}#{a}", r.target),
                None => r.target.clone(),
            };
            vec![
                Value::text(&r.profile),
                Value::text(&r.practice),
                Value::opt_text(r.claimed.as_deref()),
                Value::opt_text(r.kind.as_deref()),
                Value::text(&r.target),
                Value::opt_text(r.anchor.as_deref()),
                Value::opt_date(r.reviewed.as_deref()),
                // Ages are days since a date Excel can hold: exact as f64.
                r.age_days.map_or(Value::Empty, |a| Value::Number(a as f64)),
                Value::opt_text(r.standard.as_deref()),
                Value::text(r.pin.to_string()),
                Value::text(r.status.label()),
                Value::text(&r.document),
                Value::count(r.line),
                Value::text(written),
                Value::yes_no(r.waived),
                Value::opt_text(r.repo_path.as_deref()),
                Value::opt_text(r.note.as_deref()),
                Value::text(r.requirements.join("; ")),
            ]
        })
        .collect();
    Table {
        name: SHEETS[2],
        header,
        rows,
    }
}

/// Every finding on a profile's documents, waived ones included: the practices' in the gap
/// table's order, then the others (the profile document, duplicates, unknown ids).
pub(super) fn findings(report: &Report) -> Table {
    let header = vec![
        "profile", "practice", "rule", "severity", "message", "document", "line", "waived",
    ];
    let mut rows = Vec::new();
    for p in &report.profiles {
        let practices = p
            .domains
            .iter()
            .flat_map(|d| &d.subdomains)
            .flat_map(|s| &s.practices);
        for r in practices {
            rows.extend(
                r.finding_list
                    .iter()
                    .map(|f| finding_row(p, Some(&r.id), f)),
            );
        }
        rows.extend(p.other_findings.iter().map(|f| finding_row(p, None, f)));
    }
    Table {
        name: SHEETS[3],
        header,
        rows,
    }
}

fn finding_row(p: &ProfileReport, practice: Option<&str>, f: &FindingRow) -> Vec<Value> {
    vec![
        Value::text(&p.id),
        Value::opt_text(practice),
        Value::text(&f.rule),
        Value::text(&f.severity),
        Value::text(&f.message),
        Value::text(&f.document),
        Value::count(f.line),
        Value::opt_text(f.waived.as_deref()),
    ]
}

/// A row per profile: what the report's header says of it.
pub(super) fn profiles(report: &Report) -> Table {
    let header = vec![
        "profile",
        "system",
        "industry",
        "model",
        "owner",
        "commit",
        "errors",
        "warnings",
        "infos",
        "document",
        "report_date",
        "smm_lint",
    ];
    let rows = report
        .profiles
        .iter()
        .map(|p| {
            let mut row = vec![
                Value::text(&p.id),
                Value::opt_text(p.system.as_deref()),
                Value::opt_text(p.industry.as_deref()),
                Value::text(match &p.model_file {
                    Some(file) => format!("{} ({file})", p.model),
                    None => p.model.clone(),
                }),
                Value::opt_text(p.owner.as_deref()),
                Value::text(&p.commit),
            ];
            row.extend(count_cells(&p.findings));
            row.extend([
                Value::text(&p.path),
                Value::Date(report.generated.today.clone()),
                Value::text(&report.generated.smm_lint),
            ]);
            row
        })
        .collect();
    Table {
        name: SHEETS[4],
        header,
        rows,
    }
}
