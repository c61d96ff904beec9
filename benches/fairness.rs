//! Fairness under the most expensive requests: what an `IsAlive` on its own connection waits
//! while other clients pipeline costly reads, and what `account_balance` costs on an account
//! with many receivables.
//!
//! The ledger: genesis sends `NANOIPC_BENCH_RECEIVABLES` (20,000) blocks of 1 raw to one account,
//! so that account has 20,000 receivables and the genesis chain is 20,001 blocks long.
//!
//! 1. `account_balance` of that account, served in-process by the request core (legacy JSON):
//!    p50/p99 over 2,000 calls.
//! 2. Attack: `NANOIPC_BENCH_ATTACKERS` (4) clients over the Unix socket each keep 16 requests in
//!    flight, rotating `account_history` with count -1 on the genesis chain, `accounts_balances`
//!    of 2,000 accounts (the loaded one among them) and `account_balance` of the loaded account.
//!    Meanwhile a probe client on its own connection sends one binary `IsAlive` at a time, every
//!    5 ms, for `NANOIPC_BENCH_SECS` (5) seconds: its latency p50/p99/max is the figure.
//!
//! `cargo bench --bench fairness`. Loopback only; every loop is bounded by count and time.

#[path = "common/mod.rs"]
mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use nanoipc::api::{answer, Api, Caller, Encoding as ApiEncoding, Service};
use nanoipc::config::IpcConfig;
use nanoipc::ipc::client::{Client, Target};
use nanoipc::ipc::{Encoding, IpcServer};
use nanoipc::ledger::primitives::*;
use nanoipc::ledger::{Ledger, ProcessResult};
use nanoipc::schema::{
    finish_envelope_buffer, Envelope, EnvelopeArgs, IsAlive, IsAliveArgs, JsonOptions, Message,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const GENESIS: &str = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Genesis sends `count` blocks of 1 raw each to `destination`.
fn load_receivables(ledger: &Ledger, destination: &Account, count: u128) {
    let g = common::genesis_key();
    let mut head = Network::Dev.genesis_hash();
    let mut batch = Vec::new();
    for n in 1..=count {
        let block = common::send(&g, head, u128::MAX - n, destination.0);
        head = block.hash();
        batch.push(block);
        if batch.len() == 4096 || n == count {
            let results = ledger.process(&batch).expect("process");
            assert!(results.iter().all(|r| *r == ProcessResult::Progress));
            batch.clear();
        }
    }
}

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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<40} n={:<6} p50={:>10.3?} p99={:>10.3?} max={:>10.3?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples.last().copied().unwrap_or_default()
    );
}

fn main() {
    let receivables = env_or("NANOIPC_BENCH_RECEIVABLES", 20_000);
    let attackers = env_or("NANOIPC_BENCH_ATTACKERS", 4);
    let secs = env_or("NANOIPC_BENCH_SECS", 5);
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = Ledger::open(dir.path(), Network::Dev).expect("ledger");
    let loaded = Account([0x5a; 32]);
    let started = Instant::now();
    load_receivables(&ledger, &loaded, receivables as u128);
    println!(
        "ledger: {receivables} receivables on one account, genesis chain of {} blocks ({:.1?} to build)",
        receivables + 1,
        started.elapsed()
    );
    let core: Arc<dyn Service> = Arc::new(
        nanoipc::rpc_legacy::request_core(Api::new(ledger.clone(), JsonOptions::default()))
            .expect("registry"),
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let balance = format!(
        r#"{{"action":"account_balance","account":"{}"}}"#,
        loaded.encode_address()
    );

    // 1. account_balance on the loaded account, in-process.
    let caller = Caller::local(1);
    let mut samples = Vec::new();
    for _ in 0..2000 {
        let t = Instant::now();
        let out = rt.block_on(answer(
            core.as_ref(),
            &caller,
            ApiEncoding::JsonV1,
            Bytes::from(balance.clone()),
        ));
        samples.push(t.elapsed());
        assert!(
            !out.windows(7).any(|w| w == b"\"error\""),
            "{}",
            String::from_utf8_lossy(&out)
        );
    }
    summary(
        &format!("account_balance ({receivables} receivables)"),
        samples,
    );

    // 2. IsAlive probe latency while attackers pipeline the costly reads.
    let mut many: Vec<String> = (0u32..1999)
        .map(|n| {
            let mut key = [0u8; 32];
            key[..4].copy_from_slice(&n.to_be_bytes());
            format!("\"{}\"", Account(key).encode_address())
        })
        .collect();
    many.push(format!("\"{}\"", loaded.encode_address()));
    let costly: Vec<Bytes> = vec![
        Bytes::from(format!(
            r#"{{"action":"account_history","account":"{GENESIS}","count":"-1"}}"#
        )),
        Bytes::from(format!(
            r#"{{"action":"accounts_balances","accounts":[{}]}}"#,
            many.join(",")
        )),
        Bytes::from(balance),
    ];
    let mut config = IpcConfig::default();
    config.local.enable = true;
    config.local.path = dir.path().join("node.sock");
    config.tcp.enable = false;
    rt.block_on(async move {
        let server = IpcServer::start(&config, core).await.expect("server");
        let target = Target::Unix(config.local.path.clone());
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for a in 0..attackers {
            let stream = tokio::net::UnixStream::connect(&config.local.path)
                .await
                .expect("connect");
            // Reading and writing run apart: a client that wrote its whole pipeline before reading
            // would deadlock against large answers (both sides blocked writing).
            let (mut rd, mut wr) = stream.into_split();
            let window = Arc::new(tokio::sync::Semaphore::new(16));
            let (stop_w, window_w, costly) = (stop.clone(), window.clone(), costly.clone());
            tasks.push(tokio::spawn(async move {
                let mut next = a as usize;
                while !stop_w.load(Ordering::Relaxed) {
                    window_w.acquire().await.expect("open").forget();
                    let payload = &costly[next % costly.len()];
                    next += 1;
                    let mut frame = vec![b'N', 1, 0, 0];
                    frame.extend_from_slice(&(payload.len() as u32).to_be_bytes());
                    frame.extend_from_slice(payload);
                    if wr.write_all(&frame).await.is_err() {
                        break;
                    }
                }
            }));
            let answered = answered.clone();
            tasks.push(tokio::spawn(async move {
                loop {
                    let mut len = [0u8; 4];
                    if rd.read_exact(&mut len).await.is_err() {
                        break;
                    }
                    let mut body = vec![0u8; u32::from_be_bytes(len) as usize];
                    if rd.read_exact(&mut body).await.is_err() {
                        break;
                    }
                    assert!(
                        !body.starts_with(b"{\n    \"error\""),
                        "{}",
                        String::from_utf8_lossy(&body)
                    );
                    answered.fetch_add(1, Ordering::Relaxed);
                    window.add_permits(1);
                }
            }));
        }
        let mut probe = Client::connect(&target).await.expect("connect");
        let ping = is_alive_binary();
        let mut samples = Vec::new();
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            let t = Instant::now();
            probe.send(Encoding::Flatbuffers, &ping).expect("send");
            probe.flush().await.expect("flush");
            probe.recv().await.expect("IsAlive answer");
            samples.push(t.elapsed());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stop.store(true, Ordering::Relaxed);
        let costly_answers = answered.load(Ordering::Relaxed);
        summary(
            &format!("IsAlive under attack ({attackers} clients x 16)"),
            samples,
        );
        println!(
            "costly answers in {secs} s: {costly_answers} ({:.1}/s)",
            costly_answers as f64 / secs as f64
        );
        for t in tasks {
            t.abort();
        }
        drop(server);
    });
}
