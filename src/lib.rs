//! nanoipc: a Nano-compatible node IPC server with an embedded single-node ledger.
//!
//! # Layout
//! - [`config`]: `config-node.toml` model and the commented defaults printer.
//! - [`ipc`]: framing, sessions, TCP/Unix listeners, the request-handler seam, client, load tool.
//! - [`rpc_legacy`]: RPC 1.0 request parsing, nano-exact response rendering, action registry.

pub mod config;
pub mod ipc;
pub mod rpc_legacy;

/// The async IPC client, also reachable as `nanoipc::client`.
pub use ipc::client;
