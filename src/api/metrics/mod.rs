//! Node metrics, rendered in the Prometheus text format for `nanoipc admin metrics` and the HTTP
//! gateway's `GET /metrics`.
//!
//! Recording costs no lock and no allocation: every (message, encoding) pair and every error code
//! has its counter in a fixed table made when the node starts, indexed by the v2 message's union
//! tag or the legacy action's registry index, so recording a request is a few relaxed atomic
//! increments. The request path does not pass what it learns (which message, which error) back
//! through every layer: the handler layer notes it in a per-thread [`Outcome`] (`note_*`), and
//! the request core takes it when the request ends ([`take_outcome`]) and records it once. A
//! request answered on the blocking pool carries its outcome back in its `Pending`.
//!
//! Transports report what only they see through small hooks on [`Metrics`] (sessions opened and
//! closed, bytes read and written, connections refused). Everything is read and formatted at
//! scrape time (`render`), where the ledger's counts are also read.

mod histogram;
mod render;
mod serve;
#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, OnceLock};
use std::time::Duration;

pub use histogram::{Histogram, Snapshot, BOUNDS_NANOS};
pub use render::{BlockCounts, CONTENT_TYPE};

use super::Encoding;

/// Message slots per encoding: one per possible v2 union tag (a `u8`); legacy actions use the
/// same size (slot = registry index + 1). Slot 0 is the request whose message is unknown (not
/// parseable, an unknown action, a union tag that is not a request).
pub const SLOTS: usize = 256;

/// Error code slots: `ApiError::code` values are small; a code past the table counts in slot 0.
pub const ERROR_SLOTS: usize = 32;

/// The error codes rendered even at zero (`docs/errors.md`); others appear once counted.
const KNOWN_ERROR_CODES: usize = 10;

/// Why a transport turned a connection away (or closed it before serving it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum ConnectionRefusal {
    /// `max_connections` was reached and no idle session could make room.
    MaxConnections,
    /// The peer (an IP for TCP, a uid for the Unix socket) holds its maximum of connections.
    PeerLimit,
    /// `accept` failed (e.g. out of file descriptors).
    AcceptError,
    /// A request announced a payload above `max_request_size`; the session was closed.
    RequestTooLarge,
}

impl ConnectionRefusal {
    /// Every reason, in table order.
    pub const ALL: [ConnectionRefusal; 4] = [
        ConnectionRefusal::MaxConnections,
        ConnectionRefusal::PeerLimit,
        ConnectionRefusal::AcceptError,
        ConnectionRefusal::RequestTooLarge,
    ];

    /// The `reason` label.
    pub fn label(self) -> &'static str {
        match self {
            ConnectionRefusal::MaxConnections => "max_connections",
            ConnectionRefusal::PeerLimit => "peer_limit",
            ConnectionRefusal::AcceptError => "accept_error",
            ConnectionRefusal::RequestTooLarge => "request_too_large",
        }
    }
}

/// What the handler layer learned about the request this thread is serving.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The message slot (0: unknown).
    pub slot: u16,
    /// The error code answered (0: none).
    pub error: u8,
}

impl Outcome {
    /// `later` (noted on the blocking pool) over `self` (noted before the request was deferred).
    pub fn then(self, later: Outcome) -> Outcome {
        Outcome {
            slot: if later.slot != 0 {
                later.slot
            } else {
                self.slot
            },
            error: if later.error != 0 {
                later.error
            } else {
                self.error
            },
        }
    }

    /// Packed for an atomic cell.
    pub fn to_bits(self) -> u32 {
        u32::from(self.slot) << 8 | u32::from(self.error)
    }

    /// The inverse of [`Outcome::to_bits`].
    pub fn from_bits(bits: u32) -> Outcome {
        Outcome {
            slot: (bits >> 8) as u16,
            error: (bits & 0xff) as u8,
        }
    }
}

thread_local! {
    static OUTCOME: Cell<Outcome> = const { Cell::new(Outcome { slot: 0, error: 0 }) };
}

/// Notes the v2 request's union tag; a tag that is not a request counts as unknown (slot 0).
pub fn note_v2(tag: crate::schema::Message) {
    let slot = match crate::schema::dispatch::method_for(tag) {
        Some(_) => u16::from(tag.0),
        None => 0,
    };
    OUTCOME.with(|o| o.set(Outcome { slot, ..o.get() }));
}

/// Notes the legacy action found at `index` in the registry (slot `index + 1`; an index past the
/// table counts as unknown, and `tests` keep the registry well below it).
pub fn note_legacy(index: usize) {
    let slot = u16::try_from(index + 1)
        .ok()
        .filter(|&s| usize::from(s) < SLOTS);
    OUTCOME.with(|o| {
        o.set(Outcome {
            slot: slot.unwrap_or(0),
            ..o.get()
        })
    });
}

/// Notes the error code the request was answered with.
pub fn note_error(code: i32) {
    let error = error_byte(code);
    OUTCOME.with(|o| o.set(Outcome { error, ..o.get() }));
}

/// An error code as an outcome byte: itself when it fits, else `u8::MAX` (counted as "other").
fn error_byte(code: i32) -> u8 {
    u8::try_from(code)
        .ok()
        .filter(|&c| c != 0)
        .unwrap_or(u8::MAX)
}

/// Takes (and clears) this thread's outcome.
pub fn take_outcome() -> Outcome {
    OUTCOME.with(|o| o.replace(Outcome::default()))
}

/// The node's counters. One per node, shared by every session (`Api::node_metrics`).
#[derive(Debug)]
pub struct Metrics {
    /// Per encoding (wire byte − 1), per message slot.
    latency: [Box<[Histogram]>; 4],
    errors: [AtomicU64; ERROR_SLOTS],
    sessions_opened: AtomicU64,
    sessions_closed: AtomicU64,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    refused: [AtomicU64; ConnectionRefusal::ALL.len()],
    /// Legacy action names by registry index, set once the legacy front end is attached.
    legacy_names: OnceLock<Box<[&'static str]>>,
}

impl Default for Metrics {
    fn default() -> Self {
        // Calibrates the request core's clock now rather than during the first request.
        let _ = quanta::Instant::now();
        let table = || (0..SLOTS).map(|_| Histogram::default()).collect();
        Metrics {
            latency: [table(), table(), table(), table()],
            errors: Default::default(),
            sessions_opened: AtomicU64::new(0),
            sessions_closed: AtomicU64::new(0),
            bytes_in: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
            refused: Default::default(),
            legacy_names: OnceLock::new(),
        }
    }
}

impl Metrics {
    /// A table nobody reads, for services without their own (test doubles): the transport hooks
    /// stay one-line calls whatever the service.
    pub fn detached() -> &'static Metrics {
        static DETACHED: LazyLock<Metrics> = LazyLock::new(Metrics::default);
        &DETACHED
    }

    /// Names the legacy actions (registry order), for rendering. The first call wins: every
    /// registry of a node has the same actions.
    pub fn set_legacy_actions(&self, names: Vec<&'static str>) {
        let _ = self.legacy_names.set(names.into_boxed_slice());
    }

    /// Records one answered request: its latency under its message and encoding, and its error.
    pub fn record(&self, encoding: Encoding, outcome: Outcome, elapsed: Duration) {
        let table = &self.latency[usize::from(encoding.as_byte() - 1)];
        table[usize::from(outcome.slot) % SLOTS].observe(elapsed);
        if outcome.error != 0 {
            self.count_error(outcome.error);
        }
    }

    /// Counts an error answered without a request being served (a refused request).
    pub fn record_error(&self, code: i32) {
        self.count_error(error_byte(code));
    }

    /// Slot 0 collects codes past the table.
    fn count_error(&self, code: u8) {
        let slot = usize::from(code);
        let slot = if slot < ERROR_SLOTS { slot } else { 0 };
        self.errors[slot].fetch_add(1, Ordering::Relaxed);
    }

    /// Transport hook: a session started.
    pub fn session_opened(&self) {
        self.sessions_opened.fetch_add(1, Ordering::Relaxed);
    }

    /// Transport hook: a session ended.
    pub fn session_closed(&self) {
        self.sessions_closed.fetch_add(1, Ordering::Relaxed);
    }

    /// Transport hook: `n` bytes read from a client.
    pub fn bytes_received(&self, n: usize) {
        self.bytes_in.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Transport hook: `n` bytes written to a client.
    pub fn bytes_sent(&self, n: usize) {
        self.bytes_out.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Transport hook: a connection was turned away for `reason`.
    pub fn connection_refused(&self, reason: ConnectionRefusal) {
        self.refused[reason as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Requests recorded for `slot` in `encoding` so far.
    pub fn requests(&self, encoding: Encoding, slot: usize) -> u64 {
        self.latency[usize::from(encoding.as_byte() - 1)]
            .get(slot)
            .map_or(0, Histogram::count)
    }

    /// Errors answered with `code` so far.
    pub fn errors(&self, code: usize) -> u64 {
        self.errors
            .get(code)
            .map_or(0, |c| c.load(Ordering::Relaxed))
    }
}
