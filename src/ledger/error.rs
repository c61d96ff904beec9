//! The ledger layer's error type. The API layer maps it to its one wire error model.

use std::sync::Arc;

use super::primitives::{Network, PrimitiveError};

/// What can go wrong opening or reading the ledger (block refusals are `ProcessResult`s,
/// not errors).
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// LMDB failed.
    #[error("ledger store error: {0}")]
    Store(#[from] heed::Error),
    /// The same data path is already open in this process: share the existing `Ledger`
    /// (it is a cheap clone) instead of opening it again.
    #[error("the ledger at this data path is already open in this process")]
    AlreadyOpen,
    /// Filesystem error creating the data directory.
    #[error("ledger I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// Stored bytes did not decode: the store is damaged.
    #[error("ledger store is corrupt ({what}): {source}")]
    Corrupt {
        /// Which table or value.
        what: &'static str,
        /// The decode failure.
        source: PrimitiveError,
    },
    /// The data path holds a ledger of another network.
    #[error("ledger at this data path belongs to the {found} network, not {expected}; use another --data-path")]
    WrongNetwork {
        /// Network recorded in the store.
        found: String,
        /// Network asked for.
        expected: Network,
    },
    /// The store was written by a newer nanoipc.
    #[error("ledger store version {found} is newer than this build supports ({supported}); upgrade nanoipc")]
    NewerVersion {
        /// Version on disk.
        found: u32,
        /// Highest version this build reads.
        supported: u32,
    },
    /// The store was written by an older, incompatible nanoipc.
    #[error("ledger store version {found} is older than {supported} and cannot be migrated; export it with the older nanoipc (`nanoipc ledger export`) and import into a fresh --data-path")]
    OlderVersion {
        /// Version on disk.
        found: u32,
        /// Version this build writes.
        supported: u32,
    },
    /// The store's genesis differs from the network's.
    #[error("ledger store genesis {found} does not match the {network} genesis")]
    GenesisMismatch {
        /// Hash found.
        found: String,
        /// Network.
        network: Network,
    },
    /// This build carries no genesis block for the network, so its ledger cannot start.
    #[error("the {0} network's genesis block is not bundled with this build; only dev ledgers can be created")]
    GenesisUnavailable(Network),
    /// A block the ledger refers to is missing (store damage).
    #[error("ledger store is inconsistent: {0}")]
    Inconsistent(&'static str),
    /// The write transaction this submission shared with others failed, so none of its
    /// blocks were stored. Every submitter of that transaction gets the same cause.
    #[error("the write transaction holding this submission failed: {0}")]
    BatchFailed(Arc<LedgerError>),
    /// The writer thread is gone (it panicked, which is a bug): nothing more can be written
    /// through this handle; restart the node.
    #[error("the ledger writer stopped; restart the node")]
    WriterStopped,
}

impl LedgerError {
    pub(crate) fn corrupt(what: &'static str) -> impl FnOnce(PrimitiveError) -> Self {
        move |source| Self::Corrupt { what, source }
    }
}
