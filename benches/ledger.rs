//! Ledger benchmarks: processing pre-signed valid sends (with dev work) against bare
//! signature verification of the same blocks, and account-info / block-info lookups.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use nanoipc::ledger::primitives::*;
use nanoipc::ledger::Ledger;

const SENDS: usize = 500;

fn genesis_key() -> KeyPair {
    let hex = "34F0A37AAD20F4A260F0A5B3CB3D7FB50673212263E58A380BC10474BB039CE4";
    KeyPair::from_private(RawKey::decode_hex(hex).expect("valid hex"))
}

/// A chain of valid sends from genesis, each to a different fresh account.
fn sends(n: usize) -> Vec<Block> {
    let g = genesis_key();
    let mut head = Network::Dev.genesis_hash();
    let mut balance = u128::MAX;
    let threshold = Network::Dev.thresholds().epoch_1;
    (0..n)
        .map(|i| {
            balance -= 1;
            let dest = deterministic_key(&RawKey([5u8; 32]), i as u32);
            let mut b = Block::State(StateBlock {
                account: g.account,
                previous: head,
                representative: g.account,
                balance: Amount(balance),
                link: Link(public_key(&dest).0),
                signature: Signature::default(),
                work: Work(0),
            });
            b.set_signature(sign_hash(&g.private, &b.hash()));
            let root = b.root();
            let mut w = 0u64;
            while !work_valid(&root, Work(w), threshold) {
                w += 1;
            }
            b.set_work(Work(w));
            head = b.hash();
            b
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let blocks = sends(SENDS);
    let g = genesis_key();
    let mut group = c.benchmark_group("process_vs_verify");
    group.throughput(Throughput::Elements(SENDS as u64));
    group.sample_size(10);
    group.bench_function("verify_signatures", |b| {
        b.iter(|| {
            for block in &blocks {
                black_box(verify_hash(&g.account, &block.hash(), &block.signature()));
            }
        })
    });
    group.bench_function("process_sends", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("tempdir");
                let ledger = Ledger::open(dir.path(), Network::Dev).expect("open");
                (dir, ledger)
            },
            |(dir, ledger)| {
                let results = ledger.process(&blocks).expect("process");
                assert!(results.iter().all(|r| r.error_message().is_none()));
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

criterion_group!(benches, bench);
criterion_main!(benches);
