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
}
