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

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{genesis_key, genesis_sends, median, storages, Workload};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use nanoipc::ledger::primitives::*;
use nanoipc::ledger::{Ledger, ProcessResult};

const SUBMITTERS: usize = 32;
const SENDS_PER_SUBMITTER: usize = 64;

/// Time for one thread per chain to submit its chain into a fresh ledger under `parent`
/// (setup excluded), each waiting for its block's commit before sending the next.
fn time_submit(work: &Workload, parent: &Path) -> Duration {
    let (_dir, ledger) = work.ledger(parent);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for chain in &work.chains {
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

fn writes(c: &mut Criterion) {
    let work = Workload::new(SUBMITTERS, SENDS_PER_SUBMITTER);
    let mut group = c.benchmark_group("writes");
    group.throughput(Throughput::Elements(work.blocks() as u64));
    group.sample_size(10);
    for (name, parent) in storages() {
        group.bench_function(format!("process_32_submitters_{name}"), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| time_submit(&work, &parent)).sum())
        });
    }
    group.bench_function("verify_signatures_all_cores", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| work.time_verify()).sum())
    });
    group.finish();

    // Criterion reports each rate alone; the ratio is the number this benchmark is about.
    const ROUNDS: usize = 5;
    let rate = |d: Duration| work.rate(d);
    let verify = rate(median((0..ROUNDS).map(|_| work.time_verify()).collect()));
    for (name, parent) in storages() {
        let submit = rate(median(
            (0..ROUNDS).map(|_| time_submit(&work, &parent)).collect(),
        ));
        println!(
            "writes summary ({name}): process {submit:.0} blocks/s with {SUBMITTERS} submitters, verify {verify:.0} blocks/s on all cores, ratio {:.2}",
            submit / verify
        );
    }
}

fn batch_and_lookups(c: &mut Criterion) {
    let g = genesis_key();
    let blocks = genesis_sends(500);
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
