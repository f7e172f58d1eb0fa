//! `smm-lint report`: the maturity report of every profile found, in Markdown, HTML, JSON or an
//! Excel workbook, or as OSCAL assessment results or a plan of action and milestones.

use super::ExitStatus;
use crate::analysis;
use crate::audit;
use crate::cli::{ReportArgs, ReportFormat};
use crate::context::Context;
use crate::error::Fatal;
use crate::history::{self, model::History};
use crate::stdout::quiet_on_broken_pipe;
use std::io::Write;
use std::path::Path;

/// The report of every profile found; exit 0 (a report is not a gate: `check` is).
pub(crate) fn run(args: &ReportArgs, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    if args.format == ReportFormat::Xlsx && args.output.is_none() {
        return Err(binary_to_stdout());
    }
    let ctx = Context::new(args.scope.today.as_deref(), args.scope.config.as_deref())?;
    if matches!(args.format, ReportFormat::OscalAr | ReportFormat::OscalPoam) {
        audit::oscal::check_today(&ctx.today.to_string())?;
    }
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
        ReportFormat::OscalAr => audit::oscal::ar::render(&report).map_err(cannot_write)?,
        ReportFormat::OscalPoam => audit::oscal::poam::render(&report).map_err(cannot_write)?,
        ReportFormat::Xlsx => {
            let mut evidence = audit::all_evidence(report.clone(), &analysis);
            audit::set_links(&mut evidence, &link_base(args.output.as_deref(), &ctx));
            let history = history_since(args, &ctx)?;
            let bytes =
                audit::xlsx::workbook(&report, &evidence, history.as_ref()).map_err(Fatal::new)?;
            emit_bytes(&bytes, args.output.as_deref(), &ctx, out)?;
            return Ok(ExitStatus::Success);
        }
    };
    emit(&text, args.output.as_deref(), &ctx, out)?;
    Ok(ExitStatus::Success)
}

/// With `--since`, the history of the report's paths from that ref or date on, for the
/// workbook's History sheet (as `history --since` walks it).
fn history_since(args: &ReportArgs, ctx: &Context) -> Result<Option<History>, Fatal> {
    let Some(written) = args.since.as_deref() else {
        return Ok(None);
    };
    let repo = history::Repository::find(&args.scope.paths, ctx)?;
    let options = history::Options {
        since: Some(history::since(&repo, written)?),
        tags: false,
        max_commits: history::DEFAULT_MAX_COMMITS,
    };
    history::walk(&repo, ctx, &options).map(Some)
}

/// A workbook is binary: it goes to a named file, never to the terminal or a pipe (where it
/// would garble the one and is easily mistaken for text by the other). Refused before any work.
fn binary_to_stdout() -> Fatal {
    Fatal::new("--format xlsx writes a binary workbook, not text for the terminal")
        .help("name the file with --output, e.g. `--output report.xlsx`")
}

pub(super) fn emit(
    text: &str,
    output: Option<&Path>,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<(), Fatal> {
    emit_bytes(text.as_bytes(), output, ctx, out)
}

fn emit_bytes(
    bytes: &[u8],
    output: Option<&Path>,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<(), Fatal> {
    match output {
        Some(path) => crate::write::output(&ctx.cwd.join(path), &ctx.repo_root(&ctx.cwd), bytes)
            .map_err(|f| Fatal::new(f.describe(&ctx.cwd))),
        None => quiet_on_broken_pipe(out.write_all(bytes)),
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

fn cannot_write(e: serde_json::Error) -> Fatal {
    Fatal::new(format!("cannot write JSON: {e}"))
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> Result<String, Fatal> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))
}
