//! Report exporters for tables, CSV, Markdown and JSON, from one row model per view so the formats never disagree.
//! Per-attempt rows (`--by attempt`) are written as they are read, never held.
//!
//! CSV follows RFC 4180 and neutralises spreadsheet formulas: a text cell starting with `=`, `+`, `-`, `@`, tab or
//! carriage return gets a leading `'`, so a trainee called `=HYPERLINK(...)` stays text.

use std::io::{self, Write};

use colored::Colorize;
use serde_json::{Value, json};

use super::aggregate::{Aggregates, CriterionTotals, mode_name};
use super::{Counts, Filter, Record};

/// What the rows are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum View {
    /// One row per trainee: attempts, best and latest score, pass rate, weakest criterion, trend, readiness.
    Trainee,
    /// One row per scenario: attempts, average, pass rate, the criterion failed most.
    Scenario,
    /// One row per criterion, worst team pass rate first: where training should focus.
    Criterion,
    /// One row per attempt.
    Attempt,
}

/// A cell: text (from people) or a number (ours).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text that may come from users.
    Text(String),
    /// A number or a value frontline generates.
    Number(String),
}

impl Cell {
    fn text(&self) -> &str {
        match self {
            Cell::Text(t) | Cell::Number(t) => t,
        }
    }
}

/// Rows with headers.
#[derive(Debug, Clone)]
pub struct Rows {
    /// Column names.
    pub headers: Vec<&'static str>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

fn number(value: Option<f64>) -> Cell {
    Cell::Number(value.map_or(String::new(), |v| format!("{v}")))
}

fn signed(value: Option<f64>) -> Cell {
    Cell::Number(value.map_or(String::new(), |v| if v > 0.0 { format!("+{v}") } else { format!("{v}") }))
}

fn criterion_cell(criterion: Option<&CriterionTotals>) -> Cell {
    Cell::Text(criterion.map_or(String::new(), |c| {
        format!("{} ({}% met)", c.title, c.tally.rate().map_or("-".into(), |r| r.to_string()))
    }))
}

/// The rows of a grouped view.
pub fn rows(aggregates: &Aggregates, view: View) -> Rows {
    match view {
        View::Trainee => {
            let mut headers =
                vec!["trainee", "attempts", "complete", "best", "latest", "pass_rate", "weakest_criterion", "trend"];
            if aggregates.policy.is_some() {
                headers.push("readiness");
            }
            let rows = aggregates
                .trainees
                .values()
                .map(|t| {
                    let mut row = vec![
                        Cell::Text(t.trainee.clone()),
                        Cell::Number(t.attempts.to_string()),
                        Cell::Number(t.complete.to_string()),
                        number(t.best),
                        number(t.latest_score()),
                        number(t.pass_rate()),
                        criterion_cell(t.weakest()),
                        signed(t.trend()),
                    ];
                    if let Some(readiness) = aggregates.readiness(t) {
                        let text = if readiness.ready {
                            "ready".to_string()
                        } else {
                            format!("missing {}", readiness.missing.join("; "))
                        };
                        row.push(Cell::Text(text));
                    }
                    row
                })
                .collect();
            Rows { headers, rows }
        }
        View::Scenario => Rows {
            headers: vec!["scenario", "title", "attempts", "complete", "average", "pass_rate", "most_failed_criterion"],
            rows: aggregates
                .scenarios
                .values()
                .map(|s| {
                    vec![
                        Cell::Text(s.scenario.clone()),
                        Cell::Text(s.title.clone()),
                        Cell::Number(s.attempts.to_string()),
                        Cell::Number(s.complete.to_string()),
                        number(s.average()),
                        number(s.pass_rate()),
                        criterion_cell(s.most_failed()),
                    ]
                })
                .collect(),
        },
        View::Criterion | View::Attempt => Rows {
            headers: vec!["criterion", "title", "rubric", "pass_rate", "met", "missed", "na"],
            rows: aggregates
                .criteria_worst_first()
                .into_iter()
                .map(|c| {
                    vec![
                        Cell::Text(c.id.clone()),
                        Cell::Text(c.title.clone()),
                        Cell::Text(c.rubric.clone()),
                        number(c.tally.rate()),
                        Cell::Number(c.tally.pass.to_string()),
                        Cell::Number(c.tally.fail.to_string()),
                        Cell::Number(c.tally.na.to_string()),
                    ]
                })
                .collect(),
        },
    }
}

/// One line saying what was read.
pub fn footer(counts: &Counts) -> String {
    format!(
        "{} attempt(s) from {} file(s); {} unreadable file(s) skipped, {} duplicate(s) counted once, {} left out by filters",
        counts.attempts, counts.files, counts.skipped, counts.duplicates, counts.filtered_out
    )
}

fn width(text: &str) -> usize {
    text.chars().count()
}

/// An aligned table; numbers right-aligned.
pub fn table(rows: &Rows, counts: &Counts) -> String {
    let mut widths: Vec<usize> = rows.headers.iter().map(|h| width(h)).collect();
    for row in &rows.rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(width(cell.text()).min(48));
        }
    }
    let mut out = String::new();
    let header: Vec<String> =
        rows.headers.iter().enumerate().map(|(i, h)| format!("{:w$}", h.to_uppercase(), w = widths[i])).collect();
    out.push_str(&format!("{}\n", header.join("  ").trim_end().bold()));
    for row in &rows.rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let text: String = cell.text().chars().take(48).collect();
                match cell {
                    Cell::Number(_) => format!("{text:>w$}", w = widths[i]),
                    Cell::Text(_) if text == "ready" => format!("{:w$}", text.green(), w = widths[i]),
                    Cell::Text(_) if text.starts_with("missing ") => format!("{:w$}", text.yellow(), w = widths[i]),
                    Cell::Text(_) => format!("{text:w$}", w = widths[i]),
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(&format!("\n{}\n", footer(counts).dimmed()));
    out
}

/// Neutralises a text cell a spreadsheet would run as a formula.
pub fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

/// One RFC 4180 field.
fn csv_field(cell: &Cell) -> String {
    let text = match cell {
        Cell::Text(t) => defuse(t),
        Cell::Number(n) => n.clone(),
    };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

fn csv_line(cells: &[Cell]) -> String {
    let fields: Vec<String> = cells.iter().map(csv_field).collect();
    format!("{}\r\n", fields.join(","))
}

/// CSV with a header row (RFC 4180: CRLF line ends).
pub fn csv(rows: &Rows) -> String {
    let mut out = csv_line(&rows.headers.iter().map(|h| Cell::Number(h.to_string())).collect::<Vec<_>>());
    for row in &rows.rows {
        out.push_str(&csv_line(row));
    }
    out
}

fn md_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;").replace(['\n', '\r'], " ")
}

/// A Markdown table with a footer line.
pub fn markdown(rows: &Rows, counts: &Counts, title: &str) -> String {
    let mut out = format!("## {title}\n\n| {} |\n", rows.headers.join(" | "));
    let aligns: Vec<&str> = rows
        .rows
        .first()
        .map(|r| r.iter().map(|c| if matches!(c, Cell::Number(_)) { "---:" } else { "---" }).collect())
        .unwrap_or_else(|| rows.headers.iter().map(|_| "---").collect());
    out.push_str(&format!("| {} |\n", aligns.join(" | ")));
    for row in &rows.rows {
        let cells: Vec<String> = row.iter().map(|c| md_escape(c.text())).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push_str(&format!("\n_{}_\n", footer(counts)));
    out
}

fn criterion_json(c: &CriterionTotals) -> Value {
    json!({ "id": c.id, "rubric": c.rubric, "title": c.title, "pass_rate": c.tally.rate(), "met": c.tally.pass, "missed": c.tally.fail, "na": c.tally.na })
}

/// The whole aggregate as JSON (documented in docs/json-output.md).
pub fn json(aggregates: &Aggregates, counts: &Counts, filter: &Filter) -> Value {
    let trainees: Vec<Value> = aggregates
        .trainees
        .values()
        .map(|t| {
            let readiness = aggregates.readiness(t);
            json!({
                "trainee": t.trainee,
                "attempts": t.attempts,
                "complete": t.complete,
                "passed": t.passed,
                "pass_rate": t.pass_rate(),
                "best": t.best,
                "latest": t.latest_score(),
                "trend": t.trend(),
                "weakest": t.weakest().map(criterion_json),
                "ready": readiness.as_ref().map(|r| r.ready),
                "missing": readiness.map(|r| r.missing),
            })
        })
        .collect();
    let scenarios: Vec<Value> = aggregates
        .scenarios
        .values()
        .map(|s| {
            json!({
                "scenario": s.scenario,
                "title": s.title,
                "attempts": s.attempts,
                "complete": s.complete,
                "passed": s.passed,
                "average": s.average(),
                "pass_rate": s.pass_rate(),
                "most_failed": s.most_failed().map(criterion_json),
            })
        })
        .collect();
    let criteria: Vec<Value> = aggregates.criteria_worst_first().into_iter().map(criterion_json).collect();
    let grid: Vec<Value> = aggregates
        .grid
        .iter()
        .map(|((trainee, scenario), cell)| json!({ "trainee": trainee, "scenario": scenario, "attempts": cell.attempts, "best": cell.best, "passed": cell.passed }))
        .collect();
    json!({
        "schema": "frontline/report@1",
        "filters": {
            "trainee": filter.trainee,
            "scenario": filter.scenario,
            "since": filter.since.map(|d| crate::clock::format_rfc3339((d * 86_400) as u64)[..10].to_string()),
            "until": filter.until.map(|d| crate::clock::format_rfc3339((d * 86_400) as u64)[..10].to_string()),
            "mode": filter.mode.map(mode_name),
        },
        "policy": aggregates.policy.as_ref().map(|p| json!({ "mode": mode_name(p.mode), "mark": p.mark, "require": p.require })),
        "counts": counts,
        "trainees": trainees,
        "scenarios": scenarios,
        "criteria": criteria,
        "grid": grid,
    })
}

/// Writes one row per attempt as it is read.
pub struct AttemptRows<'a> {
    out: &'a mut dyn Write,
    format: AttemptFormat,
    written: usize,
}

/// The formats of per-attempt rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptFormat {
    /// Tab-aligned text.
    Table,
    /// CSV.
    Csv,
    /// Markdown.
    Markdown,
    /// A JSON array.
    Json,
}

const ATTEMPT_HEADERS: [&str; 9] =
    ["started_at", "trainee", "scenario", "mode", "status", "score", "passed", "ending", "duration_s"];

impl<'a> AttemptRows<'a> {
    /// Starts the output (header, or `[`).
    pub fn start(out: &'a mut dyn Write, format: AttemptFormat) -> io::Result<Self> {
        match format {
            AttemptFormat::Csv => write!(out, "{}", csv_line(&ATTEMPT_HEADERS.map(|h| Cell::Number(h.into()))))?,
            AttemptFormat::Markdown => {
                writeln!(out, "| {} |", ATTEMPT_HEADERS.join(" | "))?;
                writeln!(out, "|{}", " --- |".repeat(ATTEMPT_HEADERS.len()))?;
            }
            AttemptFormat::Table => writeln!(out, "{}", ATTEMPT_HEADERS.join("\t").to_uppercase())?,
            AttemptFormat::Json => write!(out, "[")?,
        }
        Ok(AttemptRows { out, format, written: 0 })
    }

    /// Writes one attempt.
    pub fn row(&mut self, record: &Record) -> io::Result<()> {
        let cells = [
            Cell::Number(record.started_at.clone()),
            Cell::Text(record.trainee.clone()),
            Cell::Text(record.scenario.clone()),
            Cell::Number(mode_name(record.mode).into()),
            Cell::Number(if record.is_complete() { "complete" } else { "incomplete" }.into()),
            Cell::Number(format!("{}", record.score)),
            Cell::Number(record.passed.to_string()),
            Cell::Text(record.ending.as_ref().map_or(String::new(), |e| e.id.clone())),
            Cell::Number(record.duration_ms().map_or(String::new(), |ms| format!("{}", ms as f64 / 1000.0))),
        ];
        match self.format {
            AttemptFormat::Csv => write!(self.out, "{}", csv_line(&cells))?,
            AttemptFormat::Markdown => {
                let texts: Vec<String> = cells.iter().map(|c| md_escape(c.text())).collect();
                writeln!(self.out, "| {} |", texts.join(" | "))?;
            }
            AttemptFormat::Table => {
                let texts: Vec<String> = cells.iter().map(|c| c.text().replace(['\t', '\n'], " ")).collect();
                writeln!(self.out, "{}", texts.join("\t"))?;
            }
            AttemptFormat::Json => {
                let value = json!({
                    "started_at": record.started_at, "trainee": record.trainee, "scenario": record.scenario,
                    "mode": mode_name(record.mode), "complete": record.is_complete(), "score": record.score,
                    "passed": record.passed, "ending": record.ending.as_ref().map(|e| e.id.clone()),
                    "duration_ms": record.duration_ms(),
                });
                let separator = if self.written == 0 { "\n  " } else { ",\n  " };
                write!(self.out, "{separator}{value}")?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Ends the output.
    pub fn finish(self) -> io::Result<()> {
        if self.format == AttemptFormat::Json {
            writeln!(self.out, "{}]", if self.written == 0 { "" } else { "\n" })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_text_but_not_numbers() {
        let rows = Rows {
            headers: vec!["name", "trend"],
            rows: vec![
                vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Number("-5".into())],
                vec![Cell::Text("O'Neil, \"Sam\"".into()), Cell::Number("+3".into())],
                vec![Cell::Text("@sum".into()), Cell::Number("2".into())],
            ],
        };
        assert_eq!(
            csv(&rows),
            "name,trend\r\n\"'=HYPERLINK(\"\"x\"\")\",-5\r\n\"O'Neil, \"\"Sam\"\"\",+3\r\n'@sum,2\r\n"
        );
    }

    #[test]
    fn markdown_escapes_pipes_and_tags() {
        assert_eq!(md_escape("a|b <script>"), "a\\|b &lt;script&gt;");
    }
}
