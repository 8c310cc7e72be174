//! Embeds the built-in scenarios, rubrics and lexicons in the binary, so `frontline` works from any folder
//! after `cargo install`. Writes `$OUT_DIR/embedded.rs`: a list of (path, contents) for every `.yaml` file
//! under `scenarios/` and `rubrics/`; and `$OUT_DIR/labelled-replies.bank`: the built-in lexicon's bank of labelled
//! replies (src/signals/neighbours.rs), built from the development part of the evaluation set
//! (`tests/data/signals-dev*.yaml`) so that start-up reads it in place. YAML is read through src/yaml.rs, as
//! everywhere else.

use std::fmt::Write;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/fnv.rs"]
mod fnv;
#[allow(dead_code)]
#[path = "src/signals/neighbours.rs"]
mod neighbours;
#[allow(dead_code)]
#[path = "src/yaml.rs"]
mod yaml;

/// The parts of an evaluation set (`frontline/evaluation@1`) a bank needs.
#[derive(serde::Deserialize)]
struct LabelledSet {
    replies: Vec<LabelledText>,
}

#[derive(serde::Deserialize)]
struct LabelledText {
    text: String,
    #[serde(default)]
    must: Vec<String>,
    #[serde(default, rename = "not")]
    must_not: Vec<String>,
}

/// The parts of a lexicon file a bank needs: each signal's examples.
#[derive(serde::Deserialize)]
struct LexiconExamples {
    signals: std::collections::BTreeMap<String, SignalExamples>,
}

#[derive(serde::Deserialize)]
struct SignalExamples {
    #[serde(default)]
    examples: Examples,
}

#[derive(Default, serde::Deserialize)]
struct Examples {
    #[serde(default, rename = "match")]
    matching: Vec<String>,
    #[serde(default)]
    no_match: Vec<String>,
}

/// The built-in lexicon's examples as labelled replies: `match` under must, `no_match` under not.
fn lexicon_examples(root: &Path) -> LabelledSet {
    let path = root.join("rubrics").join("lexicons").join("en.yaml");
    let text = std::fs::read_to_string(&path).expect("read the built-in lexicon");
    let lexicon: LexiconExamples = yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{}:{}:{}: {}", path.display(), e.position.line, e.position.column, e.message));
    let replies = lexicon
        .signals
        .into_iter()
        .flat_map(|(name, spec)| {
            let Examples { matching, no_match } = spec.examples;
            let must = matching.into_iter().map({
                let name = name.clone();
                move |text| LabelledText { text, must: vec![name.clone()], must_not: Vec::new() }
            });
            let not = no_match.into_iter().map(move |text| LabelledText {
                text,
                must: Vec::new(),
                must_not: vec![name.clone()],
            });
            must.chain(not).collect::<Vec<_>>()
        })
        .collect();
    LabelledSet { replies }
}

/// The development files of the evaluation set, by name (the held-out file is never in the bank).
fn development_sets(root: &Path) -> Vec<(String, LabelledSet)> {
    let data = root.join("tests").join("data");
    println!("cargo:rerun-if-changed={}", data.display());
    let Ok(entries) = std::fs::read_dir(&data) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("signals-dev") && n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = data.join(&name);
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path).expect("read a development set");
            let set = yaml::from_str(&text).unwrap_or_else(|e| {
                panic!("{}:{}:{}: {}", path.display(), e.position.line, e.position.column, e.message)
            });
            (name, set)
        })
        .collect()
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for folder in ["scenarios", "rubrics"] {
        println!("cargo:rerun-if-changed={folder}");
        yaml_files(&root.join(folder), &mut files);
    }
    let mut code = String::from(
        "/// Built-in files: (path relative to the crate, contents).\npub const EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let relative = file.strip_prefix(&root).expect("under the crate").to_string_lossy().replace('\\', "/");
        println!("cargo:rerun-if-changed={}", file.display());
        writeln!(code, "    ({relative:?}, include_str!({:?})),", file.display().to_string()).expect("write to string");
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("embedded.rs"), code).expect("write embedded.rs");

    let mut sets = development_sets(&root);
    sets.push(("en.yaml examples".to_string(), lexicon_examples(&root)));
    let replies: Vec<neighbours::LabelledReply> = sets
        .iter()
        .flat_map(|(name, set)| {
            set.replies.iter().map(move |r| neighbours::LabelledReply {
                text: &r.text,
                source: name,
                must: r.must.iter().map(String::as_str).collect(),
                not: r.must_not.iter().map(String::as_str).collect(),
            })
        })
        .collect();
    let bank = neighbours::build(&replies).expect("the development sets make a bank");
    std::fs::write(out_dir.join("labelled-replies.bank"), bank).expect("write labelled-replies.bank");
}
