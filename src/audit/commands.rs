//! `smm-lint report` and `smm-lint evidence`.

use crate::analysis;
use crate::cli::{EvidenceArgs, EvidenceFormat, ReportArgs, ReportFormat, Scope};
use crate::error::Fatal;
use crate::settings::Settings;
use std::io::Write;
use std::path::Path;

fn settings(scope: &Scope) -> Result<Settings, Fatal> {
    Settings::resolve(
        scope.today.as_deref(),
        scope.config.as_deref(),
        crate::run::cwd()?,
    )
}

fn emit(
    text: &str,
    output: Option<&Path>,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<(), Fatal> {
    match output {
        Some(path) => crate::write::output(
            &settings.cwd.join(path),
            &settings.repo_root(&settings.cwd),
            text.as_bytes(),
        )
        .map_err(|f| Fatal::new(f.describe(&settings.cwd))),
        None => crate::run::quiet_on_broken_pipe(out.write_all(text.as_bytes())),
    }
}

/// The directory evidence links are written relative to: the output file's, else the current
/// directory (where the printed report is most likely saved).
fn link_base(output: Option<&Path>, settings: &Settings) -> std::path::PathBuf {
    output
        .map(|o| crate::paths::normalize(&settings.cwd.join(o)))
        .and_then(|o| o.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| settings.cwd.clone())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, Fatal> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))
}

/// The report of every profile found; exit 0 (a report is not a gate: `check` is).
pub fn report(args: &ReportArgs, out: &mut dyn Write) -> Result<u8, Fatal> {
    let settings = settings(&args.scope)?;
    let loaded = analysis::load(&args.scope.paths, &settings)?;
    let analysis = analysis::analyze(
        &loaded,
        &settings,
        None,
        crate::online::options(args.online, args.online_deadline).as_ref(),
    )?;
    let mut report = super::build(&analysis, analysis.urls.as_ref());
    super::link_from(&mut report, &link_base(args.output.as_deref(), &settings));
    let text = match args.format {
        ReportFormat::Md => super::markdown::report(&report),
        ReportFormat::Html => super::html::render(&report),
        ReportFormat::Json => json(&report)?,
    };
    emit(&text, args.output.as_deref(), &settings, out)?;
    Ok(0)
}

#[derive(serde::Serialize)]
struct EvidenceIndex<'a> {
    version: u32,
    today: String,
    evidence: &'a [super::model::EvidenceRow],
}

/// One row per evidence item of every profile found; exit 0.
pub fn evidence(args: &EvidenceArgs, out: &mut dyn Write) -> Result<u8, Fatal> {
    let settings = settings(&args.scope)?;
    let loaded = analysis::load(&args.scope.paths, &settings)?;
    let analysis = analysis::analyze(
        &loaded,
        &settings,
        None,
        crate::online::options(args.online, args.online_deadline).as_ref(),
    )?;
    let report = super::build(&analysis, analysis.urls.as_ref());
    let mut rows = super::all_evidence(report, &analysis);
    super::set_links(&mut rows, &link_base(args.output.as_deref(), &settings));
    let text = match args.format {
        EvidenceFormat::Md => super::markdown::evidence(&rows),
        EvidenceFormat::Csv => super::csv::evidence(&rows),
        EvidenceFormat::Json => json(&EvidenceIndex {
            version: super::model::VERSION,
            today: settings.today.to_string(),
            evidence: &rows,
        })?,
    };
    emit(&text, args.output.as_deref(), &settings, out)?;
    Ok(0)
}
