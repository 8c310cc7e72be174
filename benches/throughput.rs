//! `cargo bench`: speed figures for docs/performance.md. Not a timed test: it reports, it does not assert.
//!
//! - signal detection throughput: replies per second on one thread, over every example reply in the built-in
//!   lexicon, rubrics and scenarios (short, realistic chat lines);
//! - signal detection throughput on the labelled evaluation set (tests/data/);
//! - full scoring throughput: scripted attempts (engine + detection + scoring) per second;
//! - one whole scripted `frontline play` of a built-in scenario, wall time including process start (median and
//!   worst of 30 runs of the release binary).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use frontline::catalog::{Catalog, Folders};
use frontline::diagnostic::load_document;
use frontline::evaluation::EvaluationSet;
use frontline::examples::play_example;

fn corpus(catalog: &Catalog) -> Vec<String> {
    let mut replies: Vec<String> = Vec::new();
    for spec in catalog.lexicon.signals.values() {
        replies.extend(spec.examples.matches.iter().cloned());
        replies.extend(spec.examples.no_match.iter().cloned());
    }
    for rubric in &catalog.rubrics {
        for criterion in &rubric.criteria {
            replies.extend(criterion.examples.pass.iter().cloned());
            replies.extend(criterion.examples.fail.iter().cloned());
        }
    }
    for scenario in &catalog.scenarios {
        for example in &scenario.examples {
            replies.extend(example.replies.iter().cloned());
        }
    }
    replies
}

/// Runs `work` repeatedly for about `budget` and returns calls per second.
fn rate(budget: Duration, mut work: impl FnMut() -> usize) -> (f64, usize) {
    let start = Instant::now();
    let mut done = 0;
    while start.elapsed() < budget {
        done += work();
    }
    (done as f64 / start.elapsed().as_secs_f64(), done)
}

fn main() {
    let catalog = Catalog::load(&Folders::default()).expect("built-in files load");
    let replies = corpus(&catalog);
    let mean_len = replies.iter().map(String::len).sum::<usize>() as f64 / replies.len() as f64;
    let vocabulary = catalog.detector.vocabulary("Maria Lopez", [("item", "wooden train set"), ("order", "#48213")]);

    let (per_second, total) = rate(Duration::from_secs(3), || {
        for reply in &replies {
            black_box(catalog.detector.detect(black_box(reply), &vocabulary));
        }
        replies.len()
    });
    println!(
        "signal detection: {per_second:.0} replies/s on one thread ({total} replies, {} distinct, mean {mean_len:.0} bytes)",
        replies.len()
    );

    let mut labelled: Vec<String> = Vec::new();
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let mut parts: Vec<String> = std::fs::read_dir(data)
        .expect("the evaluation set is in tests/data")
        .map(|entry| entry.expect("tests/data lists").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("signals-") && name.ends_with(".yaml"))
        .collect();
    parts.sort();
    for part in parts {
        let path = format!("{data}/{part}");
        let bytes = std::fs::read(&path).expect("the evaluation set is in tests/data");
        let (set, _): (EvaluationSet, _) = load_document(&path, &bytes).expect("the evaluation set loads");
        labelled.extend(set.replies.into_iter().map(|r| r.text));
    }
    let (per_second, _) = rate(Duration::from_secs(3), || {
        for reply in &labelled {
            black_box(catalog.detector.detect(black_box(reply), &vocabulary));
        }
        labelled.len()
    });
    println!(
        "signal detection on the evaluation set: {per_second:.0} replies/s on one thread ({} replies)",
        labelled.len()
    );

    let scripted: Vec<_> =
        catalog.scenarios.iter().flat_map(|s| s.examples.iter().map(move |e| (s, e.replies.clone()))).collect();
    let (attempts_per_second, attempts) = rate(Duration::from_secs(3), || {
        for (scenario, script) in &scripted {
            black_box(play_example(&catalog, scenario, script, 1).expect("examples play"));
        }
        scripted.len()
    });
    println!("scripted attempts scored in process: {attempts_per_second:.0} attempts/s ({attempts} attempts)");

    let (loads_per_second, _) = rate(Duration::from_secs(2), || {
        black_box(Catalog::load(&Folders::default()).expect("loads"));
        1
    });
    println!("loading and checking the built-in catalog: {:.2} ms", 1000.0 / loads_per_second);

    let binary = env!("CARGO_BIN_EXE_frontline");
    let script = std::env::temp_dir().join(format!("frontline-bench-{}.txt", std::process::id()));
    let late_gift = catalog.scenarios.iter().find(|s| s.id == "late-gift").expect("late-gift is built in");
    std::fs::write(&script, late_gift.examples[0].replies.join("\n")).expect("write the script");
    let mut times: Vec<Duration> = (0..30)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(binary)
                .args(["play", "late-gift", "--no-save", "--seed", "1", "--color", "never", "--replies"])
                .arg(&script)
                .output()
                .expect("frontline runs");
            assert!(status.status.success(), "the strong example passes");
            start.elapsed()
        })
        .collect();
    let _ = std::fs::remove_file(&script);
    times.sort();
    println!(
        "scripted `frontline play late-gift` (process start to exit): median {:.1} ms, worst {:.1} ms over {} runs",
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
        times.len()
    );
}
