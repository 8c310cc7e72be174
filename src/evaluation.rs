//! Measuring the signal detector against labelled replies: precision, recall and F1 per signal.
//!
//! An evaluation set (schema `frontline/evaluation@1`) is a list of agent replies, each with the signals it must
//! fire and the ones it must not; a reply says nothing about the signals it does not name. For every signal: a
//! `must` that fires is a true positive, a `must` that does not is a false negative, a `must_not` that fires is a
//! false positive. The held-out part of the project's set (`tests/data/`) is never used to tune the lexicon.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Problem, Validate};
use crate::serde_forms::Names;
use crate::signals::{Detector, contains_signal};
use crate::yaml::YamlPath;

/// The schema line of an evaluation set.
pub const EVALUATION_SCHEMA: &str = "frontline/evaluation@1";

/// A labelled set of replies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationSet {
    /// Always `frontline/evaluation@1`.
    pub schema: String,
    /// The customer and facts replies are read with (for `customer_name` and `fact:` signals).
    #[serde(default)]
    pub context: crate::rubric::ExampleContext,
    /// The replies.
    pub replies: Vec<Labelled>,
}

/// One labelled reply.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    /// The reply.
    pub text: String,
    /// Signals it must fire.
    #[serde(default)]
    pub must: Names,
    /// Signals it must not fire.
    #[serde(default, rename = "not")]
    pub must_not: Names,
}

impl Validate for EvaluationSet {
    fn validate(&self, problems: &mut Vec<Problem>) {
        if self.schema != EVALUATION_SCHEMA {
            problems.push(Problem::new(
                YamlPath::root().key("schema"),
                format!("an evaluation set says `schema: {EVALUATION_SCHEMA}`"),
            ));
        }
        for (i, reply) in self.replies.iter().enumerate() {
            if reply.must.0.is_empty() && reply.must_not.0.is_empty() {
                problems.push(Problem::new(
                    YamlPath::root().key("replies").index(i),
                    "label the reply with `must:` or `not:`",
                ));
            }
            if let Some(both) = reply.must.iter().find(|m| reply.must_not.iter().any(|n| n == *m)) {
                problems.push(Problem::new(
                    YamlPath::root().key("replies").index(i),
                    format!("\"{both}\" is both `must` and `not`"),
                ));
            }
        }
    }
}

impl EvaluationSet {
    /// Checks every label against the signals `detector` can report with this set's facts, so a misspelt label is
    /// an error rather than a signal that never fires.
    pub fn check_references(&self, detector: &Detector) -> Vec<Problem> {
        let fact_keys: Vec<&str> = self.context.facts.keys().map(String::as_str).collect();
        let mut problems = Vec::new();
        for (i, reply) in self.replies.iter().enumerate() {
            let path = YamlPath::root().key("replies").index(i);
            for (key, names) in [("must", &reply.must), ("not", &reply.must_not)] {
                for (j, name) in names.iter().enumerate() {
                    if let Some(message) = detector.unknown_signal(name, &fact_keys) {
                        problems.push(Problem::new(path.key(key).index(j), message));
                    }
                }
            }
        }
        problems
    }
}

/// Counts and scores for one signal.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SignalScore {
    /// The signal.
    pub signal: String,
    /// Labelled to fire, and fired.
    pub true_positives: usize,
    /// Labelled not to fire, but fired.
    pub false_positives: usize,
    /// Labelled to fire, but did not.
    pub false_negatives: usize,
    /// Labelled not to fire, and did not.
    pub true_negatives: usize,
}

impl SignalScore {
    /// TP / (TP + FP); 1 when nothing fired that should not have.
    pub fn precision(&self) -> f64 {
        let fired = self.true_positives + self.false_positives;
        if fired == 0 { 1.0 } else { self.true_positives as f64 / fired as f64 }
    }

    /// TP / (TP + FN); 1 when nothing had to fire.
    pub fn recall(&self) -> f64 {
        let wanted = self.true_positives + self.false_negatives;
        if wanted == 0 { 1.0 } else { self.true_positives as f64 / wanted as f64 }
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// A reply the detector got wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// The reply.
    pub text: String,
    /// Signals that should have fired and did not.
    pub missed: Vec<String>,
    /// Signals that fired and should not have.
    pub wrongly_fired: Vec<String>,
}

/// The evaluation of a set.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Replies evaluated.
    pub replies: usize,
    /// Per signal, by name.
    pub signals: Vec<SignalScore>,
    /// Replies with at least one mistake.
    pub misses: Vec<Miss>,
}

impl Evaluation {
    /// Every signal's counts summed: the micro-averaged precision and recall of the whole set, where each labelled
    /// (reply, signal) pair counts once whatever its signal.
    pub fn overall(&self) -> SignalScore {
        let mut sum = SignalScore { signal: "all signals (micro)".to_string(), ..Default::default() };
        for score in &self.signals {
            sum.true_positives += score.true_positives;
            sum.false_positives += score.false_positives;
            sum.false_negatives += score.false_negatives;
            sum.true_negatives += score.true_negatives;
        }
        sum
    }
}

/// Runs the detector over a set read from the file named `file_name` (such as `signals-dev-3.yaml`). A development
/// file's replies are in the built-in bank of labelled replies; they are left out of it while it is measured, so
/// that no reply is found as its own nearest neighbour.
pub fn evaluate(set: &EvaluationSet, file_name: &str, detector: &Detector) -> Evaluation {
    let detector = &detector.leaving_out(file_name);
    let context = &set.context;
    let vocabulary =
        detector.vocabulary(&context.customer, context.facts.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let mut scores: BTreeMap<String, SignalScore> = BTreeMap::new();
    let mut misses = Vec::new();
    for reply in &set.replies {
        let found = detector.detect(&reply.text, &vocabulary);
        let mut miss = Miss { text: reply.text.clone(), missed: Vec::new(), wrongly_fired: Vec::new() };
        for (name, wanted) in reply.must.iter().map(|n| (n, true)).chain(reply.must_not.iter().map(|n| (n, false))) {
            let score = scores
                .entry(name.to_string())
                .or_insert_with(|| SignalScore { signal: name.to_string(), ..Default::default() });
            match (wanted, contains_signal(&found, name)) {
                (true, true) => score.true_positives += 1,
                (true, false) => {
                    score.false_negatives += 1;
                    miss.missed.push(name.to_string());
                }
                (false, true) => {
                    score.false_positives += 1;
                    miss.wrongly_fired.push(name.to_string());
                }
                (false, false) => score.true_negatives += 1,
            }
        }
        if !miss.missed.is_empty() || !miss.wrongly_fired.is_empty() {
            misses.push(miss);
        }
    }
    Evaluation { replies: set.replies.len(), signals: scores.into_values().collect(), misses }
}
