//! The IPC server: binds the configured transports, runs their accept loops and sessions under one
//! `TaskTracker`, and shuts down in two steps — stop accepting and reading (graceful token), then,
//! after `shutdown_timeout`, abandon writes still in progress (hard token) — and finally removes the
//! socket file. `nanoipc node` and the tests start it through [`IpcServer::start`].

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::error::ServerError;
use super::fdlimit;
use super::listener::{self, AcceptContext, Listeners, SocketFile, TransportSettings};
use super::session::{SessionLimits, SessionShutdown};
use super::table::{PeerCaps, RequestBytes, SessionTable};
use crate::api::{NodeControl, Service};
use crate::config::IpcConfig;

/// Entry point.
pub struct IpcServer;

impl IpcServer {
    /// Bind every enabled transport in `config` and start serving `service`. Returns once the
    /// listeners are bound (a test can connect immediately). TCP port 0 picks a free port (one
    /// for both loopbacks under the default address); read it back with
    /// [`RunningServer::tcp_addrs`].
    pub async fn start(
        config: &IpcConfig,
        service: Arc<dyn Service>,
    ) -> Result<RunningServer, ServerError> {
        Self::start_with_shutdown(config, service, CancellationToken::new()).await
    }

    /// As [`IpcServer::start`], stopping when `shutdown` is cancelled (by a signal, by `stop`, or
    /// by the owner).
    pub async fn start_with_shutdown(
        config: &IpcConfig,
        service: Arc<dyn Service>,
        shutdown: CancellationToken,
    ) -> Result<RunningServer, ServerError> {
        if !config.local.enable && !config.tcp.enable {
            return Err(ServerError::NoTransport);
        }
        let mut tcp = Vec::new();
        if config.tcp.enable {
            tcp = listener::bind_tcp_all(&config.tcp).await?;
        }
        let tcp_addrs: Vec<SocketAddr> = tcp.iter().map(|(_, a)| *a).collect();
        let mut local = None;
        if config.local.enable {
            let mode = config.local.mode().ok_or(ServerError::BadMode)?;
            local = Some(listener::bind_local(&config.local.path, mode)?);
        }

        let hard = CancellationToken::new();
        let tracker = TaskTracker::new();
        let budgets = &config.budgets;
        let max_connections =
            fdlimit::fit_connections(config.max_connections, fdlimit::raise_nofile());
        if max_connections < config.max_connections {
            tracing::warn!(
                configured = config.max_connections,
                max_connections,
                "max_connections lowered to fit the file-descriptor limit"
            );
        }
        let table = SessionTable::new(
            PeerCaps {
                per_ip: budgets.max_connections_per_ip,
                per_uid: budgets.max_connections_per_uid,
            },
            RequestBytes::new(budgets.max_pending_request_bytes),
        );
        let node = NodeControl::new(shutdown.clone())
            .with_in_flight_cap(
                usize::try_from(budgets.max_requests_in_flight).unwrap_or(usize::MAX),
            )
            .with_admin(table.clone());
        let ctx = AcceptContext {
            service,
            node: node.clone(),
            shutdown: SessionShutdown {
                graceful: shutdown.clone(),
                hard: hard.clone(),
            },
            tracker: tracker.clone(),
            permits: Arc::new(Semaphore::new(
                usize::try_from(max_connections).unwrap_or(usize::MAX),
            )),
            table,
        };
        let settings = |io_timeout: u64, allow_unsafe: bool| TransportSettings {
            limits: SessionLimits {
                io_timeout: Duration::from_secs(io_timeout),
                idle_timeout: (config.idle_timeout > 0)
                    .then(|| Duration::from_secs(config.idle_timeout)),
                max_request_size: config.max_request_size,
                error_budget: budgets.error_budget,
                max_unwritten: usize::try_from(budgets.max_unwritten_bytes).unwrap_or(usize::MAX),
            },
            allow_unsafe,
        };
        let mut listeners = Listeners::default();
        for (l, addr) in tcp {
            tracing::info!(%addr, "ipc tcp listening");
            listeners
                .tcp
                .push((l, settings(config.tcp.io_timeout, config.tcp.allow_unsafe)));
        }
        let mut socket_file = None;
        if let Some((l, file)) = local {
            tracing::info!(path = %file.path().display(), "ipc local socket listening");
            listeners.local = Some((
                l,
                settings(config.local.io_timeout, config.local.allow_unsafe),
            ));
            socket_file = Some(file);
        }
        tracker.spawn(listener::accept_loop(listeners, ctx));
        Ok(RunningServer {
            node,
            tcp_addrs,
            socket_file,
            shutdown,
            hard,
            tracker,
            grace: Duration::from_secs(config.shutdown_timeout),
        })
    }
}

/// A started server. Dropping it without [`RunningServer::shutdown`] cancels everything at once
/// and removes the socket file.
#[derive(Debug)]
pub struct RunningServer {
    node: NodeControl,
    tcp_addrs: Vec<SocketAddr>,
    socket_file: Option<SocketFile>,
    shutdown: CancellationToken,
    hard: CancellationToken,
    tracker: TaskTracker,
    grace: Duration,
}

/// How a shutdown went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShutdownOutcome {
    /// Every session finished within the bound.
    Drained,
    /// Some sessions were still writing when the bound passed and were abandoned.
    Abandoned,
}

impl RunningServer {
    /// The first bound TCP address (with the real port when configured with 0): the IPv4
    /// loopback under the default address, if the host has it.
    pub fn tcp_addr(&self) -> Option<SocketAddr> {
        self.tcp_addrs.first().copied()
    }

    /// Every bound TCP address, in [`TcpConfig::addresses`](crate::config::TcpConfig::addresses)
    /// order. Under the default (both loopbacks) they share one port, also with port 0.
    pub fn tcp_addrs(&self) -> &[SocketAddr] {
        &self.tcp_addrs
    }

    /// The local socket path, if that transport is enabled.
    pub fn local_path(&self) -> Option<&Path> {
        self.socket_file.as_ref().map(SocketFile::path)
    }

    /// The node controls every session's caller has: stop, the in-flight cap and the session
    /// table (what `stop` and the admin requests use).
    pub fn node_control(&self) -> NodeControl {
        self.node.clone()
    }

    /// Resolves once a stop was requested (signal, `stop` action, or `node_control`).
    pub async fn stop_requested(&self) {
        self.shutdown.cancelled().await
    }

    /// Stop accepting, let sessions write what they already answered (up to `shutdown_timeout`),
    /// then abandon the rest and remove the socket file.
    pub async fn shutdown(self) -> ShutdownOutcome {
        self.shutdown.cancel();
        self.tracker.close();
        let outcome = match tokio::time::timeout(self.grace, self.tracker.wait()).await {
            Ok(()) => ShutdownOutcome::Drained,
            Err(_) => {
                self.hard.cancel();
                self.tracker.wait().await;
                ShutdownOutcome::Abandoned
            }
        };
        if let Some(file) = &self.socket_file {
            file.remove();
        }
        tracing::info!(?outcome, "ipc server stopped");
        outcome
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.shutdown.cancel();
        self.hard.cancel();
        self.tracker.close();
        if let Some(file) = self.socket_file.take() {
            file.remove();
        }
    }
}

/// SIGINT and SIGTERM, caught from the moment [`TerminationSignals::install`] returns.
///
/// Installed before the node starts serving: a signal that arrives while the listeners open (a
/// supervisor stopping a node that just started) must stop the node gracefully, not kill it with
/// the default action.
pub struct TerminationSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl TerminationSignals {
    pub fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(TerminationSignals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    /// Resolves on the next SIGINT or SIGTERM (or one that arrived since installation).
    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
        }
    }
}
