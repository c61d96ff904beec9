//! Every action nano-node's RPC 1.0 dispatches (its json_handler.cpp map at V28, plus the actions
//! the RPC layer adds) is either served here or answers "Not implemented: <action> (<why>)";
//! only names nano-node does not have answer `Unknown command`.

mod support;

use nanoipc::rpc_legacy::actions::{registry, UNSERVED_ACTIONS};

/// nano-node V28's action names (facts from its source, not code).
const NANO_NODE_ACTIONS: &[&str] = &[
    "account_balance",
    "account_block_count",
    "account_count",
    "account_create",
    "account_get",
    "account_history",
    "account_info",
    "account_key",
    "account_list",
    "account_move",
    "account_remove",
    "account_representative",
    "account_representative_set",
    "account_weight",
    "accounts_balances",
    "accounts_representatives",
    "accounts_create",
    "accounts_frontiers",
    "accounts_pending",
    "accounts_receivable",
    "active_difficulty",
    "available_supply",
    "block_info",
    "block",
    "block_confirm",
    "blocks",
    "blocks_info",
    "block_account",
    "block_count",
    "block_create",
    "block_hash",
    "bootstrap",
    "bootstrap_any",
    "bootstrap_lazy",
    "bootstrap_status",
    "chain",
    "confirmation_active",
    "confirmation_history",
    "confirmation_info",
    "confirmation_quorum",
    "database_txn_tracker",
    "delegators",
    "delegators_count",
    "deterministic_key",
    "election_statistics",
    "epoch_upgrade",
    "frontiers",
    "frontier_count",
    "history",
    "keepalive",
    "key_create",
    "key_expand",
    "ledger",
    "nano_to_raw",
    "node_id",
    "node_id_delete",
    "password_change",
    "password_enter",
    "wallet_unlock",
    "peers",
    "pending",
    "pending_exists",
    "receivable",
    "receivable_exists",
    "process",
    "pruned_exists",
    "raw_to_nano",
    "receive",
    "receive_minimum",
    "receive_minimum_set",
    "representatives",
    "representatives_online",
    "republish",
    "search_pending",
    "search_receivable",
    "search_pending_all",
    "search_receivable_all",
    "send",
    "sign",
    "stats",
    "stats_clear",
    "stop",
    "successors",
    "telemetry",
    "unchecked",
    "unchecked_clear",
    "unchecked_get",
    "unchecked_keys",
    "unopened",
    "uptime",
    "validate_account_number",
    "version",
    "wallet_add",
    "wallet_add_watch",
    "wallet_balances",
    "wallet_change_seed",
    "wallet_contains",
    "wallet_create",
    "wallet_destroy",
    "wallet_export",
    "wallet_frontiers",
    "wallet_history",
    "wallet_info",
    "wallet_balance_total",
    "wallet_key_valid",
    "wallet_ledger",
    "wallet_lock",
    "wallet_pending",
    "wallet_receivable",
    "wallet_representative",
    "wallet_representative_set",
    "wallet_republish",
    "wallet_work_get",
    "work_generate",
    "work_cancel",
    "work_get",
    "work_set",
    "work_validate",
    "work_peer_add",
    "work_peers",
    "work_peers_clear",
    "populate_backlog",
    "debug_bootstrap_priority_info",
];

#[test]
fn every_nano_node_action_is_served_or_explained() {
    let names = registry().unwrap().names();
    for action in NANO_NODE_ACTIONS {
        assert!(
            names.contains(action),
            "nano-node's {action} is not registered"
        );
    }
    // Nothing registered that nano-node does not have.
    for name in &names {
        assert!(
            NANO_NODE_ACTIONS.contains(name),
            "{name} is not a nano-node action"
        );
    }
    for (name, _) in UNSERVED_ACTIONS {
        assert!(NANO_NODE_ACTIONS.contains(name), "{name}");
    }
}

#[tokio::test]
async fn unserved_actions_answer_not_implemented_with_the_reason() {
    let node = support::start_node().await;
    let mut s = node.connect(support::Via::Local).await;
    for (name, why) in UNSERVED_ACTIONS {
        let answer = s.call(1, &format!(r#"{{"action":"{name}"}}"#)).await;
        assert_eq!(
            answer,
            support::legacy_error(&format!("Not implemented: {name} ({why})"))
        );
    }
    assert_eq!(
        s.call(1, r#"{"action":"no_such_action"}"#).await,
        support::legacy_error("Unknown command")
    );
}
