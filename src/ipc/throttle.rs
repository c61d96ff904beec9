//! Keeping the accept loop calm under failure: an accept error (out of file descriptors, say) is
//! retried after a growing pause instead of in a spin, and logged through a [`LogLimiter`] (once
//! per period, with a summary of the rest) instead of once per occurrence.

use std::io;
use std::time::Duration;

use crate::log_limit::LogLimiter;

/// Accept failures: one line per 10 s, the rest summed in the limiter's summary line.
static ACCEPT_FAILED: LogLimiter = LogLimiter::new("accept failed", 1, 10_000);

/// The pause after a failed `accept`: 10 ms doubling to 1 s while failures continue, back to the
/// start after a success.
#[derive(Debug)]
pub struct AcceptBackoff {
    next: Duration,
}

const FIRST_PAUSE: Duration = Duration::from_millis(10);
const MAX_PAUSE: Duration = Duration::from_secs(1);

impl Default for AcceptBackoff {
    fn default() -> Self {
        AcceptBackoff { next: FIRST_PAUSE }
    }
}

impl AcceptBackoff {
    /// Record a failure; returns how long to pause before accepting again.
    pub fn failed(&mut self, error: &io::Error) -> Duration {
        if ACCEPT_FAILED.admit() {
            tracing::warn!(error = %error, "accept failed; backing off");
        }
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
