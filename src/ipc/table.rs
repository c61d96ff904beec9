//! The session table: every open session with its counters, the connections per peer, and the
//! node-wide byte budget for partly received requests. The accept loop admits and evicts through
//! it; the admin requests read and steer it through [`SessionAdmin`].
//!
//! The table's mutex is taken only when a session opens or closes and by admin requests; a session
//! records its requests, bytes and activity in its own [`SessionStats`] atomics, lock-free.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::api::admin::{NodeLoad, SessionAdmin, SessionSnapshot, SessionStats};
use crate::api::Transport;

/// Who a connection comes from, for the per-peer caps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeerKey {
    /// A TCP client's IP address.
    Ip(IpAddr),
    /// A Unix-socket client's user id.
    Uid(u32),
    /// A peer that cannot be identified (its credentials could not be read): never capped.
    Unknown,
}

/// Caps on connections per peer; 0 means no cap.
#[derive(Clone, Copy, Debug, Default)]
pub struct PeerCaps {
    pub per_ip: u32,
    pub per_uid: u32,
}

impl PeerCaps {
    fn cap(&self, key: PeerKey) -> Option<u32> {
        let cap = match key {
            PeerKey::Ip(_) => self.per_ip,
            PeerKey::Uid(_) => self.per_uid,
            PeerKey::Unknown => 0,
        };
        (cap > 0).then_some(cap)
    }
}

/// Why a session was closed by the node rather than by its client, for the log line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kick {
    /// Closed to admit a new client at `max_connections` (it was the longest idle).
    Evicted,
    /// Closed by a `SessionDisconnect` request.
    Disconnected,
}

struct Entry {
    stats: Arc<SessionStats>,
    transport: Transport,
    peer: Arc<str>,
    key: PeerKey,
    opened: Instant,
    kill: CancellationToken,
    kicked: Option<Kick>,
}

#[derive(Default)]
struct Inner {
    sessions: BTreeMap<u64, Entry>,
    peers: HashMap<PeerKey, u32>,
}

/// The node's open sessions.
pub struct SessionTable {
    caps: PeerCaps,
    inner: Mutex<Inner>,
    next_id: AtomicU64,
    /// Errors of sessions already closed, so `GetInfo` counts every error since start.
    closed_errors: AtomicU64,
    /// The byte budget for partly received requests, shared by every session.
    pub request_bytes: RequestBytes,
}

/// A session's place in the table; removes it (and its peer count) when dropped.
pub struct Admitted {
    pub id: u64,
    pub stats: Arc<SessionStats>,
    /// Cancelled to close this session at once (eviction, `SessionDisconnect`, hard shutdown).
    pub kill: CancellationToken,
    table: Arc<SessionTable>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.table.remove(self.id);
    }
}

impl Admitted {
    /// Why the node closed this session, if it did.
    pub fn kicked(&self) -> Option<Kick> {
        self.table
            .lock()
            .sessions
            .get(&self.id)
            .and_then(|e| e.kicked)
    }
}

impl SessionTable {
    /// An empty table with `caps` per peer and `request_bytes` shared by all sessions.
    pub fn new(caps: PeerCaps, request_bytes: RequestBytes) -> Arc<Self> {
        Arc::new(SessionTable {
            caps,
            inner: Mutex::default(),
            next_id: AtomicU64::new(1),
            closed_errors: AtomicU64::new(0),
            request_bytes,
        })
    }

    /// A poisoned lock only means another session panicked while holding it; the table's data
    /// is still consistent (every update is one insert or remove), so keep serving.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether `key` is at its connection cap.
    pub fn peer_full(&self, key: PeerKey) -> bool {
        let Some(cap) = self.caps.cap(key) else {
            return false;
        };
        self.lock().peers.get(&key).copied().unwrap_or(0) >= cap
    }

    /// Enter a new session. `kill` is its own token (a child of the node's hard-stop token).
    pub fn admit(
        self: &Arc<Self>,
        key: PeerKey,
        transport: Transport,
        peer: Arc<str>,
        kill: CancellationToken,
    ) -> Admitted {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let stats = Arc::new(SessionStats::default());
        stats.touch();
        let mut inner = self.lock();
        *inner.peers.entry(key).or_insert(0) += 1;
        inner.sessions.insert(
            id,
            Entry {
                stats: stats.clone(),
                transport,
                peer,
                key,
                opened: Instant::now(),
                kill: kill.clone(),
                kicked: None,
            },
        );
        Admitted {
            id,
            stats,
            kill,
            table: self.clone(),
        }
    }

    fn remove(&self, id: u64) {
        let mut inner = self.lock();
        if let Some(entry) = inner.sessions.remove(&id) {
            self.closed_errors
                .fetch_add(entry.stats.errors(), Ordering::Relaxed);
            if let Some(n) = inner.peers.get_mut(&entry.key) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    inner.peers.remove(&entry.key);
                }
            }
        }
    }

    /// Close the session that has been idle longest (nothing in flight, not already closing), to
    /// make room for a new client. Returns its id, or `None` when every session is busy.
    pub fn evict_idlest(&self) -> Option<u64> {
        let mut inner = self.lock();
        let (id, entry) = inner
            .sessions
            .iter_mut()
            .filter(|(_, e)| e.kicked.is_none())
            .filter(|(_, e)| e.stats.in_flight.load(Ordering::Relaxed) == 0)
            .min_by_key(|(_, e)| e.stats.last_active_ms.load(Ordering::Relaxed))?;
        entry.kicked = Some(Kick::Evicted);
        entry.kill.cancel();
        Some(*id)
    }

    fn snapshot(&self, id: u64, e: &Entry) -> SessionSnapshot {
        let s = &e.stats;
        SessionSnapshot {
            id,
            transport: e.transport,
            peer: e.peer.clone(),
            requests: s.requests.load(Ordering::Relaxed),
            bytes_in: s.bytes_in.load(Ordering::Relaxed),
            bytes_out: s.bytes_out.load(Ordering::Relaxed),
            errors: s.errors(),
            age: e.opened.elapsed(),
            logging: s.logging.load(Ordering::Relaxed),
            paused: s.paused.load(Ordering::Relaxed),
        }
    }
}

impl SessionAdmin for SessionTable {
    fn load(&self) -> NodeLoad {
        let inner = self.lock();
        let live = inner.sessions.values().map(|e| &e.stats);
        let (errors, paused) = live.fold((0u64, 0u64), |(errors, paused), s| {
            (
                errors.saturating_add(s.errors()),
                paused + u64::from(s.paused.load(Ordering::Relaxed)),
            )
        });
        NodeLoad {
            sessions: inner.sessions.len() as u64,
            errors: errors.saturating_add(self.closed_errors.load(Ordering::Relaxed)),
            paused_sessions: paused,
            pending_request_bytes: self.request_bytes.held() as u64,
        }
    }

    fn sessions(&self) -> Vec<SessionSnapshot> {
        let inner = self.lock();
        inner
            .sessions
            .iter()
            .map(|(id, e)| self.snapshot(*id, e))
            .collect()
    }

    fn disconnect(&self, ids: &[u64]) -> Vec<u64> {
        let mut inner = self.lock();
        let mut done = Vec::new();
        for id in ids {
            if let Some(e) = inner.sessions.get_mut(id) {
                if e.kicked.is_none() {
                    e.kicked = Some(Kick::Disconnected);
                    e.kill.cancel();
                    done.push(*id);
                }
            }
        }
        done
    }

    fn toggle_log(&self, ids: &[u64]) -> Vec<(u64, bool)> {
        let inner = self.lock();
        ids.iter()
            .filter_map(|id| {
                let e = inner.sessions.get(id)?;
                // fetch_xor(true) flips the flag and returns the old value.
                let was = e.stats.logging.fetch_xor(true, Ordering::Relaxed);
                Some((*id, !was))
            })
            .collect()
    }
}

/// The node-wide budget of bytes held in partly received requests: a semaphore of bytes. A
/// session takes permits before buffering more of a request and gives them back once the
/// request is served (or the session ends).
#[derive(Clone, Debug)]
pub struct RequestBytes {
    sem: Arc<Semaphore>,
    cap: usize,
}

impl RequestBytes {
    /// A budget of `cap` bytes.
    pub fn new(cap: u64) -> Self {
        let cap = usize::try_from(cap)
            .unwrap_or(usize::MAX)
            .min(Semaphore::MAX_PERMITS);
        RequestBytes {
            sem: Arc::new(Semaphore::new(cap)),
            cap,
        }
    }

    /// Bytes taken now, over every session.
    pub fn held(&self) -> usize {
        self.cap.saturating_sub(self.sem.available_permits())
    }

    /// Take `n` bytes if they are free now.
    pub fn try_take(&self, n: u32) -> bool {
        match self.sem.try_acquire_many(n) {
            Ok(p) => {
                p.forget();
                true
            }
            Err(_) => false,
        }
    }

    /// Wait until `n` bytes are free and take them. Never resolves for more than the budget.
    pub async fn take(&self, n: u32) {
        match self.sem.acquire_many(n).await {
            Ok(p) => p.forget(),
            // The semaphore is never closed; wait forever rather than take what is not there.
            Err(_) => std::future::pending().await,
        }
    }

    /// Give back `n` bytes taken earlier.
    pub fn give(&self, n: usize) {
        if n > 0 {
            self.sem.add_permits(n);
        }
    }
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
