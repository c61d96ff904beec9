//! `[node.ipc.budgets]`: node-wide and per-session bounds that keep hostile or broken clients from
//! exhausting the node (memory, requests in flight, connections) or locking other clients out.

use serde::Deserialize;

/// `[node.ipc.budgets]`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BudgetsConfig {
    /// Bytes all sessions together may hold in partly received requests, beyond the first
    /// [`FREE_REQUEST_BYTES`] each session may always hold (so small requests, such as a probe, never
    /// wait). Past it, a session reading a large request waits for room; if its `io_timeout` runs out
    /// while waiting, the request is answered `Node overloaded` and the connection closes.
    /// Must be at least `max_request_size`, so one request of the largest size can always complete.
    pub max_pending_request_bytes: u64,
    /// Requests that may run off the async workers at once over all sessions (block submission,
    /// proof-of-work, …); past it such a request is answered `Node overloaded` at once.
    pub max_requests_in_flight: u32,
    /// Most connections from one IP address over TCP; 0: no cap. With the default loopback-only
    /// listener every TCP client shares one address, hence no default cap.
    pub max_connections_per_ip: u32,
    /// Most connections from one user id over the Unix socket; 0: no cap. Local clients usually
    /// run as the node's own user, hence no default cap.
    pub max_connections_per_uid: u32,
    /// Malformed or refused requests a session may make; the next one is answered `Too many
    /// errors` and the connection closes. 0: no budget.
    pub error_budget: u32,
    /// Unwritten answer bytes at which a session stops reading requests until its client reads
    /// (the session is paused, not buffered for). A paused client that reads nothing for
    /// `io_timeout` is disconnected.
    pub max_unwritten_bytes: u32,
}

/// Bytes of a partly received request every session may hold without drawing on
/// `max_pending_request_bytes`.
pub const FREE_REQUEST_BYTES: usize = 16 * 1024;

impl Default for BudgetsConfig {
    fn default() -> Self {
        BudgetsConfig {
            max_pending_request_bytes: 256 * 1024 * 1024,
            max_requests_in_flight: 1024,
            max_connections_per_ip: 0,
            max_connections_per_uid: 0,
            error_budget: 64,
            max_unwritten_bytes: 256 * 1024,
        }
    }
}
