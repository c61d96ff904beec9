//! The RPC 1.0 actions this node serves, each a mapping from nano-node's action name and fields
//! onto one [`Api`] call and back into nano-node's answer keys (legacy-rpc §7). Parsing, gating and
//! error rendering are the registry's; the logic is the api's. One file per group of actions:
//! `node` (node-level), `accounts` (account and ledger reads), `blocks` (block reads), `keys` (keys,
//! work, block building and submission), `unserved` (nano-node actions answered "Not implemented"
//! with the reason).

mod accounts;
mod blocks;
mod keys;
mod node;
mod unserved;

pub use unserved::UNSERVED_ACTIONS;

use super::registry::Registry;
use super::tree::Tree;
use super::LegacyError;
use crate::api::{Api, ApiError};
use crate::ledger::primitives::Block;

/// Every action this node serves over encodings 1 and 2.
///
/// # Panics
/// Never at run time in a released build: a name registered twice is a programming error, caught
/// by the registry's test and reported at start-up rather than silently overwriting.
pub fn registry() -> Result<Registry<Api>, super::registry::DuplicateAction> {
    let mut r = Registry::with_node_actions();
    node::register(&mut r)?;
    accounts::register(&mut r)?;
    blocks::register(&mut r)?;
    keys::register(&mut r)?;
    unserved::register(&mut r)?;
    Ok(r)
}

/// A block as nano-node puts it into an answer (`block_info`'s `contents`, `blocks`, `block_create`,
/// `sign`): a nested object with `json_block`, else the block's own JSON printed by nano-node's
/// printer (pretty, trailing newline) as one string.
pub(super) fn block_contents(block: &Block, json_block: bool) -> Tree {
    let tree = Tree::from_json(&block.to_json());
    if json_block {
        tree
    } else {
        Tree::text(tree.to_json())
    }
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
