//! Reporters: one per output format behind one small trait. Only reporters write to stdout.

pub(crate) mod github;
pub mod human;
pub mod json;
pub(crate) mod markdown;
pub(crate) mod sarif;
pub(crate) mod summary;

use crate::cli::Format;
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::gap::GapRow;
use crate::sink::Counts;
use std::io::{self, Write};

/// What every reporter receives.
#[derive(Debug)]
pub struct Outcome<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub counts: Counts,
    pub documents: usize,
    pub profiles: usize,
    /// Target against current per practice, for the formats that show it.
    pub gaps: &'a [GapRow],
    pub context: &'a Context,
}

impl Outcome<'_> {
    /// A diagnostic's path relative to its repository root (for GitHub and SARIF, which
    /// resolve paths against the checkout), with `/` separators.
    pub(crate) fn repo_path(&self, d: &Diagnostic) -> String {
        let abs = crate::paths::normalize(&self.context.cwd.join(&d.file.name));
        let root = self
            .context
            .repo_root(abs.parent().unwrap_or(&self.context.cwd));
        crate::paths::display(&abs, &root)
    }
}

/// The message with its help on a line of its own, for the formats that have one text field.
pub(crate) fn message_with_help(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    }
}

pub trait Reporter {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()>;
}

impl Format {
    /// The reporter that writes this format.
    pub(crate) fn reporter(self) -> Box<dyn Reporter> {
        match self {
            Format::Human => Box::new(human::Human::for_terminal()),
            Format::Json => Box::new(json::Json),
            Format::Github => Box::new(github::Github),
            Format::Sarif => Box::new(sarif::Sarif),
            Format::SummaryMd => Box::new(summary::SummaryMd),
        }
    }
}
