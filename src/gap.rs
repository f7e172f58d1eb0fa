//! The gap table: per profile and practice, target against current. Shared by the job summary
//! (`--format summary-md`) and any report that shows the gaps.

use crate::diagnostic::Diagnostic;
use crate::model::catalogue::Tier;
use crate::model::level::Level;
use crate::profile::Profile;

#[derive(Debug, Clone)]
pub struct GapRow {
    pub profile: String,
    pub practice: String,
    pub name: String,
    pub target: Option<Level>,
    pub current: Option<Level>,
    /// False when the document says `applicable: false`.
    pub applicable: bool,
    /// The practice document's path, when there is one.
    pub path: Option<String>,
    /// Findings on the practice document that count (not waived).
    pub findings: usize,
}

impl GapRow {
    pub fn gap(&self) -> String {
        describe(self.target, self.current, self.applicable)
    }
}

/// The gap in words: `met`, `2 levels below`, `scope general, needs industry`, `above`,
/// `no claim`, `not applicable`.
pub fn describe(target: Option<Level>, current: Option<Level>, applicable: bool) -> String {
    if !applicable {
        return "not applicable".to_owned();
    }
    let (Some(t), Some(c)) = (target, current) else {
        return "no claim".to_owned();
    };
    let mut parts = Vec::new();
    if c.comp < t.comp {
        let n = t.comp - c.comp;
        parts.push(format!("{n} level{} below", if n == 1 { "" } else { "s" }));
    }
    if c.scope < t.scope {
        parts.push(format!(
            "scope {}, needs {}",
            c.scope.name(),
            t.scope.name()
        ));
    }
    if !parts.is_empty() {
        parts.join("; ")
    } else if c.comp > t.comp || c.scope > t.scope {
        "above".to_owned()
    } else {
        "met".to_owned()
    }
}

/// One row per practice of each profile, in catalogue order.
pub fn rows(profiles: &[Profile<'_>], diagnostics: &[Diagnostic]) -> Vec<GapRow> {
    let mut rows = Vec::new();
    for p in profiles {
        let cat = &p.catalogue;
        for entry in cat
            .ordered()
            .into_iter()
            .filter(|&e| cat.entry(e).tier == Tier::Practice)
        {
            let doc = p.practices.iter().find(|d| d.entry == Some(entry));
            let path = doc.map(|d| d.doc.file.name.clone());
            let findings = path.as_ref().map_or(0, |name| {
                diagnostics
                    .iter()
                    .filter(|d| d.waived.is_none() && &d.file.name == name)
                    .count()
            });
            rows.push(GapRow {
                profile: p.front.id.value.clone(),
                practice: cat.entry(entry).id.clone(),
                name: cat.entry(entry).name.clone(),
                target: p.targets.effective[entry].map(Level::base),
                current: doc.and_then(|d| d.front.current.as_ref()).map(|c| c.value),
                applicable: doc
                    .and_then(|d| d.front.applicable.as_ref())
                    .is_none_or(|a| a.value),
                path,
                findings,
            });
        }
    }
    rows
}
