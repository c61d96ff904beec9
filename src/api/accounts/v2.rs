//! The v2 handlers of the account group: each reads its request table, calls the typed core in
//! this module's parent, and writes the answer with the generated object API, or, for the hot
//! reads (`AccountInfo`, `AccountHistory`), through their typed answers in `answers`. A missing optional
//! field takes nano-node's legacy default (declared as the schema default where it is a scalar).

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::{parse_account, parse_threshold, Api, ApiError, ReceivableQuery};
use crate::api::Caller;
use crate::schema::*;

impl Api {
    pub(in crate::api) fn account_weight<'b>(
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

    pub(in crate::api) fn account_balance<'b>(
        &self,
        _ctx: &Caller,
        req: AccountBalance<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountBalanceResponse<'b>>, ApiError> {
        let b = self.balance_of(&parse_account(req.account())?.account)?;
        Ok(AccountBalanceResponseT {
            balance: b.balance.to_string(),
            receivable: b.receivable.to_string(),
        }
        .pack(fbb))
    }

    pub(in crate::api) fn account_info<'b>(
        &self,
        _ctx: &Caller,
        req: AccountInfo<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountInfoResponse<'b>>, ApiError> {
        Ok(self.info_answer(req)?.build(fbb))
    }

    pub(in crate::api) fn account_history<'b>(
        &self,
        _ctx: &Caller,
        req: AccountHistory<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountHistoryResponse<'b>>, ApiError> {
        Ok(self.history_answer(req)?.build(fbb))
    }

    pub(in crate::api) fn account_representative<'b>(
        &self,
        _ctx: &Caller,
        req: AccountRepresentative<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountRepresentativeResponse<'b>>, ApiError> {
        let rep = self.representative_of(&parse_account(req.account())?.account)?;
        Ok(AccountRepresentativeResponseT {
            representative: rep.encode_address(),
        }
        .pack(fbb))
    }

    pub(in crate::api) fn accounts_balances<'b>(
        &self,
        _ctx: &Caller,
        req: AccountsBalances<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountsBalancesResponse<'b>>, ApiError> {
        let entries = self.balances_of(req.accounts().into_iter().flatten())?;
        let balances = entries
            .into_iter()
            .map(|e| match e.result {
                Ok((_, b)) => AccountBalanceEntryT {
                    account: e.text,
                    balance: Some(b.balance.to_string()),
                    receivable: Some(b.receivable.to_string()),
                    error: None,
                },
                Err(error) => AccountBalanceEntryT {
                    account: e.text,
                    error: Some(error.to_owned()),
                    ..Default::default()
                },
            })
            .collect();
        Ok(AccountsBalancesResponseT { balances }.pack(fbb))
    }

    pub(in crate::api) fn receivable<'b>(
        &self,
        _ctx: &Caller,
        req: Receivable<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<ReceivableResponse<'b>>, ApiError> {
        let account = parse_account(req.account())?.account;
        let query = ReceivableQuery {
            count: req.count(),
            offset: req.offset(),
            threshold: parse_threshold(req.threshold())?,
            sorting: req.sorting(),
        };
        let items = self.receivables(&account, &query)?;
        let blocks = items
            .into_iter()
            .map(|i| ReceivableEntryT {
                hash: i.hash.encode_hex(),
                amount: i.amount.to_string(),
                source: req.source().then(|| i.source.encode_address()),
                min_version: if req.min_version() {
                    u32::from(i.epoch)
                } else {
                    0
                },
            })
            .collect();
        Ok(ReceivableResponseT { blocks }.pack(fbb))
    }

    pub(in crate::api) fn representatives<'b>(
        &self,
        _ctx: &Caller,
        req: Representatives<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<RepresentativesResponse<'b>>, ApiError> {
        let reps = self.representative_weights(req.count(), req.sorting())?;
        let representatives = reps
            .into_iter()
            .map(|(account, weight)| RepresentativeWeightT {
                account: account.encode_address(),
                weight: weight.to_string(),
            })
            .collect();
        Ok(RepresentativesResponseT { representatives }.pack(fbb))
    }

    pub(in crate::api) fn delegators<'b>(
        &self,
        _ctx: &Caller,
        req: Delegators<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<DelegatorsResponse<'b>>, ApiError> {
        let rep = parse_account(req.account())?.account;
        let threshold = parse_threshold(req.threshold())?;
        let start = req
            .start()
            .map(|s| parse_account(s).map(|p| p.account))
            .transpose()?;
        let list = self.delegators_of(&rep, threshold, start, req.count())?;
        let delegators = list
            .into_iter()
            .map(|(account, balance)| DelegatorEntryT {
                account: account.encode_address(),
                balance: balance.to_string(),
            })
            .collect();
        Ok(DelegatorsResponseT { delegators }.pack(fbb))
    }

    pub(in crate::api) fn frontiers<'b>(
        &self,
        _ctx: &Caller,
        req: Frontiers<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<FrontiersResponse<'b>>, ApiError> {
        let start = parse_account(req.account())?.account;
        let list = self.frontiers_from(&start, req.count())?;
        let frontiers = list
            .into_iter()
            .map(|(account, head)| AccountFrontierT {
                account: account.encode_address(),
                frontier: head.encode_hex(),
            })
            .collect();
        Ok(FrontiersResponseT { frontiers }.pack(fbb))
    }
}
