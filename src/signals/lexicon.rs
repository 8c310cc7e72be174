//! The signal lexicon file format (`rubrics/lexicons/<lang>.yaml`, schema `frontline/lexicon@1`).
//!
//! A lexicon is data: the phrases that make each signal fire, the exceptions that cancel them, the negation
//! cues that refuse them, and the contractions folded before matching. Trainers extend it in YAML; the
//! [`Detector`](super::Detector) compiles it.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Problem, Validate};
use crate::yaml::YamlPath;

/// The schema line every lexicon file starts with.
pub const LEXICON_SCHEMA: &str = "frontline/lexicon@1";

/// Signals the engine adds itself; a lexicon may not define them.
pub const BUILT_IN_SIGNALS: &[&str] = &["silence", "customer_name"];

/// The prefix of per-scenario fact signals (`fact:item`).
pub const FACT_PREFIX: &str = "fact:";

/// A parsed lexicon file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    /// Always `frontline/lexicon@1`.
    pub schema: String,
    /// Language code, such as `en`.
    pub language: String,
    /// Words replaced before matching: `"can't": "can not"`.
    #[serde(default)]
    pub contractions: BTreeMap<String, String>,
    /// How refusals cancel negatable signals.
    #[serde(default)]
    pub negation: Negation,
    /// Signal name to its definition.
    pub signals: BTreeMap<String, SignalSpec>,
}

/// Negation: a cue shortly before a negatable phrase, in the same clause, refuses it ("we can not refund").
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Negation {
    /// Phrases that negate what follows.
    #[serde(default)]
    pub cues: Vec<String>,
    /// How many words before the phrase a cue may stand.
    #[serde(default = "default_window")]
    pub window: usize,
    /// Words that end a clause (punctuation always does).
    #[serde(default)]
    pub breaks: Vec<String>,
    /// Phrases whose cue words do not negate: `don't worry`, `no problem`.
    #[serde(default)]
    pub ignore: Vec<String>,
}

impl Default for Negation {
    fn default() -> Self {
        Negation { cues: Vec::new(), window: default_window(), breaks: Vec::new(), ignore: Vec::new() }
    }
}

fn default_window() -> usize {
    4
}

/// One signal: what fires it and what does not.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalSpec {
    /// What the signal means, for trainers.
    pub description: String,
    /// Phrases that fire the signal, matched on word boundaries after normalisation. A trailing `*` matches any
    /// word ending: `apolog*` covers apologise, apologize, apologies.
    pub phrases: Vec<String>,
    /// Phrases that cancel a match they overlap: `sorry you feel` cancels the apology in "sorry you feel that way".
    #[serde(default)]
    pub unless: Vec<String>,
    /// Whether a negation cue before a phrase refuses it.
    #[serde(default)]
    pub negatable: bool,
    /// Replies that must and must not fire the signal; `frontline check` and the test suite run them.
    #[serde(default)]
    pub examples: SignalExamples,
}

/// Example replies for one signal.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalExamples {
    /// Replies that must fire the signal.
    #[serde(default, rename = "match")]
    pub matches: Vec<String>,
    /// Replies that must not fire it.
    #[serde(default)]
    pub no_match: Vec<String>,
}

/// Whether `name` is a valid signal name: lower-case letters and underscores.
pub fn is_signal_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase()) && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

impl Validate for Lexicon {
    fn validate(&self, problems: &mut Vec<Problem>) {
        let root = YamlPath::root();
        if self.schema != LEXICON_SCHEMA {
            problems.push(Problem::new(
                root.key("schema"),
                format!("schema is \"{}\"; a lexicon file says `schema: {LEXICON_SCHEMA}`", self.schema),
            ));
        }
        if self.negation.window == 0 || self.negation.window > 10 {
            problems.push(Problem::new(root.key("negation").key("window"), "window must be from 1 to 10 words"));
        }
        if self.signals.is_empty() {
            problems.push(Problem::new(root.key("signals"), "a lexicon defines at least one signal"));
        }
        for (name, spec) in &self.signals {
            let path = root.key("signals").key(name.as_str());
            if !is_signal_name(name) {
                problems.push(Problem::new(
                    path.clone(),
                    format!("signal name \"{name}\" must be lower-case letters and underscores"),
                ));
            }
            if BUILT_IN_SIGNALS.contains(&name.as_str()) {
                problems.push(Problem::new(
                    path.clone(),
                    format!("\"{name}\" is detected by frontline itself; choose another name"),
                ));
            }
            if spec.phrases.is_empty() {
                problems.push(Problem::new(path.key("phrases"), format!("signal \"{name}\" has no phrases")));
            }
            for (field, list) in [("phrases", &spec.phrases), ("unless", &spec.unless)] {
                for (i, phrase) in list.iter().enumerate() {
                    let bare = phrase.trim_end_matches('*');
                    if !bare.chars().any(|c| c.is_alphanumeric() || c == '?') {
                        problems.push(Problem::new(
                            path.key(field).index(i),
                            format!("phrase \"{phrase}\" has no words to match"),
                        ));
                    }
                }
            }
        }
        for (i, cue) in self.negation.cues.iter().enumerate() {
            if !cue.chars().any(char::is_alphanumeric) {
                problems.push(Problem::new(root.key("negation").key("cues").index(i), "a negation cue needs words"));
            }
        }
    }
}
