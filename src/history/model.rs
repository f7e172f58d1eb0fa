//! What `history` finds at each point of a profile tree's git history: the data every history
//! format writes. Plain owned data with stable field names (the JSON writes it as is). Levels are
//! written in the SMM notation (`2`, `3+`, `2/industry`), gaps in the report's words.

use crate::gap::Gap;
use serde::Serialize;

/// Version of the JSON shape of `history`.
pub(crate) const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct History {
    pub(crate) version: u32,
    /// The points, newest first.
    pub(crate) points: Vec<Point>,
    /// The walk stopped at `--max-commits` before reaching the first commit of the range.
    pub(crate) truncated: bool,
    /// What the points show over time (`facts::derive`).
    pub(crate) facts: Facts,
}

/// Derived facts, each worth a line: computed from the points alone.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Facts {
    /// Per profile and practice, the newest point at which its current level changed (from
    /// the point before it); practices whose level never changed in the walk are left out.
    pub(crate) last_changed: Vec<LevelChange>,
    /// Practices whose gap was `below` at the oldest point and is not at the newest.
    pub(crate) gaps_closed: Vec<GapChange>,
    /// Practices whose gap is `below` at the newest point and was not at the oldest.
    pub(crate) gaps_opened: Vec<GapChange>,
    /// Plan items whose due date moved later between points, with how often.
    pub(crate) slipped: Vec<Slip>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LevelChange {
    pub(crate) profile: String,
    pub(crate) practice: String,
    /// The commit and date of the point where the level changed.
    pub(crate) commit: String,
    pub(crate) date: String,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct GapChange {
    pub(crate) profile: String,
    pub(crate) practice: String,
    /// At the oldest point.
    pub(crate) from: Gap,
    /// At the newest point.
    pub(crate) to: Gap,
}

/// A plan item is the same item across points when its profile, practice and action (or,
/// without an action, its level) are the same.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Slip {
    pub(crate) profile: String,
    pub(crate) practice: String,
    pub(crate) action: Option<String>,
    pub(crate) level: Option<String>,
    /// The due date at the oldest point that has the item, and at the newest.
    pub(crate) first_due: String,
    pub(crate) last_due: String,
    /// How many times the due date moved later.
    pub(crate) times: usize,
}

/// One commit that touched the profile tree (or, with `--tags`, one tagged commit).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Point {
    /// The full object id.
    pub(crate) commit: String,
    /// The committer date, `YYYY-MM-DD` (UTC).
    pub(crate) date: String,
    /// The committer time, seconds since the epoch: orders points made on the same day.
    pub(crate) time: i64,
    /// The first line of the commit message (untrusted text: writers escape it).
    pub(crate) subject: String,
    /// Tags pointing at the commit, sorted.
    pub(crate) tags: Vec<String>,
    /// The profiles found at this commit, in path order.
    pub(crate) profiles: Vec<ProfilePoint>,
    /// Documents (profile or practice) that did not parse at this commit, by path: their
    /// levels are unknown here, never guessed.
    pub(crate) unparsed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProfilePoint {
    pub(crate) id: String,
    /// The profile document's path, relative to the repository root.
    pub(crate) path: String,
    /// Every practice of the profile's catalogue, in catalogue order.
    pub(crate) practices: Vec<PracticePoint>,
    /// Every domain and subdomain, in catalogue order, with the report's rollups.
    pub(crate) rollups: Vec<RollupPoint>,
    /// The plan items of every practice document, in catalogue then written order.
    pub(crate) plan: Vec<PlanPoint>,
    /// The evidence items of every practice document, in catalogue then written order.
    pub(crate) evidence: Vec<EvidencePoint>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PracticePoint {
    pub(crate) id: String,
    pub(crate) name: String,
    /// The parent subdomain's id.
    pub(crate) subdomain: String,
    /// The parent domain's id.
    pub(crate) domain: String,
    /// In SMM notation; `None` when no target applies.
    pub(crate) target: Option<String>,
    /// In SMM notation; `None` when not claimed (or the document is missing or unparsed).
    pub(crate) current: Option<String>,
    pub(crate) applicable: bool,
    pub(crate) gap: Gap,
    pub(crate) document: DocumentState,
}

/// Whether the practice's document could be read at this point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum DocumentState {
    Parsed,
    /// Present, with our front matter, but it did not parse: levels unknown.
    Unparsed,
    /// No document for this practice at this point.
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RollupPoint {
    pub(crate) id: String,
    pub(crate) name: String,
    /// `domain` or `subdomain`.
    pub(crate) tier: String,
    pub(crate) target: Option<String>,
    pub(crate) current: Option<String>,
    /// False when no practice below it applies.
    pub(crate) applicable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlanPoint {
    pub(crate) practice: String,
    pub(crate) action: Option<String>,
    /// The level the item is to reach, in SMM notation.
    pub(crate) level: Option<String>,
    /// `YYYY-MM-DD`.
    pub(crate) due: Option<String>,
    /// The practice's current level at this point does not yet meet the item's level (an
    /// item without a level is open).
    pub(crate) open: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EvidencePoint {
    pub(crate) practice: String,
    /// The item's `path` or `url`, as written.
    pub(crate) locator: String,
    pub(crate) kind: Option<String>,
}
