//! Evidence kinds, allowed ages and per-level requirements (data: `rules/evidence.yaml`).

use crate::date::Date;
use crate::yaml;
use serde::Deserialize;
use std::collections::BTreeMap;

const BUILTIN: &str = include_str!("../../rules/evidence.yaml");

/// One requirement of a level: at least `count` items matching every condition.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub(crate) description: Option<String>,
    /// Kinds that count (any kind when absent).
    pub(crate) kinds: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) with_standard: bool,
    #[serde(default = "one")]
    pub(crate) count: usize,
    /// Each counted item must have been reviewed within this many days.
    pub(crate) reviewed_within_days: Option<u32>,
    /// Count distinct `reviewed` dates rather than items.
    #[serde(default)]
    pub(crate) distinct_dates: bool,
    /// The newest counted item must have been reviewed within this many days.
    pub(crate) newest_within_days: Option<u32>,
}

fn one() -> usize {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRules {
    pub kinds: Vec<String>,
    pub max_age_days: BTreeMap<String, u32>,
    pub assessment_max_age_days: u32,
    pub requirements: BTreeMap<u8, Vec<Requirement>>,
}

/// What the requirements look at in one evidence item.
#[derive(Debug, Clone)]
pub(crate) struct ItemFacts<'a> {
    pub(crate) kind: &'a str,
    pub(crate) reviewed: Option<Date>,
    pub(crate) has_standard: bool,
}

impl EvidenceRules {
    pub fn builtin() -> Result<EvidenceRules, String> {
        yaml::from_str(BUILTIN).map_err(|e| format!("rules/evidence.yaml: {}", e.message))
    }

    /// The requirements of levels 1..=`level` that `items` do not meet, as descriptions.
    pub(crate) fn missing(&self, level: u8, items: &[ItemFacts<'_>], today: Date) -> Vec<String> {
        if level == 0 {
            return Vec::new();
        }
        self.requirements
            .range(1..=level)
            .flat_map(|(lvl, reqs)| reqs.iter().map(move |r| (*lvl, r)))
            .filter(|(_, r)| !r.is_met(items, today))
            .map(|(lvl, r)| format!("level {lvl}: {}", r.describe()))
            .collect()
    }
}

impl Requirement {
    fn counts(&self, item: &ItemFacts<'_>, today: Date) -> bool {
        self.kinds
            .as_ref()
            .is_none_or(|k| k.iter().any(|k| k == item.kind))
            && (!self.with_standard || item.has_standard)
            && self.reviewed_within_days.is_none_or(|days| {
                item.reviewed
                    .is_some_and(|r| r.days_until(today) <= i64::from(days))
            })
    }

    pub(crate) fn is_met(&self, items: &[ItemFacts<'_>], today: Date) -> bool {
        let counted: Vec<&ItemFacts<'_>> = items.iter().filter(|i| self.counts(i, today)).collect();
        let amount = if self.distinct_dates {
            let mut dates: Vec<Date> = counted.iter().filter_map(|i| i.reviewed).collect();
            dates.sort();
            dates.dedup();
            dates.len()
        } else {
            counted.len()
        };
        let newest_ok = self.newest_within_days.is_none_or(|days| {
            counted
                .iter()
                .filter_map(|i| i.reviewed)
                .max()
                .is_some_and(|d| d.days_until(today) <= i64::from(days))
        });
        amount >= self.count && newest_ok
    }

    pub(crate) fn describe(&self) -> String {
        if let Some(d) = &self.description {
            return d.clone();
        }
        let kinds = self
            .kinds
            .as_ref()
            .map_or("any".to_owned(), |k| k.join(" or "));
        let mut text = format!("at least {} {kinds} item(s)", self.count);
        if self.with_standard {
            text.push_str(" with a `standard` reference");
        }
        if let Some(d) = self.reviewed_within_days {
            text.push_str(&format!(" reviewed within {d} days"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).expect("valid date")
    }

    #[test]
    fn builtin_rules_load_and_are_cumulative() {
        let rules = EvidenceRules::builtin().expect("builtin evidence rules parse");
        let today = date("2026-11-21");
        let review = ItemFacts {
            kind: "review",
            reviewed: Some(date("2026-09-01")),
            has_standard: false,
        };
        let policy = ItemFacts {
            kind: "policy",
            reviewed: None,
            has_standard: false,
        };
        assert!(
            rules
                .missing(2, &[policy.clone(), review.clone()], today)
                .is_empty()
        );
        let missing = rules.missing(2, std::slice::from_ref(&review), today);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(missing[0].starts_with("level 1"));
        let stale = ItemFacts {
            reviewed: Some(date("2025-01-01")),
            ..review
        };
        assert_eq!(rules.missing(2, &[policy, stale], today).len(), 1);
    }

    #[test]
    fn level_zero_needs_nothing() {
        let rules = EvidenceRules::builtin().expect("builtin evidence rules parse");
        assert!(rules.missing(0, &[], date("2026-11-21")).is_empty());
    }

    #[test]
    fn level_four_needs_two_review_dates() {
        let rules = EvidenceRules::builtin().expect("builtin evidence rules parse");
        let today = date("2026-11-21");
        let r = |d: &str| ItemFacts {
            kind: "review",
            reviewed: Some(date(d)),
            has_standard: false,
        };
        let req = &rules.requirements[&4][1];
        assert!(!req.is_met(&[r("2026-10-01"), r("2026-10-01")], today));
        assert!(req.is_met(&[r("2026-10-01"), r("2026-01-01")], today));
        assert!(!req.is_met(&[r("2026-01-01"), r("2025-12-01")], today));
    }
}
