//! The two transports: a TCP listener and a Unix-domain-socket listener, and the accept loop they
//! share. At most `max_connections` sessions exist: at the cap a newly accepted client is admitted
//! by closing the longest-idle session (nothing in flight), so idle connections can never lock
//! everyone out; when every session is busy the new client waits for one to end. Per-peer caps
//! (IP for TCP, user id for the Unix socket) refuse a peer's connection past its share.

use std::io;
use std::net::SocketAddr;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::Semaphore;
use tokio_util::task::TaskTracker;

use super::error::ServerError;
use super::session::{self, SessionEnd, SessionLimits, SessionShutdown};
use super::table::{Admitted, PeerKey, SessionTable};
use super::throttle::AcceptBackoff;
use crate::api::{Caller, EventSink, NodeControl, Service, Transport};
use crate::config::TcpConfig;
use crate::log_limit::LogLimiter;

/// Events a session may have waiting before the node drops further ones for it.
const EVENT_QUEUE: usize = 1024;

/// Warnings any client can cause by connecting (a bad frame, a reset) or by exhausting file
/// descriptors: a few per 10 s each, then one summary line, so an attack cannot flood the log.
static SESSION_FAILED: LogLimiter = LogLimiter::new("session closed", 20, 10_000);
/// A peer over its connection cap: one line per 10 s, the rest summed.
static PEER_REFUSED: LogLimiter = LogLimiter::new("connection refused at the peer cap", 1, 10_000);
/// At `max_connections` with no idle session to close.
static ALL_BUSY: LogLimiter = LogLimiter::new("max_connections reached, all busy", 1, 10_000);

/// The bound listeners, each with the settings of its transport. TCP may have several (by
/// default one per loopback address).
#[derive(Default)]
pub struct Listeners {
    pub tcp: Vec<(TcpListener, TransportSettings)>,
    pub local: Option<(UnixListener, TransportSettings)>,
}

/// What differs between transports.
#[derive(Clone, Copy, Debug)]
pub struct TransportSettings {
    pub limits: SessionLimits,
    pub allow_unsafe: bool,
}

/// Everything the accept loop hands to its sessions.
#[derive(Clone)]
pub struct AcceptContext {
    pub service: Arc<dyn Service>,
    pub node: NodeControl,
    pub shutdown: SessionShutdown,
    pub tracker: TaskTracker,
    pub permits: Arc<Semaphore>,
    pub table: Arc<SessionTable>,
}

/// Accept connections on every listener until the graceful-shutdown token fires, spawning one
/// tracked task each. One loop serves both transports, so the sessions' permits go to whichever
/// transport has clients.
pub async fn accept_loop(listeners: Listeners, ctx: AcceptContext) {
    let cancel = ctx.shutdown.graceful.clone();
    // Which TCP listener is polled first; rotated so a busy one cannot starve the others.
    let mut first_tcp = 0usize;
    let mut backoff = AcceptBackoff::default();
    loop {
        first_tcp = first_tcp.wrapping_add(1);
        let accepted = tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            r = accept_tcp(&listeners.tcp, first_tcp) => r,
            r = accept_local(&listeners.local) => r,
        };
        let conn = match accepted {
            Ok(conn) => {
                backoff.reset();
                conn
            }
            Err(e) => {
                ctx.service
                    .metrics()
                    .connection_refused(crate::api::metrics::ConnectionRefusal::AcceptError);
                if fd_exhausted(&e) {
                    // Out of file descriptors: closing the longest-idle session frees one.
                    ctx.table.evict_idlest();
                }
                // Back off instead of spinning, and log once per period, not once per failure.
                let pause = backoff.failed(&e);
                tokio::select! {
                    _ = cancel.cancelled() => break,
                    _ = tokio::time::sleep(pause) => {}
                }
                continue;
            }
        };
        let key = conn.peer_key();
        if ctx.table.peer_full(key) {
            ctx.service
                .metrics()
                .connection_refused(crate::api::metrics::ConnectionRefusal::PeerLimit);
            if PEER_REFUSED.admit() {
                tracing::warn!(peer = ?key, "connection refused: peer at its connection cap");
            }
            continue;
        }
        let permit = match ctx.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                // At max_connections: make room by closing the longest-idle session; with every
                // session busy, the new client waits for one to end.
                if ctx.table.evict_idlest().is_none() {
                    ctx.service
                        .metrics()
                        .connection_refused(crate::api::metrics::ConnectionRefusal::MaxConnections);
                    if ALL_BUSY.admit() {
                        tracing::warn!(
                            "max_connections reached and no session is idle; new clients wait"
                        );
                    }
                }
                match wait_for_room(&ctx, &cancel).await {
                    Some(p) => p,
                    None => break,
                }
            }
        };
        match conn {
            Accepted::Tcp(stream, peer, settings) => {
                // Small request/answer pairs: do not let Nagle delay the answer.
                let _ = stream.set_nodelay(true);
                let peer = peer.to_string();
                spawn_session(&ctx, settings, stream, Transport::Tcp, key, peer, permit);
            }
            Accepted::Local(stream, settings) => {
                let peer = match key {
                    PeerKey::Uid(uid) => format!("uid {uid}"),
                    _ => "unix".to_owned(),
                };
                spawn_session(&ctx, settings, stream, Transport::Local, key, peer, permit);
            }
        }
    }
}

/// How often a client waiting at `max_connections` looks again for a session that became idle.
const EVICT_RETRY: Duration = Duration::from_millis(250);

/// Wait for a connection permit at `max_connections`, closing the longest-idle session as soon as
/// one is idle (the sessions were all busy when the client arrived). `None` on shutdown.
async fn wait_for_room(
    ctx: &AcceptContext,
    cancel: &tokio_util::sync::CancellationToken,
) -> Option<tokio::sync::OwnedSemaphorePermit> {
    loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => return None,
            p = ctx.permits.clone().acquire_owned() => return p.ok(),
            _ = tokio::time::sleep(EVICT_RETRY) => {
                ctx.table.evict_idlest();
            }
        }
    }
}

/// EMFILE or ENFILE: the process or the system is out of file descriptors.
fn fd_exhausted(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(code) if code == libc::EMFILE || code == libc::ENFILE)
}

enum Accepted {
    Tcp(tokio::net::TcpStream, SocketAddr, TransportSettings),
    Local(tokio::net::UnixStream, TransportSettings),
}

impl Accepted {
    /// The peer the per-peer caps count: the IP address over TCP, the user id over the Unix
    /// socket (from the kernel's peer credentials; unknown if they cannot be read).
    fn peer_key(&self) -> PeerKey {
        match self {
            Accepted::Tcp(_, peer, _) => PeerKey::Ip(peer.ip()),
            Accepted::Local(stream, _) => stream
                .peer_cred()
                .map_or(PeerKey::Unknown, |c| PeerKey::Uid(c.uid())),
        }
    }
}

/// The next connection on any of the TCP listeners, polling them from index `first` (modulo
/// their number) on; never resolves without listeners.
async fn accept_tcp(ls: &[(TcpListener, TransportSettings)], first: usize) -> io::Result<Accepted> {
    if ls.is_empty() {
        return std::future::pending().await;
    }
    std::future::poll_fn(|cx| {
        for i in 0..ls.len() {
            let (l, settings) = &ls[(first + i) % ls.len()];
            if let Poll::Ready(r) = l.poll_accept(cx) {
                return Poll::Ready(r.map(|(s, peer)| Accepted::Tcp(s, peer, *settings)));
            }
        }
        Poll::Pending
    })
    .await
}

async fn accept_local(l: &Option<(UnixListener, TransportSettings)>) -> io::Result<Accepted> {
    match l {
        Some((l, settings)) => {
            let (s, _) = l.accept().await?;
            Ok(Accepted::Local(s, *settings))
        }
        None => std::future::pending().await,
    }
}

fn spawn_session<S>(
    ctx: &AcceptContext,
    settings: TransportSettings,
    stream: S,
    transport: Transport,
    key: PeerKey,
    peer: String,
    permit: tokio::sync::OwnedSemaphorePermit,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let peer: Arc<str> = Arc::from(peer);
    // The session's own kill token: cancelled by the node's hard stop, an eviction or an admin
    // disconnect.
    let kill = ctx.shutdown.hard.child_token();
    let admitted: Admitted = ctx.table.admit(key, transport, peer.clone(), kill.clone());
    let (events, events_rx) = EventSink::channel(EVENT_QUEUE);
    let caller = Caller {
        session_id: admitted.id,
        transport,
        peer,
        allow_unsafe: settings.allow_unsafe,
        // nano-node's IPC runs control actions for every client.
        control: true,
        credentials: None,
        events,
        node: ctx.node.clone(),
        stats: admitted.stats.clone(),
    };
    let service = ctx.service.clone();
    let shutdown = SessionShutdown {
        graceful: ctx.shutdown.graceful.clone(),
        hard: kill,
    };
    let limits = settings.limits;
    let budget = ctx.table.request_bytes.clone();
    ctx.tracker.spawn(async move {
        let _permit = permit;
        let (id, peer) = (caller.session_id, caller.peer.clone());
        tracing::debug!(session = id, %transport, %peer, "session opened");
        let metrics = service.clone();
        metrics.metrics().session_opened();
        let end = session::run(stream, caller, limits, service, shutdown, events_rx, budget).await;
        metrics.metrics().session_closed();
        match (&end, admitted.kicked()) {
            (_, Some(kick)) => {
                tracing::debug!(session = id, %transport, %peer, reason = ?kick, "session closed by the node");
            }
            (SessionEnd::Closed | SessionEnd::Shutdown | SessionEnd::IdleTimeout, None) => {
                tracing::debug!(session = id, %transport, %peer, reason = %end, "session closed");
            }
            _ if SESSION_FAILED.admit() => {
                tracing::warn!(session = id, %transport, %peer, reason = %end, "session closed");
            }
            _ => {}
        }
        drop(admitted);
    });
}

/// Bind TCP on `address:port`.
pub async fn bind_tcp(addr: SocketAddr) -> Result<TcpListener, ServerError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::BindTcp { addr, source })
}

/// Tries with port 0 when the IPv6 loopback finds the IPv4 loopback's picked port taken.
const SHARED_PORT_ATTEMPTS: usize = 8;

/// Binds every address of the TCP transport ([`TcpConfig::addresses`]) on `config.port`, and
/// returns the listeners with their bound addresses.
///
/// - An explicit `address` binds exactly that one; any failure is an error.
/// - The default (both loopbacks) skips, with a warning, a loopback the host does not have (no
///   IPv6, say), and fails only when neither binds.
/// - With port 0 the loopbacks share one port: the first address picks it and the others bind
///   it; if another program holds it on the second loopback, the pair is retried with a fresh
///   pick, so a client may use either loopback with the one reported port.
pub async fn bind_tcp_all(
    config: &TcpConfig,
) -> Result<Vec<(TcpListener, SocketAddr)>, ServerError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match bind_tcp_once(config).await {
            Err(ServerError::BindTcp { addr, source })
                if config.port == 0
                    && source.kind() == io::ErrorKind::AddrInUse
                    && addr.port() != 0
                    && attempt < SHARED_PORT_ATTEMPTS =>
            {
                tracing::debug!(%addr, "picked tcp port taken on another loopback; retrying");
            }
            other => return other,
        }
    }
}

async fn bind_tcp_once(config: &TcpConfig) -> Result<Vec<(TcpListener, SocketAddr)>, ServerError> {
    let mut bound: Vec<(TcpListener, SocketAddr)> = Vec::new();
    let mut skipped = None;
    for ip in config.addresses() {
        // Port 0 is picked by the first listener that binds; the others share its port.
        let port = bound.first().map_or(config.port, |(_, a)| a.port());
        let addr = SocketAddr::new(ip, port);
        let result = match bind_tcp(addr).await {
            Ok(l) => l
                .local_addr()
                .map(|local| (l, local))
                .map_err(|source| ServerError::BindTcp { addr, source }),
            Err(e) => Err(e),
        };
        match result {
            Ok(pair) => bound.push(pair),
            Err(ServerError::BindTcp { addr, source })
                if config.is_default_address() && address_missing(&source) =>
            {
                tracing::warn!(%addr, error = %source, "loopback not available on this host; not listening on it");
                skipped = Some(ServerError::BindTcp { addr, source });
            }
            Err(e) => return Err(e),
        }
    }
    match (bound.is_empty(), skipped) {
        (true, Some(e)) => Err(e),
        _ => Ok(bound),
    }
}

/// The host lacks the address (no `::1` on the loopback interface) or its whole family (IPv6
/// disabled in the kernel: `EAFNOSUPPORT`, which std has no `ErrorKind` for).
fn address_missing(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    const EAFNOSUPPORT: Option<i32> = Some(97);
    #[cfg(target_os = "macos")]
    const EAFNOSUPPORT: Option<i32> = Some(47);
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    const EAFNOSUPPORT: Option<i32> = None;
    e.kind() == io::ErrorKind::AddrNotAvailable
        || (EAFNOSUPPORT.is_some() && e.raw_os_error() == EAFNOSUPPORT)
}

/// The socket file this node created, removed on shutdown only if it is still the same file (so a
/// node that lost its path to another never deletes the other's socket).
#[derive(Debug)]
pub struct SocketFile {
    path: PathBuf,
    dev: u64,
    ino: u64,
}

impl SocketFile {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Remove the socket file if it is still ours.
    pub fn remove(&self) {
        if let Ok(meta) = std::fs::symlink_metadata(&self.path) {
            if meta.dev() == self.dev && meta.ino() == self.ino {
                if let Err(e) = std::fs::remove_file(&self.path) {
                    tracing::warn!(path = %self.path.display(), error = %e, "cannot remove socket file");
                }
            }
        }
    }
}

/// Bind the Unix socket at `path` with file mode `mode`. An existing socket file is probed first:
/// if a node answers, that is an error; if nothing listens (a dead node's leftover) it is replaced.
/// A non-socket file at the path is never removed.
pub fn bind_local(path: &Path, mode: u32) -> Result<(UnixListener, SocketFile), ServerError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => {
            if !meta.file_type().is_socket() {
                return Err(ServerError::NotASocket(path.to_owned()));
            }
            match std::os::unix::net::UnixStream::connect(path) {
                Ok(_) => return Err(ServerError::AlreadyRunning(path.to_owned())),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionRefused | io::ErrorKind::NotFound
                    ) =>
                {
                    tracing::info!(path = %path.display(), "replacing stale socket file");
                    match std::fs::remove_file(path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(source) => return Err(ServerError::bind_local(path, source)),
                    }
                }
                Err(source) => return Err(ServerError::bind_local(path, source)),
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(source) => return Err(ServerError::bind_local(path, source)),
    }
    let listener = UnixListener::bind(path).map_err(|s| ServerError::bind_local(path, s))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|s| ServerError::bind_local(path, s))?;
    let meta = std::fs::symlink_metadata(path).map_err(|s| ServerError::bind_local(path, s))?;
    Ok((
        listener,
        SocketFile {
            path: path.to_owned(),
            dev: meta.dev(),
            ino: meta.ino(),
        },
    ))
}
