//! `frontline score`: scores an existing conversation with the same rubrics as `play`, so managers can score
//! real chat logs. Signals are detected afresh with the current lexicon.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::{Context, Status, TextOrJson};
use crate::feedback::{self, Outcome, Summary};
use crate::rescore::rescore;
use crate::scoring::{CriterionResult, RubricScore};
use crate::transcript::Turn;

/// Options of `frontline score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The conversation: a saved attempt (.json), a YAML/JSON transcript, or text with Customer:/Agent: lines.
    #[arg(value_name = "TRANSCRIPT")]
    pub transcript: PathBuf,
    /// A rubric id or file to score against (repeatable) [default: the transcript's, else holiday-basics].
    #[arg(long, value_name = "ID|FILE")]
    pub rubric: Vec<String>,
    /// The customer's name, for `mentions: customer_name` (overrides the transcript's).
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

/// The JSON output of `frontline score`.
#[derive(Serialize)]
struct Scored<'a> {
    source: String,
    scenario: Option<&'a str>,
    customer: Option<&'a str>,
    score: f64,
    passed: bool,
    rubrics: &'a [RubricScore],
    criteria: &'a [CriterionResult],
    turns: &'a [Turn],
}

pub fn run(context: &mut Context, args: &ScoreArgs) -> anyhow::Result<Status> {
    let catalog = context.catalog()?;
    let name = args.transcript.display().to_string();
    let rescored = rescore(&catalog, &args.transcript, &args.rubric, args.customer.as_deref())?;
    let (card, customer) = (&rescored.card, &rescored.customer);
    let out = &mut context.out;
    match args.format {
        TextOrJson::Json => {
            let scored = Scored {
                source: name,
                scenario: rescored.scenario.as_deref(),
                customer: customer.as_deref(),
                score: card.score,
                passed: card.passed,
                rubrics: &card.rubrics,
                criteria: &card.criteria,
                turns: &rescored.transcript.turns,
            };
            serde_json::to_writer_pretty(&mut *out, &scored)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            if context.global.verbose {
                let who = customer.as_deref().unwrap_or("Customer");
                writeln!(out, "{}", feedback::conversation(&rescored.transcript.turns, who, true))?;
            }
            let summary = Summary {
                title: &name,
                outcome: Outcome::Scored,
                score: card.score,
                passed: card.passed,
                rubrics: &card.rubrics,
                criteria: &card.criteria,
            };
            write!(out, "{}", feedback::summary(&summary))?;
        }
    }
    Ok(Status::from_passed(card.passed))
}
