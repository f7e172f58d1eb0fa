//! The bar charts: target against current per practice, overall and per domain, as inline SVG.

use super::markup::{Html, html};
use super::rollup_level;
use crate::audit::model::{DomainReport, LevelView, PracticeRow, ProfileReport, Rollup};
use std::fmt::Write as _;

/// The geometry of a bar chart, in SVG user units (about CSS pixels at full width).
#[derive(Debug, Clone, Copy)]
struct Layout {
    width: u32,
    /// Where level 0 is; in the overall chart the practice names sit left of it.
    x0: u32,
    /// Width of one level.
    unit: u32,
    /// True: names in a column left of the bars; false: each name above its bars (narrow
    /// charts, where a name column would leave no room for the bars).
    names_left: bool,
    /// Characters per line of a practice name before it wraps.
    wrap: usize,
    /// True: a heading row per domain (the overall chart).
    domain_rows: bool,
}

impl Layout {
    /// Level names under the numbers on the axis: only where a level is wide enough for them.
    fn tick_names(self) -> bool {
        self.unit >= 100
    }

    /// Height of the axis band above the bars.
    fn axis(self) -> u32 {
        if self.tick_names() { 36 } else { 22 }
    }
}

const OVERALL: Layout = Layout {
    width: 1120,
    x0: 370,
    unit: 150,
    names_left: true,
    wrap: 50,
    domain_rows: true,
};

const SMALL: Layout = Layout {
    width: 370,
    x0: 24,
    unit: 54,
    names_left: false,
    wrap: 50,
    domain_rows: false,
};

const BAR: u32 = 13;
const BAR_GAP: u32 = 3;
const ROW_PAD: u32 = 12;
const LINE: u32 = 15;
const DOMAIN_ROW: u32 = 30;
pub(crate) const LEVEL_NAMES: [&str; 5] = ["None", "Minimum", "Ad hoc", "Consistent", "Formalized"];

/// Bar colours: light with a dark outline for the target, dark for the current state. They
/// differ in lightness as well as hue, so they stay apart in grey print and for colour-blind
/// readers; the labels and the order (target above current) carry the same meaning in text.
pub(crate) const TARGET_FILL: &str = "#d3e2f2";
pub(crate) const TARGET_INK: &str = "#2a5b8c";
pub(crate) const CURRENT_FILL: &str = "#c25a12";
pub(crate) const CURRENT_INK: &str = "#7a3508";
pub(crate) const KEY_FILL: &str = "#e3e7ec";
pub(crate) const KEY_INK: &str = "#4a5565";

/// A chart to draw: its ids are unique in the page, its title is plain text (escaped on
/// output) and its practices come grouped by domain.
struct Chart<'a> {
    id: String,
    title: String,
    domains: Vec<&'a DomainReport>,
    layout: Layout,
}

/// One row of a chart: a domain's heading, or a practice with its name wrapped into lines.
enum Row<'a> {
    Domain(&'a Rollup),
    Practice(&'a PracticeRow, Vec<String>),
}

pub(super) fn overall(out: &mut Html, n: usize, profile: &ProfileReport) {
    html!(
        out,
        "<h3 id=\"p{}-chart\">Target versus current, per practice</h3>\n<figure class=\"chart overall\">\n",
        n
    );
    let chart = Chart {
        id: format!("p{n}-all"),
        title: format!(
            "Target versus current comprehensiveness per practice, profile {}",
            profile.id
        ),
        domains: profile.domains.iter().collect(),
        layout: OVERALL,
    };
    svg_chart(out, &chart);
    out.push_raw("</figure>\n");
}

pub(super) fn per_domain(out: &mut Html, n: usize, profile: &ProfileReport) {
    html!(
        out,
        "<h3 id=\"p{}-domains\">By domain</h3>\n<div class=\"domain-charts\">\n",
        n
    );
    for (index, domain) in profile.domains.iter().enumerate() {
        let r = &domain.rollup;
        html!(
            out,
            "<figure class=\"chart small\">\n<figcaption>{}<span class=\"rollup\">target {} · \
             current {}</span></figcaption>\n",
            r.name,
            rollup_level(r.target.as_deref()),
            rollup_level(r.current.as_deref())
        );
        let chart = Chart {
            id: format!("p{n}-d{}", index + 1),
            title: format!(
                "{}: target versus current comprehensiveness per practice",
                r.name
            ),
            domains: vec![domain],
            layout: SMALL,
        };
        svg_chart(out, &chart);
        out.push_raw("</figure>\n");
    }
    out.push_raw("</div>\n");
}

/// Greedy word wrap; a single word longer than `width` gets a line of its own.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn chart_rows<'a>(chart: &Chart<'a>) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for domain in &chart.domains {
        if chart.layout.domain_rows {
            rows.push(Row::Domain(&domain.rollup));
        }
        for practice in domain.subdomains.iter().flat_map(|s| &s.practices) {
            rows.push(Row::Practice(
                practice,
                wrap(&practice.name, chart.layout.wrap),
            ));
        }
    }
    rows
}

fn row_height(row: &Row<'_>, layout: Layout) -> u32 {
    let bars = 2 * BAR + BAR_GAP;
    match row {
        Row::Domain(_) => DOMAIN_ROW,
        Row::Practice(_, lines) if layout.names_left => {
            bars.max(LINE * units(lines.len())) + ROW_PAD
        }
        Row::Practice(_, lines) => LINE * units(lines.len()) + 3 + bars + ROW_PAD,
    }
}

/// A count of lines or characters as SVG units. Counts here are small; capping them keeps the
/// arithmetic on coordinates far from overflow whatever a document holds.
fn units(n: usize) -> u32 {
    u32::try_from(n).map_or(10_000, |n| n.min(10_000))
}

/// Height of the legend band above the axis: the narrow chart puts its legend on two lines.
fn legend_height(layout: Layout) -> u32 {
    if layout.names_left { 30 } else { 50 }
}

/// Height of the band below the bars: level numbers and the axis title.
const AXIS_BELOW: u32 = 36;

fn svg_chart(out: &mut Html, chart: &Chart<'_>) {
    let layout = chart.layout;
    let rows = chart_rows(chart);
    let top = legend_height(layout) + layout.axis();
    let body: u32 = rows.iter().map(|r| row_height(r, layout)).sum();
    let height = top + body + AXIS_BELOW;
    let id = &chart.id;
    let w = layout.width;
    html!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{}-title {}-desc\" \
         viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" class=\"bars\" \
         font-size=\"12\">\n<title id=\"{}-title\">{}</title>\n<desc id=\"{}-desc\">{}</desc>\n",
        id,
        id,
        w,
        height,
        w,
        height,
        id,
        chart.title,
        id,
        chart_desc(&rows),
    );
    patterns(out, id);
    legend(out, id, layout);
    axis(out, layout, legend_height(layout), top + body);
    let mut y = top;
    for row in &rows {
        match row {
            Row::Domain(rollup) => domain_heading(out, layout, y, rollup),
            Row::Practice(practice, lines) => practice_bars(out, id, layout, y, practice, lines),
        }
        y += row_height(row, layout);
    }
    out.push_raw("</svg>\n");
}

/// The chart's data in words, for screen readers and for anyone who cannot see the bars.
fn chart_desc(rows: &[Row<'_>]) -> String {
    let mut desc = String::from(
        "Grouped horizontal bars, two per practice: the upper bar is the target, the lower bar \
         the current state. Bar length is the comprehensiveness level from 0 to 4; the fill \
         pattern is the scope (solid: general, hatched: industry, cross-hatched: system); each \
         bar is labelled with its level and scope.",
    );
    for row in rows {
        if let Row::Practice(p, _) = row {
            let _ = write!(
                desc,
                " {}: target {}, current {}, {}.",
                p.name,
                describe(p.target, "none"),
                describe(p.current, current_missing(p)),
                p.gap
            );
        }
    }
    desc
}

fn describe(view: Option<LevelView>, missing: &str) -> String {
    view.map_or_else(|| missing.to_owned(), |v| v.to_string())
}

fn current_missing(p: &PracticeRow) -> &'static str {
    if p.applicable {
        "no claim"
    } else {
        "not applicable"
    }
}

/// Hatch patterns for the scopes, per bar kind. Each chart has its own, under ids prefixed
/// with the chart's, so a chart never depends on another one's definitions.
pub(crate) fn patterns(out: &mut Html, id: &str) {
    out.push_raw("<defs>\n");
    for (kind, fill, ink) in [
        ("t", TARGET_FILL, TARGET_INK),
        ("c", CURRENT_FILL, "#ffffff"),
        ("k", KEY_FILL, KEY_INK),
    ] {
        html!(
            out,
            "<pattern id=\"{}-{}-industry\" patternUnits=\"userSpaceOnUse\" width=\"6\" \
             height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" \
             fill=\"{}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{}\" \
             stroke-width=\"2.2\"/></pattern>\n\
             <pattern id=\"{}-{}-system\" patternUnits=\"userSpaceOnUse\" width=\"6\" \
             height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" \
             fill=\"{}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{}\" \
             stroke-width=\"1.6\"/><line x1=\"0\" y1=\"0\" x2=\"6\" y2=\"0\" stroke=\"{}\" \
             stroke-width=\"1.6\"/></pattern>\n",
            id,
            kind,
            fill,
            ink,
            id,
            kind,
            fill,
            ink,
            ink
        );
    }
    out.push_raw("</defs>\n");
}

/// The paint for a bar: `kind` is `t` (target), `c` (current) or `k` (legend key). General
/// scope is a plain fill; industry and system are the hatch patterns.
pub(crate) fn paint(id: &str, kind: &str, scope: &str) -> String {
    let plain = match kind {
        "t" => TARGET_FILL,
        "c" => CURRENT_FILL,
        _ => KEY_FILL,
    };
    match scope {
        "industry" | "system" => format!("url(#{id}-{kind}-{scope})"),
        _ => plain.to_owned(),
    }
}

pub(crate) fn ink(kind: &str) -> &'static str {
    match kind {
        "t" => TARGET_INK,
        "c" => CURRENT_INK,
        _ => KEY_INK,
    }
}

fn legend(out: &mut Html, id: &str, layout: Layout) {
    let second_line = !layout.names_left;
    let (mut x, mut y) = (
        layout.x0.saturating_sub(if second_line { 20 } else { 0 }),
        8,
    );
    let start = x;
    out.push_raw("<g class=\"legend\" aria-hidden=\"true\">\n");
    let items: [(&str, &str, &str); 5] = [
        ("t", "general", "Target (upper bar)"),
        ("c", "general", "Current (lower bar)"),
        ("k", "general", "general"),
        ("k", "industry", "industry"),
        ("k", "system", "system"),
    ];
    for (index, (kind, scope, label)) in items.into_iter().enumerate() {
        if index == 2 {
            if second_line {
                (x, y) = (start, y + 20);
            } else {
                x += 16;
            }
            html!(
                out,
                "<text x=\"{}\" y=\"{}\" class=\"k\">Scope:</text>\n",
                x,
                y + 11
            );
            x += 46;
        }
        html!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"13\" fill=\"{}\" stroke=\"{}\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>\n",
            x,
            y,
            paint(id, kind, scope),
            ink(kind),
            x + 28,
            y + 11,
            label
        );
        x += 28 + 7 * units(label.len()) + 18;
    }
    out.push_raw("</g>\n");
}

/// Grid lines at each level, with the level numbers and names above and below the bars.
fn axis(out: &mut Html, layout: Layout, top: u32, bottom: u32) {
    out.push_raw("<g class=\"axis\" aria-hidden=\"true\">\n");
    for (lvl, name) in LEVEL_NAMES.iter().enumerate() {
        let x = layout.x0 + layout.unit * units(lvl);
        let stroke = if lvl == 0 { "#6b7482" } else { "#d3d9e0" };
        html!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>\n\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"tick\">{}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"tick\">{}</text>\n",
            x,
            top + layout.axis() - 4,
            x,
            bottom,
            stroke,
            x,
            top + 13,
            lvl,
            x,
            bottom + 16,
            lvl
        );
        if layout.tick_names() {
            html!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"tickname\">{}</text>\n",
                x,
                top + 27,
                name
            );
        }
    }
    let middle = layout.x0 + layout.unit * 2;
    html!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"k\">Comprehensiveness \
         level</text>\n</g>\n",
        middle,
        bottom + 31
    );
}

/// The heading may run across the grid lines: a white halo drawn under the glyphs
/// (`paint-order`) keeps it readable.
fn domain_heading(out: &mut Html, layout: Layout, y: u32, rollup: &Rollup) {
    html!(
        out,
        "<line x1=\"0\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#b9c3d0\"/>\
         <text x=\"0\" y=\"{}\" class=\"dom\" stroke=\"#ffffff\" stroke-width=\"4\" \
         paint-order=\"stroke\" stroke-linejoin=\"round\">{} <tspan class=\"k\" font-weight=\"400\">· target {} · \
         current {}</tspan></text>\n",
        y + 3,
        layout.width,
        y + 3,
        y + 21,
        rollup.name,
        rollup_level(rollup.target.as_deref()),
        rollup_level(rollup.current.as_deref())
    );
}

fn practice_bars(
    out: &mut Html,
    id: &str,
    layout: Layout,
    y: u32,
    p: &PracticeRow,
    lines: &[String],
) {
    html!(out, "<g class=\"practice\" data-practice=\"{}\">\n", p.id);
    let bars_top = practice_name(out, layout, y, lines);
    bar(out, id, layout, bars_top, p, "t", p.target);
    bar(out, id, layout, bars_top + BAR + BAR_GAP, p, "c", p.current);
    out.push_raw("</g>\n");
}

/// Writes the name and returns where the bars start: beside the name in the overall chart,
/// below it in the narrow ones.
fn practice_name(out: &mut Html, layout: Layout, y: u32, lines: &[String]) -> u32 {
    let count = units(lines.len());
    if layout.names_left {
        let bars = 2 * BAR + BAR_GAP;
        let block = bars.max(LINE * count);
        // Centre the name's lines on the pair of bars; 4 lifts the baseline to mid-height.
        let first = y + block / 2 + 4 - (LINE * (count - 1)) / 2;
        text_lines(out, layout.x0 - 12, first, "end", lines);
        y + (block - bars) / 2
    } else {
        text_lines(out, layout.x0 - 20, y + 12, "start", lines);
        y + LINE * count + 3
    }
}

fn text_lines(out: &mut Html, x: u32, first: u32, anchor: &str, lines: &[String]) {
    html!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" class=\"name\">",
        x,
        first,
        anchor
    );
    for (index, line) in lines.iter().enumerate() {
        let dy = if index == 0 { 0 } else { LINE };
        html!(out, "<tspan x=\"{}\" dy=\"{}\">{}</tspan>", x, dy, line);
    }
    out.push_raw("</text>\n");
}

/// One bar with its label. A missing level draws an empty bar (so every practice has its pair)
/// and says why in the label.
fn bar(
    out: &mut Html,
    id: &str,
    layout: Layout,
    y: u32,
    p: &PracticeRow,
    kind: &str,
    view: Option<LevelView>,
) {
    let (role, missing) = if kind == "t" {
        ("target", "none")
    } else {
        ("current", current_missing(p))
    };
    let width = view.map_or(0, |v| layout.unit * u32::from(v.level.min(4)));
    let scope = view.map_or("general", |v| v.scope.name());
    let value = describe(view, missing);
    html!(
        out,
        "<rect class=\"bar {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
         fill=\"{}\" stroke=\"{}\"><title>{}: {} {}</title></rect>\
         <text x=\"{}\" y=\"{}\" class=\"v\"><tspan class=\"k\">{}</tspan> {}</text>\n",
        role,
        layout.x0,
        y,
        width,
        BAR,
        paint(id, kind, scope),
        ink(kind),
        p.name,
        role,
        value,
        layout.x0 + width + 6,
        y + BAR - 2,
        role,
        value
    );
}
