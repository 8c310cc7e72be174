//! Scoring: a transcript and rubrics in, a scorecard out.
//!
//! Each criterion's rule is evaluated over the agent's replies in its scope (phase, reply range) and comes out
//! pass, fail or N/A, with evidence: the reply number, the turn and the quoted words that earned or lost it.
//! Score = 100 × Σ(weight × credit) / Σ(applicable weights); a rubric passes at its pass mark with no critical
//! criterion failed.

use serde::{Deserialize, Serialize};

use crate::rubric::{Criterion, Measure, Per, Rubric, RuleKind};
use crate::serde_forms::Names;
use crate::signals::{Detection, is_gaming, signal_matches};
use crate::template;
use crate::transcript::{Transcript, Turn};

/// What scoring knows about the conversation beyond its turns.
#[derive(Debug, Clone, Default)]
pub struct ScoreContext {
    /// The name feedback calls the customer by (their first name), when known; `mentions: customer_name` is N/A
    /// without it.
    pub customer_name: Option<String>,
    /// The scenario's facts as (key, value), in file order (`mentions: fact:*` is N/A without them; `{fact}` in
    /// feedback is the first value).
    pub facts: Vec<(String, String)>,
}

impl ScoreContext {
    /// What a played scenario tells scoring: the customer's first name and the facts.
    pub fn for_scenario(scenario: &crate::scenario::Scenario) -> Self {
        ScoreContext {
            customer_name: Some(scenario.customer.first_name().to_string()),
            facts: scenario.facts.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        }
    }
}

/// A criterion's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Met.
    Pass,
    /// Not met.
    Fail,
    /// Did not apply; left out of the score.
    Na,
}

/// A reply that earned or lost a criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The agent's reply number, from 1.
    pub reply: usize,
    /// The turn number in the transcript.
    pub turn: usize,
    /// The reply, quoted (shortened around the match when long).
    pub quote: String,
    /// The words that matched, when a signal decided it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// The signal, when one decided it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
}

/// One criterion, scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// Criterion id.
    pub id: String,
    /// The rubric it belongs to.
    pub rubric: String,
    /// Title.
    pub title: String,
    /// pass, fail or na.
    pub result: Verdict,
    /// Weight.
    pub weight: f64,
    /// Whether failing it fails the attempt.
    pub critical: bool,
    /// The replies that decided it.
    pub evidence: Vec<Evidence>,
    /// The feedback sentence, filled in.
    pub feedback: String,
    /// A better way.
    pub tip: String,
    /// The coaching point it encodes.
    #[serde(default)]
    pub coaching: String,
}

/// One rubric's total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RubricScore {
    /// Rubric id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Score 0-100.
    pub score: f64,
    /// Pass mark.
    pub pass_mark: f64,
    /// Score at or above the pass mark and no critical criterion failed.
    pub passed: bool,
}

/// All rubrics' results for one transcript.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Scorecard {
    /// Per-rubric totals.
    pub rubrics: Vec<RubricScore>,
    /// Every criterion, in rubric order.
    pub criteria: Vec<CriterionResult>,
    /// Weighted score over every applicable criterion, 0-100, one decimal.
    pub score: f64,
    /// Every rubric passed.
    pub passed: bool,
}

/// Scores `transcript` against `rubrics`.
pub fn score(transcript: &Transcript, rubrics: &[&Rubric], context: &ScoreContext) -> Scorecard {
    let mut card = Scorecard { passed: !rubrics.is_empty(), ..Scorecard::default() };
    let (mut earned_all, mut possible_all) = (0.0, 0.0);
    for rubric in rubrics {
        let (mut earned, mut possible, mut critical_failed) = (0.0, 0.0, false);
        for criterion in &rubric.criteria {
            let result = evaluate(criterion, &rubric.id, transcript, context);
            if result.result != Verdict::Na {
                possible += criterion.weight;
                if result.result == Verdict::Pass {
                    earned += criterion.weight;
                }
            }
            critical_failed |= criterion.critical && result.result == Verdict::Fail;
            card.criteria.push(result);
        }
        let score = percent(earned, possible);
        let passed = possible > 0.0 && score >= rubric.pass_mark && !critical_failed;
        card.passed &= passed;
        earned_all += earned;
        possible_all += possible;
        card.rubrics.push(RubricScore {
            id: rubric.id.clone(),
            title: rubric.title.clone(),
            score,
            pass_mark: rubric.pass_mark,
            passed,
        });
    }
    card.score = percent(earned_all, possible_all);
    card
}

fn percent(earned: f64, possible: f64) -> f64 {
    if possible <= 0.0 { 0.0 } else { (1000.0 * earned / possible).round() / 10.0 }
}

/// A reply in a criterion's scope.
struct InScope<'a> {
    reply: usize,
    turn: &'a Turn,
}

fn occurrences<'t, 'n>(turn: &'t Turn, names: &'n Names) -> impl Iterator<Item = &'t Detection> + 'n
where
    't: 'n,
{
    turn.signals.iter().filter(move |d| names.iter().any(|n| signal_matches(&d.name, n)))
}

/// The longest quote feedback shows, in characters.
const QUOTE_CHARS: usize = 140;

/// Whether `first` comes before `then` in one reply: it starts earlier, or one of them covers the other (a signal
/// found through the nearest labelled reply spans the whole reply, so it has no position to hold against the other).
fn comes_first(first: &Detection, then: &Detection) -> bool {
    let covers = |a: &Detection, b: &Detection| a.span[0] <= b.span[0] && b.span[1] <= a.span[1];
    first.span[0] < then.span[0] || covers(first, then) || covers(then, first)
}

/// Quotes a reply, shortened around `span` when it is long.
pub fn quote(text: &str, span: Option<[usize; 2]>) -> String {
    let text = text.trim_end();
    if text.chars().count() <= QUOTE_CHARS {
        return text.to_string();
    }
    let [start, end] = span.unwrap_or([0, 0]);
    let mut from = start.saturating_sub(50).min(text.len());
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let taken: String = text[from..].chars().take(QUOTE_CHARS).collect();
    let shown_to = from + taken.len();
    let _ = end;
    format!("{}{}{}", if from > 0 { "…" } else { "" }, taken.trim(), if shown_to < text.len() { "…" } else { "" })
}

fn evidence(item: &InScope, detection: Option<&Detection>) -> Evidence {
    Evidence {
        reply: item.reply,
        turn: item.turn.n,
        quote: quote(&item.turn.text, detection.map(|d| d.span)),
        matched: detection.map(|d| d.matched.clone()),
        signal: detection.map(|d| d.name.clone()),
    }
}

/// What a rule concluded, before feedback is filled in.
struct Finding {
    verdict: Verdict,
    evidence: Vec<Evidence>,
    count: usize,
    limit: String,
}

impl Finding {
    fn na() -> Self {
        Finding { verdict: Verdict::Na, evidence: Vec::new(), count: 0, limit: String::new() }
    }
}

/// Evaluates one criterion.
pub fn evaluate(
    criterion: &Criterion,
    rubric: &str,
    transcript: &Transcript,
    context: &ScoreContext,
) -> CriterionResult {
    let rule = &criterion.rule;
    let scope: Vec<InScope> = transcript
        .replies()
        .filter(|(n, t)| {
            rule.phase.is_none_or(|p| p == t.phase)
                && rule.from.is_none_or(|from| *n >= from)
                && rule.within.is_none_or(|within| *n <= within)
        })
        .map(|(reply, turn)| InScope { reply, turn })
        .collect();
    let finding = if scope.is_empty() { Finding::na() } else { find(rule.kind(), rule, &scope, context) };
    let customer = context.customer_name.clone().unwrap_or_else(|| "the customer".into());
    let first = finding.evidence.first();
    let fill = |text: &str| {
        template::render(text, |name| match name {
            "customer" => Some(customer.clone()),
            "turn" => first.map(|e| e.reply.to_string()),
            "quote" => first.map(|e| e.quote.clone()),
            "match" => first.and_then(|e| e.matched.clone()),
            "count" => Some(finding.count.to_string()),
            "limit" => Some(finding.limit.clone()),
            "fact" => Some(context.facts.first().map_or_else(|| "the order".to_string(), |(_, v)| v.clone())),
            _ => None,
        })
    };
    let feedback = match finding.verdict {
        Verdict::Pass => fill(&criterion.feedback.pass),
        Verdict::Fail => fill(&criterion.feedback.fail),
        Verdict::Na => "Did not come up in this conversation.".to_string(),
    };
    let tip = fill(&criterion.feedback.tip);
    CriterionResult {
        id: criterion.id.clone(),
        rubric: rubric.to_string(),
        title: criterion.title.clone(),
        result: finding.verdict,
        weight: criterion.weight,
        critical: criterion.critical,
        evidence: finding.evidence,
        feedback,
        tip,
        coaching: criterion.coaching.clone(),
    }
}

fn find(kind: Option<RuleKind>, rule: &crate::rubric::Rule, scope: &[InScope], context: &ScoreContext) -> Finding {
    let verdict = |ok: bool| if ok { Verdict::Pass } else { Verdict::Fail };
    match kind {
        None => Finding::na(),
        Some(RuleKind::Present(names)) => present(names, rule.min.unwrap_or(1), scope),
        Some(RuleKind::Mentions(names)) => {
            let available: Vec<String> = names
                .iter()
                .filter(|n| match *n {
                    "customer_name" => context.customer_name.is_some(),
                    "fact:*" => !context.facts.is_empty(),
                    other => other.strip_prefix("fact:").is_some_and(|k| context.facts.iter().any(|(f, _)| f == k)),
                })
                .map(str::to_string)
                .collect();
            if available.is_empty() {
                return Finding::na();
            }
            present(&Names(available), rule.min.unwrap_or(1), scope)
        }
        Some(RuleKind::Absent(names)) => {
            let excused = |item: &InScope| {
                rule.unless_also.as_ref().is_some_and(|also| occurrences(item.turn, also).next().is_some())
            };
            let evidence: Vec<Evidence> = scope
                .iter()
                .filter(|item| !excused(item))
                .filter_map(|item| occurrences(item.turn, names).next().map(|d| evidence(item, Some(d))))
                .collect();
            Finding { verdict: verdict(evidence.is_empty()), count: evidence.len(), evidence, limit: String::new() }
        }
        Some(RuleKind::Before(before)) => {
            // What must come first only counts from replies not flagged as gaming.
            let first_of = |names: &Names, credit: bool| {
                scope
                    .iter()
                    .filter(|item| !credit || !is_gaming(&item.turn.signals))
                    .find_map(|item| occurrences(item.turn, names).min_by_key(|d| d.span[0]).map(|d| (item, d)))
            };
            let Some((then_item, then_det)) = first_of(&before.then, false) else {
                return Finding::na();
            };
            match first_of(&before.first, true) {
                Some((first_item, first_det))
                    if first_item.reply < then_item.reply
                        || (first_item.reply == then_item.reply && comes_first(first_det, then_det)) =>
                {
                    Finding {
                        verdict: Verdict::Pass,
                        evidence: vec![evidence(first_item, Some(first_det))],
                        count: 1,
                        limit: String::new(),
                    }
                }
                _ => Finding {
                    verdict: Verdict::Fail,
                    evidence: vec![evidence(then_item, Some(then_det))],
                    count: 0,
                    limit: String::new(),
                },
            }
        }
        Some(RuleKind::Max(names)) => {
            let limit = rule.count.unwrap_or(1);
            let counts: Vec<(&InScope, usize)> =
                scope.iter().map(|item| (item, occurrences(item.turn, names).count())).collect();
            let total: usize = counts.iter().map(|(_, c)| c).sum();
            let over: Vec<Evidence> = match rule.per.unwrap_or(Per::Reply) {
                Per::Reply => counts
                    .iter()
                    .filter(|(_, c)| *c > limit)
                    .map(|(item, _)| evidence(item, occurrences(item.turn, names).nth(limit)))
                    .collect(),
                Per::Attempt if total > limit => {
                    // The reply where the count went over the limit.
                    let mut running = 0;
                    counts
                        .iter()
                        .find(|(_, c)| {
                            running += c;
                            running > limit
                        })
                        .map(|(item, _)| vec![evidence(item, occurrences(item.turn, names).last())])
                        .unwrap_or_default()
                }
                Per::Attempt => Vec::new(),
            };
            let count = match rule.per.unwrap_or(Per::Reply) {
                Per::Reply => counts.iter().map(|(_, c)| *c).max().unwrap_or(0),
                Per::Attempt => total,
            };
            Finding { verdict: verdict(over.is_empty()), evidence: over, count, limit: limit.to_string() }
        }
        Some(RuleKind::Metric(metric)) => {
            let measured: Vec<(&InScope, f64)> = scope
                .iter()
                .filter_map(|item| {
                    let text = item.turn.text.trim();
                    let value = match metric.measure {
                        Measure::Words if !text.is_empty() => Some(text.split_whitespace().count() as f64),
                        Measure::Characters if !text.is_empty() => Some(text.chars().count() as f64),
                        Measure::ResponseMs => item.turn.response_ms.map(|ms| ms as f64),
                        _ => None,
                    };
                    value.map(|v| (item, v))
                })
                .collect();
            if measured.is_empty() {
                return Finding::na();
            }
            let outside: Vec<Evidence> = measured
                .iter()
                .filter(|(_, v)| metric.at_most.is_some_and(|m| *v > m) || metric.at_least.is_some_and(|m| *v < m))
                .map(|(item, _)| evidence(item, None))
                .collect();
            let worst = outside.len();
            let limit = match (metric.at_least, metric.at_most) {
                (Some(lo), Some(hi)) => format!("{lo}-{hi} {}", metric.measure),
                (None, Some(hi)) => format!("at most {hi} {}", metric.measure),
                (Some(lo), None) => format!("at least {lo} {}", metric.measure),
                (None, None) => String::new(),
            };
            Finding { verdict: verdict(outside.is_empty()), evidence: outside, count: worst, limit }
        }
    }
}

fn present(names: &Names, min: usize, scope: &[InScope]) -> Finding {
    // A reply flagged as gaming (a keyword list, a copy, stuffing, a wall of text) earns no credit.
    let hits: Vec<Evidence> = scope
        .iter()
        .filter(|item| !is_gaming(&item.turn.signals))
        .filter_map(|item| occurrences(item.turn, names).next().map(|d| evidence(item, Some(d))))
        .collect();
    let count = hits.len();
    if count >= min {
        Finding { verdict: Verdict::Pass, evidence: hits, count, limit: min.to_string() }
    } else {
        // Too few: the replies that had it are the evidence (none when it never came up).
        Finding { verdict: Verdict::Fail, evidence: hits, count, limit: min.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Phase;
    use crate::transcript::Speaker;

    fn reply(n: usize, text: &str, phase: Phase, signals: &[(&str, usize, usize)]) -> Turn {
        Turn {
            n,
            speaker: Speaker::Agent,
            text: text.into(),
            node: String::new(),
            phase,
            mood: None,
            signals: signals
                .iter()
                .map(|(name, s, e)| Detection {
                    name: (*name).into(),
                    span: [*s, *e],
                    matched: text[*s..*e].into(),
                    entry: String::new(),
                })
                .collect(),
            response_ms: None,
        }
    }

    fn rubric(yaml: &str) -> Rubric {
        let text = format!("schema: frontline/rubric@1\nid: r\ntitle: R\npass_mark: 50\ncriteria:\n{yaml}");
        crate::yaml::from_str(&text).unwrap()
    }

    fn criterion(rule: &str) -> String {
        format!(
            "  - id: c\n    title: C\n    weight: 1\n    rule: {rule}\n    feedback: {{ pass: ok, fail: 'no at {{turn}}: {{quote}}', tip: t }}\n"
        )
    }

    fn verdict(rule: &str, turns: Vec<Turn>) -> CriterionResult {
        let r = rubric(&criterion(rule));
        let transcript = Transcript { turns, ..Transcript::default() };
        evaluate(&r.criteria[0], "r", &transcript, &ScoreContext::default())
    }

    #[test]
    fn absent_fails_with_the_offending_quote() {
        let turns = vec![
            reply(2, "", Phase::Venting, &[("silence", 0, 0)]),
            reply(4, "try restarting it", Phase::Venting, &[("fix_proposal", 0, 3)]),
        ];
        let result = verdict("{ absent: [fix_proposal], phase: venting }", turns);
        assert_eq!(result.result, Verdict::Fail);
        assert_eq!(result.feedback, "no at 2: try restarting it");
        assert_eq!(result.evidence[0].turn, 4);
    }

    #[test]
    fn absent_with_unless_also_only_fails_bare_occurrences() {
        let bare = vec![reply(2, "we can not", Phase::Resolving, &[("negative_language", 3, 10)])];
        let rule = "{ absent: negative_language, unless_also: positive_alternative }";
        assert_eq!(verdict(rule, bare).result, Verdict::Fail);
        let paired = vec![reply(
            2,
            "we can not, but what I can do",
            Phase::Resolving,
            &[("negative_language", 3, 10), ("positive_alternative", 16, 29)],
        )];
        assert_eq!(verdict(rule, paired).result, Verdict::Pass);
    }

    #[test]
    fn a_reply_flagged_as_gaming_earns_no_credit() {
        let salad = vec![reply(2, "sorry thank you", Phase::Resolving, &[("apology", 0, 5), ("keyword_list", 0, 15)])];
        assert_eq!(verdict("{ present: apology }", salad.clone()).result, Verdict::Fail);
        let before = "{ before: { first: apology, then: offer } }";
        let later_offer = [salad, vec![reply(4, "a voucher", Phase::Resolving, &[("offer", 2, 9)])]].concat();
        assert_eq!(verdict(before, later_offer).result, Verdict::Fail, "the flagged apology does not come first");
    }

    #[test]
    fn a_rule_with_nothing_in_scope_is_na() {
        let turns = vec![reply(2, "sorry", Phase::Resolving, &[("apology", 0, 5)])];
        assert_eq!(verdict("{ absent: [fix_proposal], phase: venting }", turns).result, Verdict::Na);
    }

    #[test]
    fn before_compares_reply_then_position() {
        let same_reply =
            vec![reply(2, "sorry, I will refund", Phase::Resolving, &[("apology", 0, 5), ("offer", 14, 20)])];
        assert_eq!(verdict("{ before: { first: apology, then: offer } }", same_reply).result, Verdict::Pass);
        let offer_first = vec![reply(2, "refund. sorry", Phase::Resolving, &[("offer", 0, 6), ("apology", 8, 13)])];
        assert_eq!(verdict("{ before: { first: apology, then: offer } }", offer_first).result, Verdict::Fail);
        let no_offer = vec![reply(2, "sorry", Phase::Resolving, &[("apology", 0, 5)])];
        assert_eq!(verdict("{ before: { first: apology, then: offer } }", no_offer).result, Verdict::Na);
        // An offer found through the nearest labelled reply spans the whole reply: no position to hold against.
        let whole = vec![reply(2, "sorry. express it is", Phase::Resolving, &[("apology", 0, 5), ("offer", 0, 20)])];
        assert_eq!(verdict("{ before: { first: apology, then: offer } }", whole).result, Verdict::Pass);
        let whole_first = vec![reply(2, "refund. sorry", Phase::Resolving, &[("offer", 0, 6), ("apology", 0, 13)])];
        assert_eq!(verdict("{ before: { first: apology, then: offer } }", whole_first).result, Verdict::Pass);
    }

    #[test]
    fn max_counts_per_reply_and_per_attempt() {
        let stuffed = vec![reply(
            2,
            "sorry sorry sorry",
            Phase::Resolving,
            &[("apology", 0, 5), ("apology", 6, 11), ("apology", 12, 17)],
        )];
        assert_eq!(verdict("{ max: apology, count: 2 }", stuffed.clone()).result, Verdict::Fail);
        assert_eq!(verdict("{ max: apology, count: 3 }", stuffed).result, Verdict::Pass);
        let spread = vec![
            reply(2, "sorry", Phase::Resolving, &[("apology", 0, 5)]),
            reply(4, "sorry", Phase::Resolving, &[("apology", 0, 5)]),
        ];
        assert_eq!(verdict("{ max: apology, count: 1, per: attempt }", spread.clone()).result, Verdict::Fail);
        assert_eq!(verdict("{ max: apology, count: 1 }", spread).result, Verdict::Pass);
    }

    #[test]
    fn present_counts_replies_not_repetitions() {
        let stuffed = vec![reply(2, "sorry sorry", Phase::Resolving, &[("apology", 0, 5), ("apology", 6, 11)])];
        assert_eq!(verdict("{ present: apology, min: 2 }", stuffed).result, Verdict::Fail);
    }

    #[test]
    fn metric_skips_silence_and_is_na_without_timings() {
        let turns = vec![reply(2, "", Phase::Venting, &[]), reply(4, "one two three four", Phase::Resolving, &[])];
        assert_eq!(verdict("{ metric: { measure: words, at_most: 3 } }", turns.clone()).result, Verdict::Fail);
        assert_eq!(verdict("{ metric: { measure: words, at_most: 4 } }", turns.clone()).result, Verdict::Pass);
        assert_eq!(verdict("{ metric: { measure: response_ms, at_most: 4 } }", turns).result, Verdict::Na);
    }

    #[test]
    fn mentions_is_na_without_a_customer_name() {
        let turns = vec![reply(2, "hello", Phase::Resolving, &[])];
        assert_eq!(verdict("{ mentions: customer_name }", turns).result, Verdict::Na);
    }

    #[test]
    fn score_leaves_na_out_and_critical_fails_the_rubric() {
        let yaml = [
            criterion("{ present: apology }").replace("id: c", "id: a").replace("weight: 1", "weight: 3"),
            criterion("{ absent: profanity }")
                .replace("id: c", "id: b")
                .replace("weight: 1", "weight: 1\n    critical: true"),
            criterion("{ absent: offer, phase: venting }").replace("id: c", "id: n"),
        ]
        .concat();
        let r = rubric(&yaml);
        let transcript = Transcript {
            turns: vec![reply(2, "sorry, damn", Phase::Resolving, &[("apology", 0, 5), ("profanity", 7, 11)])],
            ending: None,
            trace: Vec::new(),
        };
        let card = score(&transcript, &[&r], &ScoreContext::default());
        assert_eq!(card.score, 75.0);
        assert!(!card.passed, "critical failure fails despite 75 >= 50");
        assert_eq!(card.criteria[2].result, Verdict::Na);
    }

    #[test]
    fn long_replies_are_quoted_around_the_match() {
        let text = format!("{}sorry{}", "a ".repeat(200), " b".repeat(200));
        let quoted = quote(&text, Some([400, 405]));
        assert!(quoted.starts_with('…') && quoted.ends_with('…') && quoted.contains("sorry"), "{quoted}");
        assert!(quoted.chars().count() <= QUOTE_CHARS + 2);
    }
}
