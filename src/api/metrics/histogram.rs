//! A latency histogram made of atomics: recording is two relaxed increments, never a lock, so it
//! can sit on the request path of every session at once. Buckets are stored per bucket (not
//! cumulative), as `prometheus-client`'s encoder takes them; it accumulates them at scrape time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in nanoseconds: from 50 µs (an inline read) to 10 s
/// (proof-of-work). Observations above the last bound land in `+Inf` only.
pub const BOUNDS_NANOS: [u64; 16] = [
    50_000,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    25_000_000,
    50_000_000,
    100_000_000,
    250_000_000,
    500_000_000,
    1_000_000_000,
    2_500_000_000,
    10_000_000_000,
];

/// One histogram: a count per bucket (the last is `+Inf`) and the sum of observations.
#[derive(Debug, Default)]
pub struct Histogram {
    buckets: [AtomicU64; BOUNDS_NANOS.len() + 1],
    sum_nanos: AtomicU64,
}

/// A consistent-enough copy of one histogram for rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// (upper bound in seconds, observations in this bucket alone), `+Inf` last.
    pub buckets: Vec<(f64, u64)>,
    pub count: u64,
    pub sum_seconds: f64,
}

impl Histogram {
    /// Counts one observation of `elapsed`.
    pub fn observe(&self, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        let index = BOUNDS_NANOS.partition_point(|&bound| bound < nanos);
        self.buckets[index].fetch_add(1, Ordering::Relaxed);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Observations so far (the sum of every bucket).
    pub fn count(&self) -> u64 {
        self.buckets
            .iter()
            .map(|b| b.load(Ordering::Relaxed))
            .fold(0, u64::wrapping_add)
    }

    /// The buckets with their bounds in seconds, for the encoder.
    pub fn snapshot(&self) -> Snapshot {
        let mut count = 0u64;
        let mut buckets = Vec::with_capacity(self.buckets.len());
        for (i, bucket) in self.buckets.iter().enumerate() {
            let n = bucket.load(Ordering::Relaxed);
            count = count.wrapping_add(n);
            let bound = BOUNDS_NANOS
                .get(i)
                .map_or(f64::INFINITY, |&n| n as f64 / 1e9);
            buckets.push((bound, n));
        }
        Snapshot {
            buckets,
            count,
            sum_seconds: self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9,
        }
    }
}
