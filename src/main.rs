//! The jixiao binary: parse the command line, run it, map the result to an exit status.

// Long functions hide the steps a reader looks for: the threshold is in clippy.toml.
#![warn(clippy::too_many_lines)]

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::alloc::keep_large_blocks_mapped();
    let args = cli::Cli::parse();
    cli::signals::remove_temporaries_when_interrupted();
    #[cfg(feature = "xlsx")]
    cli::xls::install();
    match cli::run(args) {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("jixiao: {e:#}");
            ExitCode::from(cli::EXIT_USAGE)
        }
    }
}
