//! Load errors and validation problems, and how a file becomes a checked value.
//!
//! Validation code reports a [`Problem`] at a [`YamlPath`]; [`load_document`] parses a file, runs the value's
//! [`Validate`] implementation and turns each problem into a [`LoadError`] with the file, line and column a
//! trainer can jump to. Every file format (scenario, rubric, lexicon) loads through here.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::yaml::{self, Position, YamlPath};

/// A problem found while validating a parsed value, located by its path in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the document.
    pub path: YamlPath,
    /// What is wrong and, where possible, what to do.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: YamlPath, message: impl Into<String>) -> Self {
        Problem { path, message: message.into() }
    }
}

/// Something checks itself after deserialising and reports every problem it finds.
pub trait Validate {
    /// Appends the value's problems to `problems`.
    fn validate(&self, problems: &mut Vec<Problem>);
}

/// One located problem in one file: `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct LoadError {
    /// The file as the user named it (or `<built-in>/…` for embedded files).
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl LoadError {
    /// A problem at a known position.
    pub fn at(file: &str, position: Position, message: impl Into<String>) -> Self {
        LoadError { file: file.to_string(), line: position.line, column: position.column, message: message.into() }
    }
}

/// All problems of one load; shown as the first one plus a count, since an error is one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => write!(f, "unknown load error"),
            [only] => write!(f, "{only}"),
            [first, rest @ ..] => write!(f, "{first} (and {} more problem(s) in this file)", rest.len()),
        }
    }
}

impl std::error::Error for LoadErrors {}

impl From<LoadError> for LoadErrors {
    fn from(error: LoadError) -> Self {
        LoadErrors(vec![error])
    }
}

/// Where a loaded value came from: kept so problems found later (an unknown rubric id, say) still get a position.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The file as the user named it, or `<built-in>/scenarios/x.yaml`.
    pub file: String,
    /// The file's text.
    pub text: Arc<str>,
}

impl Source {
    /// Locates `problems` in this source.
    pub fn errors(&self, problems: Vec<Problem>) -> LoadErrors {
        locate_problems(&self.file, &self.text, problems)
    }
}

/// Parses and validates one YAML document named `file` (used in messages only).
pub fn load_document<T: DeserializeOwned + Validate>(file: &str, bytes: &[u8]) -> Result<(T, Source), LoadErrors> {
    let text = yaml::decode_utf8(bytes).map_err(|e| LoadError::at(file, e.position, e.message))?;
    let value: T = yaml::from_str(text).map_err(|e| LoadError::at(file, e.position, e.message))?;
    let mut problems = Vec::new();
    value.validate(&mut problems);
    let source = Source { file: file.to_string(), text: Arc::from(text) };
    if problems.is_empty() {
        return Ok((value, source));
    }
    Err(source.errors(problems))
}

/// Gives each problem the position of its path in `text`, in the order they appear in the file.
pub fn locate_problems(file: &str, text: &str, problems: Vec<Problem>) -> LoadErrors {
    let locator = yaml::Locator::new(text);
    let mut errors: Vec<LoadError> = problems
        .into_iter()
        .map(|p| {
            let position = locator.as_ref().and_then(|l| l.position(&p.path)).unwrap_or(Position::START);
            LoadError::at(file, position, p.message)
        })
        .collect();
    errors.sort_by_key(|e| (e.line, e.column));
    LoadErrors(errors)
}

/// Reads a file for [`load_document`], refusing directories and oversized files with a clear message.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    let file = path.display().to_string();
    let metadata = std::fs::metadata(path)
        .map_err(|e| LoadError::at(&file, Position::START, format!("cannot read: {}", io_reason(&e))))?;
    if metadata.is_dir() {
        return Err(LoadError::at(&file, Position::START, "is a folder, not a file"));
    }
    if metadata.len() > yaml::MAX_FILE_BYTES as u64 {
        return Err(LoadError::at(
            &file,
            Position::START,
            format!(
                "file is too large ({:.1} MiB); frontline reads files of at most {} MiB",
                metadata.len() as f64 / (1024.0 * 1024.0),
                yaml::MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    std::fs::read(path).map_err(|e| LoadError::at(&file, Position::START, format!("cannot read: {}", io_reason(&e))))
}

/// A short, lower-case reason for an I/O error ("no such file or directory", "permission denied").
pub fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// Suggests the closest of `candidates` to `word` (edit distance at most a third of its length, min 2).
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A hint such as ` (did you mean "options"?)`, or nothing.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates).map(|c| format!(" (did you mean \"{c}\"?)")).unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("optons", ["options", "opening"]), Some("options"));
        assert_eq!(did_you_mean("xyz", ["options", "opening"]), None);
    }

    #[test]
    fn several_problems_read_as_one_line() {
        let errors = LoadErrors(vec![
            LoadError::at("a.yaml", Position { line: 2, column: 3 }, "first"),
            LoadError::at("a.yaml", Position { line: 5, column: 1 }, "second"),
        ]);
        assert_eq!(errors.to_string(), "a.yaml:2:3: first (and 1 more problem(s) in this file)");
    }
}
