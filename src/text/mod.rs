//! Making untrusted text (document text, file names, configuration) safe for each output.
//!
//! A terminal acts on escape sequences (clipboard writes, hyperlinks, clearing the screen), a
//! GitHub runner acts on any line of the log that starts with `::`, even after a carriage return,
//! and a job summary renders Markdown and HTML. So text from a document is shown, never obeyed:
//! control characters become visible escapes, and Markdown sees plain characters.

pub(crate) mod suggest;

use std::fmt::Write as _;

/// Characters that act on a terminal or split a line rather than show: C0 and C1 controls, DEL,
/// the Unicode line and paragraph separators, and the bidirectional overrides that reorder what
/// is shown.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The visible form of one unsafe character: `\r`, `\n`, `\t`, otherwise `\u{1b}`.
pub(crate) fn push_escaped(out: &mut String, c: char) {
    match c {
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// Whether every byte of `text` is printable ASCII, which no escaping changes (the common case,
/// checked first because it is much cheaper than looking at each character).
pub(crate) fn printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// `text` on one line with every unsafe character escaped: for stderr, messages and names.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_one_line(&mut out, text);
    out
}

/// `one_line(text)` appended to `out`.
pub(crate) fn push_one_line(out: &mut String, text: &str) {
    if printable_ascii(text) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        if is_unsafe(c) {
            push_escaped(out, c);
        } else {
            out.push(c);
        }
    }
}

/// `text` with unsafe characters escaped except the line breaks (`\n`, `\r\n`) and tabs, which
/// keep their layout: for multi-line text shown on a terminal (help, a diff).
pub(crate) fn keep_lines(text: &str) -> String {
    if text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) || b == b'\n' || b == b'\t')
    {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_break = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        if is_unsafe(c) && !line_break {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// The length in bytes of `one_line(text)`, without building it.
pub(crate) fn escaped_len(text: &str) -> usize {
    if printable_ascii(text) {
        return text.len();
    }
    text.chars()
        .map(|c| {
            if is_unsafe(c) {
                let mut s = String::new();
                push_escaped(&mut s, c);
                s.len()
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

/// The visible width, in characters, of `c` once escaped.
pub(crate) fn shown_len(c: char) -> usize {
    if !is_unsafe(c) {
        return 1;
    }
    let mut s = String::new();
    push_escaped(&mut s, c);
    s.chars().count()
}

/// Document text as Markdown inline text (a table cell, a heading): it shows as written and can
/// never become HTML, a link, an image, emphasis, a code span or a new table cell. Every
/// character Markdown could act on is backslash-escaped, which CommonMark allows for any ASCII
/// punctuation; `:` and `@` too, and `.` after `www`, so that GitHub's extended autolinks find
/// no URL or address; line breaks and other controls are shown escaped.
pub(crate) fn markdown(text: &str) -> String {
    let visible = one_line(text);
    let mut out = String::with_capacity(visible.len() + 8);
    for c in visible.chars() {
        let www = c == '.'
            && out.len() >= 3
            && out.as_bytes()[out.len() - 3..].eq_ignore_ascii_case(b"www");
        if www
            || matches!(
                c,
                '\\' | '`'
                    | '*'
                    | '_'
                    | '~'
                    | '['
                    | ']'
                    | '!'
                    | '<'
                    | '>'
                    | '&'
                    | '|'
                    | '#'
                    | '$'
                    | ':'
                    | '@'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Document text as a Markdown code span when it can be one safely, else as escaped text.
///
/// Inside a code span nothing is Markdown or HTML, but a backslash cannot be escaped there, so
/// text holding a backtick, a `|` (which a table would split on) or a backslash is shown as
/// escaped text instead, as is text with unsafe characters or leading/trailing space.
pub(crate) fn markdown_code(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text
            .chars()
            .any(|c| is_unsafe(c) || matches!(c, '`' | '|' | '\\'));
    if plain {
        format!("`{text}`")
    } else {
        markdown(text)
    }
}

/// `text` with every byte percent-encoded (`%XX`) but ASCII letters, digits and the bytes in
/// `keep`: a path as a URI reference, where each consumer keeps what its grammar allows.
pub(crate) fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `n` and the noun that goes with it: `1 error`, `2 errors`, `0 fixes`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Document text echoed in a message, kept on one line (control characters shown escaped, as
/// `\u{1b}`) and of bounded length.
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 80;
    let cut = text.char_indices().nth(MAX).map_or(text.len(), |(i, _)| i);
    let mut out = one_line(&text[..cut]);
    if text.chars().count() > MAX {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_takes_the_noun_that_fits() {
        assert_eq!(plural(1, "fix", "fixes"), "1 fix");
        assert_eq!(plural(0, "fix", "fixes"), "0 fixes");
        assert_eq!(plural(2, "URL was", "URLs were"), "2 URLs were");
    }

    #[test]
    fn controls_are_escaped_on_one_line() {
        assert_eq!(
            one_line("a\r::error::x\n\u{1b}]52;c;x\u{7}\u{9b}2J\u{202e}"),
            "a\\r::error::x\\n\\u{1b}]52;c;x\\u{7}\\u{9b}2J\\u{202e}"
        );
        assert_eq!(keep_lines("a\nb\tc\rd\r\n"), "a\nb\tc\\rd\r\n");
        assert_eq!(one_line("plain – text ✓"), "plain – text ✓");
        assert_eq!(shown_len('\u{1b}'), 6);
        for text in ["plain", "a\tb\u{1b}[2J\u{202e}é\r\n", ""] {
            assert_eq!(escaped_len(text), one_line(text).len());
        }
        assert_eq!(shown_len('é'), 1);
    }

    #[test]
    fn markdown_text_is_inert() {
        assert_eq!(markdown("<img src=x>"), "\\<img src=x\\>");
        assert_eq!(markdown("a|b\\|c"), "a\\|b\\\\\\|c");
        assert_eq!(markdown("see www.x.org"), "see www\\.x.org");
        assert_eq!(markdown("line\nbreak"), "line\\\\nbreak");
        assert_eq!(markdown_code("patch-management"), "`patch-management`");
        assert_eq!(markdown_code("a`b"), "a\\`b");
        assert_eq!(markdown_code("../e/x.md#a"), "`../e/x.md#a`");
    }
}
