//! The gap table: per profile and practice, target against current. Shared by the job summary
//! (`--format summary-md`) and any report that shows the gaps.

use crate::diagnostic::Diagnostic;
use crate::model::catalogue::Tier;
use crate::model::level::{Level, Scope};
use crate::profile::{Practice, Profile, rollup_marks};
use std::fmt;

/// How to read the rollup rows, printed under every gap table (the README's definition).
pub(crate) const ROLLUP_NOTE: &str = "Rollups use the SMM notation. A domain or subdomain whose target is set in the profile shows that target, with `+` where some practices below it are set higher or narrower. Every other rollup, and every current-state rollup, is the level and scope every child reaches, with `+` where some go beyond it. Practices marked not applicable are left out (n/a).";

#[derive(Debug, Clone)]
pub struct GapRow {
    pub(crate) profile: String,
    /// Domain and subdomain rows carry rollups; practice rows a practice's own levels.
    pub(crate) tier: Tier,
    pub(crate) practice: String,
    pub(crate) name: String,
    pub(crate) target: Option<Level>,
    pub(crate) current: Option<Level>,
    /// False when the document says `applicable: false` (for a rollup row: when no practice below
    /// it applies).
    pub(crate) applicable: bool,
    /// Findings on the practice document that count (not waived).
    pub(crate) findings: usize,
}

impl GapRow {
    pub(crate) fn gap(&self) -> Gap {
        describe(self.target, self.current, self.applicable)
    }
}

/// How a practice stands against its target. Words only in [`fmt::Display`] (and so in the
/// JSON, which writes the words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    Met,
    /// More comprehensive or narrower than the target, and short of it in neither.
    Above,
    /// Short of the target: by `levels` comprehensiveness levels (0 when only the scope is
    /// short) and, when the scope is broader than needed, by `scope` (claimed, needed).
    Below {
        levels: u8,
        scope: Option<(Scope, Scope)>,
    },
    /// No target, or no claimed current level.
    NoClaim,
    NotApplicable,
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Gap::Met => f.write_str("met"),
            Gap::Above => f.write_str("above"),
            Gap::NoClaim => f.write_str("no claim"),
            Gap::NotApplicable => f.write_str("not applicable"),
            Gap::Below { levels, scope } => {
                if levels > 0 {
                    let levels = crate::text::plural(usize::from(levels), "level", "levels");
                    write!(f, "{levels} below")?;
                }
                if let Some((have, need)) = scope {
                    let sep = if levels > 0 { "; " } else { "" };
                    write!(f, "{sep}scope {}, needs {}", have.name(), need.name())?;
                }
                Ok(())
            }
        }
    }
}

impl serde::Serialize for Gap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Test builds read the model back from JSON: the gap whose words these are.
#[cfg(test)]
impl<'de> serde::Deserialize<'de> for Gap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text: String = serde::Deserialize::deserialize(d)?;
        let mut all = vec![Gap::Met, Gap::Above, Gap::NoClaim, Gap::NotApplicable];
        for levels in 0..=crate::model::level::MAX_LEVEL {
            all.push(Gap::Below {
                levels,
                scope: None,
            });
            for have in Scope::ALL {
                for need in Scope::ALL {
                    all.push(Gap::Below {
                        levels,
                        scope: Some((have, need)),
                    });
                }
            }
        }
        all.into_iter()
            .find(|g| g.to_string() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a gap: {text}")))
    }
}

/// The gap between `target` and `current`: in words `met`, `2 levels below`,
/// `scope general, needs industry`, `above`, `no claim`, `not applicable`.
pub(crate) fn describe(target: Option<Level>, current: Option<Level>, applicable: bool) -> Gap {
    if !applicable {
        return Gap::NotApplicable;
    }
    let (Some(t), Some(c)) = (target, current) else {
        return Gap::NoClaim;
    };
    let levels = t.comp.saturating_sub(c.comp);
    let scope = (c.scope < t.scope).then_some((c.scope, t.scope));
    if levels > 0 || scope.is_some() {
        Gap::Below { levels, scope }
    } else if c.comp > t.comp || c.scope > t.scope {
        Gap::Above
    } else {
        Gap::Met
    }
}

/// A practice's own levels, as every format shows them: the target in force (its own or
/// inherited, without `+`) and the level its document claims. A practice that does not apply
/// has no current level (not level 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PracticeLevels {
    pub(crate) target: Option<Level>,
    pub(crate) current: Option<Level>,
    /// False when the document says `applicable: false`.
    pub(crate) applicable: bool,
}

impl PracticeLevels {
    pub(crate) fn of(p: &Profile<'_>, entry: usize) -> PracticeLevels {
        let doc = practice_doc(p, entry);
        let applicable = applicable(doc);
        PracticeLevels {
            target: p.targets.effective[entry].map(Level::base),
            current: doc
                .and_then(|d| d.front.current.as_ref())
                .map(|c| c.value)
                .filter(|_| applicable),
            applicable,
        }
    }

    pub(crate) fn gap(&self) -> Gap {
        describe(self.target, self.current, self.applicable)
    }
}

/// One row per domain, subdomain and practice of each profile, in catalogue order. Domain and
/// subdomain rows carry the rollups ([`rollups`]); practice rows the practice's own levels.
pub(crate) fn rows(profiles: &[Profile<'_>], diagnostics: &[Diagnostic]) -> Vec<GapRow> {
    let mut rows = Vec::new();
    for p in profiles {
        let cat = &p.catalogue;
        let rolled = rollups(p);
        for entry in cat.ordered() {
            let node = cat.entry(entry);
            let doc = practice_doc(p, entry);
            let path = doc.map(|d| d.doc.file.name.clone());
            let findings = path.as_ref().map_or(0, |name| {
                crate::sink::on_file(diagnostics, name)
                    .iter()
                    .filter(|d| d.waived.is_none())
                    .count()
            });
            let levels = if node.tier == Tier::Practice {
                PracticeLevels::of(p, entry)
            } else {
                PracticeLevels {
                    target: rolled.target[entry],
                    current: rolled.current[entry],
                    applicable: rolled.current[entry].is_some(),
                }
            };
            rows.push(GapRow {
                profile: p.front.id.value.clone(),
                tier: node.tier,
                practice: node.id.clone(),
                name: node.name.clone(),
                target: levels.target,
                current: levels.current,
                applicable: levels.applicable,
                findings,
            });
        }
    }
    rows
}

/// The target and current rollup of every catalogue entry of one profile, indexed by entry: the
/// one source of the rollups every format shows.
///
/// - A practice's target is the one in force (its own or inherited, without `+`), its current
///   the level its document claims (0/general when nothing is claimed). A practice marked
///   `applicable: false` has neither: it is left out of its parents' rollups.
/// - A domain or subdomain whose target is set in the profile rolls up to that target with the
///   `+` marks its descendants require (what `rollup-mismatch` asks to be written).
/// - Every other rollup is what the children say: the level and the scope every child reaches,
///   with `+` where some go beyond. `None` when no child is applicable.
#[derive(Debug, Clone)]
pub(crate) struct Rollups {
    pub(crate) target: Vec<Option<Level>>,
    pub(crate) current: Vec<Option<Level>>,
}

pub(crate) fn rollups(p: &Profile<'_>) -> Rollups {
    let cat = &p.catalogue;
    let mut out = Rollups {
        target: vec![None; cat.entries.len()],
        current: vec![None; cat.entries.len()],
    };
    // Children before their parents.
    for entry in cat.ordered().into_iter().rev() {
        let node = cat.entry(entry);
        if node.tier == Tier::Practice {
            let doc = practice_doc(p, entry);
            if !applicable(doc) {
                continue;
            }
            out.target[entry] = p.targets.effective[entry].map(Level::base);
            out.current[entry] = Some(
                doc.and_then(|d| d.front.current.as_ref())
                    .map_or(Level::new(0, Scope::General), |c| c.value),
            );
            continue;
        }
        out.target[entry] = match p.targets.explicit.get(&entry) {
            Some((_, own)) => {
                Some(rollup_marks(cat, &p.targets.effective, entry, own.value.base()).0)
            }
            None => reach(node.children.iter().map(|&c| out.target[c])),
        };
        out.current[entry] = reach(node.children.iter().map(|&c| out.current[c]));
    }
    out
}

/// The SMM rollup of some levels: the level and the scope every one of them reaches, each with
/// `+` when some go beyond it (or carry a `+` of their own). Absent levels are left out.
pub(crate) fn reach(levels: impl Iterator<Item = Option<Level>>) -> Option<Level> {
    let levels: Vec<Level> = levels.flatten().collect();
    let comp = levels.iter().map(|l| l.comp).min()?;
    let scope = levels.iter().map(|l| l.scope).min()?;
    Some(Level {
        comp,
        comp_plus: levels.iter().any(|l| l.comp > comp || l.comp_plus),
        scope,
        scope_plus: levels.iter().any(|l| l.scope > scope || l.scope_plus),
    })
}

/// The document of a practice, when the profile has one (the first, when it has several).
pub(crate) fn practice_doc<'p, 'a>(p: &'p Profile<'a>, entry: usize) -> Option<&'p Practice<'a>> {
    p.practices.iter().find(|d| d.entry == Some(entry))
}

/// False only when the practice's document says `applicable: false`.
pub(crate) fn applicable(doc: Option<&Practice<'_>>) -> bool {
    doc.and_then(|d| d.front.applicable.as_ref())
        .is_none_or(|a| a.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(text: &str) -> Option<Level> {
        Some(Level::parse(text).expect("level"))
    }

    #[test]
    fn reach_is_the_level_every_child_reaches_with_plus_beyond() {
        assert_eq!(
            reach([l("3/general"), l("3/system")].into_iter()),
            l("3/general+")
        );
        assert_eq!(
            reach([l("2/general"), l("3/general")].into_iter()),
            l("2+/general")
        );
        assert_eq!(
            reach([l("2/industry"), l("2+/industry")].into_iter()),
            l("2+/industry")
        );
        assert_eq!(reach([l("2/general"), None].into_iter()), l("2/general"));
        assert_eq!(reach([None, None].into_iter()), None);
    }
}
