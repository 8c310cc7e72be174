//! `frontline score`: saved attempts, YAML transcripts and plain chat logs.

use predicates::prelude::*;

use crate::support::{STRONG_LATE_GIFT, frontline, json_stdout, saved_files, temp, write};

#[test]
fn a_saved_attempt_scores_the_same_again() {
    let dir = temp();
    frontline(dir.path())
        .args(["play", "late-gift", "--seed", "4", "--replies", "-"])
        .write_stdin(STRONG_LATE_GIFT)
        .assert()
        .code(0);
    let saved = saved_files(dir.path()).remove(0);
    let played: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    let scored =
        json_stdout(frontline(dir.path()).arg("score").arg(&saved).args(["--format", "json"]).assert().code(0));
    assert_eq!(scored["score"], played["score"]);
    assert_eq!(scored["criteria"].as_array().unwrap().len(), played["criteria"].as_array().unwrap().len());
}

#[test]
fn a_plain_chat_log_is_scored_with_the_default_rubric() {
    let dir = temp();
    let log = write(
        dir.path(),
        "chat.txt",
        "Customer: My parcel never came and it was a present!\n\
         Agent: Have you tried the tracking page?\n\
         Customer: Of course I have. What are you going to do?\n\
         Agent: Unfortunately there's nothing I can do.\n",
    );
    frontline(dir.path())
        .arg("score")
        .arg(&log)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ FAIL Let the customer finish"))
        .stdout(predicate::str::contains("✗ FAIL Say what you can do"))
        .stdout(predicate::str::contains("– N/A  Use the customer's name"));
}

#[test]
fn a_yaml_transcript_names_its_customer_and_rubric() {
    let dir = temp();
    let transcript = write(
        dir.path(),
        "t.yaml",
        "schema: frontline/transcript@1\ncustomer: Derek Hale\nrubric: referee-call\nturns:\n  - customer: \"You idiots!\"\n  - agent: \"I can hear how frustrating this is, Derek, and I need you to stop using that language.\"\n  - customer: \"Fine. Fix it?\"\n  - agent: \"What I can do is send a replacement today.\"\n",
    );
    let scored =
        json_stdout(frontline(dir.path()).arg("score").arg(&transcript).args(["--format", "json"]).assert().code(0));
    assert_eq!(scored["rubrics"][0]["id"], "referee-call");
    assert_eq!(scored["customer"], "Derek Hale");
    assert_eq!(scored["passed"], true);
}

#[test]
fn a_rubric_file_can_be_given() {
    let dir = temp();
    let rubric = write(
        dir.path(),
        "thanks.yaml",
        "schema: frontline/rubric@1\nid: just-thanks\ntitle: Just thanks\npass_mark: 100\ncriteria:\n  - id: thank\n    title: Thank them\n    weight: 1\n    rule: { present: thanks }\n    feedback: { pass: yes, fail: no, tip: say thanks }\n",
    );
    let log = write(dir.path(), "chat.txt", "Customer: hi\nAgent: thanks for waiting\n");
    frontline(dir.path())
        .arg("score")
        .arg(&log)
        .arg("--rubric")
        .arg(&rubric)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Score: 100/100"));
}

#[test]
fn a_log_without_speakers_is_an_input_error() {
    let dir = temp();
    let log = write(dir.path(), "chat.txt", "hello\n");
    frontline(dir.path())
        .arg("score")
        .arg(&log)
        .assert()
        .code(2)
        .stderr(predicate::str::ends_with("chat.txt:1:1: expected a line starting with `Customer:` or `Agent:`\n"));
}
