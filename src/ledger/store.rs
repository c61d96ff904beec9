//! The LMDB store (through heed) under `<data-path>/ledger/`: tables, meta checks, genesis.
//!
//! Tables: `blocks` (hash → block ‖ sideband), `accounts` (account → AccountInfo),
//! `receivables` (destination ‖ send hash → Receivable), `weights` (representative → amount),
//! `receivable_totals` (account → sum of its receivables, see `totals`), `meta` (store version,
//! network, genesis hash). Readers use LMDB read transactions, which see
//! a snapshot and never wait for the single writer.

use std::path::Path;

use heed::types::Bytes;
use heed::{Database, Env, EnvFlags, EnvOpenOptions, RoTxn, RwTxn};

use super::error::{LedgerError, NoSpace};
use super::primitives::{Account, Amount, BlockHash, Network};
use super::records::{
    decode_amount, receivable_key, AccountInfo, Receivable, Sideband, StoredBlock, Subtype,
};

/// The store layout version this build writes and reads. Version 2 added `receivable_totals`;
/// a version 1 store is upgraded on open (see `totals`).
pub const STORE_VERSION: u32 = 2;
/// The oldest store version this build upgrades in place; older ones are refused.
const OLDEST_UPGRADABLE: u32 = 1;

/// Virtual map size: LMDB reserves address space, not disk, so be generous.
const MAP_SIZE: usize = 64 << 30;
/// LMDB reader slots. A slot stays bound to each thread that has read the environment until the
/// thread exits, and the node reads from every runtime worker and every blocking-pool thread
/// (tokio allows 512): LMDB's default of 126 ran out under concurrent `process` requests
/// (`MDB_READERS_FULL`). 1024 slots cost 64 KiB of lock file.
const MAX_READERS: u32 = 1024;

type Table = Database<Bytes, Bytes>;

/// Whether a store may be written: read-only opens serve `ledger info` and `ledger export`,
/// which must work on a read-only data directory and must never change the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    ReadWrite,
    ReadOnly,
}

/// The open store: environment and table handles (all cheap to copy). The writer thread holds
/// its own clone; the environment closes when the last clone drops.
#[derive(Clone)]
pub(crate) struct Store {
    pub(crate) env: Env,
    pub(crate) blocks: Table,
    pub(crate) accounts: Table,
    pub(crate) receivables: Table,
    pub(crate) weights: Table,
    pub(crate) receivable_totals: Table,
    pub(crate) meta: Table,
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Store {
    /// Opens the store for `network` under `data_path/ledger`: read-write creates what is
    /// missing (directory, tables, genesis); read-only creates nothing and fails on a path that
    /// holds no initialised ledger. Stale reader slots (left by killed processes) are cleared
    /// first either way, so one crashed reader cannot keep the next ones out.
    pub(crate) fn open(
        data_path: &Path,
        network: Network,
        access: Access,
    ) -> Result<Self, LedgerError> {
        let dir = data_path.join("ledger");
        if access == Access::ReadWrite {
            std::fs::create_dir_all(&dir)?;
        }
        let mut options = EnvOpenOptions::new();
        options
            .map_size(MAP_SIZE)
            .max_readers(MAX_READERS)
            .max_dbs(8);
        // SAFETY: heed requires the caller to ensure the same environment is not opened twice
        // with different flags in one process and that the files are not modified by other
        // means; `Ledger::open*` are the only openers, and heed refuses a second open of a path
        // in one process (`AlreadyOpen`). READ_ONLY is not one of LMDB's unsafe flags: it makes
        // LMDB map the data file read-only, refuse write transactions, and (on a read-only file
        // system) run without the lock file.
        let env = unsafe {
            if access == Access::ReadOnly {
                options.flags(EnvFlags::READ_ONLY);
            }
            options.open(&dir)
        }
        .map_err(|e| match e {
            heed::Error::EnvAlreadyOpened => LedgerError::AlreadyOpen,
            other => LedgerError::from(other),
        })?;
        let cleared = env.clear_stale_readers()?;
        if cleared > 0 {
            tracing::info!(
                cleared,
                "cleared stale LMDB reader slots left by dead processes"
            );
        }
        match access {
            Access::ReadWrite => {
                let mut wtxn = env.write_txn()?;
                let store = Self {
                    blocks: env.create_database(&mut wtxn, Some("blocks"))?,
                    accounts: env.create_database(&mut wtxn, Some("accounts"))?,
                    receivables: env.create_database(&mut wtxn, Some("receivables"))?,
                    weights: env.create_database(&mut wtxn, Some("weights"))?,
                    receivable_totals: env.create_database(&mut wtxn, Some("receivable_totals"))?,
                    meta: env.create_database(&mut wtxn, Some("meta"))?,
                    env: env.clone(),
                };
                match store.check_meta(&wtxn, network)? {
                    None => store.init_genesis(&mut wtxn, network)?,
                    Some(found) if found < STORE_VERSION => {
                        // Committed with the rest of the opening transaction, or not at all.
                        store.upgrade_from_v1(&mut wtxn)?;
                        store
                            .meta
                            .put(&mut wtxn, b"version", &STORE_VERSION.to_be_bytes())?;
                    }
                    Some(_) => {}
                }
                store.commit(wtxn)?;
                Ok(store)
            }
            Access::ReadOnly => {
                let rtxn = env.read_txn()?;
                let table = |name: &'static str| -> Result<Table, LedgerError> {
                    env.open_database(&rtxn, Some(name))?
                        .ok_or(LedgerError::Uninitialised(name))
                };
                let meta = table("meta")?;
                // Absent in an older layout, which `check_meta` below refuses by its version.
                let totals: Option<Table> = env.open_database(&rtxn, Some("receivable_totals"))?;
                let store = Self {
                    blocks: table("blocks")?,
                    accounts: table("accounts")?,
                    receivables: table("receivables")?,
                    weights: table("weights")?,
                    receivable_totals: totals.unwrap_or(meta),
                    meta,
                    env: env.clone(),
                };
                match store.check_meta(&rtxn, network)? {
                    None => return Err(LedgerError::Uninitialised("meta")),
                    // A read-only open cannot upgrade: the node (read-write) does that once.
                    Some(found) if found < STORE_VERSION => {
                        return Err(LedgerError::OlderVersion {
                            found,
                            supported: STORE_VERSION,
                        })
                    }
                    // A current layout must have it: never read another table in its place.
                    Some(_) if totals.is_none() => {
                        return Err(LedgerError::Uninitialised("receivable_totals"))
                    }
                    Some(_) => {}
                }
                // heed: table handles opened in a read transaction are only valid in later
                // transactions once that one has committed.
                rtxn.commit()?;
                Ok(store)
            }
        }
    }

    /// Frees reader slots whose process has died (a `ledger export` killed with SIGKILL leaves
    /// its slot taken; enough of them fill the table and every new reader fails with
    /// `MDB_READERS_FULL`). Returns how many were freed. Cheap: one scan of the lock table.
    pub(crate) fn clear_stale_readers(&self) -> Result<usize, LedgerError> {
        Ok(self.env.clear_stale_readers()?)
    }

    /// Commits a write transaction, telling a full disk from other I/O errors: LMDB reports a
    /// short write (the usual way a full disk shows up) as `EIO`, so on `EIO` the free space of
    /// the ledger's file system decides.
    pub(crate) fn commit(&self, txn: RwTxn) -> Result<(), LedgerError> {
        txn.commit().map_err(|e| match e {
            heed::Error::Io(io) if io.raw_os_error() == Some(libc::EIO) && self.disk_full() => {
                LedgerError::NoSpace(NoSpace::Disk)
            }
            other => LedgerError::from(other),
        })
    }

    /// Whether the file system holding the ledger has (almost) no room left: less than one
    /// LMDB write call's worth (`MDB_COMMIT_PAGES`, 64 pages of the OS page size, which LMDB
    /// uses as its page size). A short write means the file system had less than that.
    fn disk_full(&self) -> bool {
        // SAFETY: sysconf only reads a system constant.
        let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
        let room = 64 * page;
        let Ok(path) = std::ffi::CString::new(self.env.path().as_os_str().as_encoded_bytes())
        else {
            return false;
        };
        let mut stat = std::mem::MaybeUninit::<libc::statvfs>::uninit();
        // SAFETY: `path` is a valid NUL-terminated string and `stat` a valid out-pointer;
        // statvfs only writes into it, and we read it only when it reports success.
        if unsafe { libc::statvfs(path.as_ptr(), stat.as_mut_ptr()) } != 0 {
            return false;
        }
        // SAFETY: statvfs returned 0, so it filled the whole struct.
        let stat = unsafe { stat.assume_init() };
        // The field types are u64 on 64-bit Linux but narrower elsewhere.
        #[allow(clippy::useless_conversion)]
        let free = u64::from(stat.f_bavail).saturating_mul(u64::from(stat.f_frsize));
        free < room
    }

    /// The stored layout version, once meta is known to match `network` and this build can read
    /// or upgrade it (`Ok(None)`: no meta yet, a fresh store).
    fn check_meta(&self, txn: &RoTxn, network: Network) -> Result<Option<u32>, LedgerError> {
        match self.meta.get(txn, b"version")? {
            Some(bytes) => {
                let found = <[u8; 4]>::try_from(bytes)
                    .map(u32::from_be_bytes)
                    .map_err(|_| LedgerError::Inconsistent("meta version is not 4 bytes"))?;
                if found > STORE_VERSION {
                    return Err(LedgerError::NewerVersion {
                        found,
                        supported: STORE_VERSION,
                    });
                }
                if found < OLDEST_UPGRADABLE {
                    return Err(LedgerError::OlderVersion {
                        found,
                        supported: STORE_VERSION,
                    });
                }
                let stored_net = self.meta.get(txn, b"network")?.unwrap_or_default();
                if stored_net != network.name().as_bytes() {
                    return Err(LedgerError::WrongNetwork {
                        found: String::from_utf8_lossy(stored_net)
                            .chars()
                            .take(16)
                            .collect(),
                        expected: network,
                    });
                }
                let genesis = self.meta.get(txn, b"genesis")?.unwrap_or_default();
                if genesis != network.genesis_hash().0 {
                    return Err(LedgerError::GenesisMismatch {
                        found: genesis.iter().map(|b| format!("{b:02X}")).collect(),
                        network,
                    });
                }
                Ok(Some(found))
            }
            None => Ok(None),
        }
    }

    fn init_genesis(&self, wtxn: &mut RwTxn, network: Network) -> Result<(), LedgerError> {
        let genesis = network
            .genesis_block()
            .ok_or(LedgerError::GenesisUnavailable(network))?;
        let account = genesis
            .account_field()
            .ok_or(LedgerError::Inconsistent("genesis has no account"))?;
        let representative = genesis.representative_field().unwrap_or(account);
        let hash = genesis.hash();
        let amount = network.genesis_amount();
        let now = now_secs();
        let stored = StoredBlock {
            block: genesis,
            sideband: Sideband {
                account,
                height: 1,
                balance: amount,
                subtype: Subtype::Receive,
                epoch: 0,
                timestamp: now,
                successor: BlockHash::ZERO,
            },
        };
        self.put_block(wtxn, &hash, &stored)?;
        self.put_account(
            wtxn,
            &account,
            &AccountInfo {
                head: hash,
                open_block: hash,
                representative,
                balance: amount,
                block_count: 1,
                modified: now,
                confirmation_height: 1,
                confirmation_frontier: hash,
                epoch: 0,
            },
        )?;
        self.weights
            .put(wtxn, &representative.0, &amount.to_be_bytes())?;
        self.meta
            .put(wtxn, b"version", &STORE_VERSION.to_be_bytes())?;
        self.meta.put(wtxn, b"network", network.name().as_bytes())?;
        self.meta.put(wtxn, b"genesis", &hash.0)?;
        self.meta.put(wtxn, b"cemented", &1u64.to_be_bytes())?;
        Ok(())
    }

    pub(crate) fn now(&self) -> u64 {
        now_secs()
    }

    pub(crate) fn block(
        &self,
        txn: &RoTxn,
        hash: &BlockHash,
    ) -> Result<Option<StoredBlock>, LedgerError> {
        match self.blocks.get(txn, &hash.0)? {
            Some(bytes) => StoredBlock::decode(bytes)
                .map(Some)
                .map_err(LedgerError::corrupt("blocks")),
            None => Ok(None),
        }
    }

    pub(crate) fn block_exists(&self, txn: &RoTxn, hash: &BlockHash) -> Result<bool, LedgerError> {
        Ok(self.blocks.get(txn, &hash.0)?.is_some())
    }

    pub(crate) fn put_block(
        &self,
        txn: &mut RwTxn,
        hash: &BlockHash,
        stored: &StoredBlock,
    ) -> Result<(), LedgerError> {
        Ok(self.blocks.put(txn, &hash.0, &stored.encode())?)
    }

    pub(crate) fn account(
        &self,
        txn: &RoTxn,
        account: &Account,
    ) -> Result<Option<AccountInfo>, LedgerError> {
        match self.accounts.get(txn, &account.0)? {
            Some(bytes) => AccountInfo::decode(bytes)
                .map(Some)
                .map_err(LedgerError::corrupt("accounts")),
            None => Ok(None),
        }
    }

    pub(crate) fn put_account(
        &self,
        txn: &mut RwTxn,
        account: &Account,
        info: &AccountInfo,
    ) -> Result<(), LedgerError> {
        Ok(self.accounts.put(txn, &account.0, &info.encode())?)
    }

    pub(crate) fn receivable(
        &self,
        txn: &RoTxn,
        destination: &Account,
        send: &BlockHash,
    ) -> Result<Option<Receivable>, LedgerError> {
        match self
            .receivables
            .get(txn, &receivable_key(destination, send))?
        {
            Some(bytes) => Receivable::decode(bytes)
                .map(Some)
                .map_err(LedgerError::corrupt("receivables")),
            None => Ok(None),
        }
    }

    pub(crate) fn weight(&self, txn: &RoTxn, rep: &Account) -> Result<Amount, LedgerError> {
        match self.weights.get(txn, &rep.0)? {
            Some(bytes) => decode_amount(bytes).map_err(LedgerError::corrupt("weights")),
            None => Ok(Amount::ZERO),
        }
    }

    /// Adds `add` and removes `sub` from a representative's weight; zero weights are deleted
    /// so `representatives` lists only reps that hold weight.
    pub(crate) fn adjust_weight(
        &self,
        txn: &mut RwTxn,
        rep: &Account,
        add: Amount,
        sub: Amount,
    ) -> Result<(), LedgerError> {
        let current = self.weight(txn, rep)?;
        let next = current
            .0
            .checked_add(add.0)
            .and_then(|v| v.checked_sub(sub.0))
            .ok_or(LedgerError::Inconsistent(
                "representative weight out of range",
            ))?;
        if next == 0 {
            self.weights.delete(txn, &rep.0)?;
        } else {
            self.weights.put(txn, &rep.0, &next.to_be_bytes())?;
        }
        Ok(())
    }

    /// Number of cemented blocks (all accepted blocks are cemented at once).
    pub(crate) fn cemented(&self, txn: &RoTxn) -> Result<u64, LedgerError> {
        match self.meta.get(txn, b"cemented")? {
            Some(bytes) => <[u8; 8]>::try_from(bytes)
                .map(u64::from_be_bytes)
                .map_err(|_| LedgerError::Inconsistent("meta cemented is not 8 bytes")),
            None => Ok(0),
        }
    }

    pub(crate) fn set_cemented(&self, txn: &mut RwTxn, value: u64) -> Result<(), LedgerError> {
        Ok(self.meta.put(txn, b"cemented", &value.to_be_bytes())?)
    }

    /// The store version recorded in meta.
    pub(crate) fn meta_version(&self, txn: &RoTxn) -> Result<u32, LedgerError> {
        let bytes = self.meta.get(txn, b"version")?.unwrap_or_default();
        <[u8; 4]>::try_from(bytes)
            .map(u32::from_be_bytes)
            .map_err(|_| LedgerError::Inconsistent("meta version missing"))
    }
}

/// Iterates a table's entries decoded by `f`, stopping at the first error.
pub(crate) fn decode_all<'a, T>(
    iter: impl Iterator<Item = heed::Result<(&'a [u8], &'a [u8])>>,
    mut f: impl FnMut(&[u8], &[u8]) -> Result<T, LedgerError>,
) -> Result<Vec<T>, LedgerError> {
    let mut out = Vec::new();
    for item in iter {
        let (k, v) = item?;
        out.push(f(k, v)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_version(dir: &Path, version: u32) {
        let store = Store::open(dir, Network::Dev, Access::ReadWrite).unwrap();
        let mut txn = store.env.write_txn().unwrap();
        store
            .meta
            .put(&mut txn, b"version", &version.to_be_bytes())
            .unwrap();
        txn.commit().unwrap();
        // Close the environment so the next open re-reads the meta table from scratch.
        let Store { env, .. } = store;
        env.prepare_for_closing().wait();
    }

    #[test]
    fn refuses_newer_and_older_store_versions() {
        let dir = tempfile::tempdir().unwrap();
        set_version(dir.path(), STORE_VERSION + 1);
        let err = Store::open(dir.path(), Network::Dev, Access::ReadWrite)
            .err()
            .unwrap();
        assert!(
            matches!(err, LedgerError::NewerVersion { found, .. } if found == STORE_VERSION + 1)
        );
        assert!(err.to_string().contains("upgrade nanoipc"));

        let dir = tempfile::tempdir().unwrap();
        set_version(dir.path(), 0);
        let err = Store::open(dir.path(), Network::Dev, Access::ReadWrite)
            .err()
            .unwrap();
        assert!(matches!(err, LedgerError::OlderVersion { found: 0, .. }));
        assert!(err.to_string().contains("ledger export"));
    }
}
