//! Finds the YAML front matter at byte 0 of a Markdown file.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// No `---` fence on the first line (TOML `+++` front matter included): not our document.
    None,
    /// A fenced block: the YAML text between the fences and the body after the closing fence.
    Fenced {
        open: Range<usize>,
        yaml: Range<usize>,
        body: Range<usize>,
    },
    /// An opening fence and no closing one.
    Unclosed { open: Range<usize> },
}

/// Lines with their byte ranges, the range excluding the line break (`\n` or `\r\n`).
fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let content_end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        let line = start..content_end;
        start = end + 1;
        Some(line)
    })
}

fn is_fence(line: &str, marks: &[&str]) -> bool {
    let trimmed = line.trim_end_matches([' ', '\t']);
    marks.contains(&trimmed)
}

/// Splits `text` (a UTF-8 BOM already removed) into front matter and body.
pub fn split(text: &str) -> Split {
    let mut it = lines(text);
    let Some(first) = it.next() else {
        return Split::None;
    };
    if !is_fence(&text[first.clone()], &["---"]) {
        return Split::None;
    }
    let after_open = (first.end + 1).min(text.len());
    let after_open = if text[first.end..].starts_with("\r\n") {
        (first.end + 2).min(text.len())
    } else {
        after_open
    };
    for line in it {
        if is_fence(&text[line.clone()], &["---", "..."]) {
            let body_start = text[line.end..]
                .find('\n')
                .map_or(text.len(), |i| line.end + i + 1);
            return Split::Fenced {
                open: first,
                yaml: after_open..line.start,
                body: body_start..text.len(),
            };
        }
    }
    Split::Unclosed { open: first }
}

/// What broken or non-mapping front matter was meant to be, from a line that starts with one
/// of our marker keys (`profile:`, `practice:`), plain or as a list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    Profile,
    /// The practice id as written, when it can be read off the line.
    Practice(Option<String>),
}

pub fn marker(yaml: &str) -> Option<Marker> {
    yaml.lines().find_map(|line| {
        let line = line.trim_start_matches([' ', '-', '\t', '"', '\'']);
        let value = |key: &str| {
            let rest = line
                .strip_prefix(key)?
                .trim_start_matches(['"', '\''])
                .trim_start();
            rest.strip_prefix(':')
                .map(|v| v.trim().trim_matches(['"', '\'']).to_owned())
        };
        if value("profile").is_some() {
            return Some(Marker::Profile);
        }
        value("practice")
            .map(|v| Marker::Practice(Some(v).filter(|v| !v.is_empty() && !v.contains(' '))))
    })
}

/// A cheap look at the front matter, without parsing it: a top-level `profile:` key (how
/// discovery tells a profile document from the first 64 KiB of a file).
pub(crate) fn has_profile_key(text: &str) -> bool {
    match split(text) {
        Split::Fenced { yaml, .. } => text[yaml].lines().any(|l| {
            l.starts_with("profile:")
                || l.starts_with("\"profile\":")
                || l.starts_with("'profile':")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_key_counts_only_at_the_top_of_the_front_matter() {
        assert!(has_profile_key("---\nprofile: p\n---\n"));
        assert!(has_profile_key("---\n'profile': p\n---\n"));
        assert!(!has_profile_key("---\n  profile: p\n---\n"));
        assert!(!has_profile_key("profile: p\n"));
        assert!(!has_profile_key("---\npractice: x\n---\nprofile: body\n"));
    }

    #[test]
    fn splits_lf_and_crlf() {
        let text = "---\na: 1\n---\n# Body\n";
        let Split::Fenced { yaml, body, .. } = split(text) else {
            panic!("not fenced")
        };
        assert_eq!(&text[yaml], "a: 1\n");
        assert_eq!(&text[body], "# Body\n");
        let text = "---\r\na: 1\r\n---\r\nbody";
        let Split::Fenced { yaml, body, .. } = split(text) else {
            panic!("not fenced")
        };
        assert_eq!(&text[yaml], "a: 1\r\n");
        assert_eq!(&text[body], "body");
    }

    #[test]
    fn other_shapes() {
        assert_eq!(split("+++\ntitle = 'x'\n+++\n"), Split::None);
        assert_eq!(split("# Title\n---\n"), Split::None);
        assert_eq!(split("---\na: 1\n"), Split::Unclosed { open: 0..3 });
        assert!(matches!(split("---\n---\n"), Split::Fenced { .. }));
    }

    #[test]
    fn recognises_our_keys_in_broken_yaml() {
        assert_eq!(
            marker("practice: patch-management\nx: [\n"),
            Some(Marker::Practice(Some("patch-management".into())))
        );
        assert_eq!(marker("- profile: a\n"), Some(Marker::Profile));
        assert_eq!(marker("title: practice: guide\n"), None);
    }
}
