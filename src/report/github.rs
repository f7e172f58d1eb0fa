//! `--format github`: workflow commands that GitHub Actions turns into annotations on the
//! pull request's lines.
//!
//! Every piece of document text is escaped, so nothing a pull request writes can start a
//! workflow command of its own: a line break becomes `%0A` and never reaches the log raw.

use super::{Outcome, Reporter};
use crate::rules::Severity;
use std::io::{self, Write};

#[derive(Debug)]
pub(crate) struct Github;

/// Escapes the message part of a workflow command.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=` …): also `:` and `,`.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn report(&self, outcome: &Outcome<'_>, out: &mut dyn Write) -> io::Result<()> {
        for d in outcome.diagnostics.iter().filter(|d| d.waived.is_none()) {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let start = d.file.position(d.span.start);
            let end = d.file.position(d.span.end);
            let mut props = vec![
                // Shown, never obeyed: control characters of a file name appear escaped.
                format!(
                    "file={}",
                    escape_property(&crate::text::one_line(&outcome.repo_path(d)))
                ),
                format!("line={}", start.line),
                format!("endLine={}", end.line),
            ];
            // Columns only make sense when the span stays on one line.
            if start.line == end.line {
                props.push(format!("col={}", start.column));
                props.push(format!("endColumn={}", end.column));
            }
            props.push(format!("title={}", escape_property(d.rule.id())));
            let message = super::message_with_help(d);
            writeln!(
                out,
                "::{command} {}::{}",
                props.join(","),
                escape_data(&message)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `%` first: an already escaped sequence is not unescaped by GitHub.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
