//! Account requests: the shared queries behind v2 `AccountWeight` and legacy `account_weight` /
//! `account_balance`, and address parsing with nano-node's error text.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::{Api, ApiError, Caller};
use crate::ledger::primitives::{Account, Amount};
use crate::schema::{AccountWeight, AccountWeightResponse, AccountWeightResponseArgs};

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

impl Api {
    /// Decodes a `nano_`/`xrb_` address (the deprecated dashed forms too); anything else is
    /// nano-node's `Bad account number`.
    pub fn parse_account(&self, address: &str) -> Result<ParsedAccount, ApiError> {
        parse_account(address)
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

    pub(super) fn account_weight<'b>(
        &self,
        _ctx: &Caller,
        req: AccountWeight<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountWeightResponse<'b>>, ApiError> {
        let account = parse_account(req.account())?.account;
        let weight = self.weight_of(&account)?;
        // itoa's u128 path divides by 10^19 chunks, not digit by digit (a u128 `% 10` per digit
        // cost a quarter of this handler).
        let mut digits = itoa::Buffer::new();
        let voting_weight = fbb.create_string(digits.format(weight.0));
        Ok(AccountWeightResponse::create(
            fbb,
            &AccountWeightResponseArgs {
                voting_weight: Some(voting_weight),
            },
        ))
    }
}

/// Decodes an address with nano-node's error text.
pub(crate) fn parse_account(address: &str) -> Result<ParsedAccount, ApiError> {
    Account::decode_address(address)
        .map(|(account, prefix)| ParsedAccount {
            account,
            deprecated_format: prefix.is_deprecated(),
        })
        .map_err(|_| ApiError::InvalidArgument("Bad account number"))
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
}
