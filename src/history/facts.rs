//! The derived facts of a history (`Facts`): computed from the points alone, so every format
//! shows the same ones.
//!
//! A practice whose document did not parse at a point has unknown levels there, never changed
//! ones: each fact compares a point with the last point at which the practice was known. The
//! order of every list is the order in which its keys first appear reading the points newest
//! first (profiles in path order, practices in catalogue order, plan items as written), so the
//! same history always gives the same facts.

use super::model::{DocumentState, Facts, GapChange, History, LevelChange, PracticePoint, Slip};
use crate::date::Date;
use crate::gap::Gap;
use crate::model::level::Level;
use std::collections::{HashMap, HashSet};

pub(crate) fn derive(history: &History) -> Facts {
    Facts {
        last_changed: last_changed(history),
        gaps_closed: gap_changes(history, |from, to| is_below(from) && !is_below(to)),
        gaps_opened: gap_changes(history, |from, to| !is_below(from) && is_below(to)),
        slipped: slipped(history),
    }
}

/// A profile and a practice id: what the facts are about.
type Key = (String, String);

/// Every known state of each practice, oldest first, with the keys in their fact order.
struct Known<'a> {
    order: Vec<Key>,
    /// Per key: (point index, the practice there), oldest point first.
    states: HashMap<Key, Vec<(usize, &'a PracticePoint)>>,
}

fn known(history: &History) -> Known<'_> {
    let mut order = Vec::new();
    let mut states: HashMap<Key, Vec<(usize, &PracticePoint)>> = HashMap::new();
    for (index, point) in history.points.iter().enumerate() {
        for profile in &point.profiles {
            for practice in &profile.practices {
                let key = (profile.id.clone(), practice.id.clone());
                if !states.contains_key(&key) {
                    order.push(key.clone());
                }
                let entry = states.entry(key).or_default();
                if practice.document != DocumentState::Unparsed {
                    entry.push((index, practice));
                }
            }
        }
    }
    // Collected newest first; the facts read them oldest first.
    for list in states.values_mut() {
        list.reverse();
    }
    Known { order, states }
}

/// The same level however it was written (`3/general` and ` 3/general`): notation that does
/// not parse is compared as written.
fn normalised(level: Option<&str>) -> Option<String> {
    level.map(|text| Level::parse(text).map_or_else(|_| text.trim().to_owned(), |l| l.to_string()))
}

fn last_changed(history: &History) -> Vec<LevelChange> {
    let known = known(history);
    let mut out = Vec::new();
    for key in &known.order {
        let Some(states) = known.states.get(key) else {
            continue;
        };
        let newest_change = states.windows(2).rev().find(|pair| {
            normalised(pair[0].1.current.as_deref()) != normalised(pair[1].1.current.as_deref())
        });
        if let Some([(_, before), (index, after)]) = newest_change {
            let point = &history.points[*index];
            out.push(LevelChange {
                profile: key.0.clone(),
                practice: key.1.clone(),
                commit: point.commit.clone(),
                date: point.date.clone(),
                from: before.current.clone(),
                to: after.current.clone(),
            });
        }
    }
    out
}

fn is_below(gap: Gap) -> bool {
    matches!(gap, Gap::Below { .. })
}

/// Practices whose gap at the oldest point where they were known and at the newest one
/// satisfy `changed`.
fn gap_changes(history: &History, changed: fn(Gap, Gap) -> bool) -> Vec<GapChange> {
    let known = known(history);
    let mut out = Vec::new();
    for key in &known.order {
        let Some(states) = known.states.get(key) else {
            continue;
        };
        let (Some((_, oldest)), Some((_, newest))) = (states.first(), states.last()) else {
            continue;
        };
        if changed(oldest.gap, newest.gap) {
            out.push(GapChange {
                profile: key.0.clone(),
                practice: key.1.clone(),
                from: oldest.gap,
                to: newest.gap,
            });
        }
    }
    out
}

/// A plan item's identity across points: its profile, practice and action, or its level when
/// it has no action.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ItemKey {
    profile: String,
    practice: String,
    action: Option<String>,
    level: Option<String>,
}

/// The due dates an item had, oldest point first.
#[derive(Default)]
struct Dues {
    dues: Vec<String>,
}

fn slipped(history: &History) -> Vec<Slip> {
    let mut order: Vec<ItemKey> = Vec::new();
    let mut dues: HashMap<ItemKey, Dues> = HashMap::new();
    for point in &history.points {
        for profile in &point.profiles {
            let unparsed: HashSet<&str> = profile
                .practices
                .iter()
                .filter(|p| p.document == DocumentState::Unparsed)
                .map(|p| p.id.as_str())
                .collect();
            let mut seen_here: HashSet<ItemKey> = HashSet::new();
            for item in &profile.plan {
                let key = ItemKey {
                    profile: profile.id.clone(),
                    practice: item.practice.clone(),
                    action: item.action.clone(),
                    level: if item.action.is_some() {
                        None
                    } else {
                        normalised(item.level.as_deref())
                    },
                };
                // An item written twice counts once per point: its first occurrence.
                if unparsed.contains(item.practice.as_str()) || !seen_here.insert(key.clone()) {
                    continue;
                }
                if !dues.contains_key(&key) {
                    order.push(key.clone());
                }
                let entry = dues.entry(key).or_default();
                if let Some(due) = item.due.as_deref().and_then(valid_date) {
                    entry.dues.push(due);
                }
            }
        }
    }
    let mut out = Vec::new();
    for key in order {
        let Some(entry) = dues.get_mut(&key) else {
            continue;
        };
        entry.dues.reverse();
        let times = entry
            .dues
            .windows(2)
            .filter(|pair| pair[1] > pair[0])
            .count();
        if let (true, Some(first), Some(last)) = (times > 0, entry.dues.first(), entry.dues.last())
        {
            out.push(Slip {
                profile: key.profile,
                practice: key.practice,
                action: key.action,
                level: key.level,
                first_due: first.clone(),
                last_due: last.clone(),
                times,
            });
        }
    }
    out
}

/// A due date in `YYYY-MM-DD`, written back in that form so that dates compare as text; a
/// date that does not parse takes no part in the comparison.
fn valid_date(text: &str) -> Option<String> {
    Date::parse(text.trim())
        .ok()
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
}

#[cfg(test)]
mod tests;
