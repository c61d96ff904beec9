//! The request core and the one handler layer. Every encoding (IPC 1–4) and, later, every HTTP
//! route reaches the node through [`RequestCore`], the single entry point: given a [`Caller`], an
//! [`Encoding`] and a payload it routes legacy JSON to the `rpc_legacy` front end (through the
//! [`LegacyRpc`] trait, so `rpc_legacy` depends on this module and not the reverse) and v2
//! envelopes to [`v2`], which dispatches them through the generated
//! [`Handler`](crate::schema::Handler) that [`Api`] implements. Both front ends call the same typed
//! `Api` methods (`node_version`, `block_count`, `weight_of`, `balance_of`, …).
//!
//! Handlers are synchronous. Reads take microseconds and never wait for the writer, so they run
//! inline on the runtime worker that decoded the frame; handlers that block (ledger writes,
//! proof-of-work) are sent to the blocking pool by the core and answered through [`Reply::Later`].
//!
//! Layout: `caller` (who is calling), `encoding` (the four encodings), `core` (the entry point and
//! the transport-facing [`Service`] trait), `error` (the wire error model), `v2` (envelopes in and
//! out), one file per message group (`node`, `account`).

mod account;
mod caller;
pub mod core;
mod encoding;
mod error;
mod node;
pub mod v2;

pub use self::core::{LegacyRpc, Pending, Refusal, Reply, RequestCore, Service};
pub use account::{AccountBalance, ParsedAccount};
pub use caller::{Caller, EventSink, NodeControl, PushError, Transport};
pub use encoding::Encoding;
pub use error::{ApiError, Category};
pub use node::{NodeVersion, PROTOCOL_VERSION, RPC_VERSION};

use crate::ledger::Ledger;
use crate::schema::JsonOptions;

/// The node as the API sees it: a cheap clone shared by every session.
#[derive(Clone)]
pub struct Api {
    ledger: Ledger,
    json: JsonOptions,
}

impl Api {
    /// An API over `ledger`. `json` decides what the JSON codec does with unknown fields
    /// (`[node.ipc.flatbuffers] skip_unexpected_fields_in_json`).
    pub fn new(ledger: Ledger, json: JsonOptions) -> Self {
        Api { ledger, json }
    }

    /// The ledger every answer comes from.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
}
