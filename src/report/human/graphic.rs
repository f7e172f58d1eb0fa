//! The graphical report drawn by our own code, byte for byte the layout miette's graphical
//! handler (7.6, unicode themes with and without colour, one line of context) gives our reports:
//! labels on one line (several on the same line, or on different lines, grouped into boxes as
//! miette groups them), labels across lines in a gutter, empty labels and labels at the end, and
//! message and help wrapped as textwrap wraps them.
//!
//! Why our own: miette built each report through trait objects, re-read the excerpt once per
//! label and per box, and wrapped every message and help with textwrap; on a tree with tens of
//! thousands of findings that cost more than parsing the whole tree. Here a report is one pass
//! over the excerpt's few lines, and textwrap is called only for text that does not fit. The
//! binary also sheds miette and what it brings (backtraces, terminal probing).

use super::excerpt::{CONTEXT, Excerpt, Label};
use super::{Layout, Report};
use crate::rules::Severity;
use unicode_width::UnicodeWidthChar;

const RESET: &str = "\u{1b}[0m";

/// The escape sequences that start each styled part; empty for no style.
struct Palette {
    error: &'static str,
    warning: &'static str,
    advice: &'static str,
    help: &'static str,
    link: &'static str,
    linum: &'static str,
    /// Label styles, given to the labels in turn (by offset).
    highlights: &'static [&'static str],
}

const COLOR: Palette = Palette {
    error: "\u{1b}[31m",
    warning: "\u{1b}[33m",
    advice: "\u{1b}[36m",
    help: "\u{1b}[36m",
    link: "\u{1b}[36;1;4m",
    linum: "\u{1b}[2m",
    highlights: &["\u{1b}[35;1m", "\u{1b}[33;1m", "\u{1b}[32;1m"],
};

const PLAIN: Palette = Palette {
    error: "",
    warning: "",
    advice: "",
    help: "",
    link: "",
    linum: "",
    highlights: &[""],
};

fn paint(out: &mut String, style: &str, text: &str) {
    if style.is_empty() {
        out.push_str(text);
    } else {
        out.push_str(style);
        out.push_str(text);
        out.push_str(RESET);
    }
}

fn painted(style: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 12);
    paint(&mut out, style, text);
    out
}

fn end_style(out: &mut String, style: &str) {
    if !style.is_empty() {
        out.push_str(RESET);
    }
}

fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

fn push_number(out: &mut String, n: usize) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut n = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[at..].iter().map(|&d| char::from(d)));
}

fn push_n(out: &mut String, s: &str, n: usize) {
    for _ in 0..n {
        out.push_str(s);
    }
}

/// The report, or `None` if its excerpt holds what `Excerpt::new` never puts in one.
pub(super) fn render(report: &Report, layout: &Layout) -> Option<String> {
    draw(report, layout, true)
}

/// The report without its excerpt.
pub(super) fn render_without_excerpt(report: &Report, layout: &Layout) -> String {
    draw(report, layout, false).unwrap_or_default()
}

fn draw(report: &Report, layout: &Layout, with_excerpt: bool) -> Option<String> {
    let palette = if layout.color { &COLOR } else { &PLAIN };
    let (style, icon) = match report.severity {
        None | Some(Severity::Error) => (palette.error, "×"),
        Some(Severity::Warning) => (palette.warning, "⚠"),
        Some(Severity::Info) => (palette.advice, "☞"),
    };
    let mut out = String::with_capacity(1024);
    if let Some(code) = report.code {
        paint(&mut out, style, code);
        out.push_str("\n\n");
    }
    let indent = |mark: &str| {
        let mut indent = String::from("  ");
        paint(&mut indent, style, mark);
        indent.push(' ');
        indent
    };
    let (first, rest) = (indent(icon), indent("│"));
    fill(&mut out, &report.message, &first, &rest, layout);
    out.push('\n');
    if let Some(excerpt) = report.excerpt.as_ref().filter(|_| with_excerpt) {
        snippets(&mut out, excerpt, palette)?;
    }
    if let Some(help) = &report.help {
        let first = painted(palette.help, "  help: ");
        fill(&mut out, help, &first, "        ", layout);
        out.push('\n');
    }
    Some(out)
}

/// Text after its indents, wrapped to the layout's width as miette wraps it (textwrap, breaking
/// at ASCII spaces only); text that fits on the first line is copied without asking textwrap.
fn fill(out: &mut String, text: &str, first: &str, rest: &str, layout: &Layout) {
    let width = layout.width.saturating_sub(2);
    if !layout.wrap {
        indent(out, text, first, rest);
        return;
    }
    let room = width.saturating_sub(textwrap::core::display_width(first));
    // No character is wider than its UTF-8 bytes: text of fewer bytes than the room fits.
    let fits = !text.is_empty()
        && !text.contains('\n')
        && !text.ends_with(' ')
        && (text.len() < room || textwrap::core::display_width(text) < room);
    if fits {
        out.push_str(first);
        out.push_str(text);
        return;
    }
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(true)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    out.push_str(&textwrap::fill(text, options));
}

/// Text with its indents and without wrapping: blank lines get the indent without its trailing
/// space.
fn indent(out: &mut String, text: &str, first: &str, rest: &str) {
    for (i, line) in text.split_terminator('\n').enumerate() {
        let lead = if i == 0 { first } else { rest };
        if i > 0 {
            out.push('\n');
        }
        if line.trim().is_empty() {
            out.push_str(lead.trim_end());
        } else {
            out.push_str(lead);
        }
        out.push_str(line);
    }
    if text.ends_with('\n') {
        out.push('\n');
    }
}

/// The lines of the excerpt a group of labels is shown on, as miette reads them: `start..end` in
/// bytes, from the start of the line before the first label to the end (with its line break) of
/// the line after the last.
struct Context {
    start: usize,
    end: usize,
    /// 0-based line of the excerpt where the context starts.
    line: usize,
    /// Line breaks from the start of the excerpt to the end of the context.
    line_count: usize,
}

/// The context of `len` bytes at `offset` in `text` (which holds no `\r`), with `CONTEXT` lines
/// around it, as miette reads it; `None` when the span is not inside the text.
fn context(text: &str, offset: usize, len: usize) -> Option<Context> {
    if offset + len > text.len() {
        return None;
    }
    // From `CONTEXT` lines above the span's first line…
    let before = text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    let line = before.saturating_sub(CONTEXT);
    let mut start = offset;
    let mut found = 0;
    while found < CONTEXT + 1 {
        let Some(at) = text[..start].rfind('\n') else {
            start = 0;
            break;
        };
        start = at;
        found += 1;
    }
    if found == CONTEXT + 1 {
        start += 1;
    }
    // …to the end of the `CONTEXT`-th line below its last: line breaks count from the first one
    // after the span's last byte (after its offset, for an empty span).
    let last = (offset + len).saturating_sub(1);
    let span_end = offset + len.saturating_sub(1);
    let mut line_count = before;
    let mut after = 0;
    let mut end = text.len();
    for (i, _) in text[offset..].match_indices('\n') {
        let at = offset + i;
        line_count += 1;
        if at >= span_end && at > last {
            after += 1;
            if after > CONTEXT {
                end = at + 1;
                break;
            }
        }
    }
    (end >= last).then_some(Context {
        start,
        end,
        line,
        line_count,
    })
}

/// One line of a context: `length` counts its line break, `text` does not.
struct Line<'a> {
    number: usize,
    offset: usize,
    length: usize,
    text: &'a str,
}

impl Line<'_> {
    fn holds(&self, label: &Label) -> bool {
        label.offset >= self.offset && label.offset + label.len <= self.offset + self.length
    }

    /// Whether the label is drawn on this line at all (an empty label counts one byte).
    fn shows(&self, label: &Label) -> bool {
        let (start, end) = (label.offset, label.offset + label.len.max(1));
        let (from, to) = (self.offset, self.offset + self.length);
        (start >= from && start < to) || (start < from && end > to) || (end > from && end <= to)
    }

    /// Whether the label is drawn in the gutter: shown, and not starting and ending here.
    fn in_gutter(&self, label: &Label) -> bool {
        let (start, end) = (label.offset, label.offset + label.len.max(1));
        let (from, to) = (self.offset, self.offset + self.length);
        self.shows(label) && !((start >= from && start < to) && (end > from && end <= to))
    }

    /// For a label shown on this line: whether it starts here (rather than above).
    fn starts(&self, label: &Label) -> bool {
        label.offset >= self.offset
    }

    /// For a label shown on this line: whether it ends here.
    fn ends(&self, label: &Label) -> bool {
        let end = label.offset + label.len;
        end >= self.offset && end <= self.offset + self.length
    }

    /// Whether the label starts above this line and ends below it.
    fn passes(&self, label: &Label) -> bool {
        label.offset < self.offset && label.offset + label.len > self.offset + self.length
    }

    /// The column where a byte offset of the line is drawn; past the line's text, one more.
    fn column(&self, offset: usize, start: bool) -> usize {
        let mut at = offset - self.offset;
        while at <= self.text.len() && !self.text.is_char_boundary(at) {
            if start {
                at -= 1;
            } else {
                at += 1;
            }
        }
        let width = width(&self.text[..at.min(self.text.len())]);
        if at > self.text.len() {
            width + 1
        } else {
            width
        }
    }
}

fn width(text: &str) -> usize {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return text.len();
    }
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

fn lines<'a>(text: &'a str, context: &Context, first_line: usize) -> Vec<Line<'a>> {
    let mut number = context.line + first_line;
    let mut lines = Vec::with_capacity(3);
    let mut from = context.start;
    while from < context.end {
        let rest = &text[from..context.end];
        let (shown, length) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        number += 1;
        lines.push(Line {
            number,
            offset: from,
            length,
            text: shown,
        });
        from += length;
    }
    lines
}

/// The excerpt with its labels: one box per group of nearby labels.
fn snippets(out: &mut String, excerpt: &Excerpt, palette: &Palette) -> Option<()> {
    let text = excerpt.text.as_str();
    // Excerpts are escaped: tabs, carriage returns and escape sequences never reach them, and
    // the drawing below counts on that.
    if text.contains(['\r', '\t', '\u{1b}']) {
        return None;
    }
    let mut labels: Vec<&Label> = excerpt.labels.iter().collect();
    labels.sort_by_key(|l| l.offset);
    if labels
        .iter()
        .any(|l| l.offset + l.len > text.len() || l.text.as_ref().is_some_and(|t| t.contains('\n')))
    {
        return None;
    }
    // Labels whose contexts touch share one box.
    let mut boxes: Vec<(usize, usize, Context)> = Vec::with_capacity(labels.len());
    for label in &labels {
        let right = context(text, label.offset, label.len)?;
        if let Some((offset, len, left)) = boxes.last() {
            if left.line + left.line_count >= right.line {
                let end = (offset + len).max(label.offset + label.len);
                let offset = *offset;
                if let Some(merged) = context(text, offset, end - offset) {
                    boxes.pop();
                    boxes.push((offset, end - offset, merged));
                    continue;
                }
            }
        }
        boxes.push((label.offset, label.len, right));
    }
    for (offset, len, context) in &boxes {
        draw_box(out, excerpt, (*offset, *len, context), &labels, palette)?;
    }
    Some(())
}

/// One box: the span it covers (from its first label to the end of its last) and its context.
fn draw_box(
    out: &mut String,
    excerpt: &Excerpt,
    (offset, len, context): (usize, usize, &Context),
    labels: &[&Label],
    palette: &Palette,
) -> Option<()> {
    let lines = lines(&excerpt.text, context, excerpt.first_line);
    let inside = |l: &&&Label| offset <= l.offset && l.offset + l.len <= offset + len;
    let primary = labels
        .iter()
        .filter(inside)
        .find(|l| l.primary)
        .or_else(|| labels.iter().find(inside))?;
    // The gutter holds the labels across lines: as wide as the most that pass one line.
    let gutter = lines
        .iter()
        .map(|line| {
            let across = |l: &&&Label| !line.holds(l) && line.in_gutter(l);
            labels.iter().filter(across).count()
        })
        .max()
        .unwrap_or(0);
    let drawing = Drawing {
        labels,
        palette,
        gutter,
        linum_width: digits(lines.last().map_or(0, |l| l.number)),
    };

    push_n(out, " ", drawing.linum_width + 2);
    out.push_str("╭─[");
    let (line, column) = position(excerpt, primary);
    out.push_str(palette.link);
    out.push_str(&excerpt.name);
    out.push(':');
    push_number(out, line + 1);
    out.push(':');
    push_number(out, column + 1);
    end_style(out, palette.link);
    out.push_str("]\n");
    for line in &lines {
        drawing.draw_line(out, line);
    }
    push_n(out, " ", drawing.linum_width + 2);
    out.push_str("╰────\n");
    Some(())
}

/// What every line of a box is drawn with.
struct Drawing<'a> {
    /// All the excerpt's labels, by offset.
    labels: &'a [&'a Label],
    palette: &'a Palette,
    /// Columns of the gutter where labels across lines run.
    gutter: usize,
    linum_width: usize,
}

impl Drawing<'_> {
    fn style(&self, i: usize) -> &'static str {
        self.palette.highlights[i % self.palette.highlights.len()]
    }

    fn draw_line(&self, out: &mut String, line: &Line) {
        out.push(' ');
        let width = self.linum_width;
        out.push_str(self.palette.linum);
        push_n(out, " ", width.saturating_sub(digits(line.number)));
        push_number(out, line.number);
        end_style(out, self.palette.linum);
        out.push_str(" │ ");
        self.line_gutter(out, line);
        out.push_str(line.text);
        out.push('\n');
        let on_line: Vec<usize> = (0..self.labels.len())
            .filter(|&i| line.shows(self.labels[i]) && line.holds(self.labels[i]))
            .collect();
        if !on_line.is_empty() {
            self.underlines(out, line, &on_line);
        }
        for (i, label) in self.labels.iter().enumerate() {
            if !line.shows(label) || line.holds(label) {
                continue;
            }
            let Some(text) = &label.text else {
                continue;
            };
            if line.ends(label) && !line.starts(label) {
                self.no_linum(out);
                self.label_gutter(out, line);
                paint(out, self.style(i), "─");
                out.push(' ');
                paint(out, self.style(i), text);
                out.push('\n');
            }
        }
    }

    fn no_linum(&self, out: &mut String) {
        out.push(' ');
        push_n(out, " ", self.linum_width);
        out.push_str(" · ");
    }

    /// The gutter beside a source line: an arrow to where a label across lines starts or
    /// ends, a bar where one passes.
    fn line_gutter(&self, out: &mut String, line: &Line) {
        if self.gutter == 0 {
            return;
        }
        let mut drawn = String::new();
        let mut arrow = false;
        let passing = (0..self.labels.len()).filter(|&i| line.in_gutter(self.labels[i]));
        for (n, i) in passing.enumerate() {
            let label = self.labels[i];
            let corner = if line.starts(label) {
                Some("╭")
            } else if line.ends(label) {
                Some(if label.text.is_some() { "├" } else { "╰" })
            } else {
                None
            };
            if let Some(corner) = corner {
                paint(&mut drawn, self.style(i), corner);
                let mut bar = String::new();
                push_n(&mut bar, "─", self.gutter.saturating_sub(n));
                paint(&mut drawn, self.style(i), &bar);
                paint(&mut drawn, self.style(i), "▶");
                arrow = true;
                break;
            } else if line.passes(label) {
                paint(&mut drawn, self.style(i), "│");
            } else {
                drawn.push(' ');
            }
        }
        // The padding counts the characters drawn, escape sequences included, as miette does.
        let pad = if arrow { 1 } else { 3 } + self.gutter.saturating_sub(drawn.chars().count());
        out.push_str(&drawn);
        push_n(out, " ", pad);
    }

    /// The gutter beside an underline or a label's text: bars where labels across lines pass,
    /// and the bottom corner of one that ends on this line.
    fn label_gutter(&self, out: &mut String, line: &Line) {
        if self.gutter == 0 {
            return;
        }
        let mut columns = 0;
        let passing = (0..self.labels.len()).filter(|&i| line.in_gutter(self.labels[i]));
        for (n, i) in passing.enumerate() {
            let label = self.labels[i];
            if !line.holds(label) && line.ends(label) {
                let repeat = self.gutter.saturating_sub(n) + 2;
                paint(out, self.style(i), "╰");
                let mut bar = String::new();
                push_n(&mut bar, "─", repeat);
                paint(out, self.style(i), &bar);
                columns += repeat + 1;
                break;
            }
            paint(out, self.style(i), "│");
            columns += 1;
        }
        push_n(out, " ", (self.gutter + 3).saturating_sub(columns));
    }

    /// The underline of each label on a line, then each label's text, the last label first,
    /// below vertical bars that lead up to the underlines of the labels before it.
    fn underlines(&self, out: &mut String, line: &Line, on_line: &[usize]) {
        self.no_linum(out);
        self.label_gutter(out, line);
        let mut highest = 0;
        let mut bars: Vec<(usize, usize)> = Vec::with_capacity(on_line.len());
        for &i in on_line {
            let label = self.labels[i];
            let start = line.column(label.offset, true).max(highest);
            let end = if label.len == 0 {
                start + 1
            } else {
                line.column(label.offset + label.len, false).max(start + 1)
            };
            let bar = (start + end) / 2;
            let mut drawn =
                String::with_capacity(3 * (end - start) + start.saturating_sub(highest));
            push_n(&mut drawn, " ", start.saturating_sub(highest));
            push_n(&mut drawn, "─", bar - start);
            drawn.push(if label.len == 0 {
                '▲'
            } else if label.text.is_some() {
                '┬'
            } else {
                '─'
            });
            push_n(&mut drawn, "─", end - bar - 1);
            paint(out, self.style(i), &drawn);
            highest = highest.max(end);
            bars.push((i, bar));
        }
        out.push('\n');
        for &i in on_line.iter().rev() {
            let Some(text) = &self.labels[i].text else {
                continue;
            };
            self.no_linum(out);
            self.label_gutter(out, line);
            let mut column = 1;
            for &(other, bar) in &bars {
                while column < bar + 1 {
                    out.push(' ');
                    column += 1;
                }
                // Two labels alike (same span, same text) are one label to the drawing.
                let (a, b) = (self.labels[other], self.labels[i]);
                if (a.offset, a.len, &a.text) != (b.offset, b.len, &b.text) {
                    paint(out, self.style(other), "│");
                    column += 1;
                } else {
                    out.push_str(self.style(i));
                    out.push_str("╰── ");
                    paint(out, self.style(i), text);
                    end_style(out, self.style(i));
                    out.push('\n');
                    break;
                }
            }
        }
    }
}

/// The 0-based line and column the box's header names: the primary label's column in the file
/// (characters), or for another label its byte column in the excerpt.
fn position(excerpt: &Excerpt, label: &Label) -> (usize, usize) {
    let before = &excerpt.text.as_bytes()[..label.offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + excerpt.first_line;
    let column = match excerpt.primary {
        Some((at, column)) if at == label.offset => column,
        _ => {
            before.len()
                - before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1)
        }
    };
    (line, column)
}
