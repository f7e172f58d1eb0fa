//! The points oldest first, with each point's profiles, practices and rollups indexed by id:
//! a grid of P practices over N points then costs N × P look-ups, not N × P² scans, whatever
//! size of catalogue a profile brings.

use super::{Cell, Change, cell, change};
use crate::history::model::{
    DocumentState, History, Point, PracticePoint, ProfilePoint, RollupPoint,
};
use std::collections::{HashMap, HashSet};

pub(super) struct Timeline<'a> {
    /// Oldest first: time runs left to right.
    pub(super) points: Vec<&'a Point>,
    at: Vec<Index<'a>>,
}

/// One point's contents by (profile id, id). An id written twice counts once: its first
/// occurrence, as a scan would find it.
#[derive(Default)]
struct Index<'a> {
    profiles: HashMap<&'a str, &'a ProfilePoint>,
    practices: HashMap<(&'a str, &'a str), &'a PracticePoint>,
    rollups: HashMap<(&'a str, &'a str), &'a RollupPoint>,
    /// Domains and subdomains with a document below them that did not parse.
    uncertain: HashSet<(&'a str, &'a str)>,
}

impl<'a> Index<'a> {
    fn new(point: &'a Point) -> Index<'a> {
        let mut index = Index::default();
        for profile in &point.profiles {
            let id = profile.id.as_str();
            index.profiles.entry(id).or_insert(profile);
            for p in &profile.practices {
                index.practices.entry((id, p.id.as_str())).or_insert(p);
                if p.document == DocumentState::Unparsed {
                    index.uncertain.insert((id, p.domain.as_str()));
                    index.uncertain.insert((id, p.subdomain.as_str()));
                }
            }
            for r in &profile.rollups {
                index.rollups.entry((id, r.id.as_str())).or_insert(r);
            }
        }
        index
    }
}

impl<'a> Timeline<'a> {
    pub(super) fn new(history: &'a History) -> Timeline<'a> {
        let points: Vec<&Point> = history.points.iter().rev().collect();
        let at = points.iter().map(|p| Index::new(p)).collect();
        Timeline { points, at }
    }

    pub(super) fn profile(&self, point: usize, profile: &str) -> Option<&'a ProfilePoint> {
        self.at.get(point)?.profiles.get(profile).copied()
    }

    pub(super) fn practice(
        &self,
        point: usize,
        profile: &str,
        id: &str,
    ) -> Option<&'a PracticePoint> {
        self.at.get(point)?.practices.get(&(profile, id)).copied()
    }

    pub(super) fn rollup(&self, point: usize, profile: &str, id: &str) -> Option<&'a RollupPoint> {
        self.at.get(point)?.rollups.get(&(profile, id)).copied()
    }

    /// True when a document below the domain or subdomain `id` did not parse at the point: its
    /// rollup there rests on unknown levels.
    pub(super) fn uncertain(&self, point: usize, profile: &str, id: &str) -> bool {
        self.at
            .get(point)
            .is_some_and(|at| at.uncertain.contains(&(profile, id)))
    }

    /// The newest point's rollup of `id`.
    pub(super) fn newest_rollup(&self, profile: &str, id: &str) -> Option<&'a RollupPoint> {
        (0..self.points.len())
            .rev()
            .find_map(|i| self.rollup(i, profile, id))
    }

    /// The practice's name as of the newest point that has it.
    pub(super) fn practice_name(&self, profile: &str, id: &str) -> Option<&'a str> {
        (0..self.points.len())
            .rev()
            .find_map(|i| self.practice(i, profile, id))
            .map(|p| p.name.as_str())
    }

    /// The target as of the newest point at which the practice was known.
    pub(super) fn newest_target(&self, profile: &str, id: &str) -> Option<&'a str> {
        (0..self.points.len())
            .rev()
            .filter_map(|i| self.practice(i, profile, id))
            .find(|p| p.document != DocumentState::Unparsed)
            .and_then(|p| p.target.as_deref())
    }

    /// One practice across the points, oldest first: each point's practice and its change from
    /// the last point at which the level was known (an unparsed point changes nothing).
    pub(super) fn practice_line(
        &self,
        profile: &str,
        id: &str,
    ) -> Vec<(Option<&'a PracticePoint>, Option<Change>)> {
        let mut known: Option<Option<&str>> = None;
        let mut out = Vec::with_capacity(self.points.len());
        for i in 0..self.points.len() {
            let p = self.practice(i, profile, id);
            let current = match cell(p) {
                Cell::Current(level) => Some(level),
                Cell::Missing | Cell::NotApplicable => Some(None),
                Cell::Absent | Cell::Unparsed => None,
            };
            let changed = match (known, current) {
                (Some(before), Some(after)) => change(before, after),
                _ => None,
            };
            if current.is_some() {
                known = current;
            }
            out.push((p, changed));
        }
        out
    }
}
