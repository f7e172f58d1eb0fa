use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = smm_lint::cli::Cli::parse();
    let mut stdout = smm_lint::run::Stdout::new(std::io::stdout().lock());
    let result = smm_lint::run::run(cli, &mut stdout);
    // What is still buffered must reach the reader now, while a failure can be reported.
    let flushed = stdout.flush();
    match result.and_then(|code| {
        flushed
            .map(|()| code)
            .map_err(|e| smm_lint::error::Fatal::new(format!("cannot write the output: {e}")))
    }) {
        Ok(code) => ExitCode::from(code),
        Err(fatal) => {
            let text = smm_lint::run::human().render_fatal(&fatal);
            let _ = write!(std::io::stderr(), "{text}");
            ExitCode::from(2)
        }
    }
}
