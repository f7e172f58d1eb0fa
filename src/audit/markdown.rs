//! `report --format md` and `evidence --format md`: GitHub-flavoured Markdown, for a job summary,
//! a pull request comment or a wiki page.
//!
//! Every string from a document goes through `cell` (text) or `code` (identifiers and paths), so
//! that it shows as written and can never become HTML, a link, an image or a new table cell.

use super::model::*;
use crate::text::{markdown as cell, markdown_code as code};
use std::fmt::Write as _;

fn opt(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_owned(), cell)
}

/// A rollup; absent when no practice below it applies.
fn rollup(value: Option<&str>) -> String {
    value.map_or_else(|| "n/a".to_owned(), cell)
}

fn level(l: Option<LevelView>) -> String {
    l.map_or_else(|| "—".to_owned(), |l| l.to_string())
}

fn counts(c: &Counts) -> String {
    format!("{} / {} / {}", c.errors, c.warnings, c.infos)
}

pub fn report(report: &Report) -> String {
    let mut out = String::new();
    for p in &report.profiles {
        profile(&mut out, p, &report.generated);
    }
    if report.profiles.is_empty() {
        out.push_str("# Security maturity report\n\nNo profile found.\n");
    }
    out
}

fn profile(out: &mut String, p: &ProfileReport, generated: &Generated) {
    let _ = writeln!(out, "# Security maturity report: {}\n", code(&p.id));
    let model = match &p.model_file {
        Some(file) => format!("{} ({})", cell(&p.model), code(file)),
        None => cell(&p.model),
    };
    let rows = [
        ("System", opt(p.system.as_deref())),
        ("Industry", opt(p.industry.as_deref())),
        ("Model", model),
        ("Owner", opt(p.owner.as_deref())),
        ("Profile", code(&p.path)),
        ("Commit", code(&p.commit)),
        ("Date", cell(&generated.today)),
        ("smm-lint", cell(generated.smm_lint)),
        ("Findings (errors / warnings / infos)", counts(&p.findings)),
    ];
    out.push_str("| | |\n|---|---|\n");
    for (k, v) in rows {
        let _ = writeln!(out, "| {k} | {v} |");
    }
    out.push_str("\n## Target and current state\n\n");
    out.push_str(
        "| practice | target | current | gap | assessed | evidence ok | findings (E/W/I) |\n",
    );
    out.push_str("|---|---|---|---|---|---:|---|\n");
    for d in &p.domains {
        let _ = writeln!(
            out,
            "| **{}** | **{}** | **{}** | | | | |",
            cell(&d.rollup.name),
            rollup(d.rollup.target.as_deref()),
            rollup(d.rollup.current.as_deref())
        );
        for s in &d.subdomains {
            let _ = writeln!(
                out,
                "| *{}* | *{}* | *{}* | | | | |",
                cell(&s.rollup.name),
                rollup(s.rollup.target.as_deref()),
                rollup(s.rollup.current.as_deref())
            );
            for r in &s.practices {
                let gap = if !r.applicable {
                    match &r.rationale {
                        Some(why) => format!("not applicable: {}", cell(why)),
                        None => "not applicable".to_owned(),
                    }
                } else if r.gap == "met" {
                    r.gap.clone()
                } else {
                    format!("**{}**", cell(&r.gap))
                };
                let current = if r.applicable {
                    level(r.current)
                } else {
                    "n/a".to_owned()
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {current} | {gap} | {} | {}/{} | {} |",
                    cell(&r.name),
                    level(r.target),
                    opt(r.assessed.as_deref()),
                    r.evidence_ok,
                    r.evidence_total,
                    counts(&r.findings)
                );
            }
        }
    }
    let _ = writeln!(out, "\n{}", crate::gap::ROLLUP_NOTE);
    out.push_str("\n## Roadmap\n\n");
    if p.roadmap.is_empty() {
        out.push_str("No plan items.\n");
    } else {
        out.push_str("| due | status | practice | level | action |\n|---|---|---|---|---|\n");
        for r in &p.roadmap {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                opt(r.due.as_deref()),
                r.status,
                cell(&r.name),
                opt(r.level.as_deref()),
                opt(r.action.as_deref())
            );
        }
    }
    out.push_str("\n## Evidence\n\n");
    evidence_table(out, &p.evidence);
    out.push('\n');
}

fn evidence_table(out: &mut String, rows: &[EvidenceRow]) {
    if rows.is_empty() {
        out.push_str("No evidence items.\n");
        return;
    }
    out.push_str("| status | practice | claimed | kind | evidence | reviewed | age (days) | standard | pin | document |\n");
    out.push_str("|---|---|---|---|---|---|---:|---|---|---|\n");
    for r in rows {
        let target = match &r.anchor {
            Some(a) => code(&format!("{}#{a}", r.target)),
            None => code(&r.target),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {target} | {} | {} | {} | {} | {} |",
            r.status,
            cell(&r.practice),
            opt(r.claimed.as_deref()),
            opt(r.kind.as_deref()),
            opt(r.reviewed.as_deref()),
            r.age_days.map_or_else(|| "—".to_owned(), |a| a.to_string()),
            opt(r.standard.as_deref()),
            r.pin,
            code(&format!("{}:{}", r.document, r.line))
        );
    }
}

/// `evidence --format md`: one table of every item.
pub fn evidence(rows: &[EvidenceRow]) -> String {
    let mut out = String::from("# Evidence index\n\n");
    evidence_table(&mut out, rows);
    out
}
