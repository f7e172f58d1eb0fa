//! The one diagnostic type every check produces and every reporter consumes.

use crate::date::Date;
use crate::rules::{Rule, Severity};
use crate::source::SourceFile;
use crate::yaml::reader::FieldError;
use std::ops::Range;
use std::sync::Arc;

/// A waiver that covers a finding: the finding stays visible but does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waived {
    pub(crate) reason: String,
    pub(crate) expires: Date,
}

/// A safe automatic fix: replace `span` of the diagnostic's file with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub(crate) span: Range<usize>,
    pub(crate) replacement: String,
}

impl Edit {
    /// Replaces a YAML scalar, keeping the quotes it was written with.
    pub(crate) fn scalar(file: &SourceFile, span: Range<usize>, value: &str) -> Edit {
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
    pub(crate) fn new(
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

    pub(crate) fn fix(mut self, edit: Edit) -> Diagnostic {
        self.fix = Some(edit);
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds to the help why the finding's fix is not made, and takes the fix away.
    pub(crate) fn not_fixed(mut self, reason: &str) -> Diagnostic {
        self.leave_unfixed(reason);
        self
    }

    /// [`Diagnostic::not_fixed`], in place.
    pub(crate) fn leave_unfixed(&mut self, reason: &str) {
        let note = format!("Not fixed automatically: {reason}.");
        self.help = Some(match self.help.take() {
            Some(help) if help.ends_with(['?', '.', '!']) => format!("{help} {note}"),
            Some(help) => format!("{help}. {note}"),
            None => note,
        });
        self.fix = None;
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub(crate) fn related(mut self, span: Range<usize>, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }

    /// Deterministic order: path, line, column, rule id, then message.
    pub(crate) fn sort_key(&self) -> (&str, usize, &str, &str) {
        (
            &self.file.name,
            self.span.start,
            self.rule.id(),
            &self.message,
        )
    }
}

/// What to write for a required key that is absent, for the keys whose form is not obvious.
fn missing_key_help(message: &str) -> Option<String> {
    let key = message.strip_prefix("missing `")?.strip_suffix('`')?;
    let example = match key {
        "assessed" => "`assessed: YYYY-MM-DD`, the date of the assessment",
        "current" => "`current: LEVEL/SCOPE`, e.g. `current: 1/general`",
        "due" => "`due: YYYY-MM-DD`",
        "level" => "`level: LEVEL/SCOPE`, e.g. `level: 2/general`",
        _ => return None,
    };
    Some(format!("add {example}"))
}

/// Turns a [`FieldError`] into a diagnostic: `invalid_rule` for wrong values, `unknown-key`
/// for unknown keys (with the closest key at or above `cutoff`, or the allowed keys).
pub(crate) fn field_diagnostic(
    invalid_rule: Rule,
    file: &Arc<SourceFile>,
    err: FieldError,
    cutoff: f32,
) -> Diagnostic {
    match err {
        FieldError::Invalid { span, message } => {
            let help = missing_key_help(&message);
            let d = Diagnostic::new(invalid_rule, file, span, message);
            match help {
                Some(help) => d.help(help),
                None => d,
            }
        }
        FieldError::Misspelt {
            span,
            written,
            meant,
        } => Diagnostic::new(
            invalid_rule,
            file,
            span,
            format!(
                "`{}` is not a key: it looks like `{meant}` misspelt, and `{meant}` is missing",
                crate::text::excerpt(&written)
            ),
        )
        .label(format!("did you mean `{meant}`?"))
        .help(format!(
            "rename `{}` to `{meant}` by hand: `--fix` does not rename a key that carries a date, a claim or evidence",
            crate::text::excerpt(&written)
        )),
        FieldError::UnknownKey { span, key, allowed } => {
            let key_text = crate::text::excerpt(&key);
            let close = crate::text::suggest::close_keys(&key, &allowed, cutoff);
            let help = match close.first() {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("known keys here: {}", allowed.join(", ")),
            };
            let rule = if invalid_rule == Rule::FrontMatterSchema {
                Rule::UnknownKey
            } else {
                invalid_rule
            };
            Diagnostic::new(rule, file, span, format!("unknown key `{key_text}`"))
                .label("not a key smm-lint knows")
                .help(help)
        }
    }
}
