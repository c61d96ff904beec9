//! The request core answering the two account reads issue 7's IPC targets name, without sockets:
//! `AccountInfo` and `AccountHistory` (count 10) of the dev genesis account in encoding 4, over a
//! dev ledger in a temp dir where genesis has sent 12 blocks (a chain of 13, as in
//! `benches/ipc.rs`). These rows are the handler-cost side of the `ipc` bench's node/echo ratios,
//! timed by criterion so that changes to the handlers can be compared on a busy machine.
//!
//! `cargo bench --bench accounts`. With `NANOIPC_BENCH_ITERS=n` (and optionally
//! `NANOIPC_BENCH_ONLY=info|history`) it instead serves the request `n` times and exits, without
//! criterion's own work, for `perf stat -e instructions` / `perf record`.

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use bytes::{Bytes, BytesMut};
use criterion::{criterion_group, criterion_main, Criterion};
use nanoipc::api::{Api, Caller, Encoding, Reply, RequestCore, Service};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::{Ledger, ProcessResult};
use nanoipc::schema::JsonOptions;

const GENESIS: &str = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo";

/// The core over the 13-block genesis chain and the two requests.
struct Rows {
    _dir: tempfile::TempDir,
    core: RequestCore,
    caller: Caller,
    info: Bytes,
    history: Bytes,
    head: String,
}

impl Rows {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let ledger = Ledger::open(dir.path(), Network::Dev).expect("dev ledger");
        let sends = common::genesis_sends(12);
        let results = ledger.process(&sends).expect("process");
        assert!(results.iter().all(|r| *r == ProcessResult::Progress));
        let core = nanoipc::rpc_legacy::request_core(Api::new(ledger, JsonOptions::default()))
            .expect("core");
        let request = |message: &str, extra: &str| {
            Bytes::from(format!(
                r#"{{"message_type":"{message}","message":{{"account":"{GENESIS}"{extra}}}}}"#
            ))
        };
        Rows {
            _dir: dir,
            core,
            caller: Caller::local(1),
            info: request("AccountInfo", ""),
            history: request("AccountHistory", r#","count":10"#),
            head: sends.last().expect("sends").hash().encode_hex(),
        }
    }

    /// One request through the core, answered inline into `out`.
    fn serve(&self, payload: &Bytes, out: &mut BytesMut) -> usize {
        out.clear();
        match self.core.serve(
            &self.caller,
            Encoding::FlatbuffersJson,
            payload.clone(),
            out,
        ) {
            Reply::Ready => out.len(),
            Reply::Later(_) => panic!("a read request was deferred"),
        }
    }

    /// Both answers are checked before anything is timed, so no row measures an error answer.
    fn check(&self) {
        let mut out = BytesMut::new();
        self.serve(&self.info, &mut out);
        let a: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(a["message_type"], "AccountInfoResponse", "{a}");
        assert_eq!(a["message"]["frontier"], self.head.as_str(), "{a}");
        assert_eq!(a["message"]["block_count"], 13, "{a}");
        self.serve(&self.history, &mut out);
        let a: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(a["message_type"], "AccountHistoryResponse", "{a}");
        let history = a["message"]["history"].as_array().expect("history");
        assert_eq!(history.len(), 10, "{a}");
        assert_eq!(history[0]["hash"], self.head.as_str(), "{a}");
    }
}

fn accounts(c: &mut Criterion) {
    let rows = Rows::new();
    rows.check();
    let mut out = BytesMut::with_capacity(4096);
    let mut g = c.benchmark_group("core");
    g.bench_function("account_info", |b| {
        b.iter(|| rows.serve(black_box(&rows.info), &mut out))
    });
    g.bench_function("account_history_10", |b| {
        b.iter(|| rows.serve(black_box(&rows.history), &mut out))
    });
    g.finish();
}

/// The fixed-count mode for `perf`: returns whether it ran.
fn fixed_iterations() -> bool {
    let Some(n) = std::env::var("NANOIPC_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    else {
        return false;
    };
    let rows = Rows::new();
    rows.check();
    let only = std::env::var("NANOIPC_BENCH_ONLY").unwrap_or_default();
    let payload = match only.as_str() {
        "info" => &rows.info,
        _ => &rows.history,
    };
    let mut out = BytesMut::with_capacity(4096);
    let start = std::time::Instant::now();
    for _ in 0..n {
        black_box(rows.serve(black_box(payload), &mut out));
    }
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    println!("{} x{n}: {ns:.0} ns/request", only_name(&only));
    true
}

fn only_name(only: &str) -> &'static str {
    match only {
        "info" => "AccountInfo",
        _ => "AccountHistory count 10",
    }
}

fn all(c: &mut Criterion) {
    if fixed_iterations() {
        return;
    }
    accounts(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
