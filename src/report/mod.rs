//! Manager reports: read saved attempts from folders and files, filter them, fold them into aggregates, and
//! export them (table, CSV, JSON, Markdown, HTML, xAPI).
//!
//! Reading streams: each file is parsed into a small [`Record`] (the conversation is skipped, not kept), filtered,
//! folded into the [`Aggregates`] and dropped, so memory grows with the number of trainees, scenarios and criteria,
//! not with the number of files (plus 8 bytes per attempt for spotting duplicates). A file that is not a readable
//! attempt is reported to a callback and counted, never fatal. Older attempt files (fewer fields) still load.

pub mod aggregate;
pub mod export;
pub mod html;
pub mod xapi;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::clock;
use crate::fnv::Fnv;
use crate::results::{Mode, Status};
use crate::scoring::Verdict;

pub use aggregate::Aggregates;

/// The part of a saved attempt a report needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Record {
    /// The attempt's schema line (`frontline/attempt@1`), absent in the oldest files.
    #[serde(default)]
    pub schema: Option<String>,
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    #[serde(default)]
    pub scenario_title: String,
    /// Trainee name.
    pub trainee: String,
    /// Seed.
    #[serde(default)]
    pub seed: u64,
    /// practice or test.
    #[serde(default)]
    pub mode: Mode,
    /// Start time, RFC 3339.
    #[serde(default)]
    pub started_at: String,
    /// End time, RFC 3339.
    #[serde(default)]
    pub finished_at: String,
    /// complete or incomplete (older files: complete when an ending is present).
    #[serde(default)]
    pub status: Option<Status>,
    /// The ending reached.
    #[serde(default)]
    pub ending: Option<EndingRecord>,
    /// Score 0-100.
    pub score: f64,
    /// Whether it passed.
    pub passed: bool,
    /// Criteria results.
    #[serde(default)]
    pub criteria: Vec<CriterionRecord>,
}

/// The ending of a record.
#[derive(Debug, Clone, Deserialize)]
pub struct EndingRecord {
    /// Ending id.
    pub id: String,
}

/// One criterion of a record.
#[derive(Debug, Clone, Deserialize)]
pub struct CriterionRecord {
    /// Criterion id.
    pub id: String,
    /// Its rubric.
    #[serde(default)]
    pub rubric: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// pass, fail or na.
    pub result: Verdict,
    /// The replies that decided it.
    #[serde(default)]
    pub evidence: Vec<EvidenceRecord>,
}

/// The quoted reply of a piece of evidence.
#[derive(Debug, Clone, Deserialize)]
pub struct EvidenceRecord {
    /// The reply, quoted.
    #[serde(default)]
    pub quote: String,
}

impl Record {
    /// Whether the attempt reached an ending.
    pub fn is_complete(&self) -> bool {
        self.status.map_or(self.ending.is_some(), |s| s == Status::Complete)
    }

    /// The title, or the id when an old file has none.
    pub fn title(&self) -> &str {
        if self.scenario_title.is_empty() { &self.scenario } else { &self.scenario_title }
    }

    /// Start time in milliseconds since the epoch (0 when unknown).
    pub fn started_ms(&self) -> i64 {
        clock::parse_rfc3339_ms(&self.started_at).unwrap_or(0)
    }

    /// How long the attempt took, in milliseconds, when both times are known.
    pub fn duration_ms(&self) -> Option<i64> {
        let (start, end) = (clock::parse_rfc3339_ms(&self.started_at)?, clock::parse_rfc3339_ms(&self.finished_at)?);
        Some((end - start).max(0))
    }

    /// A stable 64-bit identity: the same attempt copied twice has the same key.
    pub fn key(&self) -> u64 {
        let mut hash = Fnv::new();
        for part in [&self.trainee, &self.scenario, &self.started_at, &self.finished_at] {
            hash.write(part.as_bytes());
            hash.write(&[0]);
        }
        hash.write(&self.seed.to_le_bytes());
        hash.write(&self.score.to_bits().to_le_bytes());
        hash.finish()
    }
}

/// Which attempts count.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this trainee (case-insensitive).
    pub trainee: Option<String>,
    /// Only this scenario id.
    pub scenario: Option<String>,
    /// Only attempts started on or after this day (days since the epoch).
    pub since: Option<i64>,
    /// Only attempts started on or before this day.
    pub until: Option<i64>,
    /// Only this mode.
    pub mode: Option<Mode>,
}

impl Filter {
    /// Whether a record passes.
    pub fn accepts(&self, record: &Record) -> bool {
        let day = record.started_ms().div_euclid(86_400_000);
        self.trainee.as_ref().is_none_or(|t| t.eq_ignore_ascii_case(&record.trainee))
            && self.scenario.as_ref().is_none_or(|s| *s == record.scenario)
            && self.since.is_none_or(|since| day >= since)
            && self.until.is_none_or(|until| day <= until)
            && self.mode.is_none_or(|m| m == record.mode)
    }
}

/// Who is ready for the rush: the scenarios a trainee must pass, in which mode, at which mark.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Always `frontline/policy@1` in a file.
    #[serde(default)]
    pub schema: Option<String>,
    /// Only attempts in this mode count (default test).
    #[serde(default = "test_mode")]
    pub mode: Mode,
    /// The score needed in each required scenario (default: the attempt passed).
    #[serde(default)]
    pub mark: Option<f64>,
    /// The scenario ids a trainee must pass.
    pub require: Vec<String>,
}

fn test_mode() -> Mode {
    Mode::Test
}

/// The schema line of a policy file.
pub const POLICY_SCHEMA: &str = "frontline/policy@1";

impl crate::diagnostic::Validate for Policy {
    fn validate(&self, problems: &mut Vec<crate::diagnostic::Problem>) {
        let root = crate::yaml::YamlPath::root();
        if self.schema.as_deref().is_some_and(|s| s != POLICY_SCHEMA) {
            problems.push(crate::diagnostic::Problem::new(
                root.key("schema"),
                format!("a policy file says `schema: {POLICY_SCHEMA}`"),
            ));
        }
        if self.require.is_empty() {
            problems.push(crate::diagnostic::Problem::new(root.key("require"), "name at least one required scenario"));
        }
        if self.mark.is_some_and(|m| !(0.0..=100.0).contains(&m)) {
            problems.push(crate::diagnostic::Problem::new(root.key("mark"), "mark is a score from 0 to 100"));
        }
    }
}

/// Why a file was skipped.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

/// What reading produced besides the aggregates.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Counts {
    /// Files looked at.
    pub files: usize,
    /// Attempts counted.
    pub attempts: usize,
    /// Files that were not readable attempts.
    pub skipped: usize,
    /// Copies of an attempt already counted.
    pub duplicates: usize,
    /// Attempts left out by the filters.
    pub filtered_out: usize,
}

/// Parses one file's bytes as an attempt record.
pub fn parse_record(bytes: &[u8]) -> Result<Record, String> {
    let record: Record = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            "truncated JSON".to_string()
        } else if e.is_syntax() {
            format!("not valid JSON ({e})")
        } else {
            format!("not a frontline attempt ({e})")
        }
    })?;
    match &record.schema {
        Some(schema) if !schema.starts_with("frontline/attempt@") => {
            Err(format!("not a frontline attempt (schema \"{schema}\")"))
        }
        _ => Ok(record),
    }
}

/// Calls `visit` with every file under `paths` (folders recursively, `.json` files only; named files always),
/// without collecting them first.
pub fn walk(paths: &[PathBuf], visit: &mut dyn FnMut(&Path), unreadable: &mut dyn FnMut(&Path, String)) {
    for path in paths {
        if !path.is_dir() {
            visit(path);
            continue;
        }
        let mut pending = vec![path.clone()];
        while let Some(folder) = pending.pop() {
            let entries = match std::fs::read_dir(&folder) {
                Ok(entries) => entries,
                Err(e) => {
                    unreadable(&folder, crate::diagnostic::io_reason(&e));
                    continue;
                }
            };
            let mut files = Vec::new();
            for entry in entries.flatten() {
                let path = entry.path();
                let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
                if is_dir {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    files.push(path);
                }
            }
            files.sort();
            for file in files {
                visit(&file);
            }
        }
    }
}

/// Reads every attempt under `paths` that passes `filter` into aggregates (for `policy`, if any); `each` sees every
/// counted record (for per-attempt outputs), `skipped` every unreadable file.
pub fn read(
    paths: &[PathBuf],
    filter: &Filter,
    policy: Option<&Policy>,
    each: &mut dyn FnMut(&Record),
    skipped: &mut dyn FnMut(Skipped),
    progress: &mut dyn FnMut(usize),
) -> (Aggregates, Counts) {
    let mut aggregates = Aggregates::new(policy.cloned());
    let mut counts = Counts::default();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut buffer = Vec::with_capacity(64 * 1024);
    let skipped = std::cell::RefCell::new(skipped);
    let mut visit = |path: &Path| {
        counts.files += 1;
        if counts.files % 1000 == 0 {
            progress(counts.files);
        }
        buffer.clear();
        let read = std::fs::File::open(path).and_then(|mut f| std::io::Read::read_to_end(&mut f, &mut buffer));
        let record = match read.map_err(|e| crate::diagnostic::io_reason(&e)).and_then(|_| parse_record(&buffer)) {
            Ok(record) => record,
            Err(reason) => {
                counts.skipped += 1;
                (skipped.borrow_mut())(Skipped { path: path.to_path_buf(), reason });
                return;
            }
        };
        if !seen.insert(record.key()) {
            counts.duplicates += 1;
            return;
        }
        if !filter.accepts(&record) {
            counts.filtered_out += 1;
            return;
        }
        counts.attempts += 1;
        aggregates.add(&record);
        each(&record);
    };
    let unreadable_folders = std::cell::Cell::new(0);
    let mut unreadable = |path: &Path, reason: String| {
        unreadable_folders.set(unreadable_folders.get() + 1);
        (skipped.borrow_mut())(Skipped { path: path.to_path_buf(), reason });
    };
    walk(paths, &mut visit, &mut unreadable);
    counts.skipped += unreadable_folders.get();
    (aggregates, counts)
}
