//! What an auditor sees of one profile: the data behind `report` and `evidence`, in every
//! format. Plain owned data with stable field names (the JSON formats serialize it as is).
//! States are enums; only the writers turn them into words (the JSON through the serde names,
//! which are the words `label` gives).

pub use crate::checks::evidence::PinState;
pub use crate::gap::Gap;
pub use crate::model::level::Scope;
pub use crate::sink::Counts;
use serde::Serialize;

/// Version of the JSON shape of `report` and `evidence`.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct Report {
    pub version: u32,
    pub generated: Generated,
    pub profiles: Vec<ProfileReport>,
}

/// Where and when the report was made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct Generated {
    /// The `--today` date (or today).
    pub today: String,
    pub smm_lint: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct ProfileReport {
    pub id: String,
    pub path: String,
    pub system: Option<String>,
    pub industry: Option<String>,
    /// The catalogue id, and the extension file when the profile uses one.
    pub model: String,
    pub model_file: Option<String>,
    pub owner: Option<String>,
    /// `git rev-parse HEAD`, followed by ` + uncommitted changes` when the work tree differs
    /// from it in the profile's documents or evidence; or "not in git".
    pub commit: String,
    /// Whether the work tree differs from the commit (`None` outside git).
    pub uncommitted_changes: Option<bool>,
    pub domains: Vec<DomainReport>,
    pub roadmap: Vec<PlanRow>,
    pub evidence: Vec<EvidenceRow>,
    pub findings: Counts,
    /// Findings on the profile's documents that no practice section shows (the profile
    /// document, duplicates, unknown ids), waived ones included.
    pub other_findings: Vec<FindingRow>,
    /// The profile document's Markdown body, as written (trimmed); `None` when empty.
    pub narrative: Option<String>,
    /// The waivers written in the profile document.
    pub waivers: Vec<WaiverRow>,
    #[serde(skip)]
    pub links: NarrativeLinks,
}

/// Where a document is, so that relative links in its narrative can be written from the
/// directory the report is written to.
#[derive(Debug, Clone, Default)]
pub struct NarrativeLinks {
    /// The document's directory, absolute.
    pub dir: Option<std::path::PathBuf>,
    /// That directory from the report's directory, percent-encoded, once known.
    pub base: Option<String>,
    /// How far below the repository root that directory is (how many `..` a link may hold).
    pub climb: usize,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct DomainReport {
    #[serde(flatten)]
    pub rollup: Rollup,
    pub subdomains: Vec<SubdomainReport>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct SubdomainReport {
    #[serde(flatten)]
    pub rollup: Rollup,
    pub practices: Vec<PracticeRow>,
}

/// A domain's or subdomain's target and current state in the SMM notation (`2+/general+`);
/// `None` when no practice below it applies.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct Rollup {
    pub id: String,
    pub name: String,
    pub target: Option<String>,
    pub current: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct PracticeRow {
    pub id: String,
    pub name: String,
    pub target: Option<LevelView>,
    pub current: Option<LevelView>,
    /// In words (JSON): `met`, `1 level below`, `scope general, needs industry`, `above`,
    /// `no claim`, `not applicable`.
    pub gap: Gap,
    pub gap_levels: i32,
    pub applicable: bool,
    /// Why the practice does not apply (only when `applicable` is false).
    pub rationale: Option<String>,
    pub assessed: Option<String>,
    pub evidence_ok: usize,
    pub evidence_total: usize,
    pub findings: Counts,
    pub document: Option<String>,
    pub assessor: Option<String>,
    /// The catalogue's words for the target and current levels.
    pub target_description: Option<LevelText>,
    pub current_description: Option<LevelText>,
    /// Every finding on the practice document, waived ones included.
    pub finding_list: Vec<FindingRow>,
    pub waivers: Vec<WaiverRow>,
    pub plan: Vec<PlanRow>,
    /// The practice document's Markdown body, as written (trimmed); `None` when empty.
    pub narrative: Option<String>,
    #[serde(skip)]
    pub links: NarrativeLinks,
}

/// What the catalogue says of one level: its name and meaning, and the practice's own action
/// for it when the catalogue has one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct LevelText {
    pub level: u8,
    pub name: String,
    pub meaning: String,
    pub action: Option<String>,
}

/// One finding, where it is, and the waiver that covers it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct FindingRow {
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub message: String,
    pub document: String,
    pub line: usize,
    /// The reason of the waiver that covers it.
    pub waived: Option<String>,
}

/// One waiver as written.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct WaiverRow {
    pub rule: Option<String>,
    pub reason: Option<String>,
    pub expires: Option<String>,
    pub state: WaiverState,
    pub document: String,
    pub line: usize,
}

/// A level split for charts, and as written.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct LevelView {
    pub level: u8,
    #[serde(with = "scope_name")]
    pub scope: Scope,
}

impl std::fmt::Display for LevelView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.level, self.scope.name())
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct PlanRow {
    pub practice: String,
    pub name: String,
    pub level: Option<String>,
    pub due: Option<String>,
    pub action: Option<String>,
    pub status: PlanStatus,
    pub document: String,
    pub line: usize,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct EvidenceRow {
    pub profile: String,
    pub practice: String,
    /// The practice's claimed current level.
    pub claimed: Option<String>,
    pub kind: Option<String>,
    /// The path (without anchor) or the URL.
    pub target: String,
    pub anchor: Option<String>,
    pub reviewed: Option<String>,
    pub age_days: Option<i64>,
    pub standard: Option<String>,
    pub pin: PinState,
    pub status: EvidenceStatus,
    pub document: String,
    pub line: usize,
    /// Whether a waiver covers a finding on this item.
    pub waived: bool,
    /// The file's path from the repository root (`None` for a URL or a path that does not
    /// resolve inside the repository).
    pub repo_path: Option<String>,
    /// A link to the file from the directory the report is written to.
    pub href: Option<String>,
    /// The item's `note`.
    pub note: Option<String>,
    /// The file, absolute, to build `href` from.
    #[serde(skip)]
    pub resolved: Option<std::path::PathBuf>,
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

/// Where a roadmap item stands on the report's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "kebab-case")]
pub enum PlanStatus {
    /// Past its due date, its level not reached.
    Overdue,
    /// Past its due date, its level reached.
    Done,
    /// Due within 90 days.
    DueSoon,
    Later,
}

impl PlanStatus {
    pub fn label(self) -> &'static str {
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
pub enum WaiverState {
    Active,
    Expired,
    /// A key is missing.
    Invalid,
}

impl WaiverState {
    pub fn label(self) -> &'static str {
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
pub enum EvidenceStatus {
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
    pub fn label(self) -> &'static str {
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
    pub fn counts_as_ok(self) -> bool {
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

    pub fn serialize<S: serde::Serializer>(scope: &Scope, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(scope.name())
    }

    /// Test builds read the model back from JSON.
    #[cfg(test)]
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Scope, D::Error> {
        let text: String = serde::Deserialize::deserialize(d)?;
        Scope::parse(&text).ok_or_else(|| serde::de::Error::custom("not a scope"))
    }
}
