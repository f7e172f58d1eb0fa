//! Crosswalks as data: a mapping file relates `(practice, level)` of the catalogue to the
//! requirement ids of another framework (IEC 62443-2-1, ISO/IEC 27001, an internal baseline),
//! so that the report can say which requirements the claimed levels relate to and `standard:`
//! values that name the framework can be checked against its ids.
//!
//! An entry at level N relates its requirement to a profile whose claimed (current)
//! comprehensiveness of the practice is N or more; the scope is not part of the relation.
//! Problems in a mapping file are `catalogue-invalid` findings at their line; an entry with a
//! problem is left out, the rest of the file is used. A file over a limit is not used at all.

use crate::diagnostic::{Diagnostic, field_diagnostic};
use crate::model::catalogue::{Catalogue, Tier};
use crate::model::level::MAX_LEVEL;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::text::excerpt;
use crate::text::suggest::{Candidates, quoted};
use crate::yaml::reader::{self, FieldError, MapReader};
use crate::yaml::{self, Node, Spanned, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A mapping file larger than this is not read: the official tables of one standard fit in a
/// small fraction of it.
pub(crate) const MAX_MAPPING_BYTES: u64 = 1024 * 1024;
/// Requirements one mapping may list, and entries it may hold.
pub(crate) const MAX_REQUIREMENTS: usize = 2_000;
pub(crate) const MAX_ENTRIES: usize = 5_000;
/// Mappings one profile may select.
pub(crate) const MAX_MAPPINGS_PER_PROFILE: usize = 16;

/// How a built-in mapping is named in `mappings:`.
pub(crate) const BUILTIN_PREFIX: &str = "builtin:";
/// The built-in mappings, by name: written by the smm-lint authors, labelled as examples.
const BUILTIN: &[(&str, &str)] = &[("example", include_str!("../../rules/mappings/example.yaml"))];

const TOP_KEYS: &[&str] = &[
    "framework",
    "version",
    "title",
    "note",
    "requirements",
    "entries",
];
const REQUIREMENT_KEYS: &[&str] = &["id", "title"];
const ENTRY_KEYS: &[&str] = &["practice", "level", "requirement", "role"];

/// How strongly a practice at a level answers a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Role {
    /// Contributes to the requirement; other practices or measures are needed too (the default).
    Supports,
    /// Meets the requirement on its own.
    Satisfies,
}

impl Role {
    const ALL: [Role; 2] = [Role::Supports, Role::Satisfies];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Role::Supports => "supports",
            Role::Satisfies => "satisfies",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Requirement {
    pub(crate) id: String,
    pub(crate) title: String,
}

/// One relation: the practice (a catalogue index) at `level` or above relates to the
/// requirement (an index into [`Mapping::requirements`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Relation {
    pub(crate) practice: usize,
    pub(crate) level: u8,
    pub(crate) requirement: usize,
    pub(crate) role: Role,
}

#[derive(Debug)]
pub(crate) struct Mapping {
    /// `builtin:NAME`, or the file's path as shown in findings.
    pub(crate) source: String,
    pub(crate) framework: String,
    pub(crate) version: String,
    pub(crate) title: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) requirements: Vec<Requirement>,
    pub(crate) relations: Vec<Relation>,
    by_id: HashMap<String, usize>,
    candidates: Candidates,
}

/// What a `standard:` value cites of a mapping's framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Citation<'a> {
    /// The framework as a whole (nothing after its name).
    Framework,
    /// A requirement the mapping lists (its index).
    Requirement(usize),
    /// Text after the framework's name that is no requirement id of the mapping.
    Unknown(&'a str),
}

impl Mapping {
    pub(crate) fn requirement(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Up to three listed requirement ids close to `id`, best first; an id that differs only
    /// in case alone.
    pub(crate) fn suggestions(&self, id: &str) -> Vec<String> {
        if let Some(same) = self
            .requirements
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))
        {
            return vec![same.id.clone()];
        }
        self.candidates.close(id, 3, 0.6)
    }

    /// What `standard` cites of this framework: `None` unless it starts with the framework's
    /// name followed by its end, a colon or white space (`EXAMPLE-PSB GOV-01`,
    /// `EXAMPLE-PSB: GOV-01`). The name matches whatever its case and however much white
    /// space separates its words (`iec  62443`), so that a slip in writing it is still
    /// checked. The rest, trimmed, is the requirement id, compared as the mapping writes it.
    pub(crate) fn cites<'a>(&self, standard: &'a str) -> Option<Citation<'a>> {
        let rest = strip_name(standard.trim(), &self.framework)?;
        if !(rest.is_empty() || rest.starts_with(':') || rest.starts_with(char::is_whitespace)) {
            return None;
        }
        let rest = rest.trim_start_matches(':').trim();
        Some(match self.requirement(rest) {
            _ if rest.is_empty() => Citation::Framework,
            Some(i) => Citation::Requirement(i),
            None => Citation::Unknown(rest),
        })
    }

    /// The relations of `practice` that a claimed comprehensiveness `level` reaches (an
    /// entry's level or above), in the file's order.
    pub(crate) fn related(&self, practice: usize, level: u8) -> Vec<&Relation> {
        self.relations
            .iter()
            .filter(|r| r.practice == practice && r.level <= level)
            .collect()
    }
}

/// `text` after a leading framework `name`: letters compared without case, and any run of
/// white space in the name matched by any run in `text`. `None` when `text` does not start
/// with the name.
fn strip_name<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = text;
    for (n, word) in name.split_whitespace().enumerate() {
        if n > 0 {
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() {
                return None;
            }
            rest = trimmed;
        }
        let mut chars = rest.char_indices();
        for want in word.chars() {
            let (_, got) = chars.next()?;
            if !got.to_lowercase().eq(want.to_lowercase()) {
                return None;
            }
        }
        rest = chars.next().map_or("", |(at, _)| &rest[at..]);
    }
    Some(rest)
}

/// The mapping among `mappings` whose framework `standard` names, the longest name winning
/// (`IEC 62443-2-1` over `IEC 62443`), and what it cites.
pub(crate) fn citation<'m, 's>(
    mappings: &'m [Arc<Mapping>],
    standard: &'s str,
) -> Option<(&'m Arc<Mapping>, Citation<'s>)> {
    mappings
        .iter()
        .filter_map(|m| m.cites(standard).map(|c| (m, c)))
        .max_by_key(|(m, _)| m.framework.len())
}

/// The text of a built-in mapping, by the name after `builtin:`.
pub(crate) fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

pub(crate) fn builtin_names() -> Vec<String> {
    BUILTIN
        .iter()
        .map(|(n, _)| format!("{BUILTIN_PREFIX}{n}"))
        .collect()
}

/// Parses a mapping file against `catalogue`. Every problem is pushed to `out` at its span;
/// `None` when the file cannot be used (not YAML, no framework, over a limit).
pub(crate) fn parse(
    file: &Arc<SourceFile>,
    source: String,
    catalogue: &Catalogue,
    out: &mut Vec<Diagnostic>,
) -> Option<Mapping> {
    let root = match yaml::parse(&file.text) {
        Ok(root) => root,
        Err(e) => {
            out.push(Diagnostic::new(
                Rule::CatalogueInvalid,
                file,
                e.offset..e.offset,
                format!("invalid YAML in a mapping file: {}", e.message),
            ));
            return None;
        }
    };
    let mut errors = Vec::new();
    let mapping = read(&root, source, catalogue, &mut errors, file, out);
    for err in errors {
        out.push(field_diagnostic(Rule::CatalogueInvalid, file, err, 0.7));
    }
    mapping
}

fn read(
    root: &Node,
    source: String,
    catalogue: &Catalogue,
    errors: &mut Vec<FieldError>,
    file: &Arc<SourceFile>,
    out: &mut Vec<Diagnostic>,
) -> Option<Mapping> {
    let mut map = MapReader::new(root, "a mapping file")
        .map_err(|e| errors.push(e))
        .ok()?;
    let framework = reader::required(&mut map, "framework", errors, reader::text);
    let version = reader::required(&mut map, "version", errors, reader::text);
    let title = reader::optional(&mut map, "title", errors, reader::text).map(|t| t.value);
    let note = reader::optional(&mut map, "note", errors, reader::text).map(|t| t.value);
    let requirement_nodes = reader::required(&mut map, "requirements", errors, reader::list);
    let entry_nodes = reader::required(&mut map, "entries", errors, reader::list);
    errors.extend(map.unknown_key_errors(TOP_KEYS));
    let (framework, version) = (framework?, version?);
    let requirement_nodes = requirement_nodes.unwrap_or(&[]);
    let entry_nodes = entry_nodes.unwrap_or(&[]);
    for (what, count, limit) in [
        ("requirements", requirement_nodes.len(), MAX_REQUIREMENTS),
        ("entries", entry_nodes.len(), MAX_ENTRIES),
    ] {
        if count > limit {
            out.push(
                Diagnostic::new(
                    Rule::CatalogueInvalid,
                    file,
                    framework.span.clone(),
                    format!(
                        "the mapping lists {count} {what}; the limit is {limit}, so it is not used"
                    ),
                )
                .help("split the mapping into one file per part of the framework"),
            );
            return None;
        }
    }
    let requirements = read_requirements(requirement_nodes, errors);
    let by_id: HashMap<String, usize> = requirements
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let mut mapping = Mapping {
        source,
        framework: framework.value.trim().to_owned(),
        version: version.value.trim().to_owned(),
        title,
        note,
        candidates: Candidates::new(requirements.iter().map(|r| r.id.as_str())),
        requirements,
        relations: Vec::new(),
        by_id,
    };
    mapping.relations = read_entries(entry_nodes, &mapping, catalogue, errors);
    Some(mapping)
}

fn read_requirements(nodes: &[Node], errors: &mut Vec<FieldError>) -> Vec<Requirement> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for node in nodes {
        let Ok(mut m) =
            MapReader::new(node, "each item of `requirements`").map_err(|e| errors.push(e))
        else {
            continue;
        };
        let id = reader::required(&mut m, "id", errors, reader::text);
        let title = reader::required(&mut m, "title", errors, reader::text);
        errors.extend(m.unknown_key_errors(REQUIREMENT_KEYS));
        let (Some(id), Some(title)) = (id, title) else {
            continue;
        };
        let value = id.value.trim().to_owned();
        if !seen.insert(value.clone()) {
            errors.push(FieldError::invalid(
                id.span,
                format!("requirement `{}` is listed twice", excerpt(&value)),
            ));
            continue;
        }
        out.push(Requirement {
            id: value,
            title: title.value.trim().to_owned(),
        });
    }
    out
}

fn read_entries(
    nodes: &[Node],
    mapping: &Mapping,
    catalogue: &Catalogue,
    errors: &mut Vec<FieldError>,
) -> Vec<Relation> {
    let mut seen: HashSet<(usize, u8, usize)> = HashSet::new();
    let mut out = Vec::new();
    for node in nodes {
        let Ok(mut m) = MapReader::new(node, "each item of `entries`").map_err(|e| errors.push(e))
        else {
            continue;
        };
        let errors_before = errors.len();
        let practice =
            reader::required(&mut m, "practice", errors, |k, n| practice(k, n, catalogue));
        let level = reader::required(&mut m, "level", errors, level);
        let requirement = reader::required(&mut m, "requirement", errors, |k, n| {
            requirement(k, n, mapping)
        });
        let role = reader::optional(&mut m, "role", errors, role);
        errors.extend(m.unknown_key_errors(ENTRY_KEYS));
        // An entry with any problem is left out rather than guessed at.
        let (Some(practice), Some(level), Some(requirement)) = (practice, level, requirement)
        else {
            continue;
        };
        if errors.len() > errors_before {
            continue;
        }
        if !seen.insert((practice, level.value, requirement.value)) {
            errors.push(FieldError::invalid(
                level.span,
                "this practice, level and requirement are related twice in the mapping",
            ));
            continue;
        }
        out.push(Relation {
            practice,
            level: level.value,
            requirement: requirement.value,
            role: role.unwrap_or(Role::Supports),
        });
    }
    out
}

/// A practice id or alias of the catalogue, as its index.
fn practice(key: &str, node: &Node, catalogue: &Catalogue) -> Result<usize, FieldError> {
    let id = reader::text(key, node)?;
    let written = id.value.trim();
    match catalogue.find(written) {
        Some(found) if catalogue.entry(found.index).tier == Tier::Practice => Ok(found.index),
        Some(found) => Err(FieldError::invalid(
            id.span,
            format!(
                "`{}` is a {}, not a practice: a mapping relates practices",
                excerpt(written),
                catalogue.entry(found.index).tier.name()
            ),
        )),
        None => {
            let close = catalogue.suggestions(written, Some(Tier::Practice));
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!(": did you mean {}?", quoted(&close))
            };
            Err(FieldError::invalid(
                id.span,
                format!("unknown practice `{}`{hint}", excerpt(written)),
            ))
        }
    }
}

/// A comprehensiveness level 1 to 4, written as a number.
fn level(key: &str, node: &Node) -> Result<Spanned<u8>, FieldError> {
    match node.value {
        Value::Int(n) if (1..=i64::from(MAX_LEVEL)).contains(&n) => Ok(Spanned {
            value: n as u8,
            span: node.span.clone(),
        }),
        _ => Err(FieldError::invalid(
            node.span.clone(),
            format!(
                "`{key}` must be a level from 1 to {MAX_LEVEL}, found `{}`",
                excerpt(&reader::scalar_text(node).unwrap_or_else(|| node.kind().to_owned()))
            ),
        )),
    }
}

/// A requirement id the mapping lists, as its index.
fn requirement(key: &str, node: &Node, mapping: &Mapping) -> Result<Spanned<usize>, FieldError> {
    let id = reader::text(key, node)?;
    let written = id.value.trim();
    match mapping.requirement(written) {
        Some(value) => Ok(Spanned {
            value,
            span: id.span,
        }),
        None => {
            let close = mapping.suggestions(written);
            let hint = if close.is_empty() {
                " (list it under `requirements` with its title)".to_owned()
            } else {
                format!(": did you mean {}?", quoted(&close))
            };
            Err(FieldError::invalid(
                id.span,
                format!(
                    "requirement `{}` is not listed under `requirements`{hint}",
                    excerpt(written)
                ),
            ))
        }
    }
}

fn role(key: &str, node: &Node) -> Result<Role, FieldError> {
    let text = reader::text(key, node)?;
    Role::ALL
        .into_iter()
        .find(|r| r.name() == text.value.trim())
        .ok_or_else(|| {
            FieldError::invalid(
                text.span,
                format!(
                    "role `{}` does not exist: use `supports` or `satisfies`",
                    excerpt(&text.value)
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_framework_name_matches_without_case_and_with_any_white_space_between_its_words() {
        use super::strip_name;
        assert_eq!(strip_name("IEC 62443 SR 9", "IEC 62443"), Some(" SR 9"));
        assert_eq!(strip_name("iec 62443 SR 9", "IEC 62443"), Some(" SR 9"));
        assert_eq!(strip_name("IEC  62443: SR 9", "IEC 62443"), Some(": SR 9"));
        assert_eq!(strip_name("IEC\t62443", "IEC  62443"), Some(""));
        assert_eq!(strip_name("IEC62443 SR 9", "IEC 62443"), None);
        assert_eq!(strip_name("IEC 6244", "IEC 62443"), None);
        assert_eq!(
            strip_name("IEC 62443-2-1 SR 9", "IEC 62443"),
            Some("-2-1 SR 9")
        );
        assert_eq!(strip_name("Ünï X", "üNÏ"), Some(" X"));
    }

    use super::*;

    fn parse_text(text: &str) -> (Option<Mapping>, Vec<(usize, String)>) {
        let catalogue = Catalogue::builtin().expect("catalogue");
        let file = SourceFile::new("m.yaml".to_owned(), text.to_owned());
        let mut out = Vec::new();
        let mapping = parse(&file, "m.yaml".to_owned(), &catalogue, &mut out);
        let found = out
            .iter()
            .map(|d| (file.position(d.span.start).line, d.message.clone()))
            .collect();
        (mapping, found)
    }

    #[test]
    fn the_builtin_example_parses_without_findings() {
        let text = builtin_text("example").expect("built in");
        let (mapping, found) = parse_text(text);
        assert_eq!(found, Vec::new());
        let mapping = mapping.expect("mapping");
        assert_eq!(mapping.framework, "EXAMPLE-PSB");
        assert!(mapping.relations.len() > 10);
    }

    #[test]
    fn citations_need_the_framework_then_a_separator() {
        let text = builtin_text("example").expect("built in");
        let mapping = parse_text(text).0.expect("mapping");
        let gov = mapping.requirement("GOV-01").expect("listed");
        assert_eq!(
            mapping.cites("EXAMPLE-PSB GOV-01"),
            Some(Citation::Requirement(gov))
        );
        assert_eq!(
            mapping.cites("EXAMPLE-PSB: GOV-01"),
            Some(Citation::Requirement(gov))
        );
        assert_eq!(mapping.cites("EXAMPLE-PSB"), Some(Citation::Framework));
        assert_eq!(
            mapping.cites("EXAMPLE-PSB GOV-1"),
            Some(Citation::Unknown("GOV-1"))
        );
        assert_eq!(mapping.cites("EXAMPLE-PSBX GOV-01"), None);
        assert_eq!(mapping.cites("IEC 62443-3-2"), None);
    }

    #[test]
    fn a_level_relates_at_and_above_it() {
        let text = builtin_text("example").expect("built in");
        let mapping = parse_text(text).0.expect("mapping");
        let catalogue = Catalogue::builtin().expect("catalogue");
        let tm = catalogue.find("threat-modeling").expect("practice").index;
        let ids = |level| -> Vec<&str> {
            mapping
                .related(tm, level)
                .iter()
                .map(|r| mapping.requirements[r.requirement].id.as_str())
                .collect()
        };
        assert_eq!(ids(0), Vec::<&str>::new());
        assert_eq!(ids(1), vec!["RSK-01"]);
        assert_eq!(ids(3), vec!["RSK-01", "RSK-01", "RSK-02"]);
    }
}
