//! `frontline list`.

use crate::support::{frontline, json_stdout, temp, write};

#[test]
fn table_lists_every_built_in_scenario() {
    let dir = temp();
    let out = frontline(dir.path()).arg("list").assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    for id in [
        "late-gift",
        "wrong-item",
        "out-of-stock-toy",
        "refused-return",
        "gift-card-declined",
        "price-drop",
        "chatbot-loop",
        "abusive-caller",
    ] {
        assert!(text.contains(id), "{id} missing from:\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "piped output must not be coloured");
}

#[test]
fn json_is_an_array_with_the_documented_fields() {
    let dir = temp();
    let list = json_stdout(frontline(dir.path()).args(["list", "--format", "json"]).assert().success());
    let list = list.as_array().unwrap();
    assert!(list.len() >= 8);
    for entry in list {
        assert!(entry["id"].is_string() && entry["title"].is_string());
        assert!((1..=5).contains(&entry["difficulty"].as_u64().unwrap()));
        assert!(entry["tags"].is_array());
    }
}

#[test]
fn tag_filters_and_global_flags_work_after_the_command() {
    let dir = temp();
    let list = json_stdout(
        frontline(dir.path())
            .args(["list", "--tag", "referee-call", "--format", "json", "--color", "never"])
            .assert()
            .success(),
    );
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["abusive-caller"]);
}

#[test]
fn a_scenarios_folder_adds_and_overrides() {
    let dir = temp();
    let folder = dir.path().join("mine");
    std::fs::create_dir(&folder).unwrap();
    let built_in = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/late-gift.yaml")).unwrap();
    write(
        &folder,
        "override.yaml",
        &built_in.replace("title: The gift that did not arrive", "title: Our own late gift"),
    );
    write(&folder, "copy.yaml", &built_in.replace("id: late-gift", "id: team-gift"));
    let list = json_stdout(
        frontline(dir.path()).arg("--scenarios").arg(&folder).args(["list", "--format", "json"]).assert().success(),
    );
    let list = list.as_array().unwrap();
    let title_of = |id: &str| list.iter().find(|e| e["id"] == id).map(|e| e["title"].as_str().unwrap().to_string());
    assert_eq!(title_of("late-gift").as_deref(), Some("Our own late gift"));
    assert!(title_of("team-gift").is_some());
    assert_eq!(list.iter().filter(|e| e["id"] == "late-gift").count(), 1);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = temp();
    let folder = dir.path().join("many");
    std::fs::create_dir(&folder).unwrap();
    let built_in = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/late-gift.yaml")).unwrap();
    for i in 0..150 {
        write(&folder, &format!("s{i}.yaml"), &built_in.replace("id: late-gift", &format!("id: copy-{i}")));
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("frontline"))
        .arg("--scenarios")
        .arg(&folder)
        .args(["list", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the pipe is closed while frontline still has output to write.
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
