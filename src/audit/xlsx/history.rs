//! The history sheet: one row per point, profile and domain, subdomain or practice, newest
//! point first (as the model holds them). Tidy data, as `history --format csv` has it, with the
//! rollups as rows of their own, the date as a date and the levels split into number and scope,
//! so that a pivot table can chart any practice or rollup over time.

use super::{SHEETS, Table, Value, level_cells};
use crate::history::model::{DocumentState, History, Point, ProfilePoint};
use std::collections::HashMap;

pub(super) fn table(history: &History) -> Table {
    let header = vec![
        "commit",
        "date",
        "subject",
        "tags",
        "profile",
        "row",
        "domain",
        "subdomain",
        "practice",
        "name",
        "target",
        "target_level",
        "target_scope",
        "current",
        "current_level",
        "current_scope",
        "applicable",
        "gap",
        "document",
    ];
    let mut rows = Vec::new();
    for point in &history.points {
        for profile in &point.profiles {
            rows.extend(rollup_rows(point, profile));
            rows.extend(practice_rows(point, profile));
        }
    }
    Table {
        name: SHEETS[5],
        header,
        rows,
    }
}

/// The columns every row of a point and profile starts with.
fn point_cells(point: &Point, profile: &ProfilePoint) -> Vec<Value> {
    vec![
        Value::text(&point.commit),
        Value::Date(point.date.clone()),
        Value::text(&point.subject),
        // Git refuses tag names with spaces: a space separates them unambiguously.
        Value::text(point.tags.join(" ")),
        Value::text(&profile.id),
    ]
}

/// The domains' and subdomains' rows, each with the domain it belongs to (a subdomain's found
/// through the practices below it).
fn rollup_rows<'a>(
    point: &'a Point,
    profile: &'a ProfilePoint,
) -> impl Iterator<Item = Vec<Value>> + 'a {
    let domain_of: HashMap<&str, &str> = profile
        .practices
        .iter()
        .map(|p| (p.subdomain.as_str(), p.domain.as_str()))
        .collect();
    profile.rollups.iter().map(move |r| {
        let (domain, subdomain) = if r.tier == "domain" {
            (Value::text(&r.id), Value::Empty)
        } else {
            let domain = domain_of.get(r.id.as_str()).copied();
            (Value::opt_text(domain), Value::text(&r.id))
        };
        let mut row = point_cells(point, profile);
        row.extend([
            Value::text(&r.tier),
            domain,
            subdomain,
            Value::Empty,
            Value::text(&r.name),
        ]);
        row.extend(level_cells(r.target.as_deref()));
        row.extend(level_cells(r.current.as_deref()));
        row.extend([Value::yes_no(r.applicable), Value::Empty, Value::Empty]);
        row
    })
}

fn practice_rows<'a>(
    point: &'a Point,
    profile: &'a ProfilePoint,
) -> impl Iterator<Item = Vec<Value>> + 'a {
    profile.practices.iter().map(move |p| {
        let mut row = point_cells(point, profile);
        row.extend([
            Value::text("practice"),
            Value::text(&p.domain),
            Value::text(&p.subdomain),
            Value::text(&p.id),
            Value::text(&p.name),
        ]);
        row.extend(level_cells(p.target.as_deref()));
        row.extend(level_cells(p.current.as_deref()));
        row.extend([
            Value::yes_no(p.applicable),
            Value::text(p.gap.to_string()),
            Value::text(document(p.document)),
        ]);
        row
    })
}

fn document(state: DocumentState) -> &'static str {
    match state {
        DocumentState::Parsed => "parsed",
        DocumentState::Unparsed => "unparsed",
        DocumentState::Missing => "missing",
    }
}

#[cfg(test)]
mod tests {
    use super::table;
    use crate::audit::xlsx::Value;
    use crate::history::testing::{history, point, practice, profile, unparsed};

    const HARDENING: (&str, &str) = ("hardening", "vulnerability-and-patch-management");

    #[test]
    fn a_row_per_point_and_rollup_or_practice_newest_first() {
        let h = history(vec![
            point(
                "b",
                "2026-06-01",
                vec![profile(
                    "demo",
                    vec![practice(
                        "patch-management",
                        HARDENING,
                        Some("2/general"),
                        Some("2/general"),
                    )],
                )],
            ),
            point(
                "a",
                "2026-01-15",
                vec![profile(
                    "demo",
                    vec![practice(
                        "patch-management",
                        HARDENING,
                        Some("2/general"),
                        Some("1/general"),
                    )],
                )],
            ),
        ]);
        let t = table(&h);
        let col = |name: &str| t.header.iter().position(|h| *h == name).expect(name);
        // Two points, each a domain, a subdomain and a practice row.
        assert_eq!(t.rows.len(), 6);
        let practices: Vec<&Vec<Value>> = t
            .rows
            .iter()
            .filter(|r| r[col("row")] == Value::text("practice"))
            .collect();
        assert_eq!(practices.len(), 2);
        assert_eq!(practices[0][col("date")], Value::Date("2026-06-01".into()));
        assert_eq!(practices[0][col("current_level")], Value::Number(2.0));
        assert_eq!(practices[1][col("current_level")], Value::Number(1.0));
        assert_eq!(practices[1][col("current_scope")], Value::text("general"));
        assert_eq!(practices[1][col("gap")], Value::text("1 level below"));
        let sub = t
            .rows
            .iter()
            .find(|r| r[col("row")] == Value::text("subdomain"))
            .expect("a subdomain row");
        assert_eq!(sub[col("domain")], practices[0][col("domain")]);
        assert!(t.rows.iter().all(|r| r.len() == t.header.len()));
    }

    #[test]
    fn an_unparsed_document_has_no_level() {
        let p = unparsed(practice(
            "patch-management",
            HARDENING,
            Some("2/general"),
            Some("2/general"),
        ));
        let h = history(vec![point(
            "a",
            "2026-01-15",
            vec![profile("demo", vec![p])],
        )]);
        let t = table(&h);
        let col = |name: &str| t.header.iter().position(|h| *h == name).expect(name);
        let row = t.rows.last().expect("the practice row");
        assert_eq!(row[col("document")], Value::text("unparsed"));
        assert_eq!(row[col("current_level")], Value::Empty);
    }
}
