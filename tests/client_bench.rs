//! `nanoipc bench` against an in-process node running the node's own handler: v2 requests built
//! by name (`--message`) in encodings 3 and 4, legacy payloads, and the probe that refuses to
//! measure error answers, through the library (`bench::run_with`) and the built binary.

mod client_support;

use bytes::Bytes;
use client_support::*;
use nanoipc::client::{encode_named, CallOptions, Target, WireEncoding};
use nanoipc::ipc::bench::{self, check_answer, BenchError, BenchOptions, Budget, RunChecks};
use nanoipc::ipc::Encoding;

const CHECKED: RunChecks = RunChecks {
    probe: true,
    timeout: None,
};

fn named(wire: WireEncoding, name: &str, json: &str) -> Bytes {
    let opts = CallOptions {
        encoding: wire,
        ..CallOptions::default()
    };
    Bytes::from(encode_named(&opts, name, json).unwrap().prepared.bytes)
}

fn load(target: Target, encoding: Encoding, payload: Bytes) -> BenchOptions {
    BenchOptions {
        target,
        encoding,
        payload,
        connections: 2,
        budget: Budget::Requests(20),
        progress: false,
    }
}

#[tokio::test]
async fn checked_runs_measure_valid_requests_in_every_encoding() {
    let node = start_api_node().await;
    let account = format!(r#"{{"account":"{GENESIS}"}}"#);
    let cases = [
        (
            Encoding::Flatbuffers,
            named(WireEncoding::Binary, "IsAlive", "{}"),
        ),
        (
            Encoding::FlatbuffersJson,
            named(WireEncoding::Json, "AccountWeight", &account),
        ),
        (
            Encoding::JsonV1,
            Bytes::from_static(br#"{"action":"block_count"}"#),
        ),
    ];
    for target in node.targets() {
        for (encoding, payload) in cases.clone() {
            let report = bench::run_with(&load(target.clone(), encoding, payload), CHECKED)
                .await
                .unwrap_or_else(|e| panic!("{target} {encoding:?}: {e}"));
            assert_eq!(report.requests, 20, "{target} {encoding:?}");
            assert!(report.answer_len > 0);
        }
    }
}

#[tokio::test]
async fn checked_runs_refuse_error_answers() {
    let node = start_api_node().await;
    let target = &node.targets()[1];
    let bad_account = named(
        WireEncoding::Binary,
        "AccountWeight",
        r#"{"account":"nano_bad"}"#,
    );
    let cases = [
        (Encoding::Flatbuffers, bad_account, "Bad account number"),
        // Not an envelope at all: the node's "invalid message format" error.
        (
            Encoding::Flatbuffers,
            Bytes::from_static(b"{\"action\":\"block_count\"}"),
            "Error 1",
        ),
        (
            Encoding::FlatbuffersJson,
            Bytes::from_static(b"{"),
            "Error 1",
        ),
        (
            Encoding::JsonV1,
            Bytes::from_static(br#"{"action":"nope"}"#),
            "Unknown command",
        ),
    ];
    for (encoding, payload, expected) in cases {
        let opts = load(target.clone(), encoding, payload.clone());
        match bench::run_with(&opts, CHECKED).await {
            Err(BenchError::ErrorAnswer(msg)) => {
                assert!(msg.contains(expected), "{encoding:?}: {msg}")
            }
            other => panic!("{encoding:?}: {other:?}"),
        }
        // Unchecked runs (as against the echo server) only count answers.
        let report = bench::run(&opts).await.unwrap();
        assert_eq!(report.requests, 20);
    }
}

#[test]
fn answers_that_are_not_answers_are_reported() {
    for encoding in Encoding::ALL {
        match check_answer(encoding, b"    ") {
            Err(BenchError::BadAnswer { encoding: e, .. }) => assert_eq!(e, encoding as u8),
            other => panic!("{encoding:?}: {other:?}"),
        }
    }
    assert!(check_answer(Encoding::JsonV1, br#"{"count":"1"}"#).is_ok());
    assert!(matches!(
        check_answer(Encoding::JsonV1Unsafe, br#"{"error":"Unknown command"}"#),
        Err(BenchError::ErrorAnswer(m)) if m == "Unknown command"
    ));
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `nanoipc bench --target <target> -q <args…>` without blocking the runtime serving the node.
async fn bench_cli(target: &Target, args: &[&str]) -> Run {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_nanoipc"))
        .arg("bench")
        .arg("--target")
        .arg(target.to_string())
        .arg("--quiet")
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

#[tokio::test]
async fn the_cli_benchmarks_named_requests_and_refuses_bad_ones() {
    let node = start_api_node().await;
    for target in node.targets() {
        for args in [
            &["--encoding", "3", "--message", "IsAlive"][..],
            &[
                "--encoding",
                "4",
                "--message",
                "AccountWeight",
                &format!(r#"{{"account":"{GENESIS}"}}"#),
            ],
            &["--encoding", "3"], // IsAlive by default
            &["--encoding", "1"], // block_count by default
        ] {
            let mut all = args.to_vec();
            all.extend(["--requests", "20", "--connections", "2"]);
            let ok = bench_cli(&target, &all).await;
            assert_eq!(ok.code, Some(0), "{target} {args:?}: {}", ok.stderr);
            assert!(ok.stdout.starts_with("20 requests in "), "{}", ok.stdout);
        }
    }

    let target = &node.targets()[0];
    let refused = [
        (
            &[
                "--encoding",
                "3",
                "--message",
                "AccountWeight",
                r#"{"account":"nano_bad"}"#,
            ][..],
            "Bad account number",
        ),
        (
            &["--encoding", "1", "--payload", r#"{"action":"nope"}"#],
            "Unknown command",
        ),
    ];
    for (args, expected) in refused {
        let mut all = args.to_vec();
        all.extend(["--requests", "20"]);
        let bad = bench_cli(target, &all).await;
        assert_eq!(bad.code, Some(1), "{args:?}: {}", bad.stdout);
        assert!(
            bad.stderr.contains("answered the request with an error"),
            "{}",
            bad.stderr
        );
        assert!(bad.stderr.contains(expected), "{}", bad.stderr);
        assert_eq!(bad.stdout, "", "nothing measured");
    }

    let usage = [
        &["--encoding", "3", "--payload", "x"][..],
        &["--encoding", "1", "--message", "IsAlive"],
        &["--encoding", "3", "--message", "Nope"],
        &[
            "--encoding",
            "4",
            "--message",
            "AccountWeight",
            r#"{"acount":"x"}"#,
        ],
        &["--timeout", "soon"],
    ];
    for args in usage {
        let run = bench_cli(target, args).await;
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
    }
}
