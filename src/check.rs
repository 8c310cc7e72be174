//! `frontline check` as a library: validate scenario, rubric and lexicon files, analyse them, run their examples,
//! and report like a test runner.
//!
//! Every problem is a failed [`Finding`] at `file:line:col`; every valid file and every example that comes out as
//! written is a passed one; coverage (which transitions no example takes) is a note. Files are recognised by
//! their `schema:` line. Checked files are put together with the built-in ones (and `--scenarios` /
//! `--rubrics`), a checked file replacing a loaded one with the same id, so references between them resolve.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::catalog::{Catalog, Folders, Kind, built_in_files, kind_of, load_rubric, load_scenario, yaml_files};
use crate::diagnostic::{LoadError, LoadErrors, Problem, Source, load_document, read_file};
use crate::engine::run_script;
use crate::examples;
use crate::graph;
use crate::rubric::Rubric;
use crate::scenario::Scenario;
use crate::signals::Lexicon;
use crate::yaml::{self, Position, YamlPath};

/// What a finding says about the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A file or example is as it should be.
    Pass,
    /// A problem.
    Fail,
    /// Information, such as untested transitions; never a failure.
    Note,
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Pass, fail or note.
    pub status: Status,
    /// Where, and what.
    pub location: LoadError,
}

/// Everything `check` found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// In file order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many passed.
    pub fn passed(&self) -> usize {
        self.count(Status::Pass)
    }

    /// How many failed.
    pub fn failed(&self) -> usize {
        self.count(Status::Fail)
    }

    fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }

    fn push(&mut self, status: Status, location: LoadError) {
        self.findings.push(Finding { status, location });
    }

    fn fail_all(&mut self, errors: LoadErrors) {
        for error in errors.0 {
            self.push(Status::Fail, error);
        }
    }
}

/// YAML files named by `paths` (folders searched recursively, `lexicons/` included), in a stable order.
fn files_in(paths: &[PathBuf], report: &mut Report) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match yaml_files(path, false) {
            Ok(found) => files.extend(found),
            Err(error) => report.push(Status::Fail, error),
        }
    }
    files
}

/// Adds a loaded file to `list` unless another checked file already uses its id (then that is the problem).
fn push_unique<T>(list: &mut Vec<T>, item: T, id: fn(&T) -> &str, source: fn(&T) -> &Source, report: &mut Report) {
    if let Some(twin) = list.iter().find(|other| id(other) == id(&item)) {
        let problem = Problem::new(
            YamlPath::root().key("id"),
            format!("duplicate id \"{}\": {} uses it too", id(&item), source(twin).file),
        );
        return report.fail_all(source(&item).errors(vec![problem]));
    }
    list.push(item);
}

/// What was loaded from the checked files.
#[derive(Default)]
struct Checked {
    scenarios: Vec<Scenario>,
    rubrics: Vec<Rubric>,
    lexicon: Option<(Lexicon, Source)>,
}

fn load_checked(file: &str, bytes: &[u8], checked: &mut Checked, report: &mut Report) {
    let text = match yaml::decode_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return report.push(Status::Fail, LoadError::at(file, e.position, e.message)),
    };
    let kind = match kind_of(file, text) {
        Ok(kind) => kind,
        Err(error) => return report.push(Status::Fail, error),
    };
    match kind {
        Kind::Scenario => match load_scenario(file, bytes) {
            Ok(scenario) => push_unique(&mut checked.scenarios, scenario, |s| &s.id, |s| &s.source, report),
            Err(errors) => report.fail_all(errors),
        },
        Kind::Rubric => match load_rubric(file, bytes) {
            Ok(rubric) => push_unique(&mut checked.rubrics, rubric, |r| &r.id, |r| &r.source, report),
            Err(errors) => report.fail_all(errors),
        },
        Kind::Lexicon => match load_document::<Lexicon>(file, bytes) {
            Ok(loaded) => checked.lexicon = Some(loaded),
            Err(errors) => report.fail_all(errors),
        },
    }
}

fn pass(report: &mut Report, source: &Source, message: String) {
    report.push(Status::Pass, LoadError::at(&source.file, Position::START, message));
}

/// Which transitions the scenario's examples take, as a note.
fn coverage(scenario: &Scenario, catalog: &Catalog) -> Option<LoadError> {
    let edges = graph::edges(scenario);
    if edges.is_empty() {
        return None;
    }
    let mut taken: BTreeSet<(String, usize)> = BTreeSet::new();
    for example in &scenario.examples {
        let transcript = run_script(scenario, &catalog.detector, example.seed.unwrap_or(1), &example.replies);
        taken.extend(transcript.trace);
    }
    let locator = yaml::Locator::new(&scenario.source.text);
    let untaken: Vec<String> = edges
        .iter()
        .filter(|e| !taken.contains(&(e.from.clone(), e.index)))
        .map(|e| {
            let line = locator
                .as_ref()
                .and_then(|l| l.position(&graph::transition_path(&e.from, e.index)))
                .map_or(String::new(), |p| format!(" (line {})", p.line));
            format!("{}.then[{}]{line}", e.from, e.index)
        })
        .collect();
    let covered = edges.len() - untaken.len();
    let mut message = format!("examples take {covered} of {} transitions", edges.len());
    if !untaken.is_empty() {
        message.push_str(&format!("; not taken: {}", untaken.join(", ")));
    }
    let path = if scenario.examples.is_empty() { YamlPath::root().key("id") } else { YamlPath::root().key("examples") };
    Some(scenario.source.errors(vec![Problem::new(path, message)]).0.remove(0))
}

/// Checks `paths` (the built-in files when empty) against the catalog of `folders`.
pub fn check(paths: &[PathBuf], folders: &Folders) -> Report {
    let mut report = Report::default();
    let base = match Catalog::load(folders) {
        Ok(catalog) => catalog,
        Err(errors) => {
            report.fail_all(errors);
            match Catalog::load(&Folders::default()) {
                Ok(catalog) => catalog,
                Err(errors) => {
                    report.fail_all(errors);
                    return report;
                }
            }
        }
    };

    let mut checked = Checked::default();
    if paths.is_empty() {
        for (path, text) in built_in_files() {
            load_checked(&format!("<built-in>/{path}"), text.as_bytes(), &mut checked, &mut report);
        }
    } else {
        for file in files_in(paths, &mut report) {
            let name = file.display().to_string();
            match read_file(Path::new(&file)) {
                Ok(bytes) => load_checked(&name, &bytes, &mut checked, &mut report),
                Err(error) => report.push(Status::Fail, error),
            }
        }
    }

    let mut scenarios: Vec<Scenario> =
        base.scenarios.iter().filter(|s| !checked.scenarios.iter().any(|c| c.id == s.id)).cloned().collect();
    scenarios.extend(checked.scenarios.iter().cloned());
    let mut rubrics: Vec<Rubric> =
        base.rubrics.iter().filter(|r| !checked.rubrics.iter().any(|c| c.id == r.id)).cloned().collect();
    rubrics.extend(checked.rubrics.iter().cloned());
    let (lexicon, lexicon_source) =
        checked.lexicon.clone().unwrap_or((base.lexicon.clone(), base.lexicon_source.clone()));
    let catalog = Catalog::from_parts(scenarios, rubrics, lexicon, lexicon_source);

    if let Some((lexicon, source)) = &checked.lexicon {
        pass(
            &mut report,
            source,
            format!("lexicon \"{}\" is valid ({} signals)", lexicon.language, lexicon.signals.len()),
        );
        for result in examples::lexicon_examples(lexicon, source, &catalog.detector) {
            report.push(if result.passed { Status::Pass } else { Status::Fail }, result.location);
        }
    }
    for rubric in &checked.rubrics {
        let mut problems = rubric.check_references(&catalog.detector);
        problems.extend(rubric.sanity_problems());
        if problems.is_empty() {
            pass(&mut report, &rubric.source, format!("rubric \"{}\" is valid", rubric.id));
            for result in examples::criterion_examples(rubric, &catalog.detector) {
                report.push(if result.passed { Status::Pass } else { Status::Fail }, result.location);
            }
        } else {
            report.fail_all(rubric.source.errors(problems));
        }
    }
    for scenario in &checked.scenarios {
        let mut problems = scenario.check_references(&catalog.detector, catalog.rubrics.iter().map(|r| r.id.as_str()));
        let references_ok = problems.is_empty();
        problems.extend(graph::problems(scenario));
        if problems.is_empty() {
            pass(&mut report, &scenario.source, format!("scenario \"{}\" is valid", scenario.id));
        } else {
            report.fail_all(scenario.source.errors(problems));
        }
        if references_ok {
            for result in examples::scenario_examples(&catalog, scenario) {
                report.push(if result.passed { Status::Pass } else { Status::Fail }, result.location);
            }
            if let Some(note) = coverage(scenario, &catalog) {
                report.push(Status::Note, note);
            }
        }
    }
    report
}
