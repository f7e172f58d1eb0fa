//! The checks, one module per family. Each appends diagnostics with the rule's default
//! severity; the sink decides the final severity.

pub(crate) mod approval;
pub(crate) mod dates;
pub(crate) mod evidence;
pub(crate) mod files;
pub(crate) mod indicators;
pub(crate) mod links;
pub(crate) mod online;
pub(crate) mod regression;
mod requirements;
pub(crate) mod status;
pub(crate) mod structure;
pub(crate) mod targets;
pub(crate) mod waivers;

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::document::schema::Front;
use crate::profile::Profile;

/// Checks that need the profile: structure, targets, gaps.
pub(crate) fn profile(profile: &Profile<'_>, ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    structure::check(profile, &mut out);
    targets::check(profile, &mut out);
    approval::check(profile, ctx, &mut out);
    requirements::check(profile, &mut out);
    for practice in &profile.practices {
        status::check(profile, practice, ctx, &mut out);
        indicators::check(profile, practice, ctx, &mut out);
    }
    out
}

/// Checks of one document on its own: dates, evidence, links, waivers.
pub(crate) fn document(doc: &Document, ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let repo_root = ctx.repo_root(doc.path.parent().unwrap_or(&ctx.cwd));
    match &doc.front {
        Front::Practice(front) => {
            dates::check(&doc.file, front, ctx, &mut out);
            evidence::check(doc, front, &repo_root, ctx, &mut out);
            waivers::check(&doc.file, &front.waivers, ctx, &mut out);
        }
        Front::Profile(front) => {
            dates::profile(&doc.file, front, ctx, &mut out);
            waivers::check(&doc.file, &front.waivers, ctx, &mut out);
        }
    }
    links::check(doc, &repo_root, ctx, &mut out);
    out
}
