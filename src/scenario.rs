//! The scenario file format (`scenarios/*.yaml`, schema `frontline/scenario@1`) and its structural checks.
//!
//! A scenario is a small graph: nodes hold the customer's lines (venting beats, then a line that waits for an
//! answer) and transitions on the reply's signals and the customer's mood; endings close it by mood or by name.
//! [`Validate`] checks everything the file alone can tell; [`Scenario::check_references`] checks the names that
//! live elsewhere (rubric ids, lexicon signals) once the catalog knows them.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Problem, Source, Validate, suggestion};
use crate::serde_forms::{Names, OrderedMap};
use crate::signals::Detector;
use crate::template;
use crate::yaml::YamlPath;

/// The schema line every scenario file starts with.
pub const SCENARIO_SCHEMA: &str = "frontline/scenario@1";

/// The ending reached when the turn limit runs out.
pub const OUT_OF_TURNS: &str = "out_of_turns";

/// The most replies a scenario may allow.
pub const MAX_TURNS_LIMIT: usize = 100;

/// A parsed scenario.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Always `frontline/scenario@1`.
    pub schema: String,
    /// Unique id, lower-case letters, digits and dashes.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// The situation in a sentence or two, shown before the conversation.
    #[serde(default)]
    pub summary: String,
    /// 1 (gentle) to 5 (hardest).
    pub difficulty: u8,
    /// Free tags for filtering (`holiday`, `delivery`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Lexicon language.
    #[serde(default = "default_language")]
    pub language: String,
    /// The rubric ids the attempt is scored against.
    pub rubric: Names,
    /// Who the customer is and how upset they start.
    pub customer: Customer,
    /// What the agent sees on screen; quotable as `{facts.key}` and detected as `fact:key`.
    #[serde(default)]
    pub facts: OrderedMap<String>,
    /// Other ways to say a fact that count as mentioning it: `item: [train set]`.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The node the conversation starts at.
    pub start: String,
    /// The most replies before the attempt ends as `out_of_turns`.
    #[serde(default = "default_max_turns")]
    pub max_turns: usize,
    /// Checked on every reply, before the node's own transitions.
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    /// The conversation's nodes, by id.
    pub nodes: OrderedMap<Node>,
    /// How the conversation can end, by id; mood conditions are checked in this order.
    pub endings: OrderedMap<Ending>,
    /// Scripted attempts that `frontline check` and the tests run.
    #[serde(default)]
    pub examples: Vec<ScenarioExample>,
    /// Where the scenario was loaded from.
    #[serde(skip)]
    pub source: Source,
}

fn default_language() -> String {
    "en".into()
}

fn default_max_turns() -> usize {
    20
}

/// The customer.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// Full name, detected as `customer_name` (whole or any part).
    pub name: String,
    /// Starting mood: 0 calm, 100 walks out.
    pub mood: i32,
}

impl Customer {
    /// The first word of the name.
    pub fn first_name(&self) -> &str {
        self.name.split_whitespace().next().unwrap_or(&self.name)
    }
}

/// One customer line: fixed, or one of several picked by the seeded generator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Line {
    /// Always this text.
    Text(String),
    /// One of these, picked at random.
    OneOf {
        /// The variants.
        one_of: Vec<String>,
    },
}

impl Line {
    /// Every variant's text.
    pub fn variants(&self) -> &[String] {
        match self {
            Line::Text(text) => std::slice::from_ref(text),
            Line::OneOf { one_of } => one_of,
        }
    }
}

impl JsonSchema for Line {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Line".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A customer line: text, a list of variants (one is picked by the seed), or { one_of: [...] }. May use {customer}, {customer.first_name} and {facts.KEY}.",
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" }, "minItems": 1 },
                {
                    "type": "object",
                    "properties": { "one_of": { "type": "array", "items": { "type": "string" }, "minItems": 1 } },
                    "required": ["one_of"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl<'de> Deserialize<'de> for Line {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LineVisitor;
        impl<'de> Visitor<'de> for LineVisitor {
            type Value = Line;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a line of text, a list of variants, or { one_of: [...] }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Line, E> {
                Ok(Line::Text(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Line, A::Error> {
                let mut one_of = Vec::new();
                while let Some(text) = seq.next_element::<String>()? {
                    one_of.push(text);
                }
                Ok(Line::OneOf { one_of })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line, A::Error> {
                let mut one_of = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "one_of" {
                        return Err(de::Error::unknown_field(&key, &["one_of"]));
                    }
                    one_of = Some(map.next_value::<Vec<String>>()?);
                }
                one_of.map(|one_of| Line::OneOf { one_of }).ok_or_else(|| de::Error::missing_field("one_of"))
            }
        }
        deserializer.deserialize_any(LineVisitor)
    }
}

/// A node: the customer's lines, then where the conversation goes.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Beats delivered one at a time while the customer is still venting; every reply to them is in the
    /// `venting` phase, where a fix is premature.
    #[serde(default)]
    pub vent: Vec<Line>,
    /// The line that waits for an answer once the venting is over (replies to it are in the `resolving` phase).
    #[serde(default)]
    pub say: Option<Line>,
    /// Transitions, first match wins; the last one is an `else`.
    pub then: Vec<Transition>,
}

impl Node {
    /// The node's beats in order, each with whether it is a venting beat.
    pub fn beats(&self) -> impl Iterator<Item = (&Line, Phase)> {
        self.vent.iter().map(|l| (l, Phase::Venting)).chain(self.say.iter().map(|l| (l, Phase::Resolving)))
    }

    /// How many beats the node has.
    pub fn beat_count(&self) -> usize {
        self.vent.len() + usize::from(self.say.is_some())
    }
}

/// Whether the customer is still venting when the agent replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, PartialOrd, Ord, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The customer has not finished saying what upset them.
    Venting,
    /// The customer has been heard; the conversation is about putting it right.
    Resolving,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Venting => "venting",
            Phase::Resolving => "resolving",
        })
    }
}

/// What a transition or reaction does.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Mood change (+ angrier, - calmer).
    #[serde(default)]
    pub mood: i32,
    /// What the customer says at once.
    #[serde(default)]
    pub say: Option<Line>,
    /// The node to go to.
    #[serde(default)]
    pub goto: Option<String>,
    /// The ending to finish with.
    #[serde(default)]
    pub end: Option<String>,
}

/// One transition: `when` a condition holds do the outcome, or `else: { ... }` as the final catch-all.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// The condition.
    #[serde(default)]
    pub when: Option<Condition>,
    /// The catch-all outcome (only on the last transition).
    #[serde(default, rename = "else")]
    pub otherwise: Option<Outcome>,
    /// Mood change.
    #[serde(default)]
    pub mood: i32,
    /// What the customer says at once.
    #[serde(default)]
    pub say: Option<Line>,
    /// The node to go to.
    #[serde(default)]
    pub goto: Option<String>,
    /// The ending to finish with.
    #[serde(default)]
    pub end: Option<String>,
}

impl Transition {
    /// What the transition does, whichever form it was written in.
    pub fn outcome(&self) -> Outcome {
        match &self.otherwise {
            Some(outcome) => outcome.clone(),
            None => Outcome { mood: self.mood, say: self.say.clone(), goto: self.goto.clone(), end: self.end.clone() },
        }
    }
}

/// A scenario-wide reaction, checked on every reply.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reaction {
    /// When it applies.
    pub when: Condition,
    /// Mood change.
    #[serde(default)]
    pub mood: i32,
    /// What the customer says (a list: one picked at random).
    #[serde(default)]
    pub say: Option<Line>,
    /// The ending to finish with at once.
    #[serde(default)]
    pub end: Option<String>,
}

/// A condition on one reply: every field given must hold.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The reply has this signal.
    #[serde(default)]
    pub signal: Option<String>,
    /// The reply has all of these.
    #[serde(default)]
    pub all: Vec<String>,
    /// The reply has at least one of these.
    #[serde(default)]
    pub any: Vec<String>,
    /// The reply has none of these.
    #[serde(default)]
    pub none: Vec<String>,
    /// The reply was made in this phase.
    #[serde(default)]
    pub phase: Option<Phase>,
    /// The customer's mood before the reply passes this test, such as `mood >= 60`.
    #[serde(default)]
    pub mood: Option<MoodTest>,
}

impl Condition {
    /// Every signal name the condition mentions, with its field path.
    pub fn signal_names(&self, path: &YamlPath) -> Vec<(YamlPath, &str)> {
        let mut names: Vec<(YamlPath, &str)> = Vec::new();
        if let Some(signal) = &self.signal {
            names.push((path.key("signal"), signal));
        }
        for (field, list) in [("all", &self.all), ("any", &self.any), ("none", &self.none)] {
            names.extend(list.iter().enumerate().map(|(i, s)| (path.key(field).index(i), s.as_str())));
        }
        names
    }

    /// Whether the condition has no test at all.
    pub fn is_empty(&self) -> bool {
        self.signal.is_none()
            && self.all.is_empty()
            && self.any.is_empty()
            && self.none.is_empty()
            && self.phase.is_none()
            && self.mood.is_none()
    }
}

/// A comparison on the mood, written `mood <= 30` (or just `<= 30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct MoodTest {
    /// The comparison.
    pub op: Comparison,
    /// The value compared with.
    pub value: i32,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `<`
    Less,
    /// `<=`
    AtMost,
    /// `>`
    Greater,
    /// `>=`
    AtLeast,
    /// `==`
    Equal,
}

impl JsonSchema for MoodTest {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MoodTest".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A comparison on the customer's mood (0-100), such as `mood <= 30` or `mood >= 100`.",
            "type": "string",
            "pattern": "^\\s*(mood)?\\s*(<=|>=|==|<|>)\\s*-?[0-9]+\\s*$"
        })
    }
}

impl MoodTest {
    /// Whether `mood` passes.
    pub fn holds(&self, mood: i32) -> bool {
        match self.op {
            Comparison::Less => mood < self.value,
            Comparison::AtMost => mood <= self.value,
            Comparison::Greater => mood > self.value,
            Comparison::AtLeast => mood >= self.value,
            Comparison::Equal => mood == self.value,
        }
    }
}

impl TryFrom<String> for MoodTest {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let bad = || format!("\"{text}\" is not a mood test; write it like `mood <= 30` or `mood >= 100`");
        let rest = text.trim();
        let rest = rest.strip_prefix("mood").unwrap_or(rest).trim_start();
        let (op, rest) = [
            ("<=", Comparison::AtMost),
            (">=", Comparison::AtLeast),
            ("==", Comparison::Equal),
            ("<", Comparison::Less),
            (">", Comparison::Greater),
        ]
        .into_iter()
        .find_map(|(symbol, op)| rest.strip_prefix(symbol).map(|r| (op, r)))
        .ok_or_else(bad)?;
        let value = rest.trim().parse::<i32>().map_err(|_| bad())?;
        Ok(MoodTest { op, value })
    }
}

impl fmt::Display for MoodTest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.op {
            Comparison::Less => "<",
            Comparison::AtMost => "<=",
            Comparison::Greater => ">",
            Comparison::AtLeast => ">=",
            Comparison::Equal => "==",
        };
        write!(f, "mood {op} {}", self.value)
    }
}

impl From<MoodTest> for String {
    fn from(test: MoodTest) -> String {
        test.to_string()
    }
}

/// A way the conversation can end.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    /// Reached as soon as the mood passes this test (after any reply); without it, only by `end:`.
    #[serde(default)]
    pub when: Option<MoodTest>,
    /// What happened, shown to the trainee.
    pub text: String,
    /// Whether this is a good outcome; a bad ending fails the attempt whatever the score.
    #[serde(default = "yes")]
    pub success: bool,
}

fn yes() -> bool {
    true
}

/// A scripted attempt with its expected result.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioExample {
    /// What the example shows.
    pub name: String,
    /// The seed for `one_of` picks (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
    /// The trainee's replies; `""` is silence.
    pub replies: Vec<String>,
    /// What the attempt must come to.
    pub expect: Expectation,
}

/// The expected result of an example.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// The ending id (or `incomplete` when the script runs out first).
    #[serde(default)]
    pub ending: Option<String>,
    /// Whether the attempt passes.
    #[serde(default)]
    pub passed: Option<bool>,
    /// Per-criterion results: `let-them-talk: pass`.
    #[serde(default)]
    pub criteria: BTreeMap<String, ExpectedResult>,
}

/// A criterion result in an expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExpectedResult {
    /// Met.
    Pass,
    /// Not met.
    Fail,
    /// Did not apply.
    Na,
}

/// Whether `id` is a valid scenario or rubric id.
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

impl Scenario {
    /// Renders a customer line's `{placeholders}`.
    pub fn render(&self, text: &str) -> String {
        template::render(text, |name| self.placeholder(name))
    }

    fn placeholder(&self, name: &str) -> Option<String> {
        match name {
            "customer" | "customer.name" => Some(self.customer.name.clone()),
            "customer.first_name" => Some(self.customer.first_name().to_string()),
            _ => name.strip_prefix("facts.").and_then(|key| self.facts.get(key).cloned()),
        }
    }

    /// The fact values and aliases a reply can mention, as (key, text) pairs.
    pub fn mentionable_facts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.facts
            .iter()
            .map(|(k, v)| (k, v.as_str()))
            .chain(self.aliases.iter().flat_map(|(k, list)| list.iter().map(move |v| (k.as_str(), v.as_str()))))
    }

    /// Every condition in the file with its path (reactions, then node transitions).
    fn conditions(&self) -> Vec<(YamlPath, &Condition)> {
        let root = YamlPath::root();
        let mut all: Vec<(YamlPath, &Condition)> = self
            .reactions
            .iter()
            .enumerate()
            .map(|(i, r)| (root.key("reactions").index(i).key("when"), &r.when))
            .collect();
        for (id, node) in self.nodes.iter() {
            for (i, t) in node.then.iter().enumerate() {
                if let Some(when) = &t.when {
                    all.push((root.key("nodes").key(id).key("then").index(i).key("when"), when));
                }
            }
        }
        all
    }

    /// Checks names defined elsewhere: rubric ids and signal names.
    pub fn check_references<'a>(
        &self,
        detector: &Detector,
        rubric_ids: impl Iterator<Item = &'a str> + Clone,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        let root = YamlPath::root();
        for (i, id) in self.rubric.iter().enumerate() {
            if !rubric_ids.clone().any(|r| r == id) {
                let path = if self.rubric.0.len() == 1 { root.key("rubric") } else { root.key("rubric").index(i) };
                let hint = match suggestion(id, rubric_ids.clone()) {
                    hint if hint.is_empty() => {
                        " (a rubric of your own? pass its folder with --rubrics DIR)".to_string()
                    }
                    hint => hint,
                };
                problems.push(Problem::new(path, format!("unknown rubric \"{id}\"{hint}")));
            }
        }
        if detector.language() != self.language {
            problems.push(Problem::new(
                root.key("language"),
                format!("no lexicon for language \"{}\" (loaded: {})", self.language, detector.language()),
            ));
        }
        let fact_keys: Vec<&str> = self.facts.keys().collect();
        for (path, condition) in self.conditions() {
            for (path, name) in condition.signal_names(&path) {
                if let Some(message) = detector.unknown_signal(name, &fact_keys) {
                    problems.push(Problem::new(path, message));
                }
            }
        }
        problems
    }

    fn check_line(&self, path: YamlPath, line: &Line, problems: &mut Vec<Problem>) {
        if line.variants().is_empty() {
            problems.push(Problem::new(path.clone(), "one_of needs at least one line"));
        }
        for (i, text) in line.variants().iter().enumerate() {
            let path = match line {
                Line::Text(_) => path.clone(),
                Line::OneOf { .. } => path.clone().index(i),
            };
            self.check_text(path, text, problems);
        }
    }

    fn check_text(&self, path: YamlPath, text: &str, problems: &mut Vec<Problem>) {
        if text.trim().is_empty() {
            problems.push(Problem::new(path.clone(), "a customer line is empty"));
        }
        for (_, name) in template::placeholders(text) {
            if self.placeholder(name).is_some() {
                continue;
            }
            let message = match name.strip_prefix("facts.") {
                Some(key) => {
                    format!("unknown placeholder {{{name}}}: no fact \"{key}\"{}", suggestion(key, self.facts.keys()))
                }
                None if name.is_empty() => "a `{` without its `}`; write `{{` for a literal brace".into(),
                None => format!(
                    "unknown placeholder {{{name}}}; use {{customer}}, {{customer.first_name}} or {{facts.KEY}}"
                ),
            };
            problems.push(Problem::new(path.clone(), message));
        }
    }

    fn check_target(&self, path: &YamlPath, outcome: &Outcome, problems: &mut Vec<Problem>) {
        if let Some(goto) = &outcome.goto
            && !self.nodes.contains_key(goto)
        {
            problems.push(Problem::new(
                path.key("goto"),
                format!("goto: no node \"{goto}\"{}", suggestion(goto, self.nodes.keys())),
            ));
        }
        if let Some(end) = &outcome.end
            && !self.endings.contains_key(end)
            && end != OUT_OF_TURNS
        {
            problems.push(Problem::new(
                path.key("end"),
                format!("end: no ending \"{end}\"{}", suggestion(end, self.endings.keys())),
            ));
        }
        if let Some(say) = &outcome.say {
            self.check_line(path.key("say"), say, problems);
        }
        if !(-100..=100).contains(&outcome.mood) {
            problems.push(Problem::new(path.key("mood"), "a mood change is from -100 to +100"));
        }
    }
}

impl Validate for Scenario {
    fn validate(&self, problems: &mut Vec<Problem>) {
        let root = YamlPath::root();
        if self.schema != SCENARIO_SCHEMA {
            problems.push(Problem::new(
                root.key("schema"),
                format!("schema is \"{}\"; a scenario file says `schema: {SCENARIO_SCHEMA}`", self.schema),
            ));
        }
        if !is_id(&self.id) {
            problems.push(Problem::new(
                root.key("id"),
                format!("id \"{}\" must be lower-case letters, digits and dashes (at most 64)", self.id),
            ));
        }
        if self.title.trim().is_empty() {
            problems.push(Problem::new(root.key("title"), "title is empty"));
        }
        if !(1..=5).contains(&self.difficulty) {
            problems.push(Problem::new(root.key("difficulty"), "difficulty is from 1 (gentle) to 5 (hardest)"));
        }
        if self.rubric.0.is_empty() {
            problems.push(Problem::new(root.key("rubric"), "name at least one rubric"));
        }
        if self.customer.name.trim().is_empty() {
            problems.push(Problem::new(root.key("customer").key("name"), "the customer needs a name"));
        }
        if !(0..=100).contains(&self.customer.mood) {
            problems.push(Problem::new(root.key("customer").key("mood"), "mood is from 0 (calm) to 100 (walks out)"));
        }
        for (key, value) in self.facts.iter() {
            if value.trim().is_empty() {
                problems.push(Problem::new(root.key("facts").key(key), format!("fact \"{key}\" is empty")));
            }
        }
        for key in self.aliases.keys() {
            if !self.facts.contains_key(key) {
                problems.push(Problem::new(
                    root.key("aliases").key(key.as_str()),
                    format!("aliases for \"{key}\", which is not a fact{}", suggestion(key, self.facts.keys())),
                ));
            }
        }
        if !(1..=MAX_TURNS_LIMIT).contains(&self.max_turns) {
            problems.push(Problem::new(root.key("max_turns"), format!("max_turns is from 1 to {MAX_TURNS_LIMIT}")));
        }
        if !self.nodes.contains_key(&self.start) {
            problems.push(Problem::new(
                root.key("start"),
                format!("start: no node \"{}\"{}", self.start, suggestion(&self.start, self.nodes.keys())),
            ));
        }
        if self.nodes.is_empty() {
            problems.push(Problem::new(root.key("nodes"), "a scenario needs at least one node"));
        }
        for (i, reaction) in self.reactions.iter().enumerate() {
            let path = root.key("reactions").index(i);
            if reaction.when.is_empty() {
                problems.push(Problem::new(path.key("when"), "a reaction's `when` needs at least one test"));
            }
            let outcome =
                Outcome { mood: reaction.mood, say: reaction.say.clone(), goto: None, end: reaction.end.clone() };
            self.check_target(&path, &outcome, problems);
        }
        for (id, node) in self.nodes.iter() {
            let path = root.key("nodes").key(id);
            if !is_id(&id.replace('_', "-")) {
                problems.push(Problem::new(
                    path.clone(),
                    format!("node id \"{id}\" must be lower-case letters, digits, - or _"),
                ));
            }
            if node.beat_count() == 0 {
                problems
                    .push(Problem::new(path.clone(), format!("node \"{id}\" has no lines: give it `vent:` or `say:`")));
            }
            for (i, line) in node.vent.iter().enumerate() {
                self.check_line(path.key("vent").index(i), line, problems);
            }
            if let Some(say) = &node.say {
                self.check_line(path.key("say"), say, problems);
            }
            if node.then.is_empty() {
                problems
                    .push(Problem::new(path.key("then"), format!("node \"{id}\" needs transitions ending in `else`")));
            }
            for (i, transition) in node.then.iter().enumerate() {
                let tpath = path.key("then").index(i);
                let last = i + 1 == node.then.len();
                match (&transition.when, &transition.otherwise) {
                    (Some(_), Some(_)) => {
                        problems.push(Problem::new(tpath.clone(), "a transition has `when` or `else`, not both"))
                    }
                    (None, None) => problems
                        .push(Problem::new(tpath.clone(), "a transition needs `when:` (or `else:` as the last one)")),
                    (Some(when), None) => {
                        if when.is_empty() {
                            problems.push(Problem::new(
                                tpath.key("when"),
                                "`when` needs at least one test; use `else` for a catch-all",
                            ));
                        }
                        if last {
                            problems.push(Problem::new(
                                tpath.clone(),
                                format!("node \"{id}\" has no final `else`: add `- else: {{ goto: ... }}` as the last transition"),
                            ));
                        }
                    }
                    (None, Some(_)) => {
                        if !last {
                            problems.push(Problem::new(
                                tpath.key("else"),
                                "`else` must be the last transition; the ones after it can never run",
                            ));
                        }
                        if transition.goto.is_some()
                            || transition.end.is_some()
                            || transition.say.is_some()
                            || transition.mood != 0
                        {
                            problems.push(Problem::new(
                                tpath.clone(),
                                "put the catch-all's mood, say, goto or end inside `else: { ... }`",
                            ));
                        }
                    }
                }
                let outcome = transition.outcome();
                match (&outcome.goto, &outcome.end) {
                    (Some(_), Some(_)) => {
                        problems.push(Problem::new(tpath.clone(), "a transition has `goto` or `end`, not both"))
                    }
                    (None, None) => {
                        problems.push(Problem::new(tpath.clone(), "a transition needs `goto: NODE` or `end: ENDING`"))
                    }
                    _ => {}
                }
                let opath = if transition.otherwise.is_some() { tpath.key("else") } else { tpath };
                self.check_target(&opath, &outcome, problems);
            }
        }
        if self.endings.is_empty() {
            problems.push(Problem::new(root.key("endings"), "a scenario needs at least one ending"));
        }
        for (id, ending) in self.endings.iter() {
            let path = root.key("endings").key(id);
            if id == OUT_OF_TURNS || id == "incomplete" {
                problems.push(Problem::new(
                    path.clone(),
                    format!("\"{id}\" is a name frontline uses itself; choose another"),
                ));
            }
            self.check_text(path.key("text"), &ending.text, problems);
        }
        for (i, example) in self.examples.iter().enumerate() {
            let path = root.key("examples").index(i);
            if let Some(ending) = &example.expect.ending
                && !self.endings.contains_key(ending)
                && ending != OUT_OF_TURNS
                && ending != "incomplete"
            {
                problems.push(Problem::new(
                    path.key("expect").key("ending"),
                    format!("no ending \"{ending}\"{}", suggestion(ending, self.endings.keys())),
                ));
            }
        }
    }
}
