//! `nanoipc call`, the built binary, against an in-process node over both transports: v2 over
//! encodings 4 and 3 (`--binary`), legacy (printed verbatim), and the exit codes (0 answered, 1 error answer,
//! 2 bad request, 3 unreachable).

mod client_support;

use client_support::*;
use nanoipc::client::Target;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `nanoipc call --target <target> <args…>` without blocking the runtime serving the node.
async fn call(target: &Target, args: &[&str]) -> Run {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_nanoipc"))
        .arg("call")
        .arg("--target")
        .arg(target.to_string())
        .args(args)
        .output()
        .await
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", run.stdout))
}

#[tokio::test]
async fn v2_calls_print_json_and_exit_by_answer() {
    let node = start_api_node().await;
    let account = format!(r#"{{"account":"{GENESIS}"}}"#);
    for target in node.targets() {
        for mode in [&[][..], &["--binary"][..]] {
            let ctx = format!("{target} {mode:?}");
            let args: Vec<&str> = mode
                .iter()
                .copied()
                .chain(["--correlation-id", "cli-7", "AccountWeight", &account])
                .collect();
            let ok = call(&target, &args).await;
            assert_eq!(ok.code, Some(0), "{ctx}: {}", ok.stderr);
            let v = json(&ok);
            assert_eq!(v["message_type"], "AccountWeightResponse", "{ctx}");
            assert_eq!(v["message"]["voting_weight"], GENESIS_AMOUNT, "{ctx}");
            assert_eq!(v["correlation_id"], "cli-7", "{ctx}");
            assert!(ok.stdout.contains("\n  "), "pretty-printed: {}", ok.stdout);

            let args: Vec<&str> = mode
                .iter()
                .copied()
                .chain(["AccountWeight", r#"{"account":"nano_bad"}"#])
                .collect();
            let bad = call(&target, &args).await;
            assert_eq!(bad.code, Some(1), "{ctx}: {}", bad.stdout);
            let v = json(&bad);
            assert_eq!(v["message_type"], "Error", "{ctx}");
            assert_eq!(v["message"]["code"], 4, "{ctx}");
            assert_eq!(v["message"]["message"], "Bad account number", "{ctx}");

            let args: Vec<&str> = mode.iter().copied().chain(["IsAlive"]).collect();
            let alive = call(&target, &args).await;
            assert_eq!(alive.code, Some(0), "{ctx}: {}", alive.stderr);
            assert_eq!(json(&alive)["message_type"], "IsAlive", "{ctx}");
        }
    }
}

#[tokio::test]
async fn legacy_calls_exit_by_answer() {
    let node = start_api_node().await;
    let target = &node.targets()[1];
    let body = format!(r#"{{"action":"account_weight","account":"{GENESIS}"}}"#);
    let ok = call(target, &["--legacy", &body]).await;
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    // Printed exactly as the node wrote it (nano-node's own RPC layout is kept).
    assert_eq!(
        ok.stdout,
        format!("{{\n    \"weight\": \"{GENESIS_AMOUNT}\"\n}}\n")
    );

    let bad = call(target, &["--legacy", r#"{"action":"nope"}"#]).await;
    assert_eq!(bad.code, Some(1));
    assert_eq!(json(&bad)["error"], "Unknown command");
}

#[tokio::test]
async fn bad_requests_and_unreachable_nodes() {
    let node = start_api_node().await;
    let target = &node.targets()[0];
    let unknown = call(target, &["Nope", "{}"]).await;
    assert_eq!(unknown.code, Some(2));
    assert!(
        unknown
            .stderr
            .contains("valid requests: IsAlive, AccountWeight"),
        "{}",
        unknown.stderr
    );
    let typo = call(target, &["AccountWeight", r#"{"acount":"x"}"#]).await;
    assert_eq!(typo.code, Some(2));
    assert!(typo.stderr.contains("unknown field"), "{}", typo.stderr);
    let not_json = call(target, &["--legacy", "{"]).await;
    assert_eq!(not_json.code, Some(2));

    let gone = Target::Unix(node.dir.path().join("absent.sock"));
    let down = call(&gone, &["IsAlive"]).await;
    assert_eq!(down.code, Some(3));
    assert!(down.stderr.contains("cannot connect"), "{}", down.stderr);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A binary envelope for `name` with its JSON, in hex as `call --encoding 3` takes it.
fn binary_request(name: &str, json: &str) -> String {
    use nanoipc::client::{encode_named, CallOptions, WireEncoding};
    let opts = CallOptions {
        encoding: WireEncoding::Binary,
        correlation_id: Some("raw-3".into()),
        ..CallOptions::default()
    };
    hex(encode_named(&opts, name, json).unwrap().bytes())
}

#[tokio::test]
async fn raw_binary_requests_print_decoded_answers() {
    let node = start_api_node().await;
    for target in node.targets() {
        let alive = call(
            &target,
            &["--encoding", "3", &binary_request("IsAlive", "{}")],
        )
        .await;
        assert_eq!(alive.code, Some(0), "{target}: {}", alive.stderr);
        let v = json(&alive);
        assert_eq!(v["message_type"], "IsAlive", "{target}");
        assert_eq!(v["correlation_id"], "raw-3", "{target}");
        assert!(
            alive.stdout.contains("\n  "),
            "pretty-printed: {}",
            alive.stdout
        );

        let request = binary_request("AccountWeight", r#"{"account":"nano_bad"}"#);
        let bad = call(&target, &["--encoding", "3", &request]).await;
        assert_eq!(bad.code, Some(1), "{target}: {}", bad.stdout);
        let v = json(&bad);
        assert_eq!(v["message_type"], "Error", "{target}");
        assert_eq!(v["message"]["code"], 4, "{target}");

        // Bytes that are no envelope: the node's "invalid message format" error, decoded.
        let garbage = call(&target, &["--encoding", "3", "00ff00ff"]).await;
        assert_eq!(garbage.code, Some(1), "{target}: {}", garbage.stdout);
        assert_eq!(json(&garbage)["message"]["code"], 1, "{target}");
    }
    let target = &node.targets()[1];
    for not_hex in ["zz", "abc", "+f", "IsAlive"] {
        let run = call(target, &["--encoding", "3", not_hex]).await;
        assert_eq!(run.code, Some(2), "{not_hex}: {}", run.stdout);
    }
}

#[tokio::test]
async fn raw_binary_answers_that_are_no_envelope_exit_3() {
    // The benchmark's echo server answers spaces to everything.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("echo.sock");
    let stop = tokio_util::sync::CancellationToken::new();
    let _echo = nanoipc::ipc::bench::echo_server_unix(&path, 8, stop.clone())
        .await
        .unwrap();
    let run = call(&Target::Unix(path), &["--encoding", "3", "00000000"]).await;
    stop.cancel();
    assert_eq!(run.code, Some(3), "{}", run.stdout);
    assert!(run.stderr.contains("invalid answer"), "{}", run.stderr);
    assert!(run.stderr.contains("2020202020202020"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}
