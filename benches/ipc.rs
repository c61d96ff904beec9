//! IPC throughput: the node vs a minimal framed echo server (reads one frame, writes a fixed answer
//! of the same size as the node's), under the same load in one run: 32 connections over Unix
//! sockets, one request in flight each. Prints both reports and the node/echo ratio per message.
//!
//! `cargo bench --bench ipc` (set NANOIPC_BENCH_SECS to change the 3 s per run). The messages are
//! what the node can answer today; the real v2 messages (IsAlive, AccountWeight) and ledger-backed
//! legacy actions join when the codegen and ledger are wired.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use nanoipc::config::IpcConfig;
use nanoipc::ipc::bench::{self, BenchOptions, BenchReport, Budget};
use nanoipc::ipc::client::Target;
use nanoipc::ipc::{Encoding, IpcServer, LegacyRouter};
use nanoipc::rpc_legacy::{Call, Gate, LegacyError, LegacyRequest, Registry, Tree};
use tokio_util::sync::CancellationToken;

/// A load fixture shaped like `block_count`'s answer (three decimal strings), so the legacy path
/// (parse, registry, gate, render) is measured end to end until the ledger-backed action exists.
fn fixture_block_count(_: &(), _: &Call<'_>, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut t = Tree::object();
    t.put("count", "1")
        .put("unchecked", "0")
        .put("cemented", "1");
    Ok(t)
}

async fn compare(name: &str, encoding: Encoding, payload: &str, secs: u64, node_target: &Target) {
    let load = |target: Target| BenchOptions {
        target,
        encoding,
        payload: Bytes::from(payload.to_owned()),
        connections: 32,
        budget: Budget::Duration(Duration::from_secs(secs)),
        progress: false,
    };
    let node: BenchReport = bench::run(&load(node_target.clone())).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let echo_path = dir.path().join("echo.sock");
    let stop = CancellationToken::new();
    let echo_task = bench::echo_server_unix(&echo_path, node.answer_len, stop.clone())
        .await
        .unwrap();
    let echo = bench::run(&load(Target::Unix(echo_path))).await.unwrap();
    stop.cancel();
    let _ = echo_task.await;

    println!("{name}");
    println!("  node: {node}");
    println!("  echo: {echo}");
    println!(
        "  ratio node/echo: {:.3}",
        node.req_per_sec() / echo.req_per_sec().max(1.0)
    );
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
    let mut warm = nanoipc::ipc::client::Client::connect(&target)
        .await
        .unwrap();
    warm.legacy(r#"{"action":"nope"}"#, false).await.unwrap();
    let before = rss_kib(child.id());
    let mut conns = Vec::with_capacity(n);
    for _ in 0..n {
        let mut c = nanoipc::ipc::client::Client::connect(&target)
            .await
            .unwrap();
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
    let secs = std::env::var("NANOIPC_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let mut config = IpcConfig::default();
        config.local.path = dir.path().join("node.sock");
        let mut registry = Registry::with_node_actions();
        registry
            .register("block_count", Gate::Open, fixture_block_count)
            .unwrap();
        let server = IpcServer::start(&config, Arc::new(LegacyRouter::new((), registry)))
            .await
            .unwrap();
        let target = Target::Unix(config.local.path.clone());
        compare(
            "legacy block_count (fixture answer), encoding 1",
            Encoding::JsonV1,
            r#"{"action":"block_count"}"#,
            secs,
            &target,
        )
        .await;
        compare(
            "legacy unknown action (error path), encoding 1",
            Encoding::JsonV1,
            r#"{"action":"nope"}"#,
            secs,
            &target,
        )
        .await;
        server.shutdown().await;
        let idle = std::env::var("NANOIPC_BENCH_IDLE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10_000);
        idle_memory(idle).await;
    });
}
