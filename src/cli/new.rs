//! `frontline new scenario|rubric NAME [--from ID]`: scaffolds a commented file that passes `check` as written.

use clap::Args;

use super::{Context, Status};
use crate::scaffold::{self, Kind};

/// Options of `frontline new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    pub kind: Kind,
    /// Its id, which is also the file name: lower-case letters, digits and dashes.
    pub name: String,
    /// Copy this built-in scenario or rubric (an id, or the path of any file) instead of the commented template.
    #[arg(long, value_name = "ID")]
    pub from: Option<String>,
    /// Overwrite the file if it exists, and allow the id of a built-in one (which it then replaces).
    #[arg(long)]
    pub force: bool,
}

pub fn run(context: &mut Context, args: &NewArgs) -> anyhow::Result<Status> {
    let target = match args.kind {
        Kind::Scenario => &context.global.scenarios,
        Kind::Rubric => &context.global.rubrics,
    };
    if let Some(dir) = target {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("could not create {}: {}", dir.display(), crate::diagnostic::io_reason(&e)))?;
    }
    // Only the built-in library: a half-edited file in the target folder must not stop a new one being written.
    let catalog = crate::catalog::Catalog::load(&crate::catalog::Folders::default())?;
    let (dir, built_in) = match args.kind {
        Kind::Scenario => (context.global.scenarios.clone(), catalog.scenarios.iter().any(|s| s.id == args.name)),
        Kind::Rubric => (context.global.rubrics.clone(), catalog.rubrics.iter().any(|r| r.id == args.name)),
    };
    if built_in && !args.force {
        anyhow::bail!(
            "there is already a {} \"{}\"; a new file with that id would replace it. Choose another name, or add --force",
            if args.kind == Kind::Scenario { "scenario" } else { "rubric" },
            args.name
        );
    }
    let dir = dir.unwrap_or_else(|| std::path::PathBuf::from("."));
    let file = dir.join(format!("{}.yaml", args.name));
    let file_name = file.display().to_string();
    let from = match (&args.from, args.kind) {
        (None, _) => None,
        (Some(id), Kind::Scenario) => {
            let scenario = catalog.scenario(id)?;
            Some((scenario.source.file.clone(), scenario.source.text.to_string()))
        }
        (Some(id), Kind::Rubric) => {
            let rubric = catalog.rubric(id)?;
            Some((rubric.source.file.clone(), rubric.source.text.to_string()))
        }
    };
    let text =
        scaffold::render(args.kind, &args.name, &file_name, from.as_ref().map(|(n, t)| (n.as_str(), t.as_str())))?;
    let path = scaffold::write(args.kind, &dir, &args.name, &text, args.force)?;
    let out = &mut context.out;
    writeln!(out, "Wrote {}", path.display())?;
    writeln!(out, "Next: edit it, then")?;
    writeln!(out, "  frontline check {}      # validate it and run its examples", path.display())?;
    if args.kind == Kind::Scenario {
        writeln!(out, "  frontline show {}       # see it as a map", path.display())?;
        writeln!(out, "  frontline play {}       # play it", path.display())?;
    }
    Ok(Status::Success)
}
