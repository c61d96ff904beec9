//! What this node says about confirmation (legacy `confirmation_quorum` and
//! `confirmation_history`).
//!
//! The node has no network and runs no elections: it cements every block in the write
//! transaction that accepts it, standing in for every representative at once. The reports are
//! derived from that model and from the ledger, never from nano-node's defaults:
//! - the online (and trended) stake is all the voting weight the ledger delegates, so the quorum
//!   delta is 67 % of it, and no configured minimum applies (reported as 0);
//! - there are no peers, so the peers' stake is 0 and their list is empty;
//! - the history lists the blocks cemented since the node started (the last
//!   [`CONFIRMATION_HISTORY_SIZE`], oldest first, as nano-node's `recently_cemented`), each with
//!   no election behind it: duration 0, no votes (tally, final tally, voters, requests 0), one
//!   block.

use std::collections::VecDeque;
use std::sync::Mutex;

use tokio::sync::broadcast::{self, error::TryRecvError};

use super::{Api, ApiError};
use crate::ledger::primitives::{Amount, BlockHash};
use crate::ledger::{ConfirmationEvent, Ledger};

/// How many cemented blocks the history keeps (nano-node's `confirmation_history_size` default).
pub const CONFIRMATION_HISTORY_SIZE: usize = 2048;

/// nano-node's `online_weight_quorum`: the share of the online stake a block needs.
const QUORUM_PERCENT: u128 = 67;

/// The quorum figures `confirmation_quorum` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quorum {
    /// The weight a block needs: `QUORUM_PERCENT` % of the largest of the online stake, the
    /// trended stake and the minimum.
    pub quorum_delta: Amount,
    /// 67, as in nano-node.
    pub online_weight_quorum_percent: u32,
    /// The floor under the online stake; this node applies none, so 0.
    pub online_weight_minimum: Amount,
    /// All weight delegated in the ledger: this node votes for every representative.
    pub online_stake_total: Amount,
    /// The same: the current stake is the only sample this node has.
    pub trended_stake_total: Amount,
    /// Weight of the representatives seen among peers: 0, there are no peers.
    pub peers_stake_total: Amount,
}

/// One entry of the confirmation history: a block and the (absent) election that confirmed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CementedBlock {
    /// The cemented block.
    pub hash: BlockHash,
    /// Election length in milliseconds: 0, it was cemented on acceptance.
    pub duration_ms: u64,
    /// When it was cemented, in milliseconds since the Unix epoch (the ledger records seconds).
    pub time_ms: u64,
    /// Vote weight for the block: 0, no votes are cast.
    pub tally: Amount,
    /// Final-vote weight for the block: 0, no votes are cast.
    pub final_tally: Amount,
    /// Blocks in the election: the block alone.
    pub blocks: u64,
    /// Representatives that voted: none.
    pub voters: u64,
    /// Confirmation requests sent: none.
    pub request_count: u64,
}

/// The answer to `confirmation_history`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationHistory {
    /// The matching entries, oldest first.
    pub confirmations: Vec<CementedBlock>,
    /// Mean election duration over the whole history (nano-node divides the total of every
    /// entry by the number of matching ones); `None` when nothing matches.
    pub average_ms: Option<u64>,
}

/// The last [`CONFIRMATION_HISTORY_SIZE`] blocks cemented since start. Fed lazily: the ledger's
/// confirmation events wait in their (bounded) broadcast channel until the next history request
/// drains them, so no task runs for this and memory stays bounded.
pub(super) struct RecentlyCemented {
    inner: Mutex<Recent>,
}

struct Recent {
    events: broadcast::Receiver<ConfirmationEvent>,
    list: VecDeque<CementedBlock>,
}

impl RecentlyCemented {
    pub(super) fn new(ledger: &Ledger) -> Self {
        RecentlyCemented {
            inner: Mutex::new(Recent {
                events: ledger.subscribe(),
                list: VecDeque::new(),
            }),
        }
    }

    /// The history as of now, oldest first.
    fn snapshot(&self) -> Vec<CementedBlock> {
        // A poisoned lock only means a panic elsewhere mid-drain; the list is still well formed.
        let mut recent = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let Recent { events, list } = &mut *recent;
        // Bounded so a writer producing faster than this drains cannot hold the request forever.
        for _ in 0..4 * CONFIRMATION_HISTORY_SIZE {
            match events.try_recv() {
                Ok(event) => {
                    if list.len() == CONFIRMATION_HISTORY_SIZE {
                        list.pop_front();
                    }
                    list.push_back(cemented(&event));
                }
                // Missed events are older than the channel's last 4096, which already cover
                // the whole history window.
                Err(TryRecvError::Lagged(_)) => continue,
                Err(TryRecvError::Empty | TryRecvError::Closed) => break,
            }
        }
        list.iter().cloned().collect()
    }
}

fn cemented(event: &ConfirmationEvent) -> CementedBlock {
    CementedBlock {
        hash: event.hash,
        duration_ms: 0,
        time_ms: event.sideband.timestamp.saturating_mul(1000),
        tally: Amount::ZERO,
        final_tally: Amount::ZERO,
        blocks: 1,
        voters: 0,
        request_count: 0,
    }
}

impl Api {
    /// The quorum this node applies, derived from the ledger's weights (see the module docs).
    pub fn quorum(&self) -> Result<Quorum, ApiError> {
        let mut online: u128 = 0;
        for (_, weight) in self.ledger.representatives()? {
            // Weights sum to the balances, which never exceed the supply.
            online = online.saturating_add(weight.0);
        }
        Ok(Quorum {
            quorum_delta: Amount(percent_of(online, QUORUM_PERCENT)),
            online_weight_quorum_percent: QUORUM_PERCENT as u32,
            online_weight_minimum: Amount::ZERO,
            online_stake_total: Amount(online),
            trended_stake_total: Amount(online),
            peers_stake_total: Amount::ZERO,
        })
    }

    /// The blocks cemented since start, optionally only `hash`.
    pub fn recently_cemented(&self, hash: Option<BlockHash>) -> ConfirmationHistory {
        let all = self.cemented.snapshot();
        let total: u64 = all
            .iter()
            .map(|c| c.duration_ms)
            .fold(0, u64::saturating_add);
        let confirmations: Vec<CementedBlock> = all
            .into_iter()
            .filter(|c| hash.is_none_or(|h| h == c.hash))
            .collect();
        let average_ms = u64::try_from(confirmations.len())
            .ok()
            .filter(|&n| n > 0)
            .map(|n| total / n);
        ConfirmationHistory {
            confirmations,
            average_ms,
        }
    }
}

/// `value * percent / 100`, rounded down, without overflowing u128.
fn percent_of(value: u128, percent: u128) -> u128 {
    (value / 100) * percent + (value % 100) * percent / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_exact_over_the_whole_range() {
        assert_eq!(percent_of(100, 67), 67);
        assert_eq!(percent_of(199, 67), 133);
        assert_eq!(percent_of(0, 67), 0);
        // (2^128 − 1) · 67 / 100, computed with arbitrary-precision integers.
        assert_eq!(
            percent_of(u128::MAX, 67),
            227989185837028770520460986979284701674
        );
    }
}
