//! Log output for `nanoipc node`: never blocks a runtime worker, never grows without bound.
//!
//! A `tracing` event used to be written to stderr by the thread that emitted it. With stderr on
//! a pipe nobody reads, the pipe fills, that write blocks, and with it the runtime worker that
//! was serving a connection: 600 bad connections (one warning each) hung the node. Now events go
//! into a bounded in-memory queue drained by one dedicated thread (`tracing-appender`'s
//! non-blocking writer, lossy): when the queue is full a line is dropped and counted instead of
//! waiting, and the count is reported in the log every [`DROP_REPORT_EVERY`] once lines flow again.

use std::time::Duration;

use tracing_appender::non_blocking::{ErrorCounter, NonBlockingBuilder, WorkerGuard};

/// Lines the queue holds before dropping: a burst's worth (a few MB at most), small beside the
/// default of 128,000 which would let a stalled reader cost tens of MB.
const QUEUE_LINES: usize = 8192;

/// How often dropped lines are reported (if any were dropped).
pub const DROP_REPORT_EVERY: Duration = Duration::from_secs(10);

/// Keeps the log writer thread alive; dropping it flushes what is queued (for at most about a
/// second: a reader that never reads cannot hold the exit).
pub struct Logging {
    _guard: WorkerGuard,
    dropped: ErrorCounter,
}

/// Installs the global subscriber (filter from `RUST_LOG`, default `info`) writing to stderr
/// through the non-blocking queue.
pub fn init() -> Logging {
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(QUEUE_LINES)
        .thread_name("nanoipc-log")
        .finish(std::io::stderr());
    let dropped = writer.error_counter();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    Logging {
        _guard: guard,
        dropped,
    }
}

impl Logging {
    /// Reports lines dropped because the log reader fell behind, and the summaries of
    /// rate-limited warnings that are due, once per [`DROP_REPORT_EVERY`], until the runtime
    /// stops. The report itself may be dropped while
    /// the reader is still stalled; the count then carries over to the next one.
    pub fn spawn_drop_reporter(&self) {
        let dropped = self.dropped.clone();
        tokio::spawn(async move {
            let mut reported = 0usize;
            let mut tick = tokio::time::interval(DROP_REPORT_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                // Summaries of rate-limited warnings whose burst has stopped.
                nanoipc::log_limit::flush_due();
                let now = dropped.dropped_lines();
                if now > reported {
                    tracing::warn!(
                        dropped = now - reported,
                        total = now,
                        "log output is not read fast enough: lines dropped since the last report"
                    );
                    // Count as reported only once the report itself got through.
                    if dropped.dropped_lines() == now {
                        reported = now;
                    }
                }
            }
        });
    }
}
