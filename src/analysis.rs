//! The analysis every command shares: discover and parse the documents, build the profiles,
//! run the checks, and pass the findings through the sink.

use crate::base::Base;
use crate::checks;
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::discover;
use crate::document::schema::Front;
use crate::document::{Broken, Document};
use crate::error::Fatal;
use crate::load;
use crate::model::load::Catalogues;
use crate::online::{self, UrlStatus};
use crate::paths;
use crate::profile::{self, Profile};
use crate::rules::Rule;
use crate::rules::Severity;
use crate::sink;
use crate::source::SourceFile;
use crate::yaml::frontmatter::Marker;
use rayon::prelude::*;

pub(crate) mod stream;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The documents read for a run, owned; [`analyze`] borrows them.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) documents: Vec<Document>,
    pub(crate) broken: Vec<Broken>,
    /// Findings of reading and parsing.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The directories walked (for `--base`).
    pub(crate) roots: Vec<PathBuf>,
}

#[derive(Debug)]
pub(crate) struct Analysis<'a> {
    pub(crate) context: &'a Context,
    pub(crate) documents: &'a [Document],
    pub(crate) profiles: Vec<Profile<'a>>,
    /// After the sink: final severities, waivers, sorted.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Our documents found, broken ones included.
    pub(crate) documents_found: usize,
    pub(crate) profiles_found: usize,
    /// With `--online`: the state of every evidence URL.
    pub(crate) urls: Option<BTreeMap<String, UrlStatus>>,
}

/// Reads the documents under `paths` (relative to the current directory).
pub(crate) fn load(paths: &[PathBuf], ctx: &Context) -> Result<Loaded, Fatal> {
    let found = discover::from_args(paths, ctx)?;
    let mut diagnostics = unreadable(&found.unreadable, ctx);
    let read = read_within_limit(&found.files, ctx, &mut diagnostics);
    diagnostics.extend(read.diagnostics);
    let (documents, broken) = (read.documents, read.broken);
    // When something was left out, the limit's error already fails the run.
    if read.complete && found.unreadable.is_empty() {
        let read: Vec<&PathBuf> = documents
            .iter()
            .map(|d| &d.path)
            .chain(broken.iter().map(|b| &b.path))
            .collect();
        require_documents(
            &found.dir_args,
            |walked| read.iter().any(|p| p.starts_with(walked)),
            ctx,
        )?;
    }
    Ok(Loaded {
        documents,
        broken,
        diagnostics,
        roots: found.roots,
    })
}

/// A directory the walk could not enter (a path past PATH_MAX, no permission) is a finding:
/// documents below it were not checked.
fn unreadable(unreadable: &[(PathBuf, String)], ctx: &Context) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (path, reason) in unreadable {
        let file = SourceFile::new(paths::display(path, &ctx.cwd), String::new());
        diagnostics.push(
            Diagnostic::new(Rule::LimitExceeded, &file, 0..0, format!("not read: {}", crate::text::excerpt(reason)))
                .help("documents below this path were not checked; shorten the path or fix its permissions"),
        );
    }
    diagnostics
}

/// Builds the profiles and runs every check; with `base`, the regression checks too.
pub(crate) fn analyze<'a>(
    loaded: &'a Loaded,
    ctx: &'a Context,
    base: Option<&str>,
    online: Option<&online::Options>,
) -> Result<Analysis<'a>, Fatal> {
    let mut catalogues = Catalogues::new(ctx.cwd.clone()).map_err(Fatal::new)?;
    let mut diagnostics = loaded.diagnostics.clone();
    let profiles = profile::build(
        &loaded.documents,
        &loaded.broken,
        &mut catalogues,
        ctx,
        &mut diagnostics,
    );
    let base: Option<Base> = match base {
        Some(reference) => Some(crate::base::load(reference, &loaded.roots, ctx)?),
        None => None,
    };
    // Profiles and documents are checked in parallel; the sink sorts, so output is the same.
    let per_profile: Vec<Vec<_>> = profiles
        .par_iter()
        .map(|p| {
            let mut out = checks::profile(p, ctx);
            if let Some(base) = &base {
                checks::regression::check(p, base, &mut out);
            }
            out
        })
        .collect();
    let per_document: Vec<Vec<_>> = loaded
        .documents
        .par_iter()
        .map(|d| checks::document(d, ctx))
        .collect();
    if let Some(base) = &base {
        diagnostics.extend(base.diagnostics.iter().cloned());
    }
    diagnostics.extend(per_profile.into_iter().flatten());
    diagnostics.extend(per_document.into_iter().flatten());
    let urls =
        online.map(|options| checks::online::check(&loaded.documents, options, &mut diagnostics));
    let diagnostics = sink::finish(diagnostics, &loaded.documents, ctx);
    let profiles_found = loaded
        .documents
        .iter()
        .filter(|d| matches!(d.front, Front::Profile(_)))
        .count()
        + loaded
            .broken
            .iter()
            .filter(|b| b.marker == Marker::Profile)
            .count();
    Ok(Analysis {
        context: ctx,
        documents: &loaded.documents,
        profiles,
        diagnostics,
        documents_found: loaded.documents.len() + loaded.broken.len(),
        profiles_found,
        urls,
    })
}

/// Whether a finding that counts is at or above `threshold`.
pub(crate) fn fails(diagnostics: &[Diagnostic], threshold: Option<Severity>) -> bool {
    threshold.is_some_and(|t| {
        diagnostics
            .iter()
            .any(|d| d.waived.is_none() && d.severity >= t)
    })
}

/// What [`read_within_limit`] read, in path order.
struct Read {
    documents: Vec<Document>,
    broken: Vec<Broken>,
    /// Findings of reading and parsing.
    diagnostics: Vec<Diagnostic>,
    /// No file was left out for the document limit.
    complete: bool,
}

/// Files parsed per batch: enough to keep the cores busy, few enough that the batch after
/// the limit is reached costs little.
const BATCH: usize = 1024;

/// Reads `files` in path order until `limits.max_documents` of our documents (profile or
/// practice, broken ones included) are read. Markdown files without our front matter do not
/// count, so they cannot use the limit up; the cut, when there is one, is an error at the
/// first document left out.
///
/// Each batch's results are moved out as they come: a file that is not ours leaves nothing
/// behind, and the document vector grows by what a batch holds, not by doubling.
fn read_within_limit(files: &[PathBuf], ctx: &Context, diagnostics: &mut Vec<Diagnostic>) -> Read {
    let mut read = Read {
        documents: Vec::new(),
        broken: Vec::new(),
        diagnostics: Vec::new(),
        complete: true,
    };
    let mut ours = 0;
    for (batch_index, batch) in files.chunks(BATCH).enumerate() {
        // Files are parsed independently, in parallel; collecting keeps their order.
        let batch_parsed: Vec<_> = batch.par_iter().map(|path| load::load(path, ctx)).collect();
        let in_batch = batch_parsed.iter().filter(|p| p.document.is_some()).count();
        read.documents.reserve_exact(in_batch);
        for (i, p) in batch_parsed.into_iter().enumerate() {
            if p.document.is_some() || p.broken.is_some() {
                if ours == ctx.settings.max_documents {
                    let at = batch_index * BATCH + i;
                    diagnostics.push(document_limit(&files[at], files.len() - at, ctx));
                    read.complete = false;
                    return read;
                }
                ours += 1;
            }
            read.diagnostics.extend(p.diagnostics);
            read.documents.extend(p.document);
            read.broken.extend(p.broken);
        }
    }
    read
}

fn document_limit(first: &std::path::Path, left: usize, ctx: &Context) -> Diagnostic {
    let file = SourceFile::new(paths::display(first, &ctx.cwd), String::new());
    Diagnostic::new(
        Rule::LimitExceeded,
        &file,
        0..0,
        format!(
            "not read: the limit is {} documents per run; this file and every Markdown file after it in path order ({left} in all) were not checked",
            ctx.settings.max_documents,
        ),
    )
    .help("check one profile tree at a time, exclude directories without profiles, or raise `limits.max_documents`")
}

/// A directory named on the command line must hold a profile or practice document (or lead
/// up to one): a mistyped path in CI must not pass for want of anything to check.
fn require_documents(
    dir_args: &[(PathBuf, PathBuf)],
    holds_a_document: impl Fn(&Path) -> bool,
    ctx: &Context,
) -> Result<(), Fatal> {
    for (arg, walked) in dir_args {
        if !holds_a_document(walked) {
            return Err(Fatal::new(format!(
                "{} holds no profile or practice document",
                paths::display(arg, &ctx.cwd)
            ))
            .help("check the path; a profile document has a `profile:` key in its front matter"));
        }
    }
    Ok(())
}
