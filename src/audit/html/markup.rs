//! Markup that is safe by construction. [`Html`] can only be built from escaped text
//! ([`Html::text`]), from numbers, and from markup written as a literal in this crate's source
//! ([`Html::raw`], [`Html::push`] with a `'static` template). Every hole of a template takes a
//! [`Piece`], and every text piece is escaped on its way in, so no string from a document can
//! reach the page unescaped, whichever field a new section shows.

use std::fmt::Write as _;

/// A piece of the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Html(String);

impl Html {
    pub(crate) fn new() -> Html {
        Html(String::new())
    }

    /// Text, escaped for element content and quoted attribute values.
    pub(crate) fn text(text: &str) -> Html {
        let mut out = Html::new();
        out.push_text(text);
        out
    }

    /// Literal markup from this crate's source, trusted as written (tags, the stylesheet).
    pub(crate) fn raw(markup: &'static str) -> Html {
        Html(markup.to_owned())
    }

    /// Appends `template` with each `{}` replaced by the next piece, in order. The template is
    /// a literal: only the pieces vary, and they escape themselves.
    pub(crate) fn push(&mut self, template: &'static str, pieces: &[&dyn Piece]) {
        let mut pieces = pieces.iter();
        let mut parts = template.split("{}");
        if let Some(first) = parts.next() {
            self.0.push_str(first);
        }
        for part in parts {
            match pieces.next() {
                Some(piece) => piece.write_to(self),
                None => debug_assert!(false, "a hole without a piece in {template:?}"),
            }
            self.0.push_str(part);
        }
        debug_assert!(
            pieces.next().is_none(),
            "a piece without a hole in {template:?}"
        );
    }

    /// Appends literal markup.
    pub(crate) fn push_raw(&mut self, markup: &'static str) {
        self.0.push_str(markup);
    }

    /// Appends text, escaped. Control characters other than `\n` and `\t`, and the
    /// bidirectional controls, are shown as visible escapes (`\u{1b}`, `\u{202e}`), as the
    /// terminal and Markdown outputs show them: a browser would otherwise keep them invisible in
    /// the page, and an override can reorder what a reader sees.
    pub(crate) fn push_text(&mut self, text: &str) {
        self.0.reserve(text.len());
        for c in text.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                '\n' | '\t' => self.0.push(c),
                c if crate::text::is_unsafe(c) => crate::text::push_escaped(&mut self.0, c),
                _ => self.0.push(c),
            }
        }
    }

    pub(crate) fn push_html(&mut self, html: &Html) {
        self.0.push_str(&html.0);
    }

    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

/// What may fill a hole of a template: text (escaped), markup already built, or a number.
pub(crate) trait Piece {
    fn write_to(&self, out: &mut Html);
}

impl Piece for Html {
    fn write_to(&self, out: &mut Html) {
        out.push_html(self);
    }
}

impl Piece for str {
    fn write_to(&self, out: &mut Html) {
        out.push_text(self);
    }
}

impl Piece for String {
    fn write_to(&self, out: &mut Html) {
        out.push_text(self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn write_to(&self, out: &mut Html) {
        (**self).write_to(out);
    }
}

/// Numbers print as digits (and a sign): nothing to escape.
macro_rules! number_piece {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn write_to(&self, out: &mut Html) {
                let _ = write!(out.0, "{self}");
            }
        }
    )*};
}

number_piece!(u8, u32, u64, usize, i32, i64);

/// Appends `template` to `out`, each `{}` filled by the next piece:
/// `html!(out, "<td>{}</td>", name)`.
macro_rules! html {
    ($out:expr, $template:literal $(, $piece:expr)* $(,)?) => {
        $out.push($template, &[$(&$piece as &dyn $crate::audit::html::markup::Piece),*])
    };
}

pub(crate) use html;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_templates_are_not() {
        assert_eq!(
            Html::text(r#"a & b < c > d " e ' f"#).as_str(),
            "a &amp; b &lt; c &gt; d &quot; e &#39; f"
        );
        assert_eq!(Html::text("plain text, é").as_str(), "plain text, é");
        assert_eq!(Html::text("&amp;").as_str(), "&amp;amp;");
        assert_eq!(
            Html::text("a\u{1b}[31m\u{7}\r\u{9b}\u{202e}\u{2066}b\n\tc").as_str(),
            "a\\u{1b}[31m\\u{7}\\r\\u{9b}\\u{202e}\\u{2066}b\n\tc"
        );
        let mut out = Html::new();
        html!(
            out,
            "<td class=\"{}\">{} {}</td>",
            "x\"y",
            3usize,
            Html::raw("<b>")
        );
        assert_eq!(out.as_str(), "<td class=\"x&quot;y\">3 <b></td>");
    }
}
