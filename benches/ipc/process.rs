//! Block processing through the real node over IPC, against bare signature verification of the
//! same blocks on all cores, measured in the same run.
//!
//! Setup (untimed): a fresh dev ledger in a temp dir, where genesis funds and opens one account
//! per connection (processed directly through the ledger), and per account a chain of valid sends
//! (real signatures, dev work) rendered as legacy `process` requests. Timed: 32 Unix-socket
//! connections to a node serving that ledger, each submitting its own account's chain in order,
//! one request in flight: legacy `process` in encoding 1 with `json_block` and `subtype: send`,
//! the form wallets send. Every answer must be `{"hash": …}` with the block's own hash; any
//! other answer stops the benchmark. Beside it, and not part of the ratio, the same requests
//! served by the request core in-process (no sockets) show how much of the node's time is the
//! transport and how much the core, its blocking pool and the writer.
//!
//! The node's rate is capped by durable commits: each connection waits for its block's commit
//! before sending the next, so a commit holds at most 32 blocks. The ledger's directory therefore
//! matters: the run measures the default temp dir and, when present, tmpfs (`/dev/shm`), where
//! LMDB still syncs every commit but the sync costs nothing. Durability is the same in both.

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

/// Accounts, hence connections.
const ACCOUNTS: usize = 32;
/// Sends per account chain.
const SENDS: usize = 128;
/// Rounds per storage, each on a fresh ledger; the medians are reported.
const ROUNDS: usize = 5;

/// One request to send and the hash its answer must carry.
type Step = (Bytes, String);

/// The workload and each account's chain as requests.
pub struct ProcessLoad {
    work: Workload,
    chains: Vec<Vec<Step>>,
}

/// What one storage measured, in blocks/s.
pub struct ProcessRates {
    pub storage: &'static str,
    /// Through the node over sockets: the benchmark.
    pub node: f64,
    /// The same requests served by the request core in-process, without sockets: where the
    /// node's time goes (sockets and sessions, or the core, the blocking pool and the writer).
    pub core: f64,
    /// Bare signature verification on all cores: the baseline.
    pub verify: f64,
}

impl ProcessLoad {
    pub fn new() -> Self {
        let work = Workload::new(ACCOUNTS, SENDS);
        let chains = work
            .chains
            .iter()
            .map(|chain| {
                chain
                    .iter()
                    .map(|block| {
                        let request = serde_json::json!({
                            "action": "process",
                            "json_block": "true",
                            "subtype": "send",
                            "block": block.to_json(),
                        });
                        (Bytes::from(request.to_string()), block.hash().encode_hex())
                    })
                    .collect()
            })
            .collect();
        ProcessLoad { work, chains }
    }

    /// Runs the rounds on every storage, verification and node interleaved, and prints them.
    pub async fn run(&self) -> Vec<ProcessRates> {
        let blocks = self.work.blocks();
        println!(
            "process over IPC: {blocks} sends from {ACCOUNTS} accounts over {ACCOUNTS} connections (legacy process, encoding 1), vs bare signature verification of the same blocks on all cores"
        );
        let mut results = Vec::new();
        for (storage, parent) in storages() {
            let mut node = Vec::with_capacity(ROUNDS);
            let mut core = Vec::with_capacity(ROUNDS);
            let mut verify = Vec::with_capacity(ROUNDS);
            for _ in 0..ROUNDS {
                verify.push(self.work.time_verify());
                core.push(self.time_core(&parent).await);
                node.push(self.time_node(&parent).await);
            }
            let result = ProcessRates {
                storage,
                node: self.work.rate(median(node)),
                core: self.work.rate(median(core)),
                verify: self.work.rate(median(verify)),
            };
            println!(
                "  {storage} ({}): node {:.0} blocks/s, verify {:.0} blocks/s, ratio node/verify {:.3} (target >= 0.5); core without sockets {:.0} blocks/s (ratio {:.3})",
                parent.display(),
                result.node,
                result.verify,
                result.node / result.verify,
                result.core,
                result.core / result.verify,
            );
            results.push(result);
        }
        results
    }

    /// Time for every connection to have its chain accepted by a node over a fresh ledger
    /// under `parent` (ledger setup, node start and connecting excluded).
    async fn time_node(&self, parent: &Path) -> Duration {
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
        let mut loads = Vec::with_capacity(self.chains.len());
        for chain in &self.chains {
            let client = Client::connect(&target).await.expect("connect");
            loads.push((client, chain.clone()));
        }

        let start = Instant::now();
        let tasks: Vec<_> = loads
            .into_iter()
            .map(|(mut client, chain)| {
                tokio::spawn(async move {
                    for (request, hash) in chain {
                        let answer = client
                            .request(Encoding::JsonV1, &request)
                            .await
                            .map_err(|e| e.to_string())?;
                        check_processed(&answer, &hash)?;
                    }
                    Ok::<_, String>(())
                })
            })
            .collect();
        join_all(tasks).await;
        let elapsed = start.elapsed();
        server.shutdown().await;
        elapsed
    }

    /// [`ProcessLoad::time_node`] without sockets: one task per chain hands its requests to the
    /// request core in-process and waits for each answer (`api::answer`), as a session would.
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
