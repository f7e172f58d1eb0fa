//! A file's text with a line index, shared by every diagnostic that points into it.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// The text of one file as it was read, and the name used to show it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the current directory, with `/` separators.
    pub name: String,
    pub text: String,
    /// Built on first use: most files of a large tree have no finding to place, and the index
    /// of every document held to the end of a run costs as much memory as the texts.
    line_starts: OnceLock<Vec<usize>>,
}

/// A 1-based line and column; columns count Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl SourceFile {
    pub fn new(name: String, text: String) -> Arc<Self> {
        Arc::new(SourceFile {
            name,
            text,
            line_starts: OnceLock::new(),
        })
    }

    /// The byte offset where each line starts.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts.shrink_to_fit();
            starts
        })
    }

    /// The position of a byte offset (clamped into the text, snapped back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The number of lines (a final line break starts an empty last line).
    pub(crate) fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The 0-based line holding a byte offset (clamped into the text).
    pub(crate) fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts().partition_point(|&s| s <= offset) - 1
    }

    /// The byte range of a 0-based line, without its line break (`\n` or `\r\n`).
    pub(crate) fn line_bytes(&self, line: usize) -> Range<usize> {
        let line_starts = self.line_starts();
        let Some(&start) = line_starts.get(line) else {
            return self.text.len()..self.text.len();
        };
        let end = line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// The span of the whole line holding `offset`, without its line break.
    pub(crate) fn line_span(&self, offset: usize) -> Range<usize> {
        let pos = self.position(offset);
        let start = self.line_starts()[pos.line - 1];
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let end = if self.text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let f = SourceFile::new("a".into(), "ab\nçd\n".into());
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(3), Position { line: 2, column: 1 });
        // 'ç' is two bytes; 'd' is the second char of line 2.
        assert_eq!(f.position(5), Position { line: 2, column: 2 });
        assert_eq!(f.line_span(4), 3..6);
        assert_eq!(
            (f.line_count(), f.line_index(4), f.line_bytes(1)),
            (3, 1, 3..6)
        );
        let crlf = SourceFile::new("b".into(), "ab\r\ncd".into());
        assert_eq!((crlf.line_bytes(0), crlf.line_bytes(1)), (0..2, 4..6));
    }

    #[test]
    fn the_line_index_is_built_only_when_a_position_is_asked_for() {
        let f = SourceFile::new("a".into(), "a\nb\nc".into());
        assert!(f.line_starts.get().is_none(), "no index before use");
        assert_eq!(f.position(4), Position { line: 3, column: 1 });
        assert_eq!(f.line_starts.get().map(Vec::len), Some(3));
    }
}
