//! Reads behind block building and submission: the work details nano-node's `difficulty_ledger`
//! derives for a block, and the balance a `process` subtype check compares against.

use super::error::LedgerError;
use super::handle::Ledger;
use super::primitives::{Account, Amount, Block, BlockHash};

impl Ledger {
    /// `(epoch, is_receive)` of the work threshold the ledger will apply to `block`, as far as
    /// the ledger can tell before processing it; `None` when it knows neither the previous block
    /// nor a receivable source (nano-node then uses the base difficulty).
    ///
    /// As nano-node: a known previous block gives the epoch and, when the balance drops, a send;
    /// otherwise a non-zero link naming a block that the account can still receive makes it a
    /// receive, at the higher of the two epochs.
    pub fn work_details(&self, block: &Block) -> Result<Option<(u8, bool)>, LedgerError> {
        self.read(|s, t| {
            let mut found = None;
            let mut is_send = false;
            let previous = block.previous();
            if !previous.is_zero() {
                if let Some(prev) = s.block(t, &previous)? {
                    is_send = balance_field(block).is_some_and(|b| prev.sideband.balance > b);
                    found = Some((prev.sideband.epoch, false));
                }
            }
            if let Block::State(state) = block {
                if !state.link.is_zero() && !is_send {
                    let source = state.link.as_hash();
                    if let Some(link_block) = s.block(t, &source)? {
                        if s.receivable(t, &state.account, &source)?.is_some() {
                            let epoch = found.map_or(0, |(e, _)| e);
                            found = Some((epoch.max(link_block.sideband.epoch), true));
                        }
                    }
                }
            }
            Ok(found)
        })
    }

    /// What a `process` subtype check reads, from one snapshot: whether `previous` is stored
    /// (`true` for zero, which names no block), and the balance of `account`'s head block
    /// (`None` when the account is not opened). One read transaction rather than two: the
    /// check runs for every submitted block.
    pub fn subtype_facts(
        &self,
        previous: &BlockHash,
        account: &Account,
    ) -> Result<(bool, Option<Amount>), LedgerError> {
        self.read(|s, t| {
            let known = previous.is_zero() || s.block_exists(t, previous)?;
            Ok((known, s.account(t, account)?.map(|i| i.balance)))
        })
    }
}

/// The balance a block states, for the kinds that state one.
fn balance_field(block: &Block) -> Option<Amount> {
    match block {
        Block::State(b) => Some(b.balance),
        Block::Send(b) => Some(b.balance),
        _ => None,
    }
}
