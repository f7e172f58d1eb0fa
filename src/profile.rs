//! Profiles: each profile document with the practice documents below it, its catalogue, and
//! its targets resolved through inheritance (domain → subdomain → practice).

use crate::diagnostic::{Diagnostic, Edit};
use crate::document::schema::{Front, PracticeFront, ProfileFront};
use crate::document::{Broken, Document};
use crate::model::catalogue::{Catalogue, Tier};
use crate::model::level::Level;
use crate::model::load::Catalogues;
use crate::model::mapping::Mapping;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::text::excerpt;
use crate::yaml::Spanned;
use crate::yaml::frontmatter::Marker;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug)]
pub(crate) struct Profile<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) front: &'a ProfileFront,
    pub(crate) dir: PathBuf,
    pub(crate) repo_root: PathBuf,
    pub(crate) catalogue: Arc<Catalogue>,
    /// The crosswalks the profile selects, read against its catalogue.
    pub(crate) mappings: Vec<Arc<Mapping>>,
    pub(crate) practices: Vec<Practice<'a>>,
    /// Practices claimed by documents below the profile whose front matter is broken; they
    /// are already reported and must not be reported missing too.
    pub(crate) claimed: Vec<usize>,
    pub(crate) targets: Targets,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Practice<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) front: &'a PracticeFront,
    /// The catalogue entry, when the id is known.
    pub(crate) entry: Option<usize>,
}

/// Targets per catalogue entry.
#[derive(Debug, Default)]
pub(crate) struct Targets {
    /// Entry → the explicit target's id and level as written.
    pub(crate) explicit: HashMap<usize, (Spanned<String>, Spanned<Level>)>,
    /// Entry → the target in force: explicit, else the parent's (without `+`).
    pub(crate) effective: Vec<Option<Level>>,
    /// Entries whose written target is not a valid level (already reported).
    pub(crate) invalid: Vec<usize>,
}

impl Targets {
    /// The nearest ancestor of `entry` with an explicit target.
    pub(crate) fn explicit_ancestor(
        &self,
        catalogue: &Catalogue,
        entry: usize,
    ) -> Option<(usize, &Spanned<Level>)> {
        let mut at = catalogue.entry(entry).parent;
        while let Some(i) = at {
            if let Some((_, level)) = self.explicit.get(&i) {
                return Some((i, level));
            }
            at = catalogue.entry(i).parent;
        }
        None
    }
}

/// Groups documents into profiles; reports `profile-conflict`, `profile-missing`, unknown ids.
pub(crate) fn build<'a>(
    documents: &'a [Document],
    broken: &[Broken],
    catalogues: &mut Catalogues,
    ctx: &crate::context::Context,
    out: &mut Vec<Diagnostic>,
) -> Vec<Profile<'a>> {
    build_with(documents, broken, catalogues, ctx, out, Ids::Checked)
}

/// [`build`] for the documents of one profile directory (or of none) that a run checks one
/// directory at a time: everything but profile ids used twice, which only the whole tree shows
/// (the caller keeps [`profile_ids`] and calls [`id_conflicts`] at the end).
pub(crate) fn build_unit<'a>(
    documents: &'a [Document],
    broken: &[Broken],
    catalogues: &mut Catalogues,
    ctx: &crate::context::Context,
    out: &mut Vec<Diagnostic>,
) -> Vec<Profile<'a>> {
    build_with(documents, broken, catalogues, ctx, out, Ids::Elsewhere)
}

/// Whether [`build_with`] reports profile ids used twice among its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ids {
    Checked,
    Elsewhere,
}

/// What `profile-conflict` needs of a profile document to report its id used twice: small,
/// so that a run checking one directory at a time can keep it for every profile to the end.
#[derive(Debug, Clone)]
pub(crate) struct ProfileId {
    pub(crate) path: PathBuf,
    pub(crate) file: Arc<SourceFile>,
    pub(crate) id: Spanned<String>,
}

/// The ids of the profile documents among `documents`, in their order.
pub(crate) fn profile_ids(documents: &[Document]) -> Vec<ProfileId> {
    documents
        .iter()
        .filter_map(|doc| match &doc.front {
            Front::Profile(front) => Some(ProfileId {
                path: doc.path.clone(),
                file: Arc::clone(&doc.file),
                id: front.id.clone(),
            }),
            Front::Practice(_) => None,
        })
        .collect()
}

/// `profile-conflict` on every profile document whose id another one uses too.
pub(crate) fn id_conflicts(ids: &[ProfileId], out: &mut Vec<Diagnostic>) {
    let mut by_id: BTreeMap<&str, Vec<&ProfileId>> = BTreeMap::new();
    for p in ids {
        by_id.entry(p.id.value.as_str()).or_default().push(p);
    }
    for (id, docs) in by_id.iter().filter(|(_, docs)| docs.len() > 1) {
        for doc in docs {
            let others: Vec<&str> = docs
                .iter()
                .filter(|d| d.path != doc.path)
                .map(|d| d.file.name.as_str())
                .collect();
            out.push(
                Diagnostic::new(
                    Rule::ProfileConflict,
                    &doc.file,
                    doc.id.span.clone(),
                    format!(
                        "profile id `{}` is also used by {}",
                        excerpt(id),
                        others.join(", ")
                    ),
                )
                .label("duplicate id")
                .help("give each system of interest its own profile id"),
            );
        }
    }
}

fn build_with<'a>(
    documents: &'a [Document],
    broken: &[Broken],
    catalogues: &mut Catalogues,
    ctx: &crate::context::Context,
    out: &mut Vec<Diagnostic>,
    ids: Ids,
) -> Vec<Profile<'a>> {
    let mut grouped: BTreeMap<PathBuf, Vec<(&'a Document, &'a ProfileFront)>> = BTreeMap::new();
    for doc in documents {
        if let Front::Profile(front) = &doc.front {
            let dir = doc.path.parent().map(Path::to_path_buf).unwrap_or_default();
            grouped.entry(dir).or_default().push((doc, front));
        }
    }
    // A directory with several profiles is reported on each of them and checked against none:
    // any choice between them would be arbitrary.
    let mut conflicted: Vec<PathBuf> = Vec::new();
    let mut by_dir: BTreeMap<PathBuf, (&'a Document, &'a ProfileFront)> = BTreeMap::new();
    for (dir, group) in grouped {
        if let [only] = group.as_slice() {
            by_dir.insert(dir, *only);
            continue;
        }
        let names: Vec<&str> = group.iter().map(|(d, _)| d.file.name.as_str()).collect();
        for (doc, front) in &group {
            out.push(
                Diagnostic::new(
                    Rule::ProfileConflict,
                    &doc.file,
                    front.id.span.clone(),
                    format!(
                        "{} profiles in one directory: {}",
                        group.len(),
                        names.join(", ")
                    ),
                )
                .label("one of them")
                .help(
                    "a directory holds one profile; move the others into directories of their own",
                ),
            );
        }
        conflicted.push(dir);
    }
    if ids == Ids::Checked {
        id_conflicts(&profile_ids(documents), out);
    }
    let broken_profiles: Vec<&Path> = broken
        .iter()
        .filter(|b| b.marker == Marker::Profile)
        .filter_map(|b| b.path.parent())
        .chain(conflicted.iter().map(PathBuf::as_path))
        .collect();
    let owner_of = |path: &Path| -> Option<PathBuf> {
        path.ancestors()
            .skip(1)
            .find(|d| by_dir.contains_key(*d) || broken_profiles.contains(d))
            .map(Path::to_path_buf)
    };
    let mut claims: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for b in broken {
        if let (Marker::Practice(Some(id)), Some(dir)) = (&b.marker, owner_of(&b.path)) {
            claims.entry(dir).or_default().push(id.clone());
        }
    }
    let mut members: BTreeMap<PathBuf, Vec<&'a Document>> = BTreeMap::new();
    for doc in documents {
        let Front::Practice(front) = &doc.front else {
            continue;
        };
        match owner_of(&doc.path) {
            Some(dir) => members.entry(dir).or_default().push(doc),
            None => out.push(
                Diagnostic::new(Rule::ProfileMissing, &doc.file, front.practice.span.clone(), format!("practice `{}` has no profile document in its directory or above", excerpt(&front.practice.value)))
                    .label("belongs to no profile")
                    .help("put a profile document (front matter with `profile:`) in this directory or one above it"),
            ),
        }
    }
    let mut profiles = Vec::new();
    for (dir, (doc, front)) in by_dir {
        let repo_root = ctx.repo_root(&dir);
        let Some(catalogue) =
            catalogues.for_model(front.model.as_ref(), &doc.file, &dir, &repo_root, out)
        else {
            continue;
        };
        let targets = resolve_targets(doc, front, &catalogue, out);
        let mappings = catalogues.mappings_for(
            &front.mappings,
            &doc.file,
            &dir,
            &repo_root,
            &catalogue,
            out,
        );
        let claimed = claims
            .remove(&dir)
            .unwrap_or_default()
            .iter()
            .filter_map(|id| catalogue.find(id).map(|f| f.index))
            .collect();
        let practices = members
            .remove(&dir)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| match &d.front {
                Front::Practice(p) => Some(practice(d, p, &catalogue, out)),
                Front::Profile(_) => None,
            })
            .collect();
        profiles.push(Profile {
            doc,
            front,
            dir,
            repo_root,
            catalogue,
            mappings,
            practices,
            claimed,
            targets,
        });
    }
    profiles
}

fn practice<'a>(
    doc: &'a Document,
    front: &'a PracticeFront,
    catalogue: &Catalogue,
    out: &mut Vec<Diagnostic>,
) -> Practice<'a> {
    let id = &front.practice;
    let entry = match catalogue.find(&id.value) {
        Some(found) if catalogue.entry(found.index).tier == Tier::Practice => Some(found.index),
        Some(found) => {
            let e = catalogue.entry(found.index);
            out.push(
                Diagnostic::new(
                    Rule::UnknownId,
                    &doc.file,
                    id.span.clone(),
                    format!("`{}` is a {}, not a practice", e.id, e.tier.name()),
                )
                .help(format!(
                    "a practice document names one practice: one of {}",
                    child_practices(catalogue, found.index)
                )),
            );
            None
        }
        None => {
            let close = only_close(catalogue, &id.value, Some(Tier::Practice));
            out.push(with_id_fix(
                unknown_id(doc, id, catalogue, Some(Tier::Practice)),
                doc,
                id,
                catalogue,
                close,
                Some(Tier::Practice),
            ));
            close
        }
    };
    Practice { doc, front, entry }
}

fn child_practices(catalogue: &Catalogue, index: usize) -> String {
    let ids: Vec<String> = catalogue
        .descendants(index)
        .into_iter()
        .filter(|&i| catalogue.entry(i).tier == Tier::Practice)
        .map(|i| format!("`{}`", catalogue.entry(i).id))
        .collect();
    ids.join(", ")
}

/// An unambiguous typo is fixable: the one id it is very close to, written in full. When
/// several are, the help lists them and says why nothing is fixed.
fn with_id_fix(
    d: Diagnostic,
    doc: &Document,
    id: &Spanned<String>,
    catalogue: &Catalogue,
    close: Option<usize>,
    tier: Option<Tier>,
) -> Diagnostic {
    match close {
        Some(entry) => d.fix(Edit::scalar(
            &doc.file,
            id.span.clone(),
            &catalogue.entry(entry).id,
        )),
        None if !catalogue.very_close(&id.value, tier).is_empty() => {
            d.not_fixed("more than one id is close")
        }
        None => d,
    }
}

/// The entry of the one id very close to `id` (an unambiguous typo), aliases resolved.
fn only_close(catalogue: &Catalogue, id: &str, tier: Option<Tier>) -> Option<usize> {
    let mut entries: Vec<usize> = catalogue
        .very_close(id, tier)
        .iter()
        .filter_map(|c| catalogue.find(c))
        .map(|f| f.index)
        .collect();
    entries.dedup();
    match entries.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// `tier` narrows the suggestions (a `practice:` value must name a practice).
fn unknown_id(
    doc: &Document,
    id: &Spanned<String>,
    catalogue: &Catalogue,
    tier: Option<Tier>,
) -> Diagnostic {
    let what = tier.map_or("target", Tier::name);
    // The ids a fix could choose from, when there are any: the help then names exactly the
    // candidates `--fix` weighs, and a fix is made only when it names one.
    let very_close = catalogue.very_close(&id.value, tier);
    let close = if very_close.is_empty() {
        catalogue.suggestions(&id.value, tier)
    } else {
        very_close
    };
    let nearest = if close.is_empty() {
        catalogue.nearest(&id.value, 3, tier)
    } else {
        Vec::new()
    };
    let help = if !close.is_empty() {
        format!("did you mean {}?", crate::text::suggest::quoted(&close))
    } else if !nearest.is_empty() {
        format!(
            "the closest ids are {}; aliases of the catalogue's ids are accepted too",
            crate::text::suggest::quoted(&nearest)
        )
    } else {
        "use an id of the catalogue, or one of its aliases".to_owned()
    };
    Diagnostic::new(
        Rule::UnknownId,
        &doc.file,
        id.span.clone(),
        format!(
            "unknown {what} id `{}` in catalogue `{}`",
            excerpt(&id.value),
            catalogue.id
        ),
    )
    .label("not in the catalogue")
    .help(help)
}

fn resolve_targets(
    doc: &Document,
    front: &ProfileFront,
    catalogue: &Catalogue,
    out: &mut Vec<Diagnostic>,
) -> Targets {
    let mut targets = Targets::default();
    for t in &front.targets {
        let Some(found) = catalogue.find(&t.id.value) else {
            let close = only_close(catalogue, &t.id.value, None);
            out.push(with_id_fix(
                unknown_id(doc, &t.id, catalogue, None),
                doc,
                &t.id,
                catalogue,
                close,
                None,
            ));
            // A clear typo is read as the id it is close to, so the error is not followed by
            // findings about the target it failed to set.
            if let (Some(index), Some(level)) = (only_close(catalogue, &t.id.value, None), &t.level)
            {
                targets
                    .explicit
                    .entry(index)
                    .or_insert_with(|| (t.id.clone(), level.clone()));
            }
            continue;
        };
        let Some(level) = &t.level else {
            targets.invalid.push(found.index);
            continue;
        };
        if let Some((first, _)) = targets.explicit.get(&found.index) {
            out.push(Diagnostic::new(
                Rule::FrontMatterSchema,
                &doc.file,
                t.id.span.clone(),
                format!(
                    "the target of `{}` is set twice (also as `{}`)",
                    catalogue.entry(found.index).id,
                    first.value
                ),
            ));
            continue;
        }
        targets
            .explicit
            .insert(found.index, (t.id.clone(), level.clone()));
    }
    let levels: HashMap<usize, Level> = targets
        .explicit
        .iter()
        .map(|(&i, (_, level))| (i, level.value))
        .collect();
    targets.effective = effective_levels(catalogue, &levels);
    targets
}

/// The target in force for every catalogue entry: its explicit one, else its parent's (the
/// parent's level without `+` marks), else none.
pub(crate) fn effective_levels(
    catalogue: &Catalogue,
    explicit: &HashMap<usize, Level>,
) -> Vec<Option<Level>> {
    let mut effective = vec![None; catalogue.entries.len()];
    for i in catalogue.ordered() {
        let inherited = catalogue
            .entry(i)
            .parent
            .and_then(|p| effective[p])
            .map(Level::base);
        effective[i] = explicit.get(&i).copied().or(inherited);
    }
    effective
}

/// The `+` marks a parent's target must carry: on the level when a descendant is higher, on
/// the scope when a descendant is narrower. Returns the level with those marks, and the first
/// such descendants (for messages).
pub(crate) fn rollup_marks(
    catalogue: &Catalogue,
    effective: &[Option<Level>],
    entry: usize,
    own: Level,
) -> (Level, Option<usize>, Option<usize>) {
    let below = catalogue.descendants(entry);
    let higher = below
        .iter()
        .copied()
        .find(|&d| effective[d].is_some_and(|t| t.comp > own.comp));
    let narrower = below
        .iter()
        .copied()
        .find(|&d| effective[d].is_some_and(|t| t.scope > own.scope));
    let want = Level {
        comp_plus: higher.is_some(),
        scope_plus: narrower.is_some(),
        ..own
    };
    (want, higher, narrower)
}
