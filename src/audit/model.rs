//! What an auditor sees of one profile: the data behind `report` and `evidence`, in every
//! format. Plain owned data with stable field names (the JSON formats serialize it as is).
//! States are enums; only the writers turn them into words (the JSON through the serde names,
//! which are the words `label` gives).

pub(crate) use crate::checks::evidence::PinState;
pub(crate) use crate::gap::Gap;
pub(crate) use crate::model::level::Scope;
pub(crate) use crate::sink::Counts;
use serde::Serialize;

/// Version of the JSON shape of `report` and `evidence`.
pub(crate) const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct Report {
    pub(crate) version: u32,
    pub(crate) generated: Generated,
    pub(crate) profiles: Vec<ProfileReport>,
}

/// Where and when the report was made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct Generated {
    /// The `--today` date (or today).
    pub(crate) today: String,
    pub(crate) smm_lint: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct ProfileReport {
    pub(crate) id: String,
    pub(crate) path: String,
    pub(crate) system: Option<String>,
    pub(crate) industry: Option<String>,
    /// The catalogue id, and the extension file when the profile uses one.
    pub(crate) model: String,
    pub(crate) model_file: Option<String>,
    pub(crate) owner: Option<String>,
    /// `git rev-parse HEAD`, followed by ` + uncommitted changes` when the work tree differs
    /// from it in the profile's documents or evidence; or "not in git".
    pub(crate) commit: String,
    /// Whether the work tree differs from the commit (`None` outside git).
    pub(crate) uncommitted_changes: Option<bool>,
    /// The sign-off on the targets (`approved:`) and whether it still holds.
    pub(crate) approval: ApprovalView,
    pub(crate) domains: Vec<DomainReport>,
    pub(crate) roadmap: Vec<PlanRow>,
    pub(crate) evidence: Vec<EvidenceRow>,
    pub(crate) findings: Counts,
    /// Findings on the profile's documents that no practice section shows (the profile
    /// document, duplicates, unknown ids), waived ones included.
    pub(crate) other_findings: Vec<FindingRow>,
    /// The profile document's Markdown body, as written (trimmed); `None` when empty.
    pub(crate) narrative: Option<String>,
    /// The waivers written in the profile document.
    pub(crate) waivers: Vec<WaiverRow>,
    /// One per mapping the profile selects (absent when it selects none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) crosswalks: Vec<Crosswalk>,
    /// What changed since the last assessment; absent outside git and when no earlier commit
    /// has other levels.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub(crate) since: Option<SinceReport>,
    #[serde(skip)]
    pub(crate) links: NarrativeLinks,
}

/// What one mapping makes of the profile: the requirements of its framework that the claimed
/// levels relate to, and the evidence items whose `standard:` cites each.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct Crosswalk {
    pub(crate) framework: String,
    pub(crate) version: String,
    pub(crate) title: Option<String>,
    pub(crate) note: Option<String>,
    /// `builtin:NAME` or the mapping file's path.
    pub(crate) source: String,
    /// How many requirements the mapping lists.
    pub(crate) listed: usize,
    /// Of `requirements`, how many some evidence cites.
    pub(crate) cited: usize,
    /// In the mapping's order.
    pub(crate) requirements: Vec<CrosswalkRequirement>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct CrosswalkRequirement {
    pub(crate) id: String,
    pub(crate) title: String,
    /// The mapping's entries that the claimed levels reach.
    pub(crate) related: Vec<CrosswalkRelation>,
    /// The evidence items whose `standard:` names this requirement.
    pub(crate) cited_by: Vec<CrosswalkCitation>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct CrosswalkRelation {
    pub(crate) practice: String,
    pub(crate) name: String,
    /// The entry's level: the claim is at it or above.
    pub(crate) level: u8,
    /// The practice's claimed level.
    pub(crate) claimed: String,
    /// `supports` or `satisfies`.
    pub(crate) role: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct CrosswalkCitation {
    pub(crate) practice: String,
    /// The path or URL as written.
    pub(crate) evidence: String,
    pub(crate) document: String,
    pub(crate) line: usize,
}

/// The profile compared with an earlier commit's: by default the newest commit whose levels
/// (any practice's current or target) differ from the ones reported, i.e. the previous
/// assessment.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct SinceReport {
    /// The baseline commit's full id, its committer date (`YYYY-MM-DD`, UTC) and subject.
    pub(crate) commit: String,
    pub(crate) date: String,
    pub(crate) subject: String,
    /// Current levels that went up; every other change of a current level (down, or up in
    /// one dimension and down in the other) is listed as lowered.
    pub(crate) raised: Vec<LevelMove>,
    pub(crate) lowered: Vec<LevelMove>,
    pub(crate) targets_changed: Vec<LevelMove>,
    pub(crate) evidence_added: Vec<EvidenceMove>,
    pub(crate) evidence_removed: Vec<EvidenceMove>,
    /// Practices below their target then and not now, and the other way round.
    pub(crate) gaps_closed: Vec<GapMove>,
    pub(crate) gaps_opened: Vec<GapMove>,
}

/// A practice's level then and now (SMM notation; `None`: not claimed, or no target).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct LevelMove {
    pub(crate) practice: String,
    pub(crate) name: String,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct EvidenceMove {
    pub(crate) practice: String,
    /// The item's `path` or `url`, as written.
    pub(crate) locator: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct GapMove {
    pub(crate) practice: String,
    pub(crate) name: String,
    pub(crate) from: Gap,
    pub(crate) to: Gap,
}

/// Where a document is, so that relative links in its narrative can be written from the
/// directory the report is written to.
#[derive(Debug, Clone, Default)]
pub(crate) struct NarrativeLinks {
    /// The document's directory, absolute.
    pub(crate) dir: Option<std::path::PathBuf>,
    /// That directory from the report's directory, percent-encoded, once known.
    pub(crate) base: Option<String>,
    /// How far below the repository root that directory is (how many `..` a link may hold).
    pub(crate) climb: usize,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct DomainReport {
    #[serde(flatten)]
    pub(crate) rollup: Rollup,
    pub(crate) subdomains: Vec<SubdomainReport>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct SubdomainReport {
    #[serde(flatten)]
    pub(crate) rollup: Rollup,
    pub(crate) practices: Vec<PracticeRow>,
}

/// A domain's or subdomain's target and current state in the SMM notation (`2+/general+`);
/// `None` when no practice below it applies.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct Rollup {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) target: Option<String>,
    pub(crate) current: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct PracticeRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) target: Option<LevelView>,
    pub(crate) current: Option<LevelView>,
    /// In words (JSON): `met`, `1 level below`, `scope general, needs industry`, `above`,
    /// `no claim`, `not applicable`.
    pub(crate) gap: Gap,
    pub(crate) gap_levels: i32,
    pub(crate) applicable: bool,
    /// Why the practice does not apply (only when `applicable` is false).
    pub(crate) rationale: Option<String>,
    pub(crate) assessed: Option<String>,
    pub(crate) evidence_ok: usize,
    pub(crate) evidence_total: usize,
    pub(crate) findings: Counts,
    pub(crate) document: Option<String>,
    pub(crate) assessor: Option<String>,
    /// The catalogue's words for the target and current levels.
    pub(crate) target_description: Option<LevelText>,
    pub(crate) current_description: Option<LevelText>,
    /// The claimed (current) level's indicators of accomplishment, each with the evidence
    /// items that cite it; empty when nothing is claimed or the practice does not apply.
    pub(crate) indicators: Vec<IndicatorRow>,
    /// Every finding on the practice document, waived ones included.
    pub(crate) finding_list: Vec<FindingRow>,
    pub(crate) waivers: Vec<WaiverRow>,
    pub(crate) plan: Vec<PlanRow>,
    /// The practice document's Markdown body, as written (trimmed); `None` when empty.
    pub(crate) narrative: Option<String>,
    #[serde(skip)]
    pub(crate) links: NarrativeLinks,
}

/// What the catalogue says of one level: its name and meaning, and the practice's own action
/// for it when the catalogue has one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct LevelText {
    pub(crate) level: u8,
    pub(crate) name: String,
    pub(crate) meaning: String,
    pub(crate) action: Option<String>,
}

/// One indicator of accomplishment of the claimed level and the evidence that cites it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct IndicatorRow {
    pub(crate) id: String,
    pub(crate) text: String,
    /// Whether some evidence item cites it (`cited_by` is not empty).
    pub(crate) covered: bool,
    pub(crate) cited_by: Vec<Citation>,
}

/// An evidence item, as written, that cites an indicator.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct Citation {
    /// The item's `path` or `url`.
    pub(crate) evidence: String,
    pub(crate) document: String,
    pub(crate) line: usize,
}

/// One finding, where it is, and the waiver that covers it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct FindingRow {
    pub(crate) rule: String,
    /// `error`, `warning` or `info`.
    pub(crate) severity: String,
    pub(crate) message: String,
    pub(crate) document: String,
    pub(crate) line: usize,
    /// The reason of the waiver that covers it.
    pub(crate) waived: Option<String>,
}

/// One waiver as written.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct WaiverRow {
    pub(crate) rule: Option<String>,
    pub(crate) reason: Option<String>,
    pub(crate) expires: Option<String>,
    pub(crate) state: WaiverState,
    pub(crate) document: String,
    pub(crate) line: usize,
}

/// A level split for charts, and as written.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct LevelView {
    pub(crate) level: u8,
    #[serde(with = "scope_name")]
    pub(crate) scope: Scope,
}

impl std::fmt::Display for LevelView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.level, self.scope.name())
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct PlanRow {
    pub(crate) practice: String,
    pub(crate) name: String,
    pub(crate) level: Option<String>,
    pub(crate) due: Option<String>,
    pub(crate) action: Option<String>,
    pub(crate) status: PlanStatus,
    pub(crate) document: String,
    pub(crate) line: usize,
    pub(crate) owner: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct EvidenceRow {
    pub(crate) profile: String,
    pub(crate) practice: String,
    /// The practice's claimed current level.
    pub(crate) claimed: Option<String>,
    pub(crate) kind: Option<String>,
    /// The path (without anchor) or the URL.
    pub(crate) target: String,
    pub(crate) anchor: Option<String>,
    pub(crate) reviewed: Option<String>,
    pub(crate) age_days: Option<i64>,
    pub(crate) standard: Option<String>,
    pub(crate) pin: PinState,
    pub(crate) status: EvidenceStatus,
    pub(crate) document: String,
    pub(crate) line: usize,
    /// Whether a waiver covers a finding on this item.
    pub(crate) waived: bool,
    /// The file's path from the repository root (`None` for a URL or a path that does not
    /// resolve inside the repository).
    pub(crate) repo_path: Option<String>,
    /// A link to the file from the directory the report is written to.
    pub(crate) href: Option<String>,
    /// The item's `note`.
    pub(crate) note: Option<String>,
    /// The requirements (`FRAMEWORK ID`) that the practice's claimed level relates to through
    /// the profile's mappings (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) requirements: Vec<String>,
    /// The file, absolute, to build `href` from.
    #[serde(skip)]
    pub(crate) resolved: Option<std::path::PathBuf>,
    /// The file's SHA-256 (lowercase hex) when the item's pin matches it (the OSCAL export
    /// writes it as the evidence's hash).
    #[serde(skip)]
    pub(crate) sha256: Option<String>,
}

/// Writes the label of a state enum, for `Display`.
macro_rules! display_by_label {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    )*};
}

/// Who approved the profile's targets and when, and whether the targets are still the ones
/// approved.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct ApprovalView {
    pub(crate) state: ApprovalState,
    pub(crate) by: Option<String>,
    pub(crate) date: Option<String>,
    /// With `stale`: the targets that changed since the approval, when the approved version was
    /// found in the profile's git history.
    pub(crate) changes: Vec<TargetChange>,
    /// With `stale`: why the changed targets cannot be listed.
    pub(crate) changes_unknown: Option<String>,
}

/// Whether the sign-off holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ApprovalState {
    /// The approved targets are the targets now.
    Current,
    /// The targets changed since they were approved.
    Stale,
    /// No `approved:` in the profile.
    Missing,
    /// An `approved:` that does not read (a finding says why).
    Invalid,
}

impl ApprovalState {
    pub(crate) fn label(self) -> &'static str {
        match self {
            ApprovalState::Current => "current",
            ApprovalState::Stale => "stale",
            ApprovalState::Missing => "missing",
            ApprovalState::Invalid => "invalid",
        }
    }
}

/// A target that differs from the approved one; a level is `None` when the target was added
/// (`approved`) or removed (`now`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct TargetChange {
    pub(crate) id: String,
    pub(crate) approved: Option<String>,
    pub(crate) now: Option<String>,
}

impl ApprovalView {
    /// The state in words with who approved and when, and the changes: one line for the header
    /// of the Markdown and HTML reports.
    pub(crate) fn summary(&self) -> String {
        let who = match (&self.by, &self.date) {
            (Some(by), Some(date)) => format!(" (approved by {by} on {date})"),
            _ => String::new(),
        };
        let mut line = format!("{}{who}", self.state.label());
        if self.state == ApprovalState::Stale {
            if let Some(why) = &self.changes_unknown {
                line.push_str(&format!("; the changed targets cannot be listed: {why}"));
            } else if !self.changes.is_empty() {
                let changes: Vec<String> = self
                    .changes
                    .iter()
                    .map(|c| match (&c.approved, &c.now) {
                        (Some(a), Some(n)) => format!("{}: {a} → {n}", c.id),
                        (None, Some(n)) => format!("{}: added, {n}", c.id),
                        (Some(a), None) => format!("{}: removed, was {a}", c.id),
                        (None, None) => c.id.clone(),
                    })
                    .collect();
                line.push_str(&format!("; changed since: {}", changes.join("; ")));
            }
        }
        line
    }
}

/// Where a roadmap item stands on the report's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PlanStatus {
    /// Past its due date, its level not reached.
    Overdue,
    /// Past its due date, its level reached.
    Done,
    /// Due within 90 days.
    DueSoon,
    Later,
}

impl PlanStatus {
    pub(crate) fn label(self) -> &'static str {
        match self {
            PlanStatus::Overdue => "overdue",
            PlanStatus::Done => "done",
            PlanStatus::DueSoon => "due-soon",
            PlanStatus::Later => "later",
        }
    }
}

/// Whether a waiver is in force on the report's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "kebab-case")]
pub(crate) enum WaiverState {
    Active,
    Expired,
    /// A key is missing.
    Invalid,
}

impl WaiverState {
    pub(crate) fn label(self) -> &'static str {
        match self {
            WaiverState::Active => "active",
            WaiverState::Expired => "expired",
            WaiverState::Invalid => "invalid",
        }
    }
}

/// What is known of one evidence item; the last three only with `--online`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "kebab-case")]
pub(crate) enum EvidenceStatus {
    Ok,
    Missing,
    AnchorMissing,
    OutsideRepo,
    Stale,
    /// The file differs from its pin.
    Changed,
    UncheckedUrl,
    Reachable,
    Unreachable,
    Unknown,
}

impl EvidenceStatus {
    pub(crate) fn label(self) -> &'static str {
        match self {
            EvidenceStatus::Ok => "ok",
            EvidenceStatus::Missing => "missing",
            EvidenceStatus::AnchorMissing => "anchor-missing",
            EvidenceStatus::OutsideRepo => "outside-repo",
            EvidenceStatus::Stale => "stale",
            EvidenceStatus::Changed => "changed",
            EvidenceStatus::UncheckedUrl => "unchecked-url",
            EvidenceStatus::Reachable => "reachable",
            EvidenceStatus::Unreachable => "unreachable",
            EvidenceStatus::Unknown => "unknown",
        }
    }

    /// Whether the item counts as sound evidence in a practice's "evidence ok" figure (a URL
    /// that was not or could not be checked is given the benefit of the doubt).
    pub(crate) fn counts_as_ok(self) -> bool {
        match self {
            EvidenceStatus::Ok
            | EvidenceStatus::Reachable
            | EvidenceStatus::UncheckedUrl
            | EvidenceStatus::Unknown => true,
            EvidenceStatus::Missing
            | EvidenceStatus::AnchorMissing
            | EvidenceStatus::OutsideRepo
            | EvidenceStatus::Stale
            | EvidenceStatus::Changed
            | EvidenceStatus::Unreachable => false,
        }
    }
}

display_by_label!(PlanStatus, WaiverState, EvidenceStatus);

/// A scope by its name (`general`, `industry`, `system`).
mod scope_name {
    use crate::model::level::Scope;

    pub(crate) fn serialize<S: serde::Serializer>(scope: &Scope, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(scope.name())
    }

    /// Test builds read the model back from JSON.
    #[cfg(test)]
    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Scope, D::Error> {
        let text: String = serde::Deserialize::deserialize(d)?;
        Scope::parse(&text).ok_or_else(|| serde::de::Error::custom("not a scope"))
    }
}
