//! Scoring an existing conversation again, with today's lexicon and rubrics: a saved attempt, a YAML/JSON
//! transcript or a plain chat log. `frontline score` prints the result; `frontline calibrate` compares it with a
//! human grader's marks.

use std::path::Path;

use crate::catalog::{Catalog, LookupError};
use crate::diagnostic::{LoadErrors, read_file};
use crate::rubric::Rubric;
use crate::scoring::{self, ScoreContext, Scorecard};
use crate::signals::Vocabulary;
use crate::transcript::{self, Transcript};

/// The rubric used when neither the caller, the transcript nor its scenario names one.
pub const DEFAULT_RUBRIC: &str = "holiday-basics";

/// A conversation scored again.
#[derive(Debug, Clone)]
pub struct Rescored {
    /// The conversation, with signals detected afresh.
    pub transcript: Transcript,
    /// The scenario it names, if any.
    pub scenario: Option<String>,
    /// The customer's full name, when known.
    pub customer: Option<String>,
    /// The scores.
    pub card: Scorecard,
}

/// Why a conversation could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum RescoreError {
    /// The file is not a readable conversation.
    #[error(transparent)]
    Load(#[from] LoadErrors),
    /// A rubric it names does not exist.
    #[error(transparent)]
    Lookup(#[from] LookupError),
}

/// Reads and scores `path`. Rubrics: `rubric_ids` when given, else the transcript's, else its scenario's, else
/// [`DEFAULT_RUBRIC`]; `customer` overrides the transcript's customer name.
pub fn rescore(
    catalog: &Catalog,
    path: &Path,
    rubric_ids: &[String],
    customer: Option<&str>,
) -> Result<Rescored, RescoreError> {
    let name = path.display().to_string();
    let bytes = read_file(path).map_err(LoadErrors::from)?;
    let mut imported = transcript::import(&name, &bytes)?;
    let scenario = imported.scenario.as_deref().and_then(|id| catalog.scenarios.iter().find(|s| s.id == id));
    let customer = customer
        .map(str::to_string)
        .or(imported.customer.clone())
        .or_else(|| scenario.map(|s| s.customer.name.clone()));
    let mut facts: Vec<(String, String)> = imported.facts.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(scenario) = scenario {
        facts.extend(scenario.mentionable_facts().map(|(k, v)| (k.to_string(), v.to_string())));
    }
    let ids: Vec<String> = if !rubric_ids.is_empty() {
        rubric_ids.to_vec()
    } else if !imported.rubrics.is_empty() {
        imported.rubrics.clone()
    } else if let Some(scenario) = scenario {
        scenario.rubric.0.clone()
    } else {
        vec![DEFAULT_RUBRIC.to_string()]
    };
    let rubrics: Vec<Rubric> = ids.iter().map(|id| catalog.rubric(id)).collect::<Result<_, _>>()?;
    let vocabulary = match &customer {
        Some(name) => catalog.detector.vocabulary(name, facts.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        None => Vocabulary::default(),
    };
    imported.transcript.detect_signals(&catalog.detector, &vocabulary);
    let context = ScoreContext {
        customer_name: customer.as_deref().map(|c| c.split_whitespace().next().unwrap_or(c).to_string()),
        facts,
    };
    let refs: Vec<&Rubric> = rubrics.iter().collect();
    let card = scoring::score(&imported.transcript, &refs, &context);
    Ok(Rescored { transcript: imported.transcript, scenario: imported.scenario, customer, card })
}
