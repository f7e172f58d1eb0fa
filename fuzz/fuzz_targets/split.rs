//! The front-matter split: any text gives ranges inside it, on character boundaries, in order;
//! the marker scan never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smm_lint::yaml::frontmatter::{self, Split};
use std::ops::Range;

fn inside(text: &str, r: &Range<usize>, what: &str) {
    assert!(r.start <= r.end, "{what}: reversed {r:?}");
    assert!(r.end <= text.len(), "{what}: {r:?} past {}", text.len());
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what}: {r:?} not on char boundaries"
    );
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match frontmatter::split(text) {
        Split::None => {}
        Split::Unclosed { open } => {
            inside(text, &open, "open");
            assert_eq!(open.start, 0);
            let _ = frontmatter::marker(&text[open.end..]);
        }
        Split::Fenced { open, yaml, body } => {
            inside(text, &open, "open");
            inside(text, &yaml, "yaml");
            inside(text, &body, "body");
            assert_eq!(open.start, 0);
            assert!(
                open.end <= yaml.start && yaml.end <= body.start,
                "{open:?} {yaml:?} {body:?}"
            );
            assert_eq!(body.end, text.len());
            let _ = frontmatter::marker(&text[yaml]);
        }
    }
});
