//! The command layer: arguments (clap derive; doc comments are the help), colour, and dispatch to one module
//! per command. Only this layer talks to the terminal; it returns a [`Status`] that `main` maps to an exit code.

mod calibrate;
mod check;
mod evaluate;
mod history;
mod list;
mod new;
mod play;
mod report;
mod schema;
mod score;
mod session;
mod show;
mod signals;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::catalog::{Catalog, Folders};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (the attempt, transcript or check passed)
  1  the attempt or transcript did not pass, `check` found a problem, or `calibrate`/`evaluate` fell short
  2  usage or input error (bad arguments, a broken file, an unwritable folder)

Environment: FRONTLINE_SCENARIOS, FRONTLINE_RUBRICS, FRONTLINE_RESULTS and FRONTLINE_TRAINEE set the options
of the same names; NO_COLOR turns colour off.";

/// Practise difficult holiday customers in the terminal: play a scripted scenario, get scored against a
/// rubric, and read feedback that quotes your own words.
#[derive(Debug, Parser)]
#[command(name = "frontline", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the command name.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// When to use colour: auto (only on a terminal, NO_COLOR unset, TERM not dumb), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// A folder of your scenario (and rubric) files, added to the built-in ones; a file with a built-in id
    /// replaces it.
    #[arg(long, value_name = "DIR", env = "FRONTLINE_SCENARIOS", global = true)]
    pub scenarios: Option<PathBuf>,
    /// A folder of rubric files, and lexicons/<lang>.yaml, to add to the built-in ones.
    #[arg(long, value_name = "DIR", env = "FRONTLINE_RUBRICS", global = true)]
    pub rubrics: Option<PathBuf>,
    /// Where attempts are saved [default: the platform's data folder, such as
    /// ~/.local/share/frontline/results on Linux, else ./frontline-results].
    #[arg(long, value_name = "DIR", env = "FRONTLINE_RESULTS", global = true)]
    pub results: Option<PathBuf>,
    /// Print less: no conversation replay, only the feedback.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: the signals found under each reply.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Text for people or JSON for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// Readable text.
    Text,
    /// Stable JSON (documented in docs/json-output.md).
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the scenarios (built-in and from --scenarios).
    List(list::ListArgs),
    /// Play a scenario: interactively, or scripted with --replies; prints feedback and saves the attempt.
    Play(play::PlayArgs),
    /// Your own attempts: best and last score per scenario, and how each criterion is going.
    History(history::HistoryArgs),
    /// Aggregate a team's attempts: who is ready, which skills fail most; table, CSV, JSON, Markdown, HTML or xAPI.
    Report(report::ReportArgs),
    /// Score an existing conversation: a saved attempt, a YAML/JSON transcript, or Customer:/Agent: text.
    Score(score::ScoreArgs),
    /// Show which signals a reply triggers and which lexicon entries matched (or were cancelled).
    Signals(signals::SignalsArgs),
    /// Check scenarios, rubrics and lexicons: validation, graph analysis, embedded examples, coverage.
    Check(check::CheckArgs),
    /// Compare a trainer's hand grades (CSV) with the rubric: agreement and Cohen's kappa per criterion.
    Calibrate(calibrate::CalibrateArgs),
    /// Measure the signal detector on labelled replies: precision, recall and F1 per signal.
    Evaluate(evaluate::EvaluateArgs),
    /// Print the JSON Schema of a file format, for editors that validate YAML as you type.
    Schema(schema::SchemaArgs),
    /// Show a scenario as a map: nodes, customer lines, transitions, endings (text, Mermaid or DOT).
    Show(show::ShowArgs),
    /// Create a commented scenario or rubric file that passes `check` as written.
    New(new::NewArgs),
}

/// How a command came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Success: exit 0.
    Success,
    /// The attempt or check did not pass: exit 1.
    Failed,
}

impl Status {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::Failed => 1,
        }
    }

    fn from_passed(passed: bool) -> Self {
        if passed { Status::Success } else { Status::Failed }
    }
}

/// Whether to colour stdout, given the choice and the environment.
pub fn use_color(choice: ColorChoice, stdout_is_terminal: bool, no_color: Option<&str>, term: Option<&str>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_is_terminal && no_color.is_none_or(str::is_empty) && term != Some("dumb"),
    }
}

/// Everything a command needs from the outside world.
pub struct Context<'a> {
    /// Global options.
    pub global: &'a GlobalArgs,
    /// Where output goes.
    pub out: &'a mut dyn Write,
}

impl Context<'_> {
    fn catalog(&self) -> anyhow::Result<Catalog> {
        let folders = Folders { scenarios: self.global.scenarios.clone(), rubrics: self.global.rubrics.clone() };
        Ok(Catalog::load(&folders)?)
    }
}

/// Runs a parsed command line; output goes to stdout, notes to stderr.
pub fn run(cli: Cli) -> anyhow::Result<Status> {
    let no_color = std::env::var("NO_COLOR").ok();
    let term = std::env::var("TERM").ok();
    let color = use_color(cli.global.color, std::io::stdout().is_terminal(), no_color.as_deref(), term.as_deref());
    colored::control::set_override(color);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut context = Context { global: &cli.global, out: &mut out };
    let status = match &cli.command {
        Command::List(args) => list::run(&mut context, args),
        Command::Play(args) => play::run(&mut context, args),
        Command::History(args) => history::run(&mut context, args),
        Command::Report(args) => report::run(&mut context, args),
        Command::Score(args) => score::run(&mut context, args),
        Command::Signals(args) => signals::run(&mut context, args),
        Command::Check(args) => check::run(&mut context, args),
        Command::Schema(args) => schema::run(&mut context, args),
        Command::Calibrate(args) => calibrate::run(&mut context, args),
        Command::Evaluate(args) => evaluate::run(&mut context, args),
        Command::Show(args) => show::run(&mut context, args),
        Command::New(args) => new::run(&mut context, args),
    }?;
    out.flush()?;
    Ok(status)
}

/// Whether an error is a closed output pipe (`frontline list | head -1`), which ends quietly.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    let broken = Some(std::io::ErrorKind::BrokenPipe);
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == broken
            || cause.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == broken
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn auto_colour_needs_a_terminal_and_respects_no_color_and_dumb_terms() {
        assert!(use_color(ColorChoice::Auto, true, None, Some("xterm")));
        assert!(!use_color(ColorChoice::Auto, false, None, Some("xterm")));
        assert!(!use_color(ColorChoice::Auto, true, Some("1"), Some("xterm")));
        assert!(use_color(ColorChoice::Auto, true, Some(""), Some("xterm")));
        assert!(!use_color(ColorChoice::Auto, true, None, Some("dumb")));
        assert!(use_color(ColorChoice::Always, false, Some("1"), Some("dumb")));
        assert!(!use_color(ColorChoice::Never, true, None, None));
    }
}
