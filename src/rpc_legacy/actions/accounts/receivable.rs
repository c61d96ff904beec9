//! `receivable` / `accounts_receivable` and their deprecated aliases `pending` /
//! `accounts_pending`, over the typed [`Api::receivables`] and [`Api::accounts_receivable`].
//!
//! nano-node's "simple" mode (threshold 0 and none of source/min_version/sorting) answers a list
//! of send hashes; otherwise an object keyed by send hash. `include_active` and
//! `include_only_confirmed` are accepted and change nothing: every send is cemented on acceptance.

use super::{deprecated_alias, list, threshold, Flags};
use crate::api::Caller;
use crate::api::{Api, ReceivableItem, ReceivableQuery};
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::LegacyError;

/// How entries are written: nano-node's three shapes.
#[derive(Clone, Copy)]
struct Shape {
    simple: bool,
    source: bool,
    min_version: bool,
}

impl Shape {
    /// The entries of one account: an array of hashes, or hash → amount, or hash → {amount,
    /// [source], [min_version]}.
    fn render(self, items: &[ReceivableItem]) -> Tree {
        if self.simple {
            return Tree::array(items.iter().map(|i| Tree::text(i.hash.encode_hex())));
        }
        let mut t = Tree::object();
        for i in items {
            let amount = i.amount.to_string();
            if self.source || self.min_version {
                let mut e = Tree::object();
                e.put("amount", amount);
                if self.source {
                    e.put("source", i.source.encode_address());
                }
                if self.min_version {
                    e.put("min_version", i.epoch.to_string());
                }
                t.push(i.hash.encode_hex(), e);
            } else {
                t.put(i.hash.encode_hex(), amount);
            }
        }
        t
    }
}

/// `receivable`: `[deprecated_account_format]`, blocks. Options: count, offset, threshold,
/// source, min_version, sorting, include_active, include_only_confirmed. Errors: `Bad account
/// number`, `Invalid count`, `Invalid offset`, `Bad threshold number`.
pub(super) fn receivable(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let account = flags.account_field(api, req)?;
    let count = req.count_optional("count", u64::MAX)?;
    let offset = req.offset()?;
    let threshold = threshold(api, req)?;
    let source = req.bool_option("source", false);
    let min_version = req.bool_option("min_version", false);
    let sorting = req.bool_option("sorting", false);
    let query = ReceivableQuery {
        count,
        offset,
        threshold,
        sorting,
    };
    let shape = Shape {
        simple: threshold.0 == 0 && !source && !min_version && !sorting,
        source,
        min_version,
    };
    let items = api.receivables(&account, &query)?;
    let mut t = Tree::object();
    t.push("blocks", shape.render(&items));
    Ok(flags.answer(t))
}

/// `pending` (deprecated): `receivable` with `"deprecated": "1"` first.
pub(super) fn pending(api: &Api, call: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    deprecated_alias(receivable(api, call, req))
}

/// `accounts_receivable`: `[deprecated_account_format]`, blocks: address → entries, for the
/// accounts that have any (in request order; `""` when none has). Options: count (per
/// account), threshold, source, sorting, include_active, include_only_confirmed. One bad
/// address fails the whole request (`Bad account number`), as in nano-node.
pub(super) fn accounts_receivable(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let texts = list(req, "accounts")?;
    let count = req.count_optional("count", u64::MAX)?;
    let threshold = threshold(api, req)?;
    let source = req.bool_option("source", false);
    let sorting = req.bool_option("sorting", false);
    let mut accounts = Vec::new();
    for text in texts {
        accounts.push(flags.account(api, text)?);
    }
    let shape = Shape {
        simple: threshold.0 == 0 && !source && !sorting,
        source,
        min_version: false,
    };
    let mut blocks = Tree::object();
    for (account, items) in api.accounts_receivable(&accounts, count, threshold, sorting)? {
        if !items.is_empty() {
            blocks.push(account.encode_address(), shape.render(&items));
        }
    }
    let mut t = Tree::object();
    t.push("blocks", blocks);
    Ok(flags.answer(t))
}

/// `accounts_pending` (deprecated): `accounts_receivable` with `"deprecated": "1"` first.
pub(super) fn accounts_pending(
    api: &Api,
    call: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    deprecated_alias(accounts_receivable(api, call, req))
}
