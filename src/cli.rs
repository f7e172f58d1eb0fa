//! Command-line arguments (clap derive). The only place that knows the output formats' names.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "smm-lint",
    version,
    about = "Lint an IoT Security Maturity Model profile kept as Markdown documents"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint profile and practice documents (directories or single files; default `.`)
    Check(CheckArgs),
    /// The maturity report for humans: gap analysis, rollups, roadmap, charts, evidence
    Report(ReportArgs),
    /// The evidence index for auditors: every evidence item with its status
    Evidence(EvidenceArgs),
    /// Write or refresh the sha256 pins of local evidence files
    Pin(PinArgs),
    /// Sign off the targets of each profile: write `approved: {by, date, targets}` with the
    /// hash of the targets as they are
    Approve(ApproveArgs),
    /// Scaffold a profile and one practice document per practice; a target left unset takes
    /// its parent's
    Init(InitArgs),
    /// The maturity history from git: per commit that touched the profile, every practice's
    /// target and current level and the rollups, newest first
    History(HistoryArgs),
    /// List every rule with its default severity
    Rules,
    /// Explain what a rule checks, why, and how to fix it; without a rule, list them
    Explain {
        /// A rule id, e.g. `evidence-stale`
        rule: Option<String>,
    },
    /// What the catalogue says of a practice: objective, and per level the description,
    /// indicators of accomplishment and default action
    Describe(DescribeArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct DescribeArgs {
    /// A practice id or alias, e.g. `patch-management`
    pub practice: String,
    /// Only this level (1 to 4)
    #[arg(value_parser = clap::value_parser!(u8).range(1..=4))]
    pub level: Option<u8>,
    /// Read this catalogue file (one that `extends:` the built-in catalogue) instead of the
    /// built-in one
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Directories or files to check; a file is checked with its whole profile
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Treat this date (YYYY-MM-DD) as today, for reproducible runs
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Use this configuration file instead of looking for `.smm-lint.yaml`
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also compare with the documents at this git ref: lowered levels, removed evidence,
    /// changed targets
    #[arg(long, value_name = "GIT-REF")]
    pub base: Option<String>,
    /// Also check `url:` evidence over HTTP(S) (off by default: a gate must not flake on the
    /// network)
    #[arg(long)]
    pub online: bool,
    /// With --online: stop checking URLs after this many seconds (default 60, at most a day);
    /// the URLs not checked by then are `unknown`
    #[arg(long, value_name = "SECONDS", requires = "online", value_parser = deadline_secs())]
    pub online_deadline: Option<u64>,
    /// Apply the safe fixes (+ marks, aliases, unambiguous typos in ids and keys), then check
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the safe fixes as a unified diff and write nothing; exit 1 if there are any
    #[arg(long)]
    pub diff: bool,
    /// Write the --format output to FILE; with a format other than human, the human report
    /// still goes to stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Options every auditors' command shares.
#[derive(Debug, Clone, clap::Args)]
pub struct Scope {
    /// The directories or files to read (default `.`)
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Treat this date (YYYY-MM-DD) as today
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Use this configuration file instead of looking for `.smm-lint.yaml`
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub scope: Scope,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also check `url:` evidence over HTTP(S)
    #[arg(long)]
    pub online: bool,
    /// With --online: stop checking URLs after this many seconds (default 60, at most a day);
    /// the URLs not checked by then are `unknown`
    #[arg(long, value_name = "SECONDS", requires = "online", value_parser = deadline_secs())]
    pub online_deadline: Option<u64>,
    /// Compare with this git ref, or with the newest commit before this date (YYYY-MM-DD), in
    /// the "Since the last assessment" section (default: the newest commit whose levels
    /// differ); with --format xlsx, also a History sheet of the commits since then
    #[arg(long, value_name = "REF|DATE")]
    pub since: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// GitHub-flavoured Markdown
    Md,
    /// One self-contained HTML page with charts (no JavaScript, no network)
    Html,
    /// The same data as JSON (`version` 1)
    Json,
    /// OSCAL 1.2 assessment results (JSON): a finding per practice, evidence as observations,
    /// waivers as risks
    OscalAr,
    /// OSCAL 1.2 plan of action and milestones (JSON): the roadmap as POA&M items
    OscalPoam,
    /// An Excel workbook, a sheet per table (binary: needs --output)
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub scope: Scope,
    /// Start after this point: a date (YYYY-MM-DD, commits dated on or after it) or a git ref
    /// (commits after it, and its own state as the oldest point)
    #[arg(long, value_name = "REF|DATE")]
    pub since: Option<String>,
    /// Only the commits a tag points at (e.g. `assessment-2026-q3`)
    #[arg(long)]
    pub tags: bool,
    /// Analyse at most this many commits, the newest (default 200, at most 10000); the output
    /// says when older ones were left out
    #[arg(long, value_name = "N", value_parser = max_commits())]
    pub max_commits: Option<u64>,
    #[arg(long, value_enum, default_value_t = HistoryFormat::Md)]
    pub format: HistoryFormat,
    /// Write the history to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// A table per domain: practices by points, with arrows for changes
    Md,
    /// One row per point and practice: tidy data for a spreadsheet
    Csv,
    /// The points as JSON (`version` 1)
    Json,
    /// One self-contained HTML page with step charts (no JavaScript, no network)
    Html,
}

#[derive(Debug, clap::Args)]
pub struct EvidenceArgs {
    #[command(flatten)]
    pub scope: Scope,
    #[arg(long, value_enum, default_value_t = EvidenceFormat::Md)]
    pub format: EvidenceFormat,
    /// Write the index to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also check `url:` evidence over HTTP(S)
    #[arg(long)]
    pub online: bool,
    /// With --online: stop checking URLs after this many seconds (default 60, at most a day);
    /// the URLs not checked by then are `unknown`
    #[arg(long, value_name = "SECONDS", requires = "online", value_parser = deadline_secs())]
    pub online_deadline: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvidenceFormat {
    /// A Markdown table
    Md,
    /// RFC 4180 CSV, safe to open in a spreadsheet
    Csv,
    /// JSON (`version` 1)
    Json,
}

#[derive(Debug, clap::Args)]
pub struct PinArgs {
    #[command(flatten)]
    pub scope: Scope,
    /// Write nothing; exit 1 if a pin is missing, invalid or stale
    #[arg(long, conflicts_with_all = ["diff", "refresh"])]
    pub check: bool,
    /// Print the changes as a unified diff and write nothing; exit 1 if there are any
    #[arg(long)]
    pub diff: bool,
    /// Also refresh the pins of files that changed, listing every item re-approved
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, clap::Args)]
pub struct ApproveArgs {
    #[command(flatten)]
    pub scope: Scope,
    /// Who approves the targets (one line, at most 200 characters)
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The date of the approval (default: --today, else today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The directory to write the profile into
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Do not ask: take every answer from the flags and the defaults
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The profile's id (default: the directory's name)
    #[arg(long, value_name = "ID")]
    pub profile: Option<String>,
    /// The system of interest, in one line
    #[arg(long, value_name = "TEXT")]
    pub system: Option<String>,
    /// The industry (needed for industry scope)
    #[arg(long, value_name = "TEXT")]
    pub industry: Option<String>,
    /// Who owns the profile: a person, role or mailbox
    #[arg(long, value_name = "TEXT")]
    pub owner: Option<String>,
    /// A target for any catalogue id or alias; repeatable. Domains default to 1/general
    #[arg(long = "target", value_name = "ID=LEVEL/SCOPE")]
    pub targets: Vec<String>,
    /// The catalogue: `iic-smm`, or a catalogue file relative to DIR
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,
    /// Overwrite documents that already exist
    #[arg(long)]
    pub force: bool,
    /// The date written as `assessed`, and the base of the plan's due dates (YYYY-MM-DD)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphical report pointing at the exact key or value (colour only on a terminal)
    Human,
    /// One JSON object with every diagnostic and a summary
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request's lines
    Github,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// The gap table as Markdown, for a job summary
    SummaryMd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

/// `--online-deadline`: whole seconds from 1 to a day, so the deadline can always be added to
/// the current time.
fn deadline_secs() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(1..=86_400)
}

/// `--max-commits`: from 1 to the walk's hard limit.
fn max_commits() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(1..=10_000)
}
