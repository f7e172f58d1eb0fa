//! A document's Markdown body as HTML for the report page, with nothing in it that acts.
//!
//! Bodies come from pull requests, so this renderer emits only the structure it knows
//! (paragraphs, headings, lists, quotes, code, tables, emphasis, links) and every piece of text
//! escaped (it is built as [`Html`]). HTML written in a document is shown as text, never passed
//! through. Images are never fetched: their alternative text is shown in their place. A link
//! keeps its target only when it is `http`/`https` or a relative path; any other target
//! (`javascript:`, `data:`, `//host`, a path from the root) leaves the link text alone.

use super::html::Html;
use super::html::markup::html;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Where the relative links of a narrative lead.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LinkBase<'a> {
    /// The document's directory seen from the page, percent-encoded; prefixed to relative
    /// link targets so that they resolve from the page (`None` keeps them as written).
    pub(crate) prefix: Option<&'a str>,
    /// How many directories a link may climb from the document's directory before it leaves
    /// the repository; a link that climbs further is not kept.
    pub(crate) climb: usize,
}

/// Renders `markdown` as HTML, relative links after `base`. Headings start at `<h4>`, below
/// the report's own.
pub(crate) fn render(markdown: &str, base: LinkBase<'_>) -> Html {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut out = Html::new();
    // Whether each open link was kept (and so needs `</a>`).
    let mut links: Vec<bool> = Vec::new();
    // Inside an image, its description is collected as text.
    let mut image_depth = 0usize;
    let mut table_head = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Image { .. }) => {
                image_depth += 1;
                if image_depth == 1 {
                    out.push_raw("<span class=\"image\">[image: ");
                }
            }
            Event::End(TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                if image_depth == 0 {
                    out.push_raw("]</span>");
                }
            }
            Event::Text(t) | Event::Code(t) if image_depth > 0 => out.push_text(&t),
            Event::Html(t) | Event::InlineHtml(t) if image_depth > 0 => {
                out.push_text(&t);
            }
            _ if image_depth > 0 => {}
            Event::Start(tag) => start(&mut out, tag, base, &mut links, &mut table_head),
            Event::End(tag) => end(&mut out, tag, &mut links, &mut table_head),
            Event::Text(t) => out.push_text(&t),
            Event::Code(t) => {
                out.push_raw("<code>");
                out.push_text(&t);
                out.push_raw("</code>");
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                out.push_raw("<code class=\"raw-html\">");
                out.push_text(&t);
                out.push_raw("</code>");
            }
            Event::SoftBreak => out.push_raw("\n"),
            Event::HardBreak => out.push_raw("<br>\n"),
            Event::Rule => out.push_raw("<hr>\n"),
            Event::TaskListMarker(done) => out.push_raw(if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(t) => {
                out.push_raw("[^");
                out.push_text(&t);
                out.push_raw("]");
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => out.push_text(&t),
        }
    }
    out
}

fn heading(level: HeadingLevel) -> u8 {
    let n = match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    };
    (n + 3).min(6)
}

fn start(
    out: &mut Html,
    tag: Tag<'_>,
    base: LinkBase<'_>,
    links: &mut Vec<bool>,
    table_head: &mut bool,
) {
    match tag {
        Tag::Paragraph => out.push_raw("<p>"),
        Tag::Heading { level, .. } => html!(out, "<h{}>", heading(level)),
        Tag::BlockQuote(_) => out.push_raw("<blockquote>\n"),
        Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented) => {
            out.push_raw("<pre><code>");
        }
        Tag::List(Some(first)) if first != 1 => html!(out, "<ol start=\"{}\">\n", first),
        Tag::List(Some(_)) => out.push_raw("<ol>\n"),
        Tag::List(None) => out.push_raw("<ul>\n"),
        Tag::Item => out.push_raw("<li>"),
        Tag::Table(_) => out.push_raw("<table class=\"narrative\">\n"),
        Tag::TableHead => {
            *table_head = true;
            out.push_raw("<thead><tr>");
        }
        Tag::TableRow => out.push_raw("<tr>"),
        Tag::TableCell => out.push_raw(if *table_head { "<th>" } else { "<td>" }),
        Tag::Emphasis => out.push_raw("<em>"),
        Tag::Strong => out.push_raw("<strong>"),
        Tag::Strikethrough => out.push_raw("<del>"),
        Tag::Link { dest_url, .. } => match safe_href(&dest_url, base) {
            Some(href) => {
                links.push(true);
                html!(
                    out,
                    "<a href=\"{}\" rel=\"noopener noreferrer nofollow\">",
                    href
                );
            }
            None => links.push(false),
        },
        // Footnote definitions, metadata, definition lists and the like: their text is shown.
        _ => {}
    }
}

fn end(out: &mut Html, tag: TagEnd, links: &mut Vec<bool>, table_head: &mut bool) {
    match tag {
        TagEnd::Paragraph => out.push_raw("</p>\n"),
        TagEnd::Heading(level) => html!(out, "</h{}>\n", heading(level)),
        TagEnd::BlockQuote(_) => out.push_raw("</blockquote>\n"),
        TagEnd::CodeBlock => out.push_raw("</code></pre>\n"),
        TagEnd::List(true) => out.push_raw("</ol>\n"),
        TagEnd::List(false) => out.push_raw("</ul>\n"),
        TagEnd::Item => out.push_raw("</li>\n"),
        TagEnd::Table => out.push_raw("</tbody></table>\n"),
        TagEnd::TableHead => {
            *table_head = false;
            out.push_raw("</tr></thead><tbody>\n");
        }
        TagEnd::TableRow => out.push_raw("</tr>\n"),
        TagEnd::TableCell => out.push_raw(if *table_head { "</th>" } else { "</td>" }),
        TagEnd::Emphasis => out.push_raw("</em>"),
        TagEnd::Strong => out.push_raw("</strong>"),
        TagEnd::Strikethrough => out.push_raw("</del>"),
        TagEnd::Link if links.pop() == Some(true) => out.push_raw("</a>"),
        _ => {}
    }
}

/// The link target to write, or `None` when the link must not be followed: only `http://`,
/// `https://` and relative paths that stay inside the repository are kept; a relative path is
/// put after the base's prefix.
fn safe_href(dest: &str, base: LinkBase<'_>) -> Option<String> {
    let plain = !dest.is_empty()
        && !dest
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if !plain {
        return None;
    }
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some(dest.to_owned());
    }
    let before_path = dest.split(['/', '?', '#']).next().unwrap_or_default();
    if before_path.contains(':') || dest.starts_with('/') || dest.starts_with('#') {
        return None;
    }
    if !stays_inside(dest, base.climb) {
        return None;
    }
    let href = match base.prefix {
        Some(prefix) if !prefix.is_empty() && prefix != "." => format!("{prefix}/{dest}"),
        _ => dest.to_owned(),
    };
    // The prefix is percent-encoded, so no scheme can form; checked again all the same.
    let scheme = href.split(['/', '?', '#']).next().unwrap_or_default();
    (!scheme.contains(':')).then_some(href)
}

/// Whether the path of a relative link climbs at most `climb` directories above the
/// document's directory at any point.
fn stays_inside(dest: &str, climb: usize) -> bool {
    let path = dest.split(['?', '#']).next().unwrap_or_default();
    let mut room = climb;
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => match room.checked_sub(1) {
                Some(left) => room = left,
                None => return false,
            },
            _ => room += 1,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_text(markdown: &str, base: LinkBase<'_>) -> String {
        render(markdown, base).into_string()
    }

    #[test]
    fn raw_html_is_text() {
        let html = render_text(
            "Hello <script>alert(1)</script>\n\n<div onclick=x>hi</div>\n",
            LinkBase::default(),
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_safe_links_are_kept() {
        let html = render_text(
            "[a](javascript:alert(1)) [b](https://x.example/p) [c](../e/x.md#s) [d](//evil) \
             [e](data:text/html,x) ![img](https://x.example/i.png)",
            LinkBase {
                prefix: Some("docs/p"),
                climb: 2,
            },
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("//evil"), "{html}");
        assert!(html.contains("href=\"https://x.example/p\""), "{html}");
        assert!(html.contains("href=\"docs/p/../e/x.md#s\""), "{html}");
        assert!(html.contains("[image: img]"), "{html}");
    }

    #[test]
    fn links_never_leave_the_repository_or_take_a_scheme_from_the_prefix() {
        let base = LinkBase {
            prefix: Some("javascript%3Aalert(1)/p"),
            climb: 1,
        };
        let html = render_text(
            "[a](x.md) [b](../y.md) [c](../../z.md) [d](a/../../y.md)",
            base,
        );
        assert!(
            html.contains("href=\"javascript%3Aalert(1)/p/x.md\""),
            "{html}"
        );
        assert!(
            html.contains("href=\"javascript%3Aalert(1)/p/../y.md\""),
            "{html}"
        );
        assert!(!html.contains("z.md\""), "{html}");
        assert_eq!(html.matches("<a ").count(), 3, "{html}");
        let raw = LinkBase {
            prefix: Some("javascript:alert(1)"),
            climb: 0,
        };
        assert!(!render_text("[a](x.md)", raw).contains("href"));
    }

    #[test]
    fn structure_is_rendered() {
        let html = render_text(
            "# Title\n\n- one\n- *two*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            LinkBase::default(),
        );
        assert!(html.contains("<h4>Title</h4>"), "{html}");
        assert!(html.contains("<li><em>two</em></li>"), "{html}");
        assert!(html.contains("<th>a</th>"), "{html}");
        assert!(html.contains("<td>1</td>"), "{html}");
    }
}
