//! Read-only views of the ledger for the API: each opens one LMDB read transaction (a
//! consistent snapshot that never waits for the writer) and returns owned values.
//!
//! "Not found" is `None`/empty, not an error: errors are reserved for store failures.

use std::ops::{Bound, ControlFlow};

use heed::RoTxn;

use super::error::LedgerError;
use super::handle::Ledger;
use super::primitives::{Account, Amount, Block, BlockHash};
use super::records::{decode32, decode_amount, AccountInfo, Receivable, StoredBlock, Subtype};
use super::store::{decode_all, Store};

/// `block_count`: total, unchecked (always 0: there is no network) and cemented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockCount {
    /// Blocks in the ledger.
    pub count: u64,
    /// Blocks waiting for dependencies (always 0 here).
    pub unchecked: u64,
    /// Cemented blocks.
    pub cemented: u64,
}

/// A block with its sideband, the amount it moved and whether it is confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockInfo {
    /// Hash.
    pub hash: BlockHash,
    /// Block and sideband.
    pub stored: StoredBlock,
    /// Amount moved (send/receive), zero for changes.
    pub amount: Amount,
    /// Cemented (height ≤ the account's confirmation height).
    pub confirmed: bool,
    /// The other side, as account_history shows it: a send's destination, or the account
    /// that sent what a receive takes in; `None` for changes and the genesis open.
    pub counterparty: Option<Account>,
}

/// Ledger-wide totals, for `ledger info` and invariant checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LedgerTotals {
    /// Accounts opened.
    pub accounts: u64,
    /// Sum of account balances.
    pub balances: u128,
    /// Sum of receivable amounts.
    pub receivables: u128,
    /// Sum of representative weights.
    pub weights: u128,
    /// Number of receivable entries.
    pub receivable_count: u64,
}

fn amount_moved(store: &Store, txn: &RoTxn, stored: &StoredBlock) -> Result<Amount, LedgerError> {
    let prev = stored.block.previous();
    let before = if prev.is_zero() {
        Amount::ZERO
    } else {
        match store.block(txn, &prev)? {
            Some(p) => p.sideband.balance,
            None => return Err(LedgerError::Inconsistent("previous block missing")),
        }
    };
    Ok(Amount(stored.sideband.balance.0.abs_diff(before.0)))
}

impl Ledger {
    pub(super) fn store(&self) -> &Store {
        &self.inner.store
    }

    pub(super) fn read<T>(
        &self,
        f: impl FnOnce(&Store, &RoTxn) -> Result<T, LedgerError>,
    ) -> Result<T, LedgerError> {
        let store = self.store();
        let txn = store.env.read_txn()?;
        f(store, &txn)
    }

    /// The account's frontier record, `None` if never opened.
    pub fn account_info(&self, account: &Account) -> Result<Option<AccountInfo>, LedgerError> {
        self.read(|s, t| s.account(t, account))
    }

    /// (balance, receivable total); zeros for an unopened account.
    pub fn account_balance(&self, account: &Account) -> Result<(Amount, Amount), LedgerError> {
        self.read(|s, t| {
            let balance = s.account(t, account)?.map_or(Amount::ZERO, |i| i.balance);
            let receivable = super::receivables::receivable_total(s, t, account)?;
            Ok((balance, receivable))
        })
    }

    /// Sum of an account's receivables.
    pub fn receivable_total(&self, account: &Account) -> Result<Amount, LedgerError> {
        self.read(|s, t| super::receivables::receivable_total(s, t, account))
    }

    /// The weight delegated to `representative`.
    pub fn weight(&self, representative: &Account) -> Result<Amount, LedgerError> {
        self.read(|s, t| s.weight(t, representative))
    }

    /// A block with sideband, amount and confirmed flag.
    pub fn block_info(&self, hash: &BlockHash) -> Result<Option<BlockInfo>, LedgerError> {
        self.read(|s, t| block_info(s, t, hash))
    }

    /// Just the block, `None` when unknown.
    pub fn block(&self, hash: &BlockHash) -> Result<Option<Block>, LedgerError> {
        self.read(|s, t| Ok(s.block(t, hash)?.map(|b| b.block)))
    }

    /// Whether the block is in the ledger.
    pub fn block_exists(&self, hash: &BlockHash) -> Result<bool, LedgerError> {
        self.read(|s, t| s.block_exists(t, hash))
    }

    /// `block_count`.
    pub fn block_count(&self) -> Result<BlockCount, LedgerError> {
        self.read(|s, t| {
            Ok(BlockCount {
                count: s.blocks.len(t)?,
                unchecked: 0,
                cemented: s.cemented(t)?,
            })
        })
    }

    /// Number of opened accounts (`frontier_count`).
    pub fn account_count(&self) -> Result<u64, LedgerError> {
        self.read(|s, t| Ok(s.accounts.len(t)?))
    }

    /// Store version recorded on disk.
    pub fn store_version(&self) -> Result<u32, LedgerError> {
        self.read(|s, t| s.meta_version(t))
    }

    /// Account history starting at `head` (default: the account's head, or its open block when
    /// `reverse`), skipping `offset` blocks, at most `count`. Walks `previous` links, or
    /// successors when `reverse`. `None` when the account is unknown or `head` is not its block.
    pub fn account_history(
        &self,
        account: &Account,
        head: Option<BlockHash>,
        offset: u64,
        count: usize,
        reverse: bool,
    ) -> Result<Option<Vec<BlockInfo>>, LedgerError> {
        self.read(|s, t| {
            let Some(info) = s.account(t, account)? else {
                return Ok(None);
            };
            let start = head.unwrap_or(if reverse { info.open_block } else { info.head });
            // A start the client named may simply not exist: that is "no such history", not
            // store damage. Checked before the walk so `count == 0` answers the same way.
            match s.block(t, &start)? {
                Some(b) if b.sideband.account == *account => {}
                _ => return Ok(None),
            }
            let mut skipped = 0u64;
            let mut out = Vec::new();
            let mut foreign = false;
            walk_stored(s, t, &start, reverse, |hash, stored| {
                if out.len() >= count {
                    return Ok(ControlFlow::Break(()));
                }
                if stored.sideband.account != *account {
                    foreign = true;
                    return Ok(ControlFlow::Break(()));
                }
                if skipped < offset {
                    skipped += 1;
                } else {
                    let info = block_info(s, t, &hash)?
                        .ok_or(LedgerError::Inconsistent("history block missing"))?;
                    out.push(info);
                }
                Ok(ControlFlow::Continue(()))
            })?;
            Ok((!foreign).then_some(out))
        })
    }

    /// Up to `count` hashes from `start` following `previous` (`chain`) or successors
    /// (`successors` when `forward`), after skipping `offset`. `None` when `start` is unknown.
    pub fn chain(
        &self,
        start: &BlockHash,
        count: usize,
        offset: u64,
        forward: bool,
    ) -> Result<Option<Vec<BlockHash>>, LedgerError> {
        self.read(|s, t| {
            if !s.block_exists(t, start)? {
                return Ok(None);
            }
            let mut skipped = 0u64;
            let mut out = Vec::new();
            walk_stored(s, t, start, forward, |hash, _| {
                if out.len() >= count {
                    return Ok(ControlFlow::Break(()));
                }
                if skipped < offset {
                    skipped += 1;
                } else {
                    out.push(hash);
                }
                Ok(ControlFlow::Continue(()))
            })?;
            Ok(Some(out))
        })
    }

    /// Accounts and heads from `start` (inclusive) in account order, at most `count`.
    pub fn frontiers(
        &self,
        start: &Account,
        count: usize,
    ) -> Result<Vec<(Account, BlockHash)>, LedgerError> {
        self.read(|s, t| {
            let range = (Bound::Included(&start.0[..]), Bound::Unbounded);
            let iter = s.accounts.range(t, &range)?.take(count);
            decode_all(iter, |k, v| {
                let a = Account(decode32(k).map_err(LedgerError::corrupt("accounts key"))?);
                let i = AccountInfo::decode(v).map_err(LedgerError::corrupt("accounts"))?;
                Ok((a, i.head))
            })
        })
    }

    /// Every representative holding weight, in account order.
    pub fn representatives(&self) -> Result<Vec<(Account, Amount)>, LedgerError> {
        self.read(|s, t| {
            decode_all(s.weights.iter(t)?, |k, v| {
                Ok((
                    Account(decode32(k).map_err(LedgerError::corrupt("weights key"))?),
                    decode_amount(v).map_err(LedgerError::corrupt("weights"))?,
                ))
            })
        })
    }

    /// Accounts delegating to `representative` with balance ≥ `threshold`, after `start`
    /// (exclusive) in account order, at most `count`.
    pub fn delegators(
        &self,
        representative: &Account,
        threshold: Amount,
        start: Option<Account>,
        count: usize,
    ) -> Result<Vec<(Account, Amount)>, LedgerError> {
        self.read(|s, t| {
            let lower = match &start {
                Some(a) => Bound::Excluded(&a.0[..]),
                None => Bound::Unbounded,
            };
            let mut out = Vec::new();
            for item in s.accounts.range(t, &(lower, Bound::Unbounded))? {
                if out.len() >= count {
                    break;
                }
                let (k, v) = item?;
                let info = AccountInfo::decode(v).map_err(LedgerError::corrupt("accounts"))?;
                if info.representative == *representative && info.balance >= threshold {
                    out.push((
                        Account(decode32(k).map_err(LedgerError::corrupt("accounts key"))?),
                        info.balance,
                    ));
                }
            }
            Ok(out)
        })
    }

    /// Number of accounts delegating to `representative`.
    pub fn delegators_count(&self, representative: &Account) -> Result<u64, LedgerError> {
        self.read(|s, t| {
            let mut n = 0u64;
            for item in s.accounts.iter(t)? {
                let (_, v) = item?;
                let info = AccountInfo::decode(v).map_err(LedgerError::corrupt("accounts"))?;
                if info.representative == *representative {
                    n += 1;
                }
            }
            Ok(n)
        })
    }

    /// Ledger-wide sums, from one snapshot (full scan: for tools and tests, not hot paths).
    pub fn totals(&self) -> Result<LedgerTotals, LedgerError> {
        self.read(|s, t| {
            let mut totals = LedgerTotals {
                accounts: 0,
                balances: 0,
                receivables: 0,
                weights: 0,
                receivable_count: 0,
            };
            let overflow = || LedgerError::Inconsistent("total exceeds the supply");
            for item in s.accounts.iter(t)? {
                let (_, v) = item?;
                let info = AccountInfo::decode(v).map_err(LedgerError::corrupt("accounts"))?;
                totals.accounts += 1;
                totals.balances = totals
                    .balances
                    .checked_add(info.balance.0)
                    .ok_or_else(overflow)?;
            }
            for item in s.receivables.iter(t)? {
                let (_, v) = item?;
                let r = Receivable::decode(v).map_err(LedgerError::corrupt("receivables"))?;
                totals.receivable_count += 1;
                totals.receivables = totals
                    .receivables
                    .checked_add(r.amount.0)
                    .ok_or_else(overflow)?;
            }
            for item in s.weights.iter(t)? {
                let (_, v) = item?;
                let w = decode_amount(v).map_err(LedgerError::corrupt("weights"))?;
                totals.weights = totals.weights.checked_add(w.0).ok_or_else(overflow)?;
            }
            Ok(totals)
        })
    }

    /// Every block in an order that replays through the processor: genesis first, each
    /// block after its previous and after the send it receives.
    pub fn export_order(&self) -> Result<Vec<Block>, LedgerError> {
        self.read(|s, t| super::export::replay_order(s, t, &self.genesis_hash()))
    }
}

/// The one chain walk every chain query uses (`chain`/`successors`, account history): from
/// `start`, hands each stored block to `visit` following `previous` links (or successors when
/// `forward`) until `visit` breaks or the chain ends, and returns the hash after the last block
/// visited (zero at the chain's end). An unknown `start` visits nothing; an unknown block
/// past it is store damage, since its hash came from a stored link.
pub(super) fn walk_stored(
    s: &Store,
    t: &RoTxn,
    start: &BlockHash,
    forward: bool,
    mut visit: impl FnMut(BlockHash, StoredBlock) -> Result<ControlFlow<()>, LedgerError>,
) -> Result<BlockHash, LedgerError> {
    let mut cursor = *start;
    let mut first = true;
    while !cursor.is_zero() {
        let Some(stored) = s.block(t, &cursor)? else {
            if first {
                return Ok(BlockHash::default());
            }
            return Err(LedgerError::Inconsistent("chain block missing"));
        };
        first = false;
        let hash = cursor;
        let next = if forward {
            stored.sideband.successor
        } else {
            stored.block.previous()
        };
        if visit(hash, stored)?.is_break() {
            return Ok(next);
        }
        cursor = next;
    }
    Ok(cursor)
}

pub(super) fn block_info(
    s: &Store,
    t: &RoTxn,
    hash: &BlockHash,
) -> Result<Option<BlockInfo>, LedgerError> {
    let Some(stored) = s.block(t, hash)? else {
        return Ok(None);
    };
    let amount = amount_moved(s, t, &stored)?;
    let confirmed = s
        .account(t, &stored.sideband.account)?
        .is_some_and(|i| stored.sideband.height <= i.confirmation_height);
    let counterparty = counterparty(s, t, &stored)?;
    Ok(Some(BlockInfo {
        hash: *hash,
        stored,
        amount,
        confirmed,
        counterparty,
    }))
}

fn counterparty(
    s: &Store,
    t: &RoTxn,
    stored: &StoredBlock,
) -> Result<Option<Account>, LedgerError> {
    let source = match (&stored.block, stored.sideband.subtype) {
        (Block::State(st), Subtype::Send) => return Ok(Some(st.link.as_account())),
        (Block::Send(sd), _) => return Ok(Some(sd.destination)),
        (Block::State(st), Subtype::Receive) => st.link.as_hash(),
        (Block::Receive(r), _) => r.source,
        (Block::Open(o), _) => o.source,
        _ => return Ok(None),
    };
    Ok(s.block(t, &source)?.map(|b| b.sideband.account))
}
