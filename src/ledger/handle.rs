//! `Ledger`: the cheap, cloneable handle the rest of the program holds.
//!
//! Reads open their own LMDB read transaction and never wait for the writer. Writes
//! (`process`, `submit`) verify signatures and work on the calling thread, then go through the
//! one writer thread (`writer`), which groups whatever is waiting into one write transaction,
//! commits, publishes confirmation events, and only then answers — so neither a submitter nor
//! a subscriber ever sees a block that a crash could still undo.

use std::path::Path;
use std::sync::Arc;

use tokio::sync::broadcast;

use super::error::LedgerError;
use super::precheck::{precheck_all, Prechecked};
use super::primitives::{Block, BlockHash, Network};
use super::processor::{ConfirmationEvent, ProcessResult};
use super::store::{Access, Store};
use super::writer::Writer;

/// How many confirmation events a slow subscriber may lag behind before it misses some.
const EVENT_CAPACITY: usize = 4096;

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) network: Network,
    pub(crate) writer: Writer,
    events: broadcast::Sender<ConfirmationEvent>,
    read_only: bool,
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
        Self::open_with(data_path, network, Access::ReadWrite)
    }

    /// Opens an existing ledger for reading only: creates and writes no file but LMDB's lock
    /// file (the reader table a running node must see; on a read-only file system LMDB does
    /// without it), works on a read-only data directory, and refuses writes with
    /// [`LedgerError::ReadOnly`]. For `ledger info` and `ledger export`.
    pub fn open_read_only(data_path: &Path, network: Network) -> Result<Ledger, LedgerError> {
        Self::open_with(data_path, network, Access::ReadOnly)
    }

    /// Frees LMDB reader slots left taken by processes that died mid-read (see
    /// `Store::clear_stale_readers`); returns how many. The node calls it periodically.
    pub fn clear_stale_readers(&self) -> Result<usize, LedgerError> {
        self.inner.store.clear_stale_readers()
    }

    fn open_with(
        data_path: &Path,
        network: Network,
        access: Access,
    ) -> Result<Ledger, LedgerError> {
        let store = Store::open(data_path, network, access)?;
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        let writer = Writer::new(store.clone(), network, events.clone());
        Ok(Ledger {
            inner: Arc::new(Inner {
                store,
                network,
                writer,
                events,
                read_only: access == Access::ReadOnly,
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
    /// Later blocks see earlier ones of the same batch. Signatures are checked on the calling
    /// thread (spread over the cores for a large batch); the blocks then go through the single
    /// writer, possibly sharing its transaction with other submitters' blocks, and this returns
    /// once that transaction has committed. Blocking: call from a blocking thread in async code.
    pub fn process(&self, blocks: &[Block]) -> Result<Vec<ProcessResult>, LedgerError> {
        if blocks.is_empty() {
            return Ok(Vec::new());
        }
        if self.inner.read_only {
            return Err(LedgerError::ReadOnly);
        }
        self.inner.writer.submit(|| precheck_all(blocks))
    }

    /// Validates and applies one block: its signature and work are checked on the calling
    /// thread, then the writer applies it together with whatever else is waiting, and this
    /// returns its result once that transaction has committed (a `Progress` block is then
    /// visible to every reader and survives a crash). Many threads may call this at once;
    /// that is how block writes use every core. Blocking: call from a blocking thread.
    pub fn submit(&self, block: Block) -> Result<ProcessResult, LedgerError> {
        if self.inner.read_only {
            return Err(LedgerError::ReadOnly);
        }
        let results = self.inner.writer.submit(|| vec![Prechecked::new(block)])?;
        results.into_iter().next().ok_or(LedgerError::Inconsistent(
            "the writer answered without a result",
        ))
    }

    /// Subscribes to confirmation events of blocks accepted from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ConfirmationEvent> {
        self.inner.events.subscribe()
    }
}
