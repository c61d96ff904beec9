//! The one handler layer. Every encoding (IPC 1–4) and, later, every HTTP route reaches the node
//! through here: [`Api`] implements the generated [`Handler`](crate::schema::Handler) trait (the
//! requests of the schema's `NanoApi` service it serves, plus `not_implemented`, the answer the
//! generated defaults give every other request), [`v2`] wraps it in the `Envelope` logic
//! shared by the binary and JSON encodings, and `rpc_legacy` maps its actions onto the same `Api`
//! methods (`node_version`, `block_count`, `weight_of`, `balance_of`, …).
//!
//! Handlers are synchronous: LMDB reads take microseconds and never wait for the writer, so they
//! run inline on the runtime worker that decoded the frame.
//!
//! Layout: `error` (the wire error model), `v2` (envelopes in and out), one file per message
//! group (`node`, `account`; keys group: `keys`, `work`, `submit`, `create`, plus `convert`, the
//! schema `Block` ↔ ledger block conversion). Block submission and work generation are the
//! exceptions to "microseconds": they block (an LMDB write, seconds of CPU), so the request core
//! must run them off the async workers.

mod account;
mod error;
mod node;
pub mod v2;
// ---- keys group ----
pub mod convert;
mod create;
mod keys;
mod submit;
mod work;

pub use account::{AccountBalance, ParsedAccount};
pub use error::{ApiError, Category};
pub use node::{NodeVersion, PROTOCOL_VERSION, RPC_VERSION};
// ---- keys group ----
pub use create::{BlockCreateRequest, CreateKind, CreatedBlock, ENABLE_SIGN_HASH};
pub use keys::{
    check_work_version, parse_block_hash, parse_difficulty, parse_index, parse_private_key,
    parse_seed, parse_work,
};
pub use submit::ExpectedSubtype;
pub use work::{
    from_multiplier, parse_multiplier, to_multiplier, WorkGenerateRequest, WorkGenerated,
    WorkRegistry, WorkValidation, MAX_WORK_GENERATE_MULTIPLIER,
};

use crate::ledger::Ledger;
use crate::schema::JsonOptions;

/// The node as the API sees it: a cheap clone shared by every session.
#[derive(Clone)]
pub struct Api {
    ledger: Ledger,
    json: JsonOptions,
    /// Running work generations by root, so `work_cancel` can stop them (keys group).
    work: WorkRegistry,
}

/// Facts about one call that a handler may need. Credentials and the schema's permissions are not
/// enforced yet: every caller is allowed until access control (`config-access.toml`) lands, and
/// it will check them before dispatch, so handlers never need to.
#[derive(Debug, Clone, Copy)]
pub struct CallContext {
    /// The session (connection) the request came in on.
    pub session_id: u64,
}

impl Api {
    /// An API over `ledger`. `json` decides what the JSON codec does with unknown fields
    /// (`[node.ipc.flatbuffers] skip_unexpected_fields_in_json`).
    pub fn new(ledger: Ledger, json: JsonOptions) -> Self {
        Api {
            ledger,
            json,
            work: WorkRegistry::default(),
        }
    }

    /// The ledger every answer comes from.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
}
