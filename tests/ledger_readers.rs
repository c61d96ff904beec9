//! Reads from many threads at once. LMDB ties a reader slot to each thread that has read the
//! environment, until the thread exits; the node reads from every runtime worker and from every
//! blocking-pool thread (up to tokio's 512), so the ledger must have a slot for each of them.
//! With LMDB's default of 126 slots, concurrent `process` requests over IPC ran out
//! (`MDB_READERS_FULL`, answered as "Internal server error in RPC"): found by `benches/ipc.rs`.

use std::sync::Barrier;

use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::Ledger;

/// More threads than LMDB's default reader table, each alive and having read when the others
/// read: every read succeeds.
#[test]
fn hundreds_of_threads_can_read_at_once() {
    const THREADS: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
    let genesis = Network::Dev.genesis_hash();
    let all_read = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        let readers: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    let read = ledger.block_info(&genesis).map(|b| b.is_some());
                    // Keep this thread (and its reader slot) alive until every thread has read.
                    all_read.wait();
                    read
                })
            })
            .collect();
        for reader in readers {
            assert!(matches!(reader.join().unwrap(), Ok(true)));
        }
    });
}
