//! The commands, one module each, and the dispatcher that owns the exit status.

pub(crate) mod approve;
pub(crate) mod check;
pub(crate) mod describe;
pub(crate) mod evidence;
pub(crate) mod history;
pub(crate) mod init;
pub(crate) mod pin;
pub(crate) mod report;
pub(crate) mod rules;

use crate::cli::{Cli, Command};
use crate::error::Fatal;
use std::io::Write;
use std::process::ExitCode;

/// How a run ends. The one place the exit codes are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Exit 0: nothing to report at or above the threshold.
    Success,
    /// Exit 1: findings (or, for `--diff`, `--check` and `pin`, something left to do).
    Failure,
    /// Exit 2: the tool could not do its work (bad arguments, configuration, output).
    Error,
}

impl ExitStatus {
    /// `Failure` when `failed`, else `Success`.
    pub(crate) fn failure_if(failed: bool) -> ExitStatus {
        if failed {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    }

    pub(crate) fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// Runs a command, writing its output to `out`. (The embedded rule docs are validated by the
/// test suite, not at every start: a run parses them once, when it first needs one.)
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    match cli.command {
        Command::Check(args) => check::run(&args, out),
        Command::Init(args) => init::run(&args, out),
        Command::Report(args) => report::run(&args, out),
        Command::Evidence(args) => evidence::run(&args, out),
        Command::History(args) => history::run(&args, out),
        Command::Pin(args) => pin::run(&args, out),
        Command::Approve(args) => approve::run(&args, out),
        Command::Describe(args) => describe::run(&args, out),
        Command::Rules | Command::Explain { rule: None } => rules::list(out),
        Command::Explain { rule: Some(rule) } => rules::explain(&rule, out),
    }
}
