//! Keys, units, work, block building and submission (legacy-rpc §7): `key_create`,
//! `key_expand`, `deterministic_key`, `validate_account_number`, `nano_to_raw`, `raw_to_nano`
//! here; `work_generate`/`work_validate`/`work_cancel` in [`work`]; `process`, `block_create`,
//! `block_hash` and `sign` in [`blocks`] (with the `json_block` block reader/writer in
//! [`block_json`]). Each maps nano-node's fields onto one typed `Api` call.

mod block_json;
mod blocks;
mod work;

use crate::api::Caller;
use crate::api::{parse_index, parse_private_key, parse_seed, Api};
use crate::ledger::primitives::{Amount, KeyPair};
use crate::rpc_legacy::registry::{DuplicateAction, Gate, Registry};
use crate::rpc_legacy::request::{parse_amount, LegacyRequest};
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::{ActionFn, Keys, LegacyError};

pub(super) fn register(r: &mut Registry<Api>) -> Result<(), DuplicateAction> {
    let open: [(&'static str, Keys, ActionFn<Api>); 9] = [
        ("key_create", &[], key_create),
        ("key_expand", &["key"], key_expand),
        ("deterministic_key", &["seed", "index"], deterministic_key),
        (
            "validate_account_number",
            &["account"],
            validate_account_number,
        ),
        ("nano_to_raw", &["amount"], nano_to_raw),
        ("raw_to_nano", &["amount"], raw_to_nano),
        (
            "work_validate",
            &["hash", "work", "version", "difficulty", "multiplier"],
            work::work_validate,
        ),
        ("block_hash", &["block", "json_block"], blocks::block_hash),
        (
            "sign",
            &["hash", "block", "json_block", "key"],
            blocks::sign,
        ),
    ];
    for (name, keys, run) in open {
        r.register(name, keys, Gate::Open, run)?;
    }
    r.register("work_cancel", &["hash"], Gate::Control, work::work_cancel)?;
    // These block (an LMDB write, proof-of-work): the request core runs them on the blocking
    // pool. `process` forces a fork only when asked, and only then is it a control action.
    r.register_blocking(
        "process",
        &["force", "async", "block", "json_block", "subtype"],
        Gate::ControlIf(|req| req.bool_option("force", false)),
        blocks::process,
    )?;
    let work_keys = &[
        "version",
        "account",
        "hash",
        "difficulty",
        "multiplier",
        "block",
        "json_block",
    ];
    r.register_blocking(
        "work_generate",
        work_keys,
        Gate::Control,
        work::work_generate,
    )?;
    let create_keys = &[
        "type",
        "json_block",
        "version",
        "difficulty",
        "wallet",
        "account",
        "representative",
        "destination",
        "source",
        "work",
        "key",
        "previous",
        "balance",
        "link",
    ];
    r.register_blocking(
        "block_create",
        create_keys,
        Gate::Control,
        blocks::block_create,
    )?;
    Ok(())
}

/// `private`, `public`, `account`: the answer of the three key actions.
fn key_tree(pair: &KeyPair) -> Tree {
    let mut t = Tree::object();
    t.put("private", pair.private.encode_hex())
        .put("public", pair.account.encode_hex())
        .put("account", pair.account.encode_address());
    t
}

/// `key_create`: a fresh random key pair.
fn key_create(api: &Api, _: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    Ok(key_tree(&api.create_key()?))
}

/// `key_expand`: `key` R (`Bad private key`).
fn key_expand(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let key = parse_private_key(req.required("key")?)?;
    Ok(key_tree(&api.expand_key(key)))
}

/// `deterministic_key`: `seed` R, `index` R; `Bad seed`, then `Invalid index` (read like
/// `std::stoul`, truncated to 32 bits).
fn deterministic_key(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let seed_text = req.required("seed")?;
    let index_text = req.required("index")?;
    let seed = parse_seed(seed_text)?;
    let index = parse_index(index_text)?;
    Ok(key_tree(&api.derive_key(&seed, index)))
}

/// `validate_account_number`: `account` R; `[deprecated_account_format]`, `valid` (`1`/`0`).
fn validate_account_number(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    let (valid, deprecated) = api.check_address(req.required("account")?);
    let mut t = Tree::object();
    if deprecated {
        t.put("deprecated_account_format", "1");
    }
    t.put("valid", if valid { "1" } else { "0" });
    Ok(t)
}

/// The `amount` field of the unit conversions (`Invalid amount number`).
fn amount_field(req: &LegacyRequest) -> Result<Amount, LegacyError> {
    parse_amount(req.required("amount")?)
        .map(Amount)
        .ok_or_else(|| LegacyError::message("Invalid amount number"))
}

/// `nano_to_raw`: `amount` × 10^30, with nano-node's wrapping check (`Amount too big`).
fn nano_to_raw(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let raw = api.nano_to_raw(amount_field(req)?)?;
    let mut t = Tree::object();
    t.put("amount", raw.encode_dec());
    Ok(t)
}

/// `raw_to_nano`: `amount` / 10^30, truncated.
fn raw_to_nano(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let nano = api.raw_to_nano(amount_field(req)?);
    let mut t = Tree::object();
    t.put("amount", nano.encode_dec());
    Ok(t)
}
