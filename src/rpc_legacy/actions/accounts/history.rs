//! `account_history` and its deprecated alias `history`: nano-node's fields and entry keys over
//! the typed [`Api::history`].

use super::{deprecated_alias, items, Flags};
use crate::api::Caller;
use crate::api::{Api, HistoryEntry, HistoryQuery, HistoryStart};
use crate::ledger::primitives::{Block, BlockHash};
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::LegacyError;

/// `account_history`: `[deprecated_account_format]`, account, history (entries or `""`),
/// `[previous]` (forward) / `[next]` (reverse) when the chain goes on. Errors in nano-node's
/// check order: `Bad account number` (a filter item), `Invalid count`, `Invalid offset`,
/// `Bad hash number`, `Block not found`, `Bad account number`, `Account not found`.
pub(super) fn account_history(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    run(api, req, req.text("head"))
}

/// `history` (deprecated): `account_history` with the required `hash` as `head`.
pub(super) fn history(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let hash = req.required("hash")?;
    deprecated_alias(run(api, req, Some(hash)))
}

fn run(api: &Api, req: &LegacyRequest, head: Option<&str>) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let mut filter = Vec::new();
    if let Some(node) = req.get("account_filter") {
        for text in items(node) {
            filter.push(flags.account(api, text)?);
        }
    }
    let count = req.count_required("count")?;
    let offset = req.offset()?;
    let start = match head {
        Some(text) => HistoryStart::Head(
            BlockHash::decode_hex(text).map_err(|_| LegacyError::message("Bad hash number"))?,
        ),
        None => HistoryStart::Account(flags.account_field(api, req)?),
    };
    let query = HistoryQuery {
        start,
        count,
        offset,
        reverse: req.bool_option("reverse", false),
        raw: req.bool_option("raw", false),
        filter,
    };
    let page = api.history(&query)?;
    let mut t = Tree::object();
    t.put("account", page.account.encode_address());
    let entries = page.entries.iter().map(|e| entry(e, query.raw));
    t.push("history", Tree::array(entries));
    if let Some(next) = page.next {
        let key = if query.reverse { "next" } else { "previous" };
        t.put(key, next.encode_hex());
    }
    Ok(flags.answer(t))
}

/// One entry: nano-node's history visitor keys, then local_timestamp, height, hash, confirmed
/// (and work, signature when raw).
fn entry(e: &HistoryEntry, raw: bool) -> Tree {
    let mut t = Tree::object();
    let kind = e.kind.map(|k| k.name());
    let account = e.account.map(|a| a.encode_address());
    let amount = e.amount.map(|a| a.to_string());
    let facts = |t: &mut Tree| {
        if let Some(a) = &account {
            t.put("account", a.clone());
        }
        if let Some(a) = &amount {
            t.put("amount", a.clone());
        }
    };
    if !raw {
        t.put("type", kind.unwrap_or_default());
        facts(&mut t);
    } else {
        match &e.block {
            Block::State(s) => {
                t.put("type", "state")
                    .put("representative", s.representative.encode_address())
                    .put("link", s.link.encode_hex())
                    .put("balance", s.balance.to_string())
                    .put("previous", s.previous.encode_hex());
                if let Some(k) = kind {
                    t.put("subtype", k);
                }
                facts(&mut t);
            }
            Block::Send(s) => {
                t.put("type", "send");
                facts(&mut t);
                t.put("destination", s.destination.encode_address())
                    .put("balance", s.balance.to_string())
                    .put("previous", s.previous.encode_hex());
            }
            Block::Receive(r) => {
                t.put("type", "receive");
                facts(&mut t);
                t.put("source", r.source.encode_hex())
                    .put("previous", r.previous.encode_hex());
            }
            Block::Open(o) => {
                t.put("type", "open")
                    .put("representative", o.representative.encode_address())
                    .put("source", o.source.encode_hex())
                    .put("opened", o.account.encode_address());
                facts(&mut t);
            }
            Block::Change(c) => {
                t.put("type", "change")
                    .put("representative", c.representative.encode_address())
                    .put("previous", c.previous.encode_hex());
            }
        }
    }
    t.put("local_timestamp", e.local_timestamp.to_string())
        .put("height", e.height.to_string())
        .put("hash", e.hash.encode_hex())
        .put("confirmed", if e.confirmed { "true" } else { "false" });
    if raw {
        t.put("work", e.block.work().encode_hex())
            .put("signature", e.block.signature().encode_hex());
    }
    t
}
