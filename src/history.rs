//! A trainee's own progress: their saved attempts, best and last score per scenario, and the trend of every
//! criterion across attempts, so they can see themselves improve.
//!
//! Reads `<results>/<trainee>/*.json`; a file that is not a readable attempt is counted and skipped, never fatal.
//! Incomplete attempts are listed but do not count towards scores or trends.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::results::{Attempt, Status, sanitize_name};
use crate::scoring::Verdict;

/// One scenario's line in the history.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioProgress {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Attempts, complete or not.
    pub attempts: usize,
    /// Attempts that stopped before an ending.
    pub incomplete: usize,
    /// Best score of a complete attempt.
    pub best: Option<f64>,
    /// Score of the latest complete attempt.
    pub last: Option<f64>,
    /// Whether any attempt passed.
    pub passed: bool,
}

/// One criterion's results over time.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionTrend {
    /// Criterion id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Results of complete attempts, oldest first (N/A left out).
    pub results: Vec<Verdict>,
}

impl CriterionTrend {
    /// Passes in the latest `n` results.
    pub fn recent_passes(&self, n: usize) -> (usize, usize) {
        let recent = &self.results[self.results.len().saturating_sub(n)..];
        (recent.iter().filter(|v| **v == Verdict::Pass).count(), recent.len())
    }
}

/// A trainee's history.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The trainee.
    pub trainee: String,
    /// Per scenario, in the order first played.
    pub scenarios: Vec<ScenarioProgress>,
    /// Per criterion, in the order first seen.
    pub criteria: Vec<CriterionTrend>,
    /// Files that could not be read as attempts.
    pub unreadable: usize,
}

/// Reads the history of `trainee` from `folder`.
pub fn load(folder: &Path, trainee: &str) -> std::io::Result<History> {
    let dir = folder.join(sanitize_name(trainee));
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut unreadable = 0;
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                match std::fs::read(&path).ok().and_then(|bytes| serde_json::from_slice::<Attempt>(&bytes).ok()) {
                    Some(attempt) => attempts.push(attempt),
                    None => unreadable += 1,
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    attempts.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.finished_at.cmp(&b.finished_at)));
    Ok(summarise(trainee, &attempts, unreadable))
}

/// Summarises attempts (oldest first).
pub fn summarise(trainee: &str, attempts: &[Attempt], unreadable: usize) -> History {
    let mut scenarios: Vec<ScenarioProgress> = Vec::new();
    let mut criteria: Vec<CriterionTrend> = Vec::new();
    let mut criterion_index: BTreeMap<String, usize> = BTreeMap::new();
    for attempt in attempts {
        let complete = attempt.status == Status::Complete;
        let i = match scenarios.iter().position(|s| s.scenario == attempt.scenario) {
            Some(i) => i,
            None => {
                scenarios.push(ScenarioProgress {
                    scenario: attempt.scenario.clone(),
                    title: attempt.scenario_title.clone(),
                    attempts: 0,
                    incomplete: 0,
                    best: None,
                    last: None,
                    passed: false,
                });
                scenarios.len() - 1
            }
        };
        let line = &mut scenarios[i];
        line.attempts += 1;
        if !complete {
            line.incomplete += 1;
            continue;
        }
        line.best = Some(line.best.map_or(attempt.score, |b: f64| b.max(attempt.score)));
        line.last = Some(attempt.score);
        line.passed |= attempt.passed;
        for result in attempt.criteria.iter().filter(|c| c.result != Verdict::Na) {
            let key = format!("{}/{}", result.rubric, result.id);
            let index = *criterion_index.entry(key).or_insert_with(|| {
                criteria.push(CriterionTrend {
                    id: result.id.clone(),
                    title: result.title.clone(),
                    results: Vec::new(),
                });
                criteria.len() - 1
            });
            criteria[index].results.push(result.result);
        }
    }
    History { trainee: trainee.to_string(), scenarios, criteria, unreadable }
}
