//! The v2 handlers of the account group: each reads its request table, calls the typed core in
//! this module's parent, and writes the answer with the generated object API. A missing optional
//! field takes nano-node's legacy default (declared as the schema default where it is a scalar).

use flatbuffers::{FlatBufferBuilder, ForwardsUOffset, Vector, WIPOffset};

use super::{parse_account, parse_threshold, Api, ApiError, InfoQuery};
use super::{HistoryEntry, HistoryKind, HistoryQuery, HistoryStart, ReceivableQuery};
use crate::api::Caller;
use crate::ledger::primitives::{Account, Block, BlockHash};
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
        let account = parse_account(req.account())?.account;
        let query = InfoQuery {
            weight: req.weight(),
            receivable: req.receivable(),
            include_confirmed: req.include_confirmed(),
        };
        let s = self.account_summary(&account, query)?;
        let info = &s.record.info;
        let representative = req.representative();
        let confirmed = s.confirmed.as_ref();
        Ok(AccountInfoResponseT {
            frontier: info.head.encode_hex(),
            open_block: info.open_block.encode_hex(),
            representative_block: s.record.representative_block.encode_hex(),
            balance: info.balance.to_string(),
            modified_timestamp: info.modified,
            block_count: info.block_count,
            account_version: u32::from(info.epoch),
            confirmed_height: info.confirmation_height,
            confirmed_frontier: info.confirmation_frontier.encode_hex(),
            representative: representative.then(|| info.representative.encode_address()),
            weight: s.record.weight.map(|w| w.to_string()),
            receivable: s.record.receivable.map(|r| r.to_string()),
            confirmed_balance: confirmed.map(|c| c.balance.to_string()),
            confirmed_representative: confirmed
                .filter(|_| representative)
                .map(|c| c.representative.encode_address()),
            // Every send is cemented on acceptance: the confirmed total is the total.
            confirmed_receivable: confirmed.and(s.record.receivable).map(|r| r.to_string()),
        }
        .pack(fbb))
    }

    pub(in crate::api) fn account_history<'b>(
        &self,
        _ctx: &Caller,
        req: AccountHistory<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountHistoryResponse<'b>>, ApiError> {
        let filter = addresses(req.account_filter())?;
        let start = match req.head() {
            Some(head) => HistoryStart::Head(
                BlockHash::decode_hex(head)
                    .map_err(|_| ApiError::InvalidArgument("Bad hash number"))?,
            ),
            None => HistoryStart::Account(parse_account(req.account().unwrap_or(""))?.account),
        };
        let query = HistoryQuery {
            start,
            count: req.count(),
            offset: req.offset(),
            reverse: req.reverse(),
            raw: req.raw(),
            filter,
        };
        let page = self.history(&query)?;
        let next = page.next.map(|h| h.encode_hex());
        Ok(AccountHistoryResponseT {
            account: page.account.encode_address(),
            history: page.entries.iter().map(|e| entry(e, query.raw)).collect(),
            previous: next.clone().filter(|_| !query.reverse),
            next: next.filter(|_| query.reverse),
        }
        .pack(fbb))
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

/// A list of addresses; the first bad one fails the request (`Bad account number`), as
/// nano-node's `account_filter` does.
fn addresses(list: Option<Vector<'_, ForwardsUOffset<&str>>>) -> Result<Vec<Account>, ApiError> {
    list.into_iter()
        .flatten()
        .map(|a| parse_account(a).map(|p| p.account))
        .collect()
}

/// A history entry in the v2 shape: the same keys as nano-node's legacy entry, typed.
fn entry(e: &HistoryEntry, raw: bool) -> AccountHistoryEntryT {
    let kind = e.kind.map(HistoryKind::name);
    let mut out = AccountHistoryEntryT {
        r#type: kind.unwrap_or_default().to_owned(),
        account: e.account.map(|a| a.encode_address()),
        amount: e.amount.map(|a| a.to_string()),
        local_timestamp: e.local_timestamp,
        height: e.height,
        hash: e.hash.encode_hex(),
        confirmed: e.confirmed,
        ..Default::default()
    };
    if !raw {
        return out;
    }
    out.r#type = e.block.block_type().name().to_owned();
    out.work = Some(e.block.work().encode_hex());
    out.signature = Some(e.block.signature().encode_hex());
    out.representative = e.block.representative_field().map(|r| r.encode_address());
    let previous = e.block.previous();
    match &e.block {
        Block::State(s) => {
            out.subtype = kind.map(str::to_owned);
            out.link = Some(s.link.encode_hex());
            out.balance = Some(s.balance.to_string());
        }
        Block::Send(s) => {
            out.destination = Some(s.destination.encode_address());
            out.balance = Some(s.balance.to_string());
        }
        Block::Receive(r) => out.source = Some(r.source.encode_hex()),
        Block::Open(o) => {
            out.source = Some(o.source.encode_hex());
            out.opened = Some(o.account.encode_address());
        }
        Block::Change(_) => {}
    }
    out.previous = (!matches!(e.block, Block::Open(_))).then(|| previous.encode_hex());
    out
}
