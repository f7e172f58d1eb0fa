//! `--format human`: miette's graphical report, pointing at the exact key or value.
//!
//! Everything shown comes from untrusted files, so miette never sees them raw: messages, help,
//! labels and file names have their control characters escaped (`crate::text`), and a source
//! line is shown as an excerpt around its span, escaped and cut to a bounded width, so that the
//! output grows with the number of findings and not with the length of the lines.

use super::{Outcome, Reporter};
use crate::diagnostic::Diagnostic;
use crate::error::Fatal;
use crate::rules::Severity;
use crate::source::SourceFile;
use crate::text::{self, plural};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::collections::HashMap;
use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::ops::Range;

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

    fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false)
            .with_context_lines(CONTEXT)
            // Lines break at spaces only: an id is never split at its hyphens, nor a path at `/`.
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
            .with_word_separator(textwrap::WordSeparator::AsciiSpace)
    }

    /// Renders a fatal error (exit 2) the same way, for stderr. Lines are not wrapped: every
    /// line then starts with the report's own drawing, never with text from a file (a GitHub
    /// runner would take a line starting with `::` as a workflow command).
    pub fn render_fatal(&self, fatal: &Fatal) -> String {
        let view = FatalView {
            message: text::one_line(&fatal.message),
            help: fatal.help.as_deref().map(text::one_line),
            excerpt: fatal.at.as_ref().map(|(file, span)| {
                Excerpt::new(file, &[(span.clone(), Some("here".to_owned()), true)])
            }),
        };
        let mut rendered = String::new();
        let handler = self.handler().with_wrap_lines(false);
        if handler.render_report(&mut rendered, &view).is_err() {
            rendered = format!("error: {}\n", view.message);
        }
        rendered
    }
}

impl Reporter for Human {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()> {
        let handler = self.handler();
        let mut shown_per_line: HashMap<(&str, usize), usize> = HashMap::new();
        for d in outcome.diagnostics.iter().filter(|d| d.waived.is_none()) {
            let line = d.file.line_index(d.span.start);
            let shown = shown_per_line.entry((&d.file.name, line)).or_default();
            *shown += 1;
            let view = if *shown <= EXCERPTS_PER_LINE {
                View::new(d)
            } else {
                View::positioned(d)
            };
            let mut text = String::new();
            handler
                .render_report(&mut text, &view)
                .map_err(io::Error::other)?;
            writeln!(out, "{text}")?;
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

/// miette renders `std::error::Error`s; ours show their (already escaped) message.
macro_rules! error_from_message {
    ($view:ident) => {
        impl fmt::Debug for $view {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message)
            }
        }
        impl fmt::Display for $view {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message)
            }
        }
        impl std::error::Error for $view {}
    };
}

/// Findings on one line that show it; further ones name their position instead, so that many
/// findings on one line (thousands of broken links, say) do not repeat it thousands of times.
const EXCERPTS_PER_LINE: usize = 10;
/// Characters of a source line shown around a span, at most (escapes count as their width).
const SHOWN: usize = 100;
/// Of those, characters kept before the span when the line is cut.
const LEAD: usize = 24;
/// Lines shown before and after a span: miette's default.
const CONTEXT: usize = 1;
const CUT: &str = "…";

/// A label in file offsets: span, text, primary.
type FileLabel = (Range<usize>, Option<String>, bool);

/// What miette is given of a file for one report: the lines near the labels, escaped and cut,
/// laid out line for line as in the file (lines far from every label are left empty, so line
/// numbers stay right), with the labels moved onto the excerpt.
struct Excerpt {
    name: String,
    text: String,
    /// The file's 0-based line where `text` starts.
    first_line: usize,
    /// Where the primary label starts in `text`, and its column in the file (0-based, chars).
    primary: Option<(usize, usize)>,
    labels: Vec<LabeledSpan>,
}

impl Excerpt {
    fn new(file: &SourceFile, labels: &[FileLabel]) -> Excerpt {
        let snap = |offset: usize| {
            let mut offset = offset.min(file.text.len());
            while !file.text.is_char_boundary(offset) {
                offset -= 1;
            }
            offset
        };
        let spans: Vec<(usize, usize)> = labels
            .iter()
            .map(|(span, _, _)| {
                let start = snap(span.start);
                (start, snap(span.end).max(start))
            })
            .collect();
        let lines_of =
            |&(start, end): &(usize, usize)| (file.line_index(start), file.line_index(end));
        let last_line = file.line_count() - 1;
        let shown: Vec<Range<usize>> = spans
            .iter()
            .map(lines_of)
            .map(|(a, b)| a.saturating_sub(CONTEXT)..(b + CONTEXT).min(last_line) + 1)
            .collect();
        let first_line = shown.iter().map(|r| r.start).min().unwrap_or(0);
        let end_line = shown.iter().map(|r| r.end).max().unwrap_or(0);
        // The label points on each shown line decide where that line is cut.
        let primary_start = labels
            .iter()
            .zip(&spans)
            .find(|((_, _, primary), _)| *primary)
            .map(|(_, s)| s.0);
        let mut text = String::new();
        let mut cuts: Vec<(usize, Cut)> = Vec::new();
        for line in first_line..end_line {
            if line > first_line {
                text.push('\n');
            }
            if !shown.iter().any(|r| r.contains(&line)) {
                continue;
            }
            let bytes = file.line_bytes(line);
            let on_line = |p: &usize| bytes.start <= *p && *p <= bytes.end;
            let points = spans.iter().flat_map(|&(s, e)| [s, e]).filter(on_line);
            let focus = primary_start
                .filter(on_line)
                .or_else(|| points.min())
                .unwrap_or(bytes.start);
            let cut = Cut::new(&file.text, bytes, focus, text.len());
            text.push_str(&cut.shown);
            cuts.push((line, cut));
        }
        let place = |offset: usize| {
            let line = file.line_index(offset);
            cuts.iter()
                .find(|(l, _)| *l == line)
                .map_or(0, |(_, cut)| cut.place(&file.text, offset))
        };
        let mut primary = None;
        let labels = labels
            .iter()
            .zip(&spans)
            .map(|((_, label, is_primary), &(start, end))| {
                let (from, to) = (place(start), place(end));
                let span = SourceSpan::new(from.into(), to.saturating_sub(from));
                let label = label.as_deref().map(text::one_line);
                if *is_primary {
                    let column = file.text[file.line_bytes(file.line_index(start)).start..start]
                        .chars()
                        .count();
                    primary = Some((from, column));
                    LabeledSpan::new_primary_with_span(label, span)
                } else {
                    LabeledSpan::new_with_span(label, span)
                }
            })
            .collect();
        Excerpt {
            name: text::one_line(&file.name),
            text,
            first_line,
            primary,
            labels,
        }
    }
}

/// One source line as shown: at most `SHOWN` characters around a focus, escaped, with `…` where
/// it was cut.
struct Cut {
    /// The part of the line shown, in file offsets.
    kept: Range<usize>,
    /// Where `shown` starts in the excerpt.
    at: usize,
    /// The length of the leading `…` (0 when the line is shown from its start).
    prefix: usize,
    shown: String,
}

impl Cut {
    fn new(file: &str, line: Range<usize>, focus: usize, at: usize) -> Cut {
        let fits = file[line.clone()]
            .chars()
            .try_fold(0, |width, c| {
                Some(width + text::shown_len(c)).filter(|w| *w <= SHOWN)
            })
            .is_some();
        let start = if fits {
            line.start
        } else {
            file[line.start..focus]
                .char_indices()
                .rev()
                .take(LEAD)
                .last()
                .map_or(focus, |(i, _)| line.start + i)
        };
        let mut width = 0;
        let mut end = line.end;
        for (i, c) in file[start..line.end].char_indices() {
            width += text::shown_len(c);
            if width > SHOWN {
                end = start + i;
                break;
            }
        }
        let mut shown = String::new();
        if start > line.start {
            shown.push_str(CUT);
        }
        let prefix = shown.len();
        shown.push_str(&text::one_line(&file[start..end]));
        if end < line.end {
            shown.push_str(CUT);
        }
        Cut {
            kept: start..end,
            at,
            prefix,
            shown,
        }
    }

    /// Where a file offset on this line lands in the excerpt; offsets outside the kept part land
    /// on its edges.
    fn place(&self, file: &str, offset: usize) -> usize {
        if offset <= self.kept.start {
            let on_cut = offset < self.kept.start;
            return self.at + if on_cut { 0 } else { self.prefix };
        }
        if offset > self.kept.end {
            return self.at + self.shown.len();
        }
        self.at + self.prefix + text::one_line(&file[self.kept.start..offset]).len()
    }
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

struct View {
    message: String,
    code: &'static str,
    severity: Severity,
    help: Option<String>,
    excerpt: Option<Excerpt>,
}

impl View {
    fn new(d: &Diagnostic) -> View {
        let mut labels = vec![(d.span.clone(), d.label.clone(), true)];
        labels.extend(
            d.related
                .iter()
                .map(|(s, l)| (s.clone(), Some(l.clone()), false)),
        );
        View {
            message: text::one_line(&d.message),
            excerpt: Some(Excerpt::new(&d.file, &labels)),
            ..View::positioned(d)
        }
    }

    /// Without the source excerpt: the position leads the message.
    fn positioned(d: &Diagnostic) -> View {
        let at = d.file.position(d.span.start);
        View {
            message: format!(
                "{}:{}:{}: {}",
                text::one_line(&d.file.name),
                at.line,
                at.column,
                text::one_line(&d.message)
            ),
            code: d.rule.id(),
            severity: d.severity,
            help: d.help.as_deref().map(text::keep_lines),
            excerpt: None,
        }
    }
}

error_from_message!(View);

impl miette::Diagnostic for View {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
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
        Some(Box::new(excerpt.labels.iter().cloned()))
    }
}

struct FatalView {
    message: String,
    help: Option<String>,
    excerpt: Option<Excerpt>,
}

error_from_message!(FatalView);

impl miette::Diagnostic for FatalView {
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
        Some(Box::new(excerpt.labels.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_its_focus_and_offsets_follow() {
        let line = format!("{}\u{1b}[x]{}", "a".repeat(500), "b".repeat(500));
        let focus = 500;
        let cut = Cut::new(&line, 0..line.len(), focus, 7);
        assert!(cut.shown.starts_with("…aaaa"));
        assert!(cut.shown.ends_with("b…"));
        assert!(cut.shown.contains("\\u{1b}[x]"));
        assert!(cut.shown.chars().count() <= SHOWN + 2);
        // The focus lands just after the kept lead; offsets outside land on the edges.
        let at = cut.place(&line, focus);
        assert_eq!(at, 7 + CUT.len() + LEAD);
        assert!(cut.shown[at - 7..].starts_with("\\u{1b}[x]"));
        assert_eq!(cut.place(&line, focus + 1), at + "\\u{1b}".len());
        assert_eq!(cut.place(&line, 0), 7);
        assert_eq!(cut.place(&line, line.len()), 7 + cut.shown.len());
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let cut = Cut::new("  key: value\r", 0..12, 7, 0);
        assert_eq!(
            (cut.shown.as_str(), cut.place("  key: value", 7)),
            ("  key: value", 7)
        );
    }

    #[test]
    fn an_excerpt_keeps_line_numbers_and_columns() {
        let text = format!(
            "one\r\ntwo\r\n{}\r\nthree {}\r\n",
            "x".repeat(3000),
            "y".repeat(3000)
        );
        let file = SourceFile::new("f\u{7}.md".into(), text.clone());
        let at = text.find("three").expect("line") + 6;
        let excerpt = Excerpt::new(&file, &[(at..at + 3, Some("here".into()), true)]);
        assert_eq!(excerpt.name, "f\\u{7}.md");
        assert_eq!(excerpt.first_line, 2);
        let lines: Vec<&str> = excerpt.text.split('\n').collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].starts_with("xxx") && lines[0].ends_with('…'));
        assert!(lines[1].starts_with("three yyy") && lines[1].ends_with('…'));
        let label = &excerpt.labels[0];
        assert_eq!(
            &excerpt.text[label.offset()..label.offset() + label.len()],
            "yyy"
        );
        let contents = excerpt
            .read_span(label.inner(), 0, 0)
            .expect("the label's line");
        assert_eq!((contents.line(), contents.column()), (3, 6));
    }
}
