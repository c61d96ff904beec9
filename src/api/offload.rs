//! Which requests leave the async workers, and how many costly reads run at once.
//!
//! A runtime worker serves many sessions; a request answered on it holds every other session
//! served there for as long as it runs. Requests are answered inline only when their cost is
//! small and bounded by the request itself (an `IsAlive`, one account's record, a short history);
//! everything else is a [`Cost`] the core defers:
//!
//! - [`Cost::Blocking`]: handlers that wait (the ledger writer, proof-of-work) go straight to the
//!   blocking pool, as before; proof-of-work has its own limit (`api::work`).
//! - [`Cost::Heavy`]: reads whose work grows with what the client asked for (a large body, a large
//!   count or list, a full-table scan) run on the blocking pool too, but at most
//!   [`OffloadLimits::heavy_slots`] at once node-wide, taken in arrival order. A session's answers
//!   are awaited in request order and a deferred read starts only when it is the session's oldest
//!   unanswered request, so one session holds at most one slot however deep it pipelines, and the
//!   slots are shared fairly between sessions. Leaving cores free for the async workers is what
//!   keeps a probe's latency low while every slot is busy.
//!
//! The thresholds are set so that an inline request costs well under a millisecond.
//!
//! How much one request can do. nano-node caps no count or list (`count` of `account_history`,
//! `chain`, `receivable`, `frontiers`, `representatives`, `ledger`, and the `accounts`/`hashes`
//! lists are read as given; only `delegators` defaults to 1024); its RPC bounds a request by
//! `max_request_size` (32 MiB) and `max_json_depth` (20). This node keeps those bounds and adds:
//! - input: `max_request_size` (32 MiB, nano-node's default), legacy JSON nesting ≤ 16, and the v2
//!   verifier's limits (depth 32, 100,000 tables, apparent size ≤ 64 × the body), so a list of
//!   accounts or hashes is bounded by the body; each entry costs O(1) reads (balances and
//!   receivable totals are kept by the writer, `ledger::totals`);
//! - CPU: a costly request holds one heavy slot for its whole run, a connection at most one, so
//!   `heavy_slots` bounds the cores costly reads take however many clients send them;
//! - output: bounded by the ledger (a history is at most the chain); an answer-size budget
//!   belongs with the node-wide memory budgets (issue 8, items 1 and 3) and is not applied here.

use std::sync::Arc;

use bytes::BytesMut;
use tokio::sync::Semaphore;

use super::core::Pending;
use crate::schema::{Envelope, Message};

/// How a request is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost {
    /// Answered inline on the async worker: small and bounded by the request itself.
    Cheap,
    /// Waits for the ledger writer or proof-of-work: straight to the blocking pool.
    Blocking,
    /// A costly read: the blocking pool, behind one of the heavy slots.
    Heavy,
}

/// When requests are costly (`[node.ipc.offload]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OffloadLimits {
    /// A request body larger than this (bytes) is parsed and answered off the async workers,
    /// whatever it asks: parsing alone is proportional to its size.
    pub large_body: usize,
    /// A request asking for more entries than this (a count, an offset, a list of accounts or
    /// hashes) is costly.
    pub large_count: u64,
    /// Costly reads running at once, node-wide; 0 picks half the cores (at least one).
    pub heavy_slots: usize,
}

impl Default for OffloadLimits {
    fn default() -> Self {
        OffloadLimits {
            large_body: 64 * 1024,
            large_count: 128,
            heavy_slots: 0,
        }
    }
}

impl OffloadLimits {
    /// The slot count in force: `heavy_slots`, or half the cores (at least one) when 0.
    pub fn effective_slots(&self) -> usize {
        if self.heavy_slots > 0 {
            return self.heavy_slots;
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        (cores / 2).max(1)
    }

    /// Whether a count (or offset, or list length) makes a request costly.
    pub fn is_large(&self, n: u64) -> bool {
        n > self.large_count
    }
}

/// The limits and the node-wide heavy slots, shared by every clone of the [`super::Api`].
#[derive(Clone, Debug)]
pub struct Offload {
    limits: OffloadLimits,
    slots: Arc<Semaphore>,
}

impl Default for Offload {
    fn default() -> Self {
        Offload::new(OffloadLimits::default())
    }
}

impl Offload {
    /// Offloading with `limits`.
    pub fn new(limits: OffloadLimits) -> Self {
        Offload {
            slots: Arc::new(Semaphore::new(limits.effective_slots())),
            limits,
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &OffloadLimits {
        &self.limits
    }

    /// Whether a body of `len` bytes is costly by its size alone.
    pub fn body_is_large(&self, len: usize) -> bool {
        len > self.limits.large_body
    }

    /// Runs `produce` as `cost` says (`Cheap` is the caller's to answer inline; here it runs at
    /// once on the blocking pool like `Blocking`).
    pub fn run(
        &self,
        cost: Cost,
        produce: impl FnOnce() -> BytesMut + Send + 'static,
        on_panic: impl FnOnce() -> BytesMut + Send + 'static,
    ) -> Pending {
        match cost {
            Cost::Heavy => Pending::limited(self.slots.clone(), produce, on_panic),
            Cost::Cheap | Cost::Blocking => Pending::blocking(produce, on_panic),
        }
    }

    /// What a verified v2 request envelope costs: by its message type, and for the list reads by
    /// the count, offset or list length it asks for.
    pub fn v2_cost(&self, env: &Envelope<'_>) -> Cost {
        let l = &self.limits;
        let large = |n: u64| l.is_large(n);
        let list = |n: Option<usize>| large(n.unwrap_or(0) as u64);
        let heavy = |yes: bool| if yes { Cost::Heavy } else { Cost::Cheap };
        match env.message_type() {
            tag if super::v2::runs_blocking(tag) => Cost::Blocking,
            // A filter or an offset walks blocks that are not returned.
            Message::AccountHistory => heavy(env.message_as_account_history().is_some_and(|m| {
                large(m.count())
                    || large(m.offset())
                    || m.account_filter().is_some_and(|f| !f.is_empty())
            })),
            Message::Chain => heavy(
                env.message_as_chain()
                    .is_some_and(|m| large(m.count()) || large(m.offset())),
            ),
            Message::Successors => heavy(
                env.message_as_successors()
                    .is_some_and(|m| large(m.count()) || large(m.offset())),
            ),
            // A threshold skips entries that are not returned.
            Message::Receivable => {
                heavy(env.message_as_receivable().is_some_and(|m| {
                    large(m.count()) || large(m.offset()) || m.threshold().is_some()
                }))
            }
            Message::Frontiers => {
                heavy(env.message_as_frontiers().is_some_and(|m| large(m.count())))
            }
            Message::AccountsBalances => heavy(
                env.message_as_accounts_balances()
                    .is_some_and(|m| list(m.accounts().map(|v| v.len()))),
            ),
            Message::Blocks => heavy(
                env.message_as_blocks()
                    .is_some_and(|m| list(m.hashes().map(|v| v.len()))),
            ),
            // Both read a whole table whatever the count: every delegating account, every weight.
            Message::Delegators | Message::Representatives => Cost::Heavy,
            _ => Cost::Cheap,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_default_to_half_the_cores_and_at_least_one() {
        let auto = OffloadLimits::default().effective_slots();
        assert!(auto >= 1);
        let fixed = OffloadLimits {
            heavy_slots: 3,
            ..OffloadLimits::default()
        };
        assert_eq!(fixed.effective_slots(), 3);
    }

    #[test]
    fn thresholds_are_exclusive() {
        let o = Offload::default();
        assert!(!o.body_is_large(64 * 1024));
        assert!(o.body_is_large(64 * 1024 + 1));
        assert!(!o.limits().is_large(128));
        assert!(o.limits().is_large(129));
    }
}
