//! `smm-lint evidence`: one row per evidence item of every profile found, in Markdown, CSV or
//! JSON.

use super::{ExitStatus, report};
use crate::analysis;
use crate::audit;
use crate::cli::{EvidenceArgs, EvidenceFormat};
use crate::context::Context;
use crate::error::Fatal;
use std::io::Write;

#[derive(serde::Serialize)]
struct EvidenceIndex<'a> {
    version: u32,
    today: String,
    evidence: &'a [audit::model::EvidenceRow],
}

/// One row per evidence item of every profile found; exit 0.
pub(crate) fn run(args: &EvidenceArgs, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    let ctx = Context::new(args.scope.today.as_deref(), args.scope.config.as_deref())?;
    let loaded = analysis::load(&args.scope.paths, &ctx)?;
    let analysis = analysis::analyze(
        &loaded,
        &ctx,
        None,
        crate::online::options(args.online, args.online_deadline).as_ref(),
    )?;
    let report = audit::build(&analysis, analysis.urls.as_ref());
    let mut rows = audit::all_evidence(report, &analysis);
    audit::set_links(&mut rows, &report::link_base(args.output.as_deref(), &ctx));
    let text = match args.format {
        EvidenceFormat::Md => audit::markdown::evidence(&rows),
        EvidenceFormat::Csv => audit::csv::evidence(&rows),
        EvidenceFormat::Json => report::json(&EvidenceIndex {
            version: audit::model::VERSION,
            today: ctx.today.to_string(),
            evidence: &rows,
        })?,
    };
    report::emit(&text, args.output.as_deref(), &ctx, out)?;
    Ok(ExitStatus::Success)
}
