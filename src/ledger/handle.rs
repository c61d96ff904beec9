//! `Ledger`: the cheap, cloneable handle the rest of the program holds.
//!
//! Reads open their own LMDB read transaction and never wait for the writer. Writes go
//! through `process`, which holds the single-writer lock for one batch, applies it in one
//! write transaction, commits, and only then publishes confirmation events — so a subscriber
//! never sees a block that a crash could still undo.

use std::path::Path;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use super::error::LedgerError;
use super::primitives::{Block, BlockHash, Network};
use super::processor::{process_one, ConfirmationEvent, ProcessResult};
use super::store::Store;

/// How many confirmation events a slow subscriber may lag behind before it misses some.
const EVENT_CAPACITY: usize = 4096;

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) network: Network,
    writer: Mutex<()>,
    events: broadcast::Sender<ConfirmationEvent>,
}

/// The ledger handle. Clone freely; all clones share one store and one writer.
#[derive(Clone)]
pub struct Ledger {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("network", &self.inner.network)
            .finish()
    }
}

impl Ledger {
    /// Opens or creates the ledger under `<data_path>/ledger/` for `network`. A fresh dev
    /// ledger starts from nano-node's dev genesis. Fails with a typed error for another
    /// network's ledger, a newer or older store version, or a network without a bundled genesis.
    pub fn open(data_path: &Path, network: Network) -> Result<Ledger, LedgerError> {
        let store = Store::open(data_path, network)?;
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        Ok(Ledger {
            inner: Arc::new(Inner {
                store,
                network,
                writer: Mutex::new(()),
                events,
            }),
        })
    }

    /// The network this ledger belongs to.
    pub fn network(&self) -> Network {
        self.inner.network
    }

    /// The genesis block hash.
    pub fn genesis_hash(&self) -> BlockHash {
        self.inner.network.genesis_hash()
    }

    /// Validates and applies `blocks` in order in one write transaction; results are per block.
    /// Later blocks see earlier ones of the same batch. Blocking (LMDB write + signature checks):
    /// call from a blocking thread in async code.
    pub fn process(&self, blocks: &[Block]) -> Result<Vec<ProcessResult>, LedgerError> {
        let store = &self.inner.store;
        // A poisoned lock only means another writer panicked; LMDB already aborted its txn.
        let _guard = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut txn = store.env.write_txn()?;
        let mut results = Vec::with_capacity(blocks.len());
        let mut events = Vec::new();
        for block in blocks {
            let (result, event) = process_one(store, &mut txn, self.inner.network, block)?;
            results.push(result);
            events.extend(event);
        }
        if !events.is_empty() {
            let cemented = store.cemented(&txn)?;
            let added = u64::try_from(events.len()).unwrap_or(u64::MAX);
            store.set_cemented(&mut txn, cemented.saturating_add(added))?;
        }
        txn.commit()?;
        for event in events {
            // No subscribers is fine: events are a notification, not a queue.
            let _ = self.inner.events.send(event);
        }
        Ok(results)
    }

    /// Subscribes to confirmation events of blocks accepted from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ConfirmationEvent> {
        self.inner.events.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_do_not_wait_for_an_open_write_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
        // Hold the writer lock and an open LMDB write transaction, as a long batch would.
        let _guard = ledger.inner.writer.lock().unwrap();
        let txn = ledger.inner.store.env.write_txn().unwrap();
        let reader = ledger.clone();
        // If reads waited for the writer this join would never return.
        let count = std::thread::spawn(move || reader.block_count().unwrap())
            .join()
            .unwrap();
        assert_eq!(count.count, 1);
        txn.abort();
    }
}
