//! `process` (control only with `force`), `block_create` (control), `block_hash`, `sign`.

use super::block_json::read_block;
use crate::api::Caller;
use crate::api::{parse_block_hash, Api, ApiError, BlockCreateRequest, CreateKind};
use crate::ledger::primitives::{Block, Work};
use crate::rpc_legacy::actions::block_contents;
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::LegacyError;

/// `process`: `block` R (+`json_block`), `subtype`, `async`, `force` O. Answers `hash`, or
/// `started` with `async`, or nano-node's error for the check or ledger result that refused it.
///
/// Two deliberate differences: `async` processes the block before answering `{"started": "1"}`
/// (the answer nano-node gives; the block is just already in the ledger), and `force` does not
/// replace a fork — every block here is cemented on acceptance, and nano-node cannot roll back a
/// cemented block either, so a fork still answers `Fork` rather than a hash that never lands.
pub(super) fn process(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let is_async = req.bool_option("async", false);
    let block = read_block(req)?;
    let subtype = req.text("subtype");
    let mut t = Tree::object();
    if is_async {
        api.process_checks(&block, subtype)?;
        if !matches!(block, Block::State(_)) {
            return Err(LegacyError::message("Must be a state block"));
        }
        match api.submit_block(&block, subtype) {
            // nano-node reports nothing about an async block's fate.
            Ok(_) | Err(ApiError::Rejected(_)) => {}
            Err(e) => return Err(e.into()),
        }
        t.put("started", "1");
    } else {
        t.put("hash", api.submit_block(&block, subtype)?.encode_hex());
    }
    Ok(t)
}

/// `block_hash`: `block` R (+`json_block`); signature and work must be present, not valid.
pub(super) fn block_hash(_: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let block = read_block(req)?;
    let mut t = Tree::object();
    t.put("hash", block.hash().encode_hex());
    Ok(t)
}

/// `block_create`: `type` R, then nano-node's fields (see [`BlockCreateRequest::parse`]).
/// Answers a fresh object `hash`, `difficulty`, `block`. A work generation stopped by
/// `work_cancel` is nano-node's `Work generation cancellation or failure`.
pub(super) fn block_create(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    let kind = CreateKind::from_type(req.required("type")?);
    let parsed = BlockCreateRequest::parse(kind, |name| req.text(name))?;
    let created = api.create_block(&parsed).map_err(|e| match e {
        ApiError::Cancelled => LegacyError::message("Work generation cancellation or failure"),
        other => other.into(),
    })?;
    let mut t = Tree::object();
    t.put("hash", created.hash.encode_hex())
        .put("difficulty", Work(created.difficulty).encode_hex())
        .push(
            "block",
            block_contents(&created.block, req.bool_option("json_block", false)),
        );
    Ok(t)
}

/// `sign`: `key` O, `hash` O, `block` O (+`json_block`). Answers `signature` and, for a block,
/// `block` with the new signature. The wallet form (`wallet` + `account`) ends as nano-node's
/// does without wallets: `Private key or local wallet and account required`.
///
/// One small difference: nano-node answers an unparseable `key` with either `Bad private key`
/// or the key-required text depending on how much of it its hex reader consumed; this node
/// always answers `Bad private key`.
pub(super) fn sign(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let hash = req.text("hash").map(parse_block_hash).transpose()?;
    let block = match req.get("block") {
        Some(_) => Some(read_block(req)?),
        None => None,
    };
    let (signature, block) = api.sign_block(req.text("key"), hash, block)?;
    let mut t = Tree::object();
    t.put("signature", signature.encode_hex());
    if let Some(b) = block {
        t.push(
            "block",
            block_contents(&b, req.bool_option("json_block", false)),
        );
    }
    Ok(t)
}
