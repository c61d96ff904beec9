//! The ledger layer's error type. The API layer maps it to its one wire error model.

use std::sync::Arc;

use super::primitives::{Network, PrimitiveError};

/// What can go wrong opening or reading the ledger (block refusals are `ProcessResult`s,
/// not errors).
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// LMDB failed.
    #[error("ledger store error: {0}")]
    Store(heed::Error),
    /// A write found no room; its transaction was rolled back, so the ledger holds exactly
    /// what was acknowledged before. Worded as the OS words ENOSPC, which is what operators
    /// (and their alerting) search for.
    #[error("No space left on device: {0}")]
    NoSpace(NoSpace),
    /// A write through a ledger opened read-only (`ledger info`, `ledger export`).
    #[error("the ledger was opened read-only")]
    ReadOnly,
    /// A read-only open found no initialised ledger (this table is missing): only a
    /// read-write open (the node, `ledger import`) creates one.
    #[error("the ledger is not initialised (no {0} table); start the node or import first")]
    Uninitialised(&'static str),
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

/// Which limit a write ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoSpace {
    /// The file system holding the ledger is full (ENOSPC, EDQUOT, or LMDB's short write).
    #[error("the disk holding the ledger is full")]
    Disk,
    /// LMDB's map (the ledger's maximum size) is full (`MDB_MAP_FULL`).
    #[error("the ledger reached its maximum size (LMDB map full)")]
    Map,
}

/// Full-disk conditions get their own variant wherever LMDB reports them (heed turns LMDB's
/// errno codes into `Error::Io`); everything else stays a store error with LMDB's text.
impl From<heed::Error> for LedgerError {
    fn from(e: heed::Error) -> Self {
        match e {
            heed::Error::Io(io)
                if matches!(io.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT)) =>
            {
                LedgerError::NoSpace(NoSpace::Disk)
            }
            heed::Error::Mdb(heed::MdbError::MapFull) => LedgerError::NoSpace(NoSpace::Map),
            other => LedgerError::Store(other),
        }
    }
}

impl LedgerError {
    pub(crate) fn corrupt(what: &'static str) -> impl FnOnce(PrimitiveError) -> Self {
        move |source| Self::Corrupt { what, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_disk_and_full_map_become_no_space() {
        let enospc = heed::Error::Io(std::io::Error::from_raw_os_error(libc::ENOSPC));
        let e = LedgerError::from(enospc);
        assert!(matches!(e, LedgerError::NoSpace(NoSpace::Disk)));
        assert!(e.to_string().starts_with("No space left on device"), "{e}");

        let quota = heed::Error::Io(std::io::Error::from_raw_os_error(libc::EDQUOT));
        assert!(matches!(
            LedgerError::from(quota),
            LedgerError::NoSpace(NoSpace::Disk)
        ));

        let e = LedgerError::from(heed::Error::Mdb(heed::MdbError::MapFull));
        assert!(matches!(e, LedgerError::NoSpace(NoSpace::Map)));
        assert!(e.to_string().contains("map full"), "{e}");

        // Anything else keeps LMDB's own words.
        let e = LedgerError::from(heed::Error::Mdb(heed::MdbError::ReadersFull));
        assert!(matches!(e, LedgerError::Store(_)));
        let eio = heed::Error::Io(std::io::Error::from_raw_os_error(libc::EIO));
        assert!(matches!(LedgerError::from(eio), LedgerError::Store(_)));
    }
}
