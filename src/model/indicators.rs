//! What each level of a practice means: a short description and the indicators of
//! accomplishment, each with a stable id `PRACTICE.LEVEL.slug` that evidence items cite.
//!
//! The built-in catalogue gives every practice a description and two to four indicators for
//! each level from 1 to 4. A catalogue extension may give its own practices the same, and
//! tailor the practices it inherits (`tailoring:`): a description replaces the inherited one,
//! an indicator with an inherited id replaces its text, and a new id is added.

use crate::yaml::reader::{self, FieldError, MapReader};
use crate::yaml::{Node, Value};
use std::collections::{BTreeMap, HashSet};

/// The fewest and most indicators a level of a built-in practice has.
pub(crate) const BUILTIN_INDICATORS: std::ops::RangeInclusive<usize> = 2..=4;
/// The most indicators one level of a practice may hold once extensions are applied: enough
/// for any tailoring, and a bound on what each practice's checks and reports go through.
pub(crate) const MAX_INDICATORS_PER_LEVEL: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// `PRACTICE.LEVEL.slug`, e.g. `patch-management.3.tested-before-rollout`.
    pub id: String,
    pub text: String,
}

/// One level of one practice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelDetail {
    pub description: Option<String>,
    pub indicators: Vec<Indicator>,
}

/// Levels 1 to 4 of a practice.
pub type Levels = BTreeMap<u8, LevelDetail>;

/// Reads `levels: {1: {description, indicators: [{id, text}]}, …}` of the practice `practice`
/// onto `levels`, replacing descriptions and texts it already has and adding new ids.
pub(crate) fn merge(
    node: &Node,
    practice: &str,
    levels: &mut Levels,
    errors: &mut Vec<FieldError>,
) {
    let Value::Map(entries) = &node.value else {
        errors.push(FieldError::invalid(
            node.span.clone(),
            "`levels` must map levels 1 to 4 to a `description` and `indicators`",
        ));
        return;
    };
    for (key, value) in entries {
        let level = reader::scalar_text(key)
            .and_then(|t| t.parse::<u8>().ok())
            .filter(|l| (1..=4).contains(l));
        let Some(level) = level else {
            errors.push(FieldError::invalid(
                key.span.clone(),
                "`levels` holds levels from 1 to 4",
            ));
            continue;
        };
        let detail = levels.entry(level).or_default();
        let left_out = merge_level(value, practice, level, detail, errors);
        if left_out > 0 {
            errors.push(FieldError::invalid(
                key.span.clone(),
                format!(
                    "level {level} of `{practice}` would hold {} indicators; the limit is {MAX_INDICATORS_PER_LEVEL}, and the {left_out} after it are left out",
                    MAX_INDICATORS_PER_LEVEL + left_out
                ),
            ));
        }
    }
}

/// Merges one level's block; returns how many new indicators the limit left out. The level
/// never holds more than the limit, so each item is compared with at most that many.
fn merge_level(
    node: &Node,
    practice: &str,
    level: u8,
    detail: &mut LevelDetail,
    errors: &mut Vec<FieldError>,
) -> usize {
    let Ok(mut m) = MapReader::new(node, "a level").map_err(|e| errors.push(e)) else {
        return 0;
    };
    if let Some(d) = reader::optional(&mut m, "description", errors, reader::text) {
        detail.description = Some(d.value);
    }
    let items = reader::optional(&mut m, "indicators", errors, reader::list).unwrap_or(&[]);
    // Ids written in this block: a second one is a mistake, not a tailoring.
    let mut written = HashSet::new();
    let mut left_out = 0;
    for item in items {
        let Some(indicator) = read_indicator(item, practice, level, errors) else {
            continue;
        };
        if !written.insert(indicator.id.clone()) {
            errors.push(FieldError::invalid(
                item_id_span(item),
                format!("indicator id `{}` is written twice", indicator.id),
            ));
            continue;
        }
        let full = detail.indicators.len() == MAX_INDICATORS_PER_LEVEL;
        match detail.indicators.iter_mut().find(|i| i.id == indicator.id) {
            Some(inherited) => inherited.text = indicator.text,
            None if full => left_out += 1,
            None => detail.indicators.push(indicator),
        }
    }
    errors.extend(m.unknown_key_errors(&["description", "indicators"]));
    left_out
}

fn item_id_span(item: &Node) -> std::ops::Range<usize> {
    match &item.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.as_str() == Some("id"))
            .map_or(item.span.clone(), |(_, v)| v.span.clone()),
        _ => item.span.clone(),
    }
}

fn read_indicator(
    item: &Node,
    practice: &str,
    level: u8,
    errors: &mut Vec<FieldError>,
) -> Option<Indicator> {
    let mut m = MapReader::new(item, "an indicator")
        .map_err(|e| errors.push(e))
        .ok()?;
    let id = reader::required(&mut m, "id", errors, reader::text);
    let text = reader::required(&mut m, "text", errors, reader::text);
    errors.extend(m.unknown_key_errors(&["id", "text"]));
    let id = id?;
    if let Err(message) = check_id(&id.value, practice, level) {
        errors.push(FieldError::invalid(id.span, message));
        return None;
    }
    Some(Indicator {
        id: id.value,
        text: text?.value,
    })
}

/// An indicator id is its practice's id, its level and a kebab-case slug, joined by dots: the
/// id says where it belongs wherever it is cited.
fn check_id(id: &str, practice: &str, level: u8) -> Result<(), String> {
    let prefix = format!("{practice}.{level}.");
    match id.strip_prefix(&prefix) {
        Some(slug) if super::catalogue::is_kebab(slug) => Ok(()),
        Some(_) => Err(format!(
            "indicator id `{}` must end in a kebab-case slug after `{prefix}` (lowercase letters, digits, `-`)",
            crate::text::excerpt(id)
        )),
        None => Err(format!(
            "indicator id `{}` must start with `{prefix}`: the practice's id and the level it is written under",
            crate::text::excerpt(id)
        )),
    }
}

/// What the built-in catalogue promises of every practice: levels 1 to 4, each with a
/// description and two to four indicators. `None` when it holds.
pub(crate) fn incomplete(levels: &Levels) -> Option<String> {
    for level in 1..=4u8 {
        let Some(detail) = levels.get(&level) else {
            return Some(format!("level {level} has no description or indicators"));
        };
        if detail.description.is_none() {
            return Some(format!("level {level} has no description"));
        }
        if !BUILTIN_INDICATORS.contains(&detail.indicators.len()) {
            return Some(format!(
                "level {level} has {} indicators; a built-in practice has 2 to 4",
                detail.indicators.len()
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Levels, Vec<FieldError>) {
        let root = crate::yaml::parse(text).expect("valid yaml");
        let mut levels = Levels::new();
        let mut errors = Vec::new();
        merge(&root, "patch-management", &mut levels, &mut errors);
        (levels, errors)
    }

    #[test]
    fn ids_must_carry_their_practice_and_level() {
        let text = "3:\n  indicators:\n    - id: patch-management.2.lab\n      text: A\n    - id: patch-management.3.Bad_Slug\n      text: B\n    - id: patch-management.3.ok\n      text: C\n";
        let (levels, errors) = read(text);
        assert_eq!(errors.len(), 2, "{errors:?}");
        let spans: Vec<&str> = errors
            .iter()
            .map(|e| match e {
                FieldError::Invalid { span, .. } => &text[span.clone()],
                _ => panic!("{e:?}"),
            })
            .collect();
        assert_eq!(
            spans,
            ["patch-management.2.lab", "patch-management.3.Bad_Slug"]
        );
        assert_eq!(levels[&3].indicators.len(), 1);
    }

    #[test]
    fn a_repeated_id_is_reported_and_a_tailored_one_replaces_the_text() {
        let (mut levels, errors) = read(
            "1:\n  description: D\n  indicators:\n    - id: patch-management.1.a\n      text: A\n    - id: patch-management.1.a\n      text: B\n",
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        let root = crate::yaml::parse(
            "1:\n  description: E\n  indicators:\n    - id: patch-management.1.a\n      text: New\n    - id: patch-management.1.b\n      text: B\n",
        )
        .expect("yaml");
        let mut errors = Vec::new();
        merge(&root, "patch-management", &mut levels, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(levels[&1].description.as_deref(), Some("E"));
        let texts: Vec<&str> = levels[&1]
            .indicators
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(texts, ["New", "B"]);
    }

    #[test]
    fn a_level_outside_one_to_four_is_reported() {
        let (_, errors) = read("0:\n  description: D\n5:\n  description: D\n");
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn a_level_holds_a_bounded_number_of_indicators() {
        let mut text = String::from("2:\n  indicators:\n");
        for i in 0..MAX_INDICATORS_PER_LEVEL + 3 {
            text.push_str(&format!(
                "    - id: patch-management.2.i{i}\n      text: T\n"
            ));
        }
        let (levels, errors) = read(&text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(levels[&2].indicators.len(), MAX_INDICATORS_PER_LEVEL);
    }
}
