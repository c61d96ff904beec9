//! Account and ledger reads: the typed core behind the v2 account messages (`AccountWeight`,
//! `AccountBalance`, `AccountInfo`, `AccountHistory`, `AccountRepresentative`,
//! `AccountsBalances`, `Receivable`, `Representatives`, `Delegators`, `Frontiers`) and the legacy
//! account actions. Both front ends call these methods; all validation they share (address,
//! threshold and count checks, "Account not found") happens here with nano-node's error text.
//!
//! Confirmation: this node cements every block in the write transaction that accepts it, so
//! nano-node's confirmed views (`include_only_confirmed`, `include_confirmed`,
//! `include_active`) see the same ledger state as the unconfirmed ones. The options are
//! accepted and change nothing.
//!
//! Layout: this file (addresses, balances, account records), `history` (`account_history`),
//! `receivable` (receivable listings), `listing` (representatives, delegators, frontiers, the
//! `ledger` dump, unopened accounts), `v2` (the v2 handlers that read requests and write answers).

mod answers;
mod history;
mod listing;
mod receivable;
mod render;
mod v2;

pub(in crate::api) use answers::DirectAnswer;
pub use history::{HistoryEntry, HistoryKind, HistoryPage, HistoryQuery, HistoryStart};
pub use listing::REPRESENTATIVE_MINIMUM;
pub use receivable::{ReceivableItem, ReceivableQuery};

use super::{Api, ApiError};
use crate::ledger::primitives::{Account, Amount};
use crate::ledger::{AccountRecord, ConfirmedView, RecordExtras};

/// An address as a request gave it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedAccount {
    pub account: Account,
    /// Written with a deprecated `nano-`/`xrb-` prefix; legacy RPC then adds
    /// `"deprecated_account_format": "1"` to its answer, as nano-node does.
    pub deprecated_format: bool,
}

/// An account's funds, as `account_balance` reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountBalance {
    /// Balance of the account's head block (0 when the account is not opened).
    pub balance: Amount,
    /// Sum of the sends waiting to be received by the account.
    pub receivable: Amount,
}

/// One entry of an `accounts_balances` answer: the address text as sent, and its balance or
/// the error that address got (nano-node reports errors per address, not for the request).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountsBalance {
    /// The address exactly as the request wrote it (nano-node keys its answer by this text).
    pub text: String,
    /// The parsed address, or nano-node's error text for it.
    pub result: Result<(ParsedAccount, AccountBalance), &'static str>,
}

/// What `account_info` should read beyond the account record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InfoQuery {
    /// Voting weight delegated to the account.
    pub weight: bool,
    /// Sum of the account's receivables.
    pub receivable: bool,
    /// The confirmed balance and representative (the confirmation frontier's).
    pub include_confirmed: bool,
}

/// `account_info`'s answer: the record plus, when asked, its confirmed view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSummary {
    /// Frontier record, representative block and the requested extras.
    pub record: AccountRecord,
    /// Balance and representative at the confirmation frontier (with `include_confirmed`).
    /// Every block is cemented on acceptance, so these equal the head's values.
    pub confirmed: Option<ConfirmedView>,
}

const ACCOUNT_NOT_FOUND: ApiError = ApiError::InvalidArgument("Account not found");

impl Api {
    /// Decodes a `nano_`/`xrb_` address (the deprecated dashed forms too); anything else is
    /// nano-node's `Bad account number`.
    pub fn parse_account(&self, address: &str) -> Result<ParsedAccount, ApiError> {
        parse_account(address)
    }

    /// Decodes a public key (1–64 hex digits, left-padded as nano-node does) into its account;
    /// anything else is nano-node's `Bad public key` (`account_get`).
    pub fn account_from_key(&self, key: &str) -> Result<Account, ApiError> {
        Account::decode_hex(key).map_err(|_| ApiError::InvalidArgument("Bad public key"))
    }

    /// Decodes a `threshold` (nano-node's strict decimal raw; absent is 0); anything else is
    /// `Bad threshold number`.
    pub fn parse_threshold(&self, text: Option<&str>) -> Result<Amount, ApiError> {
        parse_threshold(text)
    }

    /// Voting weight delegated to an account. An unknown account has weight 0, as in nano-node.
    pub fn weight_of(&self, account: &Account) -> Result<Amount, ApiError> {
        Ok(self.ledger.weight(account)?)
    }

    /// Balance and receivable total of an account; zeros for an unopened one.
    ///
    /// There is no confirmed/unconfirmed distinction to make: this node cements every block in
    /// the write transaction that accepts it, so nano-node's `include_only_confirmed` views are
    /// the same ledger state.
    pub fn balance_of(&self, account: &Account) -> Result<AccountBalance, ApiError> {
        let (balance, receivable) = self.ledger.account_balance(account)?;
        Ok(AccountBalance {
            balance,
            receivable,
        })
    }

    /// `accounts_balances`: each address's balance, or its own error (`Bad account number`);
    /// one bad address never fails the others.
    pub fn balances_of<'t>(
        &self,
        addresses: impl IntoIterator<Item = &'t str>,
    ) -> Result<Vec<AccountsBalance>, ApiError> {
        let mut out = Vec::new();
        for text in addresses {
            let result = match parse_account(text) {
                Ok(parsed) => Ok((parsed, self.balance_of(&parsed.account)?)),
                Err(_) => Err("Bad account number"),
            };
            out.push(AccountsBalance {
                text: text.to_owned(),
                result,
            });
        }
        Ok(out)
    }

    /// `account_info`: the account record with the requested extras; `Account not found` for an
    /// unopened account (the burn account included).
    pub fn account_summary(
        &self,
        account: &Account,
        query: InfoQuery,
    ) -> Result<AccountSummary, ApiError> {
        let extras = RecordExtras {
            weight: query.weight,
            receivable: query.receivable,
        };
        let record = self
            .ledger
            .account_record(account, extras)?
            .ok_or(ACCOUNT_NOT_FOUND)?;
        let confirmed = match query.include_confirmed {
            true => Some(self.ledger.confirmed_view(&record.info)?),
            false => None,
        };
        Ok(AccountSummary { record, confirmed })
    }

    /// The record of an opened account, without extras (`account_block_count`,
    /// `account_representative`, `accounts_frontiers`, …); `Account not found` otherwise.
    pub fn account_record(&self, account: &Account) -> Result<AccountRecord, ApiError> {
        Ok(self.account_summary(account, InfoQuery::default())?.record)
    }

    /// The account's current representative (`account_representative`).
    pub fn representative_of(&self, account: &Account) -> Result<Account, ApiError> {
        Ok(self.account_record(account)?.info.representative)
    }
}

/// Decodes an address with nano-node's error text.
///
/// Successful decodes are remembered per thread (see `render`): the checksum of an address a
/// client keeps sending is not recomputed on every request.
pub(crate) fn parse_account(address: &str) -> Result<ParsedAccount, ApiError> {
    render::parse_cached(address, decode_account)
}

fn decode_account(address: &str) -> Result<ParsedAccount, ApiError> {
    Account::decode_address(address)
        .map(|(account, prefix)| ParsedAccount {
            account,
            deprecated_format: prefix.is_deprecated(),
        })
        .map_err(|_| ApiError::InvalidArgument("Bad account number"))
}

/// A `threshold` (decimal raw, nano-node's strict form); absent is 0.
pub(crate) fn parse_threshold(text: Option<&str>) -> Result<Amount, ApiError> {
    match text {
        None => Ok(Amount::ZERO),
        Some(t) => {
            Amount::decode_dec(t).map_err(|_| ApiError::InvalidArgument("Bad threshold number"))
        }
    }
}

/// A client's count as a length bound: never allocated, only compared against.
pub(crate) fn as_limit(count: u64) -> usize {
    usize::try_from(count).unwrap_or(usize::MAX)
}

/// nano-node's `Invalid count` for a required count of zero.
pub(crate) fn require_count(count: u64) -> Result<u64, ApiError> {
    match count {
        0 => Err(ApiError::InvalidArgument("Invalid count")),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_the_deprecated_flag() {
        let a = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo";
        assert!(!parse_account(a).unwrap().deprecated_format);
        let dashed = a.replacen("nano_", "nano-", 1);
        assert!(parse_account(&dashed).unwrap().deprecated_format);
        let xrb = a.replacen("nano_", "xrb_", 1);
        assert!(!parse_account(&xrb).unwrap().deprecated_format);
        for bad in ["", "nano_1", &a.replace('t', "u"), &a.to_uppercase()] {
            assert_eq!(
                parse_account(bad).unwrap_err().to_string(),
                "Bad account number",
                "{bad}"
            );
        }
    }

    #[test]
    fn thresholds_and_counts() {
        assert_eq!(parse_threshold(None).unwrap(), Amount::ZERO);
        assert_eq!(parse_threshold(Some("10")).unwrap(), Amount(10));
        for bad in ["", "01", "-1", "1.0", "x"] {
            assert_eq!(
                parse_threshold(Some(bad)).unwrap_err().to_string(),
                "Bad threshold number"
            );
        }
        assert_eq!(require_count(0).unwrap_err().to_string(), "Invalid count");
        assert_eq!(require_count(3).unwrap(), 3);
        assert_eq!(as_limit(u64::MAX), usize::MAX);
    }
}
