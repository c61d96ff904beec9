//! The load tool behind `nanoipc bench` (in the manner of redis-benchmark) and `benches/ipc.rs`:
//! N connections each sending one request at a time for a duration or a request budget, a live
//! progress line, then req/s and latency percentiles. Also the minimal framed echo server the
//! benchmark compares the node against (`echo`).
//!
//! A run first sends one request outside the timed part. [`run_with`] can check that answer
//! ([`RunChecks::probe`]), so that a mistyped request is reported instead of measured as fast error
//! answers, and can check every timed answer against it ([`RunChecks::answers`], see `answers`):
//! error answers are then counted apart and left out of the rate and the latencies. [`run`] checks
//! nothing, because the echo server's answers are not protocol answers.

mod answers;
mod echo;
mod latency;

pub use answers::{check_answer, Expect};
pub use echo::{echo_server_tcp, echo_server_unix, echo_server_unix_answering};
pub use latency::{Latencies, MAX_TRACKED_US};

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::client::{Client, ClientError, Target};
use super::frame::Encoding;

/// When a run ends.
#[derive(Clone, Copy, Debug)]
pub enum Budget {
    Duration(Duration),
    Requests(u64),
}

/// What to send, where, how hard.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    pub target: Target,
    pub encoding: Encoding,
    pub payload: Bytes,
    pub connections: usize,
    pub budget: Budget,
    /// Print a progress line to stderr every second.
    pub progress: bool,
}

/// What a run checks besides counting answers.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunChecks {
    /// Decode the first answer (sent before the timed run, see [`check_answer`]) and stop with
    /// an error if it is an error answer or not an answer in the request's encoding.
    pub probe: bool,
    /// Check every timed answer cheaply ([`Expect`]): the probe's message type (v2) or no
    /// `error` key (legacy). Others count as [`BenchReport::errors`].
    pub answers: bool,
    /// Bound on connecting and on each request; a request that runs out fails the run.
    pub timeout: Option<Duration>,
}

/// The result of a run. Latencies in microseconds, of successful answers only.
#[derive(Clone, Debug)]
pub struct BenchReport {
    /// Successful answers (every answer when answers are not checked).
    pub requests: u64,
    /// Answers that failed the per-answer check: error answers, or answers of another type.
    pub errors: u64,
    pub elapsed: Duration,
    pub answer_len: usize,
    pub p50_us: u64,
    pub p99_us: u64,
    pub p999_us: u64,
    pub max_us: u64,
}

impl BenchReport {
    /// Successful requests per second.
    pub fn req_per_sec(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.requests as f64 / secs
        } else {
            0.0
        }
    }
}

impl std::fmt::Display for BenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} requests in {:.2}s: {:.0} req/s; latency p50 {} µs, p99 {} µs, p99.9 {} µs, max {} µs; answer {} bytes; {} error answers",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.req_per_sec(),
            self.p50_us,
            self.p99_us,
            self.p999_us,
            self.max_us,
            self.answer_len,
            self.errors
        )
    }
}

/// Bench failures.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{0}")]
    Client(#[from] ClientError),
    #[error("connections must be at least 1")]
    NoConnections,
    #[error("a load task failed: {0}")]
    Task(String),
    /// The probe request was answered with an error: the run would measure error answers.
    #[error("the node answered the request with an error: {0}")]
    ErrorAnswer(String),
    /// The probe's answer is not an answer in the request's encoding.
    #[error("the node's answer is not valid in encoding {encoding}: {reason}")]
    BadAnswer { encoding: u8, reason: String },
}

/// Run the load described by `opts`, counting answers without looking at them.
pub async fn run(opts: &BenchOptions) -> Result<BenchReport, BenchError> {
    run_with(opts, RunChecks::default()).await
}

/// Run the load described by `opts` with `checks`.
pub async fn run_with(opts: &BenchOptions, checks: RunChecks) -> Result<BenchReport, BenchError> {
    if opts.connections == 0 {
        return Err(BenchError::NoConnections);
    }
    // Connect everything first, so connection set-up is not measured.
    let mut clients = Vec::with_capacity(opts.connections);
    for _ in 0..opts.connections {
        clients.push(match checks.timeout {
            Some(limit) => Client::connect_timeout(&opts.target, limit).await?,
            None => Client::connect(&opts.target).await?,
        });
    }
    let probe = clients
        .first_mut()
        .ok_or(BenchError::NoConnections)?
        .request(opts.encoding, &opts.payload)
        .await?;
    if checks.probe {
        check_answer(opts.encoding, &probe)?;
    }
    let answer_len = probe.len();
    let expect = if checks.answers {
        Expect::from_probe(opts.encoding, &probe)
    } else {
        Expect::Anything
    };

    let done = Arc::new(AtomicU64::new(0));
    let remaining = Arc::new(AtomicU64::new(match opts.budget {
        Budget::Requests(n) => n,
        Budget::Duration(_) => u64::MAX,
    }));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(clients.len());
    for mut client in clients {
        let (done, remaining, stop) = (done.clone(), remaining.clone(), stop.clone());
        let (enc, payload) = (opts.encoding, opts.payload.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Latencies::new().map_err(|e| BenchError::Task(e.to_string()))?;
            let mut errors = 0u64;
            while !stop.load(Ordering::Relaxed)
                && remaining
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| r.checked_sub(1))
                    .is_ok()
            {
                let t = Instant::now();
                let answer = client.request(enc, &payload).await?;
                let latency = t.elapsed();
                if expect.accepts(&answer) {
                    latencies.record(latency);
                } else {
                    errors += 1;
                }
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, BenchError>((latencies, errors))
        }));
    }

    let ticker = {
        let (done, stop) = (done.clone(), stop.clone());
        let budget = opts.budget;
        let progress = opts.progress;
        tokio::spawn(async move {
            let mut last = 0u64;
            let mut interval = tokio::time::interval(Duration::from_secs(1));
            interval.tick().await;
            loop {
                interval.tick().await;
                let now = done.load(Ordering::Relaxed);
                if progress {
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r{} requests, {} req/s     ", now, now - last);
                    let _ = err.flush();
                }
                last = now;
                if let Budget::Duration(d) = budget {
                    if start.elapsed() >= d {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                if stop.load(Ordering::Relaxed) {
                    break;
                }
            }
        })
    };
    if let Budget::Duration(d) = opts.budget {
        let stop = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(d).await;
            stop.store(true, Ordering::Relaxed);
        });
    }

    let mut total = Latencies::new().map_err(|e| BenchError::Task(e.to_string()))?;
    let mut errors = 0u64;
    let mut first_err = None;
    for t in tasks {
        match t.await {
            Ok(Ok((latencies, task_errors))) => {
                total.merge(&latencies);
                errors += task_errors;
            }
            Ok(Err(e)) => {
                first_err.get_or_insert(e);
            }
            Err(e) => {
                first_err.get_or_insert(BenchError::Task(e.to_string()));
            }
        }
    }
    let elapsed = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    ticker.abort();
    if opts.progress {
        eprintln!();
    }
    if let Some(e) = first_err {
        return Err(e);
    }
    Ok(BenchReport {
        requests: total.len(),
        errors,
        elapsed,
        answer_len,
        p50_us: total.quantile_us(0.50),
        p99_us: total.quantile_us(0.99),
        p999_us: total.quantile_us(0.999),
        max_us: total.max_us(),
    })
}
