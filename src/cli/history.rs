//! `frontline history [--trainee NAME]`: a trainee's own attempts, best and last score per scenario, and the
//! trend of every criterion, so they can see themselves improve.

use clap::Args;
use colored::Colorize;

use super::{Context, Status, TextOrJson};
use crate::config;
use crate::history;
use crate::results;
use crate::scoring::Verdict;

/// Options of `frontline history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Whose history [default: FRONTLINE_TRAINEE, else the name frontline remembers].
    #[arg(long, value_name = "NAME", env = "FRONTLINE_TRAINEE")]
    pub trainee: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

fn marks(results: &[Verdict]) -> String {
    results
        .iter()
        .map(|v| match v {
            Verdict::Pass => "✓".green().to_string(),
            Verdict::Fail => "✗".red().to_string(),
            Verdict::Na => "–".to_string(),
        })
        .collect()
}

pub fn run(context: &mut Context, args: &HistoryArgs) -> anyhow::Result<Status> {
    let trainee = args
        .trainee
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| config::load().trainee)
        .unwrap_or_else(|| results::ANONYMOUS.to_string());
    let folder = context.global.results.clone().unwrap_or_else(results::default_folder);
    let history = history::load(&folder, &trainee)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {}", folder.display(), crate::diagnostic::io_reason(&e)))?;
    let out = &mut context.out;
    if args.format == TextOrJson::Json {
        serde_json::to_writer_pretty(&mut *out, &history)?;
        writeln!(out)?;
        return Ok(Status::Success);
    }
    if history.scenarios.is_empty() {
        writeln!(out, "No attempts by {trainee} in {} yet. Start one with: frontline play", folder.display())?;
        return Ok(Status::Success);
    }
    writeln!(out, "{}", format!("── History of {trainee} ").bold())?;
    writeln!(out, "{:<38} {:>18} {:>6} {:>6}  PASSED", "SCENARIO", "ATTEMPTS", "BEST", "LAST")?;
    for line in &history.scenarios {
        let score = |s: Option<f64>| s.map_or("-".to_string(), |s| format!("{s}"));
        let title: String = line.title.chars().take(38).collect();
        let attempts = if line.incomplete > 0 {
            format!("{} ({} incomplete)", line.attempts, line.incomplete)
        } else {
            line.attempts.to_string()
        };
        let passed = if line.passed { "yes".green() } else { "not yet".yellow() };
        writeln!(out, "{title:<38} {attempts:>18} {:>6} {:>6}  {passed}", score(line.best), score(line.last))?;
    }
    if !history.criteria.is_empty() {
        writeln!(out, "\n{}", "Criteria, oldest attempt first (✓ met, ✗ missed):".bold())?;
        for trend in &history.criteria {
            let (passes, of) = trend.recent_passes(3);
            let title: String = trend.title.chars().take(46).collect();
            writeln!(out, "  {title:<46} {:<12} last {of}: {passes} met", marks(&trend.results))?;
        }
    }
    if history.unreadable > 0 {
        writeln!(
            out,
            "\n{} file(s) in the folder could not be read as attempts and were skipped.",
            history.unreadable
        )?;
    }
    Ok(Status::Success)
}
