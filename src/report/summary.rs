//! `--format summary-md`: the gap table as GitHub-flavoured Markdown, for a job summary
//! (`$GITHUB_STEP_SUMMARY`) or a pull request comment.

use super::{Outcome, Reporter};
use crate::gap::GapRow;
use std::io::{self, Write};

#[derive(Debug)]
pub struct SummaryMd;

use crate::text::{markdown, markdown_code};

fn level(l: Option<crate::model::level::Level>) -> String {
    l.map_or_else(|| "—".to_owned(), |l| l.to_string())
}

impl Reporter for SummaryMd {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut profiles: Vec<&str> = outcome.gaps.iter().map(|r| r.profile.as_str()).collect();
        profiles.dedup();
        writeln!(out, "## smm-lint\n")?;
        writeln!(out, "{}\n", super::human::summary_line(outcome))?;
        for profile in profiles {
            writeln!(out, "### Profile {}\n", markdown_code(profile))?;
            writeln!(out, "| practice | target | current | gap | findings |")?;
            writeln!(out, "|---|---|---|---|---:|")?;
            for row in outcome.gaps.iter().filter(|r| r.profile == profile) {
                write_row(row, out)?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}

fn write_row(row: &GapRow, out: &mut dyn Write) -> io::Result<()> {
    let gap = row.gap();
    let gap = if gap == "met" || gap == "not applicable" {
        gap
    } else {
        format!("**{gap}**")
    };
    writeln!(
        out,
        "| {} ({}) | {} | {} | {} | {} |",
        markdown(&row.name),
        markdown_code(&row.practice),
        level(row.target),
        level(row.current),
        gap,
        row.findings
    )
}
