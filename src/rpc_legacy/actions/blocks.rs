//! Block reads: `block_info` (alias `block`), `blocks`, `blocks_info`, `block_account`, `chain`,
//! `successors`, `receivable_exists` (alias `pending_exists`), `available_supply`, and the
//! confirmation reports `confirmation_quorum` and `confirmation_history` (legacy-rpc §7).
//! Each maps nano-node's fields onto one typed `Api` call and renders nano-node's keys in its
//! order; the queries live in `api::blocks` and `api::confirmation`.

use super::block_contents;
use crate::api::Caller;
use crate::api::{parse_block_hash, Api};
use crate::ledger::primitives::{Block, BlockHash};
use crate::ledger::{BlockDetails, BlockExtras};
use crate::rpc_legacy::registry::{DuplicateAction, Gate, Registry};
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::{ActionFn, Keys, LegacyError};

pub(super) fn register(r: &mut Registry<Api>) -> Result<(), DuplicateAction> {
    let actions: [(&'static str, Keys, ActionFn<Api>); 12] = [
        ("available_supply", &[], available_supply),
        ("block_info", &["hash", "json_block"], block_info),
        // nano-node maps `block` straight onto block_info, without a `deprecated` key.
        ("block", &["hash", "json_block"], block_info),
        ("blocks", &["hashes", "json_block"], blocks),
        (
            "blocks_info",
            &[
                "hashes",
                "pending",
                "receivable",
                "receive_hash",
                "source",
                "json_block",
                "include_not_found",
            ],
            blocks_info,
        ),
        ("block_account", &["hash"], block_account),
        ("chain", &["block", "count", "offset", "reverse"], chain),
        (
            "successors",
            &["block", "count", "offset", "reverse"],
            successors,
        ),
        (
            "receivable_exists",
            &["hash", "include_active", "include_only_confirmed"],
            receivable_exists,
        ),
        (
            "pending_exists",
            &["hash", "include_active", "include_only_confirmed"],
            pending_exists,
        ),
        (
            "confirmation_quorum",
            &["peer_details"],
            confirmation_quorum,
        ),
        ("confirmation_history", &["hash"], confirmation_history),
    ];
    for (name, keys, run) in actions {
        r.register(name, keys, Gate::Open, run)?;
    }
    Ok(())
}

/// `available_supply`: available.
fn available_supply(api: &Api, _: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut t = Tree::object();
    t.put("available", api.circulating_supply()?.encode_dec());
    Ok(t)
}

/// `block_info` / `block`: block_account, amount, balance, height, local_timestamp, successor,
/// confirmed, contents, [subtype].
fn block_info(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let hash = hash_field(req, "hash")?;
    let details = api.block_info(&hash)?;
    Ok(info_tree(&details, req.bool_option("json_block", false)))
}

/// `blocks`: blocks (hash as sent → contents).
fn blocks(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let texts = list_field(req, "hashes")?;
    let json_block = req.bool_option("json_block", false);
    let found = api.blocks_info(&texts, BlockExtras::default(), false)?;
    let mut blocks = Tree::object();
    for (text, details) in texts.iter().zip(&found.blocks) {
        // Every hash was found (unknown ones fail the request above).
        let Some(details) = details else { continue };
        // nano-node `put`s string contents (a repeated hash keeps one key) but `add_child`s
        // object contents (a repeated hash is listed again).
        if json_block || blocks.get(text).is_none() {
            blocks.push(
                *text,
                block_contents(&details.info.stored.block, json_block),
            );
        }
    }
    let mut t = Tree::object();
    t.push("blocks", blocks);
    Ok(t)
}

/// `blocks_info`: blocks (hash as sent → block_info's keys, then [pending, receivable],
/// [receive_hash], [source_account]), then [blocks_not_found].
fn blocks_info(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let pending = req.bool_option("pending", false);
    let extras = BlockExtras {
        receivable: req.bool_option("receivable", pending),
        receive_hash: req.bool_option("receive_hash", false),
        source: req.bool_option("source", false),
    };
    let json_block = req.bool_option("json_block", false);
    let include_not_found = req.bool_option("include_not_found", false);
    let texts = list_field(req, "hashes")?;
    let found = api.blocks_info(&texts, extras, include_not_found)?;
    let mut blocks = Tree::object();
    let mut not_found = Vec::new();
    for (text, details) in texts.iter().zip(&found.blocks) {
        let Some(details) = details else {
            not_found.push(Tree::text(*text));
            continue;
        };
        let mut entry = info_tree(details, json_block);
        if let Some(receivable) = details.receivable {
            let flag = if receivable { "1" } else { "0" };
            entry.put("pending", flag).put("receivable", flag);
        }
        if let Some(hash) = details.receive_hash {
            entry.put("receive_hash", hash.encode_hex());
        }
        if let Some(source) = details.source_account {
            entry.put(
                "source_account",
                source.map_or_else(|| "0".to_owned(), |a| a.encode_address()),
            );
        }
        blocks.push(*text, entry);
    }
    let mut t = Tree::object();
    t.push("blocks", blocks);
    if include_not_found {
        t.push("blocks_not_found", Tree::array(not_found));
    }
    Ok(t)
}

/// `block_account`: account.
fn block_account(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let hash = hash_field(req, "hash")?;
    let details = api.block_info(&hash)?;
    let mut t = Tree::object();
    t.put(
        "account",
        details.info.stored.sideband.account.encode_address(),
    );
    Ok(t)
}

/// `chain`: blocks, walking `previous` links (successors when `reverse`).
fn chain(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    walk(api, req, false)
}

/// `successors`: blocks, walking successors (`previous` links when `reverse`).
fn successors(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    walk(api, req, true)
}

fn walk(api: &Api, req: &LegacyRequest, successors: bool) -> Result<Tree, LegacyError> {
    let reverse = req.bool_option("reverse", false);
    // nano-node's order of checks: block, then count, then offset.
    let start = hash_field(req, "block")?;
    let count = req.count_required("count")?;
    let offset = req.offset()?;
    let hashes = api.chain_walk(&start, count, offset, successors != reverse)?;
    let mut t = Tree::object();
    t.push(
        "blocks",
        Tree::array(hashes.iter().map(|h| Tree::text(h.encode_hex()))),
    );
    Ok(t)
}

/// `receivable_exists`: exists (`"1"`/`"0"`).
fn receivable_exists(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let hash = hash_field(req, "hash")?;
    let exists = api.is_receivable(
        &hash,
        req.bool_option("include_active", false),
        req.bool_option("include_only_confirmed", true),
    )?;
    let mut t = Tree::object();
    t.put("exists", if exists { "1" } else { "0" });
    Ok(t)
}

/// `pending_exists`: `deprecated` first, then receivable_exists' answer.
fn pending_exists(api: &Api, call: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    receivable_exists(api, call, req).map(|t| t.prefixed("deprecated", "1"))
}

/// `confirmation_quorum`: quorum_delta, online_weight_quorum_percent, online_weight_minimum,
/// online_stake_total, trended_stake_total, peers_stake_total, [peers]. See `api::confirmation`
/// for how each figure follows from this node's cement-on-acceptance model.
fn confirmation_quorum(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let q = api.quorum()?;
    let mut t = Tree::object();
    t.put("quorum_delta", q.quorum_delta.encode_dec())
        .put(
            "online_weight_quorum_percent",
            q.online_weight_quorum_percent.to_string(),
        )
        .put(
            "online_weight_minimum",
            q.online_weight_minimum.encode_dec(),
        )
        .put("online_stake_total", q.online_stake_total.encode_dec())
        .put("trended_stake_total", q.trended_stake_total.encode_dec())
        .put("peers_stake_total", q.peers_stake_total.encode_dec());
    if req.bool_option("peer_details", false) {
        // No network, so no representative peers: an empty list (printed `""`).
        t.push("peers", Tree::array([]));
    }
    Ok(t)
}

/// `confirmation_history`: confirmation_stats {count, [average]}, confirmations (hash,
/// duration, time, tally, final, blocks, voters, request_count per block cemented since start).
fn confirmation_history(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let filter = match req.text("hash") {
        Some(_) => Some(hash_field(req, "hash")?),
        None => None,
    };
    let history = api.recently_cemented(filter);
    let mut stats = Tree::object();
    stats.put("count", history.confirmations.len().to_string());
    if let Some(average) = history.average_ms {
        stats.put("average", average.to_string());
    }
    let confirmations = history.confirmations.iter().map(|c| {
        let mut e = Tree::object();
        e.put("hash", c.hash.encode_hex())
            .put("duration", c.duration_ms.to_string())
            .put("time", c.time_ms.to_string())
            .put("tally", c.tally.encode_dec())
            .put("final", c.final_tally.encode_dec())
            .put("blocks", c.blocks.to_string())
            .put("voters", c.voters.to_string())
            .put("request_count", c.request_count.to_string());
        e
    });
    let mut t = Tree::object();
    t.push("confirmation_stats", stats)
        .push("confirmations", Tree::array(confirmations));
    Ok(t)
}

/// The keys block_info and each blocks_info entry share.
fn info_tree(d: &BlockDetails, json_block: bool) -> Tree {
    let sideband = &d.info.stored.sideband;
    let block = &d.info.stored.block;
    let mut t = Tree::object();
    t.put("block_account", sideband.account.encode_address())
        .put("amount", d.info.amount.encode_dec())
        .put("balance", sideband.balance.encode_dec())
        .put("height", sideband.height.to_string())
        .put("local_timestamp", sideband.timestamp.to_string())
        .put("successor", sideband.successor.encode_hex())
        .put("confirmed", if d.info.confirmed { "true" } else { "false" })
        .push("contents", block_contents(block, json_block));
    if let Block::State(_) = block {
        t.put("subtype", sideband.subtype.name());
    }
    t
}

/// A required hash field: missing is `Unable to parse JSON`, malformed `Invalid block hash`.
fn hash_field(req: &LegacyRequest, key: &str) -> Result<BlockHash, LegacyError> {
    Ok(parse_block_hash(req.required(key)?)?)
}

/// The item texts of a required list field, as a property tree iterates it: a scalar has no
/// items, an item that is itself a container reads as `""`.
fn list_field<'r>(req: &'r LegacyRequest, key: &str) -> Result<Vec<&'r str>, LegacyError> {
    match req.get(key) {
        None => Err(LegacyError::UnableToParse),
        Some(Tree::Text(_)) => Ok(Vec::new()),
        Some(Tree::Children(items)) => Ok(items
            .iter()
            .map(|(_, item)| match item {
                Tree::Text(t) => t.as_str(),
                Tree::Children(_) => "",
            })
            .collect()),
    }
}
