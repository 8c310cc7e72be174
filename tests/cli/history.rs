//! `frontline history`: a trainee's best and last score per scenario and the trend per criterion.

use predicates::prelude::*;

use crate::support::{STRONG_LATE_GIFT, WEAK_LATE_GIFT, frontline, json_stdout, temp};

#[test]
fn history_shows_best_last_and_the_trend_oldest_first() {
    let dir = temp();
    let play = |script: &str| {
        let cmd = frontline(dir.path())
            .args(["play", "late-gift", "--trainee", "ana", "--seed", "1", "--replies", "-"])
            .write_stdin(script)
            .assert();
        cmd.get_output().status.code()
    };
    assert_eq!(play(WEAK_LATE_GIFT), Some(1));
    assert_eq!(play(STRONG_LATE_GIFT), Some(0));
    assert_eq!(play("\n"), Some(1));
    std::fs::write(dir.path().join("ana").join("junk.json"), "not an attempt").unwrap();

    let history =
        json_stdout(frontline(dir.path()).args(["history", "--trainee", "ana", "--format", "json"]).assert().success());
    let line = &history["scenarios"][0];
    assert_eq!(line["scenario"], "late-gift");
    assert_eq!(line["attempts"], 3);
    assert_eq!(line["incomplete"], 1);
    assert_eq!(line["best"], 100.0);
    assert_eq!(line["last"], 100.0);
    assert_eq!(line["passed"], true);
    assert_eq!(history["unreadable"], 1);
    let talk = history["criteria"].as_array().unwrap().iter().find(|c| c["id"] == "let-them-talk").unwrap();
    assert_eq!(talk["results"], serde_json::json!(["fail", "pass"]), "weak first, then strong; incomplete left out");

    frontline(dir.path())
        .args(["history", "--trainee", "ana"])
        .assert()
        .success()
        .stdout(predicate::str::contains("The gift that did not arrive"))
        .stdout(predicate::str::contains("3 (1 incomplete)"))
        .stdout(predicate::str::contains("Let the customer finish"))
        .stdout(predicate::str::contains("1 file(s) in the folder could not be read"));
}

#[test]
fn an_empty_history_says_how_to_start() {
    let dir = temp();
    frontline(dir.path())
        .args(["history", "--trainee", "nobody"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No attempts by nobody"));
}
