//! `--format summary-md`: the gap table as GitHub-flavoured Markdown, for a job summary
//! (`$GITHUB_STEP_SUMMARY`) or a pull request comment.

use super::markdown::{cell, code, gap, level};
use super::{Outcome, Reporter};
use crate::gap::GapRow;
use crate::model::catalogue::Tier;
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Debug)]
pub(crate) struct SummaryMd;

impl Reporter for SummaryMd {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut profiles: Vec<&str> = outcome.gaps.iter().map(|r| r.profile.as_str()).collect();
        profiles.dedup();
        // Each profile's rows found once, not by a scan of every row per profile (which grew
        // with the square of the number of profiles).
        let mut rows: HashMap<&str, Vec<&GapRow>> = HashMap::new();
        for row in outcome.gaps {
            rows.entry(row.profile.as_str()).or_default().push(row);
        }
        writeln!(out, "## smm-lint\n")?;
        writeln!(out, "{}\n", super::human::summary_line(outcome))?;
        for profile in profiles {
            writeln!(out, "### Profile {}\n", code(profile))?;
            writeln!(out, "| practice | target | current | gap | findings |")?;
            writeln!(out, "|---|---|---|---|---:|")?;
            for row in rows.get(profile).into_iter().flatten() {
                write_row(row, out)?;
            }
            writeln!(out, "\n{}\n", crate::gap::ROLLUP_NOTE)?;
        }
        Ok(())
    }
}

fn write_row(row: &GapRow, out: &mut dyn Write) -> io::Result<()> {
    // A domain's rollup in bold, a subdomain's in italics, as in the report.
    let mark = match row.tier {
        Tier::Domain => "**",
        Tier::Subdomain => "*",
        Tier::Practice => "",
    };
    if !mark.is_empty() {
        let rollup = |l: Option<crate::model::level::Level>| {
            l.map_or_else(|| "n/a".to_owned(), |l| format!("{mark}{l}{mark}"))
        };
        return writeln!(
            out,
            "| {mark}{}{mark} | {} | {} | | |",
            cell(&row.name),
            rollup(row.target),
            rollup(row.current)
        );
    }
    writeln!(
        out,
        "| {} ({}) | {} | {} | {} | {} |",
        cell(&row.name),
        code(&row.practice),
        level(row.target),
        if row.applicable {
            level(row.current)
        } else {
            "n/a".to_owned()
        },
        gap(row.gap()),
        row.findings
    )
}
