//! Receivable (pending) listings: `receivable` for one account and `accounts_receivable` for
//! several, with nano-node's `count`/`offset`/`threshold`/`sorting` semantics.
//!
//! nano-node's `include_active`/`include_only_confirmed` decide which sends qualify by their
//! confirmation; every send here is cemented on acceptance, so every entry qualifies.

use std::ops::ControlFlow;

use super::{as_limit, Api, ApiError};
use crate::ledger::primitives::{Account, Amount, BlockHash};

/// A `receivable` request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivableQuery {
    /// Entries kept, at most (nano-node's default: unlimited).
    pub count: u64,
    /// Entries skipped first. Unsorted, they are counted before the threshold filter (as in
    /// nano-node); sorted, the offset applies to the sorted list.
    pub offset: u64,
    /// Smallest amount listed.
    pub threshold: Amount,
    /// By amount descending (stable: equal amounts keep send-hash order).
    pub sorting: bool,
}

/// One receivable send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivableItem {
    /// The send block.
    pub hash: BlockHash,
    pub amount: Amount,
    /// The sending account.
    pub source: Account,
    /// Epoch of the send (nano-node's `min_version`).
    pub epoch: u8,
}

impl Api {
    /// `receivable`: an account's receivable sends in send-hash order, or by amount.
    ///
    /// Unsorted, the walk stops once `count` entries are kept, so a huge `count` costs nothing.
    /// Sorted, every entry at or above the threshold is read before the slice is taken, as in
    /// nano-node. nano-node's sorted slice `[offset, offset + count)` wraps around 2^64 (an
    /// `offset` with the default `count` answers nothing); here it saturates instead.
    pub fn receivables(
        &self,
        account: &Account,
        query: &ReceivableQuery,
    ) -> Result<Vec<ReceivableItem>, ApiError> {
        let limit = as_limit(query.count);
        let mut skip = query.offset;
        let mut out = Vec::new();
        self.ledger.visit_receivables(account, |hash, r| {
            if !query.sorting {
                if out.len() >= limit {
                    return ControlFlow::Break(());
                }
                if skip > 0 {
                    skip -= 1;
                    return ControlFlow::Continue(());
                }
            }
            if r.amount >= query.threshold {
                out.push(ReceivableItem {
                    hash,
                    amount: r.amount,
                    source: r.source,
                    epoch: r.epoch,
                });
            }
            ControlFlow::Continue(())
        })?;
        if query.sorting {
            out.sort_by_key(|i| std::cmp::Reverse(i.amount));
            let skip = as_limit(query.offset).min(out.len());
            out.drain(..skip);
            out.truncate(limit);
        }
        Ok(out)
    }

    /// `accounts_receivable`: per account, the first `count` entries at or above `threshold`
    /// in send-hash order, then sorted by amount when `sorting` (nano-node limits before it
    /// sorts here, unlike `receivable`). Accounts are answered in request order.
    pub fn accounts_receivable(
        &self,
        accounts: &[Account],
        count: u64,
        threshold: Amount,
        sorting: bool,
    ) -> Result<Vec<(Account, Vec<ReceivableItem>)>, ApiError> {
        let query = ReceivableQuery {
            count,
            offset: 0,
            threshold,
            sorting: false,
        };
        let mut out = Vec::new();
        for account in accounts {
            let mut items = self.receivables(account, &query)?;
            if sorting {
                items.sort_by_key(|i| std::cmp::Reverse(i.amount));
            }
            out.push((*account, items));
        }
        Ok(out)
    }
}
