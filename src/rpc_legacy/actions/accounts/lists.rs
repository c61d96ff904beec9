//! Ledger-wide listings: `delegators`, `frontiers`, `representatives` and `unopened` (control).
//! Each answers one object (address → value), printed as `""` when empty.

use super::{threshold, Flags};
use crate::api::Api;
use crate::api::Caller;
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::LegacyError;

/// `{name: {address: value, …}}`, then the deprecated flag in front when `flags` has it.
fn listing(flags: &Flags, name: &str, entries: impl IntoIterator<Item = (String, String)>) -> Tree {
    let mut inner = Tree::object();
    for (k, v) in entries {
        inner.put(k, v);
    }
    let mut t = Tree::object();
    t.push(name, inner);
    flags.answer(t)
}

/// `delegators`: `[deprecated_account_format]`, delegators (address → balance). Options: count
/// [1024], threshold, start (exclusive). Errors: `Bad account number`, `Invalid count`,
/// `Bad threshold number`.
pub(super) fn delegators(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let representative = flags.account_field(api, req)?;
    let count = req.count_optional("count", 1024)?;
    let threshold = threshold(api, req)?;
    let start = flags.optional_account(api, req, "start")?;
    let list = api.delegators_of(&representative, threshold, start, count)?;
    let entries = list
        .into_iter()
        .map(|(a, balance)| (a.encode_address(), balance.to_string()));
    Ok(listing(&flags, "delegators", entries))
}

/// `frontiers`: `[deprecated_account_format]`, frontiers (address → head hash) from `account`
/// (inclusive). Errors: `Bad account number`, `Invalid count` (count is required).
pub(super) fn frontiers(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let start = flags.account_field(api, req)?;
    let count = req.count_required("count")?;
    let list = api.frontiers_from(&start, count)?;
    let entries = list
        .into_iter()
        .map(|(a, head)| (a.encode_address(), head.encode_hex()));
    Ok(listing(&flags, "frontiers", entries))
}

/// `representatives`: representatives (address → weight) of at least 10 nano. Unsorted they
/// come in ascending account order, at most `count` (nano-node: hash-map order, up to
/// `count + 1`); `sorting` orders by weight descending. Errors: `Invalid count`.
pub(super) fn representatives(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    let count = req.count_optional("count", u64::MAX)?;
    let sorting = req.bool_option("sorting", false);
    let list = api.representative_weights(count, sorting)?;
    let entries = list
        .into_iter()
        .map(|(a, weight)| (a.encode_address(), weight.to_string()));
    Ok(listing(&Flags::default(), "representatives", entries))
}

/// `unopened` (control): `[deprecated_account_format]`, accounts (address → receivable total)
/// of accounts with receivables and no block, from `account` (inclusive; default: after the
/// burn account). Errors: `Invalid count`, `Bad threshold number`, `Bad account number`.
pub(super) fn unopened(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let count = req.count_optional("count", u64::MAX)?;
    let threshold = threshold(api, req)?;
    let start = flags.optional_account(api, req, "account")?;
    let list = api.unopened(start, count, threshold)?;
    let entries = list
        .into_iter()
        .map(|(a, total)| (a.encode_address(), total.to_string()));
    Ok(listing(&flags, "accounts", entries))
}
