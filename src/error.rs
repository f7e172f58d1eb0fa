//! Errors that stop the tool (exit code 2): bad arguments, configuration, I/O.

use crate::source::SourceFile;
use std::fmt;
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
    pub(crate) fn new(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            help: None,
            at: None,
        }
    }

    pub(crate) fn at(
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Fatal {
        Fatal {
            message: message.into(),
            help: None,
            at: Some((Arc::clone(file), span)),
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Fatal {
        self.help = Some(help.into());
        self
    }
}

/// The message, after `file:line:column: ` when the problem is in a file. The help is not
/// part of it: renderers show it on a line of its own.
impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((file, span)) = &self.at {
            let at = file.position(span.start);
            write!(f, "{}:{}:{}: ", file.name, at.line, at.column)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fatal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fatal_error_displays_its_place_and_message() {
        let file = SourceFile::new(".smm-lint.yaml".into(), "rules:\n  x: y\n".into());
        let fatal = Fatal::at(&file, 9..10, "unknown rule").help("see `smm-lint rules`");
        assert_eq!(fatal.to_string(), ".smm-lint.yaml:2:3: unknown rule");
        assert_eq!(Fatal::new("no catalogue").to_string(), "no catalogue");
        let boxed: Box<dyn std::error::Error> = Box::new(Fatal::new("x"));
        assert_eq!(boxed.to_string(), "x");
    }
}
