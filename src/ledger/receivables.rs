//! Receivable (pending) queries: per-account listings, unopened accounts, existence checks.
//!
//! Receivables are keyed destination ‖ send hash, so one account's entries are a contiguous,
//! hash-ordered range (nano-node's listing order).

use std::ops::{Bound, ControlFlow};

use heed::RoTxn;

use super::error::LedgerError;
use super::handle::Ledger;
use super::primitives::{Account, Amount, Block, BlockHash};
use super::records::{decode32, decode_amount, Receivable, Subtype};
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
        // One kept total per account (see `totals`), not one entry per receivable.
        self.read(|s, t| {
            let mut out: Vec<(Account, Amount)> = Vec::new();
            let range = (Bound::Included(&start.0[..]), Bound::Unbounded);
            for item in s.receivable_totals.range(t, &range)? {
                if out.len() >= count {
                    break;
                }
                let (k, v) = item?;
                let account =
                    Account(decode32(k).map_err(LedgerError::corrupt("receivable_totals key"))?);
                let total = decode_amount(v).map_err(LedgerError::corrupt("receivable_totals"))?;
                if total >= threshold && s.account(t, &account)?.is_none() {
                    out.push((account, total));
                }
            }
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

/// An account's receivable total: the sum the writer keeps (`totals`), one lookup however many
/// receivables the account has.
pub(crate) fn receivable_total(
    s: &Store,
    t: &RoTxn,
    account: &Account,
) -> Result<Amount, LedgerError> {
    s.receivable_sum(t, account)
}
