//! Node-level actions: `version`, `block_count`, `uptime`, and the account reads that predate the groups
//! (`account_weight`, `account_balance`).

use crate::api::Caller;
use crate::api::{Api, ParsedAccount};
use crate::rpc_legacy::registry::{DuplicateAction, Gate, Registry};
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::{ActionFn, Keys, LegacyError};

pub(super) fn register(r: &mut Registry<Api>) -> Result<(), DuplicateAction> {
    let actions: [(&'static str, Keys, ActionFn<Api>); 5] = [
        ("version", &[], version),
        ("block_count", &[], block_count),
        ("uptime", &[], uptime),
        ("account_weight", &["account"], account_weight),
        (
            "account_balance",
            &["account", "include_only_confirmed"],
            account_balance,
        ),
    ];
    for (name, keys, run) in actions {
        r.register(name, keys, Gate::Open, run)?;
    }
    Ok(())
}

/// `version`: rpc_version, store_version, protocol_version, node_vendor, store_vendor, network,
/// network_identifier, build_info.
fn version(api: &Api, _: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    let v = api.node_version()?;
    let mut t = Tree::object();
    t.put("rpc_version", v.rpc_version.to_string())
        .put("store_version", v.store_version.to_string())
        .put("protocol_version", v.protocol_version.to_string())
        .put("node_vendor", v.node_vendor)
        .put("store_vendor", v.store_vendor)
        .put("network", v.network)
        .put("network_identifier", v.network_identifier.encode_hex())
        .put("build_info", v.build_info);
    Ok(t)
}

/// `block_count`: count, unchecked, cemented.
fn block_count(api: &Api, _: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    let c = api.block_counts()?;
    let mut t = Tree::object();
    t.put("count", c.count.to_string())
        .put("unchecked", c.unchecked.to_string())
        .put("cemented", c.cemented.to_string());
    Ok(t)
}

/// `uptime`: seconds since the node started.
fn uptime(api: &Api, _: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut t = Tree::object();
    t.put("seconds", api.uptime_seconds().to_string());
    Ok(t)
}

/// `account_weight`: `[deprecated_account_format]`, weight.
fn account_weight(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let (mut t, account) = account_field(api, req)?;
    t.put("weight", api.weight_of(&account.account)?.to_string());
    Ok(t)
}

/// `account_balance`: `[deprecated_account_format]`, balance, pending, receivable.
/// `include_only_confirmed` is accepted and changes nothing (see [`Api::balance_of`]); nano-node
/// never rejects a bool option either.
fn account_balance(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let (mut t, account) = account_field(api, req)?;
    let b = api.balance_of(&account.account)?;
    let receivable = b.receivable.to_string();
    t.put("balance", b.balance.to_string())
        .put("pending", receivable.clone())
        .put("receivable", receivable);
    Ok(t)
}

/// Reads the required `account` field and starts the answer, flagged when the address used a
/// deprecated prefix (nano-node inserts the flag as the first key).
fn account_field(api: &Api, req: &LegacyRequest) -> Result<(Tree, ParsedAccount), LegacyError> {
    let account = api.parse_account(req.required("account")?)?;
    let mut t = Tree::object();
    if account.deprecated_format {
        t.put("deprecated_account_format", "1");
    }
    Ok((t, account))
}
