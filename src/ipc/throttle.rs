//! Keeping the accept loop calm under failure: an accept error (out of file descriptors, say) is
//! retried after a growing pause instead of in a spin, and repeated conditions are logged once
//! per period with a count instead of once per occurrence.

use std::io;
use std::time::{Duration, Instant};

/// Counts occurrences of one condition and reports them at most once per period: the first
/// occurrence at once, later ones summed into the next report.
#[derive(Debug)]
pub struct LogEvery {
    period: Duration,
    last: Option<Instant>,
    unreported: u64,
}

impl LogEvery {
    pub fn new(period: Duration) -> Self {
        LogEvery {
            period,
            last: None,
            unreported: 0,
        }
    }

    /// Record one occurrence; calls `report` with the occurrences since the last report when the
    /// period has passed (or on the first one).
    pub fn hit(&mut self, report: impl FnOnce(u64)) {
        self.unreported += 1;
        let due = self.last.is_none_or(|t| t.elapsed() >= self.period);
        if due {
            report(self.unreported);
            self.unreported = 0;
            self.last = Some(Instant::now());
        }
    }
}

/// The pause after a failed `accept`: 10 ms doubling to 1 s while failures continue, back to the
/// start after a success.
#[derive(Debug)]
pub struct AcceptBackoff {
    next: Duration,
    log: LogEvery,
}

const FIRST_PAUSE: Duration = Duration::from_millis(10);
const MAX_PAUSE: Duration = Duration::from_secs(1);

impl Default for AcceptBackoff {
    fn default() -> Self {
        AcceptBackoff {
            next: FIRST_PAUSE,
            log: LogEvery::new(Duration::from_secs(10)),
        }
    }
}

impl AcceptBackoff {
    /// Record a failure; returns how long to pause before accepting again.
    pub fn failed(&mut self, error: &io::Error) -> Duration {
        self.log.hit(|n| {
            tracing::warn!(error = %error, failures = n, "accept failed; backing off");
        });
        let pause = self.next;
        self.next = (self.next * 2).min(MAX_PAUSE);
        pause
    }

    /// An accept succeeded: the next failure starts from the shortest pause.
    pub fn reset(&mut self) {
        self.next = FIRST_PAUSE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_first_then_once_per_period_with_the_count() {
        let mut every = LogEvery::new(Duration::from_secs(3600));
        let mut reports = Vec::new();
        for _ in 0..1000 {
            every.hit(|n| reports.push(n));
        }
        assert_eq!(reports, vec![1]);
        // A zero period reports every occurrence, each counting itself.
        let mut every = LogEvery::new(Duration::ZERO);
        let mut reports = Vec::new();
        for _ in 0..3 {
            every.hit(|n| reports.push(n));
        }
        assert_eq!(reports, vec![1, 1, 1]);
    }

    #[test]
    fn backoff_doubles_to_a_ceiling_and_resets() {
        let mut b = AcceptBackoff::default();
        let e = io::Error::from_raw_os_error(libc::EMFILE);
        let pauses: Vec<Duration> = (0..10).map(|_| b.failed(&e)).collect();
        assert_eq!(pauses[0], FIRST_PAUSE);
        assert_eq!(pauses[1], FIRST_PAUSE * 2);
        assert_eq!(*pauses.last().unwrap(), MAX_PAUSE);
        assert!(pauses.windows(2).all(|w| w[0] <= w[1]));
        b.reset();
        assert_eq!(b.failed(&e), FIRST_PAUSE);
    }
}
