//! xAPI 1.0.3 statements, one per complete attempt, for a Learning Record Store or an LMS.
//!
//! The actor is an account on the `--xapi-base` home page; the object is the scenario as an activity IRI under it;
//! test-mode attempts are `passed` or `failed`, practice attempts `completed` (with their success); the result
//! carries the score (scaled, raw, min, max), success, completion and duration; every attempt has its own
//! registration. Statement ids and registrations are derived from the attempt, so exporting the same attempt
//! twice gives the same statement (an LRS then ignores the copy). Incomplete attempts are not exported.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Record;
use crate::clock;
use crate::fnv::Fnv;
use crate::results::Mode;

/// The default home page when `--xapi-base` is not given.
pub const DEFAULT_BASE: &str = "https://example.com/frontline";

/// A UUID (RFC 4122 layout, version 4 bits) derived from the attempt's key and a purpose.
pub fn uuid_for(record: &Record, purpose: &str) -> String {
    let key = record.key();
    let mut halves = [0u64; 2];
    for (i, half) in halves.iter_mut().enumerate() {
        let mut hash = Fnv::with_seed(i as u64 + 1);
        hash.write(&key.to_le_bytes());
        hash.write(purpose.as_bytes());
        *half = hash.finish();
    }
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&halves[0].to_be_bytes());
    bytes[8..].copy_from_slice(&halves[1].to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

fn verb(id: &str) -> Value {
    json!({ "id": format!("http://adlnet.gov/expapi/verbs/{id}"), "display": { "en-US": id } })
}

/// The statement for one attempt, or `None` for an incomplete one.
pub fn statement(record: &Record, base: &str) -> Option<Value> {
    if !record.is_complete() {
        return None;
    }
    let base = base.trim_end_matches('/');
    let verb = match (record.mode, record.passed) {
        (Mode::Test, true) => verb("passed"),
        (Mode::Test, false) => verb("failed"),
        (Mode::Practice, _) => verb("completed"),
    };
    let mut result = json!({
        "score": { "scaled": (record.score / 100.0).clamp(0.0, 1.0), "raw": record.score, "min": 0, "max": 100 },
        "success": record.passed,
        "completion": true,
    });
    if let Some(ms) = record.duration_ms() {
        result["duration"] = json!(clock::iso_duration(ms));
    }
    let timestamp = if record.finished_at.is_empty() { &record.started_at } else { &record.finished_at };
    Some(json!({
        "id": uuid_for(record, "statement"),
        "version": "1.0.3",
        "actor": { "objectType": "Agent", "name": record.trainee, "account": { "homePage": base, "name": record.trainee } },
        "verb": verb,
        "object": {
            "objectType": "Activity",
            "id": format!("{base}/scenarios/{}", record.scenario),
            "definition": {
                "name": { "en-US": record.title() },
                "type": "http://adlnet.gov/expapi/activities/simulation",
            },
        },
        "result": result,
        "context": {
            "registration": uuid_for(record, "registration"),
            "platform": "frontline",
            "language": "en-US",
            "extensions": {
                format!("{base}/extensions/mode"): super::aggregate::mode_name(record.mode),
                format!("{base}/extensions/ending"): record.ending.as_ref().map(|e| e.id.clone()),
            },
        },
        "timestamp": timestamp,
    }))
}

/// Writes statements as a JSON array, one at a time.
pub struct Statements<'a> {
    out: &'a mut dyn Write,
    base: String,
    written: usize,
    /// Incomplete attempts not exported.
    pub left_out: usize,
}

impl<'a> Statements<'a> {
    /// Starts the array.
    pub fn start(out: &'a mut dyn Write, base: &str) -> io::Result<Self> {
        write!(out, "[")?;
        Ok(Statements { out, base: base.to_string(), written: 0, left_out: 0 })
    }

    /// Adds one attempt's statement.
    pub fn add(&mut self, record: &Record) -> io::Result<()> {
        match statement(record, &self.base) {
            Some(statement) => {
                let separator = if self.written == 0 { "\n" } else { ",\n" };
                let text = serde_json::to_string_pretty(&statement).map_err(io::Error::other)?;
                write!(self.out, "{separator}{text}")?;
                self.written += 1;
            }
            None => self.left_out += 1,
        }
        Ok(())
    }

    /// Ends the array.
    pub fn finish(self) -> io::Result<usize> {
        writeln!(self.out, "{}]", if self.written == 0 { "" } else { "\n" })?;
        Ok(self.left_out)
    }
}
