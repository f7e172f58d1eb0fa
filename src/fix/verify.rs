//! The proof a set of edits must pass before `--fix` or `pin` writes it: applied to the text in
//! memory, the document still parses with the loader's parser, gains no `front-matter-*`
//! finding, and every YAML value other than the ones edited reads exactly as before.

use crate::diagnostic::Edit;
use crate::document;
use crate::rules::Rule;
use crate::yaml::{self, frontmatter};
use std::ops::Range;
use std::path::Path;

/// What an edit means to the YAML tree.
#[derive(Debug, Clone)]
pub(crate) enum Change {
    /// The scalar written at `span` (a key or a value) now reads `value`.
    Replace {
        span: Range<usize>,
        value: yaml::Value,
    },
    /// New `key: value` entries in one mapping.
    Insert {
        entries: Vec<(yaml::Value, yaml::Value)>,
    },
}

/// The document as read, against which every candidate text is compared.
pub(crate) struct Baseline<'a> {
    text: &'a str,
    yaml: Range<usize>,
    tree: yaml::Node,
    /// Computed when a candidate first needs them: most refused edits never get that far.
    findings: std::cell::OnceCell<Vec<String>>,
    name: &'a str,
    kinds: &'a [String],
}

impl<'a> Baseline<'a> {
    /// `None` when the document has no front matter that parses: no fix is made to it.
    pub(crate) fn new(name: &'a str, text: &'a str, kinds: &'a [String]) -> Option<Baseline<'a>> {
        let (yaml, tree) = front_tree(text).ok()?;
        Some(Baseline {
            text,
            yaml,
            tree,
            findings: std::cell::OnceCell::new(),
            name,
            kinds,
        })
    }

    /// What `edit` means, or why it cannot be made safely whatever else is edited.
    pub(crate) fn meaning(&self, edit: &Edit) -> Result<Change, String> {
        if edit.span.start < self.yaml.start || edit.span.end > self.yaml.end {
            return Err("the fix lies outside the front matter".into());
        }
        if self.text.get(edit.span.clone()).is_none() {
            return Err("the fix does not fall on whole characters".into());
        }
        if edit.span.is_empty() {
            // `key:` with no value: the edit writes one right after the colon (`pin` fills an
            // empty `sha256:` this way); otherwise an insertion adds whole entries.
            if let Some(empty) = empty_value_after(&self.tree, self.text, edit.span.start) {
                return match yaml::parse(&edit.replacement) {
                    Ok(new) if is_scalar(&new.value) => Ok(Change::Replace {
                        span: empty.span.clone(),
                        value: new.value,
                    }),
                    _ => Err("the new text is not a single value".into()),
                };
            }
            return inserted_entries(&edit.replacement).map(|entries| Change::Insert { entries });
        }
        let Some((node, mapping)) = find(&self.tree, &edit.span) else {
            return Err("the fix does not cover exactly one value".into());
        };
        if spans_lines(self.text, &node.span) {
            return Err(
                "the value is written over several lines (a block or multi-line scalar); edit it by hand"
                    .into(),
            );
        }
        let value = match yaml::parse(&edit.replacement) {
            Ok(new) if is_scalar(&new.value) => new.value,
            _ => return Err("the new text is not a single value".into()),
        };
        if let Some(entries) = mapping {
            let mut keys = entries.iter().map(|(k, _)| k);
            if let Some(other) = keys.find(|k| k.span != node.span && same_value(&k.value, &value))
            {
                let line = line_of(self.text, other.span.start);
                return Err(format!(
                    "`{}` is already a key here, on line {line}; merge the two by hand",
                    crate::text::excerpt(&edit.replacement)
                ));
            }
        }
        Ok(Change::Replace {
            span: node.span.clone(),
            value,
        })
    }

    /// Why `after` (the text with `changes` applied) is not safe to write, if it is not.
    pub(crate) fn refute(&self, after: &str, changes: &[Change]) -> Option<String> {
        let tree = match front_tree(after) {
            Ok((_, tree)) => tree,
            Err(why) => return Some(why),
        };
        let replaced: Vec<(&Range<usize>, &yaml::Value)> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Replace { span, value } => Some((span, value)),
                Change::Insert { .. } => None,
            })
            .collect();
        let mut inserted: Vec<(yaml::Value, yaml::Value)> = changes
            .iter()
            .flat_map(|c| match c {
                Change::Insert { entries } => entries.clone(),
                Change::Replace { .. } => Vec::new(),
            })
            .collect();
        if !same_tree(&self.tree, &tree, &replaced, &mut inserted) || !inserted.is_empty() {
            return Some("it would change other values of the front matter".into());
        }
        let mut before = self
            .findings
            .get_or_init(|| front_matter_findings(self.name, self.text, self.kinds))
            .clone();
        for finding in front_matter_findings(self.name, after, self.kinds) {
            match before.iter().position(|b| *b == finding) {
                Some(i) => {
                    before.swap_remove(i);
                }
                None => return Some(format!("it would add the finding \"{finding}\"")),
            }
        }
        None
    }
}

/// Why `after` does not read as `before` with only the top-level `key` written anew (`approve`
/// replaces a whole mapping, which no scalar edit describes): every other entry of the front
/// matter must read the same, in the same order.
pub(crate) fn same_except_key(before: &str, after: &str, key: &str) -> Result<(), String> {
    let without_key = |text: &str| -> Result<yaml::Node, String> {
        let (_, mut tree) = front_tree(text)?;
        if let yaml::Value::Map(entries) = &mut tree.value {
            entries.retain(|(k, _)| k.as_str() != Some(key));
        }
        Ok(tree)
    };
    let (old, new) = (without_key(before)?, without_key(after)?);
    if same_tree(&old, &new, &[], &mut Vec::new()) {
        Ok(())
    } else {
        Err("it would change other values of the front matter".into())
    }
}

/// The front matter's byte range and its YAML tree (spans relative to the whole text).
fn front_tree(text: &str) -> Result<(Range<usize>, yaml::Node), String> {
    let frontmatter::Split::Fenced { yaml: range, .. } = frontmatter::split(text) else {
        return Err("the front matter would no longer be closed".into());
    };
    let mut tree = yaml::parse(&text[range.clone()])
        .map_err(|e| format!("the front matter would no longer parse: {}", e.message))?;
    tree.shift(range.start);
    Ok((range, tree))
}

/// The messages of the `front-matter-*` findings the loader's parser gives `text`.
fn front_matter_findings(name: &str, text: &str, kinds: &[String]) -> Vec<String> {
    document::parse(
        Path::new(name).to_path_buf(),
        name.to_owned(),
        text.as_bytes(),
        kinds,
    )
    .diagnostics
    .into_iter()
    .filter(|d| matches!(d.rule, Rule::FrontMatterSyntax | Rule::FrontMatterSchema))
    .map(|d| d.message)
    .collect()
}

/// The `key: value` entries an insertion adds (`pin` adds `sha256:` this way).
fn inserted_entries(text: &str) -> Result<Vec<(yaml::Value, yaml::Value)>, String> {
    let not_entries = || "the inserted text is not a `key: value` line".to_owned();
    let node = yaml::parse(text.trim_start_matches(['\r', '\n'])).map_err(|_| not_entries())?;
    let yaml::Value::Map(entries) = node.value else {
        return Err(not_entries());
    };
    entries
        .into_iter()
        .map(|(k, v)| {
            if is_scalar(&k.value) && is_scalar(&v.value) {
                Ok((k.value, v.value))
            } else {
                Err(not_entries())
            }
        })
        .collect()
}

/// The scalar node written at exactly `span`, with the entries of its mapping when it is a key.
fn find<'t>(node: &'t yaml::Node, span: &Range<usize>) -> Option<Found<'t>> {
    match &node.value {
        yaml::Value::Seq(items) => items.iter().find_map(|n| find(n, span)),
        yaml::Value::Map(entries) => entries.iter().find_map(|(k, v)| {
            if k.span == *span && is_scalar(&k.value) {
                return Some((k, Some(entries.as_slice())));
            }
            find(k, span).or_else(|| find(v, span))
        }),
        _ if node.span == *span => Some((node, None)),
        _ => None,
    }
}

/// The empty value of the mapping entry whose key ends with the colon just before `at`.
fn empty_value_after<'t>(node: &'t yaml::Node, text: &str, at: usize) -> Option<&'t yaml::Node> {
    match &node.value {
        yaml::Value::Seq(items) => items.iter().find_map(|n| empty_value_after(n, text, at)),
        yaml::Value::Map(entries) => entries.iter().find_map(|(k, v)| {
            let colon_only = k.span.end <= at
                && text
                    .get(k.span.end..at)
                    .is_some_and(|between| between.trim() == ":");
            if colon_only && v.value == yaml::Value::Null && v.span.is_empty() {
                return Some(v);
            }
            empty_value_after(v, text, at)
        }),
        _ => None,
    }
}

type Found<'t> = (&'t yaml::Node, Option<&'t [(yaml::Node, yaml::Node)]>);

/// Whether the scalar at `span` is written over several lines, or as a block scalar (`|`,
/// `>`), whose span starts at its first content line.
fn spans_lines(text: &str, span: &Range<usize>) -> bool {
    let Some(written) = text.get(span.clone()) else {
        return true;
    };
    let header = text[..span.start]
        .trim_end()
        .trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
    written.contains(['\n', '\r']) || header.ends_with('|') || header.ends_with('>')
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |t| t.bytes().filter(|&b| b == b'\n').count())
        + 1
}

fn is_scalar(value: &yaml::Value) -> bool {
    !matches!(value, yaml::Value::Seq(_) | yaml::Value::Map(_))
}

/// Scalars compared by what they read; NaN equals NaN (the same text read twice).
fn same_value(a: &yaml::Value, b: &yaml::Value) -> bool {
    match (a, b) {
        (yaml::Value::Float(x), yaml::Value::Float(y)) => x.to_bits() == y.to_bits() || x == y,
        (yaml::Value::Seq(_) | yaml::Value::Map(_), _) => false,
        _ => a == b,
    }
}

/// Whether `after` reads as `before` with the `replaced` scalars changed and the `inserted`
/// entries added (each used once, removed from the list as it is found). Spans are ignored.
fn same_tree(
    before: &yaml::Node,
    after: &yaml::Node,
    replaced: &[(&Range<usize>, &yaml::Value)],
    inserted: &mut Vec<(yaml::Value, yaml::Value)>,
) -> bool {
    match (&before.value, &after.value) {
        (yaml::Value::Seq(x), yaml::Value::Seq(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(a, b)| same_tree(a, b, replaced, inserted))
        }
        (yaml::Value::Map(x), yaml::Value::Map(y)) => {
            let mut next = 0;
            for (k, v) in y {
                if let Some((bk, bv)) = x.get(next) {
                    let mut trial = inserted.clone();
                    if same_tree(bk, k, replaced, &mut trial)
                        && same_tree(bv, v, replaced, &mut trial)
                    {
                        *inserted = trial;
                        next += 1;
                        continue;
                    }
                }
                let Some(i) = inserted
                    .iter()
                    .position(|(ik, iv)| same_value(ik, &k.value) && same_value(iv, &v.value))
                else {
                    return false;
                };
                inserted.remove(i);
            }
            next == x.len()
        }
        (old, new) => {
            let want = replaced
                .iter()
                .find(|(span, _)| **span == before.span)
                .map_or(old, |(_, value)| *value);
            same_value(want, new)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, from: &str, to: &str) -> Edit {
        let start = text.find(from).expect("present");
        Edit {
            span: start..start + from.len(),
            replacement: to.to_owned(),
        }
    }

    fn apply(text: &str, e: &Edit) -> String {
        let mut out = text.to_owned();
        out.replace_range(e.span.clone(), &e.replacement);
        out
    }

    /// The reason the edit is refused, or `None` when it is safe.
    fn verdict(text: &str, e: &Edit) -> Option<String> {
        let base = Baseline::new("t.md", text, &[]).expect("baseline");
        match base.meaning(e) {
            Err(why) => Some(why),
            Ok(change) => base.refute(&apply(text, e), &[change]),
        }
    }

    #[test]
    fn a_plain_value_may_change() {
        let text = "---\nprofile: p\ntargets:\n  governance: 1/general # note\n---\n";
        assert_eq!(verdict(text, &edit(text, "1/general", "1+/general")), None);
    }

    #[test]
    fn a_key_is_never_renamed_onto_a_sibling() {
        let text = "---\nassessor: a\nasessor: b\n---\n";
        let why = verdict(text, &edit(text, "asessor", "assessor")).expect("refused");
        assert!(why.contains("already a key here, on line 2"), "{why}");
    }

    #[test]
    fn block_and_multi_line_scalars_are_left_alone() {
        for (text, written) in [
            (
                "---\npractice: >-\n  services-x\ncurrent: 1/general\n---\n",
                "services-x\n",
            ),
            (
                "---\npractice: |\n  services-x\ncurrent: 1/general\n---\n",
                "services-x\n",
            ),
            (
                "---\npractice: \"services-x\n  y\"\ncurrent: 1/general\n---\n",
                "\"services-x\n  y\"",
            ),
        ] {
            let why = verdict(text, &edit(text, written, "x")).expect("refused");
            assert!(why.contains("several lines"), "{text:?}: {why}");
        }
    }

    #[test]
    fn an_edit_that_changes_another_value_is_refused() {
        // The anchored value is read again through its alias.
        let text = "---\na: &x v\nb: *x\n---\n";
        let at = text.find("&x v").expect("present") + 3;
        let e = Edit {
            span: at..at + 1,
            replacement: "w".into(),
        };
        let why = verdict(text, &e).expect("refused");
        assert!(why.contains("change other values"), "{why}");
    }

    #[test]
    fn an_edit_that_breaks_the_yaml_is_refused() {
        let text = "---\na: b\n---\n";
        let why = verdict(text, &edit(text, "b", "x: y")).expect("refused");
        assert!(why.contains("not a single value"), "{why}");
        let why = verdict(text, &edit(text, "b", "'x")).expect("refused");
        assert!(why.contains("not a single value"), "{why}");
    }

    #[test]
    fn an_inserted_key_is_the_only_difference_allowed() {
        let text = "---\nevidence:\n  - path: a.md\n    kind: record\n---\n";
        let at = text.find("a.md").expect("present") + 4;
        let insert = Edit {
            span: at..at,
            replacement: "\n    sha256: abc".into(),
        };
        assert_eq!(verdict(text, &insert), None);
        let twice = "---\nevidence:\n  - path: a.md\n    sha256: TODO\n---\n";
        let at = twice.find("a.md").expect("present") + 4;
        let insert = Edit {
            span: at..at,
            replacement: "\n    sha256: abc".into(),
        };
        assert!(verdict(twice, &insert).is_some());
    }

    #[test]
    fn an_empty_value_may_be_filled_after_its_colon() {
        for text in [
            "---\nevidence:\n  - path: a.md\n    sha256:\n---\n",
            "---\nevidence:\n  - path: a.md\n    sha256:   # fill in\n---\n",
        ] {
            let at = text.find("sha256:").expect("present") + "sha256:".len();
            let fill = Edit {
                span: at..at,
                replacement: " abc".into(),
            };
            assert_eq!(verdict(text, &fill), None, "{text:?}");
        }
        let other = "---\na:\nb: 1\n---\n";
        let at = other.find("a:").expect("present") + 2;
        let wrong = Edit {
            span: at..at,
            replacement: " x\nb: 2".into(),
        };
        assert!(verdict(other, &wrong).is_some());
    }

    #[test]
    fn a_new_front_matter_finding_refutes_the_edit() {
        let text = "---\npractice: x\ncurrent: 1/general\nassessed: 2026-01-01\n---\n";
        let base = Baseline::new("t.md", text, &[]).expect("baseline");
        let e = edit(text, "2026-01-01", "2026-13-01");
        let change = Change::Replace {
            span: e.span.clone(),
            value: yaml::Value::Str("2026-13-01".into()),
        };
        let why = base.refute(&apply(text, &e), &[change]).expect("refused");
        assert!(why.contains("would add the finding"), "{why}");
    }
}
