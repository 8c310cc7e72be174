//! The session engine: runs a scenario one reply at a time.
//!
//! A [`Session`] holds the conversation's state (node, beat, mood, phase, turn count) and a seeded random
//! generator for `one_of` lines, so the same seed and replies give the same conversation. It is step-wise
//! ([`Session::reply`]), so a terminal front end and a script drive it the same way; [`run_script`] plays a
//! whole list of replies. The engine never prints.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::scenario::{Condition, Line, Node, OUT_OF_TURNS, Outcome, Phase, Scenario};
use crate::signals::{Detection, Detector, GAMING_SIGNALS, Vocabulary, contains_signal, is_gaming};
use crate::transcript::{EndingReached, Speaker, Transcript, Turn};

/// A conversation in progress.
pub struct Session<'a> {
    scenario: &'a Scenario,
    detector: &'a Detector,
    vocabulary: Vocabulary,
    rng: ChaCha8Rng,
    node: String,
    beat: usize,
    mood: i32,
    replies: usize,
    transcript: Transcript,
}

impl<'a> Session<'a> {
    /// Starts `scenario`: the customer delivers the first beat of the start node.
    pub fn start(scenario: &'a Scenario, detector: &'a Detector, seed: u64) -> Self {
        let vocabulary = detector.vocabulary(&scenario.customer.name, scenario.mentionable_facts());
        let mut session = Session {
            scenario,
            detector,
            vocabulary,
            rng: ChaCha8Rng::seed_from_u64(seed),
            node: scenario.start.clone(),
            beat: 0,
            mood: scenario.customer.mood,
            replies: 0,
            transcript: Transcript::default(),
        };
        session.deliver_beat();
        session
    }

    /// The transcript so far.
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    /// The customer's current mood (0 calm to 100 walks out).
    pub fn mood(&self) -> i32 {
        self.mood
    }

    /// Whether the conversation has ended.
    pub fn is_over(&self) -> bool {
        self.transcript.ending.is_some()
    }

    /// The phase the next reply will be made in.
    pub fn phase(&self) -> Phase {
        self.current_beat().map_or(Phase::Resolving, |(_, phase)| phase)
    }

    /// The scenario being played.
    pub fn scenario(&self) -> &Scenario {
        self.scenario
    }

    /// Ends the session, returning the transcript (incomplete if no ending was reached).
    pub fn finish(self) -> Transcript {
        self.transcript
    }

    fn node(&self) -> &'a Node {
        self.scenario.nodes.get(&self.node).expect("validated: nodes referenced exist")
    }

    fn current_beat(&self) -> Option<(&'a Line, Phase)> {
        self.node().beats().nth(self.beat)
    }

    fn pick(&mut self, line: &Line) -> String {
        let variants = line.variants();
        let text = match variants.len() {
            0 => "",
            1 => &variants[0],
            n => &variants[self.rng.random_range(0..n)],
        };
        self.scenario.render(text)
    }

    fn push_customer(&mut self, text: String, phase: Phase) {
        let n = self.transcript.turns.len() + 1;
        self.transcript.turns.push(Turn {
            n,
            speaker: Speaker::Customer,
            text,
            node: self.node.clone(),
            phase,
            mood: Some(self.mood),
            signals: Vec::new(),
            response_ms: None,
        });
    }

    fn deliver_beat(&mut self) {
        if let Some((line, phase)) = self.current_beat() {
            let text = self.pick(line);
            self.push_customer(text, phase);
        }
    }

    fn say(&mut self, line: &Option<Line>) {
        if let Some(line) = line {
            let text = self.pick(line);
            self.push_customer(text, Phase::Resolving);
        }
    }

    fn end(&mut self, id: &str) {
        let ending = match self.scenario.endings.get(id) {
            Some(ending) => {
                EndingReached { id: id.to_string(), text: self.scenario.render(&ending.text), success: ending.success }
            }
            None => EndingReached {
                id: OUT_OF_TURNS.to_string(),
                text: format!(
                    "{} ran out of patience: the conversation went on too long.",
                    self.scenario.customer.name
                ),
                success: false,
            },
        };
        self.transcript.ending = Some(ending);
    }

    fn holds(&self, condition: &Condition, signals: &[Detection], phase: Phase, mood_before: i32) -> bool {
        condition.signal.as_ref().is_none_or(|s| contains_signal(signals, s))
            && condition.all.iter().all(|s| contains_signal(signals, s))
            && (condition.any.is_empty() || condition.any.iter().any(|s| contains_signal(signals, s)))
            && condition.none.iter().all(|s| !contains_signal(signals, s))
            && condition.phase.is_none_or(|p| p == phase)
            && condition.mood.is_none_or(|m| m.holds(mood_before))
    }

    /// The trainee replies (`""` is silence). Returns the customer's turns that follow it; does nothing once the
    /// conversation is over.
    pub fn reply(&mut self, text: &str, response_ms: Option<u64>) -> &[Turn] {
        if self.is_over() {
            return &[];
        }
        let phase = self.phase();
        let mood_before = self.mood;
        let signals = self.detector.detect(text, &self.vocabulary);
        self.replies += 1;
        let n = self.transcript.turns.len() + 1;
        self.transcript.turns.push(Turn {
            n,
            speaker: Speaker::Agent,
            text: text.to_string(),
            node: self.node.clone(),
            phase,
            mood: None,
            signals,
            response_ms,
        });
        let agent_index = self.transcript.turns.len() - 1;
        self.detector.mark_repeats(&mut self.transcript.turns);
        // A reply flagged as gaming does not move the customer: conditions see only the flags.
        let detected = &self.transcript.turns[agent_index].signals;
        let signals: Vec<Detection> = if is_gaming(detected) {
            detected.iter().filter(|d| GAMING_SIGNALS.contains(&d.name.as_str())).cloned().collect()
        } else {
            detected.clone()
        };

        let mut sayings: Vec<Option<Line>> = Vec::new();
        let mut end: Option<String> = None;
        for reaction in &self.scenario.reactions {
            if self.holds(&reaction.when, &signals, phase, mood_before) {
                self.mood += reaction.mood;
                sayings.push(reaction.say.clone());
                if end.is_none() {
                    end.clone_from(&reaction.end);
                }
            }
        }

        let last_beat = self.beat + 1 >= self.node().beat_count();
        let mut next_node: Option<String> = None;
        if end.is_none() {
            if last_beat {
                let node = self.node();
                let taken = node
                    .then
                    .iter()
                    .position(|t| t.when.as_ref().is_none_or(|w| self.holds(w, &signals, phase, mood_before)));
                let outcome: Outcome = taken.map(|i| node.then[i].outcome()).unwrap_or_default();
                if let Some(i) = taken {
                    self.transcript.trace.push((self.node.clone(), i));
                }
                self.mood += outcome.mood;
                sayings.push(outcome.say.clone());
                end = outcome.end.clone();
                next_node = outcome.goto.clone();
            } else {
                self.beat += 1;
            }
        }
        self.mood = self.mood.clamp(0, 100);
        self.transcript.turns[agent_index].mood = Some(self.mood);

        if end.is_none() {
            end = self
                .scenario
                .endings
                .iter()
                .find(|(_, ending)| ending.when.is_some_and(|w| w.holds(self.mood)))
                .map(|(id, _)| id.to_string());
        }
        let first_new = self.transcript.turns.len();
        for line in &sayings {
            self.say(line);
        }
        match end {
            Some(id) => self.end(&id),
            None if self.replies >= self.scenario.max_turns => self.end(OUT_OF_TURNS),
            None => {
                if let Some(node) = next_node {
                    self.node = node;
                    self.beat = 0;
                }
                self.deliver_beat();
            }
        }
        &self.transcript.turns[first_new..]
    }
}

/// Plays `replies` in order and returns the transcript; it is incomplete if the replies run out first, and
/// replies after an ending are ignored.
pub fn run_script(scenario: &Scenario, detector: &Detector, seed: u64, replies: &[String]) -> Transcript {
    let mut session = Session::start(scenario, detector, seed);
    for reply in replies {
        if session.is_over() {
            break;
        }
        session.reply(reply, None);
    }
    session.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::Lexicon;

    fn detector() -> Detector {
        let lexicon: Lexicon = crate::yaml::from_str(
            "schema: frontline/lexicon@1\nlanguage: en\nsignals:\n  apology: { description: d, phrases: [sorry] }\n  fix_proposal: { description: d, phrases: [refund] }\n",
        )
        .unwrap();
        Detector::new(&lexicon)
    }

    fn scenario() -> Scenario {
        crate::yaml::from_str(
            r#"
schema: frontline/scenario@1
id: t
title: T
difficulty: 1
rubric: r
customer: { name: Ann Lee, mood: 50 }
start: opening
max_turns: 6
reactions:
  - when: { signal: fix_proposal, phase: venting }
    mood: +30
    say: "Let me finish!"
nodes:
  opening:
    vent: ["one", { one_of: [two-a, two-b, two-c] }]
    say: "three?"
    then:
      - when: { signal: apology }
        mood: -40
        goto: calm
      - else: { mood: +10, goto: opening }
  calm:
    say: "ok"
    then:
      - else: { end: fine }
endings:
  gone: { when: "mood >= 100", text: "gone", success: false }
  fine: { when: "mood <= 0", text: "fine" }
"#,
        )
        .unwrap()
    }

    fn replies(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn phases_follow_the_beats_and_transitions_apply_after_the_last_one() {
        let transcript = run_script(&scenario(), &detector(), 1, &replies(&["", "", "sorry", "x"]));
        let agent: Vec<&Turn> = transcript.turns.iter().filter(|t| t.speaker == Speaker::Agent).collect();
        let phases: Vec<Phase> = agent.iter().map(|t| t.phase).collect();
        assert_eq!(phases, [Phase::Venting, Phase::Venting, Phase::Resolving, Phase::Resolving]);
        assert_eq!(agent.iter().map(|t| t.mood.unwrap()).collect::<Vec<_>>(), [50, 50, 10, 10]);
        assert_eq!(transcript.ending.as_ref().map(|e| e.id.as_str()), Some("fine"));
    }

    #[test]
    fn a_reaction_speaks_before_the_next_beat_and_mood_endings_fire() {
        let transcript = run_script(&scenario(), &detector(), 1, &replies(&["refund", "refund"]));
        let lines: Vec<&str> = transcript.turns.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(&lines[..4], ["one", "refund", "Let me finish!", lines[3]]);
        assert!(lines[3].starts_with("two-"));
        assert_eq!(transcript.ending.as_ref().map(|e| (e.id.as_str(), e.success)), Some(("gone", false)));
        assert_eq!(transcript.turns.last().unwrap().mood, Some(100), "mood is clamped at 100");
    }

    #[test]
    fn the_turn_limit_ends_a_loop_and_later_replies_are_ignored() {
        let transcript = run_script(&scenario(), &detector(), 1, &replies(&["x"; 20]));
        assert_eq!(transcript.reply_count(), 6);
        assert_eq!(transcript.ending.as_ref().map(|e| e.id.as_str()), Some(OUT_OF_TURNS));
    }

    #[test]
    fn seeds_pick_variants_reproducibly() {
        let second_line = |seed| run_script(&scenario(), &detector(), seed, &replies(&[""])).turns[2].text.clone();
        assert_eq!(second_line(42), second_line(42));
        let seen: std::collections::BTreeSet<String> = (0..30).map(second_line).collect();
        assert_eq!(seen.len(), 3, "{seen:?}");
    }

    #[test]
    fn an_exhausted_script_leaves_the_attempt_incomplete() {
        let transcript = run_script(&scenario(), &detector(), 1, &replies(&[""]));
        assert!(!transcript.is_complete());
    }
}
