use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    jixiao::alloc::keep_large_blocks_mapped();
    let cli = jixiao::cli::Cli::parse();
    match jixiao::cli::run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("jixiao: {e:#}");
            ExitCode::from(jixiao::cli::EXIT_USAGE)
        }
    }
}
