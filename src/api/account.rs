//! Account requests.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::{Api, ApiError, CallContext};
use crate::ledger::primitives::{Account, Amount};
use crate::schema::{AccountWeight, AccountWeightResponse, AccountWeightResponseArgs};

impl Api {
    /// Voting weight delegated to an account: the shared query behind v2 `AccountWeight` and
    /// legacy `account_weight`. An unknown account has weight 0, as in nano-node.
    pub fn account_weight_of(&self, address: &str) -> Result<Amount, ApiError> {
        let account = parse_account(address)?;
        Ok(self.ledger.weight(&account)?)
    }

    pub(super) fn account_weight<'b>(
        &self,
        _ctx: &CallContext,
        req: AccountWeight<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountWeightResponse<'b>>, ApiError> {
        let weight = self.account_weight_of(req.account())?;
        let mut digits = [0u8; 39];
        let voting_weight = fbb.create_string(format_u128(weight.0, &mut digits));
        Ok(AccountWeightResponse::create(
            fbb,
            &AccountWeightResponseArgs {
                voting_weight: Some(voting_weight),
            },
        ))
    }
}

/// Decodes a `nano_`/`xrb_` address (the deprecated dashed forms too) with nano-node's error text.
pub(crate) fn parse_account(address: &str) -> Result<Account, ApiError> {
    Account::decode_address(address)
        .map(|(account, _prefix)| account)
        .map_err(|_| ApiError::InvalidArgument("Bad account number"))
}

/// Writes a u128 in decimal into `buf` without allocating; returns the digits.
fn format_u128(mut v: u128, buf: &mut [u8; 39]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}
