//! Test helpers: a `frontline` command with a clean environment and a private results folder.

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
    cmd
}

/// A temporary folder.
pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}
