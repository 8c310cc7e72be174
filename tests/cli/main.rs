//! The one integration-test binary: every command driven as a user would, through the real `frontline`
//! executable, with colour and user environment variables cleared. Modules group the tests by command.

mod authoring;
mod bad_input;
mod calibrate;
mod check;
mod content;
mod evaluation;
mod gaming;
mod history;
mod list;
mod play;
mod report;
mod schema;
mod score;
mod signals;
mod support;
mod terminal;
