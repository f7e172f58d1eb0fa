//! Our drawing against miette's on thousands of seeded random reports: every report must be drawn
//! and be byte for byte what miette renders, in colour and without.

use super::excerpt::{Excerpt, FileLabel};
use super::{Layout, Report, graphic, reference};
use crate::rules::Severity;
use crate::source::SourceFile;
use crate::text;

/// A small seeded generator (xorshift64*), so that every run draws the same cases.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Pieces of file text: words, separators, line breaks of both kinds, tabs, controls, escape
/// sequences, accented, combining, zero-width, wide and astral characters.
const PIECES: &[&str] = &[
    "key",
    "value",
    "practice",
    ": ",
    " ",
    " ",
    "  ",
    "-",
    "/",
    "#",
    "\n",
    "\n",
    "\n",
    "\r\n",
    "\t",
    "é",
    "ç",
    "漢字",
    "🙂",
    "e\u{301}",
    "\u{200b}",
    "\u{1b}[31m",
    "\u{7}",
    "\r",
    "…",
    "\u{202e}",
    "2026-01-01",
    "x",
];

fn file_text(r: &mut Random) -> String {
    let mut text = String::new();
    let pieces = r.below(60);
    for _ in 0..pieces {
        if r.chance(3) {
            // A long line, to be cut.
            let unit = r.pick(&["a", "é", "漢", "ab cd ", "\t"]);
            text.push_str(&unit.repeat(40 + r.below(200)));
        } else {
            text.push_str(r.pick(PIECES));
        }
    }
    text
}

/// Message, label or help text: short or longer than a line, with or without spaces.
fn prose(r: &mut Random) -> String {
    let words = [
        "level",
        "2",
        "is",
        "claimed",
        "without",
        "the",
        "evidence",
        "it",
        "requires",
        "é",
        "漢字",
        "site-0001/enablement/access-control.md",
        "`current`",
        " ",
        "",
        "\t",
        "\u{1b}[1m",
        "review-evidence-again-and-update-reviewed-with-a-very-long-identifier",
    ];
    let mut text = String::new();
    let count = match r.below(4) {
        0 => r.below(3),
        1 | 2 => r.below(12),
        _ => 10 + r.below(40),
    };
    for i in 0..count {
        if i > 0 && !r.chance(5) {
            text.push(' ');
        }
        text.push_str(r.pick(&words));
    }
    if r.chance(3) {
        text.push_str(&"y".repeat(120));
    }
    if r.chance(5) {
        text.push(' ');
    }
    text
}

fn help(r: &mut Random) -> String {
    let mut help = prose(r);
    for _ in 0..r.below(3) {
        help.push_str(r.pick(&["\n", "\r\n", "\n\n", "\n  "]));
        help.push_str(&prose(r));
    }
    help
}

/// A span of the file: mostly inside one line, sometimes anywhere, empty, or at the end.
fn span(r: &mut Random, file: &SourceFile) -> std::ops::Range<usize> {
    let len = file.text.len();
    match r.below(10) {
        0..=5 => {
            let line = file.line_bytes(r.below(file.line_count()));
            let start = line.start + r.below(line.len() + 1);
            start..start + r.below(line.end - start + 1)
        }
        6 => {
            let start = r.below(len + 1);
            start..start + r.below(len - start + 1)
        }
        7 => {
            let at = r.below(len + 1);
            at..at
        }
        8 => len..len,
        _ => {
            let start = r.below(len + 1);
            start..(start + r.below(8)).min(len)
        }
    }
}

fn random_report(r: &mut Random) -> (Report, Layout) {
    let name = r.pick(&[
        "site-0001/enablement/access-control.md",
        "a\u{7}b.md",
        "漢.md",
    ]);
    let file = SourceFile::new(name.to_owned(), file_text(r));
    let mut labels: Vec<FileLabel> = Vec::new();
    let primary_text = (!r.chance(20)).then(|| text::one_line(&prose(r)));
    labels.push((span(r, &file), primary_text, true));
    for _ in 0..r.below(4) {
        labels.push((span(r, &file), Some(text::one_line(&prose(r))), false));
    }
    let fatal = r.chance(10);
    let report = Report {
        message: text::one_line(&prose(r)),
        code: (!fatal).then(|| r.pick(&["evidence-stale", "x"])),
        severity: match r.below(4) {
            _ if fatal => None,
            0 => None,
            1 => Some(Severity::Error),
            2 => Some(Severity::Warning),
            _ => Some(Severity::Info),
        },
        help: r.chance(80).then(|| text::keep_lines(&help(r))),
        excerpt: (!r.chance(10)).then(|| Excerpt::new(&file, &labels)),
    };
    let layout = Layout {
        color: r.chance(50),
        width: 100,
        wrap: !fatal,
    };
    (report, layout)
}

#[test]
fn our_drawing_equals_miettes_on_random_reports() {
    let mut r = Random(0x5eed_1234_abcd_0001);
    let (mut across, mut boxes) = (0, 0);
    for case in 0..6000 {
        let (report, layout) = random_report(&mut r);
        let expected = reference::render(&report, &layout).expect("miette renders");
        let excerpt = report.excerpt.as_ref().map(|e| (&e.text, &e.labels));
        let drawn = graphic::render(&report, &layout)
            .unwrap_or_else(|| panic!("case {case}: not drawn: {excerpt:?}"));
        assert_eq!(
            drawn, expected,
            "case {case}: {excerpt:?}\n--- ours:\n{drawn}\n--- miette:\n{expected}"
        );
        across += usize::from(drawn.contains('▶'));
        boxes += usize::from(drawn.matches("╭─[").count() > 1);
    }
    // The cases drew labels across lines, and labels far apart in boxes of their own.
    assert!(
        across > 300 && boxes > 300,
        "{across} across lines, {boxes} with several boxes"
    );
}

/// The shapes findings take: one label on one line, related labels on the same line or on
/// other lines, messages and help that wrap, with and without colour.
#[test]
fn common_shapes_are_drawn_as_miette_draws_them() {
    let text = "---\npractice: access-control\ncurrent: 2/general\nassessed: 2026-09-09\n\
                evidence:\n  - path: ../evidence/x.md\n    reviewed: 2026-08-14\n---\n# Body\n";
    let file = SourceFile::new("site/a.md".into(), text.to_owned());
    let at = |needle: &str| {
        let start = text.find(needle).expect("in text");
        start..start + needle.len()
    };
    let long = "the target comes from site-0001/profile.md:8 (`governance: 2/industry`); effort \
                beyond the target may be better spent elsewhere";
    let shapes: Vec<Vec<FileLabel>> = vec![
        vec![(at("2/general"), Some("claimed here".into()), true)],
        vec![(at("2026-09-09"), None, true)],
        vec![(at("2026-08-14"), Some("stale".into()), true)],
        vec![
            (at("2/general"), Some("claimed".into()), true),
            (at("current"), Some("key".into()), false),
        ],
        vec![
            (at("2/general"), Some("claimed".into()), true),
            (at("../evidence/x.md"), Some("evidence".into()), false),
            (at("access-control"), Some("practice".into()), false),
        ],
        vec![(at("# Body"), Some("here".into()), true)],
        vec![(text.len()..text.len(), Some("end".into()), true)],
    ];
    for labels in shapes {
        for color in [false, true] {
            for help in [None, Some("update `reviewed`"), Some(long)] {
                let report = Report {
                    message: long.to_owned(),
                    code: Some("evidence-stale"),
                    severity: Some(Severity::Warning),
                    help: help.map(str::to_owned),
                    excerpt: Some(Excerpt::new(&file, &labels)),
                };
                let layout = Layout {
                    color,
                    width: 100,
                    wrap: true,
                };
                let drawn = graphic::render(&report, &layout);
                let expected = reference::render(&report, &layout).expect("miette renders");
                assert_eq!(drawn.as_deref(), Some(expected.as_str()), "{labels:?}");
            }
        }
    }
}

/// An excerpt holding what `Excerpt::new` never puts in one (a raw tab) is left out, and the
/// rest of the report is drawn as miette draws a report without excerpt.
#[test]
fn an_excerpt_our_excerpts_never_hold_is_left_out() {
    let file = SourceFile::new("a.md".into(), "key:\tvalue\n".into());
    let mut report = Report {
        message: "a message".into(),
        code: Some("x"),
        severity: Some(Severity::Error),
        help: Some("a help".into()),
        excerpt: Some(Excerpt::new(&file, &[(0..3, Some("here".into()), true)])),
    };
    if let Some(excerpt) = report.excerpt.as_mut() {
        excerpt.text = "key:\tvalue".into();
    }
    let layout = Layout {
        color: false,
        width: 100,
        wrap: true,
    };
    assert_eq!(graphic::render(&report, &layout), None);
    let shown = super::render(&report, &layout);
    report.excerpt = None;
    let expected = reference::render(&report, &layout).expect("miette renders");
    assert_eq!(shown, expected);
}
