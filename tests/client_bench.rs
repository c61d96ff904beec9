//! `nanoipc bench` against an in-process node running the node's own handler: v2 requests built
//! by name (`--message`) in encodings 3 and 4, legacy payloads, and the probe that refuses to
//! measure error answers, through the library (`bench::run_with`) and the built binary.

mod client_support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use client_support::*;
use flatbuffers::FlatBufferBuilder;
use nanoipc::api::{Caller, Encoding, Refusal, Reply, Service};
use nanoipc::client::{encode_named, CallOptions, Target, WireEncoding};
use nanoipc::ipc::bench::{self, check_answer, BenchError, BenchOptions, Budget, RunChecks};
use nanoipc::schema::{
    finish_envelope_buffer, Envelope, EnvelopeArgs, Error, ErrorArgs, IsAlive, IsAliveArgs,
    Message, Success, SuccessArgs,
};

const CHECKED: RunChecks = RunChecks {
    probe: true,
    answers: true,
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
            assert_eq!(report.errors, 0, "{target} {encoding:?}");
            assert!(report.answer_len > 0);
            assert!(
                report.p50_us <= report.p99_us
                    && report.p99_us <= report.p999_us
                    && report.p999_us <= report.max_us,
                "{report}"
            );
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

/// A node whose answers alternate, over all connections: answer 0 (the probe), 2, 4, … are
/// successes (`IsAlive` for v2, a plain object for legacy); answers 1, 5, 9, … are errors
/// (`Error`, `{"error": …}`), answers 3, 7, 11, … are the wrong v2 type (`Success`) or a legacy
/// answer with a nested `error` key that is not an error. So after the probe, a budget of 4k
/// requests meets exactly k error answers and k wrong-type answers.
struct Alternating(AtomicU64);

impl Alternating {
    fn envelope(kind: u64) -> Vec<u8> {
        let mut fbb = FlatBufferBuilder::new();
        let (tag, message) = match kind {
            1 => {
                let text = fbb.create_string("Not implemented: x");
                let e = Error::create(
                    &mut fbb,
                    &ErrorArgs {
                        code: 5,
                        category: 3,
                        message: Some(text),
                    },
                );
                (Message::Error, e.as_union_value())
            }
            3 => (
                Message::Success,
                Success::create(&mut fbb, &SuccessArgs { message: None }).as_union_value(),
            ),
            _ => (
                Message::IsAlive,
                IsAlive::create(&mut fbb, &IsAliveArgs {}).as_union_value(),
            ),
        };
        let env = Envelope::create(
            &mut fbb,
            &EnvelopeArgs {
                time: 1,
                credentials: None,
                correlation_id: None,
                message_type: tag,
                message: Some(message),
            },
        );
        finish_envelope_buffer(&mut fbb, env);
        fbb.finished_data().to_vec()
    }
}

impl Service for Alternating {
    fn serve(&self, _: &Caller, encoding: Encoding, _: Bytes, out: &mut BytesMut) -> Reply {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        let kind = if n % 2 == 0 { 0 } else { n % 4 };
        match encoding {
            Encoding::JsonV1 | Encoding::JsonV1Unsafe => out.extend_from_slice(match kind {
                1 => br#"{"error":"Unknown command"}"#.as_slice(),
                // Correct: an `error` key nested in a value is not an error answer.
                3 => br#"{"count":"1","detail":{"error":"not at top level"}}"#,
                _ => br#"{"count":"1"}"#,
            }),
            Encoding::Flatbuffers => out.extend_from_slice(&Self::envelope(kind)),
            Encoding::FlatbuffersJson => out.extend_from_slice(match kind {
                1 => {
                    br#"{"time":1,"message_type":"Error","message":{"code":5,"message":"IsAlive"}}"#
                        .as_slice()
                }
                // The probe's type named inside the message is not the answer's type.
                3 => br#"{"time":1,"message_type":"Success","message":{"message":"IsAlive"}}"#,
                _ => br#"{"time":1,"message_type":"IsAlive","message":{}}"#,
            }),
        }
        Reply::Ready
    }

    fn refuse(&self, _: &Caller, _: Encoding, _: Refusal, _: &mut BytesMut) {}
}

#[tokio::test]
async fn error_and_wrong_type_answers_are_counted_apart_in_every_encoding() {
    for encoding in Encoding::ALL {
        let node = start_with(Arc::new(Alternating(AtomicU64::new(0)))).await;
        let payload = match encoding {
            Encoding::Flatbuffers => named(WireEncoding::Binary, "IsAlive", "{}"),
            Encoding::FlatbuffersJson => named(WireEncoding::Json, "IsAlive", "{}"),
            _ => Bytes::from_static(br#"{"action":"block_count"}"#),
        };
        let mut opts = load(node.targets()[0].clone(), encoding, payload);
        opts.budget = Budget::Requests(40);
        let report = bench::run_with(&opts, CHECKED).await.unwrap();
        // 40 timed answers (after the probe): 20 successes, 10 errors, 10 of the wrong type —
        // except for legacy, where the nested `error` is a success.
        let (ok, errors) = match encoding {
            Encoding::JsonV1 | Encoding::JsonV1Unsafe => (30, 10),
            _ => (20, 20),
        };
        assert_eq!(
            (report.requests, report.errors),
            (ok, errors),
            "{encoding:?}"
        );
        assert!(report
            .to_string()
            .contains(&format!("; {errors} error answers")));
    }
}

#[tokio::test]
async fn the_cli_fails_a_run_that_met_error_answers() {
    let node = start_with(Arc::new(Alternating(AtomicU64::new(0)))).await;
    let run = bench_cli(
        &node.targets()[1],
        &["--encoding", "3", "--requests", "8", "--connections", "2"],
    )
    .await;
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stdout.starts_with("4 requests in "), "{}", run.stdout);
    assert!(run.stdout.contains("; 4 error answers"), "{}", run.stdout);
    assert!(
        run.stderr.contains("4 answers were errors"),
        "{}",
        run.stderr
    );
}
