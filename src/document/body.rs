//! The Markdown body: heading ids (as GitHub computes them) and links, with byte spans.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Every anchor a link may target: heading ids, plus `id`/`name` attributes in HTML.
    pub anchors: HashSet<String>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    /// Byte span in the whole file.
    pub span: Range<usize>,
}

/// Parses `text[range]` as CommonMark with GitHub's extensions; spans are file offsets.
pub fn parse(text: &str, range: Range<usize>) -> Body {
    let base = range.start;
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut body = Body::default();
    let mut slugger = Slugger::default();
    let mut heading: Option<String> = None;
    for (event, span) in Parser::new_ext(&text[range], options).into_offset_iter() {
        let span = span.start + base..span.end + base;
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(title) = heading.take() {
                    body.anchors.insert(slugger.slug(&title));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                body.links.push(Link {
                    dest: dest_url.into_string(),
                    span,
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                body.anchors.extend(html_anchors(&html));
            }
            _ => {}
        }
    }
    body
}

/// `id="…"` and `name="…"` attribute values, which GitHub keeps as link targets.
fn html_anchors(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in [" id=", " name="] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                found.push(rest[1..1 + end].to_owned());
            }
        }
    }
    found
}

/// GitHub's heading ids, the algorithm of the `github-slugger` package: lowercase, drop
/// punctuation and symbols, spaces to `-`, and `-1`, `-2` … for repeats.
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    pub(crate) fn slug(&mut self, title: &str) -> String {
        let original = slug(title);
        let mut result = original.clone();
        while self.occurrences.contains_key(&result) {
            let n = self.occurrences.entry(original.clone()).or_insert(0);
            *n += 1;
            result = format!("{original}-{n}");
        }
        self.occurrences.insert(result.clone(), 0);
        result
    }
}

fn slug(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_follow_github() {
        let text = "# Monthly window\n## Step 2: Test on the *spare* PLC\n## Monthly window\n## Monthly window\n### `cfg` & more!\n";
        let body = parse(text, 0..text.len());
        for id in [
            "monthly-window",
            "step-2-test-on-the-spare-plc",
            "monthly-window-1",
            "monthly-window-2",
            "cfg--more",
        ] {
            assert!(
                body.anchors.contains(id),
                "missing {id}: {:?}",
                body.anchors
            );
        }
    }

    #[test]
    fn links_have_file_spans() {
        let text = "front\nSee [the plan](plan.md#next) and <a id=\"x\"></a>.\n";
        let body = parse(text, 6..text.len());
        assert_eq!(body.links[0].dest, "plan.md#next");
        assert_eq!(
            &text[body.links[0].span.clone()],
            "[the plan](plan.md#next)"
        );
        assert!(body.anchors.contains("x"));
    }
}
