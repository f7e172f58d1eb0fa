//! `smm-lint check`: the findings in one of five formats, or with `--fix` / `--diff` the
//! fixes written or shown.

use super::ExitStatus;
use crate::analysis;
use crate::cli::{CheckArgs, FailOn, Format};
use crate::context::Context;
use crate::error::Fatal;
use crate::paths;
use crate::report::human::Human;
use crate::report::{Outcome, Reporter};
use crate::rules::Severity;
use crate::sink;
use crate::stdout::{quiet_on_broken_pipe, write_error};
use std::io::Write;

/// The findings, or with `--fix` / `--diff` the fixes; exit 1 when a finding reaches
/// `--fail-on` (or, for `--diff`, when there is a fix to show).
pub(crate) fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    check_with(args, args.fix || args.diff, out)
}

/// `fixing`: the run writes fixes (or shows them), so only files under the PATHs named may
/// change, and findings say when their fix was left for that reason. Each call builds its own
/// context: after `--fix` has written, nothing learnt before the writes is reused.
fn check_with(args: &CheckArgs, fixing: bool, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    let ctx = Context::new(args.today.as_deref(), args.config.as_deref())?;
    let online = crate::online::options(args.online, args.online_deadline);
    if !fixing && args.base.is_none() && online.is_none() {
        // Nothing after the findings needs the documents: check them one profile at a time.
        let with_gaps = args.format == Format::SummaryMd;
        let checked = analysis::stream::check(&args.paths, &ctx, with_gaps)?;
        let outcome = Outcome {
            diagnostics: &checked.diagnostics,
            counts: sink::counts(&checked.diagnostics),
            documents: checked.documents_found,
            profiles: checked.profiles_found,
            gaps: &checked.gaps,
            context: &ctx,
        };
        return report(args, &outcome, &ctx, out);
    }
    let loaded = analysis::load(&args.paths, &ctx)?;
    let mut analysis = analysis::analyze(&loaded, &ctx, args.base.as_deref(), online.as_ref())?;
    let named: Option<Vec<std::path::PathBuf>> = fixing.then(|| {
        args.paths
            .iter()
            .map(|p| paths::normalize(&ctx.cwd.join(p)))
            .collect()
    });
    let plan = crate::fix::plan(
        &analysis.diagnostics,
        &analysis.profiles,
        &ctx,
        named.as_deref(),
    );
    if args.fix || args.diff {
        return fix(args, &plan, &ctx, out);
    }
    crate::fix::explain_skipped(&mut analysis.diagnostics, &plan.skipped);
    let diagnostics = &analysis.diagnostics;
    let profiles = &analysis.profiles;
    let counts = sink::counts(diagnostics);
    let gaps = crate::gap::rows(profiles, diagnostics);
    let outcome = Outcome {
        diagnostics,
        counts,
        documents: analysis.documents_found,
        profiles: analysis.profiles_found,
        gaps: &gaps,
        context: &ctx,
    };
    report(args, &outcome, &ctx, out)
}

/// Writes the findings in the format asked for (to `--output`, with the human summary on
/// stdout), and says whether one reaches `--fail-on`.
fn report(
    args: &CheckArgs,
    outcome: &Outcome<'_>,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<ExitStatus, Fatal> {
    match &args.output {
        None => quiet_on_broken_pipe(args.format.reporter().report(outcome, out))?,
        Some(path) => {
            let mut buffer = Vec::new();
            args.format
                .reporter()
                .report(outcome, &mut buffer)
                .map_err(write_error)?;
            crate::write::output(&ctx.cwd.join(path), &ctx.repo_root(&ctx.cwd), &buffer)
                .map_err(|f| Fatal::new(f.describe(&ctx.cwd)))?;
            if args.format != Format::Human {
                quiet_on_broken_pipe(Human::for_terminal().report(outcome, out))?;
            }
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    Ok(ExitStatus::failure_if(analysis::fails(
        outcome.diagnostics,
        threshold,
    )))
}

/// `--diff` shows the fixes (exit 1 when there are any); `--fix` writes them and checks again.
/// Both list on stderr the fixes left undone, with the reason.
fn fix(
    args: &CheckArgs,
    plan: &crate::fix::Plan,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<ExitStatus, Fatal> {
    let fixes = &plan.fixes;
    if args.diff {
        for f in fixes {
            quiet_on_broken_pipe(write!(out, "{}", crate::fix::diff(f)))?;
        }
        log_skipped(&plan.skipped);
        return Ok(ExitStatus::failure_if(!fixes.is_empty()));
    }
    let refused = crate::fix::write(fixes, ctx)?;
    for r in &refused {
        crate::log::info(&format!(
            "skipped {}: {}; nothing was written there",
            r.name, r.reason
        ));
    }
    let written: Vec<_> = fixes
        .iter()
        .filter(|f| !refused.iter().any(|r| r.name == f.name))
        .collect();
    let edits: usize = written.iter().map(|f| f.edits).sum();
    if edits > 0 {
        crate::log::info(&format!(
            "applied {} to {}",
            crate::text::plural(edits, "fix", "fixes"),
            crate::text::plural(written.len(), "file", "files")
        ));
    }
    log_skipped(&plan.skipped);
    check_with(
        &CheckArgs {
            fix: false,
            ..args.clone()
        },
        true,
        out,
    )
}

fn log_skipped(skipped: &[crate::fix::Skipped]) {
    // `log::info` shows the repository's names and ids with control characters escaped.
    for s in skipped {
        crate::log::info(&format!(
            "not fixed automatically: {}:{}: {}",
            s.file, s.line, s.reason
        ));
    }
}
