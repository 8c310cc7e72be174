//! frontline: practise difficult holiday customers in the terminal.
//!
//! The library holds everything but argument parsing: file formats ([`scenario`], [`rubric`],
//! [`signals::lexicon`]), signal detection ([`signals`]), the conversation engine ([`engine`]), scoring
//! ([`scoring`]), feedback ([`feedback`]), saved attempts ([`results`]) and the command layer ([`cli`]).
//! Data flows as DESIGN describes: YAML files load into checked values; replies run through the engine into a
//! [`transcript::Transcript`]; a transcript and rubrics score into a [`scoring::Scorecard`]; an
//! [`results::Attempt`] is saved as JSON.

pub mod calibrate;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod clock;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod evaluation;
pub mod examples;
pub mod feedback;
pub mod fnv;
pub mod graph;
pub mod hints;
pub mod history;
pub mod replies;
pub mod report;
pub mod rescore;
pub mod results;
pub mod rubric;
pub mod scaffold;
pub mod scenario;
pub mod schema;
pub mod scoring;
pub mod serde_forms;
pub mod show;
pub mod signals;
pub mod template;
pub mod transcript;
pub mod yaml;
