//! The typed conversation: customer lines on screen (with a "typing…" indicator and, in practice mode, a mood
//! meter), the trainee's replies from a terminal prompt or from plain lines of standard input, and the in-session
//! commands (`/help`, `/hint`, `/facts`, `/transcript`, `/restart`, `/quit`).
//!
//! After every reply the conversation so far is copied to a [`Progress`] slot, so that Ctrl-C or a closed
//! terminal can still save it (see `play`).

use std::io::{self, BufRead, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use colored::Colorize;

use crate::engine::Session;
use crate::feedback;
use crate::hints::hint_for;
use crate::results::{AttemptMeta, HintUsed, Mode};
use crate::rubric::Rubric;
use crate::scenario::Scenario;
use crate::scoring::ScoreContext;
use crate::signals::{Detector, MAX_REPLY_BYTES};
use crate::transcript::{Speaker, Transcript, Turn};

/// What the trainee typed.
pub enum Typed {
    /// A line (possibly empty: silence), with the time taken in milliseconds.
    Line(String, u64),
    /// Input ended (end of file, a closed terminal).
    Closed,
}

/// Where replies come from.
pub trait ReplySource {
    /// Reads one reply.
    fn read(&mut self, out: &mut dyn Write) -> io::Result<Typed>;
}

/// Plain lines from any reader (standard input when it is not a terminal).
pub struct Lines<R: BufRead>(pub R);

impl<R: BufRead> ReplySource for Lines<R> {
    fn read(&mut self, out: &mut dyn Write) -> io::Result<Typed> {
        write!(out, "{} ", ">".cyan().bold())?;
        out.flush()?;
        let started = Instant::now();
        let mut line = String::new();
        match self.0.read_line(&mut line) {
            Ok(0) | Err(_) => {
                writeln!(out)?;
                Ok(Typed::Closed)
            }
            Ok(_) => Ok(Typed::Line(line.trim_end_matches(['\n', '\r']).to_string(), elapsed_ms(started))),
        }
    }
}

/// A line-editing prompt in a real terminal.
pub struct Prompt;

impl ReplySource for Prompt {
    fn read(&mut self, out: &mut dyn Write) -> io::Result<Typed> {
        out.flush()?;
        let started = Instant::now();
        let reply = dialoguer::Input::<String>::new()
            .with_prompt("You")
            .allow_empty(true)
            .interact_text_on(&dialoguer::console::Term::stdout());
        match reply {
            Ok(text) => Ok(Typed::Line(text, elapsed_ms(started))),
            Err(_) => Ok(Typed::Closed),
        }
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// How the conversation is shown.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Practice (mood meter, hints) or test.
    pub mode: Mode,
    /// Show the "typing…" indicator and pause.
    pub typing: bool,
}

/// How the conversation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// An ending was reached.
    Finished,
    /// The trainee typed /quit.
    Quit,
    /// The trainee typed /restart.
    Restart,
    /// Input ended.
    Closed,
}

/// The conversation so far, for saving it if the program is interrupted.
#[derive(Debug, Clone)]
pub struct InProgress {
    /// The attempt's identity.
    pub meta: AttemptMeta,
    /// The scenario.
    pub scenario: Scenario,
    /// Its rubrics.
    pub rubrics: Vec<Rubric>,
    /// The conversation so far.
    pub transcript: Transcript,
    /// Hints used so far.
    pub hints: Vec<HintUsed>,
}

/// The slot the interrupt handler reads.
pub type Progress = Arc<Mutex<Option<InProgress>>>;

/// What a conversation produced.
pub struct Conversation {
    /// The transcript.
    pub transcript: Transcript,
    /// Hints used.
    pub hints: Vec<HintUsed>,
    /// How it stopped.
    pub ended: Ended,
}

const HELP: &str = "Type your reply and press Enter. An empty reply lets the customer go on talking. \
Commands: /hint a tip for this moment (practice mode; costs points), /facts the order details, \
/transcript the conversation so far, /restart start over, /quit stop (your attempt is saved), /help this help.";

/// Shows "NAME is typing…" for a time that grows with the line's length.
fn typing(name: &str, text: &str) {
    let pause = Duration::from_millis((text.chars().count() as u64 * 30).clamp(500, 2500));
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    spinner.set_message(format!("{name} is typing…"));
    spinner.enable_steady_tick(Duration::from_millis(100));
    std::thread::sleep(pause);
    spinner.finish_and_clear();
}

fn show_customer_turns(out: &mut dyn Write, turns: &[Turn], scenario: &Scenario, options: Options) -> io::Result<()> {
    let name = &scenario.customer.name;
    for turn in turns.iter().filter(|t| t.speaker == Speaker::Customer) {
        if options.typing {
            typing(scenario.customer.first_name(), &turn.text);
        }
        write!(out, "{}", feedback::turn_block(turn, name))?;
    }
    if options.mode == Mode::Practice
        && let Some(mood) = turns.last().and_then(|t| t.mood)
    {
        writeln!(out, "{}", feedback::mood_meter(mood))?;
    }
    out.flush()
}

/// What a conversation is played with.
pub struct Setup<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The signal detector.
    pub detector: &'a Detector,
    /// The scenario's rubrics (for hints).
    pub rubrics: &'a [Rubric],
    /// The seed of the customer's varied lines.
    pub seed: u64,
}

/// Plays one conversation from typed replies.
pub fn converse(
    out: &mut dyn Write,
    input: &mut dyn ReplySource,
    setup: &Setup,
    options: Options,
    progress: &Progress,
) -> io::Result<Conversation> {
    let Setup { scenario, detector, rubrics, seed } = *setup;
    writeln!(out, "{}", feedback::briefing(scenario))?;
    writeln!(out, "{}", feedback::wrap(HELP, 0).dimmed())?;
    let mut session = Session::start(scenario, detector, seed);
    let mut hints: Vec<HintUsed> = Vec::new();
    let context = ScoreContext::for_scenario(scenario);
    show_customer_turns(out, &session.transcript().turns, scenario, options)?;
    let ended = loop {
        if session.is_over() {
            break Ended::Finished;
        }
        let (reply, elapsed) = match input.read(out)? {
            Typed::Closed => break Ended::Closed,
            Typed::Line(reply, elapsed) => (reply, elapsed),
        };
        match reply.trim() {
            "/quit" => break Ended::Quit,
            "/restart" => break Ended::Restart,
            "/help" => {
                write!(out, "{}", feedback::wrap(HELP, 0).dimmed())?;
                continue;
            }
            "/facts" => {
                write!(out, "{}", feedback::briefing(scenario))?;
                continue;
            }
            "/transcript" => {
                write!(out, "{}", feedback::conversation(&session.transcript().turns, &scenario.customer.name, false))?;
                continue;
            }
            "/hint" if options.mode == Mode::Test => {
                writeln!(out, "{}", "Hints are off in test mode.".yellow())?;
                continue;
            }
            "/hint" => {
                let text = hint_for(session.transcript(), session.phase(), rubrics, &context)
                    .unwrap_or_else(|| "You're doing well: keep going.".to_string());
                write!(out, "{}", feedback::wrap(&format!("Hint: {text}"), 0).cyan())?;
                hints.push(HintUsed { before_reply: session.transcript().reply_count() + 1, text });
                continue;
            }
            command if command.starts_with('/') => {
                let text = format!(
                    "Unknown command {command}: not sent to the customer. Commands: /hint /facts /transcript /restart /quit /help"
                );
                write!(out, "{}", feedback::wrap(&text, 0).yellow())?;
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
        let new_turns = session.reply(&reply, Some(elapsed)).to_vec();
        show_customer_turns(out, &new_turns, scenario, options)?;
        if let Ok(mut slot) = progress.lock()
            && let Some(current) = slot.as_mut()
        {
            current.transcript = session.transcript().clone();
            current.hints.clone_from(&hints);
        }
    };
    writeln!(out)?;
    Ok(Conversation { transcript: session.finish(), hints, ended })
}
