//! Proof of work: the value of (root, nonce), thresholds, and multi-core generation.
//!
//! value = BLAKE2b-64(nonce as 8 little-endian bytes ‖ root), read little-endian. Generation
//! splits the nonce space across all cores with std threads and stops on a shared flag, so a
//! `work_cancel` (or a caller dropping interest) ends the search promptly.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

use blake2::digest::consts::U8;
use blake2::{Blake2b, Digest};

use super::Work;

/// The work value of `nonce` over `root` (previous hash, or the account for opens).
pub fn work_value(root: &[u8; 32], nonce: Work) -> u64 {
    let mut h = Blake2b::<U8>::new();
    h.update(nonce.0.to_le_bytes());
    h.update(root);
    let out: [u8; 8] = h.finalize().into();
    u64::from_le_bytes(out)
}

/// True when the work reaches `threshold`.
pub fn work_valid(root: &[u8; 32], nonce: Work, threshold: u64) -> bool {
    work_value(root, nonce) >= threshold
}

/// A cancellation flag shared between the requester and the generator threads.
#[derive(Clone, Debug, Default)]
pub struct WorkCancel(Arc<AtomicBool>);

impl WorkCancel {
    /// A fresh, un-cancelled token.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every generator thread using this token to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Searches for a nonce reaching `threshold` on all cores. Returns `None` when cancelled.
/// Blocking: call it from a blocking thread, never from an async task.
pub fn generate_work(root: &[u8; 32], threshold: u64, cancel: &WorkCancel) -> Option<Work> {
    generate_work_until(root, threshold, &|| cancel.is_cancelled())
}

/// As [`generate_work`], stopping (with `None`) as soon as `stop` answers true; it is asked every
/// few hundred attempts on each thread, so it must be cheap (an atomic load).
pub fn generate_work_until(
    root: &[u8; 32],
    threshold: u64,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Work> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // A random starting point keeps concurrent generators for the same root from racing
    // through identical nonces.
    let start = getrandom::u64().unwrap_or(0);
    let found = WorkCancel::new();
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let tx = tx.clone();
            let found = found.clone();
            let root = *root;
            scope.spawn(move || {
                let step = threads as u64;
                let mut nonce = start.wrapping_add(t as u64);
                loop {
                    // Check the flags every 256 attempts: cheap, and cancellation stays prompt.
                    for _ in 0..256 {
                        if work_value(&root, Work(nonce)) >= threshold {
                            found.cancel();
                            let _ = tx.send(Work(nonce));
                            return;
                        }
                        nonce = nonce.wrapping_add(step);
                    }
                    if found.is_cancelled() || stop() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        rx.recv().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_valid_work_and_cancels() {
        let root = [7u8; 32];
        let w = generate_work(&root, 0xff00_0000_0000_0000, &WorkCancel::new()).unwrap();
        assert!(work_valid(&root, w, 0xff00_0000_0000_0000));
        let cancel = WorkCancel::new();
        cancel.cancel();
        assert_eq!(generate_work(&root, u64::MAX, &cancel), None);
    }
}
