//! nano-node actions this node knows but deliberately does not serve, each answering
//! `{"error": "Not implemented: <action> (<why>)"}`: a client learns exactly why, instead of
//! nano-node's `Unknown command` (which would suggest a typo) or a fake success. Names nano-node
//! does not have at all still answer `Unknown command`.
//!
//! Two reasons cover them: this node keeps no wallets (keys live with the client, which builds
//! blocks with `block_create` and submits them with `process`), and it never joins a network (no
//! peers, elections, bootstrapping or work peers).

use crate::api::{Api, Caller};
use crate::rpc_legacy::registry::{DuplicateAction, Gate, Registry};
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::LegacyError;

const NO_WALLETS: &str =
    "this node keeps no wallets; build blocks with block_create and submit them with process";
const NO_NETWORK: &str = "this node does not join a network";
const NO_UNCHECKED: &str = "this node keeps no unchecked blocks";
const NO_EPOCHS: &str = "this node does not process epoch upgrades";
const NO_STATS: &str = "this node keeps no node statistics";

/// Every nano-node action (json_handler.cpp's dispatch map, V28) left out here, with its reason.
pub const UNSERVED_ACTIONS: &[(&str, &str)] = &[
    ("account_create", NO_WALLETS),
    ("account_list", NO_WALLETS),
    ("account_move", NO_WALLETS),
    ("account_remove", NO_WALLETS),
    ("account_representative_set", NO_WALLETS),
    ("accounts_create", NO_WALLETS),
    ("password_change", NO_WALLETS),
    ("password_enter", NO_WALLETS),
    ("receive", NO_WALLETS),
    ("receive_minimum", NO_WALLETS),
    ("receive_minimum_set", NO_WALLETS),
    ("search_pending", NO_WALLETS),
    ("search_pending_all", NO_WALLETS),
    ("search_receivable", NO_WALLETS),
    ("search_receivable_all", NO_WALLETS),
    ("send", NO_WALLETS),
    ("wallet_add", NO_WALLETS),
    ("wallet_add_watch", NO_WALLETS),
    ("wallet_balance_total", NO_WALLETS),
    ("wallet_balances", NO_WALLETS),
    ("wallet_change_seed", NO_WALLETS),
    ("wallet_contains", NO_WALLETS),
    ("wallet_create", NO_WALLETS),
    ("wallet_destroy", NO_WALLETS),
    ("wallet_export", NO_WALLETS),
    ("wallet_frontiers", NO_WALLETS),
    ("wallet_history", NO_WALLETS),
    ("wallet_info", NO_WALLETS),
    ("wallet_key_valid", NO_WALLETS),
    ("wallet_ledger", NO_WALLETS),
    ("wallet_lock", NO_WALLETS),
    ("wallet_pending", NO_WALLETS),
    ("wallet_receivable", NO_WALLETS),
    ("wallet_representative", NO_WALLETS),
    ("wallet_representative_set", NO_WALLETS),
    ("wallet_republish", NO_WALLETS),
    ("wallet_unlock", NO_WALLETS),
    ("wallet_work_get", NO_WALLETS),
    ("work_get", NO_WALLETS),
    ("work_set", NO_WALLETS),
    ("active_difficulty", NO_NETWORK),
    ("block_confirm", NO_NETWORK),
    ("bootstrap", NO_NETWORK),
    ("bootstrap_any", NO_NETWORK),
    ("bootstrap_lazy", NO_NETWORK),
    ("bootstrap_status", NO_NETWORK),
    ("confirmation_active", NO_NETWORK),
    ("confirmation_info", NO_NETWORK),
    ("debug_bootstrap_priority_info", NO_NETWORK),
    ("election_statistics", NO_NETWORK),
    ("keepalive", NO_NETWORK),
    ("node_id", NO_NETWORK),
    ("node_id_delete", NO_NETWORK),
    ("peers", NO_NETWORK),
    ("populate_backlog", NO_NETWORK),
    ("representatives_online", NO_NETWORK),
    ("republish", NO_NETWORK),
    ("telemetry", NO_NETWORK),
    ("work_peer_add", NO_NETWORK),
    ("work_peers", NO_NETWORK),
    ("work_peers_clear", NO_NETWORK),
    ("database_txn_tracker", NO_STATS),
    ("stats", NO_STATS),
    ("stats_clear", NO_STATS),
    ("unchecked", NO_UNCHECKED),
    ("unchecked_clear", NO_UNCHECKED),
    ("unchecked_get", NO_UNCHECKED),
    ("unchecked_keys", NO_UNCHECKED),
    ("epoch_upgrade", NO_EPOCHS),
    ("pruned_exists", "this node does not prune its ledger"),
];

pub(super) fn register(r: &mut Registry<Api>) -> Result<(), DuplicateAction> {
    for (name, _) in UNSERVED_ACTIONS {
        // The answer names the action, so that is all it reads.
        r.register(name, &["action"], Gate::Open, not_served)?;
    }
    Ok(())
}

/// Answers the action's own name and reason.
fn not_served(_: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let action = req.action()?;
    let why = UNSERVED_ACTIONS
        .iter()
        .find(|(name, _)| *name == action)
        .map_or("not served by this node", |(_, why)| why);
    Err(LegacyError::message(format!(
        "Not implemented: {action} ({why})"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unserved_action_names_itself_and_its_reason() {
        let mut r = Registry::new();
        register(&mut r).unwrap();
        let caller = Caller::local(1);
        let out = r
            .dispatch(&api_stub(), &caller, true, br#"{"action":"wallet_create"}"#)
            .to_json();
        assert_eq!(
            out,
            format!("{{\n    \"error\": \"Not implemented: wallet_create ({NO_WALLETS})\"\n}}\n")
        );
        let out = r
            .dispatch(&api_stub(), &caller, false, br#"{"action":"peers"}"#)
            .to_json();
        assert!(out.contains("Not implemented: peers (this node does not join a network)"));
        let out = r
            .dispatch(&api_stub(), &caller, false, br#"{"action":"wallet_creat"}"#)
            .to_json();
        assert_eq!(out, "{\n    \"error\": \"Unknown command\"\n}\n");
    }

    fn api_stub() -> Api {
        // The registry never touches the api for these actions; a real one keeps the types honest.
        let dir = tempfile::tempdir().unwrap();
        let ledger =
            crate::ledger::Ledger::open(dir.path(), crate::ledger::primitives::Network::Dev)
                .unwrap();
        Api::new(ledger, crate::schema::JsonOptions::default())
    }
}
