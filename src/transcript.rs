//! A conversation as data: the turns, who said them, in which phase, the mood after each, and the signals found.
//!
//! The engine writes transcripts; scoring reads them; results save them. A transcript can also be read from a
//! file (`frontline score`): a saved attempt, a YAML/JSON transcript, or plain text with `Customer:` / `Agent:`
//! prefixes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{LoadError, LoadErrors, Problem, locate_problems};
use crate::scenario::Phase;
use crate::serde_forms::Names;
use crate::signals::Detection;
use crate::yaml::{Position, YamlPath};

/// Who spoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    /// The (simulated) customer.
    Customer,
    /// The trainee.
    Agent,
}

/// One line of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// Position in the conversation, from 1.
    pub n: usize,
    /// Who spoke.
    pub speaker: Speaker,
    /// What was said.
    pub text: String,
    /// The scenario node (empty for imported transcripts).
    #[serde(default)]
    pub node: String,
    /// Whether the customer was still venting.
    pub phase: Phase,
    /// The customer's mood after this turn (0 calm to 100 walks out), when known.
    #[serde(default)]
    pub mood: Option<i32>,
    /// Signals found in an agent's reply.
    #[serde(default)]
    pub signals: Vec<Detection>,
    /// How long the trainee took to reply, in interactive play.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_ms: Option<u64>,
}

impl Turn {
    /// Whether the turn has the signal `name` (with `fact:*` meaning any fact).
    pub fn has(&self, name: &str) -> bool {
        crate::signals::contains_signal(&self.signals, name)
    }
}

/// How a conversation ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndingReached {
    /// The ending id (`resolved`, `walked_out`, `out_of_turns`).
    pub id: String,
    /// What happened.
    pub text: String,
    /// Whether it is a good outcome.
    pub success: bool,
}

/// A whole conversation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Transcript {
    /// The turns in order.
    pub turns: Vec<Turn>,
    /// How it ended; `None` when the attempt stopped before an ending.
    pub ending: Option<EndingReached>,
    /// The transitions taken, as (node, index in its `then`), for `frontline check` coverage; not saved.
    #[serde(skip)]
    pub trace: Vec<(String, usize)>,
}

impl Transcript {
    /// The agent's replies, with their reply number (from 1).
    pub fn replies(&self) -> impl Iterator<Item = (usize, &Turn)> {
        self.turns.iter().filter(|t| t.speaker == Speaker::Agent).enumerate().map(|(i, t)| (i + 1, t))
    }

    /// Number of agent replies.
    pub fn reply_count(&self) -> usize {
        self.turns.iter().filter(|t| t.speaker == Speaker::Agent).count()
    }

    /// Whether the conversation reached an ending.
    pub fn is_complete(&self) -> bool {
        self.ending.is_some()
    }
}

/// A transcript read from a file, with what the file says about its context.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The conversation (signals not yet detected).
    pub transcript: Transcript,
    /// The scenario it was played on, if named.
    pub scenario: Option<String>,
    /// The customer's name, if given.
    pub customer: Option<String>,
    /// Facts the agent could mention.
    pub facts: BTreeMap<String, String>,
    /// Rubric ids named by the file.
    pub rubrics: Vec<String>,
}

/// A YAML or JSON transcript file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TranscriptFile {
    #[serde(default)]
    schema: Option<String>,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    facts: BTreeMap<String, String>,
    #[serde(default)]
    rubric: Option<Names>,
    turns: Vec<TurnEntry>,
}

/// `- customer: "..."` or `- agent: "..."`, optionally with `phase:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TurnEntry {
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    agent: Option<String>,
    #[serde(default)]
    phase: Option<Phase>,
}

/// The schema line of a transcript file.
pub const TRANSCRIPT_SCHEMA: &str = "frontline/transcript@1";

fn turn(n: usize, speaker: Speaker, text: String, phase: Option<Phase>) -> (Turn, bool) {
    let known = phase.is_some();
    let turn = Turn {
        n,
        speaker,
        text,
        node: String::new(),
        phase: phase.unwrap_or(Phase::Resolving),
        mood: None,
        signals: Vec::new(),
        response_ms: None,
    };
    (turn, known)
}

/// Gives replies with no phase of their own one: `venting` before the customer's first question, since until the
/// customer asks for something they are still telling their story; `resolving` after it. With no customer
/// question at all nothing is marked venting, so venting-phase criteria are N/A rather than guessed.
fn infer_phases(turns: &mut [(Turn, bool)]) {
    let first_question = turns.iter().position(|(t, _)| t.speaker == Speaker::Customer && t.text.contains('?'));
    for (i, (turn, known)) in turns.iter_mut().enumerate() {
        if !*known {
            turn.phase = match first_question {
                Some(q) if i < q => Phase::Venting,
                _ => Phase::Resolving,
            };
        }
    }
}

/// Reads a transcript: a saved attempt (JSON), a YAML/JSON transcript (`turns: [{customer: ...}, {agent: ...}]`),
/// or plain text with `Customer:` / `Agent:` line prefixes (unprefixed lines continue the turn before).
pub fn import(name: &str, bytes: &[u8]) -> Result<Imported, LoadErrors> {
    let text = crate::yaml::decode_utf8(bytes).map_err(|e| LoadError::at(name, e.position, e.message))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') && text.contains(crate::results::ATTEMPT_SCHEMA) {
        let attempt: crate::results::Attempt = serde_json::from_str(text).map_err(|e| {
            LoadError::at(
                name,
                Position { line: e.line().max(1), column: e.column().max(1) },
                format!("not a saved attempt: {e}"),
            )
        })?;
        return Ok(Imported {
            transcript: Transcript { turns: attempt.turns, ending: attempt.ending, trace: Vec::new() },
            scenario: Some(attempt.scenario),
            rubrics: attempt.rubrics.into_iter().map(|r| r.id).collect(),
            ..Imported::default()
        });
    }
    let is_structured = trimmed.starts_with('{')
        || name.ends_with(".yaml")
        || name.ends_with(".yml")
        || name.ends_with(".json")
        || text.lines().any(|l| l.starts_with("turns:"));
    let (entries, imported) = if is_structured {
        let file: TranscriptFile =
            crate::yaml::from_str(text).map_err(|e| LoadError::at(name, e.position, e.message))?;
        let mut problems = Vec::new();
        if let Some(schema) = &file.schema
            && schema != TRANSCRIPT_SCHEMA
        {
            problems.push(Problem::new(
                YamlPath::root().key("schema"),
                format!("schema is \"{schema}\"; a transcript says `schema: {TRANSCRIPT_SCHEMA}`"),
            ));
        }
        let mut entries = Vec::new();
        for (i, entry) in file.turns.into_iter().enumerate() {
            match (entry.customer, entry.agent) {
                (Some(text), None) => entries.push((Speaker::Customer, text, entry.phase)),
                (None, Some(text)) => entries.push((Speaker::Agent, text, entry.phase)),
                _ => problems.push(Problem::new(
                    YamlPath::root().key("turns").index(i),
                    "each turn is `- customer: \"...\"` or `- agent: \"...\"`",
                )),
            }
        }
        if !problems.is_empty() {
            return Err(locate_problems(name, text, problems));
        }
        let imported = Imported {
            scenario: file.scenario,
            customer: file.customer,
            facts: file.facts,
            rubrics: file.rubric.map(|r| r.0).unwrap_or_default(),
            ..Imported::default()
        };
        (entries, imported)
    } else {
        (parse_plain(name, text)?, Imported::default())
    };
    if !entries.iter().any(|(speaker, _, _)| *speaker == Speaker::Agent) {
        return Err(LoadError::at(name, Position::START, "the transcript has no agent turns to score").into());
    }
    let mut turns: Vec<(Turn, bool)> =
        entries.into_iter().enumerate().map(|(i, (speaker, text, phase))| turn(i + 1, speaker, text, phase)).collect();
    infer_phases(&mut turns);
    Ok(Imported {
        transcript: Transcript { turns: turns.into_iter().map(|(t, _)| t).collect(), ending: None, trace: Vec::new() },
        ..imported
    })
}

fn parse_plain(name: &str, text: &str) -> Result<Vec<(Speaker, String, Option<Phase>)>, LoadErrors> {
    let mut entries: Vec<(Speaker, String, Option<Phase>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let prefixed = trimmed.split_once(':').and_then(|(who, said)| {
            let who = who.trim().to_lowercase();
            let speaker = match who.as_str() {
                "customer" | "caller" | "client" => Speaker::Customer,
                "agent" | "you" | "rep" | "advisor" => Speaker::Agent,
                _ => return None,
            };
            Some((speaker, said.trim().to_string()))
        });
        match (prefixed, entries.last_mut()) {
            (Some((speaker, said)), _) => entries.push((speaker, said, None)),
            (None, Some(last)) => {
                if !last.1.is_empty() {
                    last.1.push(' ');
                }
                last.1.push_str(trimmed);
            }
            (None, None) => {
                return Err(LoadError::at(
                    name,
                    Position { line: i + 1, column: 1 },
                    "expected a line starting with `Customer:` or `Agent:`",
                )
                .into());
            }
        }
    }
    Ok(entries)
}

impl Transcript {
    /// Detects the signals of every agent turn afresh (an imported or re-scored transcript).
    pub fn detect_signals(&mut self, detector: &crate::signals::Detector, vocabulary: &crate::signals::Vocabulary) {
        for turn in self.turns.iter_mut().filter(|t| t.speaker == Speaker::Agent) {
            turn.signals = detector.detect(&turn.text, vocabulary);
        }
        detector.mark_repeats(&mut self.turns);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_with_continuations_and_inferred_phases() {
        let text =
            "Customer: It never came!\nAgent:\nCustomer: It was a gift.\nWhat now?\nAgent: I'm sorry\nabout that.\n";
        let imported = import("chat.txt", text.as_bytes()).unwrap();
        let turns = &imported.transcript.turns;
        assert_eq!(turns.len(), 4);
        assert_eq!(turns[2].text, "It was a gift. What now?");
        assert_eq!(turns[3].text, "I'm sorry about that.");
        assert_eq!((turns[1].phase, turns[3].phase), (Phase::Venting, Phase::Resolving));
    }

    #[test]
    fn plain_text_without_prefix_is_an_error_with_its_line() {
        let err = import("chat.txt", b"\nhello there\n").unwrap_err();
        assert_eq!(err.0[0].line, 2);
    }

    #[test]
    fn yaml_turns_need_one_speaker() {
        let err = import("t.yaml", b"turns:\n  - customer: hi\n    agent: hello\n").unwrap_err();
        assert!(err.0[0].message.contains("each turn"), "{}", err);
        let ok = import(
            "t.yaml",
            b"customer: Maria Lopez\nturns:\n  - customer: hi\n  - agent: hello\n    phase: venting\n",
        )
        .unwrap();
        assert_eq!(ok.customer.as_deref(), Some("Maria Lopez"));
        assert_eq!(ok.transcript.turns[1].phase, Phase::Venting);
    }
}
