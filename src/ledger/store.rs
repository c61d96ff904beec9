//! The LMDB store (through heed) under `<data-path>/ledger/`: tables, meta checks, genesis.
//!
//! Tables: `blocks` (hash → block ‖ sideband), `accounts` (account → AccountInfo),
//! `receivables` (destination ‖ send hash → Receivable), `weights` (representative → amount),
//! `receivable_totals` (account → sum of its receivables, see `totals`), `meta` (store version,
//! network, genesis hash). Readers use LMDB read transactions, which see
//! a snapshot and never wait for the single writer.

use std::path::Path;

use heed::types::Bytes;
use heed::{Database, Env, EnvOpenOptions, RoTxn, RwTxn};

use super::error::LedgerError;
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
    /// Opens (creating if needed) the store for `network` under `data_path/ledger`.
    pub(crate) fn open(data_path: &Path, network: Network) -> Result<Self, LedgerError> {
        let dir = data_path.join("ledger");
        std::fs::create_dir_all(&dir)?;
        // SAFETY: heed requires the caller to ensure the same environment is not opened twice
        // with different flags in one process and that the files are not modified by other
        // means; `Ledger::open` is the only opener and uses fixed flags.
        let env = unsafe {
            EnvOpenOptions::new()
                .map_size(MAP_SIZE)
                .max_readers(MAX_READERS)
                .max_dbs(8)
                .open(&dir)
        }
        .map_err(|e| match e {
            heed::Error::EnvAlreadyOpened => LedgerError::AlreadyOpen,
            other => LedgerError::Store(other),
        })?;
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
        store.check_or_init_meta(&mut wtxn, network)?;
        wtxn.commit()?;
        Ok(store)
    }

    fn check_or_init_meta(&self, wtxn: &mut RwTxn, network: Network) -> Result<(), LedgerError> {
        match self.meta.get(wtxn, b"version")? {
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
                if found < STORE_VERSION {
                    // Committed with the rest of the opening transaction, or not at all.
                    self.upgrade_from_v1(wtxn)?;
                    self.meta
                        .put(wtxn, b"version", &STORE_VERSION.to_be_bytes())?;
                }
                let stored_net = self.meta.get(wtxn, b"network")?.unwrap_or_default();
                if stored_net != network.name().as_bytes() {
                    return Err(LedgerError::WrongNetwork {
                        found: String::from_utf8_lossy(stored_net)
                            .chars()
                            .take(16)
                            .collect(),
                        expected: network,
                    });
                }
                let genesis = self.meta.get(wtxn, b"genesis")?.unwrap_or_default();
                if genesis != network.genesis_hash().0 {
                    return Err(LedgerError::GenesisMismatch {
                        found: genesis.iter().map(|b| format!("{b:02X}")).collect(),
                        network,
                    });
                }
                Ok(())
            }
            None => self.init_genesis(wtxn, network),
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
        let store = Store::open(dir, Network::Dev).unwrap();
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
        let err = Store::open(dir.path(), Network::Dev).err().unwrap();
        assert!(
            matches!(err, LedgerError::NewerVersion { found, .. } if found == STORE_VERSION + 1)
        );
        assert!(err.to_string().contains("upgrade nanoipc"));

        let dir = tempfile::tempdir().unwrap();
        set_version(dir.path(), 0);
        let err = Store::open(dir.path(), Network::Dev).err().unwrap();
        assert!(matches!(err, LedgerError::OlderVersion { found: 0, .. }));
        assert!(err.to_string().contains("ledger export"));
    }
}
