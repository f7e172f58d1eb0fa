//! Typed reading of a YAML [`Node`] tree, keeping spans and collecting every problem.
//!
//! Used for documents, catalogue files and rule docs alike, so a wrong type reads the same
//! wherever it occurs.

use crate::date::Date;
use crate::text::excerpt;
use crate::yaml::{Node, Spanned, Value};
use std::ops::Range;

/// A problem found while reading a node.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldError {
    /// Wrong type or impossible value.
    Invalid { span: Range<usize>, message: String },
    /// A key the schema does not know (the candidates it could have meant).
    UnknownKey {
        span: Range<usize>,
        key: String,
        allowed: Vec<&'static str>,
    },
    /// A key we need is absent and an unknown key close to it carries a value: the one
    /// misspelling, reported at the misspelt key.
    Misspelt {
        span: Range<usize>,
        written: String,
        meant: String,
    },
}

impl FieldError {
    pub(crate) fn invalid(span: Range<usize>, message: impl Into<String>) -> FieldError {
        FieldError::Invalid {
            span,
            message: message.into(),
        }
    }
}

/// Reads a mapping key by key; afterwards, [`MapReader::unknown_keys`] lists what was not read.
pub(crate) struct MapReader<'a> {
    pub(crate) node: &'a Node,
    entries: &'a [(Node, Node)],
    used: Vec<bool>,
}

impl<'a> MapReader<'a> {
    /// `what` names the mapping in the message when the node is not one.
    pub(crate) fn new(node: &'a Node, what: &str) -> Result<MapReader<'a>, FieldError> {
        match &node.value {
            Value::Map(entries) => Ok(MapReader {
                node,
                entries,
                used: vec![false; entries.len()],
            }),
            _ => Err(FieldError::invalid(
                node.span.clone(),
                format!(
                    "{what} must be a mapping of keys to values, found {}",
                    node.kind()
                ),
            )),
        }
    }

    /// The key and value for `key`, marking it read.
    pub(crate) fn get(&mut self, key: &str) -> Option<(&'a Node, &'a Node)> {
        let i = self
            .entries
            .iter()
            .position(|(k, _)| k.as_str() == Some(key))?;
        self.used[i] = true;
        let (k, v) = &self.entries[i];
        Some((k, v))
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k.as_str() == Some(key))
    }

    /// Keys never asked for, as (key text, span). Non-string keys are shown as written.
    pub(crate) fn unknown_keys(&self) -> Vec<(String, Range<usize>)> {
        self.entries
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|((k, _), _)| {
                (
                    scalar_text(k).unwrap_or_else(|| k.kind().to_owned()),
                    k.span.clone(),
                )
            })
            .collect()
    }

    /// Reports every unread key against the `allowed` list.
    pub(crate) fn unknown_key_errors(&self, allowed: &[&'static str]) -> Vec<FieldError> {
        self.unknown_keys()
            .into_iter()
            .map(|(key, span)| FieldError::UnknownKey {
                span,
                key,
                allowed: allowed.to_vec(),
            })
            .collect()
    }

    /// An unread key close enough to `key` to be its misspelling, marked read so that it is
    /// not reported a second time as unknown.
    pub(crate) fn take_misspelling(&mut self, key: &str) -> Option<(String, Range<usize>)> {
        let unread: Vec<(usize, String)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.used[*i])
            .filter_map(|(i, (k, _))| k.as_str().map(|s| (i, s.to_owned())))
            .collect();
        let names: Vec<&str> = unread.iter().map(|(_, s)| s.as_str()).collect();
        let closest = similar::get_close_matches(key, &names, 1, MISSPELLING_CUTOFF);
        let written = closest.first()?;
        let (i, _) = unread.iter().find(|(_, s)| s == written)?;
        self.used[*i] = true;
        Some(((*written).to_owned(), self.entries[*i].0.span.clone()))
    }

    /// The span to point at when a required key is missing: the first key of the mapping.
    pub(crate) fn anchor_span(&self) -> Range<usize> {
        self.entries
            .first()
            .map_or(self.node.span.clone(), |(k, _)| k.span.clone())
    }
}

/// A scalar's text: strings as they are, numbers and booleans as YAML wrote them.
pub(crate) fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(n) => Some(n.to_string()),
        Value::Float(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
    }
}

/// A non-empty text value; numbers and booleans are accepted as their text.
pub(crate) fn text(key: &str, node: &Node) -> Result<Spanned<String>, FieldError> {
    match scalar_text(node) {
        Some(s) if !s.trim().is_empty() => Ok(Spanned {
            value: s,
            span: node.span.clone(),
        }),
        Some(_) => Err(FieldError::invalid(
            node.span.clone(),
            format!("`{key}` is empty"),
        )),
        None if node.value == Value::Null => Err(FieldError::invalid(
            node.span.clone(),
            format!("`{key}` has no value"),
        )),
        None => Err(FieldError::invalid(
            node.span.clone(),
            format!("`{key}` must be text, found {}", node.kind()),
        )),
    }
}

pub(crate) fn date(key: &str, node: &Node) -> Result<Spanned<Date>, FieldError> {
    let raw = text(key, node)?;
    Date::parse(raw.value.trim())
        .map(|value| Spanned {
            value,
            span: raw.span.clone(),
        })
        .map_err(|m| FieldError::invalid(raw.span, format!("`{key}`: {}", excerpt(&m))))
}

pub(crate) fn boolean(key: &str, node: &Node) -> Result<Spanned<bool>, FieldError> {
    match node.value {
        Value::Bool(b) => Ok(Spanned {
            value: b,
            span: node.span.clone(),
        }),
        _ => Err(FieldError::invalid(
            node.span.clone(),
            format!("`{key}` must be true or false, found {}", node.kind()),
        )),
    }
}

/// The items of a list; `null` (an empty key) counts as an empty list.
pub(crate) fn list<'a>(key: &str, node: &'a Node) -> Result<&'a [Node], FieldError> {
    match &node.value {
        Value::Seq(items) => Ok(items),
        Value::Null => Ok(&[]),
        _ => Err(FieldError::invalid(
            node.span.clone(),
            format!("`{key}` must be a list, found {}", node.kind()),
        )),
    }
}

/// Reads an optional key with `read`, pushing any error to `errors`.
pub(crate) fn optional<'a, T>(
    map: &mut MapReader<'a>,
    key: &str,
    errors: &mut Vec<FieldError>,
    read: impl FnOnce(&str, &'a Node) -> Result<T, FieldError>,
) -> Option<T> {
    let (_, value) = map.get(key)?;
    read(key, value).map_err(|e| errors.push(e)).ok()
}

/// How close an unknown key must be to a missing one to be read as its misspelling (the cutoff
/// unknown-key suggestions use).
const MISSPELLING_CUTOFF: f32 = 0.8;

/// The error for an absent key: its misspelling when one is there, else "missing".
pub(crate) fn missing(map: &mut MapReader<'_>, key: &str) -> FieldError {
    misspelling(map, key)
        .unwrap_or_else(|| FieldError::invalid(map.anchor_span(), format!("missing `{key}`")))
}

/// The misspelling of an absent `key`, when an unread key is close enough to be one.
pub(crate) fn misspelling(map: &mut MapReader<'_>, key: &str) -> Option<FieldError> {
    let (written, span) = map.take_misspelling(key)?;
    Some(FieldError::Misspelt {
        span,
        written,
        meant: key.to_owned(),
    })
}

/// Like [`optional`], but a missing key is an error pointing at `map`'s first key.
pub(crate) fn required<'a, T>(
    map: &mut MapReader<'a>,
    key: &str,
    errors: &mut Vec<FieldError>,
    read: impl FnOnce(&str, &'a Node) -> Result<T, FieldError>,
) -> Option<T> {
    if !map.has(key) {
        errors.push(missing(map, key));
        return None;
    }
    optional(map, key, errors, read)
}
