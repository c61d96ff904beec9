//! IPC throughput: the node vs a minimal framed echo server (reads one frame, writes a fixed answer:
//! one of the node's own answers to the same request), under the same load in one run: 32 connections over Unix
//! sockets, one request in flight each. Prints both reports and the node/echo ratio per message.
//!
//! The node is the real handler (`RequestCore` over a dev ledger in a temp dir, where genesis has
//! sent 12 blocks, so its chain holds 13). Messages and targets (node req/s ÷ echo req/s): IsAlive
//! in encoding 3 (≥ 0.85), AccountWeight, AccountInfo and AccountHistory (count 10) of the genesis
//! account in encoding 4 (≥ 0.7), legacy `block_count` in encoding 1 (≥ 0.7). Every node answer
//! is checked: the first one fully (no error, the expected type and content), every timed one by
//! its message type (v2) or the absence of `error` (legacy); error answers are not timed, and a
//! run with any stops the benchmark.
//!
//! Then block processing over IPC against bare signature verification (see `process`), then the
//! memory cost of idle connections of the real binary. A summary table of the ratios ends the run.
//!
//! `cargo bench --bench ipc` (set NANOIPC_BENCH_SECS to change the 3 s per run, NANOIPC_BENCH_IDLE
//! for the idle-connection count, NANOIPC_BENCH_ONLY to run only the benchmarks whose name
//! contains it: a message name, `process` or `idle`).

#[path = "common/mod.rs"]
mod common;
#[path = "ipc/process.rs"]
mod process;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use nanoipc::api::Api;
use nanoipc::api::{Caller, RequestCore, Service};
use nanoipc::config::IpcConfig;
use nanoipc::ipc::bench::{self, BenchOptions, BenchReport, Budget, RunChecks};
use nanoipc::ipc::client::{Client, Target};
use nanoipc::ipc::{Encoding, IpcServer};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::{Ledger, ProcessResult};
use nanoipc::schema::{
    finish_envelope_buffer, Envelope, EnvelopeArgs, IsAlive, IsAliveArgs, JsonOptions, Message,
};
use tokio_util::sync::CancellationToken;

const GENESIS: &str = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo";

/// A binary IsAlive request envelope, built with the generated builders.
fn is_alive_binary() -> Bytes {
    let mut fbb = flatbuffers::FlatBufferBuilder::new();
    let message = IsAlive::create(&mut fbb, &IsAliveArgs {}).as_union_value();
    let env = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            time: 0,
            credentials: None,
            correlation_id: None,
            message_type: Message::IsAlive,
            message: Some(message),
        },
    );
    finish_envelope_buffer(&mut fbb, env);
    Bytes::copy_from_slice(fbb.finished_data())
}

/// Whether `NANOIPC_BENCH_ONLY` lets the benchmark `name` run.
fn selected(name: &str) -> bool {
    std::env::var("NANOIPC_BENCH_ONLY").map_or(true, |only| name.contains(&only))
}

/// One line of the closing summary: what was compared, the ratio, its target.
struct Ratio {
    name: String,
    ratio: f64,
    target: f64,
}

/// The node against the echo server answering as many bytes, same load: returns node/echo.
async fn compare(
    name: &str,
    encoding: Encoding,
    payload: Bytes,
    secs: u64,
    node_target: &Target,
) -> f64 {
    let load = |target: Target| BenchOptions {
        target,
        encoding,
        payload: payload.clone(),
        connections: 32,
        budget: Budget::Duration(Duration::from_secs(secs)),
        progress: false,
    };
    let checks = RunChecks {
        probe: true,
        answers: true,
        timeout: Some(Duration::from_secs(10)),
    };
    let node: BenchReport = bench::run_with(&load(node_target.clone()), checks)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(node.errors, 0, "{name}: the node answered errors: {node}");

    // The echo server answers with one of the node's own answers, and the run checks its answers
    // the same way, so both sides do the same client-side work and the ratio is the node's cost.
    let answer = Client::connect(node_target)
        .await
        .unwrap()
        .request(encoding, &payload)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let echo_path = dir.path().join("echo.sock");
    let stop = CancellationToken::new();
    let echo_task = bench::echo_server_unix_answering(&echo_path, &answer, stop.clone())
        .await
        .unwrap();
    let echo = bench::run_with(&load(Target::Unix(echo_path)), checks)
        .await
        .unwrap_or_else(|e| panic!("{name} (echo): {e}"));
    assert_eq!(
        echo.errors, 0,
        "{name}: the echo's answers failed the check"
    );
    stop.cancel();
    let _ = echo_task.await;

    println!("{name}");
    println!("  node: {node}");
    println!("  echo: {echo}");
    let ratio = node.req_per_sec() / echo.req_per_sec().max(1.0);
    println!("  ratio node/echo: {ratio:.3}");
    ratio
}

/// Serves `payload` once through the core and checks the answer before anything is timed: a
/// `message_type` envelope whose message passes `check`.
async fn check_v2(
    handler: &RequestCore,
    payload: &Bytes,
    message_type: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) {
    let answer = nanoipc::api::answer(
        handler,
        &Caller::local(1),
        Encoding::FlatbuffersJson,
        payload.clone(),
    )
    .await;
    let answer: serde_json::Value = serde_json::from_slice(&answer).expect("JSON answer");
    assert_eq!(answer["message_type"], message_type, "{answer}");
    assert!(check(&answer["message"]), "unexpected answer: {answer}");
}

/// The handler alone, without sockets: mean ns per request over `n` calls of
/// [`Service::serve`], to see where a ratio below target comes from.
fn handler_cost(handler: &RequestCore, name: &str, encoding: Encoding, payload: &Bytes) {
    let caller = Caller::local(1);
    let mut out = bytes::BytesMut::with_capacity(1024);
    let mut run = |n: u32| {
        let start = std::time::Instant::now();
        for _ in 0..n {
            out.clear();
            handler.serve(&caller, encoding, payload.clone(), &mut out);
        }
        start.elapsed().as_nanos() as f64 / f64::from(n)
    };
    run(10_000);
    println!("  handler only ({name}): {:.0} ns/request", run(200_000));
}

/// Resident memory of process `pid` in KiB, from /proc.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// RSS cost per idle connection of the real `nanoipc node` binary: open `n` connections, answer one
/// request on each (so every session has its buffers), then compare the node's RSS before and after.
async fn idle_memory(n: usize) {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("idle.sock");
    std::fs::write(
        dir.path().join("config-node.toml"),
        format!("[node.ipc.local]\npath = \"{}\"\n", sock.display()),
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_nanoipc"))
        .args(["node", "--data-path"])
        .arg(dir.path())
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("ipc local socket listening") {
            break;
        }
    }
    let target = Target::Unix(sock);
    // Warm up the runtime's worker threads and allocator before the baseline.
    let mut warm = Client::connect(&target).await.unwrap();
    warm.legacy(r#"{"action":"nope"}"#, false).await.unwrap();
    let before = rss_kib(child.id());
    let mut conns = Vec::with_capacity(n);
    for _ in 0..n {
        let mut c = Client::connect(&target).await.unwrap();
        c.legacy(r#"{"action":"nope"}"#, false).await.unwrap();
        conns.push(c);
    }
    let after = rss_kib(child.id());
    println!(
        "idle connections: {n} cost {} KiB of node RSS, {:.1} KiB each",
        after.saturating_sub(before),
        after.saturating_sub(before) as f64 / n as f64
    );
    drop(conns);
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

fn main() {
    // A failure the node only logs (a ledger error behind a generic error answer) is shown.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .with_writer(std::io::stderr)
        .init();
    let secs = std::env::var("NANOIPC_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut ratios = Vec::new();
        let dir = tempfile::tempdir().unwrap();
        let mut config = IpcConfig::default();
        config.local.path = dir.path().join("node.sock");
        let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
        // A genesis chain of 13 blocks, so that a history of 10 entries is a real walk.
        let sends = common::genesis_sends(12);
        let results = ledger.process(&sends).unwrap();
        assert!(results.iter().all(|r| *r == ProcessResult::Progress));
        let handler = Arc::new(
            nanoipc::rpc_legacy::request_core(Api::new(ledger, JsonOptions::default())).unwrap(),
        );
        let v2 = |message: &str, extra: &str| {
            Bytes::from(format!(
                r#"{{"message_type":"{message}","message":{{"account":"{GENESIS}"{extra}}}}}"#
            ))
        };
        let account_weight = v2("AccountWeight", "");
        let account_info = v2("AccountInfo", "");
        let account_history = v2("AccountHistory", r#","count":10"#);
        let head = sends.last().unwrap().hash().encode_hex();
        check_v2(&handler, &account_info, "AccountInfoResponse", |m| {
            m["frontier"] == head.as_str() && m["block_count"] == 13
        })
        .await;
        check_v2(&handler, &account_history, "AccountHistoryResponse", |m| {
            m["history"].as_array().map(Vec::len) == Some(10) && m["history"][0]["hash"] == head
        })
        .await;
        let block_count = Bytes::from_static(br#"{"action":"block_count"}"#);
        let cases = [
            (
                "IsAlive, encoding 3",
                Encoding::Flatbuffers,
                is_alive_binary(),
                0.85,
            ),
            (
                "AccountWeight (genesis), encoding 4",
                Encoding::FlatbuffersJson,
                account_weight,
                0.7,
            ),
            (
                "AccountInfo (genesis), encoding 4",
                Encoding::FlatbuffersJson,
                account_info,
                0.7,
            ),
            (
                "AccountHistory (genesis, count 10), encoding 4",
                Encoding::FlatbuffersJson,
                account_history,
                0.7,
            ),
            (
                "legacy block_count, encoding 1",
                Encoding::JsonV1,
                block_count,
                0.7,
            ),
        ];
        println!("handler cost without sockets:");
        for (name, encoding, payload, _) in &cases {
            if selected(name) {
                handler_cost(&handler, name, *encoding, payload);
            }
        }
        let server = IpcServer::start(&config, handler.clone()).await.unwrap();
        let target = Target::Unix(config.local.path.clone());
        for (name, encoding, payload, target_ratio) in cases {
            if !selected(name) {
                continue;
            }
            let name = format!("{name} (target >= {target_ratio})");
            let ratio = compare(&name, encoding, payload, secs, &target).await;
            ratios.push(Ratio {
                name: format!("{name}: node/echo"),
                ratio,
                target: target_ratio,
            });
        }
        server.shutdown().await;

        if selected("process") {
            for r in process::ProcessLoad::new().run().await {
                ratios.push(Ratio {
                    name: format!(
                        "process over IPC, pipelined, ledger on {}: node {:.0} / verify {:.0} blocks/s",
                        r.storage, r.pipelined, r.verify
                    ),
                    ratio: r.pipelined / r.verify,
                    target: 0.5,
                });
                ratios.push(Ratio {
                    name: format!(
                        "process over IPC, one in flight, ledger on {}: node {:.0} / verify {:.0} blocks/s",
                        r.storage, r.one_in_flight, r.verify
                    ),
                    ratio: r.one_in_flight / r.verify,
                    target: 0.5,
                });
            }
        }

        if selected("idle") {
            let idle = std::env::var("NANOIPC_BENCH_IDLE")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(10_000);
            idle_memory(idle).await;
        }

        println!();
        println!("| benchmark | ratio | target |");
        println!("|---|---:|---:|");
        for r in ratios {
            println!("| {} | {:.3} | >= {} |", r.name, r.ratio, r.target);
        }
    });
}
