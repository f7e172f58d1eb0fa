//! Errors that stop the tool (exit code 2): bad arguments, configuration, I/O.

use crate::source::SourceFile;
use std::ops::Range;
use std::sync::Arc;

/// The message and help may quote configuration or document text as it is: rendering
/// (`report::human::Human::render_fatal`) puts each on one line with control characters escaped.
#[derive(Debug)]
pub struct Fatal {
    pub message: String,
    pub help: Option<String>,
    /// Where in a file the problem is, when it is in one (a configuration key, say).
    pub at: Option<(Arc<SourceFile>, Range<usize>)>,
}

impl Fatal {
    pub fn new(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            help: None,
            at: None,
        }
    }

    pub fn at(file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            help: None,
            at: Some((Arc::clone(file), span)),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Fatal {
        self.help = Some(help.into());
        self
    }
}
