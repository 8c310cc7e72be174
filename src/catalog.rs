//! The catalog: every scenario, rubric and lexicon available to a command.
//!
//! Built-in files are embedded in the binary (see `build.rs`); `--scenarios DIR` and `--rubrics DIR` add files,
//! and a file whose id matches a built-in one replaces it. A lexicon at `<rubrics DIR>/lexicons/<lang>.yaml`
//! replaces the built-in one. After loading, cross-file names (rubric ids, signal names) are checked, so a broken
//! reference is reported at its `file:line:col` before anything runs.

use std::path::{Path, PathBuf};

use crate::diagnostic::{LoadError, LoadErrors, Source, load_document, read_file, suggestion};
use serde::Deserialize;

use crate::rubric::{RUBRIC_SCHEMA, Rubric};
use crate::scenario::{SCENARIO_SCHEMA, Scenario};
use crate::signals::{Detector, LEXICON_SCHEMA, Lexicon};
use crate::yaml::{self, Position, YamlPath};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The kind of a frontline file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `frontline/scenario@1`
    Scenario,
    /// `frontline/rubric@1`
    Rubric,
    /// `frontline/lexicon@1`
    Lexicon,
}

#[derive(Deserialize)]
struct SchemaLine {
    #[serde(default)]
    schema: Option<String>,
}

/// Recognises a file by its `schema:` line.
pub fn kind_of(file: &str, text: &str) -> Result<Kind, LoadError> {
    let line: SchemaLine = yaml::from_str(text).map_err(|e| LoadError::at(file, e.position, e.message))?;
    match line.schema.as_deref() {
        Some(SCENARIO_SCHEMA) => Ok(Kind::Scenario),
        Some(RUBRIC_SCHEMA) => Ok(Kind::Rubric),
        Some(LEXICON_SCHEMA) => Ok(Kind::Lexicon),
        Some(other) => {
            let position = yaml::locate(text, &YamlPath::root().key("schema")).unwrap_or(Position::START);
            Err(LoadError::at(
                file,
                position,
                format!("unknown schema \"{other}\"; use {SCENARIO_SCHEMA}, {RUBRIC_SCHEMA} or {LEXICON_SCHEMA}"),
            ))
        }
        None => Err(LoadError::at(
            file,
            Position::START,
            format!(
                "no `schema:` line; a frontline file starts with `schema: {SCENARIO_SCHEMA}` (or rubric@1, lexicon@1)"
            ),
        )),
    }
}

/// The built-in files as (path, contents).
pub fn built_in_files() -> &'static [(&'static str, &'static str)] {
    embedded::EMBEDDED
}

/// Where to look besides the built-in files.
#[derive(Debug, Clone, Default)]
pub struct Folders {
    /// Extra scenarios.
    pub scenarios: Option<PathBuf>,
    /// Extra rubrics (and `lexicons/`).
    pub rubrics: Option<PathBuf>,
}

/// Everything loaded and cross-checked.
#[derive(Debug)]
pub struct Catalog {
    /// Scenarios, built-in first, in file order; overrides replace in place.
    pub scenarios: Vec<Scenario>,
    /// Rubrics.
    pub rubrics: Vec<Rubric>,
    /// The lexicon the detector was built from.
    pub lexicon: Lexicon,
    /// Where the lexicon came from.
    pub lexicon_source: Source,
    /// The compiled lexicon.
    pub detector: Detector,
}

/// A lookup that found nothing.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// No scenario with that id.
    #[error("no scenario \"{id}\"{hint}; `frontline list` shows them")]
    NoScenario {
        /// What was asked for.
        id: String,
        /// A did-you-mean hint.
        hint: String,
    },
    /// No rubric with that id.
    #[error("no rubric \"{id}\"{hint}")]
    NoRubric {
        /// What was asked for.
        id: String,
        /// A did-you-mean hint.
        hint: String,
    },
    /// The file failed to load.
    #[error(transparent)]
    Load(#[from] LoadErrors),
}

fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// YAML files under `dir`, recursively and sorted; the `lexicons` folder is left out when `skip_lexicons` (lexicons
/// load from `<rubrics>/lexicons/<lang>.yaml` only).
pub fn yaml_files(dir: &Path, skip_lexicons: bool) -> Result<Vec<PathBuf>, LoadError> {
    let fail = |folder: &Path, e: std::io::Error| {
        LoadError::at(
            &folder.display().to_string(),
            Position::START,
            format!("cannot read folder: {}", crate::diagnostic::io_reason(&e)),
        )
    };
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| fail(&folder, e))? {
            let path = entry.map_err(|e| fail(&folder, e))?.path();
            if path.is_dir() {
                if !skip_lexicons || path.file_name().is_some_and(|n| n != "lexicons") {
                    pending.push(path);
                }
            } else if is_yaml(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Loads a scenario file (structure only; references are checked by the catalog).
pub fn load_scenario(file: &str, bytes: &[u8]) -> Result<Scenario, LoadErrors> {
    let (mut scenario, source): (Scenario, Source) = load_document(file, bytes)?;
    scenario.source = source;
    Ok(scenario)
}

/// Loads a rubric file (structure only).
pub fn load_rubric(file: &str, bytes: &[u8]) -> Result<Rubric, LoadErrors> {
    let (mut rubric, source): (Rubric, Source) = load_document(file, bytes)?;
    rubric.source = source;
    Ok(rubric)
}

fn built_in_name(path: &str) -> String {
    format!("<built-in>/{path}")
}

/// Adds `item` to `list`, replacing one with the same id from another origin; two files of the same origin with
/// one id are an error.
fn add_or_replace<T>(
    list: &mut Vec<(T, bool)>,
    item: T,
    from_user: bool,
    id: impl Fn(&T) -> &str,
    source: impl Fn(&T) -> &Source,
) -> Result<(), LoadErrors> {
    match list.iter().position(|(existing, _)| id(existing) == id(&item)) {
        Some(i) if list[i].1 == from_user => Err(source(&item).errors(vec![crate::diagnostic::Problem::new(
            YamlPath::root().key("id"),
            format!("duplicate id \"{}\": {} uses it too", id(&item), source(&list[i].0).file),
        )])),
        Some(i) => {
            list[i] = (item, from_user);
            Ok(())
        }
        None => {
            list.push((item, from_user));
            Ok(())
        }
    }
}

impl Catalog {
    /// Loads the built-in files plus `folders`, and checks every cross-file reference.
    pub fn load(folders: &Folders) -> Result<Catalog, LoadErrors> {
        let mut scenarios: Vec<(Scenario, bool)> = Vec::new();
        let mut rubrics: Vec<(Rubric, bool)> = Vec::new();
        let mut lexicon: Option<(Lexicon, Source)> = None;
        for (path, text) in built_in_files() {
            let name = built_in_name(path);
            if path.starts_with("rubrics/lexicons/") {
                if path.ends_with("/en.yaml") {
                    lexicon = Some(load_document::<Lexicon>(&name, text.as_bytes())?);
                }
            } else if path.starts_with("rubrics/") {
                add_or_replace(&mut rubrics, load_rubric(&name, text.as_bytes())?, false, |r| &r.id, |r| &r.source)?;
            } else {
                add_or_replace(
                    &mut scenarios,
                    load_scenario(&name, text.as_bytes())?,
                    false,
                    |s| &s.id,
                    |s| &s.source,
                )?;
            }
        }
        // Files in either folder are loaded by their `schema:` line, so a scenario and its rubric can share one.
        for dir in [&folders.rubrics, &folders.scenarios].into_iter().flatten() {
            for path in yaml_files(dir, true)? {
                let name = path.display().to_string();
                let bytes = read_file(&path)?;
                let text = yaml::decode_utf8(&bytes).map_err(|e| LoadError::at(&name, e.position, e.message))?;
                match kind_of(&name, text)? {
                    Kind::Scenario => {
                        add_or_replace(&mut scenarios, load_scenario(&name, &bytes)?, true, |s| &s.id, |s| &s.source)?
                    }
                    Kind::Rubric => {
                        add_or_replace(&mut rubrics, load_rubric(&name, &bytes)?, true, |r| &r.id, |r| &r.source)?
                    }
                    Kind::Lexicon => {
                        return Err(LoadError::at(
                            &name,
                            Position::START,
                            "a lexicon is read from <rubrics folder>/lexicons/<language>.yaml; move it there",
                        )
                        .into());
                    }
                }
            }
        }
        if let Some(dir) = &folders.rubrics {
            let custom_lexicon = dir.join("lexicons").join("en.yaml");
            if custom_lexicon.is_file() {
                let name = custom_lexicon.display().to_string();
                lexicon = Some(load_document::<Lexicon>(&name, &read_file(&custom_lexicon)?)?);
            }
        }
        let (lexicon, lexicon_source) = lexicon.ok_or_else(|| {
            LoadErrors::from(LoadError::at(
                "<built-in>/rubrics/lexicons/en.yaml",
                Position::START,
                "the built-in lexicon is missing",
            ))
        })?;
        let catalog = Catalog::from_parts(
            scenarios.into_iter().map(|(s, _)| s).collect(),
            rubrics.into_iter().map(|(r, _)| r).collect(),
            lexicon,
            lexicon_source,
        );
        for rubric in &catalog.rubrics {
            catalog.check_rubric(rubric)?;
        }
        for scenario in &catalog.scenarios {
            catalog.check_scenario(scenario)?;
        }
        Ok(catalog)
    }

    /// Puts loaded files together without checking references (see [`Catalog::check_scenario`]).
    pub fn from_parts(
        scenarios: Vec<Scenario>,
        rubrics: Vec<Rubric>,
        lexicon: Lexicon,
        lexicon_source: Source,
    ) -> Catalog {
        let detector = Detector::new(&lexicon);
        Catalog { scenarios, rubrics, lexicon, lexicon_source, detector }
    }

    /// Checks a scenario's references against this catalog.
    pub fn check_scenario(&self, scenario: &Scenario) -> Result<(), LoadErrors> {
        let problems = scenario.check_references(&self.detector, self.rubrics.iter().map(|r| r.id.as_str()));
        if problems.is_empty() { Ok(()) } else { Err(scenario.source.errors(problems)) }
    }

    /// Checks a rubric's references against this catalog.
    pub fn check_rubric(&self, rubric: &Rubric) -> Result<(), LoadErrors> {
        let problems = rubric.check_references(&self.detector);
        if problems.is_empty() { Ok(()) } else { Err(rubric.source.errors(problems)) }
    }

    /// A scenario by id, or by the path of a YAML file (loaded and checked).
    pub fn scenario(&self, id_or_path: &str) -> Result<Scenario, LookupError> {
        if let Some(found) = self.scenarios.iter().find(|s| s.id == id_or_path) {
            return Ok(found.clone());
        }
        let path = Path::new(id_or_path);
        if is_yaml(path) || path.exists() {
            let scenario = load_scenario(id_or_path, &read_file(path).map_err(LoadErrors::from)?)?;
            self.check_scenario(&scenario)?;
            return Ok(scenario);
        }
        Err(LookupError::NoScenario {
            id: id_or_path.to_string(),
            hint: suggestion(id_or_path, self.scenarios.iter().map(|s| s.id.as_str())),
        })
    }

    /// A rubric by id, or by the path of a YAML file (loaded and checked).
    pub fn rubric(&self, id_or_path: &str) -> Result<Rubric, LookupError> {
        if let Some(found) = self.rubrics.iter().find(|r| r.id == id_or_path) {
            return Ok(found.clone());
        }
        let path = Path::new(id_or_path);
        if is_yaml(path) || path.exists() {
            let rubric = load_rubric(id_or_path, &read_file(path).map_err(LoadErrors::from)?)?;
            self.check_rubric(&rubric)?;
            return Ok(rubric);
        }
        Err(LookupError::NoRubric {
            id: id_or_path.to_string(),
            hint: suggestion(id_or_path, self.rubrics.iter().map(|r| r.id.as_str())),
        })
    }

    /// The rubrics a scenario names, in order.
    pub fn rubrics_for(&self, scenario: &Scenario) -> Result<Vec<Rubric>, LookupError> {
        scenario.rubric.iter().map(|id| self.rubric(id)).collect()
    }
}
