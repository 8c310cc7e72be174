//! `frontline new` and `frontline show`: scaffolded files pass `check` and play; maps are reviewed snapshots.

use predicates::prelude::*;

use crate::support::{frontline, temp};

#[test]
fn a_new_scenario_passes_check_and_plays_its_strong_example() {
    let dir = temp();
    let folder = dir.path().join("mine");
    frontline(dir.path()).arg("--scenarios").arg(&folder).args(["new", "scenario", "wrong-colour"]).assert().code(0);
    let file = folder.join("wrong-colour.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=.frontline/scenario.schema.json\n"));
    assert!(folder.join(".frontline/scenario.schema.json").is_file(), "the schema is written beside it");
    frontline(dir.path())
        .arg("check")
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("3 passed, 0 failed\n"));
    let strong = "\nI'm so sorry, Sam, that must be so frustrating with your trip on Friday. Thank you for telling me.\nWhat I can do is send the red winter coat today by express delivery.\nIt will arrive by Thursday, and you'll get the tracking number within the hour.\n";
    frontline(dir.path())
        .arg("--scenarios")
        .arg(&folder)
        .args(["play", "wrong-colour", "--no-save", "--replies", "-"])
        .write_stdin(strong)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Outcome: resolved"));
}

#[test]
fn a_new_rubric_passes_check() {
    let dir = temp();
    let folder = dir.path().join("rubrics");
    frontline(dir.path()).arg("--rubrics").arg(&folder).args(["new", "rubric", "team-basics"]).assert().code(0);
    frontline(dir.path())
        .arg("check")
        .arg(folder.join("team-basics.yaml"))
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("8 passed, 0 failed\n"));
}

#[test]
fn a_copy_from_a_built_in_passes_check() {
    let dir = temp();
    let folder = dir.path().join("mine");
    frontline(dir.path())
        .arg("--scenarios")
        .arg(&folder)
        .args(["new", "scenario", "our-gift", "--from", "late-gift"])
        .assert()
        .code(0);
    frontline(dir.path()).arg("check").arg(folder.join("our-gift.yaml")).assert().code(0);
}

#[test]
fn new_never_overwrites_without_force_and_checks_names() {
    let dir = temp();
    let folder = dir.path().join("mine");
    let new = |extra: &[&str]| {
        let mut cmd = frontline(dir.path());
        cmd.arg("--scenarios").arg(&folder).args(["new", "scenario"]).args(extra);
        cmd.assert()
    };
    new(&["mine-1"]).code(0);
    std::fs::write(folder.join("mine-1.yaml"), "edited by hand\n").unwrap();
    new(&["mine-1"]).code(2).stderr(predicate::str::contains("already exists; choose another name or add --force"));
    assert_eq!(std::fs::read_to_string(folder.join("mine-1.yaml")).unwrap(), "edited by hand\n");
    new(&["mine-1", "--force"]).code(0);
    assert!(std::fs::read_to_string(folder.join("mine-1.yaml")).unwrap().contains("id: mine-1"));
    new(&["Mine One"]).code(2).stderr(predicate::str::contains("is not a valid name"));
    new(&["late-gift"]).code(2).stderr(predicate::str::contains("would replace it"));
}

fn show(format: &str) -> String {
    let dir = temp();
    let out = frontline(dir.path())
        .args(["show", "late-gift", "--format", format])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn show_text_reads_as_reviewed() {
    insta::assert_snapshot!(show("text"));
}

#[test]
fn show_mermaid_reads_as_reviewed() {
    insta::assert_snapshot!(show("mermaid"));
}

#[test]
fn show_dot_reads_as_reviewed() {
    insta::assert_snapshot!(show("dot"));
}

#[test]
fn the_tutorials_worked_example_checks_and_plays() {
    let dir = temp();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples");
    frontline(dir.path())
        .args(["check", examples])
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("8 passed, 0 failed\n"));
    frontline(dir.path())
        .args(["--scenarios", examples, "play", "broken-lights", "--no-save", "--replies", "-"])
        .write_stdin("\nI'm so sorry, Grace.\nWould you like a new set?\nIt will arrive by Friday.\n")
        .assert()
        .stdout(predicate::str::contains("Outcome: resolved"));
}
