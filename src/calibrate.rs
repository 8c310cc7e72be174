//! Grading the grader: compare a trainer's hand grades with the rubric's, per criterion.
//!
//! The grades are a CSV file with the columns `attempt` (a saved attempt or transcript, relative to the CSV's
//! folder), `criterion` (a criterion id) and `grade` (`pass`, `fail` or `na`); other columns, such as `note`, are
//! ignored. Each attempt is scored again with today's lexicon and rubrics ([`crate::rescore`]); for every
//! criterion the report gives the percent agreement and Cohen's kappa (agreement beyond chance), and lists every
//! disagreement with the rubric's evidence, so the trainer can fix the rubric or the lexicon.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::catalog::Catalog;
use crate::rescore::{RescoreError, rescore};
use crate::scoring::Verdict;

/// One hand grade.
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    /// The CSV line it is on.
    pub line: usize,
    /// The attempt or transcript file.
    pub attempt: PathBuf,
    /// The criterion id.
    pub criterion: String,
    /// The trainer's verdict.
    pub grade: Verdict,
}

/// A problem with the grades file.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// A line of the CSV is wrong.
    #[error("{file}:{line}: {message}")]
    Line {
        /// The grades file.
        file: String,
        /// The line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An attempt could not be scored.
    #[error("{file}:{line}: {source}")]
    Attempt {
        /// The grades file.
        file: String,
        /// The line that names it.
        line: usize,
        /// Why.
        source: RescoreError,
    },
}

/// Splits CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks) into rows with their
/// starting line numbers.
pub fn csv_rows(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let (mut line, mut row_line, mut quoted) = (1, 1, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                if row.iter().any(|f| !f.trim().is_empty()) {
                    rows.push((row_line, std::mem::take(&mut row)));
                }
                row.clear();
                line += 1;
                row_line = line;
            }
            (_, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    row.push(field);
    if row.iter().any(|f| !f.trim().is_empty()) {
        rows.push((row_line, row));
    }
    rows
}

/// Parses a grades file named `file`; attempt paths are taken relative to `base`.
pub fn parse_grades(file: &str, text: &str, base: &Path) -> Result<Vec<Grade>, CalibrateError> {
    let fail = |line: usize, message: String| CalibrateError::Line { file: file.to_string(), line, message };
    let mut rows = csv_rows(text).into_iter();
    let (header_line, header) = rows.next().ok_or_else(|| fail(1, "the file is empty".into()))?;
    let column = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(attempt), Some(criterion), Some(grade)) = (column("attempt"), column("criterion"), column("grade"))
    else {
        return Err(fail(header_line, "the first line names the columns: attempt,criterion,grade".into()));
    };
    let mut grades = Vec::new();
    for (line, row) in rows {
        let cell = |i: usize| row.get(i).map(|s| s.trim()).unwrap_or("");
        if cell(attempt).is_empty() || cell(criterion).is_empty() {
            return Err(fail(line, "each line needs an attempt file and a criterion id".into()));
        }
        let verdict = match cell(grade).to_ascii_lowercase().as_str() {
            "pass" => Verdict::Pass,
            "fail" => Verdict::Fail,
            "na" | "n/a" => Verdict::Na,
            other => return Err(fail(line, format!("grade \"{other}\" is not pass, fail or na"))),
        };
        grades.push(Grade {
            line,
            attempt: base.join(cell(attempt)),
            criterion: cell(criterion).to_string(),
            grade: verdict,
        });
    }
    if grades.is_empty() {
        return Err(fail(header_line, "no grades after the header line".into()));
    }
    Ok(grades)
}

/// Agreement between the trainer and the rubric over some grades.
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    /// The criterion id (`all` for the overall line).
    pub criterion: String,
    /// Its title.
    pub title: String,
    /// Graded pairs.
    pub pairs: usize,
    /// Pairs where both agree.
    pub agreed: usize,
    /// Percent agreement.
    pub percent: f64,
    /// Cohen's kappa; `None` when both used a single, identical category (chance agreement is total).
    pub kappa: Option<f64>,
}

/// One disagreement.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    /// The grades file line.
    pub line: usize,
    /// The attempt.
    pub attempt: String,
    /// The criterion id.
    pub criterion: String,
    /// The trainer's grade.
    pub human: Verdict,
    /// The rubric's result.
    pub rubric: Verdict,
    /// The rubric's feedback sentence (with its evidence).
    pub feedback: String,
}

/// The calibration result.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// Per criterion, in order of first appearance.
    pub criteria: Vec<Agreement>,
    /// Over all pairs.
    pub overall: Agreement,
    /// Every disagreement.
    pub disagreements: Vec<Disagreement>,
}

/// Cohen's kappa over (human, rubric) pairs; `None` when expected agreement is total.
pub fn cohen_kappa(pairs: &[(Verdict, Verdict)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.is_empty() {
        return None;
    }
    let observed = pairs.iter().filter(|(h, r)| h == r).count() as f64 / n;
    let expected: f64 = [Verdict::Pass, Verdict::Fail, Verdict::Na]
        .iter()
        .map(|c| {
            let human = pairs.iter().filter(|(h, _)| h == c).count() as f64 / n;
            let rubric = pairs.iter().filter(|(_, r)| r == c).count() as f64 / n;
            human * rubric
        })
        .sum();
    if (1.0 - expected).abs() < f64::EPSILON {
        return None;
    }
    Some(((observed - expected) / (1.0 - expected) * 1000.0).round() / 1000.0)
}

fn agreement(criterion: &str, title: &str, pairs: &[(Verdict, Verdict)]) -> Agreement {
    let agreed = pairs.iter().filter(|(h, r)| h == r).count();
    Agreement {
        criterion: criterion.to_string(),
        title: title.to_string(),
        pairs: pairs.len(),
        agreed,
        percent: if pairs.is_empty() { 0.0 } else { (1000.0 * agreed as f64 / pairs.len() as f64).round() / 10.0 },
        kappa: cohen_kappa(pairs),
    }
}

/// (trainer, rubric) verdicts for one criterion.
type Pairs = Vec<(Verdict, Verdict)>;

/// Scores every graded attempt again and compares.
pub fn calibrate(
    catalog: &Catalog,
    file: &str,
    grades: &[Grade],
    rubric_ids: &[String],
) -> Result<Calibration, CalibrateError> {
    let mut scored: BTreeMap<PathBuf, crate::rescore::Rescored> = BTreeMap::new();
    // (criterion id, title, pairs), in order of first appearance.
    let mut per_criterion: Vec<(String, String, Pairs)> = Vec::new();
    let mut all = Vec::new();
    let mut disagreements = Vec::new();
    for grade in grades {
        if !scored.contains_key(&grade.attempt) {
            let rescored = rescore(catalog, &grade.attempt, rubric_ids, None)
                .map_err(|source| CalibrateError::Attempt { file: file.to_string(), line: grade.line, source })?;
            scored.insert(grade.attempt.clone(), rescored);
        }
        let card = &scored[&grade.attempt].card;
        let Some(result) = card.criteria.iter().find(|c| c.id == grade.criterion) else {
            let known: Vec<&str> = card.criteria.iter().map(|c| c.id.as_str()).collect();
            return Err(CalibrateError::Line {
                file: file.to_string(),
                line: grade.line,
                message: format!(
                    "no criterion \"{}\" in the rubrics of {}{}",
                    grade.criterion,
                    grade.attempt.display(),
                    crate::diagnostic::suggestion(&grade.criterion, known.iter().copied())
                ),
            });
        };
        let pair = (grade.grade, result.result);
        match per_criterion.iter_mut().find(|(id, _, _)| *id == grade.criterion) {
            Some((_, _, pairs)) => pairs.push(pair),
            None => per_criterion.push((grade.criterion.clone(), result.title.clone(), vec![pair])),
        }
        all.push(pair);
        if pair.0 != pair.1 {
            disagreements.push(Disagreement {
                line: grade.line,
                attempt: grade.attempt.display().to_string(),
                criterion: grade.criterion.clone(),
                human: pair.0,
                rubric: pair.1,
                feedback: result.feedback.clone(),
            });
        }
    }
    Ok(Calibration {
        criteria: per_criterion.iter().map(|(id, title, pairs)| agreement(id, title, pairs)).collect(),
        overall: agreement("all", "All criteria", &all),
        disagreements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Verdict::{Fail, Na, Pass};

    #[test]
    fn kappa_matches_the_textbook() {
        // 10 pairs: both pass 4, both fail 3, human pass/rubric fail 2, human fail/rubric pass 1.
        // observed 0.7; human pass 0.6, rubric pass 0.5; expected 0.6*0.5 + 0.4*0.5 = 0.5; kappa 0.4.
        let mut pairs = vec![(Pass, Pass); 4];
        pairs.extend(vec![(Fail, Fail); 3]);
        pairs.extend(vec![(Pass, Fail); 2]);
        pairs.push((Fail, Pass));
        assert_eq!(cohen_kappa(&pairs), Some(0.4));
        assert_eq!(cohen_kappa(&[(Pass, Pass), (Fail, Fail)]), Some(1.0));
        assert_eq!(cohen_kappa(&[(Na, Na), (Na, Na)]), None, "one category only: chance explains everything");
    }

    #[test]
    fn csv_rows_follow_rfc_4180() {
        let rows = csv_rows(
            "attempt,criterion,grade,note\r\na.json,apologise,pass,\"said \"\"sorry\"\", twice\nover two lines\"\n\nb.json,x,fail\n",
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[1],
            (
                2,
                vec![
                    "a.json".into(),
                    "apologise".into(),
                    "pass".into(),
                    "said \"sorry\", twice\nover two lines".into()
                ]
            )
        );
        assert_eq!(rows[2].0, 5);
    }

    #[test]
    fn bad_grades_are_reported_by_line() {
        let err =
            parse_grades("g.csv", "attempt,criterion,grade\na.json,apologise,maybe\n", Path::new(".")).unwrap_err();
        assert_eq!(err.to_string(), "g.csv:2: grade \"maybe\" is not pass, fail or na");
        let err = parse_grades("g.csv", "file,id,verdict\n", Path::new(".")).unwrap_err();
        assert!(err.to_string().starts_with("g.csv:1: the first line names the columns"));
    }
}
