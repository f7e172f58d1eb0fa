//! What an auditor sees of one profile: the data behind `report` and `evidence`, in every
//! format. Plain owned data with stable field names (the JSON formats serialize it as is).

use serde::Serialize;

/// Version of the JSON shape of `report` and `evidence`.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub generated: Generated,
    pub profiles: Vec<ProfileReport>,
}

/// Where and when the report was made.
#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    /// The `--today` date (or today).
    pub today: String,
    pub smm_lint: &'static str,
}

#[derive(Debug, Clone, Serialize)]
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
pub struct DomainReport {
    #[serde(flatten)]
    pub rollup: Rollup,
    pub subdomains: Vec<SubdomainReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubdomainReport {
    #[serde(flatten)]
    pub rollup: Rollup,
    pub practices: Vec<PracticeRow>,
}

/// A domain's or subdomain's target and current state in the SMM notation (`2+/general+`);
/// `None` when no practice below it applies.
#[derive(Debug, Clone, Serialize)]
pub struct Rollup {
    pub id: String,
    pub name: String,
    pub target: Option<String>,
    pub current: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PracticeRow {
    pub id: String,
    pub name: String,
    pub target: Option<LevelView>,
    pub current: Option<LevelView>,
    /// In words: `met`, `1 level below`, `scope general, needs industry`, `above`, `no claim`,
    /// `not applicable`.
    pub gap: String,
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
pub struct LevelText {
    pub level: u8,
    pub name: String,
    pub meaning: String,
    pub action: Option<String>,
}

/// One finding, where it is, and the waiver that covers it.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub rule: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    pub message: String,
    pub document: String,
    pub line: usize,
    /// The reason of the waiver that covers it.
    pub waived: Option<String>,
}

/// One waiver as written.
#[derive(Debug, Clone, Serialize)]
pub struct WaiverRow {
    pub rule: Option<String>,
    pub reason: Option<String>,
    pub expires: Option<String>,
    /// `active`, `expired`, or `invalid` (a key is missing).
    pub state: &'static str,
    pub document: String,
    pub line: usize,
}

/// A level split for charts, and as written.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct LevelView {
    pub level: u8,
    pub scope: &'static str,
}

impl std::fmt::Display for LevelView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.level, self.scope)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub practice: String,
    pub name: String,
    pub level: Option<String>,
    pub due: Option<String>,
    pub action: Option<String>,
    /// `overdue`, `due-soon` (within 90 days) or `later`.
    pub status: &'static str,
    pub document: String,
    pub line: usize,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Debug, Clone, Serialize)]
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
    /// `none`, `ok` or `changed`.
    pub pin: &'static str,
    /// `ok`, `missing`, `anchor-missing`, `outside-repo`, `stale`, `changed`, `unchecked-url`,
    /// and with `--online` `reachable`, `unreachable`, `unknown`.
    pub status: &'static str,
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
