//! The two transports: a TCP listener and a Unix-domain-socket listener, and the accept loop they
//! share. A connection permit is taken *before* `accept`, so at most `max_connections` sessions
//! exist and further clients wait in the kernel's backlog instead of costing memory here.

use std::io;
use std::net::SocketAddr;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::Semaphore;
use tokio_util::task::TaskTracker;

use super::error::ServerError;
use super::session::{self, SessionEnd, SessionLimits, SessionShutdown};
use crate::api::{Caller, EventSink, NodeControl, Service, Transport};
use crate::config::TcpConfig;

/// Events a session may have waiting before the node drops further ones for it.
const EVENT_QUEUE: usize = 1024;

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
    pub next_id: Arc<AtomicU64>,
}

/// Accept connections on every listener until the graceful-shutdown token fires, spawning one
/// tracked task each. One loop serves both transports so that the single permit taken before
/// `accept` goes to whichever transport has a client; a loop per transport would park a permit in
/// an idle listener and starve the other one when the limit is reached.
pub async fn accept_loop(listeners: Listeners, ctx: AcceptContext) {
    let cancel = ctx.shutdown.graceful.clone();
    // Which TCP listener is polled first; rotated so a busy one cannot starve the others.
    let mut first_tcp = 0usize;
    loop {
        first_tcp = first_tcp.wrapping_add(1);
        let permit = tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            p = ctx.permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            r = accept_tcp(&listeners.tcp, first_tcp) => r,
            r = accept_local(&listeners.local) => r,
        };
        match accepted {
            Ok(Accepted::Tcp(stream, peer, settings)) => {
                // Small request/answer pairs: do not let Nagle delay the answer.
                let _ = stream.set_nodelay(true);
                spawn_session(&ctx, settings, stream, Transport::Tcp, peer, permit);
            }
            Ok(Accepted::Local(stream, settings)) => {
                let peer = "unix".to_owned();
                spawn_session(&ctx, settings, stream, Transport::Local, peer, permit);
            }
            Err(e) => {
                drop(permit);
                ctx.service
                    .metrics()
                    .connection_refused(crate::api::metrics::ConnectionRefusal::AcceptError);
                // Out of file descriptors and similar: back off briefly instead of spinning.
                tracing::warn!(error = %e, "accept failed");
                tokio::select! {
                    _ = cancel.cancelled() => break,
                    _ = tokio::time::sleep(Duration::from_millis(50)) => {}
                }
            }
        }
    }
}

enum Accepted {
    Tcp(tokio::net::TcpStream, String, TransportSettings),
    Local(tokio::net::UnixStream, TransportSettings),
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
                return Poll::Ready(
                    r.map(|(s, peer)| Accepted::Tcp(s, peer.to_string(), *settings)),
                );
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
    peer: String,
    permit: tokio::sync::OwnedSemaphorePermit,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (events, events_rx) = EventSink::channel(EVENT_QUEUE);
    let caller = Caller {
        session_id: ctx.next_id.fetch_add(1, Ordering::Relaxed),
        transport,
        peer: Arc::from(peer),
        allow_unsafe: settings.allow_unsafe,
        // nano-node's IPC runs control actions for every client.
        control: true,
        credentials: None,
        events,
        node: ctx.node.clone(),
    };
    let service = ctx.service.clone();
    let shutdown = ctx.shutdown.clone();
    let limits = settings.limits;
    ctx.tracker.spawn(async move {
        let _permit = permit;
        let (id, peer) = (caller.session_id, caller.peer.clone());
        tracing::debug!(session = id, %transport, %peer, "session opened");
        let metrics = service.clone();
        metrics.metrics().session_opened();
        let end = session::run(stream, caller, limits, service, shutdown, events_rx).await;
        metrics.metrics().session_closed();
        match &end {
            SessionEnd::Closed | SessionEnd::Shutdown | SessionEnd::IdleTimeout => {
                tracing::debug!(session = id, %transport, %peer, reason = %end, "session closed");
            }
            _ => tracing::warn!(session = id, %transport, %peer, reason = %end, "session closed"),
        }
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
