use super::derive;
use crate::gap::Gap;
use crate::history::model::{Facts, Point};
use crate::history::testing::{history, plan, point, practice, profile, unparsed};

const GOV: (&str, &str) = ("governance", "strategy");

fn facts(points: Vec<Point>) -> Facts {
    derive(&history(points))
}

/// One practice `p` with target 3/general at each point, current as given; newest first.
fn levels(currents: &[Option<&str>]) -> Vec<Point> {
    currents
        .iter()
        .enumerate()
        .map(|(i, current)| {
            let date = format!("2026-0{}-01", 9 - i);
            point(
                &format!("c{i}"),
                &date,
                vec![profile(
                    "line",
                    vec![practice("p", GOV, Some("3/general"), *current)],
                )],
            )
        })
        .collect()
}

#[test]
fn no_points_and_one_point_give_no_facts() {
    for points in [Vec::new(), levels(&[Some("1/general")])] {
        let f = facts(points);
        assert!(f.last_changed.is_empty());
        assert!(f.gaps_closed.is_empty());
        assert!(f.gaps_opened.is_empty());
        assert!(f.slipped.is_empty());
    }
}

#[test]
fn the_newest_level_change_is_the_one_reported() {
    // Oldest to newest: 1, 2, 2, 3, 3.
    let f = facts(levels(&[
        Some("3/general"),
        Some("3/general"),
        Some("2/general"),
        Some("2/general"),
        Some("1/general"),
    ]));
    assert_eq!(f.last_changed.len(), 1);
    let change = &f.last_changed[0];
    assert_eq!(
        (change.profile.as_str(), change.practice.as_str()),
        ("line", "p")
    );
    assert!(change.commit.starts_with("c1"));
    assert_eq!(change.date, "2026-08-01");
    assert_eq!(change.from.as_deref(), Some("2/general"));
    assert_eq!(change.to.as_deref(), Some("3/general"));
}

#[test]
fn a_level_never_changed_and_a_reformatted_one_are_left_out() {
    let f = facts(levels(&[
        Some("2/general"),
        Some(" 2/general"),
        Some("2/general"),
    ]));
    assert!(f.last_changed.is_empty());
}

#[test]
fn a_claim_withdrawn_is_a_change() {
    let f = facts(levels(&[None, Some("2/general")]));
    assert_eq!(f.last_changed.len(), 1);
    assert_eq!(f.last_changed[0].to, None);
}

#[test]
fn an_unparsed_point_in_the_middle_is_no_change() {
    // Oldest to newest: 2, unparsed, 2 — and 2, unparsed, 3 (the change is at the newest point,
    // from the last known level, not from the unknown one).
    let mut points = levels(&[Some("2/general"), Some("2/general"), Some("2/general")]);
    let middle = &mut points[1].profiles[0].practices[0];
    *middle = unparsed(middle.clone());
    assert!(facts(points.clone()).last_changed.is_empty());

    points[0].profiles[0].practices[0] = practice("p", GOV, Some("3/general"), Some("3/general"));
    let f = facts(points);
    assert_eq!(f.last_changed.len(), 1);
    assert!(f.last_changed[0].commit.starts_with("c0"));
    assert_eq!(f.last_changed[0].from.as_deref(), Some("2/general"));
}

#[test]
fn an_unparsed_newest_point_keeps_the_last_known_gap() {
    // Oldest to newest: 1 (below), 3 (met), unparsed: the gap closed at the last known point.
    let mut points = levels(&[Some("3/general"), Some("3/general"), Some("1/general")]);
    let newest = &mut points[0].profiles[0].practices[0];
    *newest = unparsed(newest.clone());
    let f = facts(points);
    assert_eq!(f.gaps_closed.len(), 1);
    assert_eq!(f.gaps_closed[0].to, Gap::Met);
    assert!(f.gaps_opened.is_empty());
}

#[test]
fn gaps_closed_and_opened_compare_the_oldest_and_newest_points() {
    let at = |date: &str, a: &str, b: &str, c: &str| {
        point(
            date,
            date,
            vec![profile(
                "line",
                vec![
                    practice("a", GOV, Some("3/general"), Some(a)),
                    practice("b", GOV, Some("2/industry"), Some(b)),
                    practice("c", GOV, Some("2/general"), Some(c)),
                ],
            )],
        )
    };
    let f = facts(vec![
        // a: below → met (closed); b: met → scope short (opened); c: below, closed in the middle
        // and open again at the end (neither).
        at("2026-03-01", "3/general", "2/general", "1/general"),
        at("2026-02-01", "2/general", "2/industry", "2/general"),
        at("2026-01-01", "1/general", "2/industry", "1/general"),
    ]);
    let closed: Vec<&str> = f.gaps_closed.iter().map(|g| g.practice.as_str()).collect();
    let opened: Vec<&str> = f.gaps_opened.iter().map(|g| g.practice.as_str()).collect();
    assert_eq!(closed, ["a"]);
    assert_eq!(f.gaps_closed[0].from.to_string(), "2 levels below");
    assert_eq!(f.gaps_closed[0].to, Gap::Met);
    assert_eq!(opened, ["b"]);
    assert_eq!(
        f.gaps_opened[0].to.to_string(),
        "scope general, needs industry"
    );
}

/// One profile with practice `p` and the plan items given, at `date`.
fn with_plan(date: &str, items: Vec<crate::history::model::PlanPoint>) -> Point {
    let mut prof = profile(
        "line",
        vec![practice("p", GOV, Some("3/general"), Some("1/general"))],
    );
    prof.plan = items;
    point(date, date, vec![prof])
}

#[test]
fn a_due_date_moved_later_is_a_slip_counted_each_time() {
    let item = |due: &str| {
        plan(
            "p",
            Some("Write the policy"),
            Some("2/general"),
            Some(due),
            true,
        )
    };
    let f = facts(vec![
        with_plan("2026-04-01", vec![item("2026-09-30")]),
        with_plan("2026-03-01", vec![item("2026-06-30")]),
        // Moved earlier: not a slip.
        with_plan("2026-02-01", vec![item("2026-03-31")]),
        with_plan("2026-01-01", vec![item("2026-04-30")]),
    ]);
    assert_eq!(f.slipped.len(), 1);
    let slip = &f.slipped[0];
    assert_eq!(slip.action.as_deref(), Some("Write the policy"));
    assert_eq!(slip.level, None);
    assert_eq!(
        (slip.first_due.as_str(), slip.last_due.as_str()),
        ("2026-04-30", "2026-09-30")
    );
    assert_eq!(slip.times, 2);
}

#[test]
fn an_item_without_an_action_is_known_by_its_level() {
    let item = |level: &str, due: &str| plan("p", None, Some(level), Some(due), true);
    let f = facts(vec![
        with_plan(
            "2026-02-01",
            vec![
                item("2/general", "2026-12-31"),
                item("3/general", "2026-06-30"),
            ],
        ),
        with_plan(
            "2026-01-01",
            vec![
                item("2/general", "2026-06-30"),
                item("3/general", "2026-06-30"),
            ],
        ),
    ]);
    assert_eq!(f.slipped.len(), 1);
    assert_eq!(f.slipped[0].level.as_deref(), Some("2/general"));
    assert_eq!(f.slipped[0].times, 1);
}

#[test]
fn a_renamed_action_is_a_new_item_and_an_unparsed_document_hides_its_plan() {
    let item = |action: &str, due: &str| plan("p", Some(action), None, Some(due), true);
    let mut hidden = with_plan("2026-02-01", vec![item("Patch", "2027-01-31")]);
    let p = &mut hidden.profiles[0].practices[0];
    *p = unparsed(p.clone());
    let f = facts(vec![
        with_plan("2026-03-01", vec![item("Patch monthly", "2026-12-31")]),
        // What an unparsed document shows is not known: the item's date there does not count.
        hidden,
        with_plan("2026-01-01", vec![item("Patch", "2026-06-30")]),
    ]);
    assert!(f.slipped.is_empty(), "{:?}", f.slipped);
}

#[test]
fn facts_come_in_the_order_of_the_points() {
    let at = |date: &str, level: &str| {
        point(
            date,
            date,
            vec![
                profile(
                    "alpha",
                    vec![
                        practice("z", GOV, Some("3/general"), Some(level)),
                        practice("a", GOV, Some("3/general"), Some(level)),
                    ],
                ),
                profile(
                    "beta",
                    vec![practice("m", GOV, Some("3/general"), Some(level))],
                ),
            ],
        )
    };
    let f = facts(vec![
        at("2026-02-01", "2/general"),
        at("2026-01-01", "1/general"),
    ]);
    let order: Vec<(&str, &str)> = f
        .last_changed
        .iter()
        .map(|c| (c.profile.as_str(), c.practice.as_str()))
        .collect();
    assert_eq!(order, [("alpha", "z"), ("alpha", "a"), ("beta", "m")]);
}
