//! The signal lexicon file format (`rubrics/lexicons/<lang>.yaml`, schema `frontline/lexicon@1`).
//!
//! A lexicon is data: the phrases that make each signal fire, the exceptions that cancel them, the negation
//! cues that refuse them, and the contractions folded before matching. Trainers extend it in YAML; the
//! [`Detector`](super::Detector) compiles it.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::forms::{Form, WordClasses};
use super::inflection::{Inflections, is_ending};
use super::normalize::stem_marker;
use crate::diagnostic::{Problem, Validate};
use crate::yaml::YamlPath;

/// The schema line every lexicon file starts with.
pub const LEXICON_SCHEMA: &str = "frontline/lexicon@1";

/// Signals frontline adds itself; a lexicon may not define them.
pub const BUILT_IN_SIGNALS: &[&str] =
    &["silence", "customer_name", "keyword_list", "stuffing", "too_long", "repeated_reply"];

/// The anti-gaming signals: a reply flagged with one earns no credit, and the simulated customer sees only the flag.
pub const GAMING_SIGNALS: &[&str] = &["keyword_list", "stuffing", "too_long", "repeated_reply"];

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
    /// The endings the last word of a phrase or word-class member may also take ("idiot" meets "idiots").
    #[serde(default)]
    pub inflections: Inflections,
    /// Named lists of words and phrases that sentence forms refer to as `{name}` (docs/lexicon-format.md).
    #[serde(default)]
    pub word_classes: BTreeMap<String, Vec<String>>,
    /// Signal name to its definition.
    pub signals: BTreeMap<String, SignalSpec>,
    /// When a reply is flagged as gaming the scorer rather than talking to the customer.
    #[serde(default)]
    pub gaming: Gaming,
    /// The nearest-labelled-reply fallback for signals the phrases and forms miss; off when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neighbours: Option<NeighbourSettings>,
}

/// The nearest-labelled-reply fallback (docs/signals.md#the-nearest-labelled-reply): a signal the phrases and forms
/// missed fires when the most similar built-in labelled reply labelled for it has it under `must`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NeighbourSettings {
    /// The least cosine similarity (over words and word pairs, 0-1) at which the nearest labelled reply counts.
    pub min_similarity: f64,
    /// Signals that fire by their phrases and forms only.
    #[serde(default)]
    pub except: Vec<String>,
}

/// Anti-gaming thresholds (docs/signals.md#anti-gaming).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gaming {
    /// `keyword_list`: at least this many signals...
    #[serde(default = "default_list_signals")]
    pub list_min_signals: usize,
    /// ...in a reply of at least this many words...
    #[serde(default = "default_list_words")]
    pub list_min_words: usize,
    /// ...where signal phrases cover at least this share of the words (0-1).
    #[serde(default = "default_list_coverage")]
    pub list_coverage: f64,
    /// `keyword_list`: words that glue a sentence together ("with", "so", "you"); a keyword list has none left over
    /// between its signal phrases, or (with 2 signals or more and no punctuation) none at all.
    #[serde(default)]
    pub glue_words: Vec<String>,
    /// `stuffing`: one signal's word (the same first five letters) at least this many times in its detections...
    #[serde(default = "default_stuffing")]
    pub stuffing_repeats: usize,
    /// `stuffing`: ...all within this many words.
    #[serde(default = "default_stuffing_window")]
    pub stuffing_window: usize,
    /// `too_long`: more words than this.
    #[serde(default = "default_too_long")]
    pub too_long_words: usize,
    /// `repeated_reply`: a copy of an earlier reply of at least this many words.
    #[serde(default = "default_repeat_words")]
    pub repeat_min_words: usize,
}

fn default_list_signals() -> usize {
    4
}
fn default_list_words() -> usize {
    6
}
fn default_list_coverage() -> f64 {
    0.8
}
fn default_stuffing() -> usize {
    3
}
fn default_stuffing_window() -> usize {
    8
}
fn default_too_long() -> usize {
    150
}
fn default_repeat_words() -> usize {
    4
}

impl Default for Gaming {
    fn default() -> Self {
        Gaming {
            list_min_signals: default_list_signals(),
            list_min_words: default_list_words(),
            list_coverage: default_list_coverage(),
            glue_words: Vec::new(),
            stuffing_repeats: default_stuffing(),
            stuffing_window: default_stuffing_window(),
            too_long_words: default_too_long(),
            repeat_min_words: default_repeat_words(),
        }
    }
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
    /// Phrases that report the customer's own words or actions (`you asked for`, `did you use`): what follows
    /// them in the clause is not the agent's offer, so a negatable signal there does not count.
    #[serde(default)]
    pub quoting: Vec<String>,
}

impl Default for Negation {
    fn default() -> Self {
        Negation {
            cues: Vec::new(),
            window: default_window(),
            breaks: Vec::new(),
            ignore: Vec::new(),
            quoting: Vec::new(),
        }
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
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Sentence forms that fire the signal: patterns over the shape of a clause, such as `^ {aux} {subject}` for a
    /// question without a question mark (see [`super::forms`]).
    #[serde(default)]
    pub forms: Vec<String>,
    /// Phrases that cancel a match they overlap: `sorry you feel` cancels the apology in "sorry you feel that way".
    #[serde(default)]
    pub unless: Vec<String>,
    /// Whether a negation cue before a phrase refuses it.
    #[serde(default)]
    pub negatable: bool,
    /// Signals that win where they overlap this one: `apology` yields to `non_apology`, so "sorry you feel that
    /// way" is only a non-apology.
    #[serde(default)]
    pub yields_to: Vec<String>,
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
        if !(0.0..=1.0).contains(&self.gaming.list_coverage) {
            problems
                .push(Problem::new(root.key("gaming").key("list_coverage"), "list_coverage is a share from 0 to 1"));
        }
        if self.gaming.stuffing_repeats < 2 {
            problems.push(Problem::new(root.key("gaming").key("stuffing_repeats"), "stuffing_repeats is at least 2"));
        }
        if self.negation.window == 0 || self.negation.window > 10 {
            problems.push(Problem::new(root.key("negation").key("window"), "window must be from 1 to 10 words"));
        }
        if self.signals.is_empty() {
            problems.push(Problem::new(root.key("signals"), "a lexicon defines at least one signal"));
        }
        if let Some(neighbours) = &self.neighbours {
            let path = root.key("neighbours");
            if !(neighbours.min_similarity > 0.0 && neighbours.min_similarity <= 1.0) {
                problems.push(Problem::new(
                    path.key("min_similarity"),
                    "min_similarity is a cosine similarity above 0 and at most 1 (0.3 is a good start)",
                ));
            }
            for (i, name) in neighbours.except.iter().enumerate() {
                if !self.signals.contains_key(name) {
                    problems.push(Problem::new(
                        path.key("except").index(i),
                        format!("except names \"{name}\", not a signal here"),
                    ));
                }
            }
        }
        for (name, words) in &self.word_classes {
            if !is_signal_name(name) || words.is_empty() {
                problems.push(Problem::new(
                    root.key("word_classes").key(name.as_str()),
                    format!("word class \"{name}\" needs a lower-case name and at least one word"),
                ));
            }
        }
        if self.inflections.min_letters == 0 {
            problems.push(Problem::new(root.key("inflections").key("min_letters"), "min_letters is at least 1"));
        }
        for (i, rule) in self.inflections.rules.iter().enumerate() {
            if rule.becomes.is_empty()
                || !is_ending(&rule.becomes)
                || !is_ending(&rule.ending)
                || !is_ending(&rule.not_after)
            {
                problems.push(Problem::new(
                    root.key("inflections").key("rules").index(i),
                    "a rule's ending, becomes and not_after are lower-case letters, and becomes is not empty",
                ));
            }
        }
        let contractions = super::compile_contractions(&self.contractions);
        // Forms are checked for their class names and words only, which inflected class entries do not change.
        let mut classes = WordClasses::new(&self.word_classes, &contractions, &Inflections::default());
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
            if spec.phrases.is_empty() && spec.forms.is_empty() {
                problems.push(Problem::new(path.clone(), format!("signal \"{name}\" has no phrases and no forms")));
            }
            for (i, form) in spec.forms.iter().enumerate() {
                if let Err(error) = Form::parse(form, &mut classes, &contractions) {
                    problems.push(Problem::new(path.key("forms").index(i), format!("form \"{form}\": {error}")));
                }
            }
            for (i, other) in spec.yields_to.iter().enumerate() {
                let at = path.key("yields_to").index(i);
                match self.signals.get(other) {
                    None => problems.push(Problem::new(at, format!("yields_to names \"{other}\", not a signal here"))),
                    Some(_) if other == name => {
                        problems.push(Problem::new(at, format!("\"{name}\" cannot yield to itself")))
                    }
                    Some(target) if !target.yields_to.is_empty() => problems.push(Problem::new(
                        at,
                        format!("\"{other}\" yields to other signals itself; yielding is one step, not a chain"),
                    )),
                    Some(_) => {}
                }
            }
            for (field, list) in [("phrases", &spec.phrases), ("unless", &spec.unless)] {
                for (i, phrase) in list.iter().enumerate() {
                    let (bare, _) = stem_marker(phrase);
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
