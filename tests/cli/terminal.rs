//! The real prompts in a pseudo-terminal (rexpect): pick a scenario, give a name, type replies, use /hint and
//! /quit, answer the after-feedback menu, press Ctrl-C; then check what the screen showed and what was saved.

use std::path::Path;
use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

use crate::support::{agent_replies, saved_files, temp};

const DOWN: &str = "\x1b[B";

/// `frontline ARGS` in a pseudo-terminal with a private results folder and config.
fn frontline_in_terminal(home: &Path, args: &[&str]) -> PtySession {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("frontline"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("FRONTLINE_RESULTS", home.join("results"))
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1");
    spawn_command(command, Some(20_000)).expect("frontline starts in a pseudo-terminal")
}

/// Sends keys to a menu once it is drawn and waiting (keys sent while it is still starting up are dropped).
fn choose(session: &mut PtySession, keys: &str) {
    std::thread::sleep(std::time::Duration::from_millis(300));
    session.send(keys).unwrap();
    session.flush().unwrap();
}

fn exit_code(session: &mut PtySession) -> Option<i32> {
    match session.process_mut().wait().expect("frontline exits") {
        WaitStatus::Exited(_, code) => Some(code),
        _ => None,
    }
}

fn only_attempt(home: &Path) -> serde_json::Value {
    let saved = saved_files(&home.join("results"));
    assert_eq!(saved.len(), 1, "{saved:?}");
    serde_json::from_slice(&std::fs::read(&saved[0]).unwrap()).unwrap()
}

#[test]
fn pick_name_hint_and_quit_save_an_incomplete_attempt() {
    let home = temp();
    let mut p = frontline_in_terminal(home.path(), &["play", "--no-delay"]);
    p.exp_string("Choose a customer to practise with").unwrap();
    // Easiest first: the gift card scenario is at the top, the abusive caller last.
    p.exp_string("The gift card that will not work").unwrap();
    p.exp_string("The caller who crosses the line").unwrap();
    choose(&mut p, "\r");
    p.exp_string("Your name").unwrap();
    p.send_line("Rita").unwrap();
    p.exp_string("Your card reader says my gift card is inactive").unwrap();
    p.exp_string("Mood").unwrap();
    p.send_line("/hint").unwrap();
    p.exp_string("Hint: Let the customer finish").unwrap();
    p.send_line("/nonsense").unwrap();
    p.exp_string("Unknown command /nonsense: not sent to the customer").unwrap();
    p.send_line("").unwrap();
    p.exp_string("headphones").unwrap();
    p.send_line("/quit").unwrap();
    p.exp_string("Outcome: incomplete").unwrap();
    p.exp_string("Hints used: 1 (-2 points).").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), Some(1));

    let attempt = only_attempt(home.path());
    assert_eq!(attempt["status"], "incomplete");
    assert_eq!(attempt["trainee"], "Rita");
    assert_eq!(attempt["scenario"], "gift-card-declined");
    assert_eq!(attempt["hints"].as_array().unwrap().len(), 1);
    let replies = agent_replies(&attempt);
    assert_eq!(replies, [""], "commands never reach the customer");
    let config = std::fs::read_to_string(home.path().join("config/frontline/config.yaml")).unwrap();
    assert!(config.contains("trainee: Rita"), "{config}");
}

#[test]
fn a_finished_conversation_offers_the_marked_transcript_then_quits() {
    let home = temp();
    let mut p =
        frontline_in_terminal(home.path(), &["play", "late-gift", "--trainee", "Sam", "--seed", "1", "--no-delay"]);
    p.exp_string("I ordered a wooden train set").unwrap();
    for reply in [
        "",
        "I'm listening, please go on.",
        "I'm so sorry, Maria. That must be so stressful with the party on Saturday. Thank you for telling me.",
        "What I can do is send a new train set today by express shipping, so it arrives by Friday.",
        "You'll get the tracking number within the hour, and I've added 20 percent off your next order as a thank you.",
    ] {
        p.exp_string("You").unwrap();
        p.send_line(reply).unwrap();
    }
    p.exp_string("Outcome: resolved").unwrap();
    p.exp_string("PASSED").unwrap();
    p.exp_string("Quit").unwrap();
    choose(&mut p, &format!("{DOWN}{DOWN}\r"));
    p.exp_string("Your transcript with the marks").unwrap();
    // rexpect reads bytes one by one (as Latin-1), so needles stay ASCII.
    p.exp_string("Use the customer's name").unwrap();
    p.exp_string("Quit").unwrap();
    choose(&mut p, &format!("{DOWN}{DOWN}{DOWN}\r"));
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), Some(0));
    let attempt = only_attempt(home.path());
    assert_eq!((attempt["status"].as_str(), attempt["passed"].as_bool()), (Some("complete"), Some(true)));
    let timed = attempt["turns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["speaker"] == "agent")
        .all(|t| t["response_ms"].is_u64());
    assert!(timed, "typed replies carry their response time");
}

#[test]
fn ctrl_c_mid_conversation_saves_what_was_said() {
    let home = temp();
    let mut p = frontline_in_terminal(home.path(), &["play", "price-drop", "--trainee", "Lee", "--no-delay"]);
    p.exp_string("I bought your 4K TV").unwrap();
    p.send_line("").unwrap();
    p.exp_string("hundred dollars").unwrap();
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    let attempt = only_attempt(home.path());
    assert_eq!(attempt["status"], "incomplete");
    assert_eq!(attempt["turns"].as_array().unwrap().iter().filter(|t| t["speaker"] == "agent").count(), 1);
}

#[test]
fn test_mode_hides_the_mood_and_refuses_hints() {
    let home = temp();
    let mut p =
        frontline_in_terminal(home.path(), &["play", "late-gift", "--trainee", "Kai", "--mode", "test", "--no-delay"]);
    p.exp_string("I ordered a wooden train set").unwrap();
    p.send_line("/hint").unwrap();
    let before = p.exp_string("Hints are off in test mode.").unwrap();
    assert!(!before.contains("Mood"), "no mood meter in test mode:\n{before}");
    p.send_line("/quit").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(only_attempt(home.path())["mode"], "test");
}
