//! The seam between transports and request handling. A session decodes a frame, builds a
//! [`Request`] and calls [`RequestHandler::handle`]; whatever the handler appends to `out` is sent back
//! with a be32 length in front. Transports and framing know nothing about encodings 1–4 beyond their
//! number, so the real handler (in `src/api/`, dispatching through the generated code) slots in here
//! without touching them.

use std::fmt;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use tokio_util::sync::CancellationToken;

use super::frame::Encoding;

/// Handles one decoded request frame. Called on a runtime worker thread, once per frame, in the
/// order frames arrived on the session.
///
/// The call is synchronous because handlers are microsecond-scale and a `dyn` async call would cost
/// an allocation per request; a handler with heavy blocking work should hand it to
/// `tokio::task::spawn_blocking` (or a dedicated thread) itself.
pub trait RequestHandler: Send + Sync + 'static {
    /// Append the complete response payload for `req` to `out` (without the be32 length: the
    /// session adds it). `out` is empty when the call starts. Appending nothing sends an empty
    /// response.
    fn handle(&self, req: Request<'_>, out: &mut BytesMut);

    /// Append the answer to a request the session refused before reading its payload, in the
    /// encoding the client announced. The session closes the connection after sending it.
    fn refuse(&self, refusal: Refusal<'_>, out: &mut BytesMut);
}

/// One request as the handler sees it.
#[derive(Debug)]
pub struct Request<'a> {
    /// The encoding from the preamble.
    pub encoding: Encoding,
    /// The payload (the be32 length and preamble removed). Owned so a handler may keep it without a
    /// copy (e.g. to move it into `spawn_blocking`).
    pub payload: Bytes,
    /// Facts about the connection the request came in on.
    pub session: &'a SessionInfo,
    /// Node-wide controls (the `stop` action uses it).
    pub node: &'a NodeControl,
}

/// A request refused before its payload was read.
#[derive(Debug)]
pub struct Refusal<'a> {
    pub encoding: Encoding,
    pub reason: RefusalReason,
    pub session: &'a SessionInfo,
}

/// Why a request was refused unread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalReason {
    /// The announced payload length `len` is above `max_request_size` (`max`).
    TooLarge { len: u32, max: u32 },
}

impl fmt::Display for RefusalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefusalReason::TooLarge { len, max } => write!(
                f,
                "request of {len} bytes exceeds max_request_size ({max} bytes)"
            ),
        }
    }
}

/// Which listener a session came through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    Tcp,
    Local,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Tcp => "tcp",
            TransportKind::Local => "local",
        })
    }
}

/// Per-connection facts, fixed for the life of the session.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    /// A node-unique number, used in logs.
    pub id: u64,
    pub transport: TransportKind,
    /// The transport's `allow_unsafe` setting. Control actions need this *and* encoding 2.
    pub allow_unsafe: bool,
    /// The peer address, for logs (`unix` for local sockets, whose peers are unnamed).
    pub peer: String,
}

impl SessionInfo {
    /// Whether a request in `encoding` on this session may run control (unsafe) actions: only
    /// encoding 2 on a transport configured with `allow_unsafe`.
    pub fn unsafe_allowed(&self, encoding: Encoding) -> bool {
        encoding == Encoding::JsonV1Unsafe && self.allow_unsafe
    }
}

/// Node-wide controls a handler may use. A cheap clone of the node's shutdown token.
#[derive(Clone, Debug, Default)]
pub struct NodeControl {
    shutdown: CancellationToken,
}

impl NodeControl {
    /// Controls that trigger `shutdown` when the node is asked to stop.
    pub fn new(shutdown: CancellationToken) -> Self {
        NodeControl { shutdown }
    }

    /// Ask the node to stop: listeners stop accepting and sessions drain. Sessions still write the
    /// answers they have already produced (including the one to the request that asked to stop).
    pub fn request_stop(&self) {
        self.shutdown.cancel();
    }

    /// Whether a stop was requested.
    pub fn is_stopping(&self) -> bool {
        self.shutdown.is_cancelled()
    }
}

/// Shared handlers are handlers too, so a test can keep a handle on its handler.
impl<H: RequestHandler + ?Sized> RequestHandler for Arc<H> {
    fn handle(&self, req: Request<'_>, out: &mut BytesMut) {
        (**self).handle(req, out)
    }

    fn refuse(&self, refusal: Refusal<'_>, out: &mut BytesMut) {
        (**self).refuse(refusal, out)
    }
}
