//! `frontline show`: a scenario as a map (text, Mermaid or Graphviz DOT).

use clap::{Args, ValueEnum};

use super::{Context, Status};
use crate::show;

/// Options of `frontline show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The scenario: an id from `frontline list`, or the path of a scenario YAML file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MapFormat::Text)]
    pub format: MapFormat,
}

/// Formats of `frontline show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MapFormat {
    /// Readable text.
    Text,
    /// A Mermaid flowchart, for wiki pages.
    Mermaid,
    /// A Graphviz digraph (`dot -Tsvg`).
    Dot,
}

pub fn run(context: &mut Context, args: &ShowArgs) -> anyhow::Result<Status> {
    let catalog = context.catalog()?;
    let scenario = catalog.scenario(&args.scenario)?;
    let text = match args.format {
        MapFormat::Text => show::text(&scenario),
        MapFormat::Mermaid => show::mermaid(&scenario),
        MapFormat::Dot => show::dot(&scenario),
    };
    write!(context.out, "{text}")?;
    Ok(Status::Success)
}
