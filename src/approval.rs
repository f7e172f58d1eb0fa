//! The sign-off on a profile's targets: their canonical form, its hash, and whether the
//! `approved:` hash still matches the targets (and if not, what changed since).
//!
//! The canonical form is independent of how the targets are written (order, spacing, quoting,
//! an alias for an id), so only a change to what they mean invalidates a sign-off. What a level
//! or a scope means depends on the catalogue (`model:`) and on the industry (`industry:`), so
//! both are part of it; `system:` is a free description and is not:
//!
//! ```text
//! smm-lint targets v1
//! model: <the `model:` value, trimmed; `iic-smm` when there is none>
//! industry: <the `industry:` value, trimmed>    (`industry:` alone when there is none)
//! <canonical id> <level in the SMM notation>    (one line per explicit target, sorted by id)
//! ```
//!
//! Inside a value a backslash is doubled and a line break or tab written as `\n`, `\r`, `\t`,
//! so every value stays on its line. Every line ends with `\n`; the hash is the SHA-256 of those
//! UTF-8 bytes, written `sha256:<64 lowercase hex digits>`.

mod history;

use crate::context::Context;
use crate::document::schema::{Approval, ProfileFront, TARGETS_HASH_PREFIX};
use crate::model::catalogue::{BUILTIN_ID, Catalogue};
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
    let model = front.model.as_ref().map_or(BUILTIN_ID, |m| m.value.trim());
    let mut text = format!("{HEADER}\n{MODEL}{}\n{INDUSTRY}", field(model));
    if let Some(industry) = &front.industry {
        let _ = write!(text, " {}", field(industry.value.trim()));
    }
    text.push('\n');
    for (id, level) in lines {
        let _ = writeln!(text, "{id} {level}");
    }
    Ok(text)
}

/// The line of the catalogue a profile's targets are read against.
const MODEL: &str = "model: ";
/// The line of the industry that an `industry` scope stands for.
const INDUSTRY: &str = "industry:";

/// A value on one line of the canonical form: its line breaks and tabs written as `\n`, `\r`,
/// `\t`, so that no value can add a line.
fn field(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
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

/// A canonical form read back: its model and industry lines, and its targets, id → level.
struct Parts<'a> {
    model: Option<&'a str>,
    industry: Option<&'a str>,
    targets: BTreeMap<&'a str, &'a str>,
}

fn parts(canonical: &str) -> Parts<'_> {
    let mut lines = canonical.lines().skip(1);
    let model = lines.next().and_then(|l| l.strip_prefix(MODEL));
    let industry = lines
        .next()
        .and_then(|l| l.strip_prefix(INDUSTRY))
        .and_then(|rest| rest.strip_prefix(' '));
    let targets = lines.filter_map(|line| line.split_once(' ')).collect();
    Parts {
        model,
        industry,
        targets,
    }
}

/// What differs between two canonical forms: the model, the industry, then the targets in id
/// order.
fn diff(approved: &str, now: &str) -> Vec<Change> {
    let (before, after) = (parts(approved), parts(now));
    let mut changes = Vec::new();
    for (name, was, is) in [
        ("model", before.model, after.model),
        ("industry", before.industry, after.industry),
    ] {
        if was != is {
            changes.push(Change {
                id: format!("`{name}`"),
                approved: was.map(str::to_owned),
                now: is.map(str::to_owned),
            });
        }
    }
    let (before, after) = (before.targets, after.targets);
    let mut ids: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    changes.extend(
        ids.into_iter()
            .filter(|id| before.get(id) != after.get(id))
            .map(|id| Change {
                id: id.to_owned(),
                approved: before.get(id).map(|l| (*l).to_owned()),
                now: after.get(id).map(|l| (*l).to_owned()),
            }),
    );
    changes
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
            "smm-lint targets v1\nmodel: iic-smm\nindustry:\ngovernance 2+/general+\npatch-management 2/industry\n"
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
    fn model_and_industry_are_part_of_the_form_and_system_is_not() {
        let catalogue = Catalogue::builtin().expect("catalogue");
        let form = |head: &str| {
            let text = format!("---\nprofile: p\n{head}targets:\n  governance: 2/industry\n---\n");
            let parsed = document::parse("p.md".into(), "p.md".into(), text.as_bytes(), &[]);
            match parsed.document.map(|d| d.front) {
                Some(Front::Profile(front)) => canonical(&front, &catalogue).expect("valid"),
                other => panic!("not a profile: {other:?}"),
            }
        };
        let base = form("industry: energy\n");
        assert_eq!(
            base,
            "smm-lint targets v1\nmodel: iic-smm\nindustry: energy\ngovernance 2/industry\n"
        );
        assert_eq!(form("model: iic-smm\nindustry: ' energy '\n"), base);
        assert_eq!(
            form("industry: energy\nsystem: Another description\n"),
            base
        );
        assert_ne!(form("industry: water\n"), base);
        assert_ne!(form(""), base);
        assert_ne!(form("model: models/ext.yaml\nindustry: energy\n"), base);
        assert_eq!(
            form("industry: \"a\\nb\\\\n\"\n").lines().nth(2),
            Some("industry: a\\nb\\\\n")
        );
        let lines: Vec<String> = diff(&form(""), &form("model: m.yaml\nindustry: energy\n"))
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            lines,
            ["`model`: iic-smm → m.yaml", "`industry`: added, energy"]
        );
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
        let before = "smm-lint targets v1\nmodel: iic-smm\nindustry:\na 1/general\nb 2/general\n";
        let after = "smm-lint targets v1\nmodel: iic-smm\nindustry:\nb 3/general\nc 1/system\n";
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
