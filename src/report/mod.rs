//! Reporters: one per output format behind one small trait. Only reporters write to stdout.

pub mod human;
pub mod json;

use crate::diagnostic::Diagnostic;
use crate::sink::Counts;
use std::io::{self, Write};

/// What every reporter receives.
#[derive(Debug)]
pub struct Outcome<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub counts: Counts,
    pub documents: usize,
    pub profiles: usize,
}

pub trait Reporter {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()>;
}
