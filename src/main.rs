//! The jixiao binary: parse the command line, run it, map the result to an exit status.

// Long functions hide the steps a reader looks for: the threshold is in clippy.toml.
#![warn(clippy::too_many_lines)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::alloc::keep_large_blocks_mapped();
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = cli::say::lang_of_args(&argv);
    // Known before parsing: the parser's errors and value checks speak it too.
    cli::set_lang(lang);
    let mut command = cli::help::localize(<cli::Cli as clap::CommandFactory>::command(), lang);
    let parsed = command.clone().try_get_matches_from(&argv).and_then(|m| {
        if cli::say::print_help_asked(&mut command, &m) {
            std::process::exit(0);
        }
        <cli::Cli as clap::FromArgMatches>::from_arg_matches(&m)
    });
    let args = match parsed {
        Ok(args) => args,
        Err(e) => match (lang, cli::say::clap_error_zh(&e)) {
            (jixiao::i18n::Lang::Zh, Some(text)) => {
                eprint!("{text}");
                return ExitCode::from(cli::EXIT_USAGE);
            }
            _ => e.exit(),
        },
    };
    cli::signals::remove_temporaries_when_interrupted();
    #[cfg(feature = "xlsx")]
    cli::xls::install();
    match cli::run(args) {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("{}", cli::say::error_line(&e, lang));
            ExitCode::from(cli::EXIT_USAGE)
        }
    }
}
