//! Receivable (pending) queries: per-account listings, unopened accounts, existence checks.
//!
//! Receivables are keyed destination ‖ send hash, so one account's entries are a contiguous,
//! hash-ordered range (nano-node's listing order).

use std::ops::{Bound, ControlFlow};

use heed::RoTxn;

use super::error::LedgerError;
use super::handle::Ledger;
use super::primitives::{Account, Amount, Block, BlockHash};
use super::records::{split_receivable_key, Receivable, Subtype};
use super::store::Store;

/// One receivable of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivableEntry {
    /// The send block.
    pub hash: BlockHash,
    /// Sender and amount.
    pub receivable: Receivable,
}

impl Ledger {
    /// An account's receivables with amount ≥ `threshold`: in send-hash order, or by amount
    /// descending when `sorted` (then the `count` largest), at most `count`.
    pub fn receivables(
        &self,
        account: &Account,
        count: usize,
        threshold: Amount,
        sorted: bool,
    ) -> Result<Vec<ReceivableEntry>, LedgerError> {
        let mut out = Vec::new();
        self.visit_receivables(account, |hash, receivable| {
            if !sorted && out.len() >= count {
                return ControlFlow::Break(());
            }
            if receivable.amount >= threshold {
                out.push(ReceivableEntry { hash, receivable });
            }
            ControlFlow::Continue(())
        })?;
        if sorted {
            out.sort_by_key(|e| std::cmp::Reverse(e.receivable.amount));
            out.truncate(count);
        }
        Ok(out)
    }

    /// `unopened`: accounts from `start` (inclusive) that have receivables but no block yet,
    /// with their receivable totals ≥ `threshold`, at most `count`.
    pub fn unopened(
        &self,
        start: &Account,
        count: usize,
        threshold: Amount,
    ) -> Result<Vec<(Account, Amount)>, LedgerError> {
        self.read(|s, t| {
            let mut out: Vec<(Account, Amount)> = Vec::new();
            let mut current: Option<(Account, u128)> = None;
            let range = (Bound::Included(&start.0[..]), Bound::Unbounded);
            let finish = |entry: Option<(Account, u128)>, out: &mut Vec<(Account, Amount)>| {
                if let Some((a, total)) = entry {
                    if total >= threshold.0 {
                        out.push((a, Amount(total)));
                    }
                }
            };
            for item in s.receivables.range(t, &range)? {
                let (k, v) = item?;
                let (dest, _) =
                    split_receivable_key(k).map_err(LedgerError::corrupt("receivables key"))?;
                if current.as_ref().is_some_and(|(a, _)| *a == dest) {
                    let r = Receivable::decode(v).map_err(LedgerError::corrupt("receivables"))?;
                    if let Some((_, total)) = current.as_mut() {
                        *total = total.saturating_add(r.amount.0);
                    }
                    continue;
                }
                finish(current.take(), &mut out);
                if out.len() >= count {
                    return Ok(out);
                }
                if s.account(t, &dest)?.is_none() {
                    let r = Receivable::decode(v).map_err(LedgerError::corrupt("receivables"))?;
                    current = Some((dest, r.amount.0));
                }
            }
            finish(current.take(), &mut out);
            out.truncate(count);
            Ok(out)
        })
    }

    /// Whether `send` is a send that its destination has not received yet.
    pub fn receivable_exists(&self, send: &BlockHash) -> Result<bool, LedgerError> {
        self.read(|s, t| {
            let Some(b) = s.block(t, send)? else {
                return Ok(false);
            };
            let destination = match &b.block {
                Block::State(st) if b.sideband.subtype == Subtype::Send => st.link.as_account(),
                Block::Send(sd) => sd.destination,
                _ => return Ok(false),
            };
            Ok(s.receivable(t, &destination, send)?.is_some())
        })
    }
}

pub(crate) fn receivable_total(
    s: &Store,
    t: &RoTxn,
    account: &Account,
) -> Result<Amount, LedgerError> {
    let mut total: u128 = 0;
    for item in s.receivables.prefix_iter(t, &account.0)? {
        let (_, v) = item?;
        let r = Receivable::decode(v).map_err(LedgerError::corrupt("receivables"))?;
        total = total
            .checked_add(r.amount.0)
            .ok_or(LedgerError::Inconsistent("receivables exceed the supply"))?;
    }
    Ok(Amount(total))
}
