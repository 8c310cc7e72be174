//! `frontline report`: a team's attempts aggregated: who is ready, which skills fail most, per scenario, per
//! attempt; as a table, CSV, JSON, Markdown, a self-contained HTML page, or xAPI statements.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Context, Status};
use crate::clock;
use crate::diagnostic::{load_document, read_file};
use crate::report::export::{self, AttemptFormat, AttemptRows, View};
use crate::report::xapi::{self, Statements};
use crate::report::{self, Filter, Policy};
use crate::results::{self, Mode};

/// Options of `frontline report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Results folders or attempt files, searched recursively [default: the results folder].
    #[arg(value_name = "RESULTS")]
    pub paths: Vec<PathBuf>,
    /// One row per trainee, scenario, criterion (worst first) or attempt.
    #[arg(long, value_enum, default_value_t = View::Trainee)]
    pub by: View,
    /// Only this trainee.
    #[arg(long, value_name = "NAME")]
    pub trainee: Option<String>,
    /// Only this scenario id.
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// Only attempts started on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only attempts started on or before this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only attempts in this mode.
    #[arg(long, value_enum)]
    pub mode: Option<ModeFilter>,
    /// A readiness policy file (schema frontline/policy@1): the scenarios each trainee must pass.
    #[arg(long, value_name = "FILE", conflicts_with = "require")]
    pub policy: Option<PathBuf>,
    /// A scenario each trainee must pass to be ready (repeatable; test-mode attempts count).
    #[arg(long, value_name = "ID")]
    pub require: Vec<String>,
    /// With --require: the score needed [default: the attempt passed].
    #[arg(long, value_name = "SCORE", requires = "require")]
    pub mark: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output (replaced atomically).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// xAPI: the home page of actor accounts and the base of activity IRIs.
    #[arg(long, value_name = "URL", default_value = xapi::DEFAULT_BASE)]
    pub xapi_base: String,
}

/// The mode filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeFilter {
    /// Practice attempts.
    Practice,
    /// Test attempts.
    Test,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// An aligned table.
    Table,
    /// CSV (RFC 4180), safe to open in a spreadsheet.
    Csv,
    /// JSON (documented in docs/json-output.md).
    Json,
    /// Markdown, for a wiki or a chat.
    Md,
    /// One self-contained HTML page with charts.
    Html,
    /// xAPI 1.0.3 statements for an LMS or Learning Record Store.
    Xapi,
}

fn date(text: &Option<String>, flag: &str) -> anyhow::Result<Option<i64>> {
    text.as_deref()
        .map(|t| {
            clock::parse_date(t)
                .ok_or_else(|| anyhow::anyhow!("{flag} {t}: write the date as YYYY-MM-DD, such as 2026-12-01"))
        })
        .transpose()
}

fn policy(args: &ReportArgs) -> anyhow::Result<Option<Policy>> {
    if let Some(path) = &args.policy {
        let name = path.display().to_string();
        let (policy, _): (Policy, _) = load_document(&name, &read_file(path)?)?;
        return Ok(Some(policy));
    }
    if args.require.is_empty() {
        return Ok(None);
    }
    if args.mark.is_some_and(|m| !(0.0..=100.0).contains(&m)) {
        anyhow::bail!("--mark is a score from 0 to 100");
    }
    Ok(Some(Policy { schema: None, mode: Mode::Test, mark: args.mark, require: args.require.clone() }))
}

/// The temporary file behind `--out`: removed if the report fails before it is renamed into place.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Where per-attempt output goes while reading.
enum Sink<'a> {
    Statements(Statements<'a>),
    Rows(AttemptRows<'a>),
    Nothing,
}

impl Sink<'_> {
    fn add(&mut self, record: &report::Record) -> std::io::Result<()> {
        match self {
            Sink::Statements(statements) => statements.add(record),
            Sink::Rows(rows) => rows.row(record),
            Sink::Nothing => Ok(()),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Statements(statements) => {
                let left_out = statements.finish()?;
                if left_out > 0 {
                    eprintln!("note: {left_out} incomplete attempt(s) have no xAPI statement");
                }
                Ok(())
            }
            Sink::Rows(rows) => rows.finish(),
            Sink::Nothing => Ok(()),
        }
    }
}

pub fn run(context: &mut Context, args: &ReportArgs) -> anyhow::Result<Status> {
    let filter = Filter {
        trainee: args.trainee.clone(),
        scenario: args.scenario.clone(),
        since: date(&args.since, "--since")?,
        until: date(&args.until, "--until")?,
        mode: args.mode.map(|m| match m {
            ModeFilter::Practice => Mode::Practice,
            ModeFilter::Test => Mode::Test,
        }),
    };
    let policy = policy(args)?;
    let paths = if args.paths.is_empty() {
        vec![context.global.results.clone().unwrap_or_else(results::default_folder)]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if !path.exists() {
            anyhow::bail!("{}: no such file or folder", path.display());
        }
    }

    // Output goes to a temporary file beside --out, renamed into place at the end.
    let mut file_out = match &args.out {
        Some(path) => {
            colored::control::set_override(false);
            let temp = path.with_file_name(format!(
                ".{}.{}.tmp",
                path.file_name().map_or("report".into(), |n| n.to_string_lossy()),
                std::process::id()
            ));
            let file = std::fs::File::create(&temp).map_err(|e| {
                anyhow::anyhow!("cannot write {}: {}", path.display(), crate::diagnostic::io_reason(&e))
            })?;
            Some((TempFile(temp), std::io::BufWriter::new(file)))
        }
        None => None,
    };
    let out: &mut dyn Write = match &mut file_out {
        Some((_, writer)) => writer,
        None => &mut *context.out,
    };

    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    spinner.set_message("reading attempts…");
    let mut on_progress = |files: usize| {
        spinner.set_message(format!("reading attempts: {files} files"));
        spinner.tick();
    };
    let mut on_skip = |skipped: report::Skipped| {
        spinner.suspend(|| eprintln!("warning: {}: skipped: {}", skipped.path.display(), skipped.reason));
    };

    let streaming_rows = args.by == View::Attempt && !matches!(args.format, ReportFormat::Html | ReportFormat::Xapi);
    // Per-attempt outputs are written while reading; grouped ones after.
    let mut sink = if args.format == ReportFormat::Xapi {
        Sink::Statements(Statements::start(out, &args.xapi_base)?)
    } else if streaming_rows {
        let format = match args.format {
            ReportFormat::Csv => AttemptFormat::Csv,
            ReportFormat::Md => AttemptFormat::Markdown,
            ReportFormat::Json => AttemptFormat::Json,
            _ => AttemptFormat::Table,
        };
        Sink::Rows(AttemptRows::start(out, format)?)
    } else {
        Sink::Nothing
    };
    let mut write_error: Option<std::io::Error> = None;
    let (aggregates, counts) = report::read(
        &paths,
        &filter,
        policy.as_ref(),
        &mut |record| {
            if write_error.is_none()
                && let Err(e) = sink.add(record)
            {
                write_error = Some(e);
            }
        },
        &mut on_skip,
        &mut on_progress,
    );
    sink.finish()?;
    spinner.finish_and_clear();
    if let Some(error) = write_error {
        return Err(error.into());
    }

    let out: &mut dyn Write = match &mut file_out {
        Some((_, writer)) => writer,
        None => &mut *context.out,
    };
    if !streaming_rows && args.format != ReportFormat::Xapi {
        let title = match args.by {
            View::Trainee => "Trainees",
            View::Scenario => "Scenarios",
            View::Criterion | View::Attempt => "Criteria, worst first",
        };
        match args.format {
            ReportFormat::Table => write!(out, "{}", export::table(&export::rows(&aggregates, args.by), &counts))?,
            ReportFormat::Csv => write!(out, "{}", export::csv(&export::rows(&aggregates, args.by)))?,
            ReportFormat::Md => {
                write!(out, "{}", export::markdown(&export::rows(&aggregates, args.by), &counts, title))?
            }
            ReportFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &export::json(&aggregates, &counts, &filter))?;
                writeln!(out)?;
            }
            ReportFormat::Html => {
                let page =
                    crate::report::html::page(&aggregates, &counts, "frontline team report", &clock::now_rfc3339());
                write!(out, "{page}")?;
            }
            ReportFormat::Xapi => {}
        }
    }
    if matches!(args.format, ReportFormat::Csv | ReportFormat::Json | ReportFormat::Xapi | ReportFormat::Html)
        || streaming_rows
    {
        eprintln!("{}", export::footer(&counts));
    }
    if let Some((temp, mut writer)) = file_out {
        writer.flush()?;
        drop(writer);
        let target = args.out.as_ref().expect("file output has a path");
        std::fs::rename(&temp.0, target)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {}", target.display(), crate::diagnostic::io_reason(&e)))?;
        std::mem::forget(temp);
        eprintln!("Wrote {}", target.display());
    }
    Ok(Status::Success)
}
