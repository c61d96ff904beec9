//! Ledger-wide listings: representatives, delegators, frontiers, the `ledger` dump and unopened
//! accounts. Counts are bounds on what is kept, never sizes to allocate.

use super::{as_limit, require_count, Api, ApiError};
use crate::ledger::primitives::{Account, Amount, BlockHash};
use crate::ledger::{AccountRecord, LedgerListing};

/// The smallest weight `representatives` lists: nano-node's `representative_vote_weight_minimum`
/// default, 10 nano (10^31 raw). nano-node answers from a weight cache that holds only reps at
/// or above it.
pub const REPRESENTATIVE_MINIMUM: Amount = Amount(10_000_000_000_000_000_000_000_000_000_000);

/// The first account `unopened` looks at by default: account number 1, so the burn account
/// (which can never be opened) is skipped, as in nano-node.
const FIRST_AFTER_BURN: Account = {
    let mut key = [0u8; 32];
    key[31] = 1;
    Account(key)
};

impl Api {
    /// `representatives`: accounts holding at least [`REPRESENTATIVE_MINIMUM`] of delegated
    /// weight, at most `count`. Unsorted, they come in ascending account order (nano-node's order
    /// is its hash map's, i.e. unspecified, and it lists one more than `count`); sorted, by weight
    /// descending with ties by account descending, as nano-node sorts.
    pub fn representative_weights(
        &self,
        count: u64,
        sorting: bool,
    ) -> Result<Vec<(Account, Amount)>, ApiError> {
        let mut reps: Vec<(Account, Amount)> = self
            .ledger
            .representatives()?
            .into_iter()
            .filter(|(_, weight)| *weight >= REPRESENTATIVE_MINIMUM)
            .collect();
        if sorting {
            reps.sort_unstable_by_key(|&(account, weight)| std::cmp::Reverse((weight, account)));
        }
        reps.truncate(as_limit(count));
        Ok(reps)
    }

    /// `delegators`: accounts whose representative is `representative` with a balance of at
    /// least `threshold`, after `start` (exclusive) in account order, at most `count`.
    pub fn delegators_of(
        &self,
        representative: &Account,
        threshold: Amount,
        start: Option<Account>,
        count: u64,
    ) -> Result<Vec<(Account, Amount)>, ApiError> {
        Ok(self
            .ledger
            .delegators(representative, threshold, start, as_limit(count))?)
    }

    /// `delegators_count`: accounts of any balance whose representative is `representative`.
    pub fn delegators_count(&self, representative: &Account) -> Result<u64, ApiError> {
        Ok(self.ledger.delegators_count(representative)?)
    }

    /// `frontiers`: accounts and their heads from `start` (inclusive) in account order; `count`
    /// is required (`Invalid count` for 0).
    pub fn frontiers_from(
        &self,
        start: &Account,
        count: u64,
    ) -> Result<Vec<(Account, BlockHash)>, ApiError> {
        let count = require_count(count)?;
        Ok(self.ledger.frontiers(start, as_limit(count))?)
    }

    /// `frontier_count`: the number of opened accounts.
    pub fn frontier_count(&self) -> Result<u64, ApiError> {
        Ok(self.ledger.account_count()?)
    }

    /// `ledger`: account records per nano-node's listing rules (see [`LedgerListing`]).
    pub fn ledger_listing(&self, listing: &LedgerListing) -> Result<Vec<AccountRecord>, ApiError> {
        Ok(self.ledger.ledger_listing(listing)?)
    }

    /// `unopened`: accounts from `start` (inclusive; default account number 1) that have
    /// receivables but no block, with their receivable totals of at least `threshold`, in
    /// account order, at most `count`.
    pub fn unopened(
        &self,
        start: Option<Account>,
        count: u64,
        threshold: Amount,
    ) -> Result<Vec<(Account, Amount)>, ApiError> {
        let start = start.unwrap_or(FIRST_AFTER_BURN);
        Ok(self.ledger.unopened(&start, as_limit(count), threshold)?)
    }
}
