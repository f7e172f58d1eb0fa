//! The rule registry: ids in code, their documentation and default severity as data in
//! `rules/rules/<id>.md`, embedded in the binary.

mod defaults;
mod docs;

pub use docs::{RuleDoc, docs, validate_docs};

use crate::text::suggest::did_you_mean;

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

            /// Default severity and on/off per rule, in registry order, read from the docs
            /// when the binary is compiled.
            const DEFAULTS: &'static [defaults::RuleDefault] = &[
                $(defaults::read(include_str!(concat!("../../rules/rules/", $id, ".md"))),)*
            ];

            fn doc_text(self) -> &'static str {
                match self {
                    $(Rule::$variant => include_str!(concat!("../../rules/rules/", $id, ".md")),)*
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
    IndicatorUncovered = "indicator-uncovered",
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
    ApprovalStale = "approval-stale",
    ApprovalMissing = "approval-missing",
    UnknownRequirement = "unknown-requirement",
}

/// How much a finding counts: set per rule by its doc, overridden by the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Severity> {
        [Severity::Info, Severity::Warning, Severity::Error]
            .into_iter()
            .find(|s| s.name() == text)
    }
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
            // Listed one by one, so a new rule must say what it needs.
            Rule::FrontMatterSyntax
            | Rule::FrontMatterSchema
            | Rule::UnknownKey
            | Rule::UnknownId
            | Rule::ProfileMissing
            | Rule::ProfileConflict
            | Rule::PracticeMissing
            | Rule::PracticeDuplicate
            | Rule::TargetMissing
            | Rule::TargetBelowParent
            | Rule::RollupMismatch
            | Rule::ScopeContextMissing
            | Rule::BelowTarget
            | Rule::AboveTarget
            | Rule::PlanMissing
            | Rule::PlanOverdue
            | Rule::AssessmentStale
            | Rule::EvidenceInsufficient
            | Rule::IndicatorUncovered
            | Rule::EvidenceNotFound
            | Rule::EvidenceAnchorNotFound
            | Rule::EvidenceOutsideRepo
            | Rule::EvidenceStale
            | Rule::DateInFuture
            | Rule::EvidenceChanged
            | Rule::LinkBroken
            | Rule::WaiverInvalid
            | Rule::WaiverExpired
            | Rule::NotApplicableConflict
            | Rule::CatalogueInvalid
            | Rule::FileTooLarge
            | Rule::InvalidUtf8
            | Rule::LimitExceeded
            | Rule::ApprovalStale
            | Rule::ApprovalMissing
            | Rule::UnknownRequirement => Needs::Nothing,
        }
    }

    /// The family of checks the rule belongs to (a SARIF tag).
    pub(crate) fn family(self) -> &'static str {
        use Rule::*;
        match self {
            FrontMatterSyntax | FrontMatterSchema | UnknownKey | UnknownId | InvalidUtf8
            | FileTooLarge | CatalogueInvalid | LimitExceeded => "syntax",
            ProfileMissing
            | ProfileConflict
            | PracticeMissing
            | PracticeDuplicate
            | NotApplicableConflict => "structure",
            TargetMissing | TargetBelowParent | RollupMismatch | ScopeContextMissing
            | ApprovalStale | ApprovalMissing => "targets",
            BelowTarget | AboveTarget | PlanMissing | PlanOverdue | AssessmentStale
            | DateInFuture => "gaps",
            EvidenceInsufficient
            | IndicatorUncovered
            | EvidenceNotFound
            | EvidenceAnchorNotFound
            | EvidenceOutsideRepo
            | EvidenceStale
            | EvidenceChanged
            | EvidenceUrlUnreachable
            | UnknownRequirement => "evidence",
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
        Self::DEFAULTS[self as usize].severity
    }

    /// The severity a run starts from: `None` for a rule that is off until the configuration
    /// turns it on.
    pub fn default_setting(self) -> Option<Severity> {
        Self::DEFAULTS[self as usize]
            .enabled
            .then(|| self.default_severity())
    }
}

/// "did you mean …?" for a rule id, else a pointer to the list of rules.
pub(crate) fn rule_help(id: &str) -> String {
    let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    did_you_mean(id, &ids, "`smm-lint rules` lists every rule")
}
