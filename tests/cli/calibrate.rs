//! `frontline calibrate`: hand grades against the rubric, over tests/fixtures/calibration (three saved attempts of
//! late-gift and nine hand grades with two deliberate disagreements). Expected figures worked out by hand.

use predicates::prelude::*;

use crate::support::{frontline, json_stdout, temp, write};

const GRADES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/calibration/grades.csv");

#[test]
fn agreement_and_kappa_per_criterion() {
    let dir = temp();
    let result = json_stdout(frontline(dir.path()).args(["calibrate", GRADES, "--format", "json"]).assert().success());
    let line = |id: &str| result["criteria"].as_array().unwrap().iter().find(|c| c["criterion"] == id).unwrap().clone();
    // let-them-talk: 3 of 3 agree; pass 2/3 and fail 1/3 on both sides, so expected 5/9 and kappa 1.
    assert_eq!(
        (line("let-them-talk")["percent"].as_f64(), line("let-them-talk")["kappa"].as_f64()),
        (Some(100.0), Some(1.0))
    );
    // apologise: (P,P) (F,F) (P,F); observed 2/3, expected 2/3*1/3 + 1/3*2/3 = 4/9, kappa (2/9)/(5/9) = 0.4.
    assert_eq!((line("apologise")["percent"].as_f64(), line("apologise")["kappa"].as_f64()), (Some(66.7), Some(0.4)));
    // positive-language: (P,P) (NA,P) (F,F); expected 1/3*2/3 + 1/3*1/3 = 1/3, kappa (1/3)/(2/3) = 0.5.
    assert_eq!(line("positive-language")["kappa"].as_f64(), Some(0.5));
    // overall: 7 of 9; human P5 F3 NA1, rubric P5 F4; expected 37/81, kappa 26/44.
    assert_eq!((result["overall"]["agreed"].as_u64(), result["overall"]["kappa"].as_f64()), (Some(7), Some(0.591)));
    let disagreements = result["disagreements"].as_array().unwrap();
    assert_eq!(disagreements.len(), 2);
    assert_eq!(
        (disagreements[0]["line"].as_u64(), disagreements[0]["human"].as_str(), disagreements[0]["rubric"].as_str()),
        (Some(7), Some("pass"), Some("fail"))
    );
}

#[test]
fn min_kappa_fails_the_run_below_it() {
    let dir = temp();
    frontline(dir.path())
        .args(["calibrate", GRADES, "--min-kappa", "0.5"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Below --min-kappa: apologise"));
    frontline(dir.path()).args(["calibrate", GRADES, "--min-kappa", "0.4"]).assert().code(0);
}

#[test]
fn bad_grades_files_say_which_line() {
    let dir = temp();
    let attempts = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/calibration/attempts/strong.json");
    let bad = write(dir.path(), "bad.csv", &format!("attempt,criterion,grade\n{attempts},apologise,yes\n"));
    frontline(dir.path())
        .arg("calibrate")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::ends_with("bad.csv:2: grade \"yes\" is not pass, fail or na\n"));
    let unknown = write(dir.path(), "unknown.csv", &format!("attempt,criterion,grade\n{attempts},apologize,pass\n"));
    frontline(dir.path()).arg("calibrate").arg(&unknown).assert().code(2).stderr(
        predicate::str::contains("unknown.csv:2: no criterion \"apologize\"")
            .and(predicate::str::contains("(did you mean \"apologise\"?)")),
    );
    let missing = write(dir.path(), "missing.csv", "attempt,criterion,grade\nnowhere.json,apologise,pass\n");
    frontline(dir.path())
        .arg("calibrate")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.csv:2:"));
}
