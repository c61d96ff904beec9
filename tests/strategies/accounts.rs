//! Strategies for the account group's tables (`AccountBalance` … `FrontiersResponse`).

use nanoipc::schema::*;
use proptest::collection::vec;
use proptest::prelude::*;

use super::{os, s};

pub fn account_balance() -> impl Strategy<Value = AccountBalanceT> {
    (s(), any::<bool>()).prop_map(|(account, include_only_confirmed)| AccountBalanceT {
        account,
        include_only_confirmed,
    })
}

pub fn account_balance_response() -> impl Strategy<Value = AccountBalanceResponseT> {
    (s(), s()).prop_map(|(balance, receivable)| AccountBalanceResponseT {
        balance,
        receivable,
    })
}

pub fn account_info() -> impl Strategy<Value = AccountInfoT> {
    (s(), any::<[bool; 4]>()).prop_map(|(account, [r, w, p, c])| AccountInfoT {
        account,
        representative: r,
        weight: w,
        receivable: p,
        include_confirmed: c,
    })
}

pub fn account_info_response() -> impl Strategy<Value = AccountInfoResponseT> {
    (
        (s(), s(), s(), s(), s()),
        (any::<[u64; 3]>(), any::<u32>()),
        (os(), os(), os(), os(), os(), os()),
    )
        .prop_map(
            |((frontier, open_block, rep_block, balance, cf), ([m, bc, ch], v), o)| {
                AccountInfoResponseT {
                    frontier,
                    open_block,
                    representative_block: rep_block,
                    balance,
                    modified_timestamp: m,
                    block_count: bc,
                    account_version: v,
                    confirmed_height: ch,
                    confirmed_frontier: cf,
                    representative: o.0,
                    weight: o.1,
                    receivable: o.2,
                    confirmed_balance: o.3,
                    confirmed_representative: o.4,
                    confirmed_receivable: o.5,
                }
            },
        )
}

pub fn account_history() -> impl Strategy<Value = AccountHistoryT> {
    (
        os(),
        any::<[u64; 2]>(),
        os(),
        any::<[bool; 2]>(),
        proptest::option::of(vec(s(), 0..4)),
    )
        .prop_map(
            |(account, [count, offset], head, [reverse, raw], account_filter)| AccountHistoryT {
                account,
                count,
                offset,
                head,
                reverse,
                raw,
                account_filter,
            },
        )
}

pub fn account_history_entry() -> impl Strategy<Value = AccountHistoryEntryT> {
    (
        (s(), os(), os(), os(), any::<[u64; 2]>(), s(), any::<bool>()),
        (os(), os(), os(), os(), os(), os(), os(), os(), os()),
    )
        .prop_map(
            |((t, subtype, account, amount, [ts, height], hash, confirmed), r)| {
                AccountHistoryEntryT {
                    r#type: t,
                    subtype,
                    account,
                    amount,
                    local_timestamp: ts,
                    height,
                    hash,
                    confirmed,
                    representative: r.0,
                    link: r.1,
                    balance: r.2,
                    previous: r.3,
                    source: r.4,
                    destination: r.5,
                    opened: r.6,
                    work: r.7,
                    signature: r.8,
                }
            },
        )
}

pub fn account_history_response() -> impl Strategy<Value = AccountHistoryResponseT> {
    (s(), vec(account_history_entry(), 0..3), os(), os()).prop_map(
        |(account, history, previous, next)| AccountHistoryResponseT {
            account,
            history,
            previous,
            next,
        },
    )
}

pub fn account_representative() -> impl Strategy<Value = AccountRepresentativeT> {
    s().prop_map(|account| AccountRepresentativeT { account })
}

pub fn account_representative_response() -> impl Strategy<Value = AccountRepresentativeResponseT> {
    s().prop_map(|representative| AccountRepresentativeResponseT { representative })
}

pub fn accounts_balances() -> impl Strategy<Value = AccountsBalancesT> {
    (vec(s(), 0..4), any::<bool>()).prop_map(|(accounts, include_only_confirmed)| {
        AccountsBalancesT {
            accounts,
            include_only_confirmed,
        }
    })
}

pub fn account_balance_entry() -> impl Strategy<Value = AccountBalanceEntryT> {
    (s(), os(), os(), os()).prop_map(
        |(account, balance, receivable, error)| AccountBalanceEntryT {
            account,
            balance,
            receivable,
            error,
        },
    )
}

pub fn accounts_balances_response() -> impl Strategy<Value = AccountsBalancesResponseT> {
    vec(account_balance_entry(), 0..4).prop_map(|balances| AccountsBalancesResponseT { balances })
}

pub fn receivable() -> impl Strategy<Value = ReceivableT> {
    (s(), any::<[u64; 2]>(), os(), any::<[bool; 5]>()).prop_map(
        |(account, [count, offset], threshold, [src, mv, sorting, active, only])| ReceivableT {
            account,
            count,
            offset,
            threshold,
            source: src,
            min_version: mv,
            sorting,
            include_active: active,
            include_only_confirmed: only,
        },
    )
}

pub fn receivable_entry() -> impl Strategy<Value = ReceivableEntryT> {
    (s(), s(), os(), any::<u32>()).prop_map(|(hash, amount, source, min_version)| {
        ReceivableEntryT {
            hash,
            amount,
            source,
            min_version,
        }
    })
}

pub fn receivable_response() -> impl Strategy<Value = ReceivableResponseT> {
    vec(receivable_entry(), 0..4).prop_map(|blocks| ReceivableResponseT { blocks })
}

pub fn representatives() -> impl Strategy<Value = RepresentativesT> {
    (any::<u64>(), any::<bool>()).prop_map(|(count, sorting)| RepresentativesT { count, sorting })
}

pub fn representative_weight() -> impl Strategy<Value = RepresentativeWeightT> {
    (s(), s()).prop_map(|(account, weight)| RepresentativeWeightT { account, weight })
}

pub fn representatives_response() -> impl Strategy<Value = RepresentativesResponseT> {
    vec(representative_weight(), 0..4)
        .prop_map(|representatives| RepresentativesResponseT { representatives })
}

pub fn delegators() -> impl Strategy<Value = DelegatorsT> {
    (s(), any::<u64>(), os(), os()).prop_map(|(account, count, threshold, start)| DelegatorsT {
        account,
        count,
        threshold,
        start,
    })
}

pub fn delegator_entry() -> impl Strategy<Value = DelegatorEntryT> {
    (s(), s()).prop_map(|(account, balance)| DelegatorEntryT { account, balance })
}

pub fn delegators_response() -> impl Strategy<Value = DelegatorsResponseT> {
    vec(delegator_entry(), 0..4).prop_map(|delegators| DelegatorsResponseT { delegators })
}

pub fn frontiers() -> impl Strategy<Value = FrontiersT> {
    (s(), any::<u64>()).prop_map(|(account, count)| FrontiersT { account, count })
}

pub fn account_frontier() -> impl Strategy<Value = AccountFrontierT> {
    (s(), s()).prop_map(|(account, frontier)| AccountFrontierT { account, frontier })
}

pub fn frontiers_response() -> impl Strategy<Value = FrontiersResponseT> {
    vec(account_frontier(), 0..4).prop_map(|frontiers| FrontiersResponseT { frontiers })
}

/// The account group's union members.
pub fn account_message() -> impl Strategy<Value = MessageT> {
    prop_oneof![
        account_balance().prop_map(|m| MessageT::AccountBalance(Box::new(m))),
        account_balance_response().prop_map(|m| MessageT::AccountBalanceResponse(Box::new(m))),
        account_info().prop_map(|m| MessageT::AccountInfo(Box::new(m))),
        account_info_response().prop_map(|m| MessageT::AccountInfoResponse(Box::new(m))),
        account_history().prop_map(|m| MessageT::AccountHistory(Box::new(m))),
        account_history_response().prop_map(|m| MessageT::AccountHistoryResponse(Box::new(m))),
        account_representative().prop_map(|m| MessageT::AccountRepresentative(Box::new(m))),
        account_representative_response()
            .prop_map(|m| MessageT::AccountRepresentativeResponse(Box::new(m))),
        accounts_balances().prop_map(|m| MessageT::AccountsBalances(Box::new(m))),
        accounts_balances_response().prop_map(|m| MessageT::AccountsBalancesResponse(Box::new(m))),
        receivable().prop_map(|m| MessageT::Receivable(Box::new(m))),
        receivable_response().prop_map(|m| MessageT::ReceivableResponse(Box::new(m))),
        representatives().prop_map(|m| MessageT::Representatives(Box::new(m))),
        representatives_response().prop_map(|m| MessageT::RepresentativesResponse(Box::new(m))),
        delegators().prop_map(|m| MessageT::Delegators(Box::new(m))),
        delegators_response().prop_map(|m| MessageT::DelegatorsResponse(Box::new(m))),
        frontiers().prop_map(|m| MessageT::Frontiers(Box::new(m))),
        frontiers_response().prop_map(|m| MessageT::FrontiersResponse(Box::new(m))),
    ]
}
