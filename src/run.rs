//! The commands: `check`, `rules`, `explain`.

use crate::analysis;
use crate::cli::{CheckArgs, Cli, Command, FailOn, Format};
use crate::diagnostic::Severity;
use crate::error::Fatal;
use crate::paths;
use crate::report::github::Github;
use crate::report::human::Human;
use crate::report::json::Json;
use crate::report::sarif::Sarif;
use crate::report::summary::SummaryMd;
use crate::report::{Outcome, Reporter};
use crate::rules::{self, Rule};
use crate::settings::Settings;
use crate::sink;
use std::io::{IsTerminal, Write};

/// Runs a command, writing its output to `out`; returns the exit code (0 or 1).
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<u8, Fatal> {
    rules::validate_docs().map_err(Fatal::new)?;
    match cli.command {
        Command::Check(args) => check(&args, out),
        Command::Init(args) => crate::init::run(&args, out),
        Command::Report(args) => crate::audit::commands::report(&args, out),
        Command::Evidence(args) => crate::audit::commands::evidence(&args, out),
        Command::Pin(args) => crate::pin::run(&args, out),
        Command::Rules => list_rules(out).map(|()| 0),
        Command::Explain { rule: Some(rule) } => explain(&rule, out).map(|()| 0),
        Command::Explain { rule: None } => list_rules(out).map(|()| 0),
    }
}

/// Whether human output may use colour: a terminal, and `NO_COLOR` unset or empty.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn human() -> Human {
    Human {
        color: use_color(),
        width: 100,
    }
}

/// The current directory, normalized.
pub fn cwd() -> Result<std::path::PathBuf, Fatal> {
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal::new(format!("cannot read the current directory: {e}")))?;
    Ok(paths::normalize(&cwd))
}

fn check(args: &CheckArgs, out: &mut dyn Write) -> Result<u8, Fatal> {
    check_with(args, args.fix || args.diff, out)
}

/// `fixing`: the run writes fixes (or shows them), so only files under the PATHs named may
/// change, and findings say when their fix was left for that reason.
fn check_with(args: &CheckArgs, fixing: bool, out: &mut dyn Write) -> Result<u8, Fatal> {
    let settings = Settings::resolve(args.today.as_deref(), args.config.as_deref(), cwd()?)?;
    let loaded = analysis::load(&args.paths, &settings)?;
    let mut analysis = analysis::analyze(
        &loaded,
        &settings,
        args.base.as_deref(),
        crate::online::options(args.online, args.online_deadline).as_ref(),
    )?;
    let named: Option<Vec<std::path::PathBuf>> = fixing.then(|| {
        args.paths
            .iter()
            .map(|p| paths::normalize(&settings.cwd.join(p)))
            .collect()
    });
    let plan = crate::fix::plan(
        &analysis.diagnostics,
        &analysis.profiles,
        &settings,
        named.as_deref(),
    );
    if args.fix || args.diff {
        return fix(args, &plan, &settings, out);
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
        settings: &settings,
    };
    match &args.output {
        None => quiet_on_broken_pipe(reporter(args.format).report(&outcome, out))?,
        Some(path) => {
            let mut buffer = Vec::new();
            reporter(args.format)
                .report(&outcome, &mut buffer)
                .map_err(write_error)?;
            crate::write::output(
                &settings.cwd.join(path),
                &settings.repo_root(&settings.cwd),
                &buffer,
            )
            .map_err(|f| Fatal::new(f.describe(&settings.cwd)))?;
            if args.format != Format::Human {
                quiet_on_broken_pipe(human().report(&outcome, out))?;
            }
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    Ok(u8::from(analysis.fails(threshold)))
}

/// `--diff` shows the fixes (exit 1 when there are any); `--fix` writes them and checks again.
/// Both list on stderr the fixes left undone, with the reason.
fn fix(
    args: &CheckArgs,
    plan: &crate::fix::Plan,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<u8, Fatal> {
    let fixes = &plan.fixes;
    if args.diff {
        for f in fixes {
            quiet_on_broken_pipe(write!(out, "{}", crate::fix::diff(f)))?;
        }
        log_skipped(&plan.skipped);
        return Ok(u8::from(!fixes.is_empty()));
    }
    let refused = crate::fix::write(fixes, settings)?;
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
            "applied {edits} fix{} to {} file{}",
            if edits == 1 { "" } else { "es" },
            written.len(),
            if written.len() == 1 { "" } else { "s" }
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

fn reporter(format: Format) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(human()),
        Format::Json => Box::new(Json),
        Format::Github => Box::new(Github),
        Format::Sarif => Box::new(Sarif),
        Format::SummaryMd => Box::new(SummaryMd),
    }
}

fn write_error(e: std::io::Error) -> Fatal {
    Fatal::new(format!("cannot write the output: {e}"))
}

/// Standard output for the commands: once the reader has gone (`| head -1`), the rest of the
/// output is dropped and the run ends with the exit code its findings give. Every write goes
/// through here, so no reporter (nor serde_json inside one) can turn a closed pipe into exit 2.
#[derive(Debug)]
pub struct Stdout<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Stdout<W> {
    pub fn new(inner: W) -> Stdout<W> {
        Stdout {
            inner,
            closed: false,
        }
    }

    fn absorb(&mut self, result: std::io::Result<()>) -> std::io::Result<()> {
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write_all(buf);
        self.absorb(result).map(|()| buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.absorb(result)
    }
}

/// A reader that stops early (`| head`) is not a failure of the run.
pub fn quiet_on_broken_pipe(result: std::io::Result<()>) -> Result<(), Fatal> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(write_error),
    }
}

fn list_rules(out: &mut dyn Write) -> Result<(), Fatal> {
    let width = Rule::ALL.iter().map(|r| r.id().len()).max().unwrap_or(0);
    for doc in rules::docs() {
        let mut note = String::new();
        if doc.fixable {
            note.push_str(" (fixable)");
        }
        match doc.rule.needs() {
            rules::Needs::Online => note.push_str(" (with --online)"),
            rules::Needs::Base => note.push_str(" (with --base)"),
            rules::Needs::Nothing => {}
        }
        writeln!(
            out,
            "{:width$}  {:7}  {}{note}",
            doc.rule.id(),
            doc.severity.name(),
            doc.summary
        )
        .map_err(write_error)?;
    }
    Ok(())
}

fn explain(id: &str, out: &mut dyn Write) -> Result<(), Fatal> {
    let Some(rule) = Rule::from_id(&id.trim().to_lowercase()) else {
        let help = crate::rules::rule_help(id);
        return Err(Fatal::new(format!("unknown rule `{}`", crate::text::excerpt(id))).help(help));
    };
    let doc = rule.doc();
    let fixable = if doc.fixable { ", fixable" } else { "" };
    writeln!(
        out,
        "{} (default severity: {}{fixable})\n",
        rule.id(),
        doc.severity.name()
    )
    .map_err(write_error)?;
    write!(out, "{}", doc.body).map_err(write_error)
}
