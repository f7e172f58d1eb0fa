//! Messages for the user that are not findings: they go to stderr, never stdout.

use std::io::Write;

pub fn info(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}
