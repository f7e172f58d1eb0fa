//! The model catalogue: domains → subdomains → practices, with aliases.
//!
//! The built-in `iic-smm` lives in `rules/catalogue/iic-smm.yaml`. A catalogue file of the same
//! shape may `extends:` it (or another file) and add domains, subdomains and practices.

use crate::model::indicators::{self, Indicator, LevelDetail, Levels};
use crate::text::suggest::Candidates;
use crate::yaml::Spanned;
use crate::yaml::reader::{self, FieldError, MapReader};
use crate::yaml::{self, Node};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

pub(crate) const BUILTIN_ID: &str = "iic-smm";
const BUILTIN: &str = include_str!("../../rules/catalogue/iic-smm.yaml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    Domain,
    Subdomain,
    Practice,
}

impl Tier {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tier::Domain => "domain",
            Tier::Subdomain => "subdomain",
            Tier::Practice => "practice",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub tier: Tier,
    pub name: String,
    pub objective: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Practices: a default action per level (1..=4), offered as plan items by `init`.
    pub actions: BTreeMap<u8, String>,
    /// Practices: per level (1..=4), what it means for this practice and its indicators;
    /// for a built-in practice, empty until [`Entry::levels_mut`] copies them in.
    levels: Levels,
    /// A built-in practice's levels, read on first use (see [`Deferred`]).
    deferred: Option<Arc<Deferred>>,
}

impl Entry {
    /// Per level (1..=4), what it means for this practice and its indicators.
    pub fn levels(&self) -> &Levels {
        match &self.deferred {
            Some(deferred) => deferred.of(&self.id),
            None => &self.levels,
        }
    }

    /// The levels to tailor: a built-in practice's are read and copied in first.
    fn levels_mut(&mut self) -> &mut Levels {
        if let Some(deferred) = self.deferred.take() {
            self.levels = deferred.of(&self.id).clone();
        }
        &mut self.levels
    }

    /// What `level` means for this practice, when the catalogue says.
    pub fn level(&self, level: u8) -> Option<&LevelDetail> {
        self.levels().get(&level)
    }

    /// The indicators of `level`, in catalogue order.
    pub fn indicators_of(&self, level: u8) -> &[Indicator] {
        self.level(level).map_or(&[], |d| d.indicators.as_slice())
    }

    /// Every indicator of the practice with its level, lowest level first.
    pub fn indicators(&self) -> impl Iterator<Item = (u8, &Indicator)> {
        self.levels()
            .iter()
            .flat_map(|(&l, d)| d.indicators.iter().map(move |i| (l, i)))
    }
}

#[derive(Debug, Clone)]
pub struct LevelInfo {
    pub(crate) name: String,
    pub(crate) meaning: String,
}

#[derive(Debug, Clone)]
pub struct Catalogue {
    /// The id of this catalogue (`iic-smm`, or the extension's own id).
    pub id: String,
    pub name: String,
    /// Level names and meanings, indexed by level 0..=4.
    pub levels: Vec<LevelInfo>,
    pub entries: Vec<Entry>,
    index: HashMap<String, usize>,
    /// Prepared "did you mean" candidates, built on first use; see [`Lookup`].
    lookups: [OnceLock<Arc<Candidates>>; Lookup::COUNT],
    /// While the built-in catalogue is read: where its practices' levels come from.
    deferred: Option<Arc<Deferred>>,
}

/// The built-in practices' `levels:` (descriptions and indicators), cut out of the catalogue's
/// text and read on first use: they are most of the file, and a run that checks a practice
/// document needs them only for practices whose evidence cites indicators.
#[derive(Debug)]
struct Deferred {
    /// A `tailoring:` list of `{practice, levels}`.
    text: String,
    read: OnceLock<HashMap<String, Levels>>,
}

/// What a practice without levels in the catalogue has.
static NO_LEVELS: Levels = BTreeMap::new();

impl Deferred {
    fn of(&self, id: &str) -> &Levels {
        self.read
            .get_or_init(|| self.parse().0)
            .get(id)
            .unwrap_or(&NO_LEVELS)
    }

    /// The levels by practice id, and the problems found (none: the tests hold the built-in
    /// file to that).
    fn parse(&self) -> (HashMap<String, Levels>, Vec<FieldError>) {
        let mut out = HashMap::new();
        let mut errors = Vec::new();
        let root = match yaml::parse(&self.text) {
            Ok(root) => root,
            Err(e) => return (out, vec![FieldError::invalid(0..0, e.message)]),
        };
        let Ok(mut map) = MapReader::new(&root, "the levels").map_err(|e| errors.push(e)) else {
            return (out, errors);
        };
        let items = reader::optional(&mut map, "tailoring", &mut errors, reader::list);
        for item in items.unwrap_or(&[]) {
            let Ok(mut m) = MapReader::new(item, "a practice").map_err(|e| errors.push(e)) else {
                continue;
            };
            let id = reader::required(&mut m, "practice", &mut errors, reader::text);
            let (Some(id), Some((_, node))) = (id, m.get("levels")) else {
                continue;
            };
            let levels: &mut Levels = out.entry(id.value.clone()).or_default();
            indicators::merge(node, &id.value, levels, &mut errors);
        }
        (out, errors)
    }
}

/// Cuts the practices' `levels:` blocks out of the built-in catalogue's text, by the file's
/// layout: under `practices:`, an item starts with `  - id: ID` and its `levels:` key sits
/// alone on a line at four spaces with everything below it deeper. Returns the rest of the
/// text and the blocks as a `tailoring:` list. A block the layout does not match stays in the
/// first text and is read at once, as any catalogue's is; the tests compare both ways.
fn split_levels(text: &str) -> (String, String) {
    let mut rest = String::with_capacity(text.len() / 2);
    let mut levels = String::with_capacity(text.len());
    levels.push_str("tailoring:\n");
    let mut in_practices = false;
    let mut practice: Option<&str> = None;
    let mut in_block = false;
    for line in text.split_inclusive('\n') {
        if in_block {
            if line.trim().is_empty() || line.starts_with("      ") {
                levels.push_str(line);
                continue;
            }
            in_block = false;
        }
        if !line.starts_with([' ', '#', '\n']) {
            in_practices = line.starts_with("practices:");
            practice = None;
        }
        if in_practices {
            if let Some(id) = line.strip_prefix("  - id: ") {
                practice = Some(id.trim_end());
            } else if line.trim_end() == "    levels:" {
                if let Some(id) = practice {
                    levels.push_str(&format!("  - practice: {id}\n"));
                    levels.push_str(line);
                    in_block = true;
                    continue;
                }
            }
        }
        rest.push_str(line);
    }
    (rest, levels)
}

/// The lists suggestions are drawn from: every name (ids and aliases, sorted) or the canonical
/// ids in catalogue order, of one tier or all. Each is prepared once per catalogue, since a
/// profile may ask about thousands of unknown ids.
#[derive(Debug, Clone, Copy)]
enum Lookup {
    Names(Option<Tier>),
    Ids(Option<Tier>),
}

impl Lookup {
    const COUNT: usize = 8;

    fn slot(self) -> usize {
        let tier = |t: Option<Tier>| match t {
            None => 0,
            Some(Tier::Domain) => 1,
            Some(Tier::Subdomain) => 2,
            Some(Tier::Practice) => 3,
        };
        match self {
            Lookup::Names(t) => tier(t),
            Lookup::Ids(t) => 4 + tier(t),
        }
    }
}

/// An id found in the catalogue, and whether it was written as an alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub index: usize,
    pub via_alias: bool,
}

impl Catalogue {
    pub fn builtin() -> Result<Catalogue, String> {
        let (rest, levels) = split_levels(BUILTIN);
        let root = yaml::parse(&rest).map_err(|e| e.message)?;
        let mut cat = Catalogue::empty();
        cat.deferred = Some(Arc::new(Deferred {
            text: levels,
            read: OnceLock::new(),
        }));
        let errors = cat.extend_from(&root, true);
        cat.deferred = None;
        match errors.first() {
            None => Ok(cat),
            Some(e) => Err(format!("rules/catalogue/iic-smm.yaml: {e:?}")),
        }
    }

    fn empty() -> Catalogue {
        Catalogue {
            id: String::new(),
            name: String::new(),
            levels: Vec::new(),
            entries: Vec::new(),
            index: HashMap::new(),
            lookups: Default::default(),
            deferred: None,
        }
    }

    pub fn find(&self, id: &str) -> Option<Found> {
        let &index = self.index.get(id)?;
        Some(Found {
            index,
            via_alias: self.entries[index].id != id,
        })
    }

    pub(crate) fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    pub(crate) fn of_tier(&self, tier: Tier) -> impl Iterator<Item = usize> + '_ {
        (0..self.entries.len()).filter(move |&i| self.entries[i].tier == tier)
    }

    /// Every descendant of `index`, depth first.
    pub fn descendants(&self, index: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.entries[index].children.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(self.entries[i].children.iter().rev());
        }
        out
    }

    /// Up to three known ids (canonical or alias) close to `id`, best first, of `tier` only
    /// when given.
    pub fn suggestions(&self, id: &str, tier: Option<Tier>) -> Vec<String> {
        self.lookup(Lookup::Names(tier)).close(id, 3, 0.7)
    }

    /// Known ids so close to `id` that it is surely a typo of them.
    pub(crate) fn very_close(&self, id: &str, tier: Option<Tier>) -> Vec<String> {
        self.lookup(Lookup::Names(tier)).close(id, 3, 0.85)
    }

    /// The `n` canonical ids nearest to `id`, however far: for help when nothing is close.
    pub fn nearest(&self, id: &str, n: usize, tier: Option<Tier>) -> Vec<String> {
        self.lookup(Lookup::Ids(tier)).nearest(id, n)
    }

    fn lookup(&self, which: Lookup) -> &Candidates {
        self.lookups[which.slot()].get_or_init(|| {
            Arc::new(match which {
                Lookup::Names(tier) => Candidates::new(self.names(tier)),
                Lookup::Ids(tier) => Candidates::new(
                    self.entries
                        .iter()
                        .filter(|e| tier.is_none_or(|t| e.tier == t))
                        .map(|e| e.id.as_str()),
                ),
            })
        })
    }

    /// Every id and alias (of `tier` only when given), sorted.
    fn names(&self, tier: Option<Tier>) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .index
            .iter()
            .filter(|(_, i)| tier.is_none_or(|t| self.entries[**i].tier == t))
            .map(|(k, _)| k.as_str())
            .collect();
        all.sort_unstable();
        all
    }

    /// Display order: each domain, then its subdomains each followed by their practices.
    pub fn ordered(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for d in self.of_tier(Tier::Domain) {
            out.push(d);
            out.extend(self.descendants(d));
        }
        out
    }

    /// Adds the domains, subdomains and practices of `root`; `base` also reads id, name and
    /// levels. Returns the problems found, with spans in `root`'s text.
    pub fn extend_from(&mut self, root: &Node, base: bool) -> Vec<FieldError> {
        // Entries change: lists prepared for suggestions (perhaps cloned from the base) are stale.
        self.lookups = Default::default();
        let mut errors = Vec::new();
        let mut map = match MapReader::new(root, "a catalogue file") {
            Ok(m) => m,
            Err(e) => return vec![e],
        };
        let id = reader::required(&mut map, "id", &mut errors, reader::text);
        let name = reader::optional(&mut map, "name", &mut errors, reader::text);
        if base {
            self.read_levels(&mut map, &mut errors);
            map.get("scopes");
        } else {
            map.get("extends");
        }
        let tailoring = if base {
            None
        } else {
            reader::optional(&mut map, "tailoring", &mut errors, reader::list)
        };
        if let Some(id) = id {
            self.id = id.value;
        }
        if let Some(name) = name {
            self.name = name.value;
        }
        // Ids whose entry was rejected, so that their children are not reported again.
        let mut dropped = HashSet::new();
        for (key, tier, parent_key) in [
            ("domains", Tier::Domain, None),
            ("subdomains", Tier::Subdomain, Some("domain")),
            ("practices", Tier::Practice, Some("subdomain")),
        ] {
            let Some(items) = reader::optional(&mut map, key, &mut errors, reader::list) else {
                continue;
            };
            for item in items {
                self.read_entry(item, tier, parent_key, base, &mut errors, &mut dropped);
            }
        }
        for item in tailoring.unwrap_or(&[]) {
            self.tailor(item, &mut errors);
        }
        let mut allowed = vec!["id", "name", "domains", "subdomains", "practices"];
        allowed.extend(if base {
            ["levels", "scopes"].as_slice()
        } else {
            ["extends", "tailoring"].as_slice()
        });
        errors.extend(map.unknown_key_errors(&allowed));
        // A parent's suggestions, prepared above, listed only the tier above the entries added.
        self.lookups = Default::default();
        errors
    }

    fn read_levels(&mut self, map: &mut MapReader<'_>, errors: &mut Vec<FieldError>) {
        let Some(items) = reader::required(map, "levels", errors, reader::list) else {
            return;
        };
        for item in items {
            let Ok(mut m) = MapReader::new(item, "a level").map_err(|e| errors.push(e)) else {
                continue;
            };
            m.get("level");
            let name = reader::required(&mut m, "name", errors, reader::text);
            let meaning = reader::required(&mut m, "meaning", errors, reader::text);
            if let (Some(name), Some(meaning)) = (name, meaning) {
                self.levels.push(LevelInfo {
                    name: name.value,
                    meaning: meaning.value,
                });
            }
        }
    }

    fn read_entry(
        &mut self,
        item: &Node,
        tier: Tier,
        parent_key: Option<&'static str>,
        base: bool,
        errors: &mut Vec<FieldError>,
        dropped: &mut HashSet<String>,
    ) {
        let what = format!("a {}", tier.name());
        let Ok(mut m) = MapReader::new(item, &what).map_err(|e| errors.push(e)) else {
            return;
        };
        let id = reader::required(&mut m, "id", errors, reader::text);
        let name = reader::required(&mut m, "name", errors, reader::text);
        let objective = reader::optional(&mut m, "objective", errors, reader::text);
        let aliases = reader::optional(&mut m, "aliases", errors, reader::list).unwrap_or(&[]);
        let parent = parent_key.and_then(|k| reader::required(&mut m, k, errors, reader::text));
        let actions = if tier == Tier::Practice {
            read_actions(&mut m, errors)
        } else {
            BTreeMap::new()
        };
        let levels_node = if tier == Tier::Practice {
            m.get("levels").map(|(_, v)| v)
        } else {
            None
        };
        let mut allowed = vec!["id", "name", "objective", "aliases"];
        allowed.extend(parent_key);
        if tier == Tier::Practice {
            allowed.extend(["actions", "levels"]);
        }
        errors.extend(m.unknown_key_errors(&allowed));
        let (Some(id), Some(name)) = (id, name) else {
            return;
        };
        let mut levels = Levels::new();
        if let Some(node) = levels_node {
            indicators::merge(node, &id.value, &mut levels, errors);
        }
        // A built-in practice whose levels were cut out to be read later; the tests check them.
        let deferred = match (&self.deferred, levels_node, tier) {
            (Some(d), None, Tier::Practice) => Some(Arc::clone(d)),
            _ => None,
        };
        if base && tier == Tier::Practice && deferred.is_none() {
            if let Some(problem) = indicators::incomplete(&levels) {
                errors.push(FieldError::invalid(
                    id.span.clone(),
                    format!("practice `{}`: {problem}", id.value),
                ));
            }
        }
        let mut names = vec![Spanned {
            value: id.value.clone(),
            span: id.span.clone(),
        }];
        for alias in aliases {
            if let Ok(a) = reader::text("aliases", alias).map_err(|e| errors.push(e)) {
                names.push(a);
            }
        }
        let index = self.entries.len();
        for n in &names {
            if !is_kebab(&n.value) {
                errors.push(FieldError::invalid(
                    n.span.clone(),
                    format!(
                        "`{}` is not a kebab-case id (lowercase letters, digits, `-`)",
                        n.value
                    ),
                ));
                dropped.insert(id.value.clone());
                return;
            }
            if let Some(&other) = self.index.get(&n.value) {
                errors.push(FieldError::invalid(
                    n.span.clone(),
                    format!(
                        "id `{}` is already used by the {} `{}`",
                        n.value,
                        self.entries[other].tier.name(),
                        self.entries[other].id
                    ),
                ));
                return;
            }
        }
        let parent_index = match (parent_key, parent) {
            (None, _) => None,
            (Some(_), None) => {
                dropped.insert(id.value.clone());
                return;
            }
            // Its parent was already reported: say nothing more about the children.
            (Some(_), Some(p)) if dropped.contains(&p.value) => {
                dropped.insert(id.value.clone());
                return;
            }
            (Some(_), Some(p)) => match self.parent_index(&p, tier, errors) {
                Some(i) => Some(i),
                None => {
                    dropped.insert(id.value.clone());
                    return;
                }
            },
        };
        for n in &names {
            self.index.insert(n.value.clone(), index);
        }
        if let Some(p) = parent_index {
            self.entries[p].children.push(index);
        }
        self.entries.push(Entry {
            id: id.value,
            tier,
            name: name.value,
            objective: objective.map(|o| o.value).unwrap_or_default(),
            parent: parent_index,
            children: Vec::new(),
            actions,
            levels,
            deferred,
        });
    }

    /// A `tailoring:` item of an extension: `practice:` names a practice already in the
    /// catalogue and `levels:` adds to or replaces its descriptions and indicators.
    fn tailor(&mut self, item: &Node, errors: &mut Vec<FieldError>) {
        let Ok(mut m) = MapReader::new(item, "a tailoring").map_err(|e| errors.push(e)) else {
            return;
        };
        let practice = reader::required(&mut m, "practice", errors, reader::text);
        let levels = m.get("levels").map(|(_, v)| v);
        if levels.is_none() {
            errors.push(reader::missing(&mut m, "levels"));
        }
        errors.extend(m.unknown_key_errors(&["practice", "levels"]));
        let (Some(practice), Some(levels)) = (practice, levels) else {
            return;
        };
        let index = match self.find(&practice.value) {
            Some(f) if self.entries[f.index].tier == Tier::Practice => f.index,
            found => {
                let message = match found {
                    Some(f) => format!(
                        "`{}` is a {}; only a practice's levels can be tailored",
                        practice.value,
                        self.entries[f.index].tier.name()
                    ),
                    None => {
                        let close = self.suggestions(&practice.value, Some(Tier::Practice));
                        let help = if close.is_empty() {
                            String::new()
                        } else {
                            format!(" (did you mean {}?)", crate::text::suggest::quoted(&close))
                        };
                        format!(
                            "practice `{}` does not exist{help}",
                            crate::text::excerpt(&practice.value)
                        )
                    }
                };
                errors.push(FieldError::invalid(practice.span, message));
                return;
            }
        };
        let entry = &mut self.entries[index];
        let id = entry.id.clone();
        indicators::merge(levels, &id, entry.levels_mut(), errors);
    }

    fn parent_index(
        &self,
        parent: &Spanned<String>,
        tier: Tier,
        errors: &mut Vec<FieldError>,
    ) -> Option<usize> {
        let want = if tier == Tier::Subdomain {
            Tier::Domain
        } else {
            Tier::Subdomain
        };
        match self.find(&parent.value) {
            Some(f) if self.entries[f.index].tier == want => Some(f.index),
            Some(f) => {
                errors.push(FieldError::invalid(
                    parent.span.clone(),
                    format!(
                        "`{}` is a {}, but a {}'s parent must be a {}",
                        parent.value,
                        self.entries[f.index].tier.name(),
                        tier.name(),
                        want.name()
                    ),
                ));
                None
            }
            None => {
                let mut help = String::new();
                let close = self.suggestions(&parent.value, Some(want));
                if !close.is_empty() {
                    help = format!(" (did you mean {}?)", crate::text::suggest::quoted(&close));
                }
                errors.push(FieldError::invalid(
                    parent.span.clone(),
                    format!("{} `{}` does not exist{help}", want.name(), parent.value),
                ));
                None
            }
        }
    }
}

/// `actions: {1: …, 2: …}`: levels 1 to 4, each a line of text.
fn read_actions(m: &mut MapReader<'_>, errors: &mut Vec<FieldError>) -> BTreeMap<u8, String> {
    let mut actions = BTreeMap::new();
    let Some((_, node)) = m.get("actions") else {
        return actions;
    };
    let crate::yaml::Value::Map(entries) = &node.value else {
        errors.push(FieldError::invalid(
            node.span.clone(),
            "`actions` must map levels 1 to 4 to text",
        ));
        return actions;
    };
    for (k, v) in entries {
        let level = reader::scalar_text(k)
            .and_then(|t| t.parse::<u8>().ok())
            .filter(|l| (1..=4).contains(l));
        let Some(level) = level else {
            errors.push(FieldError::invalid(
                k.span.clone(),
                "an action is for a level from 1 to 4",
            ));
            continue;
        };
        if let Ok(text) = reader::text("actions", v).map_err(|e| errors.push(e)) {
            actions.insert(level, text.value);
        }
    }
    actions
}

pub(crate) fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_has_the_model_shape() {
        let cat = Catalogue::builtin().expect("built-in catalogue loads");
        assert_eq!(cat.id, BUILTIN_ID);
        assert_eq!(cat.of_tier(Tier::Domain).count(), 3);
        assert_eq!(cat.of_tier(Tier::Subdomain).count(), 9);
        assert_eq!(cat.of_tier(Tier::Practice).count(), 18);
        assert_eq!(cat.levels.len(), 5);
        for s in cat.of_tier(Tier::Subdomain) {
            assert_eq!(cat.entry(s).children.len(), 2, "{}", cat.entry(s).id);
        }
        let found = cat
            .find("vulnerability-management")
            .expect("alias resolves");
        assert!(found.via_alias);
        assert_eq!(
            cat.entry(found.index).id,
            "vulnerability-and-patch-management"
        );
    }

    #[test]
    fn every_builtin_practice_describes_levels_one_to_four_with_two_to_four_indicators() {
        let cat = Catalogue::builtin().expect("built-in catalogue loads");
        for p in cat.of_tier(Tier::Practice) {
            let e = cat.entry(p);
            assert_eq!(
                e.levels().keys().copied().collect::<Vec<_>>(),
                [1, 2, 3, 4],
                "{}",
                e.id
            );
            for (level, detail) in e.levels() {
                let description = detail.description.as_deref().unwrap_or_default();
                assert!(description.len() > 20, "{}.{level}: {description:?}", e.id);
                assert!(
                    (2..=4).contains(&detail.indicators.len()),
                    "{}.{level}: {} indicators",
                    e.id,
                    detail.indicators.len()
                );
                for i in &detail.indicators {
                    assert!(i.text.ends_with('.'), "{}: one sentence", i.id);
                }
            }
        }
    }

    #[test]
    fn builtin_indicator_ids_are_unique_and_name_their_practice_and_level() {
        let cat = Catalogue::builtin().expect("built-in catalogue loads");
        let mut seen = HashSet::new();
        for p in cat.of_tier(Tier::Practice) {
            let e = cat.entry(p);
            for (level, i) in e.indicators() {
                assert!(seen.insert(i.id.clone()), "{} twice", i.id);
                let slug =
                    i.id.strip_prefix(&format!("{}.{level}.", e.id))
                        .unwrap_or_else(|| panic!("{} is not under {}.{level}", i.id, e.id));
                assert!(is_kebab(slug), "{}", i.id);
            }
        }
    }

    /// Evidence items cite indicator ids: renaming or removing one breaks every profile that
    /// cites it. The list is pinned; a new id is added to it, an old one never leaves it.
    #[test]
    fn builtin_indicator_ids_are_stable() {
        let cat = Catalogue::builtin().expect("built-in catalogue loads");
        let ids: Vec<String> = cat
            .of_tier(Tier::Practice)
            .flat_map(|p| cat.entry(p).indicators().map(|(_, i)| i.id.clone()))
            .collect();
        let pinned: Vec<&str> = include_str!("../../tests/snapshots/indicator-ids.txt")
            .lines()
            .filter(|l| !l.is_empty())
            .collect();
        let gone: Vec<&&str> = pinned
            .iter()
            .filter(|p| !ids.iter().any(|i| i == **p))
            .collect();
        assert!(
            gone.is_empty(),
            "indicator ids renamed or removed: {gone:?}"
        );
        let new: Vec<&String> = ids
            .iter()
            .filter(|i| !pinned.contains(&i.as_str()))
            .collect();
        assert!(
            new.is_empty(),
            "add the new indicator ids to tests/snapshots/indicator-ids.txt: {new:?}"
        );
    }

    /// The built-in catalogue read with its levels cut out and read later is the catalogue
    /// read from the whole file at once, entry by entry.
    #[test]
    fn builtin_levels_read_later_are_those_of_the_whole_file() {
        let lazy = Catalogue::builtin().expect("built-in catalogue loads");
        let (rest, levels) = split_levels(BUILTIN);
        assert!(
            rest.len() * 2 < BUILTIN.len(),
            "the levels are most of the file"
        );
        let deferred = Deferred {
            text: levels,
            read: OnceLock::new(),
        };
        let (by_id, errors) = deferred.parse();
        assert!(errors.is_empty(), "{errors:?}");
        let mut whole = Catalogue::empty();
        let errors = whole.extend_from(&yaml::parse(BUILTIN).expect("valid yaml"), true);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(lazy.entries.len(), whole.entries.len());
        assert_eq!(by_id.len(), whole.of_tier(Tier::Practice).count());
        for (a, b) in lazy.entries.iter().zip(&whole.entries) {
            assert!(b.deferred.is_none());
            assert_eq!(
                (
                    &a.id,
                    a.tier,
                    &a.name,
                    &a.objective,
                    a.parent,
                    &a.children,
                    &a.actions
                ),
                (
                    &b.id,
                    b.tier,
                    &b.name,
                    &b.objective,
                    b.parent,
                    &b.children,
                    &b.actions
                )
            );
            assert_eq!(
                format!("{:?}", a.levels()),
                format!("{:?}", b.levels()),
                "{}",
                a.id
            );
        }
        assert_eq!(format!("{:?}", lazy.levels), format!("{:?}", whole.levels));
    }

    #[test]
    fn builtin_levels_are_read_only_when_asked_for() {
        let cat = Catalogue::builtin().expect("built-in catalogue loads");
        let practice = cat.find("patch-management").expect("a practice").index;
        let deferred = cat.entry(practice).deferred.clone().expect("read later");
        assert!(deferred.read.get().is_none(), "not read by loading");
        assert!(cat.find("hardening").is_some());
        assert!(deferred.read.get().is_none(), "not read by a lookup");
        assert!(!cat.entry(practice).indicators_of(3).is_empty());
        assert!(deferred.read.get().is_some());
    }

    #[test]
    fn builtin_practice_without_indicators_is_refused() {
        let text = BUILTIN.replacen(
            "          - id: patch-management.3.risk-based-deadlines\n            text: Each patch gets a deadline set by the risk it addresses.\n          - id: patch-management.3.tested-before-rollout\n            text: Every patch is tested before rollout, with a rollback plan on record.\n          - id: patch-management.3.status-tracked\n            text: The state of each patch on each asset is tracked until it is installed or an exception is approved.\n",
            "",
            1,
        );
        assert_ne!(text, BUILTIN, "the test edits the catalogue");
        let root = yaml::parse(&text).expect("valid yaml");
        let mut cat = Catalogue::empty();
        let errors = cat.extend_from(&root, true);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let FieldError::Invalid { span, message } = &errors[0] else {
            panic!()
        };
        assert_eq!(&text[span.clone()], "patch-management");
        assert!(message.contains("level 3 has 1 indicators"), "{message}");
    }

    #[test]
    fn an_extension_tailors_an_inherited_practice() {
        let mut cat = Catalogue::builtin().expect("built-in catalogue loads");
        let text = "id: acme\nextends: iic-smm\ntailoring:\n  - practice: patch-management\n    levels:\n      3:\n        description: Tailored.\n        indicators:\n          - id: patch-management.3.tested-before-rollout\n            text: Every image is tried on a spare line first.\n          - id: patch-management.3.signed-images\n            text: Images are signed.\n  - practice: patch-managment\n    levels: {}\n  - practice: hardening\n    levels: {}\n";
        let root = yaml::parse(text).expect("valid yaml");
        let errors = cat.extend_from(&root, false);
        assert_eq!(errors.len(), 2, "{errors:?}");
        let FieldError::Invalid { span, message } = &errors[0] else {
            panic!()
        };
        assert_eq!(&text[span.clone()], "patch-managment");
        assert!(
            message.contains("did you mean `patch-management`"),
            "{message}"
        );
        let e = cat.entry(cat.find("patch-management").expect("known").index);
        let three = e.level(3).expect("level 3");
        assert_eq!(three.description.as_deref(), Some("Tailored."));
        let ids: Vec<&str> = three.indicators.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "patch-management.3.process-documented",
                "patch-management.3.risk-based-deadlines",
                "patch-management.3.tested-before-rollout",
                "patch-management.3.status-tracked",
                "patch-management.3.signed-images"
            ]
        );
        assert_eq!(
            three.indicators[2].text,
            "Every image is tried on a spare line first."
        );
    }

    #[test]
    fn extension_errors_point_into_the_file() {
        let mut cat = Catalogue::builtin().expect("built-in catalogue loads");
        let text = "id: acme\nextends: iic-smm\nsubdomains:\n  - id: training\n    domain: institutionl\n    name: Training\n  - id: access-control\n    domain: governance\n    name: X\npractices:\n  - id: patch-management\n    subdomain: training\n    name: Y\n  - id: courses\n    subdomain: training\n    name: Z\n";
        let root = yaml::parse(text).expect("valid yaml");
        let errors = cat.extend_from(&root, false);
        // The duplicate practice id is reported although its subdomain is broken; the other
        // practice under the broken subdomain is not reported again.
        assert_eq!(errors.len(), 3, "{errors:?}");
        let FieldError::Invalid { span, message } = &errors[0] else {
            panic!()
        };
        assert_eq!(&text[span.clone()], "institutionl");
        assert!(message.contains("does not exist"));
        let FieldError::Invalid { span, .. } = &errors[1] else {
            panic!()
        };
        assert_eq!(&text[span.clone()], "access-control");
        let FieldError::Invalid { span, .. } = &errors[2] else {
            panic!()
        };
        assert_eq!(&text[span.clone()], "patch-management");
    }
}
