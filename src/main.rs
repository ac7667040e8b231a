use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = jixiao::cli::Cli::parse();
    ExitCode::from(jixiao::cli::run(cli))
}
