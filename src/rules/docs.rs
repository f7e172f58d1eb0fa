//! The rule docs' front matter (`id`, `severity`, `summary`, `fixable`, and `enabled: false`
//! for a rule that is off until the configuration turns it on), read once from the Markdown
//! embedded in the binary.

use super::{Rule, Severity};
use crate::yaml::{self, frontmatter};
use serde::Deserialize;
use std::sync::OnceLock;

/// A rule's documentation, read from its Markdown file.
#[derive(Debug, Clone)]
pub struct RuleDoc {
    pub rule: Rule,
    pub severity: Severity,
    pub summary: String,
    pub fixable: bool,
    /// False for a rule that is off by default: the configuration turns it on by giving it a
    /// severity; `severity` is the one shown as its default then.
    pub enabled: bool,
    /// The Markdown after the front matter.
    pub body: String,
}

/// The front matter of a rule doc, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    id: String,
    severity: String,
    summary: String,
    fixable: bool,
    #[serde(default = "on")]
    enabled: bool,
}

fn on() -> bool {
    true
}

/// All rule docs, in registry order, parsed once per run. A broken doc is a build defect that
/// the test suite catches ([`validate_docs`]); it is not checked again at every start.
pub fn docs() -> &'static [RuleDoc] {
    static DOCS: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        Rule::ALL
            .iter()
            .map(|&r| {
                parse_doc(r).unwrap_or_else(|_| RuleDoc {
                    rule: r,
                    severity: Severity::Error,
                    summary: String::new(),
                    fixable: false,
                    enabled: true,
                    body: String::new(),
                })
            })
            .collect()
    })
}

/// Checks that every embedded rule doc parses and names its own id.
pub fn validate_docs() -> Result<(), String> {
    Rule::ALL.iter().try_for_each(|&r| parse_doc(r).map(|_| ()))
}

fn parse_doc(rule: Rule) -> Result<RuleDoc, String> {
    parse_text(rule, rule.doc_text())
}

fn parse_text(rule: Rule, text: &'static str) -> Result<RuleDoc, String> {
    let fail = |m: &str| format!("rules/rules/{}.md: {m}", rule.id());
    let frontmatter::Split::Fenced { yaml, body, .. } = frontmatter::split(text) else {
        return Err(fail("no front matter"));
    };
    let front: Front = yaml::from_str(&text[yaml]).map_err(|e| fail(&e.message))?;
    if front.id != rule.id() {
        return Err(fail(&format!("its id is `{}`", front.id)));
    }
    let severity = Severity::parse(&front.severity).ok_or_else(|| fail("bad severity"))?;
    Ok(RuleDoc {
        rule,
        severity,
        summary: front.summary,
        fixable: front.fixable,
        enabled: front.enabled,
        body: text[body].trim_start().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "---\nid: link-broken\nseverity: warning\nsummary: s\nfixable: false\n---\n\n# Body\n";

    #[test]
    fn a_doc_reads_its_front_matter_and_body() {
        let doc = parse_text(Rule::LinkBroken, GOOD).expect("valid");
        assert_eq!(doc.severity, Severity::Warning);
        assert!(!doc.fixable);
        assert!(doc.enabled);
        assert_eq!(doc.body, "# Body\n");
        let off = "---\nid: link-broken\nseverity: info\nsummary: s\nfixable: false\nenabled: false\n---\n";
        assert!(!parse_text(Rule::LinkBroken, off).expect("valid").enabled);
    }

    #[test]
    fn a_doc_with_an_unknown_key_a_wrong_id_or_a_bad_severity_is_refused() {
        let extra =
            "---\nid: link-broken\nseverity: warning\nsummary: s\nfixable: false\nfamily: x\n---\n";
        assert!(parse_text(Rule::LinkBroken, extra).is_err());
        assert!(parse_text(Rule::UnknownKey, GOOD).is_err());
        let bad = "---\nid: link-broken\nseverity: fatal\nsummary: s\nfixable: false\n---\n";
        assert!(parse_text(Rule::LinkBroken, bad).is_err());
        let missing = "---\nid: link-broken\nseverity: warning\nsummary: s\n---\n";
        assert!(parse_text(Rule::LinkBroken, missing).is_err());
    }
}
