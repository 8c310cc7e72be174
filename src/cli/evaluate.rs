//! `frontline evaluate SET...`: the signal detector measured on labelled replies: precision, recall and F1 per
//! signal, and the replies it got wrong. The sets are named on the command line (the project's own are in
//! tests/data/, not in the binary).

use std::path::PathBuf;

use clap::Args;
use colored::Colorize;

use super::{Context, Status, TextOrJson};
use crate::diagnostic::{load_document, read_file};
use crate::evaluation::{EvaluationSet, SignalScore, evaluate};

/// Options of `frontline evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// Evaluation set files (schema frontline/evaluation@1); each is reported on its own.
    #[arg(value_name = "SET", required = true)]
    pub sets: Vec<PathBuf>,
    /// Exit 1 when a signal's precision or recall is below this (0-1).
    #[arg(long, value_name = "FLOOR")]
    pub floor: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

pub fn run(context: &mut Context, args: &EvaluateArgs) -> anyhow::Result<Status> {
    let catalog = context.catalog()?;
    let mut below = Vec::new();
    let mut reports = Vec::new();
    for path in &args.sets {
        let name = path.display().to_string();
        let (set, source): (EvaluationSet, _) = load_document(&name, &read_file(path)?)?;
        let problems = set.check_references(&catalog.detector);
        if !problems.is_empty() {
            return Err(source.errors(problems).into());
        }
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let evaluation = evaluate(&set, &file_name, &catalog.detector);
        if let Some(floor) = args.floor {
            for score in &evaluation.signals {
                if score.precision() < floor || score.recall() < floor {
                    below.push(format!("{name}: {}", score.signal));
                }
            }
        }
        reports.push((name, evaluation));
    }
    let out = &mut context.out;
    match args.format {
        TextOrJson::Json => {
            let value: Vec<serde_json::Value> = reports
                .iter()
                .map(|(name, e)| {
                    let signals: Vec<serde_json::Value> = e.signals.iter().map(score_json).collect();
                    serde_json::json!({
                        "set": name,
                        "replies": e.replies,
                        "signals": signals,
                        "overall": score_json(&e.overall()),
                        "misses": e.misses,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            for (name, evaluation) in &reports {
                writeln!(out, "{}", format!("── {name}: {} labelled replies", evaluation.replies).bold())?;
                writeln!(out, "{:<22} {:>9} {:>7} {:>6}   TP  FP  FN  TN", "SIGNAL", "PRECISION", "RECALL", "F1")?;
                for score in &evaluation.signals {
                    writeln!(out, "{}", score_row(score))?;
                }
                writeln!(out, "{}", score_row(&evaluation.overall()).bold())?;
                if !evaluation.misses.is_empty() {
                    writeln!(out, "\nMisclassified:")?;
                    for miss in &evaluation.misses {
                        let mut why = Vec::new();
                        if !miss.missed.is_empty() {
                            why.push(format!("missed {}", miss.missed.join(", ")));
                        }
                        if !miss.wrongly_fired.is_empty() {
                            why.push(format!("wrongly fired {}", miss.wrongly_fired.join(", ")));
                        }
                        writeln!(out, "  \"{}\": {}", miss.text, why.join("; "))?;
                    }
                }
                writeln!(out)?;
            }
            if !below.is_empty() {
                writeln!(out, "Below the floor: {}", below.join(", "))?;
            }
        }
    }
    Ok(if below.is_empty() { Status::Success } else { Status::Failed })
}

/// One score as a JSON object: its figures and its counts.
fn score_json(score: &SignalScore) -> serde_json::Value {
    serde_json::json!({
        "signal": score.signal,
        "precision": score.precision(),
        "recall": score.recall(),
        "f1": score.f1(),
        "counts": score,
    })
}

/// One row of the text table.
fn score_row(score: &SignalScore) -> String {
    format!(
        "{:<22} {:>9.3} {:>7.3} {:>6.3} {:>4} {:>3} {:>3} {:>3}",
        score.signal,
        score.precision(),
        score.recall(),
        score.f1(),
        score.true_positives,
        score.false_positives,
        score.false_negatives,
        score.true_negatives
    )
}
