//! The history page's charts, as inline SVG: step charts over the points, x by commit date.
//!
//! A domain's chart draws its current rollup as a filled area and its target as an outlined
//! band, each filled with the report's scope pattern (solid general, hatched industry,
//! cross-hatched system), so scope reads without colour. The burn-down draws the open plan
//! items as an area and all plan items as a dashed line. A point at which a document below did
//! not parse is shaded and marked `?`: its values rest on unknown levels.

use super::super::{DomainRows, Timeline, plotted, short};
use crate::audit::html::charts::{
    CURRENT_FILL, CURRENT_INK, KEY_FILL, KEY_INK, TARGET_INK, ink, paint, patterns,
};
use crate::audit::html::markup::{Html, html};
use crate::history::model::{DocumentState, Point};
use crate::model::level::Scope;
use std::fmt::Write as _;

/// The plot's geometry, in SVG user units.
#[derive(Debug, Clone, Copy)]
struct Frame {
    width: i64,
    height: i64,
    /// Left and right edges of the plot.
    left: i64,
    right: i64,
    /// Top and bottom (the zero line) of the plot.
    top: i64,
    bottom: i64,
}

const DOMAIN: Frame = Frame {
    width: 520,
    height: 252,
    left: 40,
    right: 504,
    top: 52,
    bottom: 212,
};

/// Width of the newest point's step, which has no next point to end at.
const TAIL: i64 = 40;
/// The least room between two date labels on the x axis.
const DATE_ROOM: i64 = 74;
/// Half the height of a target band.
const BAND: i64 = 4;

/// The x of each point (oldest first) by commit time, and where each point's step ends.
fn xs(points: &[&Point], frame: Frame) -> Vec<(i64, i64)> {
    let span = i128::from(frame.right - TAIL - frame.left);
    let times: Vec<i128> = points.iter().map(|p| i128::from(p.time)).collect();
    let (min, max) = (
        times.iter().copied().min().unwrap_or(0),
        times.iter().copied().max().unwrap_or(0),
    );
    let count = i128::try_from(points.len()).unwrap_or(i128::MAX);
    // Points out of time order (a rebased branch) or all at one time: evenly spaced.
    let by_time = max > min && times.windows(2).all(|w| w[0] <= w[1]);
    let starts: Vec<i64> = times
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let offset = if by_time {
                (t - min) * span / (max - min)
            } else if count > 1 {
                i128::try_from(i).unwrap_or(0) * span / (count - 1)
            } else {
                0
            };
            frame.left + i64::try_from(offset).unwrap_or(0)
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &x)| (x, starts.get(i + 1).copied().unwrap_or(frame.right)))
        .collect()
}

/// A run of points with the same value: the x span, the value.
struct Run<T> {
    x0: i64,
    x1: i64,
    value: T,
}

fn runs<T: PartialEq + Clone>(values: &[T], xs: &[(i64, i64)]) -> Vec<Run<T>> {
    let mut out: Vec<Run<T>> = Vec::new();
    for (value, &(x0, x1)) in values.iter().zip(xs) {
        match out.last_mut() {
            Some(run) if run.value == *value => run.x1 = x1,
            _ => out.push(Run {
                x0,
                x1,
                value: value.clone(),
            }),
        }
    }
    out
}

fn open_svg(out: &mut Html, id: &str, frame: Frame, title: &str, desc: &str) {
    html!(
        out,
        "<svg role=\"img\" aria-labelledby=\"{}-title {}-desc\" viewBox=\"0 0 {} {}\" \
         width=\"{}\" height=\"{}\" class=\"steps\" font-size=\"11\">\n\
         <title id=\"{}-title\">{}</title>\n<desc id=\"{}-desc\">{}</desc>\n",
        id,
        id,
        frame.width,
        frame.height,
        frame.width,
        frame.height,
        id,
        title,
        id,
        desc
    );
}

/// Dates under the axis: the newest and the oldest always, then the others newest first where
/// there is room; a tick at every point.
fn x_axis(out: &mut Html, points: &[&Point], xs: &[(i64, i64)], frame: Frame) {
    out.push_raw("<g class=\"axis\" aria-hidden=\"true\">\n");
    let mut labelled: Vec<i64> = Vec::new();
    let mut order: Vec<usize> = (0..points.len()).rev().collect();
    if let Some(oldest) = order.pop() {
        order.insert(order.len().min(1), oldest);
    }
    for index in order {
        let (point, x) = (points[index], xs[index].0);
        html!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#6b7482\"/>\n",
            x,
            frame.bottom,
            x,
            frame.bottom + 5
        );
        let centre = x.clamp(frame.left + 30, frame.width - 32);
        if labelled.iter().all(|l| (l - centre).abs() >= DATE_ROOM) {
            labelled.push(centre);
            html!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"k\">{}</text>\n",
                centre,
                frame.bottom + 18,
                point.date
            );
        }
    }
    html!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"k\">Commit date</text>\n</g>\n",
        (frame.left + frame.right) / 2,
        frame.bottom + 35
    );
}

/// Grid lines at each of `steps` values up to `max`, labelled at the left.
fn y_axis(out: &mut Html, frame: Frame, max: i64, step: i64, title: &str) {
    out.push_raw("<g class=\"axis\" aria-hidden=\"true\">\n");
    let mut value = 0;
    while value <= max {
        let y = y_of(frame, value, max);
        let stroke = if value == 0 { "#6b7482" } else { "#d3d9e0" };
        html!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"k\">{}</text>\n",
            frame.left,
            y,
            frame.right,
            y,
            stroke,
            frame.left - 6,
            y + 4,
            value
        );
        value += step.max(1);
    }
    html!(
        out,
        "<text x=\"0\" y=\"{}\" class=\"k\">{}</text>\n</g>\n",
        frame.top - 10,
        title
    );
}

fn y_of(frame: Frame, value: i64, max: i64) -> i64 {
    frame.bottom - (frame.bottom - frame.top) * value.clamp(0, max) / max.max(1)
}

/// The legend: `items` are (paint, ink, label, dashed), then the scope keys when `scopes`.
fn legend(out: &mut Html, id: &str, items: &[(String, &str, &str, bool)], scopes: bool) {
    out.push_raw("<g class=\"legend\" aria-hidden=\"true\">\n");
    let mut x = 0;
    for (fill, ink, label, dashed) in items {
        if *dashed {
            html!(
                out,
                "<line x1=\"{}\" y1=\"14\" x2=\"{}\" y2=\"14\" stroke=\"{}\" stroke-width=\"2\" \
                 stroke-dasharray=\"5 3\"/>",
                x,
                x + 22,
                ink
            );
        } else {
            html!(
                out,
                "<rect x=\"{}\" y=\"8\" width=\"22\" height=\"12\" fill=\"{}\" stroke=\"{}\"/>",
                x,
                fill,
                ink
            );
        }
        html!(out, "<text x=\"{}\" y=\"18\">{}</text>\n", x + 27, label);
        x += 27 + 6 * i64::try_from(label.len()).unwrap_or(0) + 14;
    }
    if scopes {
        html!(
            out,
            "<text x=\"{}\" y=\"18\" class=\"k\">Scope:</text>\n",
            x
        );
        x += 40;
        for scope in Scope::ALL {
            html!(
                out,
                "<rect x=\"{}\" y=\"8\" width=\"22\" height=\"12\" fill=\"{}\" stroke=\"{}\"/>\
                 <text x=\"{}\" y=\"18\">{}</text>\n",
                x,
                paint(id, "k", scope.name()),
                ink("k"),
                x + 27,
                scope.name()
            );
            x += 27 + 6 * i64::try_from(scope.name().len()).unwrap_or(0) + 12;
        }
    }
    out.push_raw("</g>\n");
}

/// Shades the points whose values rest on a document that did not parse.
fn uncertain(out: &mut Html, frame: Frame, flags: &[bool], xs: &[(i64, i64)]) {
    for run in runs(flags, xs).iter().filter(|r| r.value) {
        html!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" fill-opacity=\"0.75\">\
             <title>A document did not parse here: values unknown</title></rect>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"v\">?</text>\n",
            run.x0,
            frame.top,
            (run.x1 - run.x0).max(2),
            frame.bottom - frame.top,
            KEY_FILL,
            (run.x0 + run.x1) / 2,
            frame.top + 12
        );
    }
}

/// A step line through the runs with a value; a run without one breaks the line.
fn step_path(runs: &[Run<Option<i64>>]) -> String {
    let mut d = String::new();
    let mut last: Option<i64> = None;
    for run in runs {
        match (run.value, last) {
            (Some(y), Some(_)) => {
                let _ = write!(d, " V{y} H{}", run.x1);
            }
            (Some(y), None) => {
                let _ = write!(d, " M{} {y} H{}", run.x0, run.x1);
            }
            (None, _) => {}
        }
        last = run.value;
    }
    d.trim_start().to_owned()
}

/// One point's values in a domain chart.
#[derive(Debug, Clone, PartialEq)]
struct Rollup {
    current: Option<String>,
    target: Option<String>,
    applicable: bool,
    uncertain: bool,
}

pub(super) fn domain_chart(
    out: &mut Html,
    t: &Timeline<'_>,
    profile: &str,
    domain: &DomainRows,
    id: &str,
) {
    let frame = DOMAIN;
    let points = &t.points;
    let values: Vec<Option<Rollup>> = (0..points.len())
        .map(|i| {
            t.rollup(i, profile, &domain.id).map(|r| Rollup {
                current: r.current.clone().filter(|_| r.applicable),
                target: r.target.clone(),
                applicable: r.applicable,
                uncertain: t.uncertain(i, profile, &domain.id),
            })
        })
        .collect();
    let newest = values.iter().rev().flatten().next();
    let now = |f: fn(&Rollup) -> Option<&String>| {
        newest.and_then(f).map_or("—", String::as_str).to_owned()
    };
    html!(
        out,
        "<figure class=\"chart\">\n<figcaption>{}<span class=\"rollup\">now: target {} · \
         current {}</span></figcaption>\n",
        domain.name,
        now(|r| r.target.as_ref()),
        if newest.is_some_and(|r| !r.applicable) {
            "n/a".to_owned()
        } else {
            now(|r| r.current.as_ref())
        }
    );
    let title = format!("{}: current rollup against target over time", domain.name);
    open_svg(
        out,
        id,
        frame,
        &title,
        &domain_desc(&domain.name, points, &values),
    );
    patterns(out, id);
    legend(
        out,
        id,
        &[
            (
                paint(id, "t", "general"),
                TARGET_INK,
                "Target (band)",
                false,
            ),
            (
                paint(id, "c", "general"),
                CURRENT_INK,
                "Current (area)",
                false,
            ),
        ],
        true,
    );
    y_axis(out, frame, 4, 1, "Level");
    let xs = xs(points, frame);
    x_axis(out, points, &xs, frame);
    let current: Vec<Option<(u8, Scope)>> = values
        .iter()
        .map(|v| {
            v.as_ref()
                .and_then(|r| r.current.as_deref())
                .and_then(plotted)
        })
        .collect();
    let target: Vec<Option<(u8, Scope)>> = values
        .iter()
        .map(|v| {
            v.as_ref()
                .and_then(|r| r.target.as_deref())
                .and_then(plotted)
        })
        .collect();
    let level_y = |level: u8| y_of(frame, i64::from(level), 4);
    for run in runs(&current, &xs) {
        if let Some((level, scope)) = run.value {
            html!(
                out,
                "<rect class=\"current\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
                run.x0,
                level_y(level),
                run.x1 - run.x0,
                frame.bottom - level_y(level),
                paint(id, "c", scope.name())
            );
        }
    }
    let heights: Vec<Option<i64>> = current
        .iter()
        .map(|c| c.map(|(level, _)| level_y(level)))
        .collect();
    html!(
        out,
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
        step_path(&runs(&heights, &xs)),
        CURRENT_INK
    );
    for run in runs(&target, &xs) {
        if let Some((level, scope)) = run.value {
            html!(
                out,
                "<rect class=\"target\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" \
                 stroke=\"{}\" stroke-width=\"1.5\"/>\n",
                run.x0,
                level_y(level) - BAND,
                run.x1 - run.x0,
                2 * BAND,
                paint(id, "t", scope.name()),
                TARGET_INK
            );
        }
    }
    let flags: Vec<bool> = values
        .iter()
        .map(|v| v.as_ref().is_some_and(|r| r.uncertain))
        .collect();
    uncertain(out, frame, &flags, &xs);
    level_labels(out, frame, &values, &xs);
    out.push_raw("</svg>\n</figure>\n");
}

/// The current level written at the start of each run wide enough to hold it, on a white halo
/// so it reads over the pattern.
fn level_labels(out: &mut Html, frame: Frame, values: &[Option<Rollup>], xs: &[(i64, i64)]) {
    let current: Vec<Option<String>> = values
        .iter()
        .map(|v| v.as_ref().and_then(|r| r.current.clone()))
        .collect();
    for run in runs(&current, xs) {
        let Some(text) = &run.value else { continue };
        if run.x1 - run.x0 < 64 {
            continue;
        }
        let level = plotted(text).map_or(0, |(l, _)| l);
        let y = y_of(frame, i64::from(level), 4);
        let y = if level == 0 { y - 5 } else { y + 15 };
        html!(
            out,
            "<text x=\"{}\" y=\"{}\" class=\"v\" stroke=\"#ffffff\" stroke-width=\"3\" \
             paint-order=\"stroke\">{}</text>\n",
            run.x0 + 4,
            y,
            text
        );
    }
}

/// The chart's data in words: the first point and each point where something changed.
fn domain_desc(name: &str, points: &[&Point], values: &[Option<Rollup>]) -> String {
    let mut desc = format!(
        "Step chart of {name}: the current rollup (filled area) against the target (outlined \
         band) at {}, x by commit date, y the comprehensiveness level from 0 to 4; the fill \
         pattern is the scope (solid: general, hatched: industry, cross-hatched: system).",
        crate::text::plural(points.len(), "point", "points")
    );
    let mut before: Option<&Option<Rollup>> = None;
    for (point, value) in points.iter().zip(values) {
        if before == Some(value) {
            continue;
        }
        before = Some(value);
        let _ = write!(desc, " {} ({}): ", point.date, short(&point.commit));
        match value {
            None => desc.push_str("no such domain."),
            Some(r) => {
                let current = match (&r.current, r.applicable) {
                    (_, false) => "not applicable",
                    (Some(c), true) => c.as_str(),
                    (None, true) => "no claim",
                };
                let target = r.target.as_deref().unwrap_or("none");
                let _ = write!(desc, "current {current}, target {target}");
                desc.push_str(if r.uncertain {
                    ", a document below did not parse."
                } else {
                    "."
                });
            }
        }
    }
    desc
}

/// One point's plan counts for the burn-down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    open: i64,
    total: i64,
    uncertain: bool,
}

pub(super) fn burndown(out: &mut Html, t: &Timeline<'_>, profile: &str, id: &str) {
    let frame = DOMAIN;
    let points = &t.points;
    let values: Vec<Option<Plan>> = (0..points.len())
        .map(|i| {
            t.profile(i, profile).map(|prof| Plan {
                open: count(prof.plan.iter().filter(|i| i.open).count()),
                total: count(prof.plan.len()),
                uncertain: prof
                    .practices
                    .iter()
                    .any(|q| q.document == DocumentState::Unparsed),
            })
        })
        .collect();
    let highest = values.iter().flatten().map(|v| v.total).max().unwrap_or(0);
    let step = nice_step(highest);
    let max = (highest.max(1) + step - 1) / step * step;
    let newest = values.iter().rev().flatten().next();
    html!(
        out,
        "<figure class=\"chart burndown\">\n<figcaption>Open plan items<span class=\"rollup\">\
         now: {}</span></figcaption>\n",
        newest.map_or_else(
            || "—".to_owned(),
            |v| format!("{} open of {}", v.open, v.total)
        )
    );
    open_svg(
        out,
        id,
        frame,
        "Open plan items over time",
        &burndown_desc(points, &values),
    );
    legend(
        out,
        id,
        &[
            (
                CURRENT_FILL.to_owned(),
                CURRENT_INK,
                "Open plan items (area)",
                false,
            ),
            (String::new(), KEY_INK, "All plan items (dashed)", true),
        ],
        false,
    );
    y_axis(out, frame, max, step, "Plan items");
    let xs = xs(points, frame);
    x_axis(out, points, &xs, frame);
    let open: Vec<Option<i64>> = values.iter().map(|v| v.map(|v| v.open)).collect();
    for run in runs(&open, &xs) {
        if let Some(n) = run.value {
            html!(
                out,
                "<rect class=\"open\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" \
                 fill-opacity=\"0.85\"/>\n",
                run.x0,
                y_of(frame, n, max),
                run.x1 - run.x0,
                frame.bottom - y_of(frame, n, max),
                CURRENT_FILL
            );
            if run.x1 - run.x0 >= 24 {
                html!(
                    out,
                    "<text x=\"{}\" y=\"{}\" class=\"v\">{}</text>\n",
                    run.x0 + 4,
                    y_of(frame, n, max) - 4,
                    n
                );
            }
        }
    }
    let open_y: Vec<Option<i64>> = open
        .iter()
        .map(|v| v.map(|n| y_of(frame, n, max)))
        .collect();
    let total_y: Vec<Option<i64>> = values
        .iter()
        .map(|v| v.map(|v| y_of(frame, v.total, max)))
        .collect();
    html!(
        out,
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n\
         <path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>\n",
        step_path(&runs(&open_y, &xs)),
        CURRENT_INK,
        step_path(&runs(&total_y, &xs)),
        KEY_INK
    );
    let flags: Vec<bool> = values
        .iter()
        .map(|v| v.is_some_and(|v| v.uncertain))
        .collect();
    uncertain(out, frame, &flags, &xs);
    out.push_raw("</svg>\n</figure>\n");
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX / 2)
}

/// A grid step of 1, 2 or 5 times a power of ten giving at most 5 lines above zero.
fn nice_step(max: i64) -> i64 {
    let mut power = 1i64;
    loop {
        for factor in [1, 2, 5] {
            let step = power.saturating_mul(factor);
            if max <= step.saturating_mul(5) {
                return step;
            }
        }
        power = power.saturating_mul(10);
    }
}

fn burndown_desc(points: &[&Point], values: &[Option<Plan>]) -> String {
    let mut desc = format!(
        "Step chart of the plan items at {}, x by commit date: the open items (filled area, \
         items whose level the practice does not yet reach) and all items (dashed line).",
        crate::text::plural(points.len(), "point", "points")
    );
    let mut before: Option<&Option<Plan>> = None;
    for (point, value) in points.iter().zip(values) {
        if before == Some(value) {
            continue;
        }
        before = Some(value);
        let _ = write!(desc, " {} ({}): ", point.date, short(&point.commit));
        match value {
            None => desc.push_str("no such profile."),
            Some(v) => {
                let _ = write!(desc, "{} open of {}", v.open, v.total);
                desc.push_str(if v.uncertain {
                    ", leaving out documents that did not parse."
                } else {
                    "."
                });
            }
        }
    }
    desc
}

#[cfg(test)]
mod tests {
    use super::nice_step;

    #[test]
    fn grid_steps_are_round() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(4), 1);
        assert_eq!(nice_step(7), 2);
        assert_eq!(nice_step(23), 5);
        assert_eq!(nice_step(180), 50);
        assert!(nice_step(i64::MAX / 2) > 0);
    }
}
