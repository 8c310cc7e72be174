//! `frontline play` with scripted replies: feedback, exit codes, JSON, saving, reproducibility, colour.

use predicates::prelude::*;

use crate::support::{
    STRONG_LATE_GIFT, WEAK_LATE_GIFT, agent_replies, frontline, json_stdout, saved_files, temp, write,
};

#[test]
fn a_strong_attempt_passes_and_is_saved() {
    let dir = temp();
    let script = write(dir.path(), "strong.txt", STRONG_LATE_GIFT);
    frontline(dir.path())
        .args(["play", "late-gift", "--trainee", "sam", "--seed", "7", "--replies"])
        .arg(&script)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Outcome: resolved"))
        .stdout(predicate::str::contains("PASSED"))
        .stdout(predicate::str::contains("✓ PASS Let the customer finish"))
        .stderr(predicate::str::contains("Saved "));
    let saved = saved_files(dir.path());
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].parent().unwrap().file_name().unwrap(), "sam");
    let name = saved[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(name.ends_with("-late-gift.json") && name.starts_with("20"), "{name}");
    let attempt: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved[0]).unwrap()).unwrap();
    assert_eq!(attempt["passed"], true);
    assert_eq!(attempt["seed"], 7);
    assert_eq!(attempt["trainee"], "sam");
}

#[test]
fn a_weak_attempt_fails_with_quotes_and_tips() {
    let dir = temp();
    let script = write(dir.path(), "weak.txt", WEAK_LATE_GIFT);
    let out = frontline(dir.path())
        .args(["play", "late-gift", "--no-save", "--seed", "1", "--replies"])
        .arg(&script)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Outcome: walked out"))
        .stdout(predicate::str::contains("NOT PASSED"))
        .stdout(predicate::str::contains("✗ FAIL Let the customer finish"))
        .stdout(predicate::str::contains("Tip:"))
        .get_output()
        .stdout
        .clone();
    // Lines wrap at 80 columns; compare with whitespace collapsed.
    let flat = String::from_utf8(out).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "Reply 1: you jumped in while Maria was still explaining: \"Have you tried checking the tracking page?\""
        ),
        "{flat}"
    );
    assert!(flat.contains("Reply 2: \"Calm down\" would read badly on social media"), "{flat}");
    assert!(saved_files(dir.path()).is_empty(), "--no-save wrote a file");
}

#[test]
fn json_output_has_the_documented_fields() {
    let dir = temp();
    let attempt = json_stdout(
        frontline(dir.path())
            .args(["play", "late-gift", "--no-save", "--seed", "3", "--format", "json", "--replies", "-"])
            .write_stdin(STRONG_LATE_GIFT)
            .assert()
            .code(0),
    );
    for field in ["scenario", "trainee", "seed", "ending", "score", "passed", "criteria", "turns"] {
        assert!(!attempt[field].is_null(), "{field} missing");
    }
    assert_eq!(attempt["scenario"], "late-gift");
    assert_eq!(attempt["ending"]["id"], "resolved");
    let criterion = &attempt["criteria"][0];
    assert_eq!(criterion["id"], "let-them-talk");
    assert!(["pass", "fail", "na"].contains(&criterion["result"].as_str().unwrap()));
    assert!(criterion["weight"].is_number() && criterion["evidence"].is_array());
    let turns = attempt["turns"].as_array().unwrap();
    assert_eq!(turns[0]["speaker"], "customer");
    assert_eq!(turns[1]["speaker"], "agent");
    assert_eq!(turns[1]["phase"], "venting");
    assert_eq!(turns[1]["signals"][0]["name"], "silence");
    let apology_turn = &turns[5];
    assert_eq!(apology_turn["speaker"], "agent");
    let apology = apology_turn["signals"].as_array().unwrap().iter().find(|s| s["name"] == "apology").unwrap();
    let [start, end] = [apology["span"][0].as_u64().unwrap() as usize, apology["span"][1].as_u64().unwrap() as usize];
    assert_eq!(&apology_turn["text"].as_str().unwrap()[start..end], "sorry");
    assert!(turns.iter().all(|t| t["mood"].is_i64()));
}

fn customer_lines(results: &std::path::Path, seed: u64) -> Vec<String> {
    let attempt = json_stdout(
        frontline(results)
            .args(["play", "late-gift", "--no-save", "--format", "json", "--replies", "-", "--seed"])
            .arg(seed.to_string())
            .write_stdin(STRONG_LATE_GIFT)
            .assert(),
    );
    attempt["turns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["speaker"] == "customer")
        .map(|t| t["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_same_seed_replays_the_same_conversation_and_seeds_vary_it() {
    let dir = temp();
    assert_eq!(customer_lines(dir.path(), 11), customer_lines(dir.path(), 11));
    let variants: std::collections::BTreeSet<Vec<String>> =
        (1..=8).map(|seed| customer_lines(dir.path(), seed)).collect();
    assert!(variants.len() > 1, "eight seeds gave one conversation");
}

#[test]
fn a_script_that_runs_out_is_incomplete_and_fails() {
    let dir = temp();
    let attempt = json_stdout(
        frontline(dir.path())
            .args(["play", "late-gift", "--format", "json", "--replies", "-"])
            .write_stdin("\n\n")
            .assert()
            .code(1),
    );
    assert_eq!(attempt["status"], "incomplete");
    assert_eq!(attempt["passed"], false);
    assert!(attempt["ending"].is_null());
    assert_eq!(saved_files(dir.path()).len(), 1, "an incomplete attempt is still saved");
}

#[test]
fn yaml_list_scripts_and_scenario_paths_work() {
    let dir = temp();
    let script = "- \"\"\n- \"I'm so sorry, Derek. I want to help, but I need you to stop using that language.\"\n- \"What I can do is send a replacement speaker today, it will arrive by Friday.\"\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/abusive-caller.yaml");
    frontline(dir.path())
        .args(["play", path, "--no-save", "--replies", "-"])
        .write_stdin(script)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Outcome: calmed"));
}

#[test]
fn hostile_trainee_names_stay_inside_the_results_folder() {
    let dir = temp();
    let results = dir.path().join("results");
    frontline(&results)
        .args(["play", "late-gift", "--trainee", "../../escape", "--replies", "-"])
        .write_stdin("\n")
        .assert()
        .code(1);
    let saved = saved_files(dir.path());
    assert_eq!(saved.len(), 1);
    assert!(saved[0].starts_with(&results), "{} escaped {}", saved[0].display(), results.display());
}

#[test]
fn trainee_comes_from_the_environment() {
    let dir = temp();
    let attempt = json_stdout(
        frontline(dir.path())
            .env("FRONTLINE_TRAINEE", "kim")
            .args(["play", "price-drop", "--no-save", "--format", "json", "--replies", "-"])
            .write_stdin("\n")
            .assert(),
    );
    assert_eq!(attempt["trainee"], "kim");
}

#[test]
fn an_unwritable_results_folder_is_an_error_after_the_feedback() {
    let dir = temp();
    let not_a_folder = write(dir.path(), "taken", "a file, not a folder");
    frontline(dir.path())
        .arg("--results")
        .arg(&not_a_folder)
        .args(["play", "late-gift", "--replies", "-"])
        .write_stdin(STRONG_LATE_GIFT)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("Outcome: resolved"))
        .stderr(predicate::str::starts_with("error: could not save the attempt in"));
}

#[test]
fn colour_is_decided_by_the_flag_and_no_color() {
    let dir = temp();
    let run = |args: &[&str], no_color: bool| {
        let mut cmd = frontline(dir.path());
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd
            .args(args)
            .args(["play", "late-gift", "--no-save", "--replies", "-"])
            .write_stdin(WEAK_LATE_GIFT)
            .assert()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap().contains('\u{1b}')
    };
    assert!(run(&["--color", "always"], false));
    assert!(run(&["--color", "always"], true), "--color always wins over NO_COLOR");
    assert!(!run(&["--color", "never"], false));
    assert!(!run(&[], false), "auto is off when stdout is not a terminal");
}

#[test]
fn an_unknown_scenario_suggests_the_closest() {
    let dir = temp();
    frontline(dir.path())
        .args(["play", "late-gif", "--replies", "-"])
        .write_stdin("\n")
        .assert()
        .code(2)
        .stderr("error: no scenario \"late-gif\" (did you mean \"late-gift\"?); `frontline list` shows them\n");
}

#[test]
fn text_feedback_reads_as_reviewed() {
    let dir = temp();
    let script = write(dir.path(), "weak.txt", WEAK_LATE_GIFT);
    let out = frontline(dir.path())
        .args(["play", "late-gift", "--no-save", "--seed", "2", "--color", "never", "--replies"])
        .arg(&script)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn typed_play_keeps_commands_out_of_the_conversation_and_saves_on_quit() {
    let dir = temp();
    let out = frontline(dir.path())
        .args(["play", "late-gift", "--seed", "1", "--trainee", "lee"])
        .write_stdin("\n/facts\n/oops\nI'm so sorry, Maria.\n/quit\nnever sent\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Unknown command /oops: not sent to the customer."))
        .stdout(predicate::str::contains("Outcome: incomplete"))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.matches("order: #48213").count(), 2, "the briefing, then /facts:\n{text}");
    let saved = saved_files(dir.path());
    assert_eq!(saved.len(), 1);
    let attempt: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved[0]).unwrap()).unwrap();
    assert_eq!(attempt["status"], "incomplete");
    let replies = agent_replies(&attempt);
    assert_eq!(replies, ["", "I'm so sorry, Maria."]);
    assert!(attempt["turns"][1]["response_ms"].is_u64(), "typed replies are timed");
}

#[test]
fn json_output_needs_a_script() {
    let dir = temp();
    frontline(dir.path())
        .args(["play", "late-gift", "--format", "json"])
        .write_stdin("\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("error: --format json goes with --replies"));
}

#[test]
fn typed_play_saves_when_input_ends() {
    let dir = temp();
    frontline(dir.path())
        .args(["play", "wrong-item"])
        .write_stdin("")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Outcome: incomplete"));
    assert_eq!(saved_files(dir.path()).len(), 1);
}
