//! `frontline score`: scores an existing conversation with the same rubrics as `play`, so managers can score
//! real chat logs. Signals are detected afresh with the current lexicon.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::{Context, Status, TextOrJson};
use crate::diagnostic::read_file;
use crate::feedback::{self, Outcome, Summary};
use crate::rubric::Rubric;
use crate::scoring::{self, CriterionResult, RubricScore, ScoreContext};
use crate::signals::Vocabulary;
use crate::transcript::{self, Turn};

/// The rubric used when neither the transcript nor --rubric names one.
const DEFAULT_RUBRIC: &str = "holiday-basics";

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
    let mut imported = transcript::import(&name, &read_file(&args.transcript)?)?;
    let scenario = imported.scenario.as_deref().and_then(|id| catalog.scenarios.iter().find(|s| s.id == id));
    let customer =
        args.customer.clone().or(imported.customer.clone()).or_else(|| scenario.map(|s| s.customer.name.clone()));
    let mut facts: Vec<(String, String)> = imported.facts.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(scenario) = scenario {
        facts.extend(scenario.mentionable_facts().map(|(k, v)| (k.to_string(), v.to_string())));
    }
    let rubric_ids: Vec<String> = if !args.rubric.is_empty() {
        args.rubric.clone()
    } else if !imported.rubrics.is_empty() {
        imported.rubrics.clone()
    } else if let Some(scenario) = scenario {
        scenario.rubric.0.clone()
    } else {
        vec![DEFAULT_RUBRIC.to_string()]
    };
    let rubrics: Vec<Rubric> = rubric_ids.iter().map(|id| catalog.rubric(id)).collect::<Result<_, _>>()?;

    let vocabulary = match &customer {
        Some(name) => catalog.detector.vocabulary(name, facts.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        None => Vocabulary::default(),
    };
    imported.transcript.detect_signals(&catalog.detector, &vocabulary);
    let score_context = ScoreContext {
        customer_name: customer.as_deref().map(|c| c.split_whitespace().next().unwrap_or(c).to_string()),
        facts: facts.clone(),
    };
    let refs: Vec<&Rubric> = rubrics.iter().collect();
    let card = scoring::score(&imported.transcript, &refs, &score_context);
    let out = &mut context.out;
    match args.format {
        TextOrJson::Json => {
            let scored = Scored {
                source: name,
                scenario: imported.scenario.as_deref(),
                customer: customer.as_deref(),
                score: card.score,
                passed: card.passed,
                rubrics: &card.rubrics,
                criteria: &card.criteria,
                turns: &imported.transcript.turns,
            };
            serde_json::to_writer_pretty(&mut *out, &scored)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            if context.global.verbose {
                let who = customer.as_deref().unwrap_or("Customer");
                writeln!(out, "{}", feedback::conversation(&imported.transcript.turns, who, true))?;
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
