//! `frontline calibrate GRADES`: agreement between a trainer's hand grades and the rubric, per criterion, with
//! Cohen's kappa and every disagreement.

use std::path::PathBuf;

use clap::Args;
use colored::Colorize;

use super::{Context, Status, TextOrJson};
use crate::calibrate::{calibrate, parse_grades};
use crate::diagnostic::read_file;
use crate::scoring::Verdict;

/// Options of `frontline calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// A CSV file with the columns attempt,criterion,grade (pass, fail or na); attempt paths are relative to it.
    #[arg(value_name = "GRADES")]
    pub grades: PathBuf,
    /// Score with this rubric id or file instead of each attempt's own (repeatable).
    #[arg(long, value_name = "ID|FILE")]
    pub rubric: Vec<String>,
    /// Exit 1 when a criterion's kappa is below this (for a CI check of the rubrics).
    #[arg(long, value_name = "KAPPA")]
    pub min_kappa: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

/// Landis and Koch's words for a kappa.
fn reading(kappa: Option<f64>) -> &'static str {
    match kappa {
        None => "one grade only",
        Some(k) if k < 0.0 => "worse than chance",
        Some(k) if k <= 0.2 => "slight",
        Some(k) if k <= 0.4 => "fair",
        Some(k) if k <= 0.6 => "moderate",
        Some(k) if k <= 0.8 => "substantial",
        Some(_) => "almost perfect",
    }
}

fn word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Na => "n/a",
    }
}

pub fn run(context: &mut Context, args: &CalibrateArgs) -> anyhow::Result<Status> {
    let catalog = context.catalog()?;
    let file = args.grades.display().to_string();
    let bytes = read_file(&args.grades)?;
    let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{file}: the grades are not UTF-8 text"))?;
    let base = args.grades.parent().map(PathBuf::from).unwrap_or_default();
    let grades = parse_grades(&file, &text, &base)?;
    let result = calibrate(&catalog, &file, &grades, &args.rubric)?;
    let below = args
        .min_kappa
        .map(|min| {
            result
                .criteria
                .iter()
                .filter(|a| a.kappa.is_some_and(|k| k < min))
                .map(|a| a.criterion.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let out = &mut context.out;
    match args.format {
        TextOrJson::Json => {
            serde_json::to_writer_pretty(&mut *out, &result)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            writeln!(out, "{}", format!("── Calibration: {} hand grades against the rubric", grades.len()).bold())?;
            writeln!(out, "{:<42} {:>5} {:>7} {:>6}  READING", "CRITERION", "PAIRS", "AGREE", "KAPPA")?;
            for line in result.criteria.iter().chain(std::iter::once(&result.overall)) {
                let kappa = line.kappa.map_or("-".to_string(), |k| format!("{k:.2}"));
                let title: String = line.title.chars().take(42).collect();
                writeln!(
                    out,
                    "{title:<42} {:>5} {:>6}% {kappa:>6}  {}",
                    line.pairs,
                    line.percent,
                    reading(line.kappa)
                )?;
            }
            if result.disagreements.is_empty() {
                writeln!(out, "\nNo disagreements.")?;
            } else {
                writeln!(out, "\n{}", "Disagreements (fix the rubric or the lexicon, or the grade):".bold())?;
                for d in &result.disagreements {
                    writeln!(
                        out,
                        "  {file}:{}: {} {}: you graded {}, the rubric says {}",
                        d.line,
                        d.attempt,
                        d.criterion,
                        word(d.human).bold(),
                        word(d.rubric).bold()
                    )?;
                    write!(out, "{}", crate::feedback::wrap(&format!("rubric: {}", d.feedback), 4).dimmed())?;
                }
            }
            if !below.is_empty() {
                writeln!(out, "\nBelow --min-kappa: {}", below.join(", "))?;
            }
        }
    }
    Ok(if below.is_empty() { Status::Success } else { Status::Failed })
}
