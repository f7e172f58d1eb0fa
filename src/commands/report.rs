//! `smm-lint report`: the maturity report of every profile found, in Markdown, HTML or JSON.

use super::ExitStatus;
use crate::analysis;
use crate::audit;
use crate::cli::{ReportArgs, ReportFormat};
use crate::context::Context;
use crate::error::Fatal;
use crate::stdout::quiet_on_broken_pipe;
use std::io::Write;
use std::path::Path;

/// The report of every profile found; exit 0 (a report is not a gate: `check` is).
pub(crate) fn run(args: &ReportArgs, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    let ctx = Context::new(args.scope.today.as_deref(), args.scope.config.as_deref())?;
    let loaded = analysis::load(&args.scope.paths, &ctx)?;
    let analysis = analysis::analyze(
        &loaded,
        &ctx,
        None,
        crate::online::options(args.online, args.online_deadline).as_ref(),
    )?;
    let mut report = audit::build(&analysis, analysis.urls.as_ref());
    audit::since::attach(&mut report, &analysis, args.since.as_deref())?;
    audit::link_from(&mut report, &link_base(args.output.as_deref(), &ctx));
    let text = match args.format {
        ReportFormat::Md => audit::markdown::report(&report),
        ReportFormat::Html => audit::html::render(&report),
        ReportFormat::Json => json(&report)?,
    };
    emit(&text, args.output.as_deref(), &ctx, out)?;
    Ok(ExitStatus::Success)
}

pub(super) fn emit(
    text: &str,
    output: Option<&Path>,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<(), Fatal> {
    match output {
        Some(path) => crate::write::output(
            &ctx.cwd.join(path),
            &ctx.repo_root(&ctx.cwd),
            text.as_bytes(),
        )
        .map_err(|f| Fatal::new(f.describe(&ctx.cwd))),
        None => quiet_on_broken_pipe(out.write_all(text.as_bytes())),
    }
}

/// The directory evidence links are written relative to: the output file's, else the current
/// directory (where the printed report is most likely saved).
pub(super) fn link_base(output: Option<&Path>, ctx: &Context) -> std::path::PathBuf {
    output
        .map(|o| crate::paths::normalize(&ctx.cwd.join(o)))
        .and_then(|o| o.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| ctx.cwd.clone())
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> Result<String, Fatal> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))
}
