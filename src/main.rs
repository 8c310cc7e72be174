//! The `frontline` binary: parses arguments, runs the library, prints one `error:` line on failure and maps the
//! outcome to an exit code (0 ok, 1 attempt or check failed, 2 usage or input error).

use std::process::ExitCode;

use clap::Parser;
use frontline::cli::{Cli, is_broken_pipe, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
