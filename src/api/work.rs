//! Proof of work: `work_generate`, `work_validate`, `work_cancel`, and nano-node's difficulty
//! arithmetic (multipliers, the work_generate limits, the ledger-derived target of a block).
//!
//! Generation is blocking (seconds of CPU at live thresholds): these are ordinary synchronous
//! functions that the request core runs off the async workers. Every running generation is
//! registered under its root in [`WorkRegistry`] so `work_cancel` can stop all of them, and
//! unregisters itself when it ends, however it ends.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::blocks::parse_block_hash;
use super::convert::block_from_object;
use super::keys::{check_work_version, parse_difficulty, parse_work};
use super::{Api, ApiError, Caller};
use crate::ledger::primitives::{
    generate_work_until, work_value, Block, BlockHash, Work, WorkCancel,
};
use crate::schema::{
    BlockT, Success, SuccessArgs, WorkCancel as WorkCancelMsg, WorkGenerate, WorkGenerateResponse,
    WorkGenerateResponseT, WorkValidate, WorkValidateResponse, WorkValidateResponseT,
};

/// nano-node's `max_work_generate_multiplier` default: `work_generate` refuses targets above 64
/// times the base difficulty.
pub const MAX_WORK_GENERATE_MULTIPLIER: f64 = 64.0;

/// The running generations, by root. Cheap to clone; all clones share one table.
#[derive(Clone, Default)]
pub struct WorkRegistry {
    inner: Arc<RegistryInner>,
}

/// How many generations search at once. One: each already uses every core (as nano-node's work
/// pool does), so running two at once only makes both slower.
const SEARCHING_AT_ONCE: usize = 1;
/// How many generations may wait for their turn. Beyond it a request is refused at once
/// (`ApiError::Overloaded`) instead of holding one of the blocking pool's threads for minutes,
/// which would starve `process` for every other session.
pub const MAX_WAITING_GENERATIONS: usize = 32;

#[derive(Default)]
struct RegistryInner {
    /// Root → (generation id, its cancel flag). Ids tell the entries of one root apart, so a
    /// generation that ends removes exactly its own entry.
    running: Mutex<HashMap<BlockHash, Vec<(u64, WorkCancel)>>>,
    next_id: AtomicU64,
    /// Set (under the `running` lock) when the node stops: no generation starts any more.
    closed: AtomicBool,
    /// (searching, waiting) generations, and the condition a waiting one sleeps on. Cancels
    /// notify it too, so a cancelled generation leaves the queue at once.
    turns: Mutex<(usize, usize)>,
    turn_changed: std::sync::Condvar,
}

/// A generation's turn to search; gives it back (and wakes the next) when dropped.
struct Turn<'a>(&'a RegistryInner);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut turns = self.0.turns.lock().unwrap_or_else(|p| p.into_inner());
        turns.0 = turns.0.saturating_sub(1);
        self.0.turn_changed.notify_all();
    }
}

impl RegistryInner {
    /// Waits for a turn to search. `None` when stopped while waiting; `Overloaded` when too many
    /// already wait.
    fn take_turn(&self, stopped: &dyn Fn() -> bool) -> Result<Option<Turn<'_>>, ApiError> {
        let mut turns = self.turns.lock().unwrap_or_else(|p| p.into_inner());
        if turns.0 >= SEARCHING_AT_ONCE {
            if turns.1 >= MAX_WAITING_GENERATIONS {
                return Err(ApiError::Overloaded("the work generation queue is full"));
            }
            turns.1 += 1;
            while turns.0 >= SEARCHING_AT_ONCE && !stopped() {
                turns = self
                    .turn_changed
                    .wait(turns)
                    .unwrap_or_else(|p| p.into_inner());
            }
            turns.1 -= 1;
            if stopped() {
                return Ok(None);
            }
        }
        turns.0 += 1;
        Ok(Some(Turn(self)))
    }

    /// Wakes generations waiting for a turn, so a cancelled one can leave.
    fn wake_waiting(&self) {
        let _turns = self.turns.lock().unwrap_or_else(|p| p.into_inner());
        self.turn_changed.notify_all();
    }
}

/// Removes its generation from the registry when dropped (found, cancelled or panicked).
struct Registration<'a> {
    registry: &'a RegistryInner,
    root: BlockHash,
    id: u64,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        let mut running = self.registry.lock();
        if let Some(list) = running.get_mut(&self.root) {
            list.retain(|(id, _)| *id != self.id);
            if list.is_empty() {
                running.remove(&self.root);
            }
        }
    }
}

impl RegistryInner {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<BlockHash, Vec<(u64, WorkCancel)>>> {
        // A poisoned table only means a holder panicked between two plain map operations.
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl WorkRegistry {
    /// Searches for work on `root` reaching `threshold`, registered for cancellation, one
    /// generation at a time (others wait their turn, at most [`MAX_WAITING_GENERATIONS`]).
    /// `Err(Cancelled)` when a `cancel` for the root stopped it, or when its caller went away
    /// (the request was deferred and its answer abandoned).
    pub fn generate(&self, root: &BlockHash, threshold: u64) -> Result<Work, ApiError> {
        let token = WorkCancel::new();
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        {
            let mut running = self.inner.lock();
            if self.inner.closed.load(Ordering::Acquire) {
                return Err(ApiError::Cancelled);
            }
            running.entry(*root).or_default().push((id, token.clone()));
        }
        let _registration = Registration {
            registry: &self.inner,
            root: *root,
            id,
        };
        let abandoned = super::core::abandoned();
        let stopped = || token.is_cancelled() || abandoned.as_ref().is_some_and(|a| a.is_set());
        let Some(_turn) = self.inner.take_turn(&stopped)? else {
            return Err(ApiError::Cancelled);
        };
        generate_work_until(&root.0, threshold, &stopped).ok_or(ApiError::Cancelled)
    }

    /// Stops every generation running for `root`; nothing running is not an error.
    pub fn cancel(&self, root: &BlockHash) {
        if let Some(list) = self.inner.lock().get(root) {
            for (_, token) in list {
                token.cancel();
            }
        }
        self.inner.wake_waiting();
    }

    /// Stops every running generation and refuses new ones (they answer `Cancelled`). The node
    /// calls this when it stops: a generation at live thresholds runs for minutes on the
    /// blocking pool, and the runtime cannot finish shutting down while one is still running.
    pub fn close(&self) {
        let running = self.inner.lock();
        self.inner.closed.store(true, Ordering::Release);
        for (_, token) in running.values().flatten() {
            token.cancel();
        }
        drop(running);
        self.inner.wake_waiting();
    }

    /// How many generations are running for `root` right now.
    pub fn running(&self, root: &BlockHash) -> usize {
        self.inner.lock().get(root).map_or(0, Vec::len)
    }
}

/// `to_multiplier(d, base) = (2^64 − base) / (2^64 − d)` in double precision, as nano-node
/// computes it (both subtractions wrap in 64 bits).
pub fn to_multiplier(difficulty: u64, base: u64) -> f64 {
    base.wrapping_neg() as f64 / difficulty.wrapping_neg() as f64
}

/// `from_multiplier(m, base) = 2^64 − floor((2^64 − base) / m)`, with nano-node's edge cases:
/// 0 when the quotient exceeds 64 bits, u64 max when it is 0 (with base ≠ 0 and m ≥ 1).
pub fn from_multiplier(multiplier: f64, base: u64) -> u64 {
    let reverse = base.wrapping_neg() as f64 / multiplier;
    // `as` saturates (and maps NaN to 0), where C++ would be undefined.
    let reverse = reverse as u128;
    if reverse > u128::from(u64::MAX) {
        0
    } else if reverse != 0 || base == 0 || multiplier < 1.0 {
        (reverse as u64).wrapping_neg()
    } else {
        u64::MAX
    }
}

/// Parses a multiplier: text convertible to a double, above 0 (else `Bad multiplier`).
pub fn parse_multiplier(text: &str) -> Result<f64, ApiError> {
    match text.parse::<f64>() {
        Ok(m) if m > 0.0 => Ok(m),
        _ => Err(ApiError::InvalidArgument("Bad multiplier")),
    }
}

/// What `work_generate` asks for. `difficulty` and `multiplier` are as given (`None` = absent);
/// a multiplier overrides the difficulty.
#[derive(Clone, Debug, Default)]
pub struct WorkGenerateRequest {
    /// The root (previous hash, or the account key for an opening block).
    pub hash: BlockHash,
    pub difficulty: Option<u64>,
    pub multiplier: Option<f64>,
    /// A block whose root must be `hash`; without a target, the ledger's threshold for it is used.
    pub block: Option<Block>,
}

/// A found nonce and what it reaches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorkGenerated {
    pub hash: BlockHash,
    pub work: Work,
    /// The nonce's difficulty (its work value).
    pub difficulty: u64,
    /// That difficulty relative to the base difficulty.
    pub multiplier: f64,
}

/// `work_validate`'s verdict.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorkValidation {
    /// Value ≥ the requested target (the base difficulty when none was given).
    pub valid: bool,
    /// Value ≥ the base difficulty.
    pub valid_all: bool,
    /// Value ≥ the epoch 2 receive threshold.
    pub valid_receive: bool,
    pub difficulty: u64,
    pub multiplier: f64,
}

impl Api {
    /// The network's base ("default") difficulty: the highest threshold.
    pub fn base_difficulty(&self) -> u64 {
        self.ledger().network().thresholds().base()
    }

    /// Computes work as nano-node's `work_generate` does (blocking). The target must lie between
    /// the state entry threshold and 64 × base (`Difficulty above config limit or below publish
    /// threshold`); with a block, its root must match (`Root mismatch for block`), the default
    /// target is the ledger's threshold for it, and work already reaching the target is
    /// `Provided work is already enough for given difficulty`. A `work_cancel` for the root makes
    /// it fail with `Cancelled`.
    pub fn generate_work(&self, req: &WorkGenerateRequest) -> Result<WorkGenerated, ApiError> {
        let base = self.base_difficulty();
        let mut difficulty = self.work_generate_target(req.difficulty, req.multiplier)?;
        if let Some(block) = &req.block {
            if block.root() != req.hash.0 {
                return Err(ApiError::InvalidArgument("Root mismatch for block"));
            }
            if req.difficulty.is_none() && req.multiplier.is_none() {
                difficulty = self.ledger_difficulty(block)?;
            }
            if work_value(&block.root(), block.work()) >= difficulty {
                return Err(ApiError::InvalidArgument(
                    "Provided work is already enough for given difficulty",
                ));
            }
        }
        let work = self.work.generate(&req.hash, difficulty)?;
        let value = work_value(&req.hash.0, work);
        Ok(WorkGenerated {
            hash: req.hash,
            work,
            difficulty: value,
            multiplier: to_multiplier(value, base),
        })
    }

    /// The target `work_generate` aims at before any block is considered: `multiplier` (over
    /// base) if given, else `difficulty`, else base; it must lie between the state entry
    /// threshold and 64 × base (`Difficulty above config limit or below publish threshold`).
    pub fn work_generate_target(
        &self,
        difficulty: Option<u64>,
        multiplier: Option<f64>,
    ) -> Result<u64, ApiError> {
        let thresholds = self.ledger().network().thresholds();
        let base = thresholds.base();
        let target = multiplier.map_or(difficulty.unwrap_or(base), |m| from_multiplier(m, base));
        let max = from_multiplier(MAX_WORK_GENERATE_MULTIPLIER, base);
        if target > max || target < thresholds.entry() {
            return Err(ApiError::InvalidArgument(
                "Difficulty above config limit or below publish threshold",
            ));
        }
        Ok(target)
    }

    /// Evaluates `work` on `hash`. The target is `multiplier` (over base) if given, else
    /// `difficulty`, else the base difficulty.
    pub fn validate_work(
        &self,
        hash: &BlockHash,
        work: Work,
        difficulty: Option<u64>,
        multiplier: Option<f64>,
    ) -> WorkValidation {
        let thresholds = self.ledger().network().thresholds();
        let base = thresholds.base();
        let target = multiplier.map_or(difficulty.unwrap_or(base), |m| from_multiplier(m, base));
        let value = work_value(&hash.0, work);
        WorkValidation {
            valid: value >= target,
            valid_all: value >= base,
            valid_receive: value >= thresholds.epoch_2_receive,
            difficulty: value,
            multiplier: to_multiplier(value, base),
        }
    }

    /// Stops every running generation (work_generate or block_create) for `root`.
    pub fn cancel_work(&self, root: &BlockHash) {
        self.work.cancel(root);
    }

    /// Stops every running generation and refuses new ones: part of stopping the node.
    pub fn stop_work(&self) {
        self.work.close();
    }

    /// How many generations are running for `root`: lets a caller (and tests) see that a
    /// generation has started before cancelling it.
    pub fn work_running(&self, root: &BlockHash) -> usize {
        self.work.running(root)
    }

    /// nano-node's `difficulty_ledger`: the threshold the ledger will demand of `block` (its
    /// previous block's epoch; a send if the balance drops; a receive, at the higher epoch, if the
    /// link is a send still receivable by the account), or the base difficulty when the ledger
    /// knows neither the previous block nor a receivable source.
    pub fn ledger_difficulty(&self, block: &Block) -> Result<u64, ApiError> {
        let thresholds = self.ledger().network().thresholds();
        Ok(match self.ledger().work_details(block)? {
            Some((epoch, receive)) => thresholds.for_block(epoch, receive),
            None => thresholds.base(),
        })
    }

    pub(super) fn work_generate<'b>(
        &self,
        _ctx: &Caller,
        req: WorkGenerate<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<WorkGenerateResponse<'b>>, ApiError> {
        if let Some(v) = req.version() {
            check_work_version(v)?;
        }
        let hash = parse_block_hash(req.hash())?;
        let difficulty = req.difficulty().map(parse_difficulty).transpose()?;
        let multiplier = v2_multiplier(req.multiplier())?;
        let block = match req.unpack().block {
            BlockT::NONE => None,
            ref b => Some(block_from_object(b)?),
        };
        let done = self.generate_work(&WorkGenerateRequest {
            hash,
            difficulty,
            multiplier,
            block,
        })?;
        Ok(WorkGenerateResponseT {
            hash: done.hash.encode_hex(),
            work: done.work.encode_hex(),
            difficulty: Work(done.difficulty).encode_hex(),
            multiplier: done.multiplier,
        }
        .pack(fbb))
    }

    pub(super) fn work_validate<'b>(
        &self,
        _ctx: &Caller,
        req: WorkValidate<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<WorkValidateResponse<'b>>, ApiError> {
        let hash = parse_block_hash(req.hash())?;
        let work = req.work().map(parse_work).transpose()?.unwrap_or_default();
        if let Some(v) = req.version() {
            check_work_version(v)?;
        }
        let difficulty = req.difficulty().map(parse_difficulty).transpose()?;
        let multiplier = v2_multiplier(req.multiplier())?;
        let v = self.validate_work(&hash, work, difficulty, multiplier);
        Ok(WorkValidateResponseT {
            valid: v.valid,
            valid_all: v.valid_all,
            valid_receive: v.valid_receive,
            difficulty: Work(v.difficulty).encode_hex(),
            multiplier: v.multiplier,
        }
        .pack(fbb))
    }

    pub(super) fn work_cancel<'b>(
        &self,
        _ctx: &Caller,
        req: WorkCancelMsg<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, ApiError> {
        self.cancel_work(&parse_block_hash(req.hash())?);
        Ok(Success::create(fbb, &SuccessArgs { message: None }))
    }
}

/// The v2 `multiplier` field: 0 (the default) means absent; otherwise it must be above 0.
fn v2_multiplier(value: f64) -> Result<Option<f64>, ApiError> {
    if value == 0.0 {
        Ok(None)
    } else if value > 0.0 {
        Ok(Some(value))
    } else {
        Err(ApiError::InvalidArgument("Bad multiplier"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV_BASE: u64 = 0xffc0_0000_0000_0000;

    #[test]
    fn multiplier_arithmetic_matches_nano() {
        assert_eq!(from_multiplier(64.0, DEV_BASE), 0xffff_0000_0000_0000);
        assert_eq!(from_multiplier(1.0, DEV_BASE), DEV_BASE);
        assert_eq!(to_multiplier(DEV_BASE, DEV_BASE), 1.0);
        assert_eq!(to_multiplier(0xffff_0000_0000_0000, DEV_BASE), 64.0);
        // Below 1 the target drops under the base.
        assert_eq!(from_multiplier(0.5, DEV_BASE), 0xff80_0000_0000_0000);
        // A huge multiplier leaves a zero quotient: u64 max.
        assert_eq!(from_multiplier(f64::INFINITY, DEV_BASE), u64::MAX);
        assert_eq!(from_multiplier(1e-30, DEV_BASE), 0);
    }

    #[test]
    fn multipliers_parse_like_a_double_above_zero() {
        assert_eq!(parse_multiplier("1.5").unwrap(), 1.5);
        assert_eq!(parse_multiplier("1e1").unwrap(), 10.0);
        for bad in ["0", "-1", "x", "", "nan"] {
            assert_eq!(
                parse_multiplier(bad).unwrap_err().to_string(),
                "Bad multiplier"
            );
        }
    }

    #[test]
    fn registry_cancels_and_cleans_up() {
        let registry = WorkRegistry::default();
        let root = BlockHash([9; 32]);
        std::thread::scope(|s| {
            let worker = s.spawn(|| registry.generate(&root, u64::MAX));
            // Wait until the generation is registered (no sleeps: spin on the table).
            while registry.running(&root) == 0 {
                std::thread::yield_now();
            }
            registry.cancel(&root);
            assert!(matches!(worker.join().unwrap(), Err(ApiError::Cancelled)));
        });
        assert_eq!(registry.running(&root), 0);
        let w = registry.generate(&root, 0xf000_0000_0000_0000).unwrap();
        assert!(work_value(&root.0, w) >= 0xf000_0000_0000_0000);
        assert_eq!(registry.running(&root), 0);
    }

    #[test]
    fn closing_stops_running_generations_and_refuses_new_ones() {
        let registry = WorkRegistry::default();
        let (a, b) = (BlockHash([1; 32]), BlockHash([2; 32]));
        std::thread::scope(|s| {
            let first = s.spawn(|| registry.generate(&a, u64::MAX));
            let second = s.spawn(|| registry.generate(&b, u64::MAX));
            while registry.running(&a) == 0 || registry.running(&b) == 0 {
                std::thread::yield_now();
            }
            registry.close();
            assert!(matches!(first.join().unwrap(), Err(ApiError::Cancelled)));
            assert!(matches!(second.join().unwrap(), Err(ApiError::Cancelled)));
        });
        // Even an easy target is refused once closed, without searching.
        assert!(matches!(registry.generate(&a, 0), Err(ApiError::Cancelled)));
        assert_eq!(registry.running(&a), 0);
    }

    fn turns(registry: &WorkRegistry) -> (usize, usize) {
        *registry.inner.turns.lock().unwrap()
    }

    #[test]
    fn one_generation_searches_at_a_time_and_the_queue_is_bounded() {
        let registry = WorkRegistry::default();
        std::thread::scope(|s| {
            let searching = s.spawn(|| registry.generate(&BlockHash([1; 32]), u64::MAX));
            // The endless search holds the turn before the others start, so they all wait.
            while registry.running(&BlockHash([1; 32])) == 0 || turns(&registry).0 == 0 {
                std::thread::yield_now();
            }
            let waiting: Vec<_> = (0..MAX_WAITING_GENERATIONS)
                .map(|i| {
                    let registry = &registry;
                    s.spawn(move || registry.generate(&BlockHash([2 + i as u8; 32]), 0))
                })
                .collect();
            // Every one but the first waits for its turn, even with a target any nonce meets.
            while turns(&registry) != (1, MAX_WAITING_GENERATIONS) {
                std::thread::yield_now();
            }
            assert!(matches!(
                registry.generate(&BlockHash([0; 32]), 0),
                Err(ApiError::Overloaded(_))
            ));
            // Cancelling a waiting generation lets it leave the queue at once.
            registry.cancel(&BlockHash([2; 32]));
            while turns(&registry).1 != MAX_WAITING_GENERATIONS - 1 {
                std::thread::yield_now();
            }
            // Once the searching one ends, the others take their turns one by one and finish.
            registry.cancel(&BlockHash([1; 32]));
            assert!(matches!(
                searching.join().unwrap(),
                Err(ApiError::Cancelled)
            ));
            let results: Vec<_> = waiting.into_iter().map(|w| w.join().unwrap()).collect();
            assert!(matches!(results[0], Err(ApiError::Cancelled)));
            assert!(results[1..].iter().all(Result::is_ok));
        });
        assert_eq!(turns(&registry), (0, 0));
    }
}
