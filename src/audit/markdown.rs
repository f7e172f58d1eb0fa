//! `report --format md` and `evidence --format md`: GitHub-flavoured Markdown, for a job summary,
//! a pull request comment or a wiki page.
//!
//! Every string from a document goes through `cell` (text) or `code` (identifiers and paths), so
//! that it shows as written and can never become HTML, a link, an image or a new table cell.

use super::model::*;
use crate::report::markdown::{cell, code, gap, level};
use std::fmt::Write as _;

fn opt(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_owned(), cell)
}

/// A rollup; absent when no practice below it applies.
fn rollup(value: Option<&str>) -> String {
    value.map_or_else(|| "n/a".to_owned(), cell)
}

fn counts(c: &Counts) -> String {
    format!("{} / {} / {}", c.errors, c.warnings, c.infos)
}

pub(crate) fn report(report: &Report) -> String {
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
        ("Targets approved", cell(&p.approval.summary())),
        ("Profile", code(&p.path)),
        ("Commit", code(&p.commit)),
        ("Date", cell(&generated.today)),
        ("smm-lint", cell(&generated.smm_lint)),
        ("Findings (errors / warnings / infos)", counts(&p.findings)),
    ];
    out.push_str("| | |\n|---|---|\n");
    for (k, v) in rows {
        let _ = writeln!(out, "| {k} | {v} |");
    }
    if let Some(since) = &p.since {
        since_section(out, since);
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
                let gap = match r.rationale.as_deref().filter(|_| !r.applicable) {
                    Some(why) => format!("{}: {}", gap(r.gap), cell(why)),
                    None => gap(r.gap),
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
        out.push_str(
            "| due | status | practice | level | action | owner |\n|---|---|---|---|---|---|\n",
        );
        for r in &p.roadmap {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                opt(r.due.as_deref()),
                r.status,
                cell(&r.name),
                opt(r.level.as_deref()),
                opt(r.action.as_deref()),
                opt(r.owner.as_deref())
            );
        }
    }
    out.push_str("\n## Evidence\n\n");
    evidence_table(out, &p.evidence);
    crosswalks(out, &p.crosswalks);
    profile_details(out, p);
    practice_details(out, p);
    out.push('\n');
}

fn evidence_table(out: &mut String, rows: &[EvidenceRow]) {
    if rows.is_empty() {
        out.push_str("No evidence items.\n");
        return;
    }
    out.push_str("| status | practice | claimed | kind | evidence | reviewed | age (days) | standard | pin | document | waived |\n");
    out.push_str("|---|---|---|---|---|---|---:|---|---|---|---|\n");
    for r in rows {
        let target = evidence_cell(r);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {target} | {} | {} | {} | {} | {} | {} |",
            r.status,
            cell(&r.practice),
            opt(r.claimed.as_deref()),
            opt(r.kind.as_deref()),
            opt(r.reviewed.as_deref()),
            r.age_days.map_or_else(|| "—".to_owned(), |a| a.to_string()),
            opt(r.standard.as_deref()),
            r.pin,
            code(&format!("{}:{}", r.document, r.line)),
            if r.waived { "yes" } else { "no" }
        );
    }
}

/// Per mapping, the requirements the claimed levels relate to and the evidence citing each.
fn crosswalks(out: &mut String, crosswalks: &[Crosswalk]) {
    for c in crosswalks {
        let _ = writeln!(
            out,
            "\n## Crosswalk: {} {}\n",
            cell(&c.framework),
            cell(&c.version)
        );
        if let Some(title) = &c.title {
            let _ = write!(out, "{}. ", cell(title));
        }
        let _ = writeln!(
            out,
            "Mapping {}. {} of the {} requirements it lists relate to the claimed levels; evidence cites {} of them.\n",
            code(&c.source),
            c.requirements.len(),
            c.listed,
            c.cited
        );
        if let Some(note) = &c.note {
            quote(out, note);
        }
        if c.requirements.is_empty() {
            continue;
        }
        out.push_str("| requirement | title | related by (practice, claimed ≥ level, role) | cited by evidence |\n|---|---|---|---|\n");
        for r in &c.requirements {
            let related: Vec<String> = r
                .related
                .iter()
                .map(|x| {
                    format!(
                        "{} ({} ≥ {}, {})",
                        cell(&x.name),
                        cell(&x.claimed),
                        x.level,
                        cell(&x.role)
                    )
                })
                .collect();
            let cited: Vec<String> = r
                .cited_by
                .iter()
                .map(|x| {
                    format!(
                        "{} ({})",
                        code(&x.evidence),
                        code(&format!("{}:{}", x.document, x.line))
                    )
                })
                .collect();
            let cited = if cited.is_empty() {
                "**not cited**".to_owned()
            } else {
                cited.join("; ")
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {cited} |",
                code(&r.id),
                cell(&r.title),
                related.join("; ")
            );
        }
    }
}

/// `evidence --format md`: one table of every item.
pub(crate) fn evidence(rows: &[EvidenceRow]) -> String {
    let mut out = String::from("# Evidence index\n\n");
    evidence_table(&mut out, rows);
    out
}

/// The evidence as a link to its file when it resolves inside the repository (shown by its
/// repository path), else as written.
fn evidence_cell(r: &EvidenceRow) -> String {
    let written = match &r.anchor {
        Some(a) => format!("{}#{a}", r.target),
        None => r.target.clone(),
    };
    match (&r.repo_path, &r.href) {
        // `href` is built percent-encoded; anything else is not written as a link destination.
        (Some(shown), Some(href)) if super::links::is_relative_href(href) => {
            let shown = match &r.anchor {
                Some(a) => format!("{shown}#{a}"),
                None => shown.clone(),
            };
            format!("[{}]({href})", code(&shown))
        }
        _ => code(&written),
    }
}

/// Document text as a block quote of escaped lines: it reads as written and cannot become
/// HTML, a link, an image, a list, a rule or a heading of the report.
fn quote(out: &mut String, text: &str) {
    for line in text.lines() {
        if line.trim().is_empty() {
            out.push_str(">\n");
        } else {
            // Leading spaces would make an indented code block, where the escapes would show.
            let _ = writeln!(out, "> {}", inert_start(&cell(line.trim_start())));
        }
    }
    out.push('\n');
}

/// An escaped line that cannot start a block of its own either: a list item (`-`, `+`, `1.`,
/// `1)`), a thematic break, or the underline that makes the line above a heading (`===`,
/// `---`). Every other character that starts a block is escaped already.
fn inert_start(line: &str) -> String {
    if line.starts_with(['-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    match line[digits..].chars().next() {
        Some('.' | ')') if digits > 0 => format!("{}\\{}", &line[..digits], &line[digits..]),
        _ => line.to_owned(),
    }
}

fn profile_details(out: &mut String, p: &ProfileReport) {
    if let Some(text) = &p.narrative {
        out.push_str("\n## Profile narrative\n\n");
        quote(out, text);
    }
    if !p.waivers.is_empty() {
        out.push_str("\n## Profile waivers\n\n");
        waivers(out, &p.waivers);
    }
    if !p.other_findings.is_empty() {
        out.push_str("\n## Other findings\n\nOn documents that no practice section shows: the profile document, duplicates, unknown ids.\n");
        findings(out, &p.other_findings);
    }
}

fn findings(out: &mut String, rows: &[FindingRow]) {
    if rows.is_empty() {
        return;
    }
    out.push_str("\n| severity | rule | message | where | waived |\n|---|---|---|---|---|\n");
    for f in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&f.severity),
            code(&f.rule),
            cell(&f.message),
            code(&format!("{}:{}", f.document, f.line)),
            f.waived
                .as_deref()
                .map_or_else(|| "no".to_owned(), |w| format!("yes: {}", cell(w)))
        );
    }
}

fn waivers(out: &mut String, rows: &[WaiverRow]) {
    out.push_str("| rule | reason | expires | state | where |\n|---|---|---|---|---|\n");
    for w in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            w.rule.as_deref().map_or_else(|| "—".to_owned(), code),
            opt(w.reason.as_deref()),
            opt(w.expires.as_deref()),
            w.state,
            code(&format!("{}:{}", w.document, w.line))
        );
    }
}

fn level_text(label: &str, view: Option<LevelView>, text: Option<&LevelText>) -> String {
    let mut line = format!("- {label}: {}", level(view));
    if let Some(t) = text {
        let _ = write!(line, " — {}: {}", cell(&t.name), cell(&t.meaning));
        if let Some(action) = &t.action {
            let _ = write!(line, " Practice at this level: {}", cell(action));
        }
    }
    line.push('\n');
    line
}

/// The claimed level's indicators, each with the evidence that cites it or marked not cited.
fn indicators(out: &mut String, r: &PracticeRow) {
    let Some(level) = r.current.filter(|_| !r.indicators.is_empty()) else {
        return;
    };
    let _ = writeln!(
        out,
        "\nIndicators of level {}:\n\n| indicator | cited by |\n|---|---|",
        level.level
    );
    for i in &r.indicators {
        let cited = if i.covered {
            let items: Vec<String> = i
                .cited_by
                .iter()
                .map(|c| {
                    format!(
                        "{} ({})",
                        code(&c.evidence),
                        code(&format!("{}:{}", c.document, c.line))
                    )
                })
                .collect();
            items.join(", ")
        } else {
            "**not cited**".to_owned()
        };
        let _ = writeln!(out, "| {}: {} | {cited} |", code(&i.id), cell(&i.text));
    }
}

fn practice_details(out: &mut String, p: &ProfileReport) {
    out.push_str("\n## Practices\n");
    for r in p
        .domains
        .iter()
        .flat_map(|d| &d.subdomains)
        .flat_map(|s| &s.practices)
    {
        let _ = writeln!(out, "\n### {}\n", cell(&r.name));
        let document = r
            .document
            .as_deref()
            .map_or_else(|| "no document".to_owned(), code);
        let _ = writeln!(out, "- Document: {document}");
        let _ = writeln!(out, "- Assessor: {}", opt(r.assessor.as_deref()));
        let _ = writeln!(out, "- Assessed: {}", opt(r.assessed.as_deref()));
        out.push_str(&level_text(
            "Target",
            r.target,
            r.target_description.as_ref(),
        ));
        out.push_str(&level_text(
            "Current",
            r.current,
            r.current_description.as_ref(),
        ));
        let _ = writeln!(out, "- Gap: {}", r.gap);
        if !r.applicable {
            let _ = writeln!(out, "- Not applicable: {}", opt(r.rationale.as_deref()));
        }
        indicators(out, r);
        findings(out, &r.finding_list);
        if !r.waivers.is_empty() {
            out.push_str("\nWaivers:\n\n");
            waivers(out, &r.waivers);
        }
        if !r.plan.is_empty() {
            out.push_str(
                "\n| plan level | due | status | owner | action |\n|---|---|---|---|---|\n",
            );
            for item in &r.plan {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    opt(item.level.as_deref()),
                    opt(item.due.as_deref()),
                    item.status,
                    opt(item.owner.as_deref()),
                    opt(item.action.as_deref())
                );
            }
        }
        if let Some(text) = &r.narrative {
            out.push('\n');
            quote(out, text);
        }
    }
}

/// *Since the last assessment*: what changed from the baseline commit to the reported state.
fn since_section(out: &mut String, s: &SinceReport) {
    out.push_str("\n## Since the last assessment\n\n");
    let short: String = s.commit.chars().take(12).collect();
    let _ = writeln!(
        out,
        "Compared with commit {} of {} ({}).\n",
        code(&short),
        cell(&s.date),
        cell(&s.subject)
    );
    let moves = |label: &str, rows: &[LevelMove]| -> Option<String> {
        (!rows.is_empty()).then(|| {
            let items: Vec<String> = rows
                .iter()
                .map(|m| {
                    format!(
                        "{} {} → {}",
                        cell(&m.name),
                        level(m.from.as_deref().map(cell)),
                        level(m.to.as_deref().map(cell))
                    )
                })
                .collect();
            format!("- **{label}:** {}", items.join("; "))
        })
    };
    let evidence = |label: &str, rows: &[EvidenceMove]| -> Option<String> {
        (!rows.is_empty()).then(|| {
            let items: Vec<String> = rows
                .iter()
                .map(|e| format!("{} {}", code(&e.practice), code(&e.locator)))
                .collect();
            format!("- **{label}:** {}", items.join("; "))
        })
    };
    let gaps = |label: &str, rows: &[GapMove]| -> Option<String> {
        (!rows.is_empty()).then(|| {
            let items: Vec<String> = rows
                .iter()
                .map(|g| format!("{} ({} → {})", cell(&g.name), g.from, g.to))
                .collect();
            format!("- **{label}:** {}", items.join("; "))
        })
    };
    let lines: Vec<String> = [
        moves("Levels raised", &s.raised),
        moves("Levels lowered", &s.lowered),
        moves("Targets changed", &s.targets_changed),
        evidence("Evidence added", &s.evidence_added),
        evidence("Evidence removed", &s.evidence_removed),
        gaps("Gaps closed", &s.gaps_closed),
        gaps("Gaps opened", &s.gaps_opened),
    ]
    .into_iter()
    .flatten()
    .collect();
    if lines.is_empty() {
        out.push_str("No level, target or evidence changed.\n");
    }
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
}
