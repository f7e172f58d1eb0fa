//! `check --fix` and `--diff`: the safe fixes, applied so that every byte outside the edited
//! spans stays as it was (comments, order, quoting, line endings, a byte order mark).
//!
//! A fix is written only once it is proven safe ([`verify`]): the edited text still parses,
//! gains no `front-matter-*` finding and keeps every other value; an id it writes is not
//! already documented elsewhere; and the file lies under the paths the user named. A fix that
//! fails any of these is left undone, with the reason.

mod verify;

use crate::context::Context;
use crate::diagnostic::{Diagnostic, Edit};
use crate::error::Fatal;
use crate::model::catalogue::Tier;
use crate::paths;
use crate::profile::{Practice, Profile};
use crate::source::SourceFile;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
pub(crate) use verify::same_except_key;
use verify::{Baseline, Change};

/// Past this many fixes in one file that fail together, the rest wait for the next run: each
/// one checked alone parses the document again.
const MAX_CHECKED_ONE_BY_ONE: usize = 16;
/// Fixes weighed per file and run; each is looked up in the whole YAML tree.
const MAX_EDITS_PER_FILE: usize = 1_000;

/// The new content of one file.
#[derive(Debug)]
pub(crate) struct FileFix {
    pub(crate) path: PathBuf,
    pub(crate) name: String,
    pub(crate) before: Vec<u8>,
    pub(crate) after: Vec<u8>,
    pub(crate) edits: usize,
}

/// A fix left undone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skipped {
    pub(crate) file: String,
    pub(crate) span: Range<usize>,
    pub(crate) line: usize,
    pub(crate) reason: String,
}

/// What `--fix` writes and what it leaves, with the reasons.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) fixes: Vec<FileFix>,
    pub(crate) skipped: Vec<Skipped>,
}

/// Every fix to make: those of the findings (waived ones are left as they are) and aliases
/// written as canonical ids, each proven safe. With `named`, only files under those paths
/// (absolute, normalized) are fixed.
pub(crate) fn plan(
    diagnostics: &[Diagnostic],
    profiles: &[Profile<'_>],
    ctx: &Context,
    named: Option<&[PathBuf]>,
) -> Plan {
    let mut by_file: BTreeMap<String, (Arc<SourceFile>, Vec<Edit>)> = BTreeMap::new();
    let mut add = |file: &Arc<SourceFile>, edit: Edit| {
        by_file
            .entry(file.name.clone())
            .or_insert_with(|| (Arc::clone(file), Vec::new()))
            .1
            .push(edit);
    };
    let mut plan = Plan::default();
    let claims = Claims::new(profiles);
    for d in diagnostics.iter().filter(|d| d.waived.is_none()) {
        let Some(edit) = &d.fix else {
            continue;
        };
        match claims.conflict(&d.file, edit, true) {
            Some(reason) => plan.skipped.push(skipped(&d.file, edit, reason)),
            None => add(&d.file, edit.clone()),
        }
    }
    for p in profiles {
        let cat = &p.catalogue;
        for t in &p.front.targets {
            if let Some(found) = cat.find(&t.id.value).filter(|f| f.via_alias) {
                let edit = Edit::scalar(&p.doc.file, t.id.span.clone(), &cat.entry(found.index).id);
                match claims.conflict(&p.doc.file, &edit, false) {
                    Some(reason) => plan.skipped.push(skipped(&p.doc.file, &edit, reason)),
                    None => add(&p.doc.file, edit),
                }
            }
        }
        for practice in &p.practices {
            let id = &practice.front.practice;
            if let Some(found) = cat.find(&id.value).filter(|f| f.via_alias) {
                add(
                    &practice.doc.file,
                    Edit::scalar(
                        &practice.doc.file,
                        id.span.clone(),
                        &cat.entry(found.index).id,
                    ),
                );
            }
        }
    }
    for (file, edits) in by_file.into_values() {
        let path = paths::normalize(&ctx.cwd.join(&file.name));
        if named.is_some_and(|named| !named.iter().any(|n| path.starts_with(n))) {
            let reason =
                "the file is not under the paths named; name it or its directory to fix it";
            plan.skipped
                .extend(edits.iter().map(|e| skipped(&file, e, reason)));
            continue;
        }
        let (fix, left) = checked_fix(&file, edits, &ctx.cwd, &ctx.settings.evidence.kinds);
        plan.fixes.extend(fix);
        plan.skipped.extend(left);
    }
    plan.skipped
        .sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
    plan
}

/// Says in each finding's help why its fix was left undone, and takes the fix away.
pub(crate) fn explain_skipped(diagnostics: &mut [Diagnostic], skipped: &[Skipped]) {
    let reasons: HashMap<(&str, usize, usize), &str> = skipped
        .iter()
        .map(|s| {
            (
                (s.file.as_str(), s.span.start, s.span.end),
                s.reason.as_str(),
            )
        })
        .collect();
    for d in diagnostics.iter_mut() {
        let Some(edit) = &d.fix else {
            continue;
        };
        let key = (d.file.name.as_str(), edit.span.start, edit.span.end);
        if let Some(reason) = reasons.get(&key) {
            d.leave_unfixed(reason);
        }
    }
}

fn skipped(file: &SourceFile, edit: &Edit, reason: impl Into<String>) -> Skipped {
    Skipped {
        file: file.name.clone(),
        span: edit.span.clone(),
        line: file.position(edit.span.start).line,
        reason: reason.into(),
    }
}

/// Which document claims which catalogue entry, per profile: a fix must not make a document
/// claim a practice that another one documents, nor set a target the profile already sets.
struct Claims<'p, 'a> {
    profiles: &'p [Profile<'a>],
    /// (file name, start of its `practice:` value) → its profile's index and the practice.
    practices: HashMap<(&'p str, usize), (usize, &'p Practice<'a>)>,
    /// (profile index, entry) → the documents that claim it.
    by_entry: HashMap<(usize, usize), Vec<&'p Practice<'a>>>,
    /// (profile file name, start of a target id) → the profile's index.
    targets: HashMap<(&'p str, usize), usize>,
}

impl<'p, 'a> Claims<'p, 'a> {
    fn new(profiles: &'p [Profile<'a>]) -> Self {
        let mut claims = Claims {
            profiles,
            practices: HashMap::new(),
            by_entry: HashMap::new(),
            targets: HashMap::new(),
        };
        for (i, p) in profiles.iter().enumerate() {
            for t in &p.front.targets {
                claims
                    .targets
                    .insert((p.doc.file.name.as_str(), t.id.span.start), i);
            }
            for practice in &p.practices {
                let start = practice.front.practice.span.start;
                claims
                    .practices
                    .insert((practice.doc.file.name.as_str(), start), (i, practice));
                if let Some(entry) = practice.entry {
                    claims
                        .by_entry
                        .entry((i, entry))
                        .or_default()
                        .push(practice);
                }
            }
        }
        claims
    }

    /// Why `edit`, when it rewrites an id, would clash with what the profile already holds.
    /// A `typo` fix changes which practice is meant, so the file's name is weighed too.
    fn conflict(&self, file: &SourceFile, edit: &Edit, typo: bool) -> Option<String> {
        let at = (file.name.as_str(), edit.span.start);
        if let Some(&index) = self.targets.get(&at) {
            return self.target_conflict(index, edit);
        }
        let &(index, practice) = self.practices.get(&at)?;
        if !typo || practice.front.practice.span != edit.span {
            return None;
        }
        let profile = &self.profiles[index];
        let cat = &profile.catalogue;
        let entry = cat.find(new_id(edit)).map(|f| f.index)?;
        let id = &cat.entry(entry).id;
        let others = self.by_entry.get(&(index, entry));
        if let Some(other) = others
            .into_iter()
            .flatten()
            .find(|o| o.doc.path != practice.doc.path)
        {
            return Some(format!(
                "`{id}` is already documented in {}",
                other.doc.file.name
            ));
        }
        if profile.claimed.contains(&entry) {
            return Some(format!(
                "`{id}` is already claimed by another document of this profile"
            ));
        }
        let stem = practice.doc.path.file_stem()?.to_str()?;
        let named_after = cat
            .find(stem)
            .map(|f| f.index)
            .filter(|&i| i != entry && cat.entry(i).tier == Tier::Practice)?;
        Some(format!(
            "the file is named after practice `{}`",
            cat.entry(named_after).id
        ))
    }

    /// A target id rewritten to one whose entry another key of `targets:` already sets (as an
    /// alias, or as a typo read as that id) would set that target twice.
    fn target_conflict(&self, index: usize, edit: &Edit) -> Option<String> {
        let profile = &self.profiles[index];
        let cat = &profile.catalogue;
        let entry = cat.find(new_id(edit)).map(|f| f.index)?;
        // The very same key is left to the proof, which names the duplicate key.
        let other_key =
            |id: &crate::yaml::Spanned<String>| id.span != edit.span && id.value != new_id(edit);
        let read_as = profile
            .targets
            .explicit
            .get(&entry)
            .map(|(id, _)| id)
            .filter(|id| other_key(id));
        let other =
            read_as.or_else(|| {
                profile.front.targets.iter().map(|t| &t.id).find(|id| {
                    other_key(id) && cat.find(&id.value).is_some_and(|f| f.index == entry)
                })
            })?;
        Some(format!(
            "the target of `{}` is already set, as `{}` on line {}",
            cat.entry(entry).id,
            crate::text::excerpt(&other.value),
            profile.doc.file.position(other.span.start).line
        ))
    }
}

/// The id an edit writes, without the quotes it keeps.
fn new_id(edit: &Edit) -> &str {
    edit.replacement.trim_matches(['"', '\''])
}

/// The fix of one file and the edits left undone. Nothing is safe to write when the text read
/// is not exactly the file's (invalid UTF-8 was replaced, or the file changed meanwhile).
pub(crate) fn checked_fix(
    file: &SourceFile,
    mut edits: Vec<Edit>,
    cwd: &Path,
    kinds: &[String],
) -> (Option<FileFix>, Vec<Skipped>) {
    let skip_all = |edits: &[Edit], reason: &str| -> Vec<Skipped> {
        edits.iter().map(|e| skipped(file, e, reason)).collect()
    };
    let path = paths::normalize(&cwd.join(&file.name));
    let before = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return (
                None,
                skip_all(&edits, &format!("cannot read the file: {e}")),
            );
        }
    };
    let (bom, body) = crate::read::split_bom(&before);
    if body != file.text.as_bytes() {
        let reason = if std::str::from_utf8(body).is_err() {
            "the file is not valid UTF-8"
        } else {
            "the file changed while it was checked"
        };
        return (None, skip_all(&edits, reason));
    }
    edits.sort_by(|a, b| {
        (std::cmp::Reverse(a.span.start), a.span.end, &a.replacement).cmp(&(
            std::cmp::Reverse(b.span.start),
            b.span.end,
            &b.replacement,
        ))
    });
    edits.dedup();
    edits.retain(|e| file.text.get(e.span.clone()) != Some(e.replacement.as_str()));
    if edits.is_empty() {
        return (None, Vec::new());
    }
    let Some(base) = Baseline::new(&file.name, &file.text, kinds) else {
        return (None, skip_all(&edits, "the front matter does not parse"));
    };
    let mut left = Vec::new();
    if edits.len() > MAX_EDITS_PER_FILE {
        let rest = edits.split_off(MAX_EDITS_PER_FILE);
        left.extend(rest.iter().map(|e| {
            skipped(
                file,
                e,
                "too many fixes in this file for one run; run --fix again",
            )
        }));
    }
    let mut candidates = Vec::new();
    let mut floor = usize::MAX;
    for edit in edits {
        if edit.span.end > floor {
            left.push(skipped(
                file,
                &edit,
                "it overlaps another fix; run --fix again",
            ));
            continue;
        }
        match base.meaning(&edit) {
            Ok(change) => {
                floor = edit.span.start;
                candidates.push((edit, change));
            }
            Err(reason) => left.push(skipped(file, &edit, reason)),
        }
    }
    let kept = prove(&base, file, candidates, &mut left);
    if kept.is_empty() {
        return (None, left);
    }
    let mut after = bom.to_vec();
    after.extend_from_slice(apply(&file.text, &kept).as_bytes());
    let fix = FileFix {
        path,
        name: file.name.clone(),
        before,
        after,
        edits: kept.len(),
    };
    (Some(fix), left)
}

/// The candidates that pass the proof: all of them when they pass together (the usual case,
/// one parse), else each in turn on top of those already kept.
fn prove(
    base: &Baseline<'_>,
    file: &SourceFile,
    candidates: Vec<(Edit, Change)>,
    left: &mut Vec<Skipped>,
) -> Vec<Edit> {
    let (edits, changes): (Vec<Edit>, Vec<Change>) = candidates.into_iter().unzip();
    if edits.is_empty() || base.refute(&apply(&file.text, &edits), &changes).is_none() {
        return edits;
    }
    let mut kept: Vec<Edit> = Vec::new();
    let mut kept_changes: Vec<Change> = Vec::new();
    for (n, (edit, change)) in edits.into_iter().zip(changes).enumerate() {
        if n >= MAX_CHECKED_ONE_BY_ONE {
            left.push(skipped(
                file,
                &edit,
                "too many fixes in this file to check one by one; run --fix again",
            ));
            continue;
        }
        kept.push(edit);
        kept_changes.push(change);
        if let Some(reason) = base.refute(&apply(&file.text, &kept), &kept_changes) {
            kept_changes.pop();
            if let Some(edit) = kept.pop() {
                left.push(skipped(file, &edit, reason));
            }
        }
    }
    kept
}

/// `text` with `edits` applied; they are sorted from the end of the text to its start.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = text.to_owned();
    for edit in edits {
        out.replace_range(edit.span.clone(), &edit.replacement);
    }
    out
}

/// The unified diff of one file's fix. Lines end at `\n` only, as `patch` and `git apply` read
/// them: a lone carriage return inside a line must not shift the hunks. The diff is shown on a
/// terminal: control characters from the document are escaped, line breaks kept.
pub(crate) fn diff(fix: &FileFix) -> String {
    let before = String::from_utf8_lossy(&fix.before);
    let after = String::from_utf8_lossy(&fix.after);
    let before: Vec<&str> = before.split_inclusive('\n').collect();
    let after: Vec<&str> = after.split_inclusive('\n').collect();
    let name = crate::text::one_line(&fix.name);
    let diff = similar::TextDiff::configure()
        .newline_terminated(true)
        .diff_slices(&before, &after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    crate::text::keep_lines(&diff)
}

/// A fixed file that was not written, and why.
#[derive(Debug)]
pub(crate) struct Refused {
    pub(crate) name: String,
    pub(crate) reason: String,
}

/// Writes every fixed file, each atomically and only inside its repository. A file whose
/// path leads out of the repository is skipped; the others are still written.
pub(crate) fn write(fixes: &[FileFix], ctx: &Context) -> Result<Vec<Refused>, Fatal> {
    let mut skipped = Vec::new();
    let mut failed = Vec::new();
    for f in fixes {
        let root = ctx.write_root(&f.path);
        match crate::write::document(&f.path, &root, &f.after) {
            Ok(()) => {}
            Err(e) if e.is_refusal() => skipped.push(Refused {
                name: f.name.clone(),
                reason: e.describe(&ctx.cwd),
            }),
            Err(e) => failed.push(e.describe(&ctx.cwd)),
        }
    }
    if failed.is_empty() {
        return Ok(skipped);
    }
    failed.extend(
        skipped
            .iter()
            .map(|s| format!("skipped {}: {}", s.name, s.reason)),
    );
    Err(Fatal::new(failed.join("\n")))
}
