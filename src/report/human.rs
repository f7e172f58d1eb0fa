//! `--format human`: miette's graphical report, pointing at the exact key or value.

use super::{Outcome, Reporter};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Fatal;
use crate::source::SourceFile;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

#[derive(Debug)]
pub struct Human {
    pub color: bool,
    pub width: usize,
}

impl Human {
    fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false)
    }

    /// Renders a fatal error (exit 2) the same way, for stderr.
    pub fn render_fatal(&self, fatal: &Fatal) -> String {
        let view = FatalView(
            fatal,
            fatal.at.as_ref().map(|(file, _)| Source {
                file: Arc::clone(file),
            }),
        );
        let mut text = String::new();
        if self.handler().render_report(&mut text, &view).is_err() {
            text = format!("error: {}\n", fatal.message);
        }
        text
    }
}

impl Reporter for Human {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()> {
        let handler = self.handler();
        for d in outcome.diagnostics.iter().filter(|d| d.waived.is_none()) {
            let mut text = String::new();
            handler
                .render_report(&mut text, &View::new(d))
                .map_err(io::Error::other)?;
            writeln!(out, "{text}")?;
        }
        writeln!(out, "{}", summary_line(outcome))
    }
}

pub fn summary_line(outcome: &Outcome<'_>) -> String {
    let c = outcome.counts;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let scope = format!(
        "{} ({})",
        plural(outcome.documents, "document"),
        plural(outcome.profiles, "profile")
    );
    let mut line = if c.errors + c.warnings + c.infos == 0 {
        format!("No problems found in {scope}")
    } else {
        format!(
            "Found {}, {}, {} in {scope}",
            plural(c.errors, "error"),
            plural(c.warnings, "warning"),
            plural(c.infos, "info")
        )
    };
    if c.waived > 0 {
        line.push_str(&format!("; {} waived", c.waived));
    }
    line.push('.');
    line
}

/// miette renders `std::error::Error`s; ours show their message.
macro_rules! error_from_message {
    ($view:ident) => {
        impl fmt::Debug for $view<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0.message)
            }
        }
        impl fmt::Display for $view<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0.message)
            }
        }
        impl std::error::Error for $view<'_> {}
    };
}

/// A file as miette source code, without copying its text.
struct Source {
    file: Arc<SourceFile>,
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.file.text.as_str().read_span(span, before, after)?;
        // Columns count characters, as in the JSON output (miette's own count is in bytes).
        let column = self.file.position(inner.span().offset()).column - 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.file.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

struct View<'a>(&'a Diagnostic, Source);

impl<'a> View<'a> {
    fn new(d: &'a Diagnostic) -> View<'a> {
        View(
            d,
            Source {
                file: Arc::clone(&d.file),
            },
        )
    }
}

error_from_message!(View);

fn span(range: &std::ops::Range<usize>) -> SourceSpan {
    SourceSpan::new(range.start.into(), range.end.saturating_sub(range.start))
}

impl miette::Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.0.rule.id()))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.1)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let d = self.0;
        let primary = LabeledSpan::new_primary_with_span(d.label.clone(), span(&d.span));
        let related = d
            .related
            .iter()
            .map(|(s, l)| LabeledSpan::new_with_span(Some(l.clone()), span(s)));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

struct FatalView<'a>(&'a Fatal, Option<Source>);

error_from_message!(FatalView);

impl miette::Diagnostic for FatalView<'_> {
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.1.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, range) = self.0.at.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".to_owned()), span(range)),
        )))
    }
}
