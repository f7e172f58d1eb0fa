use clap::Parser;
use smm_lint::commands::{self, ExitStatus};
use smm_lint::report::human::Human;
use smm_lint::stdout::{Stdout, write_error};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match smm_lint::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return argument_error(&e),
    };
    let mut stdout = Stdout::new(std::io::stdout().lock());
    let result = commands::run(cli, &mut stdout);
    // What is still buffered must reach the reader now, while a failure can be reported.
    let flushed = stdout.flush().map_err(write_error);
    match result.and_then(|status| flushed.map(|()| status)) {
        Ok(status) => status.into(),
        Err(fatal) => {
            let text = Human::for_terminal().render_fatal(&fatal);
            let _ = write!(std::io::stderr(), "{text}");
            ExitStatus::Error.into()
        }
    }
}

/// clap's message for bad arguments (and `--help`, `--version`). clap quotes the arguments as
/// they are, and a file name is one: when any argument holds a control character, the message
/// is written on one line with them escaped, so that it cannot act on a terminal or a runner.
fn argument_error(e: &clap::Error) -> ExitCode {
    let hostile =
        std::env::args_os().any(|a| a.to_string_lossy().chars().any(smm_lint::text::is_unsafe));
    if !(hostile && e.use_stderr()) {
        e.exit();
    }
    let message = e.render().to_string();
    let message = message.trim().trim_start_matches("error: ");
    let _ = writeln!(
        std::io::stderr(),
        "error: {}",
        smm_lint::text::one_line(message)
    );
    ExitStatus::Error.into()
}
