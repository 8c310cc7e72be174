//! `frontline signals`: the trainer's "why did this not count?".

use predicates::prelude::*;

use crate::support::{frontline, json_stdout, temp};

#[test]
fn json_has_the_documented_shape() {
    let dir = temp();
    let report = json_stdout(
        frontline(dir.path()).args(["signals", "--format", "json", "I'm so sorry, Maria."]).assert().success(),
    );
    assert_eq!(report["text"], "I'm so sorry, Maria.");
    let signals = report["signals"].as_array().unwrap();
    assert_eq!(signals.len(), 1, "{signals:?}");
    assert_eq!(signals[0]["name"], "apology");
    assert_eq!(signals[0]["span"], serde_json::json!([7, 12]));
    assert_eq!(signals[0]["match"], "sorry");
}

#[test]
fn a_scenario_adds_the_customer_name_and_facts() {
    let dir = temp();
    frontline(dir.path())
        .args(["signals", "--scenario", "late-gift", "Maria, the train set ships today"])
        .assert()
        .success()
        .stdout(predicate::str::contains("customer_name"))
        .stdout(predicate::str::contains("fact:item"))
        .stdout(predicate::str::contains("next_step"));
}

#[test]
fn cancelled_matches_are_explained() {
    let dir = temp();
    frontline(dir.path())
        .args(["signals", "-"])
        .write_stdin("I'm sorry you feel that way, we can't refund it\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("non_apology"))
        .stdout(predicate::str::contains("not counted: apology \"sorry\": yields to non_apology \"sorry you feel\""))
        .stdout(predicate::str::contains("not counted: fix_proposal \"refund it\": negated by"));
}

#[test]
fn an_unknown_language_is_an_error() {
    let dir = temp();
    frontline(dir.path())
        .args(["signals", "--lang", "fr", "bonjour"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: no lexicon for language \"fr\""));
}
