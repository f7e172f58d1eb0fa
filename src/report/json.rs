//! `--format json`: one object, `version` 1, stable field names (the contract in the README).

use super::{Outcome, Reporter};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Debug)]
pub struct Json;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    diagnostics: Vec<Item<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Item<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waived: Option<WaivedItem<'a>>,
}

#[derive(Serialize)]
struct WaivedItem<'a> {
    reason: &'a str,
    expires: String,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    waived: usize,
    documents: usize,
    profiles: usize,
}

impl Reporter for Json {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()> {
        let diagnostics = outcome
            .diagnostics
            .iter()
            .map(|d| {
                let start = d.file.position(d.span.start);
                let end = d.file.position(d.span.end);
                Item {
                    rule: d.rule.id(),
                    severity: d.severity.name(),
                    message: &d.message,
                    path: &d.file.name,
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    help: d.help.as_deref(),
                    waived: d.waived.as_ref().map(|w| WaivedItem {
                        reason: &w.reason,
                        expires: w.expires.to_string(),
                    }),
                }
            })
            .collect();
        let c = outcome.counts;
        let doc = Doc {
            version: 1,
            diagnostics,
            summary: Summary {
                errors: c.errors,
                warnings: c.warnings,
                infos: c.infos,
                waived: c.waived,
                documents: outcome.documents,
                profiles: outcome.profiles,
            },
        };
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
        writeln!(out)
    }
}
