//! Who is calling: the facts about one request's origin that the request core and its handlers may
//! need, whatever the transport. An IPC session builds one [`Caller`] when it opens; the HTTP gateway
//! will build one per connection (with the `Nano-Api-Key` header as its credentials).
//!
//! Everything here is cheap to clone (shared strings and channel handles), because a request that
//! runs off the async workers takes its own copy of the caller with it.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

use super::admin::{SessionAdmin, SessionStats};
use super::{ApiError, Encoding};

/// Which kind of transport a request came through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// A Unix domain socket.
    Local,
    /// A TCP socket.
    Tcp,
    /// An HTTP request (the gateway).
    Http,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Local => "local",
            Transport::Tcp => "tcp",
            Transport::Http => "http",
        })
    }
}

/// The caller of a request: fixed for the life of a session (or an HTTP connection).
#[derive(Clone, Debug)]
pub struct Caller {
    /// A node-unique number for the session, used in logs and to address pushed events.
    pub session_id: u64,
    pub transport: Transport,
    /// The peer address, for logs (`unix` for local sockets, whose peers are unnamed).
    pub peer: Arc<str>,
    /// The transport's `allow_unsafe` setting: with encoding 2 it raises nano-node's "unsafe"
    /// flag (which only wallet actions this node does not serve consult).
    pub allow_unsafe: bool,
    /// Whether RPC control actions (`stop`, `work_generate`, `block_create`, `ledger`, …) may
    /// run. Always on IPC, as in nano-node, whose IPC applies no control gate (the socket's
    /// permissions and the loopback-only TCP default are the trust boundary); the HTTP gateway
    /// sets it from its `enable_control`.
    pub control: bool,
    /// Credentials the transport carried (the gateway's `Nano-Api-Key` header). A v2 envelope's own
    /// `credentials` field takes precedence for that request.
    pub credentials: Option<Arc<str>>,
    /// Where the node pushes events (subscriptions) for this session.
    pub events: EventSink,
    /// Node-wide controls (`stop`, the in-flight cap, the session table).
    pub node: NodeControl,
    /// The session's counters: the request core counts malformed and refused requests here (the
    /// session's error budget), the transport everything else.
    pub stats: Arc<SessionStats>,
}

impl Caller {
    /// A caller with no credentials, no control actions, no event channel and its own node
    /// controls: for tests and in-process use.
    pub fn local(session_id: u64) -> Self {
        Caller {
            session_id,
            transport: Transport::Local,
            peer: Arc::from("in-process"),
            allow_unsafe: false,
            control: false,
            credentials: None,
            events: EventSink::none(),
            node: NodeControl::default(),
            stats: Arc::default(),
        }
    }

    /// Whether a request in `encoding` from this caller carries nano-node's "unsafe" flag: only
    /// encoding 2 on a transport configured with `allow_unsafe`, as in nano-node.
    pub fn unsafe_allowed(&self, encoding: Encoding) -> bool {
        encoding == Encoding::JsonV1Unsafe && self.allow_unsafe
    }
}

/// Node-wide controls a handler may use: the node's shutdown token, the cap on requests in flight
/// off the async workers, and the session table (when a transport registered one). Cheap to clone.
#[derive(Clone)]
pub struct NodeControl {
    shutdown: CancellationToken,
    in_flight: Arc<Semaphore>,
    in_flight_cap: usize,
    admin: Option<Arc<dyn SessionAdmin>>,
}

impl fmt::Debug for NodeControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodeControl")
            .field("stopping", &self.is_stopping())
            .field("in_flight", &self.requests_in_flight())
            .field("in_flight_cap", &self.in_flight_cap)
            .field("admin", &self.admin.is_some())
            .finish()
    }
}

impl Default for NodeControl {
    fn default() -> Self {
        NodeControl::new(CancellationToken::new())
    }
}

/// The in-flight cap of [`NodeControl::new`]: high enough never to refuse in tests and
/// in-process use; a transport sets its configured cap with [`NodeControl::with_in_flight_cap`].
const DEFAULT_IN_FLIGHT_CAP: usize = 1 << 20;

/// A place among the requests in flight; released when dropped (when the deferred work ends,
/// whether or not anybody still waits for its answer).
#[derive(Debug)]
pub struct InFlight {
    _permit: OwnedSemaphorePermit,
}

impl NodeControl {
    /// Controls that trigger `shutdown` when the node is asked to stop.
    pub fn new(shutdown: CancellationToken) -> Self {
        NodeControl {
            shutdown,
            in_flight: Arc::new(Semaphore::new(DEFAULT_IN_FLIGHT_CAP)),
            in_flight_cap: DEFAULT_IN_FLIGHT_CAP,
            admin: None,
        }
    }

    /// The same controls, refusing deferred requests past `cap` running at once (at least 1).
    pub fn with_in_flight_cap(mut self, cap: usize) -> Self {
        let cap = cap.clamp(1, Semaphore::MAX_PERMITS);
        self.in_flight = Arc::new(Semaphore::new(cap));
        self.in_flight_cap = cap;
        self
    }

    /// The same controls, with the transport's session table for the admin requests.
    pub fn with_admin(mut self, admin: Arc<dyn SessionAdmin>) -> Self {
        self.admin = Some(admin);
        self
    }

    /// The session table, if a transport registered one.
    pub fn admin(&self) -> Option<&Arc<dyn SessionAdmin>> {
        self.admin.as_ref()
    }

    /// Take a place for a request about to run off the async workers, or refuse it (`Node
    /// overloaded`) when the node-wide cap is reached: the node answers at once rather than
    /// queueing unbounded work. Requests answered inline never need one.
    pub fn begin_deferred(&self) -> Result<InFlight, ApiError> {
        self.in_flight
            .clone()
            .try_acquire_owned()
            .map(|permit| InFlight { _permit: permit })
            .map_err(|_| ApiError::Overloaded("too many requests in flight; retry later"))
    }

    /// Deferred requests running now.
    pub fn requests_in_flight(&self) -> usize {
        self.in_flight_cap
            .saturating_sub(self.in_flight.available_permits())
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

/// The handle through which the node pushes events to one session: complete answer payloads the
/// session frames and writes between its answers. Bounded, so a session that stops reading loses
/// events rather than growing the node's memory.
#[derive(Clone, Debug, Default)]
pub struct EventSink {
    tx: Option<mpsc::Sender<Bytes>>,
}

/// Why an event was not queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    #[error("the session cannot receive events")]
    NoChannel,
    #[error("the session's event queue is full")]
    Full,
    #[error("the session has ended")]
    Closed,
}

impl EventSink {
    /// A sink that accepts nothing (a transport without server push).
    pub fn none() -> Self {
        EventSink { tx: None }
    }

    /// A sink holding at most `capacity` undelivered events, and the receiving end for the session.
    pub fn channel(capacity: usize) -> (Self, mpsc::Receiver<Bytes>) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        (EventSink { tx: Some(tx) }, rx)
    }

    /// Queue one event payload for the session, without waiting.
    pub fn push(&self, payload: Bytes) -> Result<(), PushError> {
        let tx = self.tx.as_ref().ok_or(PushError::NoChannel)?;
        tx.try_send(payload).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => PushError::Full,
            mpsc::error::TrySendError::Closed(_) => PushError::Closed,
        })
    }
}
