//! `frontline play`: a scenario played from a script (`--replies`) or typed line by line, then feedback, then
//! the attempt saved. A conversation stopped early (end of input, `/quit`) is saved as incomplete, never dropped.

use std::io::{IsTerminal, Read};
use std::sync::{Arc, Mutex};

use clap::{Args, ValueEnum};
use colored::Colorize;

use super::session::{Ended, InProgress, Lines, Options, Progress, Prompt, Setup, converse};
use super::{Context, Status, TextOrJson};
use crate::catalog::Catalog;
use crate::config;
use crate::engine::run_script;
use crate::feedback::{self, Outcome, Summary};
use crate::replies;
use crate::results::{self, Attempt, AttemptMeta, Mode};
use crate::scenario::Scenario;

/// Options of `frontline play`.
#[derive(Debug, Args)]
pub struct PlayArgs {
    /// The scenario: an id from `frontline list`, or the path of a scenario YAML file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// Play these replies instead of typing: one reply per line (an empty line is silence) or a YAML list of
    /// strings; `-` reads standard input.
    #[arg(long, value_name = "FILE|-")]
    pub replies: Option<String>,
    /// Seed for the customer's varied lines: the same seed and replies give the same conversation
    /// [default: random, saved with the attempt].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Your name, saved with the attempt.
    #[arg(long, value_name = "NAME", env = "FRONTLINE_TRAINEE")]
    pub trainee: Option<String>,
    /// practice, or test for certification.
    #[arg(long, value_enum, default_value_t = ModeArg::Practice)]
    pub mode: ModeArg,
    /// Do not pause while the customer "types" (interactive play).
    #[arg(long)]
    pub no_delay: bool,
    /// Do not save the attempt.
    #[arg(long)]
    pub no_save: bool,
    /// Output format: the feedback as text, or the whole attempt as JSON.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

/// The play mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Practice.
    Practice,
    /// Test, for certification.
    Test,
}

impl From<ModeArg> for Mode {
    fn from(mode: ModeArg) -> Self {
        match mode {
            ModeArg::Practice => Mode::Practice,
            ModeArg::Test => Mode::Test,
        }
    }
}

fn read_script(source: &str) -> anyhow::Result<Vec<String>> {
    let (name, bytes) = if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().take(replies::MAX_SCRIPT_BYTES as u64 + 1).read_to_end(&mut bytes)?;
        ("<stdin>".to_string(), bytes)
    } else {
        let bytes = std::fs::read(source)
            .map_err(|e| anyhow::anyhow!("{source}: cannot read the replies: {}", crate::diagnostic::io_reason(&e)))?;
        (source.to_string(), bytes)
    };
    Ok(replies::parse(&name, &bytes)?)
}

pub fn run(context: &mut Context, args: &PlayArgs) -> anyhow::Result<Status> {
    let catalog = context.catalog()?;
    match &args.replies {
        Some(source) => scripted(context, args, &catalog, &read_script(source)?),
        None => typed(context, args, &catalog),
    }
}

fn random_seed() -> u64 {
    rand::random_range(1..1_000_000)
}

/// Saves the attempt unless `--no-save`.
fn save(
    context: &Context,
    args: &PlayArgs,
    attempt: &Attempt,
) -> Option<Result<std::path::PathBuf, results::SaveError>> {
    (!args.no_save).then(|| {
        let folder = context.global.results.clone().unwrap_or_else(results::default_folder);
        results::save(&folder, attempt)
    })
}

/// Prints the feedback (or the JSON), then where the attempt was saved, or the save error.
fn report(
    context: &mut Context,
    args: &PlayArgs,
    attempt: &Attempt,
    saved: Option<Result<std::path::PathBuf, results::SaveError>>,
) -> anyhow::Result<()> {
    match args.format {
        TextOrJson::Json => {
            serde_json::to_writer_pretty(&mut *context.out, attempt)?;
            writeln!(context.out)?;
        }
        TextOrJson::Text => {
            let summary = Summary {
                title: &attempt.scenario_title,
                outcome: attempt.ending.as_ref().map_or(Outcome::Incomplete, Outcome::Ended),
                score: attempt.score,
                passed: attempt.passed,
                rubrics: &attempt.rubrics,
                criteria: &attempt.criteria,
            };
            write!(context.out, "{}", feedback::summary(&summary))?;
            if !attempt.hints.is_empty() {
                let text = format!("Hints used: {} (-{} points).", attempt.hints.len(), attempt.hint_penalty);
                writeln!(context.out, "{}", text.cyan())?;
            }
            writeln!(context.out, "\nSeed {0}: replay this conversation with --seed {0}.", attempt.seed)?;
        }
    }
    context.out.flush()?;
    match saved {
        Some(Ok(path)) => eprintln!("Saved {}", path.display()),
        Some(Err(error)) => return Err(error.into()),
        None => {}
    }
    Ok(())
}

/// Saves the conversation in progress, if any, as an incomplete attempt. The slot stays locked while saving, so
/// the interrupt handler and the main thread never save (or exit) over each other.
fn save_in_progress(
    progress: &Progress,
    folder: Option<&std::path::Path>,
) -> Option<Result<std::path::PathBuf, results::SaveError>> {
    let mut slot = progress.lock().ok()?;
    let current = slot.take()?;
    let attempt = Attempt::scored_with_hints(
        current.meta,
        current.transcript,
        &current.scenario,
        &current.rubrics,
        current.hints,
    );
    folder.map(|folder| results::save(folder, &attempt))
}

/// A scripted attempt: `--replies`.
fn scripted(context: &mut Context, args: &PlayArgs, catalog: &Catalog, replies: &[String]) -> anyhow::Result<Status> {
    let Some(scenario_name) = &args.scenario else {
        anyhow::bail!("name a scenario to play, such as `frontline play late-gift`; `frontline list` shows them all");
    };
    let scenario = catalog.scenario(scenario_name)?;
    let rubrics = catalog.rubrics_for(&scenario)?;
    let seed = args.seed.unwrap_or_else(random_seed);
    let started_at = results::now_rfc3339();
    let transcript = run_script(&scenario, &catalog.detector, seed, replies);
    let used = transcript.reply_count();
    if used < replies.len() {
        eprintln!(
            "note: the conversation ended after reply {used}; the other {} replies were not used",
            replies.len() - used
        );
    }
    if args.format == TextOrJson::Text && !context.global.quiet {
        writeln!(context.out, "{}", feedback::briefing(&scenario))?;
        writeln!(
            context.out,
            "{}",
            feedback::conversation(&transcript.turns, &scenario.customer.name, context.global.verbose)
        )?;
    }
    let meta = AttemptMeta::new(&scenario, args.trainee.as_deref(), seed, args.mode.into(), started_at);
    let attempt = Attempt::scored(meta, transcript, &scenario, &rubrics);
    let saved = save(context, args, &attempt);
    report(context, args, &attempt, saved)?;
    Ok(Status::from_passed(attempt.passed))
}

/// The trainee's name: the option or FRONTLINE_TRAINEE, else the remembered one, else asked (and remembered) in a
/// terminal, else anonymous.
fn trainee_name(args: &PlayArgs, terminal: bool) -> String {
    if let Some(name) = args.trainee.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        return name.to_string();
    }
    let mut remembered = config::load();
    if let Some(name) = remembered.trainee.clone().filter(|n| !n.trim().is_empty()) {
        return name;
    }
    if !terminal {
        return results::ANONYMOUS.to_string();
    }
    let asked = dialoguer::Input::<String>::new()
        .with_prompt("Your name (frontline remembers it for next time)")
        .interact_text_on(&dialoguer::console::Term::stdout())
        .map(|n| n.trim().to_string())
        .unwrap_or_default();
    if asked.is_empty() {
        return results::ANONYMOUS.to_string();
    }
    remembered.trainee = Some(asked.clone());
    if let Err(e) = config::save(&remembered) {
        eprintln!("note: could not remember your name: {e}");
    }
    asked
}

/// Lets the trainee pick a scenario; `None` when they cancel.
fn pick(catalog: &Catalog) -> anyhow::Result<Option<Scenario>> {
    // Easiest first: a new hire starts at the top.
    let mut scenarios: Vec<&Scenario> = catalog.scenarios.iter().collect();
    scenarios.sort_by(|a, b| a.difficulty.cmp(&b.difficulty).then_with(|| a.title.cmp(&b.title)));
    let items: Vec<String> = scenarios
        .iter()
        .map(|s| {
            let stars = format!("{}{}", "★".repeat(s.difficulty.into()), "☆".repeat(5 - usize::from(s.difficulty)));
            let line = format!("{:<40} {stars}  {}", s.title, s.tags.join(", "));
            line.chars().take(74).collect()
        })
        .collect();
    let chosen = dialoguer::Select::new()
        .with_prompt("Choose a customer to practise with (arrows, then Enter; Esc to leave)")
        .items(&items)
        .default(0)
        .report(false)
        .interact_on_opt(&dialoguer::console::Term::stdout())?;
    Ok(chosen.map(|i| scenarios[i].clone()))
}

/// What to do after the feedback.
enum Next {
    TryAgain,
    Another,
    Quit,
}

fn after_feedback(context: &mut Context, attempt: &Attempt, customer: &str) -> anyhow::Result<Next> {
    loop {
        let choice = dialoguer::Select::new()
            .with_prompt("What next?")
            .items(["Try again", "Another scenario", "See my transcript with the marks", "Quit"])
            .default(0)
            .interact_on_opt(&dialoguer::console::Term::stdout())?;
        match choice {
            Some(0) => return Ok(Next::TryAgain),
            Some(1) => return Ok(Next::Another),
            Some(2) => write!(context.out, "{}", feedback::annotated(attempt, customer))?,
            _ => return Ok(Next::Quit),
        }
    }
}

/// Saves the conversation in progress when the program is interrupted (Ctrl-C, a closed terminal), then exits.
fn save_on_interrupt(progress: Progress, folder: Option<std::path::PathBuf>) {
    let handler = move || {
        if std::io::stdout().is_terminal() {
            let _ = dialoguer::console::Term::stdout().show_cursor();
        }
        match save_in_progress(&progress, folder.as_deref()) {
            Some(Ok(path)) => eprintln!("\nStopped. Your attempt so far is saved as incomplete: {}", path.display()),
            Some(Err(e)) => eprintln!("\nerror: {e}"),
            None => {}
        }
        std::process::exit(130);
    };
    if let Err(e) = ctrlc::set_handler(handler) {
        eprintln!("note: Ctrl-C will not save the attempt: {e}");
    }
}

/// A typed attempt: a terminal prompt when stdin and stdout are terminals, else one line of stdin per reply.
fn typed(context: &mut Context, args: &PlayArgs, catalog: &Catalog) -> anyhow::Result<Status> {
    if args.format == TextOrJson::Json {
        anyhow::bail!(
            "--format json goes with --replies: a typed conversation is shown as text (its saved file is JSON)"
        );
    }
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let mut scenario = match &args.scenario {
        Some(name) => catalog.scenario(name)?,
        None if terminal => match pick(catalog)? {
            Some(scenario) => scenario,
            None => return Ok(Status::Success),
        },
        None => anyhow::bail!(
            "name a scenario to play, such as `frontline play late-gift`; `frontline list` shows them all"
        ),
    };
    let trainee = trainee_name(args, terminal);
    let folder = (!args.no_save).then(|| context.global.results.clone().unwrap_or_else(results::default_folder));
    let progress: Progress = Arc::new(Mutex::new(None));
    save_on_interrupt(progress.clone(), folder.clone());
    let options = Options { mode: args.mode.into(), typing: terminal && !args.no_delay };
    let mut seed = args.seed.unwrap_or_else(random_seed);
    loop {
        let rubrics = catalog.rubrics_for(&scenario)?;
        let meta = AttemptMeta::new(&scenario, Some(&trainee), seed, args.mode.into(), results::now_rfc3339());
        if let Ok(mut slot) = progress.lock() {
            *slot = Some(InProgress {
                meta: meta.clone(),
                scenario: scenario.clone(),
                rubrics: rubrics.clone(),
                transcript: Default::default(),
                hints: Vec::new(),
            });
        }
        let setup = Setup { scenario: &scenario, detector: &catalog.detector, rubrics: &rubrics, seed };
        let conversation = if terminal {
            converse(&mut *context.out, &mut Prompt, &setup, options, &progress)
        } else {
            converse(&mut *context.out, &mut Lines(std::io::stdin().lock()), &setup, options, &progress)
        };
        let conversation = match conversation {
            Ok(conversation) => conversation,
            Err(error) => {
                // The screen went away mid-conversation (a closed terminal): keep what was said.
                if let Some(Ok(path)) = save_in_progress(&progress, folder.as_deref()) {
                    eprintln!("Your attempt so far is saved as incomplete: {}", path.display());
                }
                return Err(error.into());
            }
        };
        let attempt =
            Attempt::scored_with_hints(meta, conversation.transcript, &scenario, &rubrics, conversation.hints);
        // Save and clear the in-progress copy under its lock: an interrupt now waits, then finds nothing to save.
        let saved = {
            let mut slot = progress.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let saved = save(context, args, &attempt);
            *slot = None;
            saved
        };
        report(context, args, &attempt, saved)?;
        seed = random_seed();
        match conversation.ended {
            Ended::Restart => continue,
            Ended::Quit | Ended::Closed => return Ok(Status::from_passed(attempt.passed)),
            Ended::Finished if !terminal => return Ok(Status::from_passed(attempt.passed)),
            Ended::Finished => {}
        }
        match after_feedback(context, &attempt, &scenario.customer.name)? {
            Next::TryAgain => {}
            Next::Another => match pick(catalog)? {
                Some(next) => scenario = next,
                None => return Ok(Status::from_passed(attempt.passed)),
            },
            Next::Quit => return Ok(Status::from_passed(attempt.passed)),
        }
    }
}
