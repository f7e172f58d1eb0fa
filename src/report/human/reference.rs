//! miette's graphical handler, set up as the human report used it: the reference our drawing is
//! tested against.

use super::excerpt::Excerpt;
use super::{Layout, Report};
use crate::rules::Severity;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

pub(super) fn render(report: &Report, layout: &Layout) -> Result<String, fmt::Error> {
    let mut rendered = String::new();
    handler(layout).render_report(&mut rendered, report)?;
    Ok(rendered)
}

fn handler(layout: &Layout) -> GraphicalReportHandler {
    let theme = if layout.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(layout.width)
        .with_links(false)
        .with_context_lines(super::excerpt::CONTEXT)
        .with_wrap_lines(layout.wrap)
        // Lines break at spaces only: an id is never split at its hyphens, nor a path at `/`.
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        // The header's column counts characters of the file, as in the JSON output.
        let column = match self.primary {
            Some((at, column)) if at == span.offset() => column,
            _ => inner.column(),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

/// miette renders `std::error::Error`s; ours show their (already escaped) message.
impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code
            .map(|code| Box::new(code) as Box<dyn fmt::Display + 'b>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.severity.map(|severity| match severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.as_ref().map(|e| e as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let excerpt = self.excerpt.as_ref()?;
        Some(Box::new(excerpt.labels.iter().map(|label| {
            let span = SourceSpan::new(label.offset.into(), label.len);
            if label.primary {
                LabeledSpan::new_primary_with_span(label.text.clone(), span)
            } else {
                LabeledSpan::new_with_span(label.text.clone(), span)
            }
        })))
    }
}
