//! `frontline schema scenario|rubric|lexicon`: the JSON Schema of a file format, for editors.

use clap::Args;

use super::{Context, Status};
use crate::schema::{Format, for_format};

/// Options of `frontline schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which format.
    #[arg(value_enum)]
    pub format: Format,
}

pub fn run(context: &mut Context, args: &SchemaArgs) -> anyhow::Result<Status> {
    write!(context.out, "{}", for_format(args.format))?;
    Ok(Status::Success)
}
