//! The `nanoipc ledger` tool and the node share one default data path and network, and inspecting
//! a path without a ledger is an error rather than a reason to create an empty one.

use std::process::Command;

fn nanoipc(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nanoipc"))
        .env("HOME", home)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn ledger_info_refuses_a_data_path_without_a_ledger() {
    let home = tempfile::tempdir().unwrap();
    let out = nanoipc(home.path(), &["ledger", "info"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = home.path().join(".nanoipc").join("ledger");
    assert!(
        stderr.contains(&format!("no ledger at {}", expected.display())),
        "{stderr}"
    );
    assert!(!expected.exists(), "info must not create a ledger");
}

#[test]
fn ledger_tool_uses_the_node_default_path_and_configured_network() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join(".nanoipc");
    std::fs::create_dir_all(&data).unwrap();
    // An empty import creates the ledger where the node would look for it.
    let empty = home.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let out = nanoipc(home.path(), &["ledger", "import", empty.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(data.join("ledger").exists());
    let info = nanoipc(home.path(), &["ledger", "info"]);
    assert!(info.status.success());
    assert!(String::from_utf8_lossy(&info.stdout).contains("dev"));

    // A network the config names is the default for the tool too.
    std::fs::write(
        data.join("config-node.toml"),
        "[node]\nnetwork = \"live\"\n",
    )
    .unwrap();
    let info = nanoipc(home.path(), &["ledger", "info"]);
    assert!(
        !info.status.success(),
        "a dev ledger opened as live must be refused"
    );
}
