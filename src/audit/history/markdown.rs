//! `history --format md`: a table per domain (practices against points, oldest on the left, so
//! a row reads as a timeline and each arrow compares a cell with the one before it), then the
//! derived facts as lines.
//!
//! Every string from a document or from git (names, ids, tags, paths) goes through `cell` or
//! `code`, so it shows as written and can never become HTML, a link or a new table cell.

use super::{
    Cell, DomainRows, Part, ProfileRows, Timeline, cell as practice_cell, change, fact_groups,
    profiles, range_line, short,
};
use crate::history::model::{DocumentState, History, Point, PracticePoint};
use crate::report::markdown::{cell, code};
use std::fmt::Write as _;

const KEY: &str = "Columns are the points, oldest on the left. ↑ raised, ↓ lowered, ↕ more \
                   comprehensive but broader in scope (or the reverse), since the last point \
                   at which the level was known; — no claim; n/a not applicable; *unparsed*: \
                   the document did not parse there, its levels are unknown; *missing*: no \
                   document. A target in brackets is the target at that point, where it \
                   differs from the newest one.";

pub(super) fn render(history: &History) -> String {
    let mut out = String::from("# Maturity history\n\n");
    let _ = writeln!(out, "{}\n", parts(&range_line(history)));
    let timeline = Timeline::new(history);
    for profile in profiles(history) {
        let _ = writeln!(out, "## Profile {}\n", code(&profile.id));
        for domain in &profile.domains {
            domain_table(&mut out, &timeline, &profile, domain);
        }
    }
    if !timeline.points.is_empty() {
        let _ = writeln!(out, "{KEY}\n");
    }
    unparsed(&mut out, &timeline.points);
    out.push_str("## What changed\n\n");
    for group in fact_groups(history, &timeline, None) {
        let _ = writeln!(out, "### {}\n", group.title);
        if group.lines.is_empty() {
            let _ = writeln!(out, "{}\n", group.none);
            continue;
        }
        for line in &group.lines {
            let _ = writeln!(out, "- {}", parts(line));
        }
        out.push('\n');
    }
    out
}

fn parts(line: &[Part]) -> String {
    line.iter()
        .map(|part| match part {
            Part::Text(text) => cell(text),
            Part::Code(text) => code(text),
        })
        .collect()
}

fn heading(point: &Point) -> String {
    let mut out = format!("{} {}", cell(&point.date), code(short(&point.commit)));
    for tag in &point.tags {
        let _ = write!(out, " {}", code(tag));
    }
    out
}

fn domain_table(out: &mut String, t: &Timeline<'_>, profile: &ProfileRows, domain: &DomainRows) {
    let points = &t.points;
    let _ = writeln!(out, "### {}\n", cell(&domain.name));
    out.push_str("| practice | target |");
    for point in points {
        let _ = write!(out, " {} |", heading(point));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(points.len()));
    out.push('\n');
    rollup_row(
        out,
        t,
        &profile.id,
        &domain.id,
        &format!("**{}**", cell(&domain.name)),
    );
    for subdomain in &domain.subdomains {
        let label = format!("*{}*", cell(&subdomain.name));
        rollup_row(out, t, &profile.id, &subdomain.id, &label);
        for (id, name) in &subdomain.practices {
            practice_row(out, t, &profile.id, id, name);
        }
    }
    out.push('\n');
}

/// A domain's or subdomain's rollups: `n/a` where no practice below it applies, `?` after a
/// rollup that rests on a document that did not parse.
fn rollup_row(out: &mut String, t: &Timeline<'_>, profile: &str, id: &str, label: &str) {
    let newest = t.newest_rollup(profile, id);
    let target = newest
        .and_then(|r| r.target.as_deref())
        .map_or("—".to_owned(), cell);
    let _ = write!(out, "| {label} | {target} |");
    let mut before: Option<Option<&str>> = None;
    for i in 0..t.points.len() {
        let Some(rollup) = t.rollup(i, profile, id) else {
            out.push_str(" |");
            continue;
        };
        let current = rollup.current.as_deref();
        let mut text = if rollup.applicable {
            current.map_or("—".to_owned(), cell)
        } else {
            "n/a".to_owned()
        };
        if let Some(arrow) = before.and_then(|b| change(b, current)) {
            let _ = write!(text, " {}", arrow.arrow());
        }
        if t.uncertain(i, profile, id) {
            text.push_str(" ?");
        }
        before = Some(current);
        let _ = write!(out, " {text} |");
    }
    out.push('\n');
}

fn practice_row(out: &mut String, t: &Timeline<'_>, profile: &str, id: &str, name: &str) {
    let history_target = t.newest_target(profile, id);
    let _ = write!(
        out,
        "| {} ({}) | {} |",
        cell(name),
        code(id),
        history_target.map_or("—".to_owned(), cell)
    );
    for (practice, changed) in t.practice_line(profile, id) {
        let mut text = match practice_cell(practice) {
            Cell::Absent => String::new(),
            Cell::Unparsed => "*unparsed*".to_owned(),
            Cell::Missing => "*missing*".to_owned(),
            Cell::NotApplicable => "n/a".to_owned(),
            Cell::Current(level) => level.map_or("—".to_owned(), cell),
        };
        if let Some(arrow) = changed {
            let _ = write!(text, " {}", arrow.arrow());
        }
        if let Some(target) = other_target(practice, history_target) {
            let _ = write!(text, " (target {})", cell(target));
        }
        let _ = write!(out, " {text} |");
    }
    out.push('\n');
}

/// The practice's target at a point, when it differs from the newest known target.
fn other_target<'a>(practice: Option<&'a PracticePoint>, newest: Option<&str>) -> Option<&'a str> {
    let p = practice.filter(|p| p.document == DocumentState::Parsed)?;
    let target = p.target.as_deref()?;
    (Some(target) != newest).then_some(target)
}

fn unparsed(out: &mut String, points: &[&Point]) {
    let with: Vec<&&Point> = points.iter().filter(|p| !p.unparsed.is_empty()).collect();
    if with.is_empty() {
        return;
    }
    out.push_str("## Documents that did not parse\n\n");
    for point in with {
        let paths: Vec<String> = point.unparsed.iter().map(|p| code(p)).collect();
        let _ = writeln!(out, "- {}: {}", heading(point), paths.join(", "));
    }
    out.push('\n');
}
