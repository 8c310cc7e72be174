//! `frontline schema`: the committed JSON Schemas equal what the code generates, accept every built-in file, and
//! reject the mistakes the loader rejects.

use frontline::catalog::built_in_files;

use crate::support::{frontline, temp};

const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/schema");

fn generated(format: &str) -> String {
    let dir = temp();
    let out = frontline(dir.path()).args(["schema", format]).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn committed(format: &str) -> String {
    std::fs::read_to_string(format!("{SCHEMAS}/{format}.schema.json")).unwrap()
}

fn validator(format: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&committed(format)).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn as_json(yaml_text: &str) -> serde_json::Value {
    frontline::yaml::from_str(yaml_text).expect("YAML parses")
}

#[test]
fn committed_schemas_equal_the_generated_ones() {
    for format in ["scenario", "rubric", "lexicon"] {
        assert!(
            generated(format) == committed(format),
            "docs/schema/{format}.schema.json is out of date: run `frontline schema {format} > docs/schema/{format}.schema.json`"
        );
    }
}

#[test]
fn every_built_in_file_validates() {
    for (path, text) in built_in_files() {
        let format = if path.starts_with("rubrics/lexicons/") {
            "lexicon"
        } else if path.starts_with("rubrics/") {
            "rubric"
        } else {
            "scenario"
        };
        let instance = as_json(text);
        let validator = validator(format);
        let errors: Vec<String> = validator.iter_errors(&instance).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{path} does not match the {format} schema: {errors:?}");
    }
}

#[test]
fn the_schemas_reject_typos_and_wrong_types() {
    let scenario = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/late-gift.yaml")).unwrap();
    let validator = validator("scenario");
    assert!(validator.is_valid(&as_json(&scenario)));
    assert!(!validator.is_valid(&as_json(&scenario.replace("max_turns: 12", "max_turn: 12"))));
    assert!(!validator.is_valid(&as_json(&scenario.replace("difficulty: 3", "difficulty: hard"))));
    assert!(!validator.is_valid(&as_json(&scenario.replace("when: \"mood >= 100\"", "when: \"mood is high\""))));
    assert!(
        !validator.is_valid(&as_json(&scenario.replace("schema: frontline/scenario@1", "schema: frontline/rubric@1")))
    );
}
