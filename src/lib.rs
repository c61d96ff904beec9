//! nanoipc: a Nano-compatible node IPC server with an embedded single-node ledger.
//!
//! # Layout
//! - [`schema`]: the v2 API generated from `schema/nanoapi.fbs` (tables, JSON codec, dispatch).
//! - [`api`]: the one handler layer every encoding and transport reaches; [`api::ApiError`] is the
//!   wire error model.
//! - [`ipc`]: framing, sessions, TCP/Unix listeners, the request-handler seam, client, load tool.
//! - [`rpc_legacy`]: RPC 1.0 request parsing, nano-exact response rendering, action registry.
//! - [`ledger`]: the embedded single-node Nano ledger (primitives, LMDB store, block processor).
//! - [`config`]: `config-node.toml` model and the commented defaults printer.

pub mod api;
pub mod config;
pub mod ipc;
pub mod ledger;
pub mod log_limit;
pub mod rpc_legacy;
pub mod schema;

/// The async IPC client, also reachable as `nanoipc::client`.
pub use ipc::client;
