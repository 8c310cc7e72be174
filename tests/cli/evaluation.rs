//! The signal detector measured on the labelled evaluation set (tests/data/): at least 500 replies, every
//! signal labelled both ways, and per-signal precision and recall at or above the floors in tests/data/floors.yaml
//! on the development files and the held-out part.

use std::collections::BTreeMap;

use frontline::catalog::{Catalog, Folders};
use frontline::diagnostic::load_document;
use frontline::evaluation::{EvaluationSet, evaluate};
use predicates::prelude::*;
use serde::Deserialize;

use crate::support::{frontline, temp};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

#[derive(Deserialize)]
struct Floor {
    precision: f64,
    recall: f64,
}

#[derive(Deserialize)]
struct Floors {
    default: Floor,
    development_below_target: BTreeMap<String, Floor>,
    heldout_below_target: BTreeMap<String, Floor>,
}

/// The evaluation files in tests/data whose names start with `prefix`, sorted.
fn files(prefix: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(DATA)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(prefix) && name.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

/// The development files, `signals-dev*.yaml` (used when tuning the lexicon), by name.
fn development() -> Vec<String> {
    let files = files("signals-dev");
    assert!(files.len() >= 10, "development files: {files:?}");
    files
}

/// The held-out file, `signals-heldout-N.yaml`: never used when tuning the lexicon, only measured. There is one.
fn held_out() -> String {
    let files = files("signals-heldout");
    assert_eq!(files.len(), 1, "held-out files: {files:?}");
    files.into_iter().next().unwrap()
}

fn set(name: &str) -> EvaluationSet {
    let path = format!("{DATA}/{name}");
    load_document::<EvaluationSet>(&path, &std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{e}")).0
}

fn floors() -> Floors {
    frontline::yaml::from_str(&std::fs::read_to_string(format!("{DATA}/floors.yaml")).unwrap()).unwrap()
}

#[test]
fn the_set_has_500_replies_and_labels_every_signal_both_ways() {
    let files = development();
    let mut dev = set(&files[0]);
    for file in &files[1..] {
        dev.replies.extend(set(file).replies);
    }
    let heldout = set(&held_out());
    assert!(dev.replies.len() + heldout.replies.len() >= 500, "{} + {}", dev.replies.len(), heldout.replies.len());
    let catalog = Catalog::load(&Folders::default()).unwrap();
    let mut signals: Vec<String> = catalog.detector.signal_names().to_vec();
    signals.extend(["silence", "customer_name", "keyword_list", "stuffing", "too_long"].map(String::from));
    for signal in signals {
        for (name, part) in [("development", &dev), ("held-out", &heldout)] {
            let wanted = part.replies.iter().filter(|r| r.must.iter().any(|m| m == signal)).count();
            assert!(wanted > 0, "no reply in the {name} part must fire {signal}");
        }
        let refused =
            dev.replies.iter().chain(&heldout.replies).filter(|r| r.must_not.iter().any(|m| m == signal)).count();
        assert!(refused > 0, "no reply is labelled as one that must not fire {signal}");
    }
}

fn check_floors(part: &str, file: &str, exceptions: &BTreeMap<String, Floor>) {
    let catalog = Catalog::load(&Folders::default()).unwrap();
    let floors = floors();
    let evaluation = evaluate(&set(file), file, &catalog.detector);
    let mut below = Vec::new();
    for score in &evaluation.signals {
        let floor = exceptions.get(&score.signal).unwrap_or(&floors.default);
        if score.precision() < floor.precision || score.recall() < floor.recall {
            below.push(format!(
                "{}: precision {:.3} (floor {}), recall {:.3} (floor {})",
                score.signal,
                score.precision(),
                floor.precision,
                score.recall(),
                floor.recall
            ));
        }
    }
    assert!(below.is_empty(), "{part} part below its floors:\n{}", below.join("\n"));
}

#[test]
fn the_development_part_meets_the_target_floor_for_every_signal() {
    for file in &development() {
        check_floors("development", file, &floors().development_below_target);
    }
}

#[test]
fn the_held_out_part_meets_its_floors() {
    check_floors("held-out", &held_out(), &floors().heldout_below_target);
}

#[test]
fn the_evaluate_command_reports_and_enforces_a_floor() {
    let dir = temp();
    let small = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/evaluation/small.yaml");
    // Figures worked out by hand in the fixture's header: apology 2 TP + 1 FP, question 1 TP + 1 FN.
    frontline(dir.path())
        .args(["evaluate", small])
        .assert()
        .success()
        .stdout(predicate::str::contains("5 labelled replies"))
        .stdout(predicate::str::is_match(r"apology +0\.667 +1\.000 +0\.800 +2 +1 +0 +0").unwrap())
        .stdout(predicate::str::is_match(r"question +1\.000 +0\.500 +0\.667 +1 +0 +1 +0").unwrap())
        // Both signals' counts summed: 3 TP, 1 FP, 1 FN, so precision 3/4 and recall 3/4.
        .stdout(predicate::str::is_match(r"all signals \(micro\) +0\.750 +0\.750 +0\.750 +3 +1 +1 +0").unwrap())
        .stdout(predicate::str::contains("\"sorry, one moment\": wrongly fired apology"))
        .stdout(predicate::str::contains("\"tell me the colour\": missed question"));
    frontline(dir.path())
        .args(["evaluate", small, "--floor", "0.6"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Below the floor:"))
        .stdout(predicate::str::contains("small.yaml: question"))
        .stdout(predicate::str::contains("small.yaml: apology").not());
    let json = frontline(dir.path()).args(["evaluate", small, "--format", "json"]).assert().success();
    let sets: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let overall = &sets[0]["overall"];
    assert_eq!((overall["precision"].as_f64(), overall["recall"].as_f64()), (Some(0.75), Some(0.75)), "{overall}");
    assert_eq!(overall["counts"]["true_positives"], 3);
    // The lowest figure in the fixture is question's recall, 0.5: a floor at it passes.
    frontline(dir.path())
        .args(["evaluate", small, "--floor", "0.5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Below the floor:").not());
}

#[test]
fn a_misspelt_label_is_an_input_error_with_its_position_and_a_suggestion() {
    let dir = temp();
    let set = dir.path().join("labels.yaml");
    std::fs::write(&set, "schema: frontline/evaluation@1\nreplies:\n  - { text: \"so sorry\", must: [apolgy] }\n")
        .unwrap();
    frontline(dir.path())
        .args(["evaluate", set.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("labels.yaml:3:"))
        .stderr(predicate::str::contains("unknown signal \"apolgy\" (did you mean \"apology\"?)"));
}

#[test]
fn a_development_file_is_measured_without_its_own_replies_as_neighbours() {
    let catalog = Catalog::load(&Folders::default()).unwrap();
    let file = "signals-dev-23.yaml";
    let fair = evaluate(&set(file), file, &catalog.detector);
    // Under another name its replies stay in the bank, each its own nearest neighbour: far fewer misses.
    let own = evaluate(&set(file), "a-copy.yaml", &catalog.detector);
    assert!(own.misses.len() < fair.misses.len(), "{} against {}", own.misses.len(), fair.misses.len());
}
