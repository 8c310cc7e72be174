//! `frontline list`: the scenarios available, as a table or JSON.

use clap::{Args, ValueEnum};
use colored::Colorize;
use serde::Serialize;

use super::{Context, Status};

/// Options of `frontline list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only scenarios with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// Formats of `frontline list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// An aligned table.
    Table,
    /// A JSON array.
    Json,
}

/// One row of the JSON listing.
#[derive(Debug, Serialize)]
struct Entry<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    difficulty: u8,
    tags: &'a [String],
    customer: &'a str,
    rubric: &'a [String],
    file: &'a str,
}

pub fn run(context: &mut Context, args: &ListArgs) -> anyhow::Result<Status> {
    let catalog = context.catalog()?;
    let scenarios: Vec<_> = catalog
        .scenarios
        .iter()
        .filter(|s| args.tag.as_ref().is_none_or(|t| s.tags.iter().any(|x| x.eq_ignore_ascii_case(t))))
        .collect();
    let out = &mut context.out;
    match args.format {
        ListFormat::Json => {
            let entries: Vec<Entry> = scenarios
                .iter()
                .map(|s| Entry {
                    id: &s.id,
                    title: &s.title,
                    summary: &s.summary,
                    difficulty: s.difficulty,
                    tags: &s.tags,
                    customer: &s.customer.name,
                    rubric: &s.rubric.0,
                    file: &s.source.file,
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &entries)?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            if scenarios.is_empty() {
                writeln!(out, "No scenarios match.")?;
                return Ok(Status::Success);
            }
            let id_width = scenarios.iter().map(|s| s.id.len()).max().unwrap_or(2).max(2);
            let title_width = scenarios.iter().map(|s| s.title.chars().count()).max().unwrap_or(5).clamp(5, 44);
            writeln!(
                out,
                "{}",
                format!("{:id_width$}  {:title_width$}  {:10}  TAGS", "ID", "TITLE", "DIFFICULTY").bold()
            )?;
            for s in scenarios {
                let title: String = s.title.chars().take(title_width).collect();
                let stars = format!("{}{}", "★".repeat(s.difficulty.into()), "☆".repeat(5 - usize::from(s.difficulty)));
                writeln!(
                    out,
                    "{:id_width$}  {title:title_width$}  {stars} {}/5  {}",
                    s.id.cyan(),
                    s.difficulty,
                    s.tags.join(", ")
                )?;
            }
            writeln!(out, "\nPlay one with: frontline play ID")?;
        }
    }
    Ok(Status::Success)
}
