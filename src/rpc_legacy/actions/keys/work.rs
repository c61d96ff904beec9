//! `work_generate` (control), `work_validate`, `work_cancel` (control).

use super::block_json::read_block;
use crate::api::Caller;
use crate::api::{
    check_work_version, parse_block_hash, parse_difficulty, parse_multiplier, parse_work, Api,
    WorkGenerateRequest,
};
use crate::ledger::primitives::Work;
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::LegacyError;

/// A multiplier as nano-node prints it: fixed point, 15 decimals.
fn multiplier_text(m: f64) -> String {
    format!("{m:.15}")
}

/// `work_generate`: `hash` R; `difficulty`, `multiplier`, `version`, `block` (+`json_block`),
/// `account`, `use_peers` O. Answers a fresh object `hash`, `work`, `difficulty`, `multiplier`,
/// or `Cancelled` when a `work_cancel` for the hash stopped it. Checks in nano-node's order:
/// version, account, hash, difficulty, multiplier, the difficulty limits, then the block.
///
/// `account` is only validated (nano-node uses it for work peers) and `use_peers` changes
/// nothing: this node has no work peers, so work is always generated locally.
pub(super) fn work_generate(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    if let Some(v) = req.text("version") {
        check_work_version(v)?;
    }
    if let Some(a) = req.text("account") {
        api.parse_account(a)?;
    }
    let hash = parse_block_hash(req.required("hash")?)?;
    let difficulty = req.text("difficulty").map(parse_difficulty).transpose()?;
    let multiplier = req.text("multiplier").map(parse_multiplier).transpose()?;
    api.work_generate_target(difficulty, multiplier)?;
    let block = match req.get("block") {
        Some(_) => Some(read_block(req)?),
        None => None,
    };
    let done = api.generate_work(&WorkGenerateRequest {
        hash,
        difficulty,
        multiplier,
        block,
    })?;
    let mut t = Tree::object();
    t.put("hash", done.hash.encode_hex())
        .put("work", done.work.encode_hex())
        .put("difficulty", Work(done.difficulty).encode_hex())
        .put("multiplier", multiplier_text(done.multiplier));
    Ok(t)
}

/// `work_validate`: `hash` R; `work` (absent = 0), `version`, `difficulty`, `multiplier` O.
/// Answers `[valid]` (only when the request has `difficulty`, as nano-node), `valid_all`,
/// `valid_receive`, `difficulty`, `multiplier`.
pub(super) fn work_validate(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    let hash = parse_block_hash(req.required("hash")?)?;
    let work = req
        .text("work")
        .map(parse_work)
        .transpose()?
        .unwrap_or_default();
    if let Some(v) = req.text("version") {
        check_work_version(v)?;
    }
    let difficulty = req.text("difficulty").map(parse_difficulty).transpose()?;
    let multiplier = req.text("multiplier").map(parse_multiplier).transpose()?;
    let v = api.validate_work(&hash, work, difficulty, multiplier);
    let flag = |b: bool| if b { "1" } else { "0" };
    let mut t = Tree::object();
    if difficulty.is_some() {
        t.put("valid", flag(v.valid));
    }
    t.put("valid_all", flag(v.valid_all))
        .put("valid_receive", flag(v.valid_receive))
        .put("difficulty", Work(v.difficulty).encode_hex())
        .put("multiplier", multiplier_text(v.multiplier));
    Ok(t)
}

/// `work_cancel`: `hash` R; stops every generation for it and answers `success` (always).
pub(super) fn work_cancel(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    api.cancel_work(&parse_block_hash(req.required("hash")?)?);
    let mut t = Tree::object();
    t.put("success", "");
    Ok(t)
}
