//! Gaming the scorer does not pass: keyword lists, one reply pasted again and again, stuffing, walls of text.
//! (Before anti-gaming, the keyword list below passed late-gift with 90.9.)

use predicates::prelude::*;

use crate::support::{frontline, json_stdout, temp};

fn attempt(replies: &[&str]) -> serde_json::Value {
    let dir = temp();
    let script: String = replies.iter().map(|r| format!("{r}\n")).collect();
    json_stdout(
        frontline(dir.path())
            .args(["play", "late-gift", "--no-save", "--seed", "1", "--format", "json", "--replies", "-"])
            .write_stdin(script)
            .assert()
            .code(1),
    )
}

fn flags(attempt: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = attempt["turns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["signals"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()))
        .filter(|n| ["keyword_list", "stuffing", "too_long", "repeated_reply"].contains(&n.as_str()))
        .collect();
    names.dedup();
    names
}

fn criterion<'a>(attempt: &'a serde_json::Value, id: &str) -> &'a str {
    attempt["criteria"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["result"].as_str().unwrap()
}

#[test]
fn a_keyword_list_does_not_pass() {
    let a = attempt(&[
        "",
        "",
        "sorry understand thank you Maria wooden train set",
        "what I can do replacement express today by Friday",
        "within the hour tracking number voucher",
    ]);
    assert_eq!(a["passed"], false);
    assert_eq!(flags(&a), ["keyword_list"]);
    assert_eq!(criterion(&a, "write-like-a-person"), "fail");
    assert_eq!(criterion(&a, "apologise"), "fail", "an apology inside a keyword list earns nothing");
}

#[test]
fn one_reply_pasted_again_and_again_does_not_pass() {
    let reply = "I'm so sorry, Maria. What I can do is send a replacement today.";
    let a = attempt(&["", reply, reply, reply, reply, reply]);
    assert_eq!(a["passed"], false);
    assert_eq!(flags(&a), ["repeated_reply"]);
}

#[test]
fn stuffing_and_walls_of_text_do_not_pass() {
    let stuffed = attempt(&["", "", "Sorry, so sorry, really sorry, Maria! I understand, thank you."]);
    assert_eq!(flags(&stuffed), ["stuffing"]);
    let wall: String = (1..=40).map(|i| format!("Our warehouse process step {i} happens here. ")).collect();
    let a = attempt(&["", "", &wall]);
    assert_eq!(flags(&a), ["too_long"]);
    assert_eq!(criterion(&a, "write-like-a-person"), "fail");
}

/// The signals `frontline signals` finds in one reply, by name.
fn signal_names(reply: &str) -> Vec<String> {
    let dir = temp();
    let analysis = json_stdout(frontline(dir.path()).args(["signals", "--format", "json", reply]).assert().success());
    analysis["signals"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn different_phrases_of_one_signal_are_stuffing_only_when_they_are_most_of_the_reply() {
    assert!(signal_names("thank you, thanks so much, many thanks").contains(&"stuffing".to_string()));
    let natural =
        signal_names("thanks for waiting, thank you for the photo of the box, and thanks again for your patience");
    assert_eq!(natural.iter().filter(|n| *n == "thanks").count(), 3, "{natural:?}");
    assert!(!natural.contains(&"stuffing".to_string()), "{natural:?}");
}

#[test]
fn the_trainee_is_told_why() {
    let dir = temp();
    frontline(dir.path())
        .args(["play", "late-gift", "--no-save", "--seed", "1", "--replies", "-"])
        .write_stdin("\n\nsorry understand thank you Maria wooden train set\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ FAIL Write to the customer, not to the scorer (must)"))
        .stdout(
            predicate::str::contains("Are you even reading what I write?")
                .or(predicate::str::contains("Is this a bot?")),
        );
}
