//! Messages for the user that are not findings: they go to stderr, never stdout.

use std::io::Write;

/// One line on stderr. Control characters are escaped here, whatever the caller put in, because
/// a GitHub runner reads stderr too and acts on a line that starts with `::`, even after a `\r`.
pub(crate) fn info(message: &str) {
    let _ = writeln!(std::io::stderr(), "{}", crate::text::one_line(message));
}
