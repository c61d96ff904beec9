//! Rate limiting for log lines that a client can trigger at will.
//!
//! A connect-and-reset loop makes one "session closed" warning per connection: 129,000 lines
//! (23 MB) in 10 s, which buries everything else and, on a slow log sink, costs more than the
//! connections themselves. Each such warning kind gets a static [`LogLimiter`]: the first
//! `per_window` events of a window are logged, the rest only counted, and the first event after
//! the window ends logs one summary line ("… 12,345 similar in the last 10 s") before its own.
//!
//! [`flush_due`], called periodically, tells the count of a window whose burst has stopped.
//!
//! The hot path is a few relaxed atomic operations and no lock, because it runs on every
//! connection of an attack; the counters may move an event into the neighbouring window when
//! two threads race at a window's edge, but never lose one.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;

/// One warning kind's budget: `per_window` lines per `window_ms` milliseconds.
#[derive(Debug)]
pub struct LogLimiter {
    /// Names the kind in the summary line.
    kind: &'static str,
    per_window: u64,
    window_ms: u64,
    /// Start of the current window, in milliseconds since [`clock_ms`]'s epoch, plus one
    /// (0 means "no window yet", so the first event opens one).
    window_start: AtomicU64,
    /// Events seen in the current window (logged or not).
    seen: AtomicU64,
    /// Events not logged since the last summary.
    suppressed: AtomicU64,
    /// Whether [`flush_due`] knows this limiter (set on its first dropped event).
    registered: AtomicBool,
}

/// Limiters that have dropped events, for [`flush_due`]. Locked only the first time each
/// limiter drops something, never on the hot path.
static REGISTRY: Mutex<Vec<&'static LogLimiter>> = Mutex::new(Vec::new());

/// Logs the summary line of every limiter whose window is over with events still untold. Call
/// it periodically (the node does, every 10 s): otherwise the count of an attack that stopped
/// would wait for the next event of its kind.
pub fn flush_due() {
    let now = clock_ms();
    let limiters = REGISTRY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    for l in limiters {
        if let Some((suppressed, over_ms)) = l.flush_at(now) {
            l.log_summary(suppressed, over_ms);
        }
    }
}

/// What a caller should do with one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admit {
    /// Log it; `suppressed` events of this kind were dropped over the `over_ms` before it.
    Log { suppressed: u64, over_ms: u64 },
    /// Drop it (already counted for the next summary).
    Drop,
}

/// Milliseconds on a monotonic clock shared by every limiter (its epoch is the first call).
fn clock_ms() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    let ms = EPOCH.get_or_init(Instant::now).elapsed().as_millis();
    u64::try_from(ms).unwrap_or(u64::MAX)
}

impl LogLimiter {
    /// A limiter logging at most `per_window` events of `kind` per `window_ms` milliseconds.
    /// `const` so each call site can keep its own `static`.
    pub const fn new(kind: &'static str, per_window: u64, window_ms: u64) -> Self {
        Self {
            kind,
            per_window,
            window_ms,
            window_start: AtomicU64::new(0),
            seen: AtomicU64::new(0),
            suppressed: AtomicU64::new(0),
            registered: AtomicBool::new(false),
        }
    }

    /// Counts one event and says whether to log it, logging the summary line of the previous
    /// window itself (as a warning) when one is due.
    /// `'static` because [`flush_due`] keeps a reference once events are dropped.
    pub fn admit(&'static self) -> bool {
        match self.check_at(clock_ms()) {
            Admit::Log {
                suppressed,
                over_ms,
            } => {
                if suppressed > 0 {
                    self.log_summary(suppressed, over_ms);
                }
                true
            }
            Admit::Drop => {
                if !self.registered.swap(true, Ordering::Relaxed) {
                    REGISTRY
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(self);
                }
                false
            }
        }
    }

    fn log_summary(&self, suppressed: u64, over_ms: u64) {
        tracing::warn!(
            kind = self.kind,
            suppressed,
            "… {} similar in the last {} s",
            thousands(suppressed),
            over_ms.div_ceil(1000)
        );
    }

    /// Closes the window if it is over and events were dropped in it: returns their count and
    /// the time they span, and opens an empty window (the next event then starts counting).
    pub fn flush_at(&self, now_ms: u64) -> Option<(u64, u64)> {
        let stamp = now_ms.saturating_add(1);
        let start = self.window_start.load(Ordering::Acquire);
        let over = start != 0 && stamp.saturating_sub(start) >= self.window_ms;
        if !over || self.suppressed.load(Ordering::Relaxed) == 0 {
            return None;
        }
        self.window_start
            .compare_exchange(start, stamp, Ordering::AcqRel, Ordering::Acquire)
            .ok()?;
        self.seen.store(0, Ordering::Relaxed);
        let suppressed = self.suppressed.swap(0, Ordering::Relaxed);
        (suppressed > 0).then_some((suppressed, stamp - start))
    }

    /// The decision for an event at `now_ms` (exposed for tests, which drive the clock).
    pub fn check_at(&self, now_ms: u64) -> Admit {
        let stamp = now_ms.saturating_add(1);
        let start = self.window_start.load(Ordering::Acquire);
        if start == 0 || stamp.saturating_sub(start) >= self.window_ms {
            // The window is over: whoever moves the start opens the next one and reports.
            if self
                .window_start
                .compare_exchange(start, stamp, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                // Increments by threads racing this one belong to the old window; losing them
                // here can let at most one extra line each through, and they were counted.
                self.seen.store(1, Ordering::Relaxed);
                let suppressed = self.suppressed.swap(0, Ordering::Relaxed);
                let over_ms = if start == 0 { 0 } else { stamp - start };
                return Admit::Log {
                    suppressed,
                    over_ms,
                };
            }
        }
        if self.seen.fetch_add(1, Ordering::Relaxed) < self.per_window {
            Admit::Log {
                suppressed: 0,
                over_ms: 0,
            }
        } else {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            Admit::Drop
        }
    }
}

/// `12345` → `"12,345"`, as the summary line reads.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: Admit = Admit::Log {
        suppressed: 0,
        over_ms: 0,
    };

    #[test]
    fn logs_the_budget_then_drops_and_summarises_in_the_next_window() {
        let l = LogLimiter::new("test", 3, 10_000);
        assert_eq!(l.check_at(5), LOG);
        assert_eq!(l.check_at(6), LOG);
        assert_eq!(l.check_at(7), LOG);
        for t in 8..1008 {
            assert_eq!(l.check_at(t), Admit::Drop);
        }
        // Still inside the window that opened at 5.
        assert_eq!(l.check_at(10_004), Admit::Drop);
        assert_eq!(
            l.check_at(10_005),
            Admit::Log {
                suppressed: 1001,
                over_ms: 10_000
            }
        );
        // The new window has its full budget again, minus the event that opened it.
        assert_eq!(l.check_at(10_006), LOG);
        assert_eq!(l.check_at(10_007), LOG);
        assert_eq!(l.check_at(10_008), Admit::Drop);
    }

    #[test]
    fn a_quiet_window_reports_nothing_and_a_late_summary_says_how_long() {
        let l = LogLimiter::new("test", 1, 1000);
        assert_eq!(l.check_at(0), LOG);
        assert_eq!(l.check_at(1), Admit::Drop);
        // Nothing for a minute: the summary covers the whole time since the window opened.
        assert_eq!(
            l.check_at(60_000),
            Admit::Log {
                suppressed: 1,
                over_ms: 60_000
            }
        );
        // The summary reset the count: the next window reports nothing suppressed.
        assert!(matches!(
            l.check_at(61_001),
            Admit::Log { suppressed: 0, .. }
        ));
    }

    #[test]
    fn counts_every_event_across_threads() {
        let l = LogLimiter::new("test", 10, u64::MAX);
        let logged = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..10_000 {
                        if l.check_at(1) != Admit::Drop {
                            logged.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        // Every event is either logged or counted for the summary. Threads racing the one that
        // opens the window may each slip one extra line through, never more.
        let (logged, suppressed) = (logged.into_inner(), l.suppressed.load(Ordering::Relaxed));
        assert_eq!(logged + suppressed, 40_000);
        assert!((10..=13).contains(&logged), "{logged} lines logged");
    }

    #[test]
    fn a_flush_reports_a_finished_window_once_and_only_when_due() {
        let l = LogLimiter::new("test", 1, 1000);
        assert_eq!(l.check_at(0), LOG);
        assert_eq!(l.flush_at(500), None, "nothing dropped yet");
        assert_eq!(l.check_at(600), Admit::Drop);
        assert_eq!(l.check_at(700), Admit::Drop);
        assert_eq!(l.flush_at(999), None, "the window is still open");
        assert_eq!(l.flush_at(1000), Some((2, 1000)));
        assert_eq!(l.flush_at(5000), None, "already told");
        // The flush opened a fresh window with its whole budget.
        assert_eq!(l.check_at(1500), LOG);
        assert_eq!(l.check_at(1600), Admit::Drop);
        assert_eq!(
            l.check_at(2000),
            Admit::Log {
                suppressed: 1,
                over_ms: 1000
            }
        );
    }

    #[test]
    fn admit_registers_a_limiter_for_flushing_once_it_drops() {
        static L: LogLimiter = LogLimiter::new("registry test", 0, 1000);
        let registered = || {
            REGISTRY
                .lock()
                .unwrap()
                .iter()
                .any(|l| std::ptr::eq(*l, &L))
        };
        // A budget of 0: the event opening the window is logged, the next one dropped.
        assert!(L.admit());
        assert!(!registered());
        assert!(!L.admit());
        assert!(registered());
        assert!(!L.admit());
        let count = REGISTRY
            .lock()
            .unwrap()
            .iter()
            .filter(|l| std::ptr::eq(**l, &L))
            .count();
        assert_eq!(count, 1);
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(12_345), "12,345");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
