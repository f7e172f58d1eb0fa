//! The only module that talks to the YAML crate (`serde-saphyr`).
//!
//! It turns YAML text into a tree of [`Node`]s that carry the byte span of every key and value,
//! so later stages can point a diagnostic at the exact token. `serde_yaml` is not used: it is
//! archived upstream and reports no position for a value that parsed fine.

pub mod frontmatter;
pub mod reader;

use serde::de::{Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_saphyr::MessageFormatter;
use std::fmt;
use std::ops::Range;

/// Hard limits against hostile input (documented in the README).
pub(crate) const MAX_DEPTH: usize = 32;
pub(crate) const MAX_NODES: usize = 100_000;
pub(crate) const MAX_ALIASES: usize = 1_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A YAML value and the byte span of its text (relative to the parsed text). Block collections
/// have an empty span at their first token.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset in the parsed text.
    pub offset: usize,
}

impl YamlError {
    /// What usually causes this error and how to fix it, for the errors a new user meets most.
    /// `text` is the text that was parsed.
    pub(crate) fn help(&self, text: &str) -> Option<&'static str> {
        let m = self.message.as_str();
        if m.contains("mapping values are not allowed") {
            Some(if at_first_key_colon(text, self.offset) {
                "this key is indented deeper than the line above allows: keys of one mapping start in the same column"
            } else {
                "a value that holds `: ` must be quoted: write it between single quotes ('…')"
            })
        } else if m.contains("unknown escape") {
            Some(
                "inside double quotes a `\\` starts an escape: use single quotes, and write paths with `/`",
            )
        } else if m.contains("did not find expected key") || m.contains("did not find expected '-'")
        {
            Some(
                "check the indentation here: items of one list or mapping start in the same column",
            )
        } else {
            None
        }
    }

    /// For a key written twice, the span of its first occurrence at the same indentation.
    pub(crate) fn first_of_duplicate(&self, text: &str) -> Option<Range<usize>> {
        let key = self
            .message
            .strip_prefix("the key `")?
            .strip_suffix("` appears twice")?;
        let line_start = text.get(..self.offset)?.rfind('\n').map_or(0, |i| i + 1);
        let indent = &text[line_start..self.offset];
        let indent = &indent[..indent.len() - indent.trim_start().len()];
        let wanted = format!("{indent}{key}:");
        let mut at = 0;
        for line in text[..line_start].split_inclusive('\n') {
            if line.starts_with(&wanted) {
                let start = at + indent.len();
                return Some(start..start + key.len());
            }
            at += line.len();
        }
        None
    }
}

/// Whether `offset` is the colon that ends the first key of its line (an over-indented key),
/// rather than a later colon inside a value.
fn at_first_key_colon(text: &str, offset: usize) -> bool {
    let line_start = text
        .get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    text.get(line_start..)
        .and_then(|line| line.find(':'))
        .is_some_and(|i| line_start + i == offset)
}

impl Node {
    pub(crate) fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Shifts every span by `by` bytes (front matter offset inside the file).
    pub(crate) fn shift(&mut self, by: usize) {
        self.span = self.span.start + by..self.span.end + by;
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.shift(by)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.shift(by);
                v.shift(by);
            }),
            _ => {}
        }
    }
}

/// Parses one YAML document. An empty text is `Null`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            span: 0..0,
        });
    }
    serde_saphyr::from_str_with_options::<Node>(text, options()).map_err(|e| to_error(text, &e))
}

/// Deserializes a typed value (configuration, built-in data) with the same limits.
pub(crate) fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| to_error(text, &e))
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_aliases: MAX_ALIASES,
            max_documents: 1,
        },
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        with_snippet: false,
    }
}

fn to_error(text: &str, err: &serde_saphyr::Error) -> YamlError {
    let message = serde_saphyr::DefaultMessageFormatter.format_message(err);
    let message: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let message = plain_message(message);
    let offset = err.location().map_or(0, |loc| {
        loc.span()
            .byte_offset()
            .map(|o| o as usize)
            .filter(|&o| o <= text.len())
            .unwrap_or_else(|| offset_of(text, loc.line() as usize, loc.column() as usize))
    });
    let offset = if message.contains("tab") {
        first_at_or_after(text, offset, '\t')
    } else if message.contains("unknown escape") {
        first_at_or_after(text, offset, '\\')
    } else if message.contains("did not find expected key") {
        line_indent_end(text, offset)
    } else {
        offset
    };
    YamlError { message, offset }
}

/// The parser reports a tab where the token before it ended (often on the line above) and a bad
/// escape at the opening quote; the cause is the tab or the backslash itself, so the error
/// points at the first one from the start of the reported line on.
fn first_at_or_after(text: &str, offset: usize, cause: char) -> usize {
    let line_start = text
        .get(..offset)
        .unwrap_or("")
        .rfind('\n')
        .map_or(0, |i| i + 1);
    text[line_start..]
        .find(cause)
        .map_or(offset, |i| line_start + i)
}

/// The parser reports a line that breaks the indentation at its first key, after any `- `; the
/// cause is where the line starts, so the error points at its first character.
fn line_indent_end(text: &str, offset: usize) -> usize {
    let line_start = text
        .get(..offset)
        .unwrap_or("")
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = &text[line_start..offset.min(text.len()).max(line_start)];
    line_start + (line.len() - line.trim_start().len())
}

/// Our limits in our words; the crate's own wording names its internal budget fields.
fn plain_message(message: String) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return format!("the key `{key}` appears twice");
    }
    if message.contains("tab") {
        return format!("{message} (indent YAML with spaces, not tabs)");
    }
    if message.contains("recursion limit") || message.contains("Depth") {
        format!("nested deeper than {MAX_DEPTH} levels")
    } else if message.contains("Nodes") {
        format!("expands to more than {MAX_NODES} values (aliases that repeat aliases?)")
    } else if message.contains("Aliases") || message.contains("alias") && message.contains("budget")
    {
        format!("uses more than {MAX_ALIASES} aliases")
    } else {
        message
    }
}

/// The byte offset of a 1-based line and column (in chars), clamped to the text: for the
/// parser's errors that carry no byte offset.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = text[start..].split('\n').next().unwrap_or("");
    start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i)
}

/// A value and the byte span of its text: read from a [`Node`] by [`reader`], or deserialized
/// by [`from_str`]. Two are equal, and ordered, by value alone: the span says where a value
/// was written, not what it is (so it can key a map).
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Range<usize>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let span = spanned.referenced.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        let len = span.byte_len().unwrap_or(0) as usize;
        Ok(Spanned {
            value: spanned.value,
            span: start..start + len,
        })
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T: Eq> Eq for Spanned<T> {}
impl<T: Ord> PartialOrd for Spanned<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Ord> Ord for Spanned<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

/// A YAML scalar for free text: plain when that is safe (and reads back as this very text),
/// else double-quoted.
pub(crate) fn quote(text: &str) -> String {
    let plain_safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " -_.,/()'".contains(c))
        && text.starts_with(|c: char| c.is_alphanumeric())
        && !text.ends_with(' ')
        && !matches!(
            text.to_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null" | "on" | "off"
        )
        && text.parse::<f64>().is_err()
        && matches!(parse(text), Ok(Node { value: Value::Str(s), .. }) if s == text);
    if plain_safe {
        return text.to_owned();
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<Value>::deserialize(d)?;
        let span = spanned.referenced.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        let len = span.byte_len().unwrap_or(0) as usize;
        Ok(Node {
            value: spanned.value,
            span: start..start + len,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Int(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(i64::try_from(n).map_or(Value::Float(n as f64), Value::Int))
    }
    fn visit_i128<E>(self, n: i128) -> Result<Value, E> {
        Ok(i64::try_from(n).map_or(Value::Float(n as f64), Value::Int))
    }
    fn visit_u128<E>(self, n: u128) -> Result<Value, E> {
        Ok(i64::try_from(n).map_or(Value::Float(n as f64), Value::Int))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Float(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }
    fn visit_bytes<E>(self, b: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(b).into_owned()))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            items.push(node);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Node, Node>()? {
            entries.push(entry);
        }
        Ok(Value::Map(entries))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A custom tag (`!foo bar`): keep the tag's variant name as the value.
        let (tag, _) = data.variant::<String>()?;
        Ok(Value::Str(tag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(node: &Node) -> &[(Node, Node)] {
        match &node.value {
            Value::Map(e) => e,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn spanned_values_compare_by_value_alone() {
        let at = |value: &str, span| Spanned {
            value: value.to_owned(),
            span,
        };
        assert_eq!(at("x", 0..1), at("x", 5..6));
        assert!(at("a", 9..10) < at("b", 0..1));
        let typed: std::collections::BTreeMap<Spanned<String>, Spanned<u32>> =
            from_str("b: 1\na: 2\n").expect("valid");
        let keys: Vec<_> = typed
            .keys()
            .map(|k| (k.value.as_str(), k.span.clone()))
            .collect();
        assert_eq!(keys, [("a", 5..6), ("b", 0..1)]);
    }

    #[test]
    fn a_line_and_column_count_chars_and_clamp_to_the_text() {
        // 'ç' is two bytes; 'd' is the second char of line 2.
        assert_eq!(offset_of("ab\nçd\n", 2, 2), 5);
        assert_eq!(offset_of("ab\nçd\n", 2, 9), 6);
        assert_eq!(offset_of("ab", 5, 1), 2);
    }

    #[test]
    fn strings_are_quoted_only_when_needed() {
        assert_eq!(quote("Demo gateway"), "Demo gateway");
        assert_eq!(quote("yes"), "\"yes\"");
        assert_eq!(quote("a: b"), "\"a: b\"");
        assert_eq!(quote("say \"hi\"\n#x"), "\"say \\\"hi\\\"\\n#x\"");
        assert_eq!(quote("2026"), "\"2026\"");
        assert_eq!(quote("1e400"), "\"1e400\"");
        assert_eq!(quote("0x1F"), "\"0x1F\"");
        assert_eq!(quote("0o17"), "\"0o17\"");
    }

    #[test]
    fn keys_and_values_carry_their_spans() {
        let text = "practice: patch-management\ncurrent: 2/general\n";
        let root = parse(text).expect("valid");
        let (k, v) = &entries(&root)[1];
        assert_eq!(&text[k.span.clone()], "current");
        assert_eq!(&text[v.span.clone()], "2/general");
    }

    #[test]
    fn errors_have_an_offset_inside_the_text() {
        let text = "a: [1, 2\nb: c\n";
        let err = parse(text).expect_err("invalid");
        assert!(err.offset <= text.len());
        assert!(!err.message.contains('\n'));
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for i in 1..12u8 {
            let (p, c) = ((b'a' + i - 1) as char, (b'a' + i) as char);
            bomb.push_str(&format!(
                "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
            ));
        }
        assert!(parse(&bomb).is_err());
        let deep = format!("a: {}{}", "[".repeat(5000), "]".repeat(5000));
        assert!(parse(&deep).is_err());
    }
}
