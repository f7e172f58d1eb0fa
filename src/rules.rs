//! The rule registry: ids in code, their documentation and default severity as data in
//! `rules/rules/<id>.md`, embedded in the binary.

use crate::diagnostic::Severity;
use crate::document::fields::{self, MapReader};
use crate::document::{split, yaml};
use std::sync::OnceLock;

macro_rules! rules {
    ($($variant:ident = $id:literal,)*) => {
        /// Every rule smm-lint knows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $($variant,)* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            fn doc_text(self) -> &'static str {
                match self {
                    $(Rule::$variant => include_str!(concat!("../rules/rules/", $id, ".md")),)*
                }
            }
        }
    };
}

rules! {
    FrontMatterSyntax = "front-matter-syntax",
    FrontMatterSchema = "front-matter-schema",
    UnknownKey = "unknown-key",
    UnknownId = "unknown-id",
    ProfileMissing = "profile-missing",
    ProfileConflict = "profile-conflict",
    PracticeMissing = "practice-missing",
    PracticeDuplicate = "practice-duplicate",
    TargetMissing = "target-missing",
    TargetBelowParent = "target-below-parent",
    RollupMismatch = "rollup-mismatch",
    ScopeContextMissing = "scope-context-missing",
    BelowTarget = "below-target",
    AboveTarget = "above-target",
    PlanMissing = "plan-missing",
    PlanOverdue = "plan-overdue",
    AssessmentStale = "assessment-stale",
    EvidenceInsufficient = "evidence-insufficient",
    EvidenceNotFound = "evidence-not-found",
    EvidenceAnchorNotFound = "evidence-anchor-not-found",
    EvidenceOutsideRepo = "evidence-outside-repo",
    EvidenceStale = "evidence-stale",
    DateInFuture = "date-in-future",
    EvidenceChanged = "evidence-changed",
    EvidenceUrlUnreachable = "evidence-url-unreachable",
    LinkBroken = "link-broken",
    WaiverInvalid = "waiver-invalid",
    WaiverExpired = "waiver-expired",
    NotApplicableConflict = "not-applicable-conflict",
    RegressionLevel = "regression-level",
    RegressionEvidence = "regression-evidence",
    TargetChanged = "target-changed",
    ConfigChanged = "config-changed",
    WaiverAdded = "waiver-added",
    CatalogueInvalid = "catalogue-invalid",
    FileTooLarge = "file-too-large",
    InvalidUtf8 = "invalid-utf8",
    LimitExceeded = "limit-exceeded",
}

/// What a rule needs beyond a plain `check` to be able to fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// Only with `--online`.
    Online,
    /// Only with `--base GIT-REF`.
    Base,
}

/// A rule's documentation, read from its Markdown file.
#[derive(Debug, Clone)]
pub struct RuleDoc {
    pub rule: Rule,
    pub severity: Severity,
    pub summary: String,
    pub fixable: bool,
    /// The Markdown after the front matter.
    pub body: String,
}

impl Rule {
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    pub fn needs(self) -> Needs {
        match self {
            Rule::EvidenceUrlUnreachable => Needs::Online,
            Rule::RegressionLevel
            | Rule::RegressionEvidence
            | Rule::TargetChanged
            | Rule::ConfigChanged
            | Rule::WaiverAdded => Needs::Base,
            _ => Needs::Nothing,
        }
    }

    /// The family of checks the rule belongs to (a SARIF tag).
    pub fn family(self) -> &'static str {
        use Rule::*;
        match self {
            FrontMatterSyntax | FrontMatterSchema | UnknownKey | UnknownId | InvalidUtf8
            | FileTooLarge | CatalogueInvalid | LimitExceeded => "syntax",
            ProfileMissing
            | ProfileConflict
            | PracticeMissing
            | PracticeDuplicate
            | NotApplicableConflict => "structure",
            TargetMissing | TargetBelowParent | RollupMismatch | ScopeContextMissing => "targets",
            BelowTarget | AboveTarget | PlanMissing | PlanOverdue | AssessmentStale
            | DateInFuture => "gaps",
            EvidenceInsufficient
            | EvidenceNotFound
            | EvidenceAnchorNotFound
            | EvidenceOutsideRepo
            | EvidenceStale
            | EvidenceChanged
            | EvidenceUrlUnreachable => "evidence",
            LinkBroken => "links",
            WaiverInvalid | WaiverExpired => "waivers",
            RegressionLevel | RegressionEvidence | TargetChanged | ConfigChanged | WaiverAdded => {
                "regression"
            }
        }
    }

    pub fn doc(self) -> &'static RuleDoc {
        &docs()[self as usize]
    }

    pub fn default_severity(self) -> Severity {
        self.doc().severity
    }
}

/// All rule docs, in registry order. Call [`validate_docs`] at start-up; a broken doc is a
/// build defect that the test suite catches.
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
    let text = rule.doc_text();
    let fail = |m: &str| format!("rules/rules/{}.md: {m}", rule.id());
    let split::Split::Fenced { yaml, body, .. } = split::split(text) else {
        return Err(fail("no front matter"));
    };
    let root = yaml::parse(&text[yaml]).map_err(|e| fail(&e.message))?;
    let mut map = MapReader::new(&root, "the front matter").map_err(|_| fail("not a mapping"))?;
    let mut errors = Vec::new();
    let id = fields::required(&mut map, "id", &mut errors, fields::text);
    let severity = fields::required(&mut map, "severity", &mut errors, fields::text);
    let summary = fields::required(&mut map, "summary", &mut errors, fields::text);
    let fixable = fields::required(&mut map, "fixable", &mut errors, fields::boolean);
    errors.extend(map.unknown_key_errors(&["id", "severity", "summary", "fixable"]));
    if !errors.is_empty() {
        return Err(fail(&format!("{errors:?}")));
    }
    let (Some(id), Some(severity), Some(summary), Some(fixable)) = (id, severity, summary, fixable)
    else {
        return Err(fail("incomplete front matter"));
    };
    if id.value != rule.id() {
        return Err(fail(&format!("its id is `{}`", id.value)));
    }
    let severity = Severity::parse(&severity.value).ok_or_else(|| fail("bad severity"))?;
    Ok(RuleDoc {
        rule,
        severity,
        summary: summary.value,
        fixable: fixable.value,
        body: text[body].trim_start().to_owned(),
    })
}
