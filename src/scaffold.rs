//! `frontline new`: a commented scenario or rubric file that passes `frontline check` as written.
//!
//! The templates live in `templates/` (data, embedded in the binary); `--from ID` copies an existing scenario or
//! rubric instead. Each file starts with a `# yaml-language-server: $schema=...` comment pointing at a copy of the
//! JSON Schema written beside it (`.frontline/<kind>.schema.json`), so editors complete and validate offline.
//! Files are never overwritten without `force`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::scenario::is_id;
use crate::schema::{Format, for_format};

const SCENARIO_TEMPLATE: &str = include_str!("../templates/scenario.yaml");
const RUBRIC_TEMPLATE: &str = include_str!("../templates/rubric.yaml");

/// What to scaffold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A scenario.
    Scenario,
    /// A rubric.
    Rubric,
}

impl Kind {
    fn format(self) -> Format {
        match self {
            Kind::Scenario => Format::Scenario,
            Kind::Rubric => Format::Rubric,
        }
    }
}

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The name is not a valid id.
    #[error("\"{0}\" is not a valid name: use lower-case letters, digits and dashes, such as my-late-gift")]
    BadName(String),
    /// The file exists.
    #[error("{0} already exists; choose another name or add --force to overwrite it")]
    Exists(String),
    /// Writing failed.
    #[error("could not write {path}: {reason}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// A title from an id: `my-late-gift` becomes `My late gift`.
fn title_of(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The text of a new file named `id`; `from` is the text of a file to copy instead of the template.
pub fn render(kind: Kind, id: &str, file: &str, from: Option<(&str, &str)>) -> Result<String, ScaffoldError> {
    if !is_id(id) {
        return Err(ScaffoldError::BadName(id.to_string()));
    }
    let schema_comment = format!("# yaml-language-server: $schema=.frontline/{}", kind.format().file_name());
    Ok(match from {
        None => {
            let template = match kind {
                Kind::Scenario => SCENARIO_TEMPLATE,
                Kind::Rubric => RUBRIC_TEMPLATE,
            };
            template.replace("__ID__", id).replace("__TITLE__", &title_of(id)).replace("__FILE__", file)
        }
        Some((source_name, text)) => {
            let mut out = format!(
                "{schema_comment}\n# Copied from {source_name} by `frontline new`; check it with: frontline check {file}\n"
            );
            let mut replaced = false;
            for line in text.lines() {
                if !replaced && line.starts_with("id:") {
                    out.push_str(&format!("id: {id}\n"));
                    replaced = true;
                } else if !line.starts_with("# yaml-language-server:") {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            out
        }
    })
}

/// Writes `text` as `<dir>/<id>.yaml` (and the schema beside it); refuses to overwrite unless `force`.
pub fn write(kind: Kind, dir: &Path, id: &str, text: &str, force: bool) -> Result<PathBuf, ScaffoldError> {
    let path = dir.join(format!("{id}.yaml"));
    let fail = |path: &Path, e: std::io::Error| ScaffoldError::Write {
        path: path.display().to_string(),
        reason: crate::diagnostic::io_reason(&e),
    };
    let schema_dir = dir.join(".frontline");
    std::fs::create_dir_all(&schema_dir).map_err(|e| fail(&schema_dir, e))?;
    let schema_path = schema_dir.join(kind.format().file_name());
    std::fs::write(&schema_path, for_format(kind.format())).map_err(|e| fail(&schema_path, e))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            ScaffoldError::Exists(path.display().to_string())
        } else {
            fail(&path, e)
        }
    })?;
    file.write_all(text.as_bytes()).map_err(|e| fail(&path, e))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_names() {
        assert_eq!(title_of("my-late-gift"), "My late gift");
        assert!(matches!(render(Kind::Scenario, "Bad Name", "x", None), Err(ScaffoldError::BadName(_))));
    }

    #[test]
    fn a_copy_gets_the_new_id_and_one_schema_comment() {
        let text = render(
            Kind::Scenario,
            "copy",
            "copy.yaml",
            Some(("orig.yaml", "# yaml-language-server: x\nschema: s\nid: orig\ntitle: T\n")),
        )
        .unwrap();
        assert!(text.starts_with("# yaml-language-server: $schema=.frontline/scenario.schema.json\n"));
        assert!(text.contains("\nid: copy\n") && !text.contains("id: orig"));
        assert_eq!(text.matches("yaml-language-server").count(), 1);
    }
}
