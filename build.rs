//! Embeds the built-in scenarios, rubrics and lexicons in the binary, so `frontline` works from any folder
//! after `cargo install`. Writes `$OUT_DIR/embedded.rs`: a list of (path, contents) for every `.yaml` file
//! under `scenarios/` and `rubrics/`.

use std::fmt::Write;
use std::path::{Path, PathBuf};

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
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    std::fs::write(out, code).expect("write embedded.rs");
}
