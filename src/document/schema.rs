//! The front matter of our two document kinds, read from a [`Node`] tree with spans.
//!
//! Reading never stops at the first problem: every wrong value becomes a [`FieldError`] and is
//! left out (`None`), so later checks run on what is valid and nothing cascades.

use crate::date::Date;
use crate::model::level::Level;
use crate::text::excerpt;
use crate::yaml::Spanned;
use crate::yaml::reader::{self, FieldError, MapReader};
use crate::yaml::{Node, Value};
use std::ops::Range;

pub(crate) const PROFILE_KEYS: &[&str] = &[
    "profile", "model", "system", "industry", "owner", "targets", "waivers", "approved", "mappings",
];
pub(crate) const PRACTICE_KEYS: &[&str] = &[
    "practice",
    "current",
    "assessed",
    "assessor",
    "applicable",
    "rationale",
    "plan",
    "evidence",
    "waivers",
];
const EVIDENCE_KEYS: &[&str] = &[
    "path",
    "url",
    "kind",
    "reviewed",
    "sha256",
    "standard",
    "note",
    "indicators",
];
const PLAN_KEYS: &[&str] = &["level", "due", "action", "owner"];
const WAIVER_KEYS: &[&str] = &["rule", "reason", "expires"];
const APPROVAL_KEYS: &[&str] = &["by", "date", "targets"];
/// The longest approver name `approved.by` may hold, in characters.
pub(crate) const MAX_APPROVER_CHARS: usize = 200;
/// How the hash of the approved targets is written: this prefix, then 64 lowercase hex digits.
pub(crate) const TARGETS_HASH_PREFIX: &str = "sha256:";

#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) id: Spanned<String>,
    /// `None` when the value is not a valid level (already reported).
    pub(crate) level: Option<Spanned<Level>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Waiver {
    pub(crate) span: Range<usize>,
    pub(crate) rule: Option<Spanned<String>>,
    pub(crate) reason: Option<Spanned<String>>,
    pub(crate) expires: Option<Spanned<Date>>,
    /// Keys absent or left empty (an invalid value is a schema error instead).
    pub(crate) missing: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct ProfileFront {
    pub(crate) id: Spanned<String>,
    pub(crate) model: Option<Spanned<String>>,
    pub(crate) system: Option<Spanned<String>>,
    pub(crate) industry: Option<Spanned<String>>,
    pub(crate) owner: Option<Spanned<String>>,
    /// The span of the `targets` key, when present.
    pub(crate) targets_key: Option<Range<usize>>,
    pub(crate) targets: Vec<Target>,
    /// Set when some of `targets` could not be read (not a mapping, an id that is not text):
    /// that error is the finding, and the targets have no canonical form until it is fixed.
    pub(crate) targets_unread: bool,
    pub(crate) waivers: Vec<Waiver>,
    /// The span of the `approved` key, when present (valid or not).
    pub(crate) approved_key: Option<Range<usize>>,
    /// The sign-off on the targets; `None` when absent or not valid (already reported).
    pub(crate) approval: Option<Approval>,
    /// The crosswalks selected with `mappings:` (paths relative to the profile, or
    /// `builtin:NAME`), as written.
    pub(crate) mappings: Vec<Spanned<String>>,
}

/// `approved: {by, date, targets}`: who signed off the targets, when, and the hash of the
/// canonical form of the targets they saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Approval {
    pub(crate) by: Spanned<String>,
    pub(crate) date: Spanned<Date>,
    /// `sha256:` and 64 lowercase hex digits, as written.
    pub(crate) targets: Spanned<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Locator {
    Path(Spanned<String>),
    Url(Spanned<String>),
}

#[derive(Debug, Clone)]
pub(crate) struct Evidence {
    /// The item's first key, for labels about the item as a whole.
    pub(crate) span: Range<usize>,
    pub(crate) locator: Option<Locator>,
    pub(crate) kind: Option<Spanned<String>>,
    pub(crate) reviewed: Option<Spanned<Date>>,
    pub(crate) sha256: Option<Spanned<String>>,
    /// The `sha256` key's span and its value as written, valid or not: `pin` replaces an
    /// invalid pin in place instead of adding a second key.
    /// Boxed: rarely present, and every evidence item of a tree is held to the end of a run.
    pub(crate) sha256_written: Option<Box<(Range<usize>, Node)>>,
    pub(crate) standard: Option<Spanned<String>>,
    pub(crate) note: Option<Spanned<String>>,
    /// The catalogue's indicators of accomplishment the item shows, as written; whether each
    /// is an indicator of the practice is checked against the profile's catalogue.
    pub(crate) indicators: Vec<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub(crate) struct PlanItem {
    pub(crate) span: Range<usize>,
    pub(crate) level: Option<Spanned<Level>>,
    pub(crate) due: Option<Spanned<Date>>,
    pub(crate) action: Option<Spanned<String>>,
    pub(crate) owner: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct PracticeFront {
    pub(crate) practice: Spanned<String>,
    pub(crate) current: Option<Spanned<Level>>,
    pub(crate) assessed: Option<Spanned<Date>>,
    pub(crate) applicable: Option<Spanned<bool>>,
    pub(crate) rationale: Option<Spanned<String>>,
    pub(crate) plan: Vec<PlanItem>,
    pub(crate) evidence: Vec<Evidence>,
    /// Set when some evidence could not be read (a misspelt `evidence` key, a value that is not
    /// a list, an item with a wrong value): that error is the finding, and whether the evidence
    /// suffices is not judged until it is fixed.
    pub(crate) evidence_unread: bool,
    pub(crate) waivers: Vec<Waiver>,
    pub(crate) assessor: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub enum Front {
    Profile(ProfileFront),
    Practice(PracticeFront),
}

/// Problems found while reading; `top_level_unknown` are unknown top-level keys, which are
/// only worth reporting when close to one of ours (docs sites add their own keys).
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub(crate) errors: Vec<FieldError>,
    pub(crate) top_level_unknown: Vec<FieldError>,
}

/// Reads our front matter from the root mapping; `None` when it carries neither marker key.
pub(crate) fn read(root: &Node, kinds: &[String], problems: &mut Problems) -> Option<Front> {
    let mut map = MapReader::new(root, "the front matter").ok()?;
    let errors = &mut problems.errors;
    let front = if map.has("profile") {
        if let Some((k, _)) = map.get("practice") {
            errors.push(FieldError::invalid(
                k.span.clone(),
                "a document is either a profile (`profile:`) or a practice (`practice:`), not both",
            ));
            return None;
        }
        let id = reader::required(&mut map, "profile", errors, reader::text)?;
        Front::Profile(read_profile(id, &mut map, errors))
    } else if map.has("practice") {
        let id = reader::required(&mut map, "practice", errors, reader::text)?;
        Front::Practice(read_practice(id, &mut map, kinds, errors))
    } else {
        return None;
    };
    let allowed = match front {
        Front::Profile(_) => PROFILE_KEYS,
        Front::Practice(_) => PRACTICE_KEYS,
    };
    problems.top_level_unknown = map.unknown_key_errors(allowed);
    Some(front)
}

fn read_profile(
    id: Spanned<String>,
    map: &mut MapReader<'_>,
    errors: &mut Vec<FieldError>,
) -> ProfileFront {
    let model = reader::optional(map, "model", errors, reader::text);
    let system = reader::optional(map, "system", errors, reader::text);
    let industry = reader::optional(map, "industry", errors, reader::text);
    let owner = reader::optional(map, "owner", errors, reader::text);
    let mut targets = Vec::new();
    let mut targets_key = None;
    let errors_before = errors.len();
    if let Some((key, value)) = map.get("targets") {
        targets_key = Some(key.span.clone());
        match &value.value {
            Value::Map(entries) => targets = read_targets(entries, errors),
            Value::Null => {}
            _ => errors.push(FieldError::invalid(
                value.span.clone(),
                format!(
                    "`targets` must be a mapping of ids to levels, found {}",
                    value.kind()
                ),
            )),
        }
    }
    // Each invalid level is one error and a target without a level; any other error is a
    // value left out of `targets` altogether.
    let invalid_levels = targets.iter().filter(|t| t.level.is_none()).count();
    let targets_unread = errors.len() - errors_before > invalid_levels;
    let waivers = read_waivers(map, errors);
    let approved_key = map.get("approved").map(|(k, _)| k.span.clone());
    let approval = read_approval(map, errors);
    let mappings = reader::optional(map, "mappings", errors, reader::list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|n| reader::text("mappings", n).map_err(|e| errors.push(e)).ok())
        .collect();
    ProfileFront {
        mappings,
        id,
        model,
        system,
        industry,
        owner,
        targets_key,
        targets,
        targets_unread,
        waivers,
        approved_key,
        approval,
    }
}

/// The `approved` mapping; every key is required and nothing else is allowed, so that a
/// sign-off reads one way only.
fn read_approval(map: &mut MapReader<'_>, errors: &mut Vec<FieldError>) -> Option<Approval> {
    let (_, value) = map.get("approved")?;
    let mut m = MapReader::new(value, "`approved`")
        .map_err(|e| errors.push(e))
        .ok()?;
    let by = reader::required(&mut m, "by", errors, |_, n| approver(n));
    let date = reader::required(&mut m, "date", errors, |_, n| {
        reader::date("approved.date", n)
    });
    let targets = reader::required(&mut m, "targets", errors, |_, n| targets_hash(n));
    errors.extend(m.unknown_key_errors(APPROVAL_KEYS));
    Some(Approval {
        by: by?,
        date: date?,
        targets: targets?,
    })
}

/// Why `name` cannot be an approver's name, if it cannot: it must be one line of visible text,
/// without surrounding spaces, of at most [`MAX_APPROVER_CHARS`] characters.
pub(crate) fn approver_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        Some("the approver's name is empty".to_owned())
    } else if name.chars().any(crate::text::is_unsafe) {
        Some("the approver's name holds a line break or a control character".to_owned())
    } else if name.trim() != name {
        Some("the approver's name starts or ends with a space".to_owned())
    } else if name.chars().count() > MAX_APPROVER_CHARS {
        Some(format!(
            "the approver's name is longer than {MAX_APPROVER_CHARS} characters"
        ))
    } else {
        None
    }
}

fn approver(node: &Node) -> Result<Spanned<String>, FieldError> {
    let name = reader::text("approved.by", node)?;
    match approver_problem(&name.value) {
        Some(why) => Err(FieldError::invalid(
            name.span,
            format!("`approved.by`: {why}"),
        )),
        None => Ok(name),
    }
}

/// Whether `text` is written as an approval's targets hash: `sha256:` and 64 lowercase hex
/// digits.
pub(crate) fn is_targets_hash(text: &str) -> bool {
    text.strip_prefix(TARGETS_HASH_PREFIX).is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

fn targets_hash(node: &Node) -> Result<Spanned<String>, FieldError> {
    let hash = reader::text("approved.targets", node)?;
    if is_targets_hash(&hash.value) {
        return Ok(hash);
    }
    Err(FieldError::invalid(
        hash.span,
        format!(
            "`approved.targets` must be `{TARGETS_HASH_PREFIX}` followed by 64 lowercase hexadecimal digits, found `{}`",
            excerpt(&hash.value)
        ),
    ))
}

fn read_targets(entries: &[(Node, Node)], errors: &mut Vec<FieldError>) -> Vec<Target> {
    let mut targets = Vec::new();
    for (k, v) in entries {
        let Ok(id) = reader::text("target id", k).map_err(|e| errors.push(e)) else {
            continue;
        };
        let key = format!("targets.{}", excerpt(&id.value));
        let level = level(&key, v, true).map_err(|e| errors.push(e)).ok();
        targets.push(Target { id, level });
    }
    targets
}

fn read_practice(
    practice: Spanned<String>,
    map: &mut MapReader<'_>,
    kinds: &[String],
    errors: &mut Vec<FieldError>,
) -> PracticeFront {
    let applicable = reader::optional(map, "applicable", errors, reader::boolean);
    // A practice that does not apply has no state to assess.
    let applies = applicable.as_ref().is_none_or(|a| a.value);
    let read_current = |k: &str, n: &Node| level(k, n, false);
    let (current, assessed) = if applies {
        (
            reader::required(map, "current", errors, read_current),
            reader::required(map, "assessed", errors, reader::date),
        )
    } else {
        (
            reader::optional(map, "current", errors, read_current),
            reader::optional(map, "assessed", errors, reader::date),
        )
    };
    let assessor = reader::optional(map, "assessor", errors, reader::text);
    let rationale = reader::optional(map, "rationale", errors, reader::text);
    let plan = items(
        map,
        "plan",
        errors,
        |m, errors| PlanItem {
            span: m.anchor_span(),
            level: reader::required(m, "level", errors, |k, n| level(k, n, false)),
            due: reader::required(m, "due", errors, reader::date),
            action: reader::optional(m, "action", errors, reader::text),
            owner: free_text(m, "owner"),
        },
        PLAN_KEYS,
        &[],
    );
    let misspelt_evidence = !map.has("evidence")
        && reader::misspelling(map, "evidence")
            .map(|e| errors.push(e))
            .is_some();
    let errors_before = errors.len();
    let evidence = items(
        map,
        "evidence",
        errors,
        |m, errors| read_evidence(m, kinds, errors),
        EVIDENCE_KEYS,
        &[],
    );
    let evidence_unread = misspelt_evidence
        || errors[errors_before..]
            .iter()
            .any(|e| !matches!(e, FieldError::UnknownKey { .. }));
    let waivers = read_waivers(map, errors);
    PracticeFront {
        practice,
        current,
        assessed,
        applicable,
        rationale,
        plan,
        evidence,
        evidence_unread,
        waivers,
        assessor,
    }
}

/// A free-text key that no check has ever read (`note`, a plan item's `owner`): taken for the
/// reports when it is text, else left out without a finding, as before it was shown.
fn free_text(m: &mut MapReader<'_>, key: &str) -> Option<Spanned<String>> {
    let (_, value) = m.get(key)?;
    reader::text(key, value).ok()
}

fn read_evidence(
    m: &mut MapReader<'_>,
    kinds: &[String],
    errors: &mut Vec<FieldError>,
) -> Evidence {
    let path = reader::optional(m, "path", errors, reader::text);
    let url = reader::optional(m, "url", errors, reader::text);
    let locator = match (path, url) {
        (Some(p), Some(u)) => {
            errors.push(FieldError::invalid(
                u.span,
                "an evidence item has either `path` or `url`, not both",
            ));
            Some(Locator::Path(p))
        }
        (Some(p), None) => Some(Locator::Path(p)),
        (None, Some(u)) if !(u.value.starts_with("https://") || u.value.starts_with("http://")) => {
            errors.push(FieldError::invalid(
                u.span,
                format!(
                    "`url` must start with https:// or http://, found `{}`",
                    excerpt(&u.value)
                ),
            ));
            None
        }
        (None, Some(u)) => Some(Locator::Url(u)),
        (None, None) => {
            if !m.has("path") && !m.has("url") {
                errors.push(FieldError::invalid(
                    m.anchor_span(),
                    "an evidence item needs a `path` or a `url`",
                ));
            }
            None
        }
    };
    let kind = reader::required(m, "kind", errors, reader::text).and_then(|k| {
        if kinds.contains(&k.value) {
            return Some(k);
        }
        let names: Vec<&str> = kinds.iter().map(String::as_str).collect();
        errors.push(FieldError::invalid(
            k.span,
            format!(
                "evidence kind `{}` does not exist: use one of {}",
                excerpt(&k.value),
                names.join(", ")
            ),
        ));
        None
    });
    let reviewed = reader::optional(m, "reviewed", errors, reader::date);
    let sha256_written = m
        .get("sha256")
        .map(|(k, v)| Box::new((k.span.clone(), v.clone())));
    let sha256 = reader::optional(m, "sha256", errors, reader::text).and_then(|s| {
        let v = s.value.trim();
        if v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()) {
            return Some(s);
        }
        errors.push(FieldError::invalid(
            s.span,
            "`sha256` must be 64 hexadecimal digits",
        ));
        None
    });
    let standard = reader::optional(m, "standard", errors, reader::text);
    let note = free_text(m, "note");
    let indicators = reader::optional(m, "indicators", errors, reader::list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|n| {
            reader::text("indicators", n)
                .map_err(|e| errors.push(e))
                .ok()
        })
        .collect();
    Evidence {
        span: m.anchor_span(),
        locator,
        kind,
        reviewed,
        sha256,
        sha256_written,
        standard,
        note,
        indicators,
    }
}

fn read_waivers(map: &mut MapReader<'_>, errors: &mut Vec<FieldError>) -> Vec<Waiver> {
    items(
        map,
        "waivers",
        errors,
        |m, errors| {
            let mut missing = Vec::new();
            let rule = waiver_text(m, "rule", errors, &mut missing);
            let reason = waiver_text(m, "reason", errors, &mut missing);
            let expires = waiver_text(m, "expires", errors, &mut missing).and_then(|e| {
                Date::parse(e.value.trim())
                    .map(|value| Spanned {
                        value,
                        span: e.span.clone(),
                    })
                    .map_err(|msg| {
                        errors.push(FieldError::invalid(
                            e.span,
                            format!("`expires`: {}", excerpt(&msg)),
                        ))
                    })
                    .ok()
            });
            Waiver {
                span: m.anchor_span(),
                rule,
                reason,
                expires,
                missing,
            }
        },
        WAIVER_KEYS,
        &[],
    )
}

/// A waiver's text field. Absent or empty is recorded in `missing` (waiver-invalid reports
/// it); a value of the wrong type is a schema error.
fn waiver_text(
    m: &mut MapReader<'_>,
    key: &'static str,
    errors: &mut Vec<FieldError>,
    missing: &mut Vec<&'static str>,
) -> Option<Spanned<String>> {
    let Some((_, value)) = m.get(key) else {
        missing.push(key);
        return None;
    };
    let empty = value.value == Value::Null
        || reader::scalar_text(value).is_some_and(|t| t.trim().is_empty());
    if empty {
        missing.push(key);
        return None;
    }
    reader::text(key, value).map_err(|e| errors.push(e)).ok()
}

/// Reads a list of mappings with `read`; `ignored` are known keys that need no checking.
fn items<T>(
    map: &mut MapReader<'_>,
    key: &str,
    errors: &mut Vec<FieldError>,
    read: impl Fn(&mut MapReader<'_>, &mut Vec<FieldError>) -> T,
    allowed: &[&'static str],
    ignored: &[&str],
) -> Vec<T> {
    let Some(list) = reader::optional(map, key, errors, reader::list) else {
        return Vec::new();
    };
    let what = format!("each item of `{key}`");
    // Sized to the list: every document of a tree is held to the end of the run, and a list
    // grown by pushing keeps up to twice its items (four for a one-item list).
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        let Ok(mut m) = MapReader::new(item, &what).map_err(|e| errors.push(e)) else {
            continue;
        };
        let value = read(&mut m, errors);
        for k in ignored {
            m.get(k);
        }
        errors.extend(m.unknown_key_errors(allowed));
        out.push(value);
    }
    out
}

/// A `LEVEL/SCOPE` value; `allow_plus` is false for practices and current states.
fn level(key: &str, node: &Node, allow_plus: bool) -> Result<Spanned<Level>, FieldError> {
    if let Value::Int(n) = node.value {
        return Err(FieldError::invalid(
            node.span.clone(),
            format!("`{key}` needs a scope too: write it LEVEL/SCOPE, e.g. `{n}/general`"),
        ));
    }
    let raw = reader::text(key, node)?;
    let value = Level::parse(&raw.value).map_err(|m| FieldError::invalid(raw.span.clone(), m))?;
    if value.has_plus() && !allow_plus {
        return Err(FieldError::invalid(
            raw.span,
            format!(
                "`{}` carries a `+`, which only a domain or subdomain target may have; write `{}`",
                excerpt(&raw.value),
                value.base()
            ),
        ));
    }
    Ok(Spanned {
        value,
        span: raw.span,
    })
}
