//! `frontline play`: a scenario played from a script (`--replies`) or typed line by line, then feedback, then
//! the attempt saved. A conversation stopped early (end of input, `/quit`) is saved as incomplete, never dropped.

use std::io::{BufRead, Read};
use std::time::Instant;

use clap::{Args, ValueEnum};
use colored::Colorize;

use super::{Context, Status, TextOrJson};
use crate::engine::{Session, run_script};
use crate::feedback::{self, Outcome, Summary};
use crate::replies;
use crate::results::{self, Attempt, AttemptMeta, Mode};
use crate::scenario::Scenario;
use crate::signals::MAX_REPLY_BYTES;
use crate::transcript::Transcript;

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

const HELP: &str = "Type your reply and press Enter. An empty reply lets the customer go on talking.\n\
Commands: /facts shows the order details, /help this help, /quit stops (the attempt is saved as incomplete).";

/// Plays interactively, one line of standard input per reply.
fn play_typed(context: &mut Context, scenario: &Scenario, session: &mut Session) -> anyhow::Result<()> {
    let customer = scenario.customer.name.clone();
    let out = &mut context.out;
    writeln!(out, "{}", feedback::briefing(scenario))?;
    writeln!(out, "{}", feedback::wrap(HELP, 0).dimmed())?;
    writeln!(out)?;
    for turn in &session.transcript().turns {
        write!(out, "{}", feedback::turn_block(turn, &customer))?;
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    while !session.is_over() {
        write!(out, "{} ", ">".cyan().bold())?;
        out.flush()?;
        let started = Instant::now();
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(0) => {
                writeln!(out)?;
                break;
            }
            Ok(_) => {}
            Err(e) => {
                writeln!(out, "\n{}", format!("Input stopped ({e}); saving what you have.").yellow())?;
                break;
            }
        }
        let reply = line.trim_end_matches(['\n', '\r']);
        match reply.trim() {
            "/quit" => break,
            "/help" => {
                write!(out, "{}", feedback::wrap(HELP, 0).dimmed())?;
                continue;
            }
            "/facts" => {
                writeln!(out, "{}", feedback::briefing(scenario))?;
                continue;
            }
            command if command.starts_with('/') => {
                let text = format!("Unknown command {command}. {HELP}");
                write!(out, "{}", feedback::wrap(&text, 0).dimmed())?;
                continue;
            }
            _ => {}
        }
        if reply.len() > MAX_REPLY_BYTES {
            writeln!(
                out,
                "{}",
                format!("That reply is too long (over {MAX_REPLY_BYTES} bytes); keep it to a chat line.").yellow()
            )?;
            continue;
        }
        let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        for turn in session.reply(reply, Some(elapsed)) {
            write!(out, "{}", feedback::turn_block(turn, &customer))?;
        }
    }
    writeln!(out)?;
    Ok(())
}

pub fn run(context: &mut Context, args: &PlayArgs) -> anyhow::Result<Status> {
    let Some(scenario_name) = &args.scenario else {
        anyhow::bail!("name a scenario to play, such as `frontline play late-gift`; `frontline list` shows them all");
    };
    let catalog = context.catalog()?;
    let scenario = catalog.scenario(scenario_name)?;
    let rubrics = catalog.rubrics_for(&scenario)?;
    let script = args.replies.as_deref().map(read_script).transpose()?;
    let seed = args.seed.unwrap_or_else(|| rand::random_range(1..1_000_000));
    let started_at = results::now_rfc3339();
    let customer = scenario.customer.name.clone();

    let transcript: Transcript = match &script {
        Some(replies) => {
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
                    feedback::conversation(&transcript.turns, &customer, context.global.verbose)
                )?;
            }
            transcript
        }
        None => {
            let mut session = Session::start(&scenario, &catalog.detector, seed);
            play_typed(context, &scenario, &mut session)?;
            session.finish()
        }
    };

    let meta = AttemptMeta::new(&scenario, args.trainee.as_deref(), seed, args.mode.into(), started_at);
    let attempt = Attempt::scored(meta, transcript, &scenario, &rubrics);

    match args.format {
        TextOrJson::Json => {
            serde_json::to_writer_pretty(&mut *context.out, &attempt)?;
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
            writeln!(context.out, "\nSeed {seed}: replay this conversation with --seed {seed}.")?;
        }
    }
    context.out.flush()?;
    if !args.no_save {
        let folder = context.global.results.clone().unwrap_or_else(results::default_folder);
        let path = results::save(&folder, &attempt)?;
        eprintln!("Saved {}", path.display());
    }
    Ok(Status::from_passed(attempt.passed))
}
