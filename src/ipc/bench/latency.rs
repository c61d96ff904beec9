//! Per-run latency recording: an HdrHistogram with fixed bounds plus the exact maximum.
//!
//! The histogram used to be `Histogram::new(3)` fed with `saturating_record`. `new` makes an
//! auto-resizing histogram whose trackable range starts at 1..=2, and `saturating_record` clamps
//! instead of resizing; values below 2048 µs still landed correctly (the first bucket array holds
//! 2048 sub-buckets at 3 significant figures), every slower answer was recorded as 2 µs. The bounds
//! are now fixed and wide, so only a latency above [`MAX_TRACKED_US`] is clamped, and the maximum
//! is tracked exactly beside the histogram.

use std::time::Duration;

use hdrhistogram::{CreationError, Histogram};

/// The largest latency the histogram resolves (one hour, in µs); slower answers are recorded as
/// this value in the percentiles (the reported maximum stays exact). One hour keeps a histogram
/// at about 200 KiB per connection at 3 significant figures.
pub const MAX_TRACKED_US: u64 = 3_600_000_000;

/// Significant figures kept: percentiles are exact to 0.1 %.
const SIGFIG: u8 = 3;

/// Latencies of answered requests, in microseconds.
#[derive(Clone, Debug)]
pub struct Latencies {
    hist: Histogram<u64>,
    max_us: u64,
}

impl Latencies {
    /// An empty record. (The bounds are valid, so the error is only the histogram crate's.)
    pub fn new() -> Result<Self, CreationError> {
        Ok(Latencies {
            hist: Histogram::new_with_bounds(1, MAX_TRACKED_US, SIGFIG)?,
            max_us: 0,
        })
    }

    /// Records one answer's latency.
    pub fn record(&mut self, latency: Duration) {
        self.record_us(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
    }

    /// Records one latency given in microseconds.
    pub fn record_us(&mut self, us: u64) {
        // Within bounds this never clamps; above MAX_TRACKED_US it clamps to the bound.
        self.hist.saturating_record(us);
        self.max_us = self.max_us.max(us);
    }

    /// Adds another connection's latencies.
    pub fn merge(&mut self, other: &Latencies) {
        // Same bounds on both sides, so adding cannot fail.
        let _ = self.hist.add(&other.hist);
        self.max_us = self.max_us.max(other.max_us);
    }

    /// Recorded latencies.
    pub fn len(&self) -> u64 {
        self.hist.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hist.is_empty()
    }

    /// The latency at `quantile` (0.0..=1.0), in µs; 0 when nothing was recorded.
    pub fn quantile_us(&self, quantile: f64) -> u64 {
        if self.hist.is_empty() {
            return 0;
        }
        // The histogram answers with the top of the value's bucket, which may lie above the
        // largest latency really seen.
        self.hist.value_at_quantile(quantile).min(self.max_us)
    }

    /// The slowest latency, exact, in µs.
    pub fn max_us(&self) -> u64 {
        self.max_us
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// True when `got` is within the histogram's 3-figure precision of `want`.
    fn close(got: u64, want: u64) -> bool {
        got.abs_diff(want) <= want / 1000 + 1
    }

    #[test]
    fn slow_answers_are_recorded_as_they_were() {
        // 2048 µs was the first value the old histogram recorded as 2 µs; 2 was its old maximum.
        for us in [
            0,
            1,
            2,
            3,
            2047,
            2048,
            2049,
            5_000,
            123_456,
            9_999_999,
            MAX_TRACKED_US,
        ] {
            let mut l = Latencies::new().unwrap();
            l.record_us(us);
            assert_eq!(l.len(), 1);
            assert_eq!(l.max_us(), us);
            for q in [0.5, 0.99, 0.999, 1.0] {
                let got = l.quantile_us(q);
                assert!(close(got, us), "{us} µs at q{q}: {got}");
            }
        }
    }

    #[test]
    fn percentiles_over_a_spread_and_beyond_the_bound() {
        let mut a = Latencies::new().unwrap();
        let mut b = Latencies::new().unwrap();
        // 1000 answers: 1..=1000 ms, spread over two connections.
        for ms in 1..=1000u64 {
            let d = Duration::from_millis(ms);
            if ms % 2 == 0 {
                a.record(d)
            } else {
                b.record(d)
            }
        }
        a.merge(&b);
        assert_eq!(a.len(), 1000);
        assert!(close(a.quantile_us(0.5), 500_000), "{}", a.quantile_us(0.5));
        assert!(
            close(a.quantile_us(0.99), 990_000),
            "{}",
            a.quantile_us(0.99)
        );
        assert!(
            close(a.quantile_us(0.999), 999_000),
            "{}",
            a.quantile_us(0.999)
        );
        assert_eq!(a.max_us(), 1_000_000);

        // Slower than the bound: clamped in the percentiles, exact as the maximum.
        let mut c = Latencies::new().unwrap();
        c.record(Duration::from_secs(7200));
        assert_eq!(c.max_us(), 7_200_000_000);
        assert!(close(c.quantile_us(0.5), MAX_TRACKED_US));
        assert_eq!(Latencies::new().unwrap().quantile_us(0.5), 0);
    }
}
