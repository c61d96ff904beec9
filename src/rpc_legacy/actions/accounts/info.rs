//! `account_info` and the `ledger` dump (control): account records in nano-node's key order.

use super::{threshold, Flags};
use crate::api::Caller;
use crate::api::{Api, InfoQuery};
use crate::ledger::primitives::Account;
use crate::ledger::{AccountRecord, LedgerListing, RecordExtras};
use crate::rpc_legacy::request::{parse_u64_strtoull, LegacyRequest};
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::LegacyError;

/// nano-node's `receivable` option: defaults to the value of the older `pending`.
fn receivable_option(req: &LegacyRequest) -> bool {
    let pending = req.bool_option("pending", false);
    req.bool_option("receivable", pending)
}

/// `account_info`: `[deprecated_account_format]`, frontier, open_block, representative_block,
/// balance, `[confirmed_balance]`, modified_timestamp, block_count, account_version, then
/// confirmed_height + confirmed_frontier (`include_confirmed`) or the older
/// confirmation_height + confirmation_height_frontier, `[representative]`,
/// `[confirmed_representative]`, `[weight]`, `[pending, receivable]`,
/// `[confirmed_pending, confirmed_receivable]`. Every block is cemented on acceptance, so the
/// confirmed values equal the current ones.
pub(super) fn account_info(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let account = flags.account_field(api, req)?;
    let representative = req.bool_option("representative", false);
    let query = InfoQuery {
        weight: req.bool_option("weight", false),
        receivable: receivable_option(req),
        include_confirmed: req.bool_option("include_confirmed", false),
    };
    let s = api.account_summary(&account, query)?;
    let (r, info) = (&s.record, &s.record.info);
    let confirmed = s.confirmed.as_ref();
    let mut t = Tree::object();
    t.put("frontier", info.head.encode_hex())
        .put("open_block", info.open_block.encode_hex())
        .put("representative_block", r.representative_block.encode_hex())
        .put("balance", info.balance.to_string());
    if let Some(c) = confirmed {
        t.put("confirmed_balance", c.balance.to_string());
    }
    t.put("modified_timestamp", info.modified.to_string())
        .put("block_count", info.block_count.to_string())
        .put("account_version", info.epoch.to_string());
    let (height_key, frontier_key) = match confirmed {
        Some(_) => ("confirmed_height", "confirmed_frontier"),
        None => ("confirmation_height", "confirmation_height_frontier"),
    };
    t.put(height_key, info.confirmation_height.to_string())
        .put(frontier_key, info.confirmation_frontier.encode_hex());
    if representative {
        t.put("representative", info.representative.encode_address());
        if let Some(c) = confirmed {
            t.put(
                "confirmed_representative",
                c.representative.encode_address(),
            );
        }
    }
    if let Some(w) = r.weight {
        t.put("weight", w.to_string());
    }
    if let Some(total) = r.receivable {
        let total = total.to_string();
        t.put("pending", total.clone())
            .put("receivable", total.clone());
        if confirmed.is_some() {
            t.put("confirmed_pending", total.clone())
                .put("confirmed_receivable", total);
        }
    }
    Ok(flags.answer(t))
}

/// `ledger` (control): `accounts`, address → `[pending, receivable]`, frontier, open_block,
/// representative_block, balance, modified_timestamp, block_count, `[representative]`,
/// `[weight]`. Options: account (start, inclusive), count, threshold, modified_since, sorting,
/// representative, weight, pending/receivable. Errors: `Invalid count`, `Bad threshold number`,
/// `Bad account number`, `Invalid timestamp`.
pub(super) fn ledger(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let count = req.count_optional("count", u64::MAX)?;
    let threshold = threshold(api, req)?;
    let start = flags.optional_account(api, req, "account")?;
    let modified_since = match req.text("modified_since") {
        None => 0,
        Some(t) => {
            parse_u64_strtoull(t).ok_or_else(|| LegacyError::message("Invalid timestamp"))?
        }
    };
    let representative = req.bool_option("representative", false);
    let listing = LedgerListing {
        start: start.unwrap_or(Account::ZERO),
        count,
        threshold,
        modified_since,
        sorting: req.bool_option("sorting", false),
        extras: RecordExtras {
            weight: req.bool_option("weight", false),
            receivable: receivable_option(req),
        },
    };
    let mut accounts = Tree::object();
    for r in api.ledger_listing(&listing)? {
        accounts.push(r.account.encode_address(), ledger_entry(&r, representative));
    }
    let mut t = Tree::object();
    t.push("accounts", accounts);
    Ok(flags.answer(t))
}

fn ledger_entry(r: &AccountRecord, representative: bool) -> Tree {
    let info = &r.info;
    let mut e = Tree::object();
    if let Some(total) = r.receivable {
        e.put("pending", total.to_string())
            .put("receivable", total.to_string());
    }
    e.put("frontier", info.head.encode_hex())
        .put("open_block", info.open_block.encode_hex())
        .put("representative_block", r.representative_block.encode_hex())
        .put("balance", info.balance.to_string())
        .put("modified_timestamp", info.modified.to_string())
        .put("block_count", info.block_count.to_string());
    if representative {
        e.put("representative", info.representative.encode_address());
    }
    if let Some(w) = r.weight {
        e.put("weight", w.to_string());
    }
    e
}
