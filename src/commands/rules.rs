//! `smm-lint rules` and `smm-lint explain`.

use super::ExitStatus;
use crate::error::Fatal;
use crate::rules::{self, Rule};
use crate::stdout::write_error;
use std::io::Write;

/// One line per rule: id, default severity, summary, and what it needs.
pub(crate) fn list(out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    let width = Rule::ALL.iter().map(|r| r.id().len()).max().unwrap_or(0);
    for doc in rules::docs() {
        let mut note = String::new();
        if doc.fixable {
            note.push_str(" (fixable)");
        }
        if !doc.enabled {
            note.push_str(&format!(
                " (off by default; {} when turned on)",
                doc.severity.name()
            ));
        }
        match doc.rule.needs() {
            rules::Needs::Online => note.push_str(" (with --online)"),
            rules::Needs::Base => note.push_str(" (with --base)"),
            rules::Needs::Nothing => {}
        }
        writeln!(
            out,
            "{:width$}  {:7}  {}{note}",
            doc.rule.id(),
            if doc.enabled {
                doc.severity.name()
            } else {
                "off"
            },
            doc.summary
        )
        .map_err(write_error)?;
    }
    Ok(ExitStatus::Success)
}

/// A rule's documentation; an unknown id is an error with the closest ids as help.
pub(crate) fn explain(id: &str, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    let Some(rule) = Rule::from_id(&id.trim().to_lowercase()) else {
        let help = crate::rules::rule_help(id);
        return Err(Fatal::new(format!("unknown rule `{}`", crate::text::excerpt(id))).help(help));
    };
    let doc = rule.doc();
    let mut fixable = if doc.fixable { ", fixable" } else { "" }.to_owned();
    if !doc.enabled {
        fixable.push_str(", off by default: turn it on in .smm-lint.yaml");
    }
    writeln!(
        out,
        "{} (default severity: {}{fixable})\n",
        rule.id(),
        doc.severity.name()
    )
    .map_err(write_error)?;
    write!(out, "{}", doc.body).map_err(write_error)?;
    Ok(ExitStatus::Success)
}
