//! Each rule's default severity and whether it is on, read from its doc's front matter when the
//! binary is compiled. A run needs only these two values, and parsing 42 rule docs with the YAML
//! reader to learn them cost a tenth of a one-file `check`. The full reading (`docs`) stays
//! the reference: a unit test holds these values to it for every rule.

use super::Severity;

/// What a rule's doc says of its default: the severity, and false for `enabled: false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RuleDefault {
    pub(crate) severity: Severity,
    pub(crate) enabled: bool,
}

/// Reads `severity:` and `enabled:` from the front matter of a rule doc. Runs at compile
/// time: a doc without a known severity fails the build.
pub(crate) const fn read(doc: &str) -> RuleDefault {
    let bytes = doc.as_bytes();
    let end = front_matter_end(bytes);
    let severity = match value_of(bytes, end, b"severity") {
        Some(at) if starts_line_with(bytes, at, end, b"error") => Severity::Error,
        Some(at) if starts_line_with(bytes, at, end, b"warning") => Severity::Warning,
        Some(at) if starts_line_with(bytes, at, end, b"info") => Severity::Info,
        _ => panic!("a rule doc's front matter names no severity"),
    };
    let enabled = match value_of(bytes, end, b"enabled") {
        Some(at) => !starts_line_with(bytes, at, end, b"false"),
        None => true,
    };
    RuleDefault { severity, enabled }
}

/// Where the closing `---` line starts (the opening one is the first line).
const fn front_matter_end(bytes: &[u8]) -> usize {
    let mut i = 4;
    while i + 4 <= bytes.len() {
        if bytes[i - 1] == b'\n'
            && bytes[i] == b'-'
            && bytes[i + 1] == b'-'
            && bytes[i + 2] == b'-'
            && (bytes[i + 3] == b'\n' || bytes[i + 3] == b'\r')
        {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// Where the value of the top-level `key:` starts, before `end`.
const fn value_of(bytes: &[u8], end: usize, key: &[u8]) -> Option<usize> {
    let mut line = 0;
    while line < end {
        if starts_line_with(bytes, line, end, key)
            && line + key.len() + 1 < end
            && bytes[line + key.len()] == b':'
            && bytes[line + key.len() + 1] == b' '
        {
            return Some(line + key.len() + 2);
        }
        while line < end && bytes[line] != b'\n' {
            line += 1;
        }
        line += 1;
    }
    None
}

/// Whether `word` stands at `at` and ends there: the line (or the value) holds just it.
const fn starts_line_with(bytes: &[u8], at: usize, end: usize, word: &[u8]) -> bool {
    if at + word.len() > end {
        return false;
    }
    let mut i = 0;
    while i < word.len() {
        if bytes[at + i] != word[i] {
            return false;
        }
        i += 1;
    }
    let next = at + word.len();
    next == end || matches!(bytes[next], b'\n' | b'\r' | b':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Rule, docs};

    /// The compile-time reading equals the full YAML reading for every rule.
    #[test]
    fn every_rule_default_is_what_its_doc_says() {
        for doc in docs::docs() {
            let rule: Rule = doc.rule;
            assert_eq!(
                (rule.default_severity(), rule.default_setting().is_some()),
                (doc.severity, doc.enabled),
                "{}",
                rule.id()
            );
        }
        docs::validate_docs().expect("rule docs");
    }

    #[test]
    fn the_reading_takes_the_key_and_not_a_longer_one() {
        let doc = "---\nid: x\nseverity-note: error\nseverity: warning\nsummary: s\nfixable: false\nenabled: false\n---\nseverity: error\n";
        assert_eq!(
            read(doc),
            RuleDefault {
                severity: Severity::Warning,
                enabled: false
            }
        );
        let on = "---\r\nid: x\r\nseverity: info\r\nsummary: enabled: false\r\n---\r\nenabled: false\r\n";
        assert_eq!(
            read(on),
            RuleDefault {
                severity: Severity::Info,
                enabled: true
            }
        );
    }
}
