//! Session admin: what a transport tells the API about its sessions, and the `node_admin` requests
//! that read and steer them (`GetInfo`, `Sessions`, `SessionDisconnect`, `SessionLog`).
//!
//! The API owns the vocabulary ([`SessionStats`], [`SessionAdmin`]); the IPC transport owns the
//! session table and implements [`SessionAdmin`] for it, handing it to every [`Caller`] through
//! [`NodeControl`](super::NodeControl). The dependency so points `ipc → api` only.
//!
//! Until access control is enforced (every caller is the default user today) these requests are
//! served only to a caller whose transport has `allow_unsafe`; others get `Access denied`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::{Api, ApiError, Caller, Transport};
use crate::schema::{
    GetInfo, GetInfoResponse, GetInfoResponseT, SessionDisconnect, SessionDisconnectResponse,
    SessionDisconnectResponseT, SessionInfoT, SessionLog, SessionLogResponse, SessionLogResponseT,
    SessionLogStateT, Sessions, SessionsResponse, SessionsResponseT,
};

/// Per-session counters, shared between the session that updates them (lock-free, on its own
/// task) and the admin requests that read them. Relaxed atomics: each figure is a tally, and no
/// figure is used to order memory.
#[derive(Debug, Default)]
pub struct SessionStats {
    /// Requests the session has made.
    pub requests: AtomicU64,
    /// Malformed or refused requests counted against the session's error budget.
    pub errors: AtomicU64,
    /// Request bytes read from the client.
    pub bytes_in: AtomicU64,
    /// Answer bytes written to the client.
    pub bytes_out: AtomicU64,
    /// Answers being produced off the async workers; a session with none is idle.
    pub in_flight: AtomicU64,
    /// When the session last read or wrote, in [`monotonic_ms`].
    pub last_active_ms: AtomicU64,
    /// Whether the session logs each request (toggled by `SessionLog`).
    pub logging: AtomicBool,
    /// Whether the session is paused now: its client does not read its answers.
    pub paused: AtomicBool,
}

impl SessionStats {
    /// Count one malformed or refused request against the session.
    pub fn note_error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }

    /// Record activity now (a read or a write), for the idle ordering of evictions.
    pub fn touch(&self) {
        self.last_active_ms.store(monotonic_ms(), Ordering::Relaxed);
    }

    /// Malformed or refused requests so far.
    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }
}

/// Milliseconds on a process-wide monotonic clock (from its first use): what
/// [`SessionStats::last_active_ms`] holds.
pub fn monotonic_ms() -> u64 {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let epoch = EPOCH.get_or_init(std::time::Instant::now);
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Whether `error` counts against the session that caused it: requests that are malformed
/// (unparseable, unknown) or refused (access, size). A valid request that fails for ledger reasons
/// (`Account not found`, a rejected block) or for the node's own reasons (overloaded, not
/// implemented) is an ordinary answer and costs the session nothing.
pub fn counts_against_session(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::InvalidMessageFormat(_)
            | ApiError::UnknownMessage(_)
            | ApiError::AccessDenied
            | ApiError::RequestTooLarge { .. }
    )
}

/// The session table's figures for `GetInfo` (the API adds requests in flight, uptime and the
/// ledger counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeLoad {
    pub sessions: u64,
    /// Errors counted against sessions since start, including closed sessions.
    pub errors: u64,
    pub paused_sessions: u64,
    pub pending_request_bytes: u64,
}

/// One open session, as `Sessions` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSnapshot {
    pub id: u64,
    pub transport: Transport,
    pub peer: Arc<str>,
    pub requests: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub errors: u64,
    pub age: Duration,
    pub logging: bool,
    pub paused: bool,
}

/// The session table as the API sees it; implemented by the IPC transport.
pub trait SessionAdmin: Send + Sync + 'static {
    /// Node-wide figures.
    fn load(&self) -> NodeLoad;
    /// Every open session, oldest first.
    fn sessions(&self) -> Vec<SessionSnapshot>;
    /// Close the sessions named in `ids`; returns the ids that were open.
    fn disconnect(&self, ids: &[u64]) -> Vec<u64>;
    /// Toggle request logging of the sessions named in `ids`; returns the open ones with their new
    /// state.
    fn toggle_log(&self, ids: &[u64]) -> Vec<(u64, bool)>;
}

impl Api {
    /// The session table, for a caller allowed to use it: `Access denied` without the
    /// transport's `allow_unsafe` (the stand-in for `node_admin` until access control is
    /// enforced), `Not implemented` where no transport registered a table (in-process use).
    fn session_admin<'c>(
        caller: &'c Caller,
        method: &'static str,
    ) -> Result<&'c Arc<dyn SessionAdmin>, ApiError> {
        if !caller.allow_unsafe {
            return Err(ApiError::AccessDenied);
        }
        caller.node.admin().ok_or(ApiError::NotImplemented(method))
    }

    pub(super) fn get_info<'b>(
        &self,
        ctx: &Caller,
        _req: GetInfo<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<GetInfoResponse<'b>>, ApiError> {
        let load = Self::session_admin(ctx, "GetInfo")?.load();
        let blocks = self.block_counts()?;
        let accounts = self.ledger.account_count()?;
        Ok(GetInfoResponseT {
            sessions: load.sessions,
            requests_in_flight: ctx.node.requests_in_flight() as u64,
            errors: load.errors,
            paused_sessions: load.paused_sessions,
            pending_request_bytes: load.pending_request_bytes,
            uptime: self.uptime_seconds(),
            block_count: blocks.count,
            cemented_count: blocks.cemented,
            account_count: accounts,
        }
        .pack(fbb))
    }

    pub(super) fn sessions<'b>(
        &self,
        ctx: &Caller,
        _req: Sessions<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<SessionsResponse<'b>>, ApiError> {
        let sessions = Self::session_admin(ctx, "Sessions")?
            .sessions()
            .into_iter()
            .map(|s| SessionInfoT {
                id: s.id,
                transport: s.transport.to_string(),
                peer: s.peer.to_string(),
                requests: s.requests,
                bytes_in: s.bytes_in,
                bytes_out: s.bytes_out,
                errors: s.errors,
                age: s.age.as_secs(),
                logging: s.logging,
                paused: s.paused,
            })
            .collect();
        Ok(SessionsResponseT { sessions }.pack(fbb))
    }

    pub(super) fn session_disconnect<'b>(
        &self,
        ctx: &Caller,
        req: SessionDisconnect<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<SessionDisconnectResponse<'b>>, ApiError> {
        let admin = Self::session_admin(ctx, "SessionDisconnect")?;
        let ids: Vec<u64> = req.ids().map(|v| v.iter().collect()).unwrap_or_default();
        let disconnected = admin.disconnect(&ids);
        Ok(SessionDisconnectResponseT { disconnected }.pack(fbb))
    }

    pub(super) fn session_log<'b>(
        &self,
        ctx: &Caller,
        req: SessionLog<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<SessionLogResponse<'b>>, ApiError> {
        let admin = Self::session_admin(ctx, "SessionLog")?;
        let ids: Vec<u64> = req.ids().map(|v| v.iter().collect()).unwrap_or_default();
        let sessions = admin
            .toggle_log(&ids)
            .into_iter()
            .map(|(id, logging)| SessionLogStateT { id, logging })
            .collect();
        Ok(SessionLogResponseT { sessions }.pack(fbb))
    }
}
