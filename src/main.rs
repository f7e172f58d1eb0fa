use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = smm_lint::cli::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    match smm_lint::run::run(cli, &mut stdout) {
        Ok(code) => ExitCode::from(code),
        Err(fatal) => {
            let text = smm_lint::run::human().render_fatal(&fatal);
            let _ = write!(std::io::stderr(), "{text}");
            ExitCode::from(2)
        }
    }
}
