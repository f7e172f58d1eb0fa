//! The one diagnostic type every check produces and every reporter consumes.

use crate::date::Date;
use crate::rules::Rule;
use crate::source::SourceFile;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        [Severity::Info, Severity::Warning, Severity::Error]
            .into_iter()
            .find(|s| s.name() == text)
    }
}

/// A waiver that covers a finding: the finding stays visible but does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waived {
    pub reason: String,
    pub expires: Date,
}

/// A safe automatic fix: replace `span` of the diagnostic's file with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
}

impl Edit {
    /// Replaces a YAML scalar, keeping the quotes it was written with.
    pub fn scalar(file: &SourceFile, span: Range<usize>, value: &str) -> Edit {
        let original = file.text.get(span.clone()).unwrap_or("");
        let replacement = match original.chars().next() {
            Some(q @ ('"' | '\'')) if original.len() > 1 && original.ends_with(q) => {
                format!("{q}{value}{q}")
            }
            _ => value.to_owned(),
        };
        Edit { span, replacement }
    }
}

/// A finding, pointing at a span of a file. Checks create it with the rule's default
/// severity; the sink ([`crate::sink`]) alone applies configuration and waivers.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    /// Text of the primary label (shown under the span).
    pub label: Option<String>,
    /// Secondary labels in the same file, e.g. the parent target that imposed a requirement.
    pub related: Vec<(Range<usize>, String)>,
    pub waived: Option<Waived>,
    /// The safe fix `--fix` applies, when there is one.
    pub fix: Option<Edit>,
}

impl Diagnostic {
    pub fn new(
        rule: Rule,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            help: None,
            file: Arc::clone(file),
            span,
            label: None,
            related: Vec::new(),
            waived: None,
            fix: None,
        }
    }

    pub fn fix(mut self, edit: Edit) -> Diagnostic {
        self.fix = Some(edit);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds to the help why the finding's fix is not made, and takes the fix away.
    pub fn not_fixed(mut self, reason: &str) -> Diagnostic {
        self.leave_unfixed(reason);
        self
    }

    /// [`Diagnostic::not_fixed`], in place.
    pub fn leave_unfixed(&mut self, reason: &str) {
        let note = format!("Not fixed automatically: {reason}.");
        self.help = Some(match self.help.take() {
            Some(help) if help.ends_with(['?', '.', '!']) => format!("{help} {note}"),
            Some(help) => format!("{help}. {note}"),
            None => note,
        });
        self.fix = None;
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn related(mut self, span: Range<usize>, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }

    /// Deterministic order: path, line, column, rule id, then message.
    pub fn sort_key(&self) -> (&str, usize, &str, &str) {
        (
            &self.file.name,
            self.span.start,
            self.rule.id(),
            &self.message,
        )
    }
}
