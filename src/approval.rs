//! The sign-off on a profile's targets: their canonical form, its hash, and whether the
//! `approved:` hash still matches the targets (and if not, what changed since).
//!
//! The canonical form is independent of how the targets are written (order, spacing, quoting,
//! an alias for an id), so only a change to what they mean invalidates a sign-off:
//!
//! ```text
//! smm-lint targets v1
//! <canonical id> <level in the SMM notation>    (one line per explicit target, sorted by id)
//! ```
//!
//! Every line ends with `\n`; the hash is the SHA-256 of those UTF-8 bytes, written
//! `sha256:<64 lowercase hex digits>`.

mod history;

use crate::context::Context;
use crate::document::schema::{Approval, ProfileFront, TARGETS_HASH_PREFIX};
use crate::model::catalogue::Catalogue;
use crate::profile::Profile;
use crate::text::excerpt;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The first line of the canonical form; a new version of the form gets a new line.
pub(crate) const HEADER: &str = "smm-lint targets v1";

/// The canonical form of the profile's explicit targets, or why there is none (the reasons of
/// targets that do not read: an unknown id, an invalid level, a target set twice).
pub(crate) fn canonical(
    front: &ProfileFront,
    catalogue: &Catalogue,
) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    if front.targets_unread {
        problems.push("`targets` holds a value that is not a target".to_owned());
    }
    let mut lines: BTreeMap<&str, String> = BTreeMap::new();
    for t in &front.targets {
        let Some(found) = catalogue.find(&t.id.value) else {
            problems.push(format!(
                "`{}` is not an id of the catalogue",
                excerpt(&t.id.value)
            ));
            continue;
        };
        let id = catalogue.entry(found.index).id.as_str();
        let Some(level) = &t.level else {
            problems.push(format!("the target of `{id}` is not a valid level"));
            continue;
        };
        if lines.insert(id, level.value.to_string()).is_some() {
            problems.push(format!("the target of `{id}` is set twice"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut text = format!("{HEADER}\n");
    for (id, level) in lines {
        let _ = writeln!(text, "{id} {level}");
    }
    Ok(text)
}

/// `sha256:` and the lowercase hex SHA-256 of the canonical form.
pub(crate) fn hash(canonical: &str) -> String {
    let digest = Sha256::digest(canonical.as_bytes());
    let mut out = String::from(TARGETS_HASH_PREFIX);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Where a profile's sign-off stands.
#[derive(Debug)]
pub(crate) enum Status<'p> {
    /// No `approved:` key.
    Missing,
    /// An `approved:` key that does not read (already reported by the schema).
    Unreadable,
    /// The approved hash is the hash of the targets as they are.
    Current(&'p Approval),
    /// The targets changed since they were approved.
    Stale {
        approval: &'p Approval,
        changes: Changes,
    },
}

/// What changed since the approval, when the approved targets could be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Changes {
    Listed(Vec<Change>),
    /// Why the changed targets cannot be listed.
    Unknown(String),
}

/// One target that differs from the approved one (levels in the SMM notation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) id: String,
    pub(crate) approved: Option<String>,
    pub(crate) now: Option<String>,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.approved, &self.now) {
            (Some(a), Some(n)) => write!(f, "{}: {a} → {n}", self.id),
            (None, Some(n)) => write!(f, "{}: added, {n}", self.id),
            (Some(a), None) => write!(f, "{}: removed, was {a}", self.id),
            (None, None) => write!(f, "{}", self.id),
        }
    }
}

/// Where `profile`'s sign-off stands. A stale one is looked up in the git history of the
/// profile document, to list what changed.
pub(crate) fn status<'p>(profile: &'p Profile<'_>, ctx: &Context) -> Status<'p> {
    let front = profile.front;
    let Some(approval) = &front.approval else {
        return match front.approved_key {
            Some(_) => Status::Unreadable,
            None => Status::Missing,
        };
    };
    let now = canonical(front, &profile.catalogue);
    if now
        .as_deref()
        .is_ok_and(|c| hash(c) == approval.targets.value)
    {
        return Status::Current(approval);
    }
    let changes = match now {
        Err(_) => Changes::Unknown(
            "the targets do not read as they are written now (see the other findings)".to_owned(),
        ),
        Ok(now) => match history::approved_targets(profile, &approval.targets.value, ctx) {
            Ok(approved) => Changes::Listed(diff(&approved, &now)),
            Err(why) => Changes::Unknown(why),
        },
    };
    Status::Stale { approval, changes }
}

/// The targets of a canonical form, id → level.
fn entries(canonical: &str) -> BTreeMap<&str, &str> {
    canonical
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(' '))
        .collect()
}

/// The targets that differ between two canonical forms, in id order.
fn diff(approved: &str, now: &str) -> Vec<Change> {
    let (before, after) = (entries(approved), entries(now));
    let mut ids: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter(|id| before.get(id) != after.get(id))
        .map(|id| Change {
            id: id.to_owned(),
            approved: before.get(id).map(|l| (*l).to_owned()),
            now: after.get(id).map(|l| (*l).to_owned()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{self, schema::Front};

    fn front(targets: &str) -> ProfileFront {
        let text = format!("---\nprofile: p\ntargets:\n{targets}---\n");
        let parsed = document::parse("p.md".into(), "p.md".into(), text.as_bytes(), &[]);
        match parsed.document.map(|d| d.front) {
            Some(Front::Profile(front)) => front,
            other => panic!("not a profile: {other:?}"),
        }
    }

    fn canonical_of(targets: &str) -> Result<String, Vec<String>> {
        let catalogue = Catalogue::builtin().expect("catalogue");
        canonical(&front(targets), &catalogue)
    }

    #[test]
    fn the_canonical_form_is_sorted_and_normalised() {
        let form =
            canonical_of("  patch-management: ' 2 / industry '\n  governance: 2+/general+\n")
                .expect("valid");
        assert_eq!(
            form,
            "smm-lint targets v1\ngovernance 2+/general+\npatch-management 2/industry\n"
        );
        let reordered =
            canonical_of("  governance: \"2+/general+\"\n  patch-management: 2/industry\n");
        assert_eq!(reordered.as_ref(), Ok(&form));
        assert_eq!(hash(&form), hash(&form.clone()));
        assert!(crate::document::schema::is_targets_hash(&hash(&form)));
    }

    #[test]
    fn any_change_of_level_scope_or_plus_changes_the_hash() {
        let base = hash(&canonical_of("  governance: 2/general\n").expect("valid"));
        for changed in ["3/general", "2/industry", "2+/general", "2/general+"] {
            let other = canonical_of(&format!("  governance: {changed}\n")).expect("valid");
            assert_ne!(hash(&other), base, "{changed}");
        }
    }

    #[test]
    fn targets_that_do_not_read_have_no_canonical_form() {
        let errs = canonical_of("  governance: 2/nowhere\n  no-such-id: 1/general\n")
            .expect_err("invalid");
        assert_eq!(errs.len(), 2, "{errs:?}");
        let errs = canonical_of("  - governance\n").expect_err("not a mapping");
        assert_eq!(errs.len(), 1, "{errs:?}");
    }

    #[test]
    fn the_diff_lists_changed_added_and_removed_targets() {
        let before = "smm-lint targets v1\na 1/general\nb 2/general\n";
        let after = "smm-lint targets v1\nb 3/general\nc 1/system\n";
        let lines: Vec<String> = diff(before, after).iter().map(|c| c.to_string()).collect();
        assert_eq!(
            lines,
            [
                "a: removed, was 1/general",
                "b: 2/general → 3/general",
                "c: added, 1/system"
            ]
        );
    }
}
