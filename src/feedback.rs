//! Feedback as the trainee reads it: the conversation, the outcome, the score, and each criterion with ✓/✗,
//! the quoted words that earned or lost it, and a tip.
//!
//! Rendering returns strings; the command layer prints them. Colour comes from `colored`, whose on/off switch the
//! command layer sets once at start-up. Nothing is carried by colour alone: marks and words (PASS, FAIL, N/A)
//! say it too, and lines wrap at 80 columns.

use std::fmt::Write;

use colored::Colorize;

use crate::scenario::Scenario;
use crate::scoring::{CriterionResult, RubricScore, Verdict};
use crate::transcript::{EndingReached, Speaker, Turn};

/// The width text is wrapped to.
pub const WIDTH: usize = 80;

/// How the conversation came out, for the summary.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// An ending was reached.
    Ended(&'a EndingReached),
    /// The attempt stopped before an ending.
    Incomplete,
    /// A transcript scored without playing (no ending to speak of).
    Scored,
}

/// What the summary shows.
#[derive(Debug, Clone, Copy)]
pub struct Summary<'a> {
    /// Scenario title or transcript name.
    pub title: &'a str,
    /// How it came out.
    pub outcome: Outcome<'a>,
    /// Weighted score 0-100.
    pub score: f64,
    /// Overall pass.
    pub passed: bool,
    /// Per-rubric totals.
    pub rubrics: &'a [RubricScore],
    /// Criteria results.
    pub criteria: &'a [CriterionResult],
}

/// The number of characters a terminal shows for `text` (colour escape sequences take no room).
fn visible_len(text: &str) -> usize {
    let mut count = 0;
    let mut in_escape = false;
    for c in text.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, c) if c.is_ascii_alphabetic() => in_escape = false,
            (true, _) => {}
            (false, _) => count += 1,
        }
    }
    count
}

/// Wraps `text` to [`WIDTH`], indenting every line by `indent` spaces.
pub fn wrap(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && indent + visible_len(&line) + 1 + visible_len(word) > WIDTH {
                let _ = writeln!(out, "{pad}{line}");
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        let _ = writeln!(out, "{pad}{line}");
    }
    out
}

/// What the agent sees before the conversation: the situation, the customer and the facts on their screen.
pub fn briefing(scenario: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", format!("── {} ", scenario.title).bold());
    if !scenario.summary.is_empty() {
        let _ = write!(out, "{}", wrap(&scenario.summary, 0));
    }
    let _ = writeln!(out, "{} {}", "Customer:".bold(), scenario.customer.name);
    for (key, value) in scenario.facts.iter() {
        let _ = writeln!(out, "{} {value}", format!("{}:", key.replace('_', " ")).bold());
    }
    out
}

/// One customer line or reply as shown on screen.
pub fn turn_line(turn: &Turn, customer: &str) -> String {
    match turn.speaker {
        Speaker::Customer => format!("{}{}", format!("{customer}: ").yellow().bold(), turn.text),
        Speaker::Agent if turn.text.trim().is_empty() => {
            format!("{}{}", "You: ".cyan().bold(), "(silence: you let them talk)".dimmed())
        }
        Speaker::Agent => format!("{}{}", "You: ".cyan().bold(), turn.text),
    }
}

/// The signals under a reply (for `--verbose` and the annotated transcript), wrapped and indented.
pub fn signal_line(turn: &Turn) -> String {
    let names: Vec<String> = turn.signals.iter().map(|d| format!("{} \"{}\"", d.name, d.matched)).collect();
    let shown = if names.is_empty() { "none".to_string() } else { names.join(", ") };
    wrap(&format!("[{}; signals: {shown}]", turn.phase), 5).dimmed().to_string()
}

/// One turn, word-wrapped at [`WIDTH`].
pub fn turn_block(turn: &Turn, customer: &str) -> String {
    wrap(&turn_line(turn, customer), 0)
}

/// The whole conversation, one line per turn (with signals under replies when `verbose`).
pub fn conversation(turns: &[Turn], customer: &str, verbose: bool) -> String {
    let mut out = String::new();
    for turn in turns {
        out.push_str(&turn_block(turn, customer));
        if verbose && turn.speaker == Speaker::Agent {
            out.push_str(&signal_line(turn));
        }
    }
    out
}

fn mark(verdict: Verdict) -> String {
    match verdict {
        Verdict::Pass => format!("{} {}", "✓".green().bold(), "PASS".green()),
        Verdict::Fail => format!("{} {}", "✗".red().bold(), "FAIL".red()),
        Verdict::Na => format!("{} {}", "–".dimmed(), "N/A ".dimmed()),
    }
}

/// Why an attempt did not pass, in plain words (empty when it passed).
pub fn reasons(summary: &Summary) -> Vec<String> {
    let mut reasons = Vec::new();
    match summary.outcome {
        Outcome::Incomplete => reasons.push("the conversation did not reach an ending".to_string()),
        Outcome::Ended(ending) if !ending.success => {
            reasons.push(format!("the conversation ended badly ({})", ending.id.replace('_', " ")));
        }
        _ => {}
    }
    for rubric in summary.rubrics {
        if rubric.score < rubric.pass_mark {
            reasons.push(format!("{} scored {} of the {} needed", rubric.title, rubric.score, rubric.pass_mark));
        }
    }
    for criterion in summary.criteria {
        if criterion.critical && criterion.result == Verdict::Fail {
            reasons.push(format!("\"{}\" is a must and was missed", criterion.title));
        }
    }
    reasons
}

/// The outcome, score and per-criterion feedback.
pub fn summary(summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", format!("── Feedback: {} ", summary.title).bold());
    match summary.outcome {
        Outcome::Ended(ending) => {
            let name = ending.id.replace('_', " ");
            let label = if ending.success { name.green() } else { name.red() };
            let _ = write!(out, "{}", wrap(&format!("Outcome: {label}. {}", ending.text), 0));
        }
        Outcome::Incomplete => {
            let _ = write!(
                out,
                "{}",
                wrap("Outcome: incomplete. The conversation stopped before it reached an ending.", 0)
            );
        }
        Outcome::Scored => {}
    }
    let verdict = match summary.outcome {
        _ if summary.passed => "PASSED".green().bold(),
        Outcome::Incomplete => "INCOMPLETE, not counted as a pass or a fail".yellow().bold(),
        _ => "NOT PASSED".red().bold(),
    };
    let marks: Vec<String> = summary.rubrics.iter().map(|r| format!("{} needs {}", r.id, r.pass_mark)).collect();
    let _ = writeln!(out, "Score: {}/100, {verdict} ({})", summary.score, marks.join(", "));
    let reasons = reasons(summary);
    if !summary.passed && !reasons.is_empty() && !matches!(summary.outcome, Outcome::Incomplete) {
        let _ = write!(out, "{}", wrap(&format!("Why: {}.", reasons.join("; ")), 0));
    }
    for criterion in summary.criteria {
        let _ = writeln!(out);
        let critical = if criterion.critical { " (must)" } else { "" };
        let _ = writeln!(out, "{} {}{critical}", mark(criterion.result), criterion.title.bold());
        let _ = write!(out, "{}", wrap(&criterion.feedback, 7));
        if criterion.result == Verdict::Na {
            continue;
        }
        if let Some(evidence) = criterion.evidence.first()
            && !criterion.feedback.contains(&evidence.quote)
            && !evidence.quote.is_empty()
        {
            let _ = write!(out, "{}", wrap(&format!("Reply {}: \"{}\"", evidence.reply, evidence.quote), 7));
        }
        if criterion.result == Verdict::Fail {
            let _ = write!(out, "{}", wrap(&format!("{} {}", "Tip:".bold(), criterion.tip), 7));
        }
    }
    out
}

/// The customer's mood as a gauge with a word, so it reads without colour: `Mood ▕██████░░░░▏ 62/100 annoyed`.
pub fn mood_meter(mood: i32) -> String {
    let mood = mood.clamp(0, 100);
    let filled = usize::try_from((mood + 2) / 5).unwrap_or(0).min(20);
    let bar = format!("{}{}", "█".repeat(filled), "░".repeat(20 - filled));
    let word = match mood {
        0..=24 => "calm",
        25..=49 => "uneasy",
        50..=69 => "annoyed",
        70..=89 => "angry",
        _ => "furious",
    };
    let bar = match mood {
        0..=49 => bar.green(),
        50..=69 => bar.yellow(),
        _ => bar.red(),
    };
    format!("{} ▕{bar}▏ {mood}/100 {word}", "Mood".dimmed())
}

/// The conversation with the marks: each reply's signals and the criteria it earned (✓) or lost (✗).
pub fn annotated(attempt: &crate::results::Attempt, customer: &str) -> String {
    let mut marks: std::collections::BTreeMap<usize, Vec<String>> = std::collections::BTreeMap::new();
    for criterion in &attempt.criteria {
        for evidence in &criterion.evidence {
            let mark = match criterion.result {
                Verdict::Pass => format!("{} {}", "✓".green(), criterion.title),
                Verdict::Fail => format!("{} {}", "✗".red(), criterion.title),
                Verdict::Na => continue,
            };
            marks.entry(evidence.reply).or_default().push(mark);
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "{}", format!("── Your transcript with the marks: {} ", attempt.scenario_title).bold());
    let mut reply = 0;
    for turn in &attempt.turns {
        out.push_str(&turn_block(turn, customer));
        if turn.speaker != Speaker::Agent {
            continue;
        }
        reply += 1;
        if let Some(hint) = attempt.hints.iter().find(|h| h.before_reply == reply) {
            let _ = write!(out, "{}", wrap(&format!("(you asked for a hint: {})", hint.text), 5).dimmed());
        }
        out.push_str(&signal_line(turn));
        for mark in marks.get(&reply).into_iter().flatten() {
            let _ = writeln!(out, "     {mark}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mood_meter_says_its_level_in_words() {
        colored::control::set_override(false);
        assert_eq!(mood_meter(0), "Mood ▕░░░░░░░░░░░░░░░░░░░░▏ 0/100 calm");
        assert_eq!(mood_meter(62), "Mood ▕████████████░░░░░░░░▏ 62/100 annoyed");
        assert_eq!(mood_meter(140), "Mood ▕████████████████████▏ 100/100 furious");
    }

    #[test]
    fn wrap_ignores_colour_codes() {
        let coloured = format!("{}{}", "\u{1b}[1;33mMaria Lopez: \u{1b}[0m", "word ".repeat(20));
        let first = wrap(&coloured, 0).lines().next().unwrap().to_string();
        // "Maria Lopez: " (13) + 13 words of 4 + 12 spaces = 77; one more word would make 82.
        assert_eq!(visible_len(&first), 77, "{first:?}");
    }

    #[test]
    fn wrap_keeps_lines_within_the_width() {
        let text = "word ".repeat(60);
        for line in wrap(&text, 7).lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
            assert!(line.starts_with("       word"));
        }
    }
}
