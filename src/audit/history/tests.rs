use super::{Format, render};
use crate::history::model::{History, PlanPoint, Point, PracticePoint};
use crate::history::testing::{self, history, plan, point, practice, profile, unparsed};
use crate::model::catalogue::{Catalogue, Tier};

const GOV: (&str, &str) = ("governance", "strategy");

/// A small history: two points of one practice, raised from 1 to 2 with the target 3.
fn small() -> History {
    history(vec![
        point(
            "bbbbbbb",
            "2026-02-01",
            vec![profile(
                "line",
                vec![practice("p", GOV, Some("3/general"), Some("2/general"))],
            )],
        ),
        point(
            "aaaaaaa",
            "2026-01-01",
            vec![profile(
                "line",
                vec![practice("p", GOV, Some("3/general"), Some("1/general"))],
            )],
        ),
    ])
}

/// One point whose every text is hostile: names, ids, tags and paths that would be markup.
fn hostile() -> History {
    let evil = "<img src=x onerror=alert(1)>|*x*|[l](javascript:x)";
    let mut p = practice("p", GOV, Some("3/general"), Some("1/general"));
    p.name = evil.to_owned();
    p.id = "=cmd|' /C calc'!A0".to_owned();
    let mut prof = profile("<b>line</b>", vec![p]);
    for r in &mut prof.rollups {
        r.name = format!("{evil} {}", r.tier);
    }
    prof.plan = vec![plan(
        "=cmd|' /C calc'!A0",
        Some(evil),
        None,
        Some("2026-01-01"),
        true,
    )];
    let mut pt = point("ccccccc", "2026-03-01", vec![prof]);
    pt.tags = vec!["<script>alert(1)</script>".to_owned()];
    pt.unparsed = vec!["</code><script>x</script>.md".to_owned()];
    history(vec![pt])
}

#[test]
fn markdown_tables_run_oldest_to_newest_with_arrows() {
    let md = render(Format::Md, &small());
    assert!(md.contains("## Profile `line`"), "{md}");
    assert!(
        md.contains("| practice | target | 2026-01-01 `aaaaaaa` | 2026-02-01 `bbbbbbb` |"),
        "{md}"
    );
    assert!(
        md.contains("| P (`p`) | 3/general | 1/general | 2/general ↑ |"),
        "{md}"
    );
    assert!(
        md.contains("| **Governance** | 3/general | 1/general | 2/general ↑ |"),
        "{md}"
    );
    assert!(md.contains("| *Strategy* |"), "{md}");
    assert!(md.contains("### Last level change per practice\n\n- P (`p`)\\: raised from 1/general to 2/general on 2026-02-01, commit `bbbbbbb`"), "{md}");
    assert!(
        md.contains("### Plan items that slipped\n\nNo plan item"),
        "{md}"
    );
}

#[test]
fn markdown_shows_unparsed_points_and_other_targets() {
    let mut points = small().points;
    let mut middle = points[1].clone();
    middle.commit = format!("{:0<40}", "mmmmmmm");
    middle.date = "2026-01-15".to_owned();
    let p = &mut middle.profiles[0].practices[0];
    *p = unparsed(p.clone());
    middle.unparsed = vec!["line/practices/p.md".to_owned()];
    points.insert(1, middle);
    points[2].profiles[0].practices[0].target = Some("2/general".to_owned());
    let md = render(Format::Md, &history(points));
    assert!(
        md.contains(
            "| P (`p`) | 3/general | 1/general (target 2/general) | *unparsed* | 2/general ↑ |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| *Strategy* | 3/general | 1/general | — ↓ ? | 2/general ↑ |")
            || md.contains("?"),
        "{md}"
    );
    assert!(
        md.contains(
            "## Documents that did not parse\n\n- 2026-01-15 `mmmmmmm`: `line/practices/p.md`"
        ),
        "{md}"
    );
}

#[test]
fn markdown_escapes_every_untrusted_string() {
    let md = render(Format::Md, &hostile());
    // Outside code spans, no `<` and no link syntax is left unescaped.
    for line in md.lines() {
        let mut in_code = false;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '`' if !escaped => in_code = !in_code,
                '<' | '[' | ']' if !escaped && !in_code => panic!("unescaped {c} in {line}"),
                _ => {}
            }
            escaped = c == '\\' && !escaped;
        }
    }
    assert!(
        md.contains("`<script>alert(1)</script>`"),
        "a tag as a code span: {md}"
    );
    // Each table row keeps its cells: no unescaped `|` from a name.
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 4, "{line}");
    }
}

#[test]
fn csv_is_tidy_quoted_and_defused() {
    let csv = render(Format::Csv, &small());
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "commit,date,tags,profile,domain,subdomain,practice,target,current,applicable,gap,document"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[1].starts_with("bbbbbbb000"), "newest first: {csv}");
    assert!(lines[1].ends_with(
        ",2026-02-01,,line,governance,strategy,p,3/general,2/general,yes,1 level below,parsed"
    ));
    let csv = render(Format::Csv, &hostile());
    assert!(
        csv.contains(",\"'=cmd|' /C calc'!A0\",") || csv.contains(",'=cmd|' /C calc'!A0,"),
        "{csv}"
    );
    assert!(!csv.contains(",=cmd"), "{csv}");
}

#[test]
fn html_is_one_page_with_a_chart_per_domain_and_a_burndown() {
    let page = render(Format::Html, &demo());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        page.matches("<svg").count(),
        3 + 1,
        "three domains and a burn-down"
    );
    assert_eq!(page.matches("<title id=").count(), 4);
    assert_eq!(page.matches("<desc id=").count(), 4);
    assert!(page.contains("Open plan items over time"));
    assert!(page.contains("Plan items that slipped"));
    assert!(!page.contains("<script"));
    assert!(
        !page.contains("http:") && !page.contains("https:"),
        "no URL at all"
    );
    assert!(!page.contains("src=") && !page.contains("<link") && !page.contains("@import"));
}

#[test]
fn html_escapes_every_untrusted_string() {
    let page = render(Format::Html, &hostile());
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert!(!page.contains("<b>line"), "{page}");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn every_format_writes_an_empty_history() {
    let empty = history(Vec::new());
    assert!(render(Format::Md, &empty).contains("No commit touched the profile tree."));
    assert_eq!(render(Format::Csv, &empty).lines().count(), 1);
    let page = render(Format::Html, &empty);
    assert!(page.contains("No profile was found"));
    assert!(page.ends_with("</html>\n"));
}

#[test]
fn the_formats_are_deterministic() {
    for format in [Format::Md, Format::Csv, Format::Html] {
        assert_eq!(render(format, &demo()), render(format, &demo()));
    }
}

/// Writes the demo page to `$SMM_HISTORY_PAGE` for `scripts/test-history-html` to render in a
/// browser (and for the README's screenshot).
#[test]
#[ignore = "writes a file for scripts/test-history-html"]
fn write_demo_page() {
    let path = std::env::var("SMM_HISTORY_PAGE").expect("SMM_HISTORY_PAGE names the file");
    std::fs::write(&path, render(Format::Html, &demo())).expect("write the page");
}

/// The dates of the demo's points, oldest first.
const DATES: [&str; 9] = [
    "2025-06-02",
    "2025-08-15",
    "2025-10-01",
    "2025-12-10",
    "2026-02-20",
    "2026-04-28",
    "2026-07-06",
    "2026-09-30",
    "2026-11-20",
];

/// A year and a half of a bottling line's assessments over the built-in catalogue: levels
/// raised in turn, a target lowered, a document that did not parse at one point, plan items
/// closed, added and one whose due date moved twice.
pub(super) fn demo() -> History {
    let catalogue = Catalogue::builtin().expect("the built-in catalogue");
    let entries = &catalogue.entries;
    let practices: Vec<usize> = catalogue.of_tier(Tier::Practice).collect();
    let mut points: Vec<Point> = Vec::new();
    for (k, date) in DATES.iter().enumerate() {
        let mut rows: Vec<PracticePoint> = Vec::new();
        let mut items: Vec<PlanPoint> = Vec::new();
        for (i, &index) in practices.iter().enumerate() {
            let entry = &entries[index];
            let sub = entry.parent.expect("a practice has a subdomain");
            let dom = entries[sub].parent.expect("a subdomain has a domain");
            let domain = entries[dom].id.as_str();
            let mut target_comp = match domain {
                "governance" => 3,
                "hardening" => 2 + u8::from(i % 2 == 0),
                _ => 2 + u8::from(i % 3 == 0),
            };
            // The patch management target came down a level after the first year.
            if entry.id == "patch-management" && k >= 5 {
                target_comp = 2;
            }
            // Enablement is assessed against the industry's threats; elsewhere, some practices.
            let enablement = domain == "enablement";
            let industry = enablement || i % 4 == 1;
            let target = format!(
                "{target_comp}/{}",
                if industry { "industry" } else { "general" }
            );
            // Each practice is raised every fourth assessment, in two staggered groups.
            // Governance moves first, hardening last.
            let lag = match domain {
                "governance" => 0,
                "enablement" => 1,
                _ => 4,
            };
            let comp = u8::try_from((k + 2 * (i % 2)).saturating_sub(lag) / 4 + 1)
                .unwrap_or(4)
                .min(target_comp);
            let scope = if industry && (k >= 6 || (enablement && k >= 4)) {
                "industry"
            } else {
                "general"
            };
            let current = format!("{comp}/{scope}");
            let mut row = practice(
                &entry.id,
                (&entries[dom].id, &entries[sub].id),
                Some(&target),
                Some(&current),
            );
            row.name = entry.name.clone();
            if k == 4 && i == 7 {
                row = unparsed(row);
            }
            for level in 1..=target_comp {
                if (level == 1 && i % 5 != 0) || (level == target_comp && k < 3 && i % 2 == 0) {
                    continue;
                }
                let mut due = format!("2026-{:02}-28", (usize::from(level) * 3 + i) % 12 + 1);
                if i == 4 && level == target_comp {
                    due = [
                        "2026-03-31",
                        "2026-03-31",
                        "2026-06-30",
                        "2026-06-30",
                        "2026-06-30",
                        "2026-06-30",
                        "2026-10-31",
                        "2026-10-31",
                        "2026-10-31",
                    ][k]
                        .to_owned();
                }
                let action = entry.actions.get(&level).cloned();
                let item_level = format!("{level}/general");
                items.push(plan(
                    &entry.id,
                    action.as_deref(),
                    Some(&item_level),
                    Some(&due),
                    comp < level,
                ));
            }
            rows.push(row);
        }
        let mut prof = profile("bottling-line", rows);
        for rollup in &mut prof.rollups {
            if let Some(found) = catalogue.find(&rollup.id) {
                rollup.name = entries[found.index].name.clone();
            }
        }
        prof.plan = items;
        prof.evidence = vec![testing::evidence(
            "patch-management",
            "evidence/patch-log.csv",
        )];
        let mut pt = point(&format!("{:x}", 0xa11ce00 + k * 0x1f3d), date, vec![prof]);
        if k % 4 == 0 {
            pt.tags = vec![format!("assessment-{}", &date[..7])];
        }
        points.push(pt);
    }
    points.reverse();
    history(points)
}

#[test]
fn a_change_is_up_down_or_both_ways() {
    use super::{Change, change};
    assert_eq!(
        change(Some("1/general"), Some("2/general")),
        Some(Change::Up)
    );
    assert_eq!(
        change(Some("2/general"), Some("2/industry")),
        Some(Change::Up)
    );
    assert_eq!(
        change(Some("2/industry"), Some("1/industry")),
        Some(Change::Down)
    );
    assert_eq!(
        change(Some("2/industry"), Some("3/general")),
        Some(Change::Mixed)
    );
    assert_eq!(change(Some("2/general"), Some("2/general")), None);
    // A rollup's `+` marks are no change of level.
    assert_eq!(change(Some("2/general"), Some("2+/general+")), None);
    assert_eq!(change(None, Some("1/general")), Some(Change::Up));
    assert_eq!(change(Some("1/general"), None), Some(Change::Down));
    assert_eq!(change(Some("odd"), Some("odder")), Some(Change::Mixed));
    assert_eq!(change(None, None), None);
}

#[test]
fn csv_writes_tags_states_and_applicability() {
    let mut h = small();
    h.points[0].tags = vec!["assessment-q1".to_owned(), "v2".to_owned()];
    let p = &mut h.points[0].profiles[0].practices[0];
    *p = unparsed(p.clone());
    h.points[1].profiles[0].practices[0].applicable = false;
    h.points[1].profiles[0].practices[0].gap = crate::gap::Gap::NotApplicable;
    let csv = render(Format::Csv, &h);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(
        lines[1].ends_with(",2026-02-01,assessment-q1 v2,line,governance,strategy,p,3/general,,yes,no claim,unparsed"),
        "{csv}"
    );
    assert!(
        lines[2].ends_with(",3/general,1/general,no,not applicable,parsed"),
        "{csv}"
    );
}

#[test]
fn facts_name_the_profile_when_there_are_several() {
    let at = |date: &str, level: &str| {
        point(
            date,
            date,
            vec![
                profile(
                    "alpha",
                    vec![practice("p", GOV, Some("3/general"), Some("1/general"))],
                ),
                profile(
                    "beta",
                    vec![practice("p", GOV, Some("3/general"), Some(level))],
                ),
            ],
        )
    };
    let h = history(vec![
        at("2026-02-01", "2/general"),
        at("2026-01-01", "1/general"),
    ]);
    let md = render(Format::Md, &h);
    assert!(
        md.contains("## Profile `alpha`") && md.contains("## Profile `beta`"),
        "{md}"
    );
    assert!(md.contains("- P (`p`) in `beta`\\: raised"), "{md}");
    let page = render(Format::Html, &h);
    assert_eq!(page.matches("<section class=\"profile\"").count(), 2);
    // On the page each profile's facts are in its own section: no profile named in them.
    assert!(page.contains("<li>P (<code>p</code>): raised"), "{page}");
}

#[test]
fn charts_space_points_by_time_and_survive_odd_times() {
    let mut h = small();
    // Out of order (a rebased branch), then at the extremes of the clock: no panic, a page.
    h.points[0].time = i64::MIN;
    h.points[1].time = i64::MAX;
    let page = render(Format::Html, &h);
    assert_eq!(page.matches("<svg").count(), 2);
    let mut h = small();
    h.points.truncate(1);
    assert!(render(Format::Html, &h).contains("at 1 point,"));
}

/// 100 points of a profile with 300 practices: every format and the facts in bounded work
/// (look-ups by id, not scans), with a generous ceiling.
#[test]
fn a_long_history_of_a_large_catalogue_renders_in_bounded_work() {
    let practices = |k: usize| -> Vec<PracticePoint> {
        (0..300)
            .map(|i| {
                let level = format!("{}/general", (i + k / 25) % 4);
                let d = format!("d{}", i / 60);
                let s = format!("s{}", i / 10);
                practice(&format!("p{i}"), (&d, &s), Some("3/general"), Some(&level))
            })
            .collect()
    };
    let points: Vec<Point> = (0..100)
        .map(|k| {
            let date = crate::date::Date::from_days(20_000 + i64::try_from(k).unwrap_or(0));
            let date = format!("{:04}-{:02}-{:02}", date.year, date.month, date.day);
            point(&format!("{k:x}"), &date, vec![profile("big", practices(k))])
        })
        .rev()
        .collect();
    let start = std::time::Instant::now();
    let h = history(points);
    assert_eq!(h.facts.last_changed.len(), 300);
    let csv = render(Format::Csv, &h);
    assert_eq!(csv.lines().count(), 1 + 100 * 300);
    let md = render(Format::Md, &h);
    assert_eq!(md.matches("\n### D").count(), 5, "a table per domain");
    let page = render(Format::Html, &h);
    assert_eq!(page.matches("<svg").count(), 5 + 1);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
}

/// Writes the demo in every format to `$SMM_HISTORY_DIR` (to read them).
#[test]
#[ignore = "writes files to read"]
fn write_demo_formats() {
    let dir = std::env::var("SMM_HISTORY_DIR").expect("SMM_HISTORY_DIR names a directory");
    for (format, name) in [(Format::Md, "history.md"), (Format::Csv, "history.csv")] {
        std::fs::write(format!("{dir}/{name}"), render(format, &demo())).expect("write");
    }
}

#[test]
fn html_says_what_each_chart_draws_and_marks_unparsed_points() {
    let page = render(Format::Html, &small());
    assert!(page.contains("2026-01-01 (aaaaaaa): current 1/general, target 3/general. 2026-02-01 (bbbbbbb): current 2/general, target 3/general."), "{page}");
    assert!(
        page.contains("2026-01-01 (aaaaaaa): 0 open of 0."),
        "{page}"
    );
    assert!(
        page.contains("now: target 3/general · current 2/general"),
        "{page}"
    );

    let mut points = small().points;
    let mut middle = points[1].clone();
    middle.commit = format!("{:0<40}", "mmmmmmm");
    middle.date = "2026-01-15".to_owned();
    middle.time += 14 * 86_400;
    let p = &mut middle.profiles[0].practices[0];
    *p = unparsed(p.clone());
    middle.unparsed = vec!["line/practices/p.md".to_owned()];
    points.insert(1, middle);
    let page = render(Format::Html, &history(points));
    assert!(
        page.contains("<span class=\"badge warn\">unparsed</span>"),
        "{page}"
    );
    assert!(
        page.contains("<h2>Documents that did not parse</h2>"),
        "{page}"
    );
    assert!(page.contains("<code>line/practices/p.md</code>"), "{page}");
    assert!(page.contains("a document below did not parse."), "{page}");
    assert!(
        page.contains("<title>A document did not parse here: values unknown</title>"),
        "{page}"
    );
}
