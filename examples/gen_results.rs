//! Generates synthetic saved attempts for benchmarking `frontline report`.
//!
//! ```sh
//! cargo run --release --example gen_results -- --count 100000 --trainees 2000 --out /tmp/results
//! ```
//!
//! Each attempt is a real one: a built-in scenario's example script (sometimes cut short, so some attempts are
//! incomplete) played by the engine and scored, then given a random trainee, mode and start time over 60 days,
//! and written as pretty JSON exactly as `frontline play` saves it (`<out>/<trainee>/<time>-<scenario>-<n>.json`).

use std::path::PathBuf;

use frontline::catalog::{Catalog, Folders};
use frontline::clock::format_rfc3339;
use frontline::engine::run_script;
use frontline::results::{Attempt, AttemptMeta, Mode};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

fn main() {
    let mut count = 10_000usize;
    let mut trainees = 200usize;
    let mut out = PathBuf::from("frontline-bench-results");
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--count" => count = value.parse().expect("--count N"),
            "--trainees" => trainees = value.parse().expect("--trainees N"),
            "--out" => out = PathBuf::from(value),
            "--seed" => seed = value.parse().expect("--seed N"),
            other => panic!("unknown option {other}; use --count N --trainees N --out DIR --seed N"),
        }
    }
    let catalog = Catalog::load(&Folders::default()).expect("built-in files load");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let start = 1_796_083_200u64; // 2026-12-01T00:00:00Z
    let started = std::time::Instant::now();
    let mut bytes = 0usize;
    for i in 0..count {
        let scenario = &catalog.scenarios[rng.random_range(0..catalog.scenarios.len())];
        let example = &scenario.examples[rng.random_range(0..scenario.examples.len())];
        let keep = if rng.random_range(0..10) == 0 {
            rng.random_range(0..example.replies.len())
        } else {
            example.replies.len()
        };
        let transcript = run_script(scenario, &catalog.detector, rng.random_range(1..1000), &example.replies[..keep]);
        let rubrics = catalog.rubrics_for(scenario).expect("built-in rubrics");
        let trainee = format!("trainee-{:05}", rng.random_range(0..trainees));
        let mode = if rng.random_range(0..3) == 0 { Mode::Test } else { Mode::Practice };
        let at = start + rng.random_range(0..60 * 86_400u64);
        let meta = AttemptMeta::new(scenario, Some(&trainee), i as u64, mode, format_rfc3339(at));
        let mut attempt = Attempt::scored(meta, transcript, scenario, &rubrics);
        attempt.finished_at = format_rfc3339(at + rng.random_range(60..600));
        let dir = out.join(&trainee);
        std::fs::create_dir_all(&dir).expect("create the folder");
        let json = serde_json::to_vec_pretty(&attempt).expect("serialise");
        bytes += json.len();
        let name = format!("{}-{}-{i}.json", attempt.started_at.replace(':', "-"), scenario.id);
        std::fs::write(dir.join(name), json).expect("write the attempt");
    }
    eprintln!(
        "wrote {count} attempts ({:.1} MiB, {:.1} KiB each) for {trainees} trainees in {} in {:.1}s",
        bytes as f64 / 1_048_576.0,
        bytes as f64 / count.max(1) as f64 / 1024.0,
        out.display(),
        started.elapsed().as_secs_f64()
    );
}
