//! Running the examples embedded in the files: each lexicon signal's `match` / `no_match` replies, each rubric
//! criterion's `pass` / `fail` replies, and each scenario's scripted attempts with their expected ending, pass and
//! criteria. Every example is one [`ExampleResult`], located at the example's `file:line:col`, so a trainer sees
//! which example broke and where.

use crate::catalog::Catalog;
use crate::diagnostic::{LoadError, Problem, Source};
use crate::engine::run_script;
use crate::results::{Attempt, AttemptMeta, Mode};
use crate::rubric::Rubric;
use crate::scenario::{ExpectedResult, Phase, Scenario};
use crate::scoring::{self, ScoreContext, Verdict};
use crate::signals::{Detector, Lexicon, Vocabulary, contains_signal};
use crate::transcript::{Speaker, Transcript, Turn};
use crate::yaml::YamlPath;

/// One example's outcome.
#[derive(Debug, Clone)]
pub struct ExampleResult {
    /// Where the example is, and what went wrong (or what it showed).
    pub location: LoadError,
    /// Whether it came out as the file says.
    pub passed: bool,
}

fn result(source: &Source, path: YamlPath, passed: bool, message: String) -> ExampleResult {
    let location = source.errors(vec![Problem::new(path, message)]).0.remove(0);
    ExampleResult { location, passed }
}

/// Runs every signal example of a lexicon.
pub fn lexicon_examples(lexicon: &Lexicon, source: &Source, detector: &Detector) -> Vec<ExampleResult> {
    let mut results = Vec::new();
    for (name, spec) in &lexicon.signals {
        let path = YamlPath::root().key("signals").key(name.as_str()).key("examples");
        for (field, replies, wanted) in
            [("match", &spec.examples.matches, true), ("no_match", &spec.examples.no_match, false)]
        {
            for (i, reply) in replies.iter().enumerate() {
                let found = detector.detect(reply, &Vocabulary::default());
                let fired = contains_signal(&found, name);
                let seen: Vec<&str> = found.iter().map(|d| d.name.as_str()).collect();
                let message = if fired == wanted {
                    format!("{name}: \"{reply}\" {}", if wanted { "fires" } else { "does not fire" })
                } else if wanted {
                    format!("\"{reply}\" should fire {name} but does not (found: {})", list_or_none(&seen))
                } else {
                    format!("\"{reply}\" should not fire {name} but does")
                };
                results.push(result(source, path.key(field).index(i), fired == wanted, message));
            }
        }
    }
    results
}

fn list_or_none(names: &[&str]) -> String {
    if names.is_empty() { "nothing".into() } else { names.join(", ") }
}

/// Runs every criterion example of a rubric: each reply alone, in the phase the rule looks at.
pub fn criterion_examples(rubric: &Rubric, detector: &Detector) -> Vec<ExampleResult> {
    let context = &rubric.example_context;
    let vocabulary =
        detector.vocabulary(&context.customer, context.facts.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let score_context = ScoreContext {
        customer_name: Some(context.customer.split_whitespace().next().unwrap_or(&context.customer).to_string()),
        facts: context.facts.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    };
    let mut results = Vec::new();
    for (c, criterion) in rubric.criteria.iter().enumerate() {
        let phase = criterion.rule.phase.unwrap_or(Phase::Resolving);
        let path = YamlPath::root().key("criteria").index(c).key("examples");
        for (field, replies, wanted) in
            [("pass", &criterion.examples.pass, Verdict::Pass), ("fail", &criterion.examples.fail, Verdict::Fail)]
        {
            for (i, reply) in replies.iter().enumerate() {
                let transcript = Transcript {
                    turns: vec![
                        Turn {
                            n: 1,
                            speaker: Speaker::Customer,
                            text: String::new(),
                            node: String::new(),
                            phase,
                            mood: None,
                            signals: Vec::new(),
                            response_ms: None,
                        },
                        Turn {
                            n: 2,
                            speaker: Speaker::Agent,
                            text: reply.clone(),
                            node: String::new(),
                            phase,
                            mood: None,
                            signals: detector.detect(reply, &vocabulary),
                            response_ms: None,
                        },
                    ],
                    ending: None,
                    trace: Vec::new(),
                };
                let got = scoring::evaluate(criterion, &rubric.id, &transcript, &score_context).result;
                let message = if got == wanted {
                    format!("{}: \"{reply}\" {}", criterion.id, verdict_word(got))
                } else {
                    let seen: Vec<&str> = transcript.turns[1].signals.iter().map(|d| d.name.as_str()).collect();
                    format!(
                        "{}: \"{reply}\" should {} but comes out {} (signals: {})",
                        criterion.id,
                        verdict_word(wanted),
                        verdict_word(got),
                        list_or_none(&seen)
                    )
                };
                results.push(result(&rubric.source, path.key(field).index(i), got == wanted, message));
            }
        }
    }
    results
}

fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Na => "n/a",
    }
}

/// Plays one scripted example and returns the attempt it makes.
pub fn play_example(catalog: &Catalog, scenario: &Scenario, replies: &[String], seed: u64) -> Result<Attempt, String> {
    let rubrics = catalog.rubrics_for(scenario).map_err(|e| e.to_string())?;
    let transcript = run_script(scenario, &catalog.detector, seed, replies);
    let meta = AttemptMeta::new(scenario, Some("example"), seed, Mode::Practice, String::new());
    Ok(Attempt::scored(meta, transcript, scenario, &rubrics))
}

/// Runs every scripted example of a scenario against its expectations.
pub fn scenario_examples(catalog: &Catalog, scenario: &Scenario) -> Vec<ExampleResult> {
    let mut results = Vec::new();
    for (i, example) in scenario.examples.iter().enumerate() {
        let path = YamlPath::root().key("examples").index(i);
        let attempt = match play_example(catalog, scenario, &example.replies, example.seed.unwrap_or(1)) {
            Ok(attempt) => attempt,
            Err(message) => {
                results.push(result(&scenario.source, path, false, message));
                continue;
            }
        };
        let mut wrong = Vec::new();
        let ending = attempt.ending.as_ref().map_or("incomplete", |e| e.id.as_str());
        if let Some(expected) = &example.expect.ending
            && expected != ending
        {
            wrong.push(format!("ended {ending}, expected {expected}"));
        }
        if let Some(expected) = example.expect.passed
            && expected != attempt.passed
        {
            let why =
                if attempt.passed { "passed".to_string() } else { format!("did not pass (score {})", attempt.score) };
            wrong.push(format!("{why}, expected passed: {expected}"));
        }
        for (id, expected) in &example.expect.criteria {
            let got = attempt.criteria.iter().find(|c| c.id == *id).map(|c| c.result);
            let expected_verdict = match expected {
                ExpectedResult::Pass => Verdict::Pass,
                ExpectedResult::Fail => Verdict::Fail,
                ExpectedResult::Na => Verdict::Na,
            };
            match got {
                None => wrong.push(format!("no criterion \"{id}\" in the scenario's rubrics")),
                Some(got) if got != expected_verdict => {
                    wrong.push(format!(
                        "{id} came out {}, expected {}",
                        verdict_word(got),
                        verdict_word(expected_verdict)
                    ));
                }
                Some(_) => {}
            }
        }
        let message = if wrong.is_empty() {
            format!(
                "example \"{}\": {ending}, score {}, {}",
                example.name,
                attempt.score,
                if attempt.passed { "passed" } else { "not passed" }
            )
        } else {
            format!("example \"{}\": {}", example.name, wrong.join("; "))
        };
        results.push(result(&scenario.source, path, wrong.is_empty(), message));
    }
    results
}

/// Runs every example of every file in the catalog.
pub fn all(catalog: &Catalog) -> Vec<ExampleResult> {
    let mut results = lexicon_examples(&catalog.lexicon, &catalog.lexicon_source, &catalog.detector);
    for rubric in &catalog.rubrics {
        results.extend(criterion_examples(rubric, &catalog.detector));
    }
    for scenario in &catalog.scenarios {
        results.extend(scenario_examples(catalog, scenario));
    }
    results
}
