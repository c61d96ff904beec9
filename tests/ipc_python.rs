//! An independent client: nano-style Python (standard library only) talks to the node over both
//! transports, in legacy JSON (encoding 1) and v2 JSON (encoding 4). Skipped with a message when
//! python3 is not installed.

mod support;

use support::*;

#[tokio::test]
async fn python_stdlib_client_talks_to_both_transports() {
    let Ok(out) = std::process::Command::new("python3")
        .arg("--version")
        .output()
    else {
        eprintln!("SKIPPED: python3 is not installed");
        return;
    };
    if !out.status.success() {
        eprintln!("SKIPPED: python3 does not run");
        return;
    }
    let node = start_node().await;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/nano_ipc_client.py"
    );
    for target in [
        format!("unix://{}", node.socket_path().display()),
        format!("tcp://{}", node.tcp_addr()),
    ] {
        let out = tokio::process::Command::new("python3")
            .arg(script)
            .arg(&target)
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "{target}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "answers": [
                    {"value": "py"},
                    {"error": "Unknown command"},
                    {"success": ""},
                    {
                        "correlation_id": "py-1",
                        "message_type": "AccountWeightResponse",
                        "message": {"voting_weight": SUPPLY}
                    },
                    {"time_is_int": true}
                ],
                "bad_preamble_closed": true
            }),
            "{target}"
        );
    }
}
