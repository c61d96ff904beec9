//! Per-account sums kept by the writer, so no read has to scan to answer them.
//!
//! `account_balance`, `accounts_balances`, `account_info` (with `receivable`), `unopened` and the
//! burned amount all need an account's receivable total. Summing the account's receivable
//! entries made one request cost O(entries): 20,000 receivables took 2.2 ms, and clients
//! pipelining such requests stalled everyone else. The `receivable_totals` table (account →
//! 16-byte big-endian sum, absent when zero) is updated by the processor in the write
//! transaction that adds or removes the receivable, so it is exactly as durable and as
//! consistent as the entries themselves. Representative weights were already kept the same way
//! (`weights`).
//!
//! Store version 2 introduced the table; [`Store::upgrade_from_v1`] rebuilds it from the
//! receivable entries when a version 1 ledger is opened, in the opening write transaction.

use heed::{RoTxn, RwTxn};

use super::error::LedgerError;
use super::handle::Ledger;
use super::primitives::{Account, Amount};
use super::records::{decode_amount, split_receivable_key, AccountInfo, Receivable};
use super::store::Store;

/// What [`Ledger::check_kept_sums`] found: every mismatch between a kept sum and the sum
/// scanned from the entries it summarises (empty when consistent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeptSumsCheck {
    /// Accounts whose kept receivable total differs: (account, kept, scanned).
    pub receivable_mismatches: Vec<(Account, Amount, Amount)>,
    /// Representatives whose kept weight differs from the sum of their delegators' balances:
    /// (representative, kept, scanned).
    pub weight_mismatches: Vec<(Account, Amount, Amount)>,
    /// Accounts that have a kept total (receivables) checked.
    pub accounts_checked: u64,
}

impl KeptSumsCheck {
    /// True when every kept sum equals its scan.
    pub fn is_consistent(&self) -> bool {
        self.receivable_mismatches.is_empty() && self.weight_mismatches.is_empty()
    }
}

fn overflow() -> LedgerError {
    LedgerError::Inconsistent("receivables exceed the supply")
}

impl Store {
    /// The kept receivable total of `account` (zero when it has none).
    pub(crate) fn receivable_sum(
        &self,
        txn: &RoTxn,
        account: &Account,
    ) -> Result<Amount, LedgerError> {
        match self.receivable_totals.get(txn, &account.0)? {
            Some(bytes) => decode_amount(bytes).map_err(LedgerError::corrupt("receivable_totals")),
            None => Ok(Amount::ZERO),
        }
    }

    /// Adds `add` and removes `sub` from `account`'s kept receivable total, in the write
    /// transaction that adds or removes the receivable entry. A zero total is deleted, so the
    /// table lists exactly the accounts that have something to receive.
    pub(crate) fn adjust_receivable_sum(
        &self,
        txn: &mut RwTxn,
        account: &Account,
        add: Amount,
        sub: Amount,
    ) -> Result<(), LedgerError> {
        let next = self
            .receivable_sum(txn, account)?
            .0
            .checked_add(add.0)
            .and_then(|v| v.checked_sub(sub.0))
            .ok_or(LedgerError::Inconsistent("receivable total out of range"))?;
        if next == 0 {
            self.receivable_totals.delete(txn, &account.0)?;
        } else {
            self.receivable_totals
                .put(txn, &account.0, &next.to_be_bytes())?;
        }
        Ok(())
    }

    /// Version 1 → 2: builds `receivable_totals` from the receivable entries (one pass, in key
    /// order, so each account's entries are contiguous). Rebuilding rather than refusing keeps an
    /// old data directory usable without an export/import round trip.
    pub(crate) fn upgrade_from_v1(&self, txn: &mut RwTxn) -> Result<u64, LedgerError> {
        self.receivable_totals.clear(txn)?;
        let mut sums: Vec<(Account, u128)> = Vec::new();
        for_each_account_sum(self, txn, |account, sum| sums.push((account, sum)))?;
        for (account, sum) in &sums {
            self.receivable_totals
                .put(txn, &account.0, &sum.to_be_bytes())?;
        }
        tracing::info!(
            accounts = sums.len(),
            "ledger store upgraded to version 2: receivable totals rebuilt"
        );
        Ok(sums.len() as u64)
    }
}

/// Calls `f` with each account's receivable sum scanned from the entries, in account order:
/// what the kept totals are checked against, and what they are rebuilt from.
fn for_each_account_sum(
    s: &Store,
    t: &RoTxn,
    mut f: impl FnMut(Account, u128),
) -> Result<(), LedgerError> {
    let mut current: Option<(Account, u128)> = None;
    for item in s.receivables.iter(t)? {
        let (k, v) = item?;
        let (dest, _) = split_receivable_key(k).map_err(LedgerError::corrupt("receivables key"))?;
        let amount = Receivable::decode(v)
            .map_err(LedgerError::corrupt("receivables"))?
            .amount
            .0;
        match current.as_mut() {
            Some((a, sum)) if *a == dest => {
                *sum = sum.checked_add(amount).ok_or_else(overflow)?;
            }
            _ => {
                if let Some((a, sum)) = current.replace((dest, amount)) {
                    f(a, sum);
                }
            }
        }
    }
    if let Some((a, sum)) = current {
        f(a, sum);
    }
    Ok(())
}

impl Ledger {
    /// Compares every kept sum with a full scan: receivable totals against the receivable
    /// entries, representative weights against the balances of the accounts that delegate to
    /// them. O(ledger); for tests and `ledger` tooling, never for a request.
    pub fn check_kept_sums(&self) -> Result<KeptSumsCheck, LedgerError> {
        self.read(|s, t| {
            let mut check = KeptSumsCheck::default();
            let mut scanned: Vec<(Account, u128)> = Vec::new();
            for_each_account_sum(s, t, |account, sum| scanned.push((account, sum)))?;
            // Both lists are in account order: walk the kept table against the scan.
            let mut kept: Vec<(Account, u128)> = Vec::new();
            for item in s.receivable_totals.iter(t)? {
                let (k, v) = item?;
                let account = Account(k.try_into().map_err(|_| {
                    LedgerError::Inconsistent("receivable total key is not 32 bytes")
                })?);
                let sum = decode_amount(v).map_err(LedgerError::corrupt("receivable_totals"))?;
                kept.push((account, sum.0));
            }
            check.accounts_checked = scanned.len().max(kept.len()) as u64;
            diff(&kept, &scanned, &mut check.receivable_mismatches);

            let mut delegated: std::collections::BTreeMap<Account, u128> = Default::default();
            for item in s.accounts.iter(t)? {
                let (_, v) = item?;
                let info = AccountInfo::decode(v).map_err(LedgerError::corrupt("accounts"))?;
                let w = delegated.entry(info.representative).or_default();
                *w = w.checked_add(info.balance.0).ok_or_else(overflow)?;
            }
            delegated.retain(|_, w| *w != 0);
            let mut weights: Vec<(Account, u128)> = Vec::new();
            for item in s.weights.iter(t)? {
                let (k, v) = item?;
                let rep = Account(
                    k.try_into()
                        .map_err(|_| LedgerError::Inconsistent("weight key is not 32 bytes"))?,
                );
                weights.push((
                    rep,
                    decode_amount(v).map_err(LedgerError::corrupt("weights"))?.0,
                ));
            }
            let delegated: Vec<(Account, u128)> = delegated.into_iter().collect();
            diff(&weights, &delegated, &mut check.weight_mismatches);
            Ok(check)
        })
    }
}

/// Mismatches between two account-ordered lists of sums (a missing entry counts as zero).
fn diff(
    kept: &[(Account, u128)],
    scanned: &[(Account, u128)],
    out: &mut Vec<(Account, Amount, Amount)>,
) {
    let (mut i, mut j) = (0, 0);
    while i < kept.len() || j < scanned.len() {
        let (account, k, s) = match (kept.get(i), scanned.get(j)) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                i += 1;
                j += 1;
                (a.0, a.1, b.1)
            }
            (Some(a), Some(b)) if a.0 .0 < b.0 .0 => {
                i += 1;
                (a.0, a.1, 0)
            }
            (Some(a), None) => {
                i += 1;
                (a.0, a.1, 0)
            }
            (_, Some(b)) => {
                j += 1;
                (b.0, 0, b.1)
            }
            (None, None) => break,
        };
        if k != s {
            out.push((account, Amount(k), Amount(s)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::primitives::{BlockHash, Network};
    use crate::ledger::records::receivable_key;
    use crate::ledger::store::Access;
    use std::path::Path;

    fn close(store: Store) {
        let Store { env, .. } = store;
        env.prepare_for_closing().wait();
    }

    /// Writes receivable entries as a version 1 build would have (no kept totals), then closes.
    fn write_v1(dir: &Path, entries: &[(Account, u8, u128)]) {
        let store = Store::open(dir, Network::Dev, Access::ReadWrite).unwrap();
        let mut txn = store.env.write_txn().unwrap();
        for (dest, n, amount) in entries {
            let value = Receivable {
                source: Account([7; 32]),
                amount: Amount(*amount),
                epoch: 0,
            };
            store
                .receivables
                .put(
                    &mut txn,
                    &receivable_key(dest, &BlockHash([*n; 32])),
                    &value.encode(),
                )
                .unwrap();
        }
        store.receivable_totals.clear(&mut txn).unwrap();
        store
            .meta
            .put(&mut txn, b"version", &1u32.to_be_bytes())
            .unwrap();
        txn.commit().unwrap();
        close(store);
    }

    #[test]
    fn a_version_1_store_gets_its_totals_rebuilt_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (Account([1; 32]), Account([2; 32]));
        write_v1(dir.path(), &[(a, 1, 5), (a, 2, 7), (b, 3, 11), (a, 4, 1)]);
        let store = Store::open(dir.path(), Network::Dev, Access::ReadWrite).unwrap();
        let txn = store.env.read_txn().unwrap();
        assert_eq!(
            store.meta_version(&txn).unwrap(),
            crate::ledger::STORE_VERSION
        );
        assert_eq!(store.receivable_sum(&txn, &a).unwrap(), Amount(13));
        assert_eq!(store.receivable_sum(&txn, &b).unwrap(), Amount(11));
        assert_eq!(
            store.receivable_sum(&txn, &Account([3; 32])).unwrap(),
            Amount::ZERO
        );
    }

    #[test]
    fn adjusting_to_zero_removes_the_total_and_underflow_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Network::Dev, Access::ReadWrite).unwrap();
        let a = Account([1; 32]);
        let mut txn = store.env.write_txn().unwrap();
        store
            .adjust_receivable_sum(&mut txn, &a, Amount(9), Amount::ZERO)
            .unwrap();
        assert_eq!(store.receivable_sum(&txn, &a).unwrap(), Amount(9));
        store
            .adjust_receivable_sum(&mut txn, &a, Amount::ZERO, Amount(9))
            .unwrap();
        assert!(store.receivable_totals.get(&txn, &a.0).unwrap().is_none());
        assert!(matches!(
            store.adjust_receivable_sum(&mut txn, &a, Amount::ZERO, Amount(1)),
            Err(LedgerError::Inconsistent(_))
        ));
    }

    #[test]
    fn diff_reports_missing_and_different_sums() {
        let (a, b, c) = (Account([1; 32]), Account([2; 32]), Account([3; 32]));
        let mut out = Vec::new();
        diff(&[(a, 1), (c, 3)], &[(a, 1), (b, 2), (c, 4)], &mut out);
        assert_eq!(
            out,
            vec![(b, Amount(0), Amount(2)), (c, Amount(3), Amount(4))]
        );
    }
}
