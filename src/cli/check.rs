//! `frontline check`: validates scenarios, rubrics and lexicons, analyses them, runs their examples, and reports
//! like a test runner: one `file:line:col: message` per problem, then `N passed, M failed`.

use std::path::PathBuf;

use clap::Args;
use colored::Colorize;

use super::{Context, Status};
use crate::catalog::Folders;
use crate::check::{self, Status as Found};

/// Options of `frontline check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check [default: the built-in library].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

pub fn run(context: &mut Context, args: &CheckArgs) -> anyhow::Result<Status> {
    let folders = Folders { scenarios: context.global.scenarios.clone(), rubrics: context.global.rubrics.clone() };
    let report = check::check(&args.paths, &folders);
    let out = &mut context.out;
    for finding in &report.findings {
        let location = &finding.location;
        let place = format!("{}:{}:{}:", location.file, location.line, location.column);
        match finding.status {
            Found::Fail => writeln!(out, "{} {}", place.bold(), location.message)?,
            Found::Note if !context.global.quiet => {
                writeln!(out, "{} {} {}", place.bold(), "note:".cyan(), location.message)?;
            }
            Found::Pass if context.global.verbose => {
                writeln!(out, "{} {} {}", place.dimmed(), "ok:".green(), location.message)?
            }
            _ => {}
        }
    }
    let (passed, failed) = (report.passed(), report.failed());
    let summary = format!("{passed} passed, {failed} failed");
    writeln!(out, "{}", if failed == 0 { summary.green() } else { summary.red() })?;
    Ok(if failed == 0 { Status::Success } else { Status::Failed })
}
