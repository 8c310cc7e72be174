//! `frontline report` over tests/fixtures/results: 7 attempts by 4 trainees in 11 files, with one copied file,
//! three broken ones (truncated, not JSON, foreign JSON), an old-format file, a trainee called `=SUM(1+1)` and a
//! reply containing `<script>`. Expected values were worked out by hand from the fixture files.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{frontline, json_stdout, temp};

const RESULTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/results");

fn report(args: &[&str]) -> assert_cmd::assert::Assert {
    let dir = temp();
    frontline(dir.path()).arg("report").arg(RESULTS).args(args).assert()
}

fn stdout(args: &[&str]) -> String {
    String::from_utf8(report(args).success().get_output().stdout.clone()).unwrap()
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|v| v[key] == value).unwrap_or_else(|| panic!("no {key}={value} in {list}"))
}

#[test]
fn counts_skip_broken_files_and_duplicates() {
    let report = json_stdout(
        report(&["--format", "json"]).success().stderr(
            predicate::str::contains("broken/truncated.json: skipped: truncated JSON")
                .and(predicate::str::contains("broken/not-json.json: skipped: not valid JSON"))
                .and(predicate::str::contains("broken/foreign.json: skipped: not a frontline attempt")),
        ),
    );
    assert_eq!(
        report["counts"],
        serde_json::json!({ "files": 11, "attempts": 7, "skipped": 3, "duplicates": 1, "filtered_out": 0 })
    );
}

#[test]
fn by_trainee_best_latest_pass_rate_weakest_and_trend() {
    let report = json_stdout(report(&["--format", "json"]).success());
    let ana = find(&report["trainees"], "trainee", "ana");
    assert_eq!((ana["attempts"].as_u64(), ana["complete"].as_u64()), (Some(3), Some(3)));
    assert_eq!(
        (ana["best"].as_f64(), ana["latest"].as_f64(), ana["pass_rate"].as_f64()),
        (Some(90.0), Some(90.0), Some(66.7))
    );
    assert_eq!(ana["trend"].as_f64(), Some(45.0), "90 on 4 Dec minus 45 on 1 Dec");
    assert_eq!(ana["weakest"]["id"], "clear-next-step");
    let ben = find(&report["trainees"], "trainee", "ben");
    assert_eq!(
        (ben["attempts"].as_u64(), ben["complete"].as_u64(), ben["best"].as_f64()),
        (Some(2), Some(1), Some(60.0))
    );
    assert!(ben["trend"].is_null(), "one complete attempt has no trend");
    let cara = find(&report["trainees"], "trainee", "cara");
    assert_eq!(cara["pass_rate"].as_f64(), Some(100.0), "an old-format file still loads");
}

#[test]
fn by_scenario_and_by_criterion_worst_first() {
    let report = json_stdout(report(&["--format", "json"]).success());
    let late = find(&report["scenarios"], "scenario", "late-gift");
    assert_eq!((late["attempts"].as_u64(), late["complete"].as_u64()), (Some(4), Some(3)));
    assert_eq!(late["average"].as_f64(), Some(64.3), "(45 + 88 + 60) / 3");
    assert_eq!(late["pass_rate"].as_f64(), Some(33.3));
    assert_eq!(late["most_failed"]["id"], "let-them-talk");
    let ids: Vec<&str> = report["criteria"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    // let-them-talk 1 of 3 met (33.3%), clear-next-step 2 of 3 (66.7%), apologise 4 of 5 (ana twice, =SUM(1+1) and
    // cara met it, ben missed it: 80%), set-the-boundary 1 of 1; ben's incomplete attempt does not count.
    assert_eq!(ids, ["let-them-talk", "clear-next-step", "apologise", "set-the-boundary"]);
    assert_eq!(report["criteria"][0]["pass_rate"].as_f64(), Some(33.3));
}

#[test]
fn filters_narrow_the_attempts() {
    let count = |args: &[&str]| {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        json_stdout(report(&all).success())["counts"]["attempts"].as_u64().unwrap()
    };
    assert_eq!(count(&["--trainee", "ANA"]), 3);
    assert_eq!(count(&["--scenario", "late-gift"]), 4);
    assert_eq!(count(&["--mode", "test"]), 4);
    assert_eq!(count(&["--since", "2026-12-02", "--until", "2026-12-03"]), 3);
    report(&["--since", "last week"]).code(2).stderr(predicate::str::contains("write the date as YYYY-MM-DD"));
}

#[test]
fn readiness_from_flags_and_from_a_policy_file() {
    let report_json =
        json_stdout(report(&["--format", "json", "--require", "late-gift", "--require", "abusive-caller"]).success());
    let ana = find(&report_json["trainees"], "trainee", "ana");
    assert_eq!(ana["ready"], true);
    let ben = find(&report_json["trainees"], "trainee", "ben");
    assert_eq!(ben["ready"], false);
    assert_eq!(
        ben["missing"],
        serde_json::json!([
            "late-gift: no complete test-mode attempt",
            "abusive-caller: no complete test-mode attempt"
        ])
    );

    let dir = temp();
    let policy = dir.path().join("policy.yaml");
    std::fs::write(&policy, "schema: frontline/policy@1\nmode: test\nmark: 89\nrequire: [late-gift, abusive-caller]\n")
        .unwrap();
    let out = frontline(dir.path())
        .args(["report", RESULTS, "--policy"])
        .arg(&policy)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(out).unwrap();
    assert!(table.contains("missing late-gift: best 88 (needs 89)"), "{table}");
}

#[test]
fn csv_is_rfc4180_and_defuses_formulas() {
    let csv = stdout(&["--format", "csv"]);
    assert!(csv.starts_with("trainee,attempts,complete,best,latest,pass_rate,weakest_criterion,trend\r\n"), "{csv}");
    assert!(csv.contains("\r\n'=SUM(1+1),1,1,72,72,0,,\r\n"), "{csv}");
    assert!(csv.lines().all(|l| !l.starts_with('=')));
    let attempts = stdout(&["--format", "csv", "--by", "attempt"]);
    assert_eq!(attempts.matches("\r\n").count(), 8, "a header and 7 attempts:\n{attempts}");
}

#[test]
fn html_is_self_contained_escaped_and_has_the_charts() {
    let html = stdout(&["--format", "html", "--require", "late-gift"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "a reply's <script> must appear as text");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    for external in ["src=\"http", "href=\"http", "@import", "url("] {
        assert!(!html.contains(external), "external resource: {external}");
    }
    assert_eq!(html.matches("<g class=\"bar\">").count(), 4, "one bar per criterion");
    assert_eq!(html.matches("<svg class=\"trend\"").count(), 4, "one score line per trainee");
    assert!(html.contains("<table class=\"grid\">") && html.contains("=SUM(1+1)"));
    assert!(html.contains("<td class=\"ready\">ready</td>"));
}

#[test]
fn tables_and_markdown_read_as_reviewed() {
    insta::assert_snapshot!("report_table_by_trainee", stdout(&["--color", "never"]));
    insta::assert_snapshot!("report_table_by_criterion", stdout(&["--by", "criterion", "--color", "never"]));
    insta::assert_snapshot!("report_md_by_scenario", stdout(&["--by", "scenario", "--format", "md"]));
    insta::assert_snapshot!("report_csv_by_criterion", stdout(&["--by", "criterion", "--format", "csv"]));
}

#[test]
fn out_writes_a_file_without_colour() {
    let dir = temp();
    let target = dir.path().join("team.txt");
    frontline(dir.path())
        .args(["report", RESULTS, "--color", "always", "--out"])
        .arg(&target)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("ana") && !text.contains('\u{1b}'));
    let leftovers = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"))
            .count()
    };
    assert_eq!(leftovers(), 0);
    // A report that cannot be written (the target is a folder) fails with one line and leaves nothing behind.
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    frontline(dir.path())
        .args(["report", RESULTS, "--out"])
        .arg(&folder)
        .assert()
        .code(2)
        .stderr(predicate::str::ends_with("is a directory\n"));
    assert_eq!(leftovers(), 0);
}

#[test]
fn a_missing_folder_is_an_input_error() {
    let dir = temp();
    frontline(dir.path())
        .args(["report", "/no/such/folder"])
        .assert()
        .code(2)
        .stderr("error: /no/such/folder: no such file or folder\n");
}

#[test]
fn xapi_statements_follow_the_specification() {
    let statements =
        json_stdout(report(&["--format", "xapi", "--xapi-base", "https://lms.example.org/frontline/"]).success());
    let statements = statements.as_array().unwrap();
    assert_eq!(statements.len(), 6, "one per complete attempt; ben's incomplete one has none");
    let schema: Value = serde_json::from_str(include_str!("../fixtures/xapi-statement.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for statement in statements {
        let errors: Vec<String> =
            validator.iter_errors(statement).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{errors:?}\n{statement:#}");
    }
    let of = |trainee: &str, started: &str| {
        statements
            .iter()
            .find(|s| {
                s["actor"]["account"]["name"] == trainee
                    && s["context"]["registration"].is_string()
                    && s["timestamp"].as_str().unwrap().starts_with(started)
            })
            .unwrap_or_else(|| panic!("no statement for {trainee} {started}"))
    };
    let first = of("ana", "2026-12-01");
    assert_eq!(first["verb"]["id"], "http://adlnet.gov/expapi/verbs/failed", "a failed test-mode attempt");
    assert_eq!(first["result"]["score"]["scaled"], 0.45);
    assert_eq!(first["result"]["duration"], "PT3M30.5S", "09:00:00.000 to 09:03:30.500");
    assert_eq!(first["object"]["id"], "https://lms.example.org/frontline/scenarios/late-gift");
    assert_eq!(first["actor"]["account"]["homePage"], "https://lms.example.org/frontline");
    assert_eq!(of("ana", "2026-12-03")["verb"]["id"], "http://adlnet.gov/expapi/verbs/passed");
    assert_eq!(of("ben", "2026-12-02")["verb"]["id"], "http://adlnet.gov/expapi/verbs/completed", "practice mode");
    let registrations: std::collections::BTreeSet<&str> =
        statements.iter().map(|s| s["context"]["registration"].as_str().unwrap()).collect();
    assert_eq!(registrations.len(), 6, "one registration per attempt");
    let again =
        json_stdout(report(&["--format", "xapi", "--xapi-base", "https://lms.example.org/frontline/"]).success());
    assert_eq!(again.as_array().unwrap()[0]["id"], statements[0]["id"], "the same attempt gives the same statement id");
}
