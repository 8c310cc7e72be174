//! Hints in practice mode: a tip for the current moment of the conversation.
//!
//! A hint is data, not code: it is the `tip` of the first rubric criterion that the trainee has not yet met and
//! that applies to the phase they are in. While the customer vents that is the venting-phase advice ("let them
//! talk"); later it is whatever the conversation still lacks (an apology, a next step...). Each hint used is
//! recorded on the attempt and costs the rubric's `hint_cost` points.

use crate::rubric::Rubric;
use crate::scenario::Phase;
use crate::scoring::{ScoreContext, Verdict, evaluate};
use crate::transcript::Transcript;

/// A tip for a reply about to be made in `phase`, given the conversation so far.
pub fn hint_for(transcript: &Transcript, phase: Phase, rubrics: &[Rubric], context: &ScoreContext) -> Option<String> {
    for rubric in rubrics {
        for criterion in &rubric.criteria {
            if criterion.rule.phase.is_some_and(|p| p != phase) {
                continue;
            }
            // Criteria scoped to this phase are advice for the reply about to be made; others count what is
            // still missing from the conversation so far.
            let result = evaluate(criterion, &rubric.id, transcript, context);
            if criterion.rule.phase == Some(phase) || result.result != Verdict::Pass {
                return Some(format!("{}: {}", criterion.title, result.tip));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> Rubric {
        crate::yaml::from_str(
            "schema: frontline/rubric@1\nid: r\ntitle: R\npass_mark: 50\ncriteria:\n  - { id: talk, title: Let them talk, weight: 1, rule: { absent: fix_proposal, phase: venting }, feedback: { pass: a, fail: b, tip: Wait. } }\n  - { id: sorry, title: Apologise, weight: 1, rule: { present: apology }, feedback: { pass: a, fail: b, tip: \"Say sorry, {customer}.\" } }\n",
        )
        .unwrap()
    }

    #[test]
    fn venting_gets_venting_advice_and_later_what_is_missing() {
        let context = ScoreContext { customer_name: Some("Maria".into()), facts: Vec::new() };
        let empty = Transcript::default();
        assert_eq!(hint_for(&empty, Phase::Venting, &[rubric()], &context).as_deref(), Some("Let them talk: Wait."));
        assert_eq!(
            hint_for(&empty, Phase::Resolving, &[rubric()], &context).as_deref(),
            Some("Apologise: Say sorry, Maria.")
        );
    }
}
