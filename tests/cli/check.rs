//! `frontline check`: every problem it reports, one broken fixture file each (tests/fixtures/check), with the
//! exact message and position written at the end of the fixture as `# expect: LINE:COL: message`.

use predicates::prelude::*;

use crate::support::{frontline, temp, write};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/check");

#[test]
fn every_fixture_reports_exactly_its_expected_problems() {
    let dir = temp();
    let mut fixtures: Vec<_> = std::fs::read_dir(FIXTURES).unwrap().map(|e| e.unwrap().path()).collect();
    fixtures.sort();
    assert!(fixtures.len() >= 20, "only {} fixtures", fixtures.len());
    for fixture in fixtures {
        let text = std::fs::read_to_string(&fixture).unwrap();
        let expected: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(|e| format!("{}:{e}", fixture.display()))
            .collect();
        assert!(!expected.is_empty(), "{} has no expectations", fixture.display());
        let out = frontline(dir.path()).arg("check").arg(&fixture).assert().code(1).get_output().stdout.clone();
        let out = String::from_utf8(out).unwrap();
        let problems: Vec<&str> = out.lines().filter(|l| !l.contains(": note: ") && !l.ends_with(" failed")).collect();
        assert_eq!(problems, expected, "{}", fixture.display());
        assert!(out.ends_with(&format!("{} failed\n", expected.len())), "{out}");
    }
}

#[test]
fn the_built_in_library_checks_clean_with_coverage_notes() {
    let dir = temp();
    frontline(dir.path())
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("<built-in>/scenarios/late-gift.yaml:"))
        .stdout(predicate::str::contains("note: examples take"))
        .stdout(predicate::str::is_match(r"\n[1-9][0-9]+ passed, 0 failed\n$").unwrap());
}

#[test]
fn a_folder_is_checked_with_its_references_resolved() {
    let dir = temp();
    let folder = dir.path().join("content");
    std::fs::create_dir(&folder).unwrap();
    write(
        &folder,
        "rubric.yaml",
        "schema: frontline/rubric@1\nid: just-thanks\ntitle: Just thanks\npass_mark: 100\ncriteria:\n  - id: thank\n    title: Thank them\n    weight: 1\n    rule: { present: thanks }\n    feedback: { pass: yes, fail: no, tip: say thanks }\n    examples: { pass: [\"Thanks!\"], fail: [\"Okay.\"] }\n",
    );
    write(
        &folder,
        "scenario.yaml",
        "schema: frontline/scenario@1\nid: thanks-only\ntitle: Thanks only\ndifficulty: 1\nrubric: just-thanks\ncustomer: { name: Bo Chen, mood: 40 }\nstart: a\nnodes:\n  a:\n    say: \"Hi.\"\n    then:\n      - else: { end: done }\nendings:\n  done: { text: \"Bye.\" }\nexamples:\n  - name: thanks passes\n    replies: [\"Thanks for calling!\"]\n    expect: { ending: done, passed: true, criteria: { thank: pass } }\n",
    );
    frontline(dir.path())
        .arg("check")
        .arg(&folder)
        .arg("-v")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ok: rubric \"just-thanks\" is valid"))
        .stdout(predicate::str::contains("ok: example \"thanks passes\": done, score 100, passed"))
        .stdout(predicate::str::ends_with("5 passed, 0 failed\n"));
}

#[test]
fn the_lexicon_format_docs_example_checks_clean() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lexicon-format.md")).unwrap();
    let start = docs.find("```yaml\nschema: frontline/lexicon@1").expect("the complete example") + "```yaml\n".len();
    let example = &docs[start..start + docs[start..].find("```").unwrap()];
    assert!(example.contains("forms:") && example.contains("yields_to:") && example.contains("quoting:"));
    let dir = temp();
    let file = write(dir.path(), "en.yaml", example);
    frontline(dir.path())
        .arg("check")
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("3 passed, 0 failed"));
}
