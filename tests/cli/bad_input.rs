//! Bad input: every load error is one `error: file:line:col: message` line and exit 2; hostile input (huge,
//! deep, aliased, binary) ends the same way, never in a panic or a hang.

use std::time::Duration;

use predicates::prelude::*;

use crate::support::{frontline, json_stdout, temp, write};

/// A small valid scenario; the tests below break one line at a time.
const TINY: &str = r#"schema: frontline/scenario@1
id: tiny
title: Tiny
difficulty: 1
rubric: holiday-basics
customer: { name: Ann Lee, mood: 50 }
facts: { item: lamp }
start: opening
nodes:
  opening:
    say: "My {facts.item} broke."
    then:
      - when: { signal: apology }
        goto: done
      - else: { goto: opening }
  done:
    say: "Thanks."
    then:
      - else: { end: resolved }
endings:
  resolved: { text: "Fixed." }
"#;

/// Plays `text` as a scenario file and returns stderr, asserting exit 2 and exactly one line.
fn load_error(text: &str) -> String {
    let dir = temp();
    let file = write(dir.path(), "tiny.yaml", text);
    let out = frontline(dir.path())
        .arg("play")
        .arg(&file)
        .args(["--replies", "-", "--no-save"])
        .write_stdin("\n")
        .timeout(Duration::from_secs(30))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8(out).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one line expected:\n{stderr}");
    let prefix = format!("error: {}:", file.display());
    assert!(stderr.starts_with(&prefix), "{stderr}");
    stderr[prefix.len()..].trim_end().to_string()
}

#[test]
fn the_tiny_scenario_is_valid() {
    let dir = temp();
    let file = write(dir.path(), "tiny.yaml", TINY);
    frontline(dir.path())
        .arg("play")
        .arg(&file)
        .args(["--replies", "-", "--no-save"])
        .write_stdin("sorry\n\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Outcome: resolved"));
}

#[test]
fn malformed_yaml() {
    assert_eq!(
        load_error(&TINY.replace("difficulty: 1", "difficulty: 1: 2")),
        "4:14: mapping values are not allowed in this context"
    );
}

#[test]
fn wrong_types() {
    assert_eq!(
        load_error(&TINY.replace("difficulty: 1", "difficulty: hard")),
        "4:13: difficulty: invalid type: string \"hard\", expected a whole number"
    );
}

#[test]
fn unknown_fields_are_denied() {
    let message = load_error(&TINY.replace("title: Tiny", "titel: Tiny"));
    assert!(message.starts_with("3:1: unknown field `titel`, expected one of"), "{message}");
}

#[test]
fn unknown_rubric_ids() {
    assert_eq!(
        load_error(&TINY.replace("rubric: holiday-basics", "rubric: holiday-basic")),
        "5:9: unknown rubric \"holiday-basic\" (did you mean \"holiday-basics\"?)"
    );
}

#[test]
fn goto_to_a_missing_node() {
    assert_eq!(
        load_error(&TINY.replace("goto: done", "goto: dne")),
        "14:15: goto: no node \"dne\" (did you mean \"done\"?)"
    );
}

#[test]
fn a_node_without_a_final_else() {
    let message = load_error(
        &TINY.replace("      - else: { end: resolved }", "      - when: { signal: thanks }\n        end: resolved"),
    );
    assert_eq!(message, "19:9: node \"done\" has no final `else`: add `- else: { goto: ... }` as the last transition");
}

#[test]
fn duplicate_node_ids() {
    let message = load_error(&TINY.replace("  done:\n", "  opening:\n"));
    assert!(message.contains("duplicate id \"opening\""), "{message}");
}

#[test]
fn duplicate_scenario_ids_in_a_folder() {
    let dir = temp();
    let folder = dir.path().join("mine");
    std::fs::create_dir(&folder).unwrap();
    write(&folder, "a.yaml", TINY);
    write(&folder, "b.yaml", TINY);
    frontline(dir.path())
        .arg("--scenarios")
        .arg(&folder)
        .arg("list")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("b.yaml:2:5: duplicate id \"tiny\": "))
        .stderr(predicate::str::contains("a.yaml uses it too"));
}

#[test]
fn unknown_signal_names() {
    assert_eq!(
        load_error(&TINY.replace("signal: apology", "signal: apologyy")),
        "13:25: unknown signal \"apologyy\" (did you mean \"apology\"?)"
    );
}

#[test]
fn unknown_fact_placeholders() {
    assert_eq!(
        load_error(&TINY.replace("{facts.item}", "{facts.itm}")),
        "11:10: unknown placeholder {facts.itm}: no fact \"itm\" (did you mean \"item\"?)"
    );
}

#[test]
fn weights_that_are_not_positive() {
    let dir = temp();
    let folder = dir.path().join("rubrics");
    std::fs::create_dir(&folder).unwrap();
    write(
        &folder,
        "r.yaml",
        "schema: frontline/rubric@1\nid: zero\ntitle: Zero\npass_mark: 50\ncriteria:\n  - id: c\n    title: C\n    weight: 0\n    rule: { present: thanks }\n    feedback: { pass: a, fail: b, tip: c }\n",
    );
    frontline(dir.path())
        .arg("--rubrics")
        .arg(&folder)
        .arg("list")
        .assert()
        .code(2)
        .stderr(format!("error: {}:8:13: weight must be a positive number, not 0\n", folder.join("r.yaml").display()));
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 0..9 {
        let prev = if level == 0 { "a".to_string() } else { format!("l{}", level - 1) };
        text.push_str(&format!("l{level}: &l{level} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    text.push_str(&TINY.replace("facts: { item: lamp }", "facts: { item: lamp }\ntags: *l8"));
    load_error(&text);
}

#[test]
fn deep_nesting_is_refused() {
    let message = load_error(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
    assert!(message.contains("nested too deeply") || message.contains("expected a mapping"), "{message}");
}

#[test]
fn a_fifty_megabyte_file_is_refused_before_parsing() {
    let message = load_error(&format!("title: {}", "x".repeat(50 * 1024 * 1024)));
    assert!(message.starts_with("1:1: file is too large (50.0 MiB)"), "{message}");
}

#[test]
fn non_utf8_bytes_are_located() {
    let dir = temp();
    let file = dir.path().join("bad.yaml");
    std::fs::write(&file, b"schema: frontline/scenario@1\nid: caf\xe9\n").unwrap();
    frontline(dir.path()).arg("play").arg(&file).args(["--replies", "-"]).write_stdin("\n").assert().code(2).stderr(
        format!("error: {}:2:8: the file is not UTF-8 text (invalid byte 0xe9); save it as UTF-8\n", file.display()),
    );
}

#[test]
fn a_one_megabyte_reply_is_refused() {
    let dir = temp();
    frontline(dir.path())
        .args(["play", "late-gift", "--no-save", "--replies", "-"])
        .write_stdin(format!("\n{}\n", "x".repeat(1024 * 1024)))
        .assert()
        .code(2)
        .stderr("error: <stdin>:2: reply 2 is 1048576 bytes; a reply is at most 8192 bytes\n");
}

#[test]
fn binary_garbage_on_stdin_is_refused() {
    let dir = temp();
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    frontline(dir.path())
        .args(["play", "late-gift", "--no-save", "--replies", "-"])
        .write_stdin(garbage.clone())
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: <stdin>:"));
    frontline(dir.path()).args(["signals", "-"]).write_stdin(garbage).assert().code(2);
}

#[test]
fn a_scenario_that_loops_forever_stops_at_its_turn_limit() {
    let looping = TINY
        .replace("      - when: { signal: apology }\n        goto: done\n", "")
        .replace("start: opening", "start: opening\nmax_turns: 5");
    let dir = temp();
    let file = write(dir.path(), "loop.yaml", &looping);
    let attempt = json_stdout(
        frontline(dir.path())
            .arg("play")
            .arg(&file)
            .args(["--no-save", "--format", "json", "--replies", "-"])
            .write_stdin("sorry\n".repeat(50))
            .timeout(Duration::from_secs(30))
            .assert()
            .code(1),
    );
    assert_eq!(attempt["ending"]["id"], "out_of_turns");
    assert_eq!(attempt["turns"].as_array().unwrap().iter().filter(|t| t["speaker"] == "agent").count(), 5);
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_codes() {
    let dir = temp();
    frontline(dir.path()).args(["play", "--seed", "minus-one"]).assert().code(2);
    frontline(dir.path())
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains(".local/share/frontline/results"));
}
