//! The rubric file format (`rubrics/*.yaml`, schema `frontline/rubric@1`) and its checks.
//!
//! A rubric is a weighted list of criteria; each criterion has one rule (what to look for in the agent's
//! replies), a scope (phase, reply range), feedback templates and example replies that must pass or fail.
//! [`scoring`](crate::scoring) evaluates rules; this module only describes and checks them.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Problem, Source, Validate, suggestion};
use crate::scenario::{Phase, is_id};
use crate::serde_forms::Names;
use crate::signals::{Detector, FACT_PREFIX};
use crate::template;
use crate::yaml::YamlPath;

/// The schema line every rubric file starts with.
pub const RUBRIC_SCHEMA: &str = "frontline/rubric@1";

/// Placeholders feedback templates may use.
pub const FEEDBACK_PLACEHOLDERS: &[&str] = &["customer", "turn", "quote", "match", "count", "limit", "fact"];

/// A parsed rubric.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// Always `frontline/rubric@1`.
    pub schema: String,
    /// Unique id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What the rubric is for.
    #[serde(default)]
    pub description: String,
    /// The score (0-100) an attempt needs to pass.
    pub pass_mark: f64,
    /// The criteria.
    pub criteria: Vec<Criterion>,
    /// The customer and facts the criteria's example replies are scored with.
    #[serde(default)]
    pub example_context: ExampleContext,
    /// Points taken off the score for each hint used in practice mode (default 2).
    #[serde(default = "default_hint_cost")]
    pub hint_cost: f64,
    /// Where the rubric was loaded from.
    #[serde(skip)]
    pub source: Source,
}

fn default_hint_cost() -> f64 {
    2.0
}

/// The stand-in scenario for criterion examples.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleContext {
    /// The customer's name.
    #[serde(default = "default_example_customer")]
    pub customer: String,
    /// Facts the examples may mention.
    #[serde(default)]
    pub facts: BTreeMap<String, String>,
}

impl Default for ExampleContext {
    fn default() -> Self {
        ExampleContext { customer: default_example_customer(), facts: BTreeMap::new() }
    }
}

fn default_example_customer() -> String {
    "Maria Lopez".into()
}

/// One thing the rubric checks.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Unique within the rubric.
    pub id: String,
    /// Short title shown in feedback.
    pub title: String,
    /// Relative weight (> 0).
    pub weight: f64,
    /// Failing it fails the attempt whatever the score.
    #[serde(default)]
    pub critical: bool,
    /// The point of the coaching guide this encodes.
    #[serde(default)]
    pub coaching: String,
    /// What to look for.
    pub rule: Rule,
    /// What the trainee reads.
    pub feedback: Feedback,
    /// Replies that must pass and fail this criterion.
    #[serde(default)]
    pub examples: CriterionExamples,
}

/// Feedback templates.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// Shown when the criterion is met.
    pub pass: String,
    /// Shown when it is not.
    pub fail: String,
    /// A better way, with an example phrasing.
    pub tip: String,
}

/// Example replies for one criterion.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionExamples {
    /// Replies that must pass.
    #[serde(default)]
    pub pass: Vec<String>,
    /// Replies that must fail.
    #[serde(default)]
    pub fail: Vec<String>,
}

/// A rule: exactly one kind (`present`, `absent`, `before`, `max`, `mentions`, `metric`) and its scope.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Passes when replies in scope have any of these signals (in at least `min` replies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<Names>,
    /// Passes when no reply in scope has any of these signals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<Names>,
    /// `absent`: a reply with the signal is fine when it also has one of these (a negative with an alternative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless_also: Option<Names>,
    /// Passes when a `first` signal appears before the first `then` signal; N/A if no `then` signal appears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Before>,
    /// Passes when no reply (or the attempt, with `per: attempt`) has more than `count` of these signals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Names>,
    /// Passes when replies mention these (`customer_name`, `fact:KEY`, `fact:*`); N/A when the scenario has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Names>,
    /// Passes when every reply in scope keeps a measure within bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// `present` / `mentions`: how many replies must have it (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<usize>,
    /// `max`: the most allowed (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// `max`: count per reply (default) or over the whole attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<Per>,
    /// Only replies made in this phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    /// Only replies from this number on (from 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<usize>,
    /// Only the first N replies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<usize>,
}

/// The two sides of a `before` rule.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Before {
    /// What must come first.
    pub first: Names,
    /// What must not come before it.
    pub then: Names,
}

/// What `max` counts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    /// Each reply on its own.
    Reply,
    /// All replies in scope together.
    Attempt,
}

/// A measured bound on each reply.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// What is measured.
    pub measure: Measure,
    /// Upper bound.
    #[serde(default)]
    pub at_most: Option<f64>,
    /// Lower bound.
    #[serde(default)]
    pub at_least: Option<f64>,
}

/// A per-reply measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Words in the reply (silent replies are not measured).
    Words,
    /// Characters in the reply (silent replies are not measured).
    Characters,
    /// Time the trainee took to reply, in interactive play only.
    ResponseMs,
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Measure::Words => "words",
            Measure::Characters => "characters",
            Measure::ResponseMs => "response_ms",
        })
    }
}

/// The kind of a rule, resolved from its fields.
#[derive(Debug, Clone, Copy)]
pub enum RuleKind<'a> {
    /// `present`
    Present(&'a Names),
    /// `absent`
    Absent(&'a Names),
    /// `before`
    Before(&'a Before),
    /// `max`
    Max(&'a Names),
    /// `mentions`
    Mentions(&'a Names),
    /// `metric`
    Metric(&'a Metric),
}

impl Rule {
    /// The rule's kind, if exactly one is given.
    pub fn kind(&self) -> Option<RuleKind<'_>> {
        let kinds: Vec<RuleKind> = [
            self.present.as_ref().map(RuleKind::Present),
            self.absent.as_ref().map(RuleKind::Absent),
            self.before.as_ref().map(RuleKind::Before),
            self.max.as_ref().map(RuleKind::Max),
            self.mentions.as_ref().map(RuleKind::Mentions),
            self.metric.as_ref().map(RuleKind::Metric),
        ]
        .into_iter()
        .flatten()
        .collect();
        match kinds.as_slice() {
            [kind] => Some(*kind),
            _ => None,
        }
    }

    /// Every signal name the rule uses, with its path.
    fn signal_names(&self, path: &YamlPath) -> Vec<(YamlPath, &str)> {
        let mut lists: Vec<(YamlPath, &Names)> = Vec::new();
        for (field, list) in [
            ("present", &self.present),
            ("absent", &self.absent),
            ("max", &self.max),
            ("unless_also", &self.unless_also),
        ] {
            if let Some(list) = list {
                lists.push((path.key(field), list));
            }
        }
        if let Some(before) = &self.before {
            lists.push((path.key("before").key("first"), &before.first));
            lists.push((path.key("before").key("then"), &before.then));
        }
        let mut names = Vec::new();
        for (field, list) in lists {
            for (i, name) in list.0.iter().enumerate() {
                let at = if list.0.len() == 1 { field.clone() } else { field.index(i) };
                names.push((at, name.as_str()));
            }
        }
        names
    }
}

/// Why a criterion can never pass or never fail, if it cannot.
fn impossible(criterion: &Criterion) -> Option<(bool, String)> {
    let rule = &criterion.rule;
    let shared = |a: &Names, b: &Names| a.iter().find(|x| b.iter().any(|y| y == *x)).map(str::to_string);
    match rule.kind()? {
        RuleKind::Before(before) => shared(&before.first, &before.then)
            .map(|s| (true, format!("\"{s}\" is in both `first` and `then`, so it never comes before itself"))),
        RuleKind::Metric(metric) => match (metric.at_least, metric.at_most) {
            (Some(lo), Some(hi)) if lo > hi => Some((true, format!("at_least {lo} is above at_most {hi}"))),
            _ => None,
        },
        RuleKind::Present(_) | RuleKind::Mentions(_) => {
            let min = rule.min.unwrap_or(1);
            let window = rule.within.map(|within| within + 1 - rule.from.unwrap_or(1).min(within + 1));
            window.filter(|w| min > *w).map(|w| (true, format!("min {min} is more than the {w} replies in scope")))
        }
        RuleKind::Absent(names) => rule
            .unless_also
            .as_ref()
            .and_then(|also| shared(names, also))
            .map(|s| (false, format!("\"{s}\" excuses itself in `unless_also`"))),
        RuleKind::Max(_) => None,
    }
}

impl Rubric {
    /// Criteria that can never pass or never fail, and a pass mark no attempt can reach.
    pub fn sanity_problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut best = 0.0;
        let total: f64 = self.criteria.iter().map(|c| c.weight).sum();
        let mut blocked_by_critical = None;
        for (i, criterion) in self.criteria.iter().enumerate() {
            match impossible(criterion) {
                Some((never_passes, why)) => {
                    let verb = if never_passes { "pass" } else { "fail" };
                    problems.push(Problem::new(
                        YamlPath::root().key("criteria").index(i).key("rule"),
                        format!("criterion \"{}\" can never {verb}: {why}", criterion.id),
                    ));
                    if never_passes && criterion.critical {
                        blocked_by_critical = Some(criterion.id.clone());
                    }
                    if !never_passes {
                        best += criterion.weight;
                    }
                }
                None => best += criterion.weight,
            }
        }
        let best = if total > 0.0 { (1000.0 * best / total).round() / 10.0 } else { 0.0 };
        if let Some(id) = blocked_by_critical {
            problems.push(Problem::new(
                YamlPath::root().key("pass_mark"),
                format!("no attempt can pass: the critical criterion \"{id}\" can never pass"),
            ));
        } else if best < self.pass_mark {
            problems.push(Problem::new(
                YamlPath::root().key("pass_mark"),
                format!("pass_mark {} is above the best possible score ({best})", self.pass_mark),
            ));
        }
        problems
    }

    /// Checks signal names against the lexicon.
    pub fn check_references(&self, detector: &Detector) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (i, criterion) in self.criteria.iter().enumerate() {
            let path = YamlPath::root().key("criteria").index(i).key("rule");
            for (at, name) in criterion.rule.signal_names(&path) {
                // Fact signals depend on the scenario; any fact name is accepted here.
                if name.starts_with(FACT_PREFIX) {
                    continue;
                }
                if let Some(message) = detector.unknown_signal(name, &[]) {
                    problems.push(Problem::new(at, message));
                }
            }
        }
        problems
    }
}

impl Validate for Rubric {
    fn validate(&self, problems: &mut Vec<Problem>) {
        let root = YamlPath::root();
        if self.schema != RUBRIC_SCHEMA {
            problems.push(Problem::new(
                root.key("schema"),
                format!("schema is \"{}\"; a rubric file says `schema: {RUBRIC_SCHEMA}`", self.schema),
            ));
        }
        if !is_id(&self.id) {
            problems.push(Problem::new(
                root.key("id"),
                format!("id \"{}\" must be lower-case letters, digits and dashes", self.id),
            ));
        }
        if !(0.0..=100.0).contains(&self.hint_cost) {
            problems.push(Problem::new(root.key("hint_cost"), "hint_cost is from 0 to 100 points"));
        }
        if !(0.0..=100.0).contains(&self.pass_mark) {
            problems.push(Problem::new(root.key("pass_mark"), "pass_mark is a score from 0 to 100"));
        }
        if self.criteria.is_empty() {
            problems.push(Problem::new(root.key("criteria"), "a rubric needs at least one criterion"));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, criterion) in self.criteria.iter().enumerate() {
            let path = root.key("criteria").index(i);
            if seen.contains(&criterion.id.as_str()) {
                problems.push(Problem::new(path.key("id"), format!("duplicate criterion id \"{}\"", criterion.id)));
            }
            seen.push(&criterion.id);
            if !is_id(&criterion.id) {
                problems.push(Problem::new(
                    path.key("id"),
                    format!("id \"{}\" must be lower-case letters, digits and dashes", criterion.id),
                ));
            }
            if !(criterion.weight > 0.0 && criterion.weight.is_finite()) {
                problems.push(Problem::new(
                    path.key("weight"),
                    format!("weight must be a positive number, not {}", criterion.weight),
                ));
            }
            let rule = &criterion.rule;
            let rpath = path.key("rule");
            match rule.kind() {
                None => problems.push(Problem::new(
                    rpath.clone(),
                    "a rule has exactly one of present, absent, before, max, mentions, metric",
                )),
                Some(kind) => {
                    let empty = match kind {
                        RuleKind::Present(n) | RuleKind::Absent(n) | RuleKind::Max(n) | RuleKind::Mentions(n) => {
                            n.0.is_empty()
                        }
                        RuleKind::Before(b) => b.first.0.is_empty() || b.then.0.is_empty(),
                        RuleKind::Metric(m) => m.at_most.is_none() && m.at_least.is_none(),
                    };
                    if empty {
                        problems.push(Problem::new(rpath.clone(), "the rule names nothing to look for"));
                    }
                    if rule.min.is_some() && !matches!(kind, RuleKind::Present(_) | RuleKind::Mentions(_)) {
                        problems.push(Problem::new(rpath.key("min"), "`min` goes with present or mentions"));
                    }
                    if rule.unless_also.is_some() && !matches!(kind, RuleKind::Absent(_)) {
                        problems.push(Problem::new(rpath.key("unless_also"), "`unless_also` goes with absent"));
                    }
                    if (rule.count.is_some() || rule.per.is_some()) && !matches!(kind, RuleKind::Max(_)) {
                        problems.push(Problem::new(rpath.clone(), "`count` and `per` go with max"));
                    }
                    if let RuleKind::Mentions(names) = kind {
                        for (j, name) in names.0.iter().enumerate() {
                            if name != "customer_name" && !name.starts_with(FACT_PREFIX) {
                                problems.push(Problem::new(
                                    rpath.key("mentions").index(j),
                                    format!("mentions takes customer_name, fact:KEY or fact:*, not \"{name}\""),
                                ));
                            }
                        }
                    }
                }
            }
            if rule.min == Some(0) {
                problems.push(Problem::new(rpath.key("min"), "min 0 always passes; remove the criterion or raise min"));
            }
            if let (Some(from), Some(within)) = (rule.from, rule.within)
                && from > within
            {
                problems.push(Problem::new(rpath.key("from"), "from is after within: no reply is in scope"));
            }
            for (field, text) in [
                ("pass", &criterion.feedback.pass),
                ("fail", &criterion.feedback.fail),
                ("tip", &criterion.feedback.tip),
            ] {
                for (_, name) in template::placeholders(text) {
                    if !FEEDBACK_PLACEHOLDERS.contains(&name) {
                        problems.push(Problem::new(
                            path.key("feedback").key(field),
                            format!(
                                "unknown placeholder {{{name}}}{}; feedback can use {}",
                                suggestion(name, FEEDBACK_PLACEHOLDERS.iter().copied()),
                                FEEDBACK_PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric(pass_mark: u32, rules: &[(&str, bool)]) -> Rubric {
        let mut text = format!("schema: frontline/rubric@1\nid: r\ntitle: R\npass_mark: {pass_mark}\ncriteria:\n");
        for (i, (rule, critical)) in rules.iter().enumerate() {
            text.push_str(&format!(
                "  - {{ id: c{i}, title: C, weight: 1, critical: {critical}, rule: {rule}, feedback: {{ pass: a, fail: b, tip: c }} }}\n"
            ));
        }
        crate::yaml::from_str(&text).unwrap()
    }

    fn messages(r: &Rubric) -> Vec<String> {
        r.sanity_problems().into_iter().map(|p| format!("{}: {}", p.path, p.message)).collect()
    }

    #[test]
    fn sound_rubrics_have_no_problems() {
        assert_eq!(
            messages(&rubric(50, &[("{ present: apology }", false), ("{ absent: blame }", true)])),
            Vec::<String>::new()
        );
    }

    #[test]
    fn impossible_criteria_and_unreachable_pass_marks() {
        let r = rubric(
            60,
            &[
                ("{ before: { first: [apology, offer], then: offer } }", false),
                ("{ metric: { measure: words, at_least: 10, at_most: 5 } }", false),
                ("{ present: thanks, min: 3, within: 2 }", false),
                ("{ absent: [blame], unless_also: [blame] }", false),
                ("{ present: apology }", false),
            ],
        );
        assert_eq!(
            messages(&r),
            [
                "criteria[0].rule: criterion \"c0\" can never pass: \"offer\" is in both `first` and `then`, so it never comes before itself",
                "criteria[1].rule: criterion \"c1\" can never pass: at_least 10 is above at_most 5",
                "criteria[2].rule: criterion \"c2\" can never pass: min 3 is more than the 2 replies in scope",
                "criteria[3].rule: criterion \"c3\" can never fail: \"blame\" excuses itself in `unless_also`",
                "pass_mark: pass_mark 60 is above the best possible score (40)",
            ]
        );
    }

    #[test]
    fn a_critical_criterion_that_never_passes_blocks_the_rubric() {
        let r = rubric(
            10,
            &[("{ metric: { measure: words, at_least: 10, at_most: 5 } }", true), ("{ present: apology }", false)],
        );
        assert!(messages(&r).last().unwrap().contains("no attempt can pass"));
    }
}
