//! What the write benchmarks share (`benches/ledger.rs` submits through `Ledger::submit`,
//! `benches/ipc.rs` through the node over sockets): valid dev blocks (real signatures, the
//! cheapest valid dev work), a workload of independent account chains opened by genesis, the
//! bare-verification baseline both compare with, and where the ledgers go.
//!
//! Each bench target includes this module on its own and uses part of it.
#![allow(dead_code)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nanoipc::ledger::primitives::*;
use nanoipc::ledger::{Ledger, ProcessResult};

/// The dev network's genesis key (public test data of nano-node's dev network).
pub fn genesis_key() -> KeyPair {
    let hex = "34F0A37AAD20F4A260F0A5B3CB3D7FB50673212263E58A380BC10474BB039CE4";
    KeyPair::from_private(RawKey::decode_hex(hex).expect("valid hex"))
}

/// Signs `state` with `key` and attaches the cheapest valid dev work.
pub fn finish(state: StateBlock, key: &KeyPair) -> Block {
    let mut block = Block::State(state);
    block.set_signature(sign_hash(&key.private, &block.hash()));
    let threshold = Network::Dev.thresholds().epoch_1;
    let root = block.root();
    let nonce = (0u64..)
        .find(|n| work_valid(&root, Work(*n), threshold))
        .expect("dev work exists");
    block.set_work(Work(nonce));
    block
}

/// A state block of `key`'s chain after `previous` leaving `balance` with `link`: a send when
/// the balance goes down, an open or receive when `link` is a pending send's hash.
pub fn send(key: &KeyPair, previous: BlockHash, balance: u128, link: [u8; 32]) -> Block {
    let state = StateBlock {
        account: key.account,
        previous,
        representative: key.account,
        balance: Amount(balance),
        link: Link(link),
        signature: Signature::default(),
        work: Work(0),
    };
    finish(state, key)
}

/// `count` sends from genesis on top of a fresh dev ledger (1 raw each, to distinct
/// destinations): a genesis chain of `count + 1` blocks.
pub fn genesis_sends(count: u128) -> Vec<Block> {
    let g = genesis_key();
    let mut head = Network::Dev.genesis_hash();
    (1..=count)
        .map(|n| {
            let block = send(&g, head, u128::MAX - n, [n as u8; 32]);
            head = block.hash();
            block
        })
        .collect()
}

/// Raw each workload account is funded with.
const FUNDING: u128 = 1 << 100;

/// The ledger state the submitters start from (genesis funds and opens one account per
/// submitter), and each submitter's chain of sends on top of it.
pub struct Workload {
    pub setup: Vec<Block>,
    pub chains: Vec<Vec<Block>>,
}

impl Workload {
    /// `accounts` accounts, each with a chain of `sends` sends to prepare.
    pub fn new(accounts: usize, sends: usize) -> Self {
        let g = genesis_key();
        let mut head = Network::Dev.genesis_hash();
        let mut balance = u128::MAX;
        let mut setup = Vec::new();
        let mut chains = Vec::new();
        for i in 0..accounts {
            let key = KeyPair::from_private(deterministic_key(&RawKey([5; 32]), i as u32));
            balance -= FUNDING;
            let funding = send(&g, head, balance, key.account.0);
            head = funding.hash();
            let open = send(&key, BlockHash::ZERO, FUNDING, head.0);
            let mut prev = open.hash();
            setup.extend([funding, open]);
            let chain: Vec<Block> = (1..=sends as u128)
                .map(|n| {
                    let block = send(&key, prev, FUNDING - n, [n as u8; 32]);
                    prev = block.hash();
                    block
                })
                .collect();
            chains.push(chain);
        }
        Self { setup, chains }
    }

    /// Blocks in the chains (the setup excluded).
    pub fn blocks(&self) -> usize {
        self.chains.iter().map(Vec::len).sum()
    }

    /// A fresh ledger holding the setup blocks, in a temporary directory under `parent`.
    pub fn ledger(&self, parent: &Path) -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir_in(parent).expect("tempdir");
        let ledger = Ledger::open(dir.path(), Network::Dev).expect("open");
        let results = ledger.process(&self.setup).expect("setup");
        assert!(results.iter().all(|r| *r == ProcessResult::Progress));
        (dir, ledger)
    }

    /// Time to hash and verify every chain block's signature on all cores: the baseline of the
    /// write benchmarks. It uses one thread per chain, as many as there are submitters: on an
    /// idle machine that saturates every core, and on a shared one both sides then get the same
    /// share of the CPU.
    pub fn time_verify(&self) -> Duration {
        self.time_verify_on(self.chains.len())
    }

    /// [`Workload::time_verify`] on `threads` threads (as many as the submitters' connections),
    /// each verifying an equal share of the chains.
    pub fn time_verify_on(&self, threads: usize) -> Duration {
        let per_thread = self.chains.len().div_ceil(threads.max(1));
        let start = Instant::now();
        std::thread::scope(|scope| {
            for share in self.chains.chunks(per_thread.max(1)) {
                scope.spawn(move || {
                    for block in share.iter().flatten() {
                        let account = block.account_field().expect("state block");
                        let ok = verify_hash(&account, &block.hash(), &block.signature());
                        assert!(black_box(ok));
                    }
                });
            }
        });
        start.elapsed()
    }

    /// Blocks per second for a run of the whole workload that took `d`.
    pub fn rate(&self, d: Duration) -> f64 {
        self.blocks() as f64 / d.as_secs_f64()
    }
}

/// The median of some timings.
pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Where the ledgers go: the usual temporary directory (a disk), and tmpfs when there is one.
/// Every commit is durable either way; on tmpfs LMDB's fsync costs nothing.
pub fn storages() -> Vec<(&'static str, PathBuf)> {
    let mut out = vec![("disk", std::env::temp_dir())];
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        out.push(("tmpfs", shm.to_path_buf()));
    }
    out
}
