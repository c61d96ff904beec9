//! The RPC 1.0 actions this node serves, each a mapping from nano-node's action name and fields
//! onto one [`Api`] call and back into nano-node's answer keys (legacy-rpc §7). Parsing, gating and
//! error rendering are the registry's; the logic is the api's.

use super::registry::{Call, Gate, Registry};
use super::request::LegacyRequest;
use super::tree::Tree;
use super::LegacyError;
use crate::api::{Api, ApiError, ParsedAccount};

/// Every action this node serves over encodings 1 and 2.
pub fn registry() -> Registry<Api> {
    let mut r = Registry::with_node_actions();
    let actions: [(&'static str, super::ActionFn<Api>); 4] = [
        ("version", version),
        ("block_count", block_count),
        ("account_weight", account_weight),
        ("account_balance", account_balance),
    ];
    for (name, run) in actions {
        // The names above are distinct and `with_node_actions` holds only `stop`.
        let _ = r.register(name, Gate::Open, run);
    }
    r
}

impl From<ApiError> for LegacyError {
    /// A failed api call as RPC 1.0 shows it: argument errors keep nano-node's exact text, store
    /// failures are nano-node's generic internal error (the detail goes to the log).
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::InvalidArgument(text) => LegacyError::message(text),
            ApiError::Internal(err) => {
                tracing::error!(error = %err, "ledger failure in a legacy action");
                LegacyError::Internal
            }
            other => LegacyError::message(other.to_string()),
        }
    }
}

/// `version`: rpc_version, store_version, protocol_version, node_vendor, store_vendor, network,
/// network_identifier, build_info.
fn version(api: &Api, _: &Call<'_>, _: &LegacyRequest) -> Result<Tree, LegacyError> {
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
fn block_count(api: &Api, _: &Call<'_>, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    let c = api.block_count()?;
    let mut t = Tree::object();
    t.put("count", c.count.to_string())
        .put("unchecked", c.unchecked.to_string())
        .put("cemented", c.cemented.to_string());
    Ok(t)
}

/// `account_weight`: `[deprecated_account_format]`, weight.
fn account_weight(api: &Api, _: &Call<'_>, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let (mut t, account) = account_field(api, req)?;
    t.put("weight", api.weight_of(&account.account)?.to_string());
    Ok(t)
}

/// `account_balance`: `[deprecated_account_format]`, balance, pending, receivable.
/// `include_only_confirmed` is accepted and changes nothing (see [`Api::balance_of`]); nano-node
/// never rejects a bool option either.
fn account_balance(api: &Api, _: &Call<'_>, req: &LegacyRequest) -> Result<Tree, LegacyError> {
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
