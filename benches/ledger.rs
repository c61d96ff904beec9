//! Ledger benchmarks.
//!
//! `writes`: block processing throughput with 32 threads calling `Ledger::submit` at once
//! (pre-built valid sends with dev work, one account chain per thread so they do not fork one
//! chain), against bare signature verification (hash + Ed25519) of the same blocks on all
//! cores. The writer does well when the first is at least half the second: signature checks
//! scale with the cores, and the single writer must keep up with them. After the criterion
//! groups a one-line summary prints both rates and their ratio.
//!
//! Every commit is durable (two fsyncs), and each submitter waits for its commit before
//! sending its next block, so with 32 submitters a commit holds at most 32 blocks and the rate
//! is capped at 32 / commit latency — on a disk with slow fsync that cap, not the CPU, is the
//! limit. The same run therefore also measures the ledger on tmpfs (`/dev/shm`, when present),
//! where LMDB still calls fsync but it costs nothing: that shows whether the CPU path (checks
//! spread over the cores, one writer applying) keeps up with verification.
//!
//! `batch`: one `process` call of a chain of sends (the import path). `lookups`: reads.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use nanoipc::ledger::primitives::*;
use nanoipc::ledger::{Ledger, ProcessResult};

const SUBMITTERS: usize = 32;
const SENDS_PER_SUBMITTER: usize = 64;
const FUNDING: u128 = 1 << 100;

fn genesis_key() -> KeyPair {
    let hex = "34F0A37AAD20F4A260F0A5B3CB3D7FB50673212263E58A380BC10474BB039CE4";
    KeyPair::from_private(RawKey::decode_hex(hex).expect("valid hex"))
}

/// Signs `state` with `key` and attaches the cheapest valid dev work.
fn finish(state: StateBlock, key: &KeyPair) -> Block {
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

fn send(key: &KeyPair, previous: BlockHash, balance: u128, link: [u8; 32]) -> Block {
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

/// The ledger state the submitters start from (genesis funds and opens one account per
/// submitter), and each submitter's chain of sends on top of it.
struct Workload {
    setup: Vec<Block>,
    chains: Vec<Vec<Block>>,
}

impl Workload {
    fn new() -> Self {
        let g = genesis_key();
        let mut head = Network::Dev.genesis_hash();
        let mut balance = u128::MAX;
        let mut setup = Vec::new();
        let mut chains = Vec::new();
        for i in 0..SUBMITTERS {
            let key = KeyPair::from_private(deterministic_key(&RawKey([5; 32]), i as u32));
            balance -= FUNDING;
            let funding = send(&g, head, balance, key.account.0);
            head = funding.hash();
            let open = send(&key, BlockHash::ZERO, FUNDING, head.0);
            let mut prev = open.hash();
            setup.extend([funding, open]);
            let chain: Vec<Block> = (1..=SENDS_PER_SUBMITTER as u128)
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

    fn blocks(&self) -> usize {
        self.chains.iter().map(Vec::len).sum()
    }

    /// A fresh ledger holding the setup blocks, in a temporary directory under `parent`.
    fn ledger(&self, parent: &Path) -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir_in(parent).expect("tempdir");
        let ledger = Ledger::open(dir.path(), Network::Dev).expect("open");
        let results = ledger.process(&self.setup).expect("setup");
        assert!(results.iter().all(|r| *r == ProcessResult::Progress));
        (dir, ledger)
    }

    /// Time for `SUBMITTERS` threads to submit their chains into a fresh ledger (setup excluded).
    fn time_submit(&self, parent: &Path) -> Duration {
        let (_dir, ledger) = self.ledger(parent);
        let start = Instant::now();
        std::thread::scope(|scope| {
            for chain in &self.chains {
                let ledger = &ledger;
                scope.spawn(move || {
                    for block in chain {
                        let result = ledger.submit(block.clone()).expect("submit");
                        assert_eq!(result, ProcessResult::Progress);
                    }
                });
            }
        });
        start.elapsed()
    }

    /// Time to hash and verify every chain block's signature on all cores. It uses as many
    /// threads as there are submitters: on an idle machine that equals one thread per core,
    /// and on a shared one both sides then get the same share of the CPU.
    fn time_verify(&self) -> Duration {
        let start = Instant::now();
        std::thread::scope(|scope| {
            for chain in &self.chains {
                scope.spawn(move || {
                    for block in chain {
                        let account = block.account_field().expect("state block");
                        let ok = verify_hash(&account, &block.hash(), &block.signature());
                        assert!(black_box(ok));
                    }
                });
            }
        });
        start.elapsed()
    }
}

/// Where the ledgers go: the usual temporary directory (a disk), and tmpfs when there is one.
fn storages() -> Vec<(&'static str, PathBuf)> {
    let mut out = vec![("disk", std::env::temp_dir())];
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        out.push(("tmpfs", shm.to_path_buf()));
    }
    out
}

fn writes(c: &mut Criterion) {
    let work = Workload::new();
    let mut group = c.benchmark_group("writes");
    group.throughput(Throughput::Elements(work.blocks() as u64));
    group.sample_size(10);
    for (name, parent) in storages() {
        group.bench_function(format!("process_32_submitters_{name}"), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| work.time_submit(&parent)).sum())
        });
    }
    group.bench_function("verify_signatures_all_cores", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| work.time_verify()).sum())
    });
    group.finish();

    // Criterion reports each rate alone; the ratio is the number this benchmark is about.
    const ROUNDS: usize = 5;
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let rate = |d: Duration| work.blocks() as f64 / d.as_secs_f64();
    let verify = rate(median((0..ROUNDS).map(|_| work.time_verify()).collect()));
    for (name, parent) in storages() {
        let submit = rate(median(
            (0..ROUNDS).map(|_| work.time_submit(&parent)).collect(),
        ));
        println!(
            "writes summary ({name}): process {submit:.0} blocks/s with {SUBMITTERS} submitters, verify {verify:.0} blocks/s on all cores, ratio {:.2}",
            submit / verify
        );
    }
}

fn batch_and_lookups(c: &mut Criterion) {
    let g = genesis_key();
    let mut head = Network::Dev.genesis_hash();
    let blocks: Vec<Block> = (1..=500u128)
        .map(|n| {
            let block = send(&g, head, u128::MAX - n, [n as u8; 32]);
            head = block.hash();
            block
        })
        .collect();
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(blocks.len() as u64));
    group.sample_size(10);
    group.bench_function("process_500_sends_one_call", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("tempdir");
                let ledger = Ledger::open(dir.path(), Network::Dev).expect("open");
                (dir, ledger)
            },
            |(dir, ledger)| {
                let results = ledger.process(&blocks).expect("process");
                assert!(results.iter().all(|r| *r == ProcessResult::Progress));
                (dir, ledger)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();

    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(dir.path(), Network::Dev).expect("open");
    ledger.process(&blocks).expect("process");
    let hashes: Vec<BlockHash> = blocks.iter().map(Block::hash).collect();
    let mut lookups = c.benchmark_group("lookups");
    lookups.throughput(Throughput::Elements(1));
    lookups.bench_function("account_info", |b| {
        b.iter(|| black_box(ledger.account_info(&g.account).expect("read")))
    });
    let mut i = 0usize;
    lookups.bench_function("block_info", |b| {
        b.iter(|| {
            i = (i + 1) % hashes.len();
            black_box(ledger.block_info(&hashes[i]).expect("read"))
        })
    });
    lookups.finish();
}

criterion_group!(benches, writes, batch_and_lookups);
criterion_main!(benches);
