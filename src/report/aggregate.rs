//! The aggregates a report is made of, folded one attempt at a time: per trainee, per scenario, per criterion,
//! the trainee × scenario grid, and readiness against a policy. Every structure is bounded by the number of
//! trainees, scenarios and criteria (each trainee keeps at most [`SERIES_POINTS`] scores for the charts).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Policy, Record};
use crate::results::Mode;
use crate::scoring::Verdict;

/// Scores kept per trainee for the score-over-time chart (the most recent ones).
pub const SERIES_POINTS: usize = 60;

/// Pass and fail counts.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Tally {
    /// Passes.
    pub pass: usize,
    /// Fails.
    pub fail: usize,
    /// Not applicable.
    pub na: usize,
}

impl Tally {
    fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Pass => self.pass += 1,
            Verdict::Fail => self.fail += 1,
            Verdict::Na => self.na += 1,
        }
    }

    /// Pass rate among applicable results, 0-100.
    pub fn rate(&self) -> Option<f64> {
        let applicable = self.pass + self.fail;
        (applicable > 0).then(|| (1000.0 * self.pass as f64 / applicable as f64).round() / 10.0)
    }
}

/// A criterion's identity and title.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CriterionTotals {
    /// Criterion id.
    pub id: String,
    /// Rubric id.
    pub rubric: String,
    /// Title.
    pub title: String,
    /// Results.
    pub tally: Tally,
    /// One missed example: (trainee, quoted reply), the first seen.
    #[serde(skip)]
    pub example_miss: Option<(String, String)>,
}

/// One trainee.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TraineeTotals {
    /// Name.
    pub trainee: String,
    /// Attempts counted.
    pub attempts: usize,
    /// Complete attempts.
    pub complete: usize,
    /// Passed attempts.
    pub passed: usize,
    /// Best score of a complete attempt.
    pub best: Option<f64>,
    /// Earliest complete attempt (time ms, score).
    #[serde(skip)]
    pub first: Option<(i64, f64)>,
    /// Latest complete attempt (time ms, score).
    #[serde(skip)]
    pub latest: Option<(i64, f64)>,
    /// Per criterion, keyed `rubric/id`.
    #[serde(skip)]
    pub criteria: BTreeMap<String, CriterionTotals>,
    /// Most recent scores (time ms, score), oldest first.
    #[serde(skip)]
    pub series: Vec<(i64, f64)>,
    /// Best score and passed, per (scenario, mode).
    #[serde(skip)]
    pub by_scenario: BTreeMap<(String, Mode), (f64, bool)>,
}

impl TraineeTotals {
    /// Latest complete score.
    pub fn latest_score(&self) -> Option<f64> {
        self.latest.map(|(_, s)| s)
    }

    /// Latest minus earliest complete score.
    pub fn trend(&self) -> Option<f64> {
        match (self.first, self.latest) {
            (Some((t0, a)), Some((t1, b))) if t1 > t0 => Some(((b - a) * 10.0).round() / 10.0),
            _ => None,
        }
    }

    /// Pass rate of complete attempts, 0-100.
    pub fn pass_rate(&self) -> Option<f64> {
        (self.complete > 0).then(|| (1000.0 * self.passed as f64 / self.complete as f64).round() / 10.0)
    }

    /// The criterion with the lowest pass rate (ties: the most failures).
    pub fn weakest(&self) -> Option<&CriterionTotals> {
        weakest(self.criteria.values())
    }
}

fn weakest<'a>(criteria: impl Iterator<Item = &'a CriterionTotals>) -> Option<&'a CriterionTotals> {
    criteria.filter(|c| c.tally.fail > 0).min_by(|a, b| {
        let rate = |c: &CriterionTotals| c.tally.rate().unwrap_or(100.0);
        rate(a).total_cmp(&rate(b)).then(b.tally.fail.cmp(&a.tally.fail))
    })
}

/// One scenario.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScenarioTotals {
    /// Scenario id.
    pub scenario: String,
    /// Title.
    pub title: String,
    /// Attempts counted.
    pub attempts: usize,
    /// Complete attempts.
    pub complete: usize,
    /// Passed attempts.
    pub passed: usize,
    /// Sum of complete scores.
    #[serde(skip)]
    pub score_sum: f64,
    /// Per criterion.
    #[serde(skip)]
    pub criteria: BTreeMap<String, CriterionTotals>,
}

impl ScenarioTotals {
    /// Average complete score.
    pub fn average(&self) -> Option<f64> {
        (self.complete > 0).then(|| (10.0 * self.score_sum / self.complete as f64).round() / 10.0)
    }

    /// Pass rate of complete attempts.
    pub fn pass_rate(&self) -> Option<f64> {
        (self.complete > 0).then(|| (1000.0 * self.passed as f64 / self.complete as f64).round() / 10.0)
    }

    /// The criterion failed most often.
    pub fn most_failed(&self) -> Option<&CriterionTotals> {
        self.criteria.values().filter(|c| c.tally.fail > 0).max_by(|a, b| {
            a.tally
                .fail
                .cmp(&b.tally.fail)
                .then(b.tally.rate().unwrap_or(0.0).total_cmp(&a.tally.rate().unwrap_or(0.0)))
        })
    }
}

/// One cell of the trainee × scenario grid.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Cell {
    /// Attempts.
    pub attempts: usize,
    /// Best complete score.
    pub best: Option<f64>,
    /// Any attempt passed.
    pub passed: bool,
}

/// Whether a trainee meets the policy.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    /// Every required scenario passed.
    pub ready: bool,
    /// What is still missing, one line per scenario (`late-gift: best 62 of 80`).
    pub missing: Vec<String>,
}

/// Everything a report shows.
#[derive(Debug, Clone, Default)]
pub struct Aggregates {
    /// The readiness policy, if any.
    pub policy: Option<Policy>,
    /// Per trainee.
    pub trainees: BTreeMap<String, TraineeTotals>,
    /// Per scenario.
    pub scenarios: BTreeMap<String, ScenarioTotals>,
    /// Team-wide per criterion, keyed `rubric/id`.
    pub criteria: BTreeMap<String, CriterionTotals>,
    /// (trainee, scenario) cells.
    pub grid: BTreeMap<(String, String), Cell>,
}

/// Adds a result; `example_from` names the trainee when the entry should keep an example of a miss (team-wide
/// entries only, so per-trainee memory stays small).
fn add_criterion(
    map: &mut BTreeMap<String, CriterionTotals>,
    record: &super::CriterionRecord,
    example_from: Option<&str>,
) {
    let entry = map.entry(format!("{}/{}", record.rubric, record.id)).or_insert_with(|| CriterionTotals {
        id: record.id.clone(),
        rubric: record.rubric.clone(),
        title: if record.title.is_empty() { record.id.clone() } else { record.title.clone() },
        tally: Tally::default(),
        example_miss: None,
    });
    entry.tally.add(record.result);
    if record.result == Verdict::Fail
        && entry.example_miss.is_none()
        && let Some(trainee) = example_from
        && let Some(evidence) = record.evidence.iter().find(|e| !e.quote.is_empty())
    {
        entry.example_miss = Some((trainee.to_string(), evidence.quote.clone()));
    }
}

impl Aggregates {
    /// Empty aggregates for `policy`.
    pub fn new(policy: Option<Policy>) -> Self {
        Aggregates { policy, ..Aggregates::default() }
    }

    /// Folds one attempt in.
    pub fn add(&mut self, record: &Record) {
        let complete = record.is_complete();
        let when = record.started_ms();
        let trainee = self
            .trainees
            .entry(record.trainee.clone())
            .or_insert_with(|| TraineeTotals { trainee: record.trainee.clone(), ..TraineeTotals::default() });
        let scenario = self.scenarios.entry(record.scenario.clone()).or_insert_with(|| ScenarioTotals {
            scenario: record.scenario.clone(),
            title: record.title().to_string(),
            ..ScenarioTotals::default()
        });
        let cell = self.grid.entry((record.trainee.clone(), record.scenario.clone())).or_default();
        trainee.attempts += 1;
        scenario.attempts += 1;
        cell.attempts += 1;
        if !complete {
            return;
        }
        trainee.complete += 1;
        scenario.complete += 1;
        scenario.score_sum += record.score;
        if record.passed {
            trainee.passed += 1;
            scenario.passed += 1;
            cell.passed = true;
        }
        trainee.best = Some(trainee.best.map_or(record.score, |b| b.max(record.score)));
        cell.best = Some(cell.best.map_or(record.score, |b| b.max(record.score)));
        if trainee.first.is_none_or(|(t, _)| when < t) {
            trainee.first = Some((when, record.score));
        }
        if trainee.latest.is_none_or(|(t, _)| when >= t) {
            trainee.latest = Some((when, record.score));
        }
        let at = trainee.series.partition_point(|(t, _)| *t <= when);
        trainee.series.insert(at, (when, record.score));
        if trainee.series.len() > SERIES_POINTS {
            trainee.series.remove(0);
        }
        let best = trainee.by_scenario.entry((record.scenario.clone(), record.mode)).or_insert((record.score, false));
        best.0 = best.0.max(record.score);
        best.1 |= record.passed;
        for criterion in &record.criteria {
            add_criterion(&mut trainee.criteria, criterion, None);
            add_criterion(&mut scenario.criteria, criterion, None);
            add_criterion(&mut self.criteria, criterion, Some(&record.trainee));
        }
    }

    /// Criteria, worst team pass rate first (those never applicable last).
    pub fn criteria_worst_first(&self) -> Vec<&CriterionTotals> {
        let mut list: Vec<&CriterionTotals> = self.criteria.values().collect();
        list.sort_by(|a, b| {
            let rate = |c: &CriterionTotals| c.tally.rate().unwrap_or(f64::INFINITY);
            rate(a).total_cmp(&rate(b)).then(b.tally.fail.cmp(&a.tally.fail)).then(a.title.cmp(&b.title))
        });
        list
    }

    /// A trainee's readiness under the policy (`None` without a policy).
    pub fn readiness(&self, trainee: &TraineeTotals) -> Option<Readiness> {
        let policy = self.policy.as_ref()?;
        let mut missing = Vec::new();
        for scenario in &policy.require {
            match trainee.by_scenario.get(&(scenario.clone(), policy.mode)) {
                None => missing.push(format!("{scenario}: no complete {}-mode attempt", mode_name(policy.mode))),
                Some((best, passed)) => {
                    let enough = match policy.mark {
                        Some(mark) => *best >= mark,
                        None => *passed,
                    };
                    if !enough {
                        let needed = policy.mark.map_or("a pass".to_string(), |m| format!("{m}"));
                        missing.push(format!("{scenario}: best {best} (needs {needed})"));
                    }
                }
            }
        }
        Some(Readiness { ready: missing.is_empty(), missing })
    }
}

/// The word for a mode.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Practice => "practice",
        Mode::Test => "test",
    }
}
