use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = jixiao::cli::Cli::parse();
    match jixiao::cli::run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("jixiao: {e:#}");
            ExitCode::from(jixiao::cli::EXIT_USAGE)
        }
    }
}
