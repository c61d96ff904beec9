//! Read-only views for the account API group (`account_info`, `account_history`, `ledger`,
//! `receivable`): each runs in one LMDB read transaction, so a multi-record answer is one
//! consistent snapshot. The queries give the API raw facts (records, blocks with what the history
//! needs to classify them, receivables in table order); what an answer shows is decided in
//! `api::accounts`, once for both front ends.

use std::ops::{Bound, ControlFlow};

use heed::RoTxn;

use super::error::LedgerError;
use super::handle::Ledger;
use super::primitives::{Account, Amount, Block, BlockHash};
use super::receivables::receivable_total;
use super::records::{decode32, split_receivable_key, AccountInfo, Receivable, StoredBlock};
use super::store::Store;

/// An account record with the facts `account_info` and `ledger` derive from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    /// The account.
    pub account: Account,
    /// Its frontier record.
    pub info: AccountInfo,
    /// The latest block that set the representative: the head for a state chain, the last
    /// open/change block of a legacy chain (nano-node's `ledger.representative`).
    pub representative_block: BlockHash,
    /// Voting weight delegated to the account, when asked for.
    pub weight: Option<Amount>,
    /// Sum of the account's receivables, when asked for.
    pub receivable: Option<Amount>,
}

/// The optional extras of an [`AccountRecord`] (each costs extra reads).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordExtras {
    pub weight: bool,
    pub receivable: bool,
}

/// The confirmed view of an account: its confirmation frontier's balance and representative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmedView {
    /// Balance after the confirmation frontier (0 when nothing is confirmed).
    pub balance: Amount,
    /// Representative in force at the confirmation frontier (zero when nothing is confirmed).
    pub representative: Account,
}

/// One block of an account chain, with what a history entry needs to describe it. It borrows the
/// block from the walk: a block is a few hundred bytes, and the visitor copies out only what it
/// keeps (blocks the page skips are never copied at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainBlock<'a> {
    /// Its hash.
    pub hash: BlockHash,
    /// The block and its sideband.
    pub stored: &'a StoredBlock,
    /// Balance after the previous block: zero for an opening block, `None` when the previous
    /// block is not in the ledger (nano-node then reports the type as `unknown`).
    pub previous_balance: Option<Amount>,
    /// For a block that takes funds in (legacy receive/open, or a state block whose balance did
    /// not go down, read as a receive through its link): the account that owns the source block,
    /// if that block is known. `None` for sends, changes and state blocks of unknown direction.
    pub source_account: Option<Account>,
    /// Cemented (height ≤ the account's confirmation height).
    pub confirmed: bool,
}

/// Where [`Ledger::walk_chain`] starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainStart {
    /// A block; its chain is walked.
    Block(BlockHash),
    /// An account's chain, from its head (or its open block in a reverse walk).
    Account(Account),
}

/// `ledger` listing options, as nano-node's `ledger` action takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerListing {
    /// First account (inclusive).
    pub start: Account,
    /// At most this many accounts.
    pub count: u64,
    /// Minimum balance (or balance + receivable when `extras.receivable`).
    pub threshold: Amount,
    /// Only accounts modified at or after this time (seconds).
    pub modified_since: u64,
    /// By balance descending (ties by account descending) instead of by account.
    pub sorting: bool,
    /// Extras to read for each listed account.
    pub extras: RecordExtras,
}

impl Ledger {
    /// An account's record with the requested extras; `None` for an unopened account.
    pub fn account_record(
        &self,
        account: &Account,
        extras: RecordExtras,
    ) -> Result<Option<AccountRecord>, LedgerError> {
        self.read(|s, t| match s.account(t, account)? {
            Some(info) => record(s, t, *account, info, extras).map(Some),
            None => Ok(None),
        })
    }

    /// The balance and representative at an account's confirmation frontier.
    pub fn confirmed_view(&self, info: &AccountInfo) -> Result<ConfirmedView, LedgerError> {
        self.read(|s, t| {
            if info.confirmation_height == 0 {
                return Ok(ConfirmedView {
                    balance: Amount::ZERO,
                    representative: Account::ZERO,
                });
            }
            let frontier = info.confirmation_frontier;
            let balance = s
                .block(t, &frontier)?
                .map_or(Amount::ZERO, |b| b.sideband.balance);
            let rep_block = representative_block(s, t, &frontier)?;
            let representative = s
                .block(t, &rep_block)?
                .and_then(|b| b.block.representative_field())
                .unwrap_or(Account::ZERO);
            Ok(ConfirmedView {
                balance,
                representative,
            })
        })
    }

    /// The `ledger` listing: records from `start` in account order (or by balance), filtered by
    /// modification time and threshold, at most `count`. Sorting reads every account's balance
    /// first, as nano-node does; the unsorted walk stops as soon as `count` records are kept.
    pub fn ledger_listing(
        &self,
        listing: &LedgerListing,
    ) -> Result<Vec<AccountRecord>, LedgerError> {
        self.read(|s, t| {
            let range = (Bound::Included(&listing.start.0[..]), Bound::Unbounded);
            let mut candidates: Vec<(Amount, Account)> = Vec::new();
            let mut out = Vec::new();
            for item in s.accounts.range(t, &range)? {
                if !listing.sorting && out.len() as u64 >= listing.count {
                    break;
                }
                let (k, v) = item?;
                let account = Account(decode32(k).map_err(LedgerError::corrupt("accounts key"))?);
                let info = AccountInfo::decode(v).map_err(LedgerError::corrupt("accounts"))?;
                if info.modified < listing.modified_since {
                    continue;
                }
                if listing.sorting {
                    candidates.push((info.balance, account));
                } else if let Some(r) = listed(s, t, account, info, listing)? {
                    out.push(r);
                }
            }
            candidates.sort_unstable_by(|a, b| b.cmp(a));
            for (_, account) in candidates {
                if out.len() as u64 >= listing.count {
                    break;
                }
                let info = s
                    .account(t, &account)?
                    .ok_or(LedgerError::Inconsistent("listed account vanished"))?;
                if let Some(r) = listed(s, t, account, info, listing)? {
                    out.push(r);
                }
            }
            Ok(out)
        })
    }

    /// Walks an account chain from `start` (previous links, or successors when `reverse`),
    /// handing each block to `visit` until it breaks or the chain ends. Returns the chain's
    /// account and the hash of the block that would have been visited next (zero at the chain's
    /// end), or `None` when `start` names no block or no opened account. An account's walk starts
    /// at its head, or at its open block when `reverse`.
    ///
    /// One read transaction covers the whole walk, and every block of it is read once: the
    /// previous block whose balance a block's entry needs is the one visited next (walking back)
    /// or just before (walking forward), so it is carried over rather than read again; a source
    /// block is read only for a block that may take funds in (see
    /// [`ChainBlock::source_account`]).
    pub fn walk_chain(
        &self,
        start: ChainStart,
        reverse: bool,
        mut visit: impl FnMut(ChainBlock<'_>) -> ControlFlow<()>,
    ) -> Result<Option<(Account, BlockHash)>, LedgerError> {
        self.read(|s, t| {
            let (first, opened) = match start {
                ChainStart::Block(hash) => (hash, None),
                ChainStart::Account(account) => match s.account(t, &account)? {
                    Some(info) if reverse => (info.open_block, Some((account, info))),
                    Some(info) => (info.head, Some((account, info))),
                    None => return Ok(None),
                },
            };
            let Some(mut stored) = s.block(t, &first)? else {
                // An opened account whose first block is missing shows nothing, as before.
                return Ok(opened.map(|(account, _)| (account, BlockHash::ZERO)));
            };
            let (account, confirmation_height) = match opened {
                Some((account, info)) => (account, info.confirmation_height),
                None => {
                    // Every block of one chain has the same account: read its record once.
                    let account = stored.sideband.account;
                    let height = s.account(t, &account)?.map_or(0, |i| i.confirmation_height);
                    (account, height)
                }
            };
            let mut hash = first;
            // Walking forward: the block visited last, which is the next block's previous.
            let mut last: Option<(BlockHash, Amount)> = None;
            loop {
                let previous_hash = stored.block.previous();
                // Walking back, the previous block is the next one visited: read it once.
                let mut previous: Option<StoredBlock> = None;
                let previous_balance = if previous_hash.is_zero() {
                    Some(Amount::ZERO)
                } else if let Some((_, balance)) = last.filter(|(h, _)| *h == previous_hash) {
                    Some(balance)
                } else {
                    previous = s.block(t, &previous_hash)?;
                    previous.as_ref().map(|p| p.sideband.balance)
                };
                let next = if reverse {
                    stored.sideband.successor
                } else {
                    previous_hash
                };
                let source_account = source_account(s, t, &stored, previous_balance)?;
                let balance = stored.sideband.balance;
                let confirmed = stored.sideband.height <= confirmation_height;
                let block = ChainBlock {
                    hash,
                    stored: &stored,
                    previous_balance,
                    source_account,
                    confirmed,
                };
                if visit(block).is_break() || next.is_zero() {
                    return Ok(Some((account, next)));
                }
                last = Some((hash, balance));
                stored = match previous.filter(|_| !reverse) {
                    Some(p) => p,
                    None => s
                        .block(t, &next)?
                        .ok_or(LedgerError::Inconsistent("chain block missing"))?,
                };
                hash = next;
            }
        })
    }

    /// Visits an account's receivables in send-hash order (nano-node's pending-table order)
    /// until `visit` breaks.
    pub fn visit_receivables(
        &self,
        account: &Account,
        mut visit: impl FnMut(BlockHash, Receivable) -> ControlFlow<()>,
    ) -> Result<(), LedgerError> {
        self.read(|s, t| {
            for item in s.receivables.prefix_iter(t, &account.0)? {
                let (k, v) = item?;
                let (_, hash) =
                    split_receivable_key(k).map_err(LedgerError::corrupt("receivables key"))?;
                let r = Receivable::decode(v).map_err(LedgerError::corrupt("receivables"))?;
                if visit(hash, r).is_break() {
                    break;
                }
            }
            Ok(())
        })
    }

    /// The account that owns a block, `None` when the block is unknown.
    pub fn block_account(&self, hash: &BlockHash) -> Result<Option<Account>, LedgerError> {
        self.read(|s, t| Ok(s.block(t, hash)?.map(|b| b.sideband.account)))
    }
}

/// A `ledger` entry if the account passes the threshold (balance, or balance + receivable when
/// receivables are asked for, as nano-node filters).
fn listed(
    s: &Store,
    t: &RoTxn,
    account: Account,
    info: AccountInfo,
    listing: &LedgerListing,
) -> Result<Option<AccountRecord>, LedgerError> {
    if !listing.extras.receivable && info.balance < listing.threshold {
        return Ok(None);
    }
    let r = record(s, t, account, info, listing.extras)?;
    let funds = r
        .info
        .balance
        .0
        .saturating_add(r.receivable.map_or(0, |a| a.0));
    Ok((funds >= listing.threshold.0).then_some(r))
}

fn record(
    s: &Store,
    t: &RoTxn,
    account: Account,
    info: AccountInfo,
    extras: RecordExtras,
) -> Result<AccountRecord, LedgerError> {
    let representative_block = representative_block(s, t, &info.head)?;
    let weight = match extras.weight {
        true => Some(s.weight(t, &account)?),
        false => None,
    };
    let receivable = match extras.receivable {
        true => Some(receivable_total(s, t, &account)?),
        false => None,
    };
    Ok(AccountRecord {
        account,
        info,
        representative_block,
        weight,
        receivable,
    })
}

/// The latest block at or before `hash` that names a representative: the block itself unless it
/// is a legacy send or receive, which carry none.
fn representative_block(s: &Store, t: &RoTxn, hash: &BlockHash) -> Result<BlockHash, LedgerError> {
    let mut cursor = *hash;
    loop {
        let Some(b) = s.block(t, &cursor)? else {
            return Err(LedgerError::Inconsistent("representative block missing"));
        };
        match b.block {
            Block::Send(_) | Block::Receive(_) => cursor = b.block.previous(),
            _ => return Ok(cursor),
        }
    }
}

/// The account of the block `stored` takes funds from, when it may take some: a legacy receive
/// or open, or a state block whose balance did not go down and whose link is set (a receive, or
/// an epoch, for which the link is no block and the lookup finds nothing). Sends and changes
/// name no source, so their link is not looked up.
fn source_account(
    s: &Store,
    t: &RoTxn,
    stored: &StoredBlock,
    previous_balance: Option<Amount>,
) -> Result<Option<Account>, LedgerError> {
    let source = match &stored.block {
        Block::State(st) => match previous_balance {
            Some(p) if stored.sideband.balance >= p => st.link.as_hash(),
            _ => return Ok(None),
        },
        Block::Receive(r) => r.source,
        Block::Open(o) => o.source,
        Block::Send(_) | Block::Change(_) => return Ok(None),
    };
    if source.is_zero() {
        return Ok(None);
    }
    Ok(s.block(t, &source)?.map(|b| b.sideband.account))
}
