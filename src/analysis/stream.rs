//! Plain `check` (no `--fix`, `--diff`, `--online` or `--base`), worked out one profile
//! directory at a time so that memory follows the largest profile rather than the tree.
//!
//! The files are read in path order, in parallel batches, as [`super::load`] reads them. A
//! profile's documents all lie under its directory, and a directory's files are adjacent in
//! path order, so once the walk has passed a profile directory every document it owns has been
//! read: once no directory above it may still hold a profile not yet complete (directories are
//! built in directory order, as the whole tree builds them), its profile is built, checked, its
//! findings finished and its gap rows computed (for `summary-md` only), and its documents are
//! dropped. What lives on is what the report needs: the findings (each holds its file, so only
//! the texts of documents with findings stay), the gap rows, the counts, the findings of files
//! no directory owns, and for the checks that span directories, each profile document's id.
//!
//! The result is the one [`super::analyze`] gives for the same tree, byte for byte once
//! rendered: the findings are finished again together (waivers, severities, order, duplicates),
//! and the gap rows are put back in profile-directory order.

use super::{BATCH, document_limit, require_documents, unreadable};
use crate::checks;
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::discover;
use crate::document::schema::Front;
use crate::document::{Broken, Document, Parsed};
use crate::error::Fatal;
use crate::gap::{self, GapRow};
use crate::load;
use crate::model::catalogue::Catalogue;
use crate::model::load::Catalogues;
use crate::profile::{self, ProfileId};
use crate::sink::{self, Waivers};
use crate::yaml::frontmatter::Marker;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What plain `check` reports: the findings finished and sorted, the gap rows in profile
/// order, and the counts of documents and profiles found.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) gaps: Vec<GapRow>,
    /// Our documents found, broken ones included.
    pub(crate) documents_found: usize,
    pub(crate) profiles_found: usize,
}

/// Reads, builds and checks the documents under `paths`, one profile directory at a time.
/// `with_gaps`: the gap rows are wanted (only `summary-md` prints them; kept to the end they
/// would grow with the tree for nothing).
pub(crate) fn check(paths: &[PathBuf], ctx: &Context, with_gaps: bool) -> Result<Checked, Fatal> {
    let found = discover::from_args(paths, ctx)?;
    let mut diagnostics = unreadable(&found.unreadable, ctx);
    let batches: Vec<&[PathBuf]> = found.files.chunks(BATCH).collect();
    // Files are parsed independently, in parallel; collecting keeps their order.
    let parse = |batch: Option<&&[PathBuf]>| -> Vec<Parsed> {
        batch.map_or_else(Vec::new, |b| {
            b.par_iter().map(|path| load::load(path, ctx)).collect()
        })
    };
    // The built-in catalogue is read while the first batch is, and each batch's complete
    // units are built and checked while the next batch is read: the building is sequential
    // (catalogues are loaded once, in order), so alone it would leave the other cores idle.
    let (builtin, mut next) = rayon::join(Catalogue::builtin, || parse(batches.first()));
    let catalogues = Catalogues::on_disk(Arc::new(builtin.map_err(Fatal::new)?), ctx.cwd.clone());
    let mut walk = Walk::new(&found.files, &found.dir_args, ctx, with_gaps, catalogues);
    let mut ours = 0;
    let mut complete = true;
    'batches: for batch_index in 0..batches.len() {
        for (i, p) in std::mem::take(&mut next).into_iter().enumerate() {
            if p.document.is_some() || p.broken.is_some() {
                if ours == ctx.settings.max_documents {
                    let at = batch_index * BATCH + i;
                    diagnostics.push(document_limit(
                        &found.files[at],
                        found.files.len() - at,
                        ctx,
                    ));
                    complete = false;
                    break 'batches;
                }
                ours += 1;
            }
            walk.add(p);
        }
        walk.advance_to((batch_index + 1) * BATCH);
        // The walk stays on this thread (catalogue sources need not be sendable); the next
        // batch is read from another one, into the same thread pool.
        next = std::thread::scope(|scope| {
            let reading = scope.spawn(|| parse(batches.get(batch_index + 1)));
            walk.check_complete_units();
            reading.join()
        })
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
    walk.advance_to(found.files.len());
    walk.check_complete_units();
    // When something was left out, the limit's error already fails the run.
    if complete && found.unreadable.is_empty() {
        require_documents(&found.dir_args, |walked| walk.held.contains(walked), ctx)?;
    }
    Ok(walk.finish(diagnostics))
}

/// One document read, broken or not, with the findings of reading it.
#[derive(Debug)]
struct Item {
    path: PathBuf,
    document: Option<Document>,
    broken: Option<Broken>,
    diagnostics: Vec<Diagnostic>,
}

/// The documents one profile directory owns (or, for the key `None`, documents that belong to
/// no profile): everything [`profile::build_unit`] needs to decide about them.
#[derive(Debug, Default)]
struct Unit {
    documents: Vec<Document>,
    broken: Vec<Broken>,
    diagnostics: Vec<Diagnostic>,
}

/// What a checked unit leaves behind.
#[derive(Debug)]
struct Done {
    dir: Option<PathBuf>,
    diagnostics: Vec<Diagnostic>,
    gaps: Vec<GapRow>,
}

/// Where an item belongs, as far as the walk so far can tell.
enum Owner {
    /// A directory above it may still turn out to hold a profile document.
    Unknown,
    Profile(PathBuf),
    NoProfile,
}

/// The state of the walk: the documents read whose unit is not complete yet, and what the
/// checked units left.
struct Walk<'r> {
    ctx: &'r Context,
    files: &'r [PathBuf],
    /// Index in `files` of the next file to read (all of them once the walk is over).
    next: usize,
    /// Directory → the index of the last file directly in it: whether it holds a profile
    /// document is known once the walk has passed that file.
    last_direct: HashMap<&'r Path, usize>,
    /// Directories holding a profile document, broken ones included.
    profile_dirs: HashSet<PathBuf>,
    pending: Vec<Item>,
    catalogues: Catalogues,
    done: Vec<Done>,
    ids: Vec<ProfileId>,
    waivers: Waivers,
    /// The directories named on the command line that hold a document of ours.
    held: HashSet<PathBuf>,
    dir_args: &'r [(PathBuf, PathBuf)],
    documents_found: usize,
    profiles_found: usize,
    with_gaps: bool,
    /// Findings of reading files that no unit owns (neither a document nor a broken one).
    loose: Vec<Diagnostic>,
}

impl<'r> Walk<'r> {
    fn new(
        files: &'r [PathBuf],
        dir_args: &'r [(PathBuf, PathBuf)],
        ctx: &'r Context,
        with_gaps: bool,
        catalogues: Catalogues,
    ) -> Walk<'r> {
        let mut last_direct = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            if let Some(dir) = file.parent() {
                last_direct.insert(dir, i);
            }
        }
        Walk {
            ctx,
            files,
            next: 0,
            last_direct,
            profile_dirs: HashSet::new(),
            pending: Vec::new(),
            catalogues,
            done: Vec::new(),
            ids: Vec::new(),
            waivers: Waivers::default(),
            held: HashSet::new(),
            dir_args,
            documents_found: 0,
            profiles_found: 0,
            with_gaps,
            loose: Vec::new(),
        }
    }

    /// Takes one file's outcome; files that are not ours leave nothing behind.
    fn add(&mut self, parsed: Parsed) {
        let (path, is_profile) = match (&parsed.document, &parsed.broken) {
            (Some(doc), _) => (doc.path.clone(), matches!(doc.front, Front::Profile(_))),
            (None, Some(broken)) => (broken.path.clone(), broken.marker == Marker::Profile),
            // Not ours, or not read as ours (`practice:` with no value, bytes that are not
            // UTF-8): no unit owns it, but what reading it found still counts.
            (None, None) => {
                self.loose.extend(parsed.diagnostics);
                return;
            }
        };
        self.documents_found += 1;
        if is_profile {
            self.profiles_found += 1;
            if let Some(dir) = path.parent() {
                self.profile_dirs.insert(dir.to_path_buf());
            }
        }
        if let Some(doc) = &parsed.document {
            self.waivers.add(doc, self.ctx);
            self.ids
                .extend(profile::profile_ids(std::slice::from_ref(doc)));
        }
        for (_, walked) in self.dir_args {
            if path.starts_with(walked) {
                self.held.insert(walked.clone());
            }
        }
        self.pending.push(Item {
            path,
            document: parsed.document,
            broken: parsed.broken,
            diagnostics: parsed.diagnostics,
        });
    }

    /// Every file before `index` has been read (or will not be).
    fn advance_to(&mut self, index: usize) {
        self.next = index.min(self.files.len());
    }

    /// Whether the walk has read every file directly in `dir`.
    fn settled(&self, dir: &Path) -> bool {
        self.last_direct
            .get(dir)
            .is_none_or(|&last| last < self.next)
    }

    /// Whether the walk has read every file below `dir`: the files below a directory are
    /// adjacent in path order, and one of them has been read.
    fn passed(&self, dir: &Path) -> bool {
        self.files
            .get(self.next)
            .is_none_or(|next| !next.starts_with(dir))
    }

    /// The nearest directory above `path` holding a profile document, once every directory
    /// on the way up to it is settled (as `owner_of` in [`profile::build`] finds it).
    fn owner(&self, path: &Path) -> Owner {
        for dir in path.ancestors().skip(1) {
            if !self.settled(dir) {
                return Owner::Unknown;
            }
            if self.profile_dirs.contains(dir) {
                return Owner::Profile(dir.to_path_buf());
            }
        }
        Owner::NoProfile
    }

    /// Whether a directory above `dir` holds, or may still turn out to hold, a profile whose
    /// unit is not complete: that unit sorts first, and units are built in directory order
    /// (the first profile to load a catalogue or mapping file is the one its problems are
    /// reported on, as in the whole-tree path).
    fn waits_for_parent(&self, dir: &Path) -> bool {
        dir.ancestors().skip(1).any(|above| {
            !self.passed(above) && (self.profile_dirs.contains(above) || !self.settled(above))
        })
    }

    /// Checks every unit the walk has passed, and drops its documents.
    fn check_complete_units(&mut self) {
        let mut units = self.take_complete_units();
        if units.is_empty() {
            return;
        }
        let read: Vec<Vec<Diagnostic>> = units
            .iter_mut()
            .map(|(_, unit)| std::mem::take(&mut unit.diagnostics))
            .collect();
        // Catalogues are loaded and their problems reported once per run, in directory order
        // within a batch: one unit at a time.
        let (ctx, with_gaps) = (self.ctx, self.with_gaps);
        let built: Vec<_> = units
            .iter()
            .zip(read)
            .map(|((_, unit), mut out)| {
                let profiles = profile::build_unit(
                    &unit.documents,
                    &unit.broken,
                    &mut self.catalogues,
                    ctx,
                    &mut out,
                );
                (profiles, out)
            })
            .collect();
        let done: Vec<Done> = units
            .par_iter()
            .zip(built.into_par_iter())
            .map(|((dir, unit), (profiles, out))| {
                check_unit(dir, unit, &profiles, out, ctx, with_gaps)
            })
            .collect();
        self.done.extend(done);
        ctx.cache.forget_files();
    }

    /// Moves the documents whose unit is complete out of `pending`, by unit, in directory
    /// order (the documents of no profile first); the others keep waiting.
    fn take_complete_units(&mut self) -> Vec<(Option<PathBuf>, Unit)> {
        let mut units: BTreeMap<Option<PathBuf>, Unit> = BTreeMap::new();
        let mut waiting = Vec::new();
        for item in std::mem::take(&mut self.pending) {
            let key = match self.owner(&item.path) {
                Owner::Profile(dir) if self.passed(&dir) && !self.waits_for_parent(&dir) => {
                    Some(dir)
                }
                Owner::NoProfile => None,
                Owner::Profile(_) | Owner::Unknown => {
                    waiting.push(item);
                    continue;
                }
            };
            let unit = units.entry(key).or_default();
            unit.documents.extend(item.document);
            unit.broken.extend(item.broken);
            unit.diagnostics.extend(item.diagnostics);
        }
        self.pending = waiting;
        units.into_iter().collect()
    }

    /// The findings of the whole run, finished together, and the gap rows in profile order.
    fn finish(mut self, mut diagnostics: Vec<Diagnostic>) -> Checked {
        diagnostics.append(&mut self.loose);
        profile::id_conflicts(&self.ids, &mut diagnostics);
        // Directories sort as `profile::build` orders its profiles.
        self.done.sort_by(|a, b| a.dir.cmp(&b.dir));
        let mut gaps = Vec::with_capacity(self.done.iter().map(|d| d.gaps.len()).sum());
        diagnostics.reserve_exact(self.done.iter().map(|d| d.diagnostics.len()).sum());
        for done in &mut self.done {
            diagnostics.append(&mut done.diagnostics);
            gaps.append(&mut done.gaps);
        }
        Checked {
            diagnostics: sink::finish_with(diagnostics, &self.waivers, self.ctx),
            gaps,
            documents_found: self.documents_found,
            profiles_found: self.profiles_found,
        }
    }
}

/// Checks one unit whose profiles are built (`out` holds the findings so far) as the whole-tree
/// path checks every profile: the sink's per-file part (waivers are per file), the fixes plain
/// `check` would leave undone (their reason goes in the help), and the gap rows.
fn check_unit(
    dir: &Option<PathBuf>,
    unit: &Unit,
    profiles: &[profile::Profile<'_>],
    mut out: Vec<Diagnostic>,
    ctx: &Context,
    with_gaps: bool,
) -> Done {
    for p in profiles {
        out.extend(checks::profile(p, ctx));
    }
    for doc in &unit.documents {
        out.extend(checks::document(doc, ctx));
    }
    let mut diagnostics = sink::finish(out, &unit.documents, ctx);
    let plan = crate::fix::plan(&diagnostics, profiles, ctx, None);
    crate::fix::explain_skipped(&mut diagnostics, &plan.skipped);
    let mut gaps = if with_gaps {
        gap::rows(profiles, &diagnostics)
    } else {
        Vec::new()
    };
    // Kept to the end: no room to spare (rows are pushed one by one).
    gaps.shrink_to_fit();
    diagnostics.shrink_to_fit();
    Done {
        dir: dir.clone(),
        diagnostics,
        gaps,
    }
}
