//! Saved attempts: the [`Attempt`] record and the results folder it is written to.
//!
//! One JSON file per attempt, `<results>/<trainee>/<UTC time>-<scenario>.json`, written atomically (a temporary
//! file in the same folder, then a rename) and never over an existing file. Trainee and scenario names are
//! sanitised, so no name can write outside the results folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::rubric::Rubric;
use crate::scenario::Scenario;
use crate::scoring::{self, CriterionResult, RubricScore, ScoreContext, Scorecard};
use crate::transcript::{EndingReached, Transcript, Turn};

/// The schema line of a saved attempt.
pub const ATTEMPT_SCHEMA: &str = "frontline/attempt@1";

/// Practice (mood shown, hints allowed) or test (for certification).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Practice.
    #[default]
    Practice,
    /// Test.
    Test,
}

/// Whether the attempt reached an ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// An ending was reached.
    Complete,
    /// The attempt stopped first (script ran out, the trainee quit).
    Incomplete,
}

/// One played attempt, as saved and as printed by `--format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// Always `frontline/attempt@1`.
    pub schema: String,
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub scenario_title: String,
    /// Trainee name as given.
    pub trainee: String,
    /// Seed of the `one_of` picks; the same seed and replies replay the same conversation.
    pub seed: u64,
    /// practice or test.
    pub mode: Mode,
    /// When the attempt started (UTC, RFC 3339).
    pub started_at: String,
    /// When it finished (UTC, RFC 3339).
    pub finished_at: String,
    /// complete or incomplete.
    pub status: Status,
    /// How the conversation ended (null when incomplete).
    pub ending: Option<EndingReached>,
    /// Weighted score 0-100.
    pub score: f64,
    /// Complete, a good ending, and every rubric passed.
    pub passed: bool,
    /// Per-rubric totals.
    pub rubrics: Vec<RubricScore>,
    /// Every criterion with its result and evidence.
    pub criteria: Vec<CriterionResult>,
    /// The conversation.
    pub turns: Vec<Turn>,
    /// Hints used (practice mode), each with the reply it came before.
    #[serde(default)]
    pub hints: Vec<HintUsed>,
    /// Points taken off the score for hints.
    #[serde(default)]
    pub hint_penalty: f64,
}

/// A hint the trainee asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HintUsed {
    /// The reply number it was given before (from 1).
    pub before_reply: usize,
    /// The hint.
    pub text: String,
}

/// What identifies an attempt besides its conversation.
#[derive(Debug, Clone)]
pub struct AttemptMeta {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub scenario_title: String,
    /// Trainee name.
    pub trainee: String,
    /// Seed.
    pub seed: u64,
    /// Mode.
    pub mode: Mode,
    /// Start time (RFC 3339).
    pub started_at: String,
}

/// The trainee name used when none is given.
pub const ANONYMOUS: &str = "anonymous";

impl Attempt {
    /// Scores a transcript of `scenario` against `rubrics` and puts the attempt together.
    pub fn scored(meta: AttemptMeta, transcript: Transcript, scenario: &Scenario, rubrics: &[Rubric]) -> Self {
        Attempt::scored_with_hints(meta, transcript, scenario, rubrics, Vec::new())
    }

    /// As [`Attempt::scored`], with hints used: each costs its rubric's `hint_cost` points, and a rubric pushed
    /// below its pass mark by them no longer passes.
    pub fn scored_with_hints(
        meta: AttemptMeta,
        transcript: Transcript,
        scenario: &Scenario,
        rubrics: &[Rubric],
        hints: Vec<HintUsed>,
    ) -> Self {
        let refs: Vec<&Rubric> = rubrics.iter().collect();
        let mut card = scoring::score(&transcript, &refs, &ScoreContext::for_scenario(scenario));
        let used = hints.len() as f64;
        let mut penalty: f64 = 0.0;
        for (score, rubric) in card.rubrics.iter_mut().zip(rubrics) {
            let cost = used * rubric.hint_cost;
            penalty = penalty.max(cost);
            score.score = (score.score - cost).max(0.0);
            score.passed &= score.score >= score.pass_mark;
        }
        card.score = ((card.score - penalty).max(0.0) * 10.0).round() / 10.0;
        card.passed = !card.rubrics.is_empty() && card.rubrics.iter().all(|r| r.passed);
        let mut attempt = Attempt::new(meta, transcript, card);
        attempt.hints = hints;
        attempt.hint_penalty = penalty;
        attempt
    }

    /// Puts an attempt together; it passes only when complete, with a good ending, and every rubric passed.
    pub fn new(meta: AttemptMeta, transcript: Transcript, card: Scorecard) -> Self {
        let complete = transcript.is_complete();
        let good_ending = transcript.ending.as_ref().is_some_and(|e| e.success);
        Attempt {
            schema: ATTEMPT_SCHEMA.into(),
            scenario: meta.scenario,
            scenario_title: meta.scenario_title,
            trainee: meta.trainee,
            seed: meta.seed,
            mode: meta.mode,
            started_at: meta.started_at,
            finished_at: now_rfc3339(),
            status: if complete { Status::Complete } else { Status::Incomplete },
            passed: complete && good_ending && card.passed,
            ending: transcript.ending,
            score: card.score,
            rubrics: card.rubrics,
            criteria: card.criteria,
            turns: transcript.turns,
            hints: Vec::new(),
            hint_penalty: 0.0,
        }
    }
}

impl AttemptMeta {
    /// The identity of an attempt at `scenario`; an empty trainee name becomes [`ANONYMOUS`].
    pub fn new(scenario: &Scenario, trainee: Option<&str>, seed: u64, mode: Mode, started_at: String) -> Self {
        AttemptMeta {
            scenario: scenario.id.clone(),
            scenario_title: scenario.title.clone(),
            trainee: trainee.map(str::trim).filter(|t| !t.is_empty()).unwrap_or(ANONYMOUS).to_string(),
            seed,
            mode,
            started_at,
        }
    }
}

/// Failure to save an attempt.
#[derive(Debug, thiserror::Error)]
#[error("could not save the attempt in {folder}: {reason}; choose a writable folder with --results DIR")]
pub struct SaveError {
    /// The folder it tried.
    pub folder: String,
    /// Why.
    pub reason: String,
}

/// Makes a name safe as one path component: letters, digits, `-`, `_` and `.` (not leading), at most 64
/// characters; anything else becomes `_`. An empty result is `anonymous`.
pub fn sanitize_name(name: &str) -> String {
    let mut out: String = name
        .trim()
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' })
        .take(64)
        .collect();
    while out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    if out.chars().all(|c| c == '_') {
        return "anonymous".into();
    }
    out
}

/// Saves `attempt` under `folder` and returns the file's path.
pub fn save(folder: &Path, attempt: &Attempt) -> Result<PathBuf, SaveError> {
    let fail = |reason: String| SaveError { folder: folder.display().to_string(), reason };
    let dir = folder.join(sanitize_name(&attempt.trainee));
    std::fs::create_dir_all(&dir).map_err(|e| fail(crate::diagnostic::io_reason(&e)))?;
    let stamp = attempt.started_at.replace(':', "-");
    let base = format!("{stamp}-{}", sanitize_name(&attempt.scenario));
    let json = serde_json::to_vec_pretty(attempt).map_err(|e| fail(e.to_string()))?;

    let temp = dir.join(format!(".{base}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(&json)?;
        file.write_all(b"\n")?;
        file.sync_all()
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(crate::diagnostic::io_reason(&e)));
    }
    for n in 1..1000 {
        let name = if n == 1 { format!("{base}.json") } else { format!("{base}-{n}.json") };
        let target = dir.join(name);
        // hard_link fails if the target exists, so an earlier attempt is never overwritten.
        match std::fs::hard_link(&temp, &target) {
            Ok(()) => {
                let _ = std::fs::remove_file(&temp);
                return Ok(target);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) if !target.exists() => {
                // Filesystems without hard links: rename (the existence check above keeps it no-clobber).
                return std::fs::rename(&temp, &target).map(|()| target).map_err(|e| {
                    let _ = std::fs::remove_file(&temp);
                    fail(crate::diagnostic::io_reason(&e))
                });
            }
            Err(_) => continue,
        }
    }
    let _ = std::fs::remove_file(&temp);
    Err(fail("too many attempts with the same name and second".into()))
}

/// The default results folder: the platform's data folder (`~/.local/share/frontline/results` on Linux), or
/// `./frontline-results` when there is none.
pub fn default_folder() -> PathBuf {
    dirs::data_dir().map_or_else(|| PathBuf::from("frontline-results"), |d| d.join("frontline").join("results"))
}

pub use crate::clock::now_rfc3339;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_inside_the_folder() {
        assert_eq!(sanitize_name("../../x"), "_._.._x");
        assert_eq!(sanitize_name("..\\..\\x"), "_._.._x");
        assert_eq!(sanitize_name("/etc/passwd"), "_etc_passwd");
        assert_eq!(sanitize_name("  "), "anonymous");
        assert_eq!(sanitize_name(".."), "_.");
        assert_eq!(sanitize_name("Zoë O'Neil"), "Zoë_O_Neil");
        assert_eq!(sanitize_name(&"a".repeat(300)).len(), 64);
    }
}
