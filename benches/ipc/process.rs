//! Block processing through the real node over IPC, against bare signature verification of the
//! same blocks on all cores, measured in the same run.
//!
//! Setup (untimed): a fresh dev ledger in a temp dir, where genesis funds and opens
//! [`ACCOUNTS`] accounts (processed directly through the ledger), and per account a chain of
//! valid sends (real signatures, dev work) rendered as legacy `process` requests: encoding 1,
//! `json_block`, `subtype: send`, the form wallets send. Timed: [`CONNECTIONS`] Unix-socket
//! connections to a node serving that ledger, each submitting the chains of its own
//! [`ACCOUNTS`]/[`CONNECTIONS`] accounts, interleaved (one block of each account in turn). Every
//! answer must be `{"hash": …}` with the block's own hash; any other answer stops the benchmark.
//!
//! Two ways of submitting, both reported:
//! - **one in flight**: each connection waits for an answer before sending the next request.
//!   A commit then holds at most one block per connection, so on a disk the rate is capped by
//!   fsync latency, whatever the node does.
//! - **pipelined**: each connection keeps one request in flight per account it owns, which is
//!   what a service submitting for many accounts does. A block is sent only after its
//!   predecessor in the same chain was answered (answers come in request order, and a window of
//!   that many consecutive requests holds each account once), so every block is valid when it
//!   arrives; the node's group commit can then batch up to [`ACCOUNTS`] blocks per durable
//!   commit.
//!
//! The baseline verifies the same blocks' signatures on [`CONNECTIONS`] threads. Beside the
//! ratio, the same requests served by the request core in-process (one task per account, no
//! sockets) show how much of the node's time is the transport. The ledger's directory matters:
//! the run measures the default temp dir and, when present, tmpfs (`/dev/shm`), where LMDB still
//! syncs every commit but the sync costs nothing. Durability is the same in both.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use nanoipc::api::{answer, Api, Caller};
use nanoipc::config::IpcConfig;
use nanoipc::ipc::client::{Client, Target};
use nanoipc::ipc::{Encoding, IpcServer};
use nanoipc::schema::JsonOptions;
use serde::Deserialize;

use crate::common::{median, storages, Workload};

/// Accounts, each with its own chain.
const ACCOUNTS: usize = 256;
/// Connections; each submits the chains of `ACCOUNTS / CONNECTIONS` accounts.
const CONNECTIONS: usize = 32;
/// Sends per account chain.
const SENDS: usize = 16;
/// Rounds per storage and mode, each on a fresh ledger; the medians are reported.
const ROUNDS: usize = 5;

/// One request to send and the hash its answer must carry.
type Step = (Bytes, String);

/// The workload, each account's chain as requests, and each connection's interleaved share.
pub struct ProcessLoad {
    work: Workload,
    chains: Vec<Vec<Step>>,
    connections: Vec<Vec<Step>>,
}

/// What one storage measured, in blocks/s.
pub struct ProcessRates {
    pub storage: &'static str,
    /// Through the node over sockets, one request in flight per connection.
    pub one_in_flight: f64,
    /// Through the node over sockets, one request in flight per account: the benchmark.
    pub pipelined: f64,
    /// The same requests served by the request core in-process, one task per account.
    pub core: f64,
    /// Bare signature verification on `CONNECTIONS` threads: the baseline.
    pub verify: f64,
}

impl ProcessLoad {
    pub fn new() -> Self {
        let work = Workload::new(ACCOUNTS, SENDS);
        let chains: Vec<Vec<Step>> = work
            .chains
            .iter()
            .map(|chain| chain.iter().map(process_request).collect())
            .collect();
        let per_connection = ACCOUNTS / CONNECTIONS;
        let connections = chains
            .chunks(per_connection)
            .map(|owned| {
                (0..SENDS)
                    .flat_map(|n| owned.iter().map(move |chain| chain[n].clone()))
                    .collect()
            })
            .collect();
        ProcessLoad {
            work,
            chains,
            connections,
        }
    }

    /// Runs the rounds on every storage, verification and node interleaved, and prints them.
    pub async fn run(&self) -> Vec<ProcessRates> {
        let blocks = self.work.blocks();
        println!(
            "process over IPC: {blocks} sends from {ACCOUNTS} accounts over {CONNECTIONS} connections (legacy process, encoding 1), vs bare signature verification of the same blocks on {CONNECTIONS} threads"
        );
        let depth = ACCOUNTS / CONNECTIONS;
        let mut results = Vec::new();
        for (storage, parent) in storages() {
            let (mut single, mut piped, mut core, mut verify) = (vec![], vec![], vec![], vec![]);
            for _ in 0..ROUNDS {
                verify.push(self.work.time_verify_on(CONNECTIONS));
                core.push(self.time_core(&parent).await);
                single.push(self.time_node(&parent, 1).await);
                piped.push(self.time_node(&parent, depth).await);
            }
            let rate = |times| self.work.rate(median(times));
            let result = ProcessRates {
                storage,
                one_in_flight: rate(single),
                pipelined: rate(piped),
                core: rate(core),
                verify: rate(verify),
            };
            println!(
                "  {storage} ({}): verify {:.0} blocks/s; node pipelined ({depth} in flight per connection) {:.0} blocks/s, ratio {:.3} (target >= 0.5); node one in flight {:.0} blocks/s (ratio {:.3}); core without sockets {:.0} blocks/s (ratio {:.3})",
                parent.display(),
                result.verify,
                result.pipelined,
                result.pipelined / result.verify,
                result.one_in_flight,
                result.one_in_flight / result.verify,
                result.core,
                result.core / result.verify,
            );
            results.push(result);
        }
        results
    }

    /// Time for every connection to have its share accepted by a node over a fresh ledger
    /// under `parent`, keeping `depth` requests in flight per connection (ledger setup, node
    /// start and connecting excluded).
    async fn time_node(&self, parent: &Path, depth: usize) -> Duration {
        let (_ledger_dir, ledger) = self.work.ledger(parent);
        let socket_dir = tempfile::tempdir().expect("tempdir");
        let mut config = IpcConfig::default();
        config.local.path = socket_dir.path().join("node.sock");
        let core = nanoipc::rpc_legacy::request_core(Api::new(ledger, JsonOptions::default()))
            .expect("request core");
        let server = IpcServer::start(&config, Arc::new(core))
            .await
            .expect("node starts");
        let target = Target::Unix(config.local.path.clone());
        let mut loads = Vec::with_capacity(self.connections.len());
        for share in &self.connections {
            let client = Client::connect(&target).await.expect("connect");
            loads.push((client, share.clone()));
        }

        let start = Instant::now();
        let tasks: Vec<_> = loads
            .into_iter()
            .map(|(client, share)| tokio::spawn(submit(client, share, depth)))
            .collect();
        join_all(tasks).await;
        let elapsed = start.elapsed();
        server.shutdown().await;
        elapsed
    }

    /// The same requests without sockets: one task per account hands its chain to the request
    /// core in-process and waits for each answer (`api::answer`), as a session would.
    async fn time_core(&self, parent: &Path) -> Duration {
        let (_ledger_dir, ledger) = self.work.ledger(parent);
        let core = Arc::new(
            nanoipc::rpc_legacy::request_core(Api::new(ledger, JsonOptions::default()))
                .expect("request core"),
        );
        let loads: Vec<_> = self
            .chains
            .iter()
            .map(|c| (core.clone(), c.clone()))
            .collect();
        let start = Instant::now();
        let tasks: Vec<_> = loads
            .into_iter()
            .enumerate()
            .map(|(session, (core, chain))| {
                tokio::spawn(async move {
                    let caller = Caller::local(session as u64);
                    for (request, hash) in chain {
                        let answer = answer(&*core, &caller, Encoding::JsonV1, request).await;
                        check_processed(&answer, &hash)?;
                    }
                    Ok::<_, String>(())
                })
            })
            .collect();
        join_all(tasks).await;
        start.elapsed()
    }
}

/// A block as the legacy `process` request a wallet sends, and the hash it must answer.
fn process_request(block: &nanoipc::ledger::primitives::Block) -> Step {
    let request = serde_json::json!({
        "action": "process",
        "json_block": "true",
        "subtype": "send",
        "block": block.to_json(),
    });
    (Bytes::from(request.to_string()), block.hash().encode_hex())
}

/// Submits `share` over one connection with up to `depth` requests in flight, checking every
/// answer in order.
async fn submit(mut client: Client, share: Vec<Step>, depth: usize) -> Result<(), String> {
    let mut sent = 0;
    for (answered, (_, hash)) in share.iter().enumerate() {
        while sent < share.len() && sent < answered + depth.max(1) {
            client
                .send(Encoding::JsonV1, &share[sent].0)
                .map_err(|e| e.to_string())?;
            sent += 1;
        }
        let answer = client.recv().await.map_err(|e| e.to_string())?;
        check_processed(&answer, hash)?;
    }
    Ok(())
}

/// Waits for every load task; a block the node did not accept stops the benchmark.
async fn join_all(tasks: Vec<tokio::task::JoinHandle<Result<(), String>>>) {
    for task in tasks {
        if let Err(e) = task.await.expect("load task") {
            panic!("the node did not accept a block: {e}");
        }
    }
}

/// A successful legacy `process` answer carries the block's own hash.
fn check_processed(answer: &[u8], hash: &str) -> Result<(), String> {
    if processed_hash(answer).as_deref() == Some(hash) {
        Ok(())
    } else {
        Err(format!(
            "process of {hash} answered {}",
            String::from_utf8_lossy(answer)
        ))
    }
}

/// The `hash` of a successful legacy `process` answer.
fn processed_hash(answer: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Processed {
        hash: String,
    }
    serde_json::from_slice::<Processed>(answer)
        .ok()
        .map(|p| p.hash)
}
