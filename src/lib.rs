//! nanoipc: a Nano-compatible node IPC server with an embedded single-node ledger.
pub mod ledger;
pub mod schema;
