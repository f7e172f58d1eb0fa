//! The part of a file a finding shows: the lines near its labels, escaped and cut to a bounded
//! width, so that the output grows with the number of findings and not with the length of lines.

use crate::source::SourceFile;
use crate::text;
use std::ops::Range;

/// Characters of a source line shown around a span, at most (escapes count as their width).
const SHOWN: usize = 100;
/// Of those, characters kept before the span when the line is cut.
const LEAD: usize = 24;
/// Lines shown before and after a span.
pub(super) const CONTEXT: usize = 1;
const CUT: &str = "…";

/// A label in file offsets: span, text, primary.
pub(super) type FileLabel = (Range<usize>, Option<String>, bool);

/// What a report shows of a file: the lines near the labels, escaped and cut,
/// laid out line for line as in the file (lines far from every label are left empty, so line
/// numbers stay right), with the labels moved onto the excerpt.
pub(super) struct Excerpt {
    pub(super) name: String,
    pub(super) text: String,
    /// The file's 0-based line where `text` starts.
    pub(super) first_line: usize,
    /// Where the primary label starts in `text`, and its column in the file (0-based, chars).
    pub(super) primary: Option<(usize, usize)>,
    pub(super) labels: Vec<Label>,
}

/// A label moved onto the excerpt: byte offsets into `Excerpt::text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Label {
    pub(super) offset: usize,
    pub(super) len: usize,
    pub(super) text: Option<String>,
    pub(super) primary: bool,
}

impl Excerpt {
    pub(super) fn new(file: &SourceFile, labels: &[FileLabel]) -> Excerpt {
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
        let mut text = String::with_capacity(3 * (SHOWN + 8));
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
            .map(|((_, text, is_primary), &(start, end))| {
                let (from, to) = (place(start), place(end));
                if *is_primary {
                    let column = file.text[file.line_bytes(file.line_index(start)).start..start]
                        .chars()
                        .count();
                    primary = Some((from, column));
                }
                Label {
                    offset: from,
                    len: to.saturating_sub(from),
                    text: text.as_deref().map(text::one_line),
                    primary: *is_primary,
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
        let (start, end) = if text::printable_ascii(&file[line.clone()]) {
            Cut::bounds_ascii(line.clone(), focus)
        } else {
            Cut::bounds(file, line.clone(), focus)
        };
        let mut shown = String::with_capacity(end - start + 2 * CUT.len());
        if start > line.start {
            shown.push_str(CUT);
        }
        let prefix = shown.len();
        text::push_one_line(&mut shown, &file[start..end]);
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

    /// The kept part of a line: all of it if it fits, else `LEAD` characters before the focus
    /// and as many after as fit.
    fn bounds(file: &str, line: Range<usize>, focus: usize) -> (usize, usize) {
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
        (start, end)
    }

    /// `bounds` for a line of printable ASCII, where each byte is one character shown as itself.
    fn bounds_ascii(line: Range<usize>, focus: usize) -> (usize, usize) {
        if line.len() <= SHOWN {
            return (line.start, line.end);
        }
        let start = focus.saturating_sub(LEAD).max(line.start);
        (start, (start + SHOWN).min(line.end))
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
        self.at + self.prefix + text::escaped_len(&file[self.kept.start..offset])
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
    fn ascii_lines_are_cut_where_any_line_is() {
        for len in [0, 1, 23, 24, 25, 99, 100, 101, 150, 300] {
            let line = "k: v ".repeat(len).chars().take(len).collect::<String>();
            for focus in 0..=len {
                assert_eq!(
                    Cut::bounds_ascii(0..len, focus),
                    Cut::bounds(&line, 0..len, focus),
                    "{len} {focus}"
                );
            }
        }
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
        assert_eq!(&excerpt.text[label.offset..label.offset + label.len], "yyy");
        assert_eq!(excerpt.primary, Some((label.offset, 6)));
    }
}
