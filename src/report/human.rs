//! `--format human`: a graphical report (miette's layout), pointing at the exact key or value.
//!
//! Everything shown comes from untrusted files, so no renderer sees them raw: messages, help,
//! labels and file names have their control characters escaped (`crate::text`), and a source
//! line is shown as an excerpt around its span, escaped and cut to a bounded width, so that the
//! output grows with the number of findings and not with the length of the lines.
//!
//! The layout is miette's graphical report (unicode, one line of context); our own drawing
//! (`graphic`) produces it, byte for byte what miette 7.6 produced, which a differential test
//! against miette (`reference`, in tests only) holds on thousands of random reports.

#[cfg(test)]
mod differential;
mod excerpt;
mod graphic;
#[cfg(test)]
mod reference;

use super::{Outcome, Reporter};
use crate::diagnostic::Diagnostic;
use crate::error::Fatal;
use crate::rules::Severity;
use crate::text::{self, plural};
use excerpt::Excerpt;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};

#[derive(Debug)]
pub struct Human {
    pub color: bool,
    pub width: usize,
}

impl Human {
    /// The renderer for standard output: colour on a terminal unless `NO_COLOR` is set (and
    /// not empty), lines of 100 columns whatever the terminal's width, so output is the same
    /// everywhere.
    pub fn for_terminal() -> Human {
        let color = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Human { color, width: 100 }
    }

    fn layout(&self, wrap: bool) -> Layout {
        Layout {
            color: self.color,
            width: self.width,
            wrap,
        }
    }

    /// Renders a fatal error (exit 2) the same way, for stderr. Lines are not wrapped: every
    /// line then starts with the report's own drawing, never with text from a file (a GitHub
    /// runner would take a line starting with `::` as a workflow command).
    pub fn render_fatal(&self, fatal: &Fatal) -> String {
        let report = Report {
            message: text::one_line(&fatal.message),
            code: None,
            severity: None,
            help: fatal.help.as_deref().map(text::one_line),
            excerpt: fatal.at.as_ref().map(|(file, span)| {
                Excerpt::new(file, &[(span.clone(), Some("here".to_owned()), true)])
            }),
        };
        render(&report, &self.layout(false))
    }
}

impl Reporter for Human {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()> {
        let layout = self.layout(true);
        // Which findings show their line is decided in order; each is then rendered on its own,
        // in parallel, and written in order. Batches bound the rendered text held at once.
        let mut shown_per_line: HashMap<(&str, usize), usize> = HashMap::new();
        let mut shown: Vec<(&Diagnostic, bool)> = Vec::new();
        for d in outcome.diagnostics.iter().filter(|d| d.waived.is_none()) {
            let line = d.file.line_index(d.span.start);
            let count = shown_per_line.entry((&d.file.name, line)).or_default();
            *count += 1;
            shown.push((d, *count <= EXCERPTS_PER_LINE));
        }
        for batch in shown.chunks(BATCH) {
            let rendered: Vec<String> = batch
                .par_iter()
                .map(|&(d, excerpt)| {
                    let report = if excerpt {
                        Report::new(d)
                    } else {
                        Report::positioned(d)
                    };
                    render(&report, &layout)
                })
                .collect();
            for text in rendered {
                writeln!(out, "{text}")?;
            }
        }
        writeln!(out, "{}", summary_line(outcome))
    }
}

pub(crate) fn summary_line(outcome: &Outcome<'_>) -> String {
    let c = outcome.counts;
    let scope = format!(
        "{} ({})",
        plural(outcome.documents, "document", "documents"),
        plural(outcome.profiles, "profile", "profiles")
    );
    let mut line = if c.errors + c.warnings + c.infos == 0 {
        format!("No problems found in {scope}")
    } else {
        format!(
            "Found {}, {}, {} in {scope}",
            plural(c.errors, "error", "errors"),
            plural(c.warnings, "warning", "warnings"),
            plural(c.infos, "info", "infos")
        )
    };
    if c.waived > 0 {
        line.push_str(&format!("; {} waived", c.waived));
    }
    line.push('.');
    line
}

/// Findings on one line that show it; further ones name their position instead, so that many
/// findings on one line (thousands of broken links, say) do not repeat it thousands of times.
const EXCERPTS_PER_LINE: usize = 10;
/// Findings rendered at once, in parallel.
const BATCH: usize = 4096;

/// How a report is laid out: colour or not, the width of its lines, whether text is wrapped.
struct Layout {
    color: bool,
    width: usize,
    wrap: bool,
}

fn render(report: &Report, layout: &Layout) -> String {
    // The excerpt is not drawn only if it holds what `Excerpt::new` never puts in one (a raw
    // control character, a label outside it); the report then still names the problem.
    graphic::render(report, layout)
        .unwrap_or_else(|| graphic::render_without_excerpt(report, layout))
}

/// What one report shows, its text escaped: a finding, or a fatal error (no code, no severity).
struct Report {
    message: String,
    code: Option<&'static str>,
    severity: Option<Severity>,
    help: Option<String>,
    excerpt: Option<Excerpt>,
}

impl Report {
    fn new(d: &Diagnostic) -> Report {
        let mut labels = vec![(d.span.clone(), d.label.clone(), true)];
        labels.extend(
            d.related
                .iter()
                .map(|(s, l)| (s.clone(), Some(l.clone()), false)),
        );
        Report {
            message: text::one_line(&d.message),
            code: Some(d.rule.id()),
            severity: Some(d.severity),
            help: d.help.as_deref().map(text::keep_lines),
            excerpt: Some(Excerpt::new(&d.file, &labels)),
        }
    }

    /// Without the source excerpt: the position leads the message.
    fn positioned(d: &Diagnostic) -> Report {
        let at = d.file.position(d.span.start);
        Report {
            message: format!(
                "{}:{}:{}: {}",
                text::one_line(&d.file.name),
                at.line,
                at.column,
                text::one_line(&d.message)
            ),
            code: Some(d.rule.id()),
            severity: Some(d.severity),
            help: d.help.as_deref().map(text::keep_lines),
            excerpt: None,
        }
    }
}
