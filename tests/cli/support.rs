//! Test helpers: a `frontline` command with a clean environment and a private results folder, and the scripts
//! the tests play.

use assert_cmd::Command;

/// `frontline` with colour, user and `FRONTLINE_*` variables cleared and results kept in `results`.
pub fn frontline(results: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("frontline").expect("the binary builds");
    for var in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "FORCE_COLOR",
        "TERM",
        "FRONTLINE_SCENARIOS",
        "FRONTLINE_RUBRICS",
        "FRONTLINE_RESULTS",
        "FRONTLINE_TRAINEE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("FRONTLINE_RESULTS", results);
    cmd.env("HOME", results);
    cmd.env("XDG_DATA_HOME", results.join("xdg"));
    cmd
}

/// A temporary folder.
pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// A strong attempt at late-gift: listens, apologises, fixes, commits to a time, then offers.
pub const STRONG_LATE_GIFT: &str = "\n\
I'm listening, please go on.\n\
I'm so sorry, Maria. That must be so stressful with the party on Saturday. Thank you for telling me.\n\
What I can do is send a new train set today by express shipping, so it arrives by Friday.\n\
You'll get the tracking number within the hour, and I've added 20 percent off your next order as a thank you.\n";

/// A weak attempt at late-gift: a fix while she vents, then a brush-off.
pub const WEAK_LATE_GIFT: &str = "Have you tried checking the tracking page?\nCalm down, it's just a toy.\n";

/// Writes `text` to `name` in `dir` and returns the path.
pub fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path
}

/// Every saved attempt under `dir`.
pub fn saved_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                found.push(path);
            }
        }
    }
    found
}

/// The JSON a command printed on stdout.
pub fn json_stdout(assert: assert_cmd::assert::Assert) -> serde_json::Value {
    serde_json::from_slice(&assert.get_output().stdout).expect("stdout is JSON")
}

/// The agent's replies in an attempt's JSON, in order.
pub fn agent_replies(attempt: &serde_json::Value) -> Vec<String> {
    attempt["turns"]
        .as_array()
        .expect("an attempt has turns")
        .iter()
        .filter(|t| t["speaker"] == "agent")
        .map(|t| t["text"].as_str().expect("a turn has text").to_string())
        .collect()
}
