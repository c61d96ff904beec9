//! The load tool behind `nanoipc bench` (in the manner of redis-benchmark) and `benches/ipc.rs`:
//! N connections each sending one request at a time for a duration or a request budget, a live
//! progress line, then req/s and latency percentiles from an HdrHistogram. Also the minimal framed
//! echo server the benchmark compares the node against.
//!
//! A run first sends one request outside the timed part. [`run_with`] can check that answer
//! ([`RunChecks::probe`]), so that a mistyped request is reported instead of measured as fast error
//! answers; [`run`] does not, because the echo server's answers are not protocol answers.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hdrhistogram::Histogram;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, UnixListener};
use tokio_util::sync::CancellationToken;

use super::client::{Client, ClientError, Target, V2Answer, WireEncoding};
use super::frame::{Encoding, HEADER_LEN};

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
    /// Bound on connecting and on each request; a request that runs out fails the run.
    pub timeout: Option<Duration>,
}

/// The result of a run. Latencies in microseconds.
#[derive(Clone, Debug)]
pub struct BenchReport {
    pub requests: u64,
    pub elapsed: Duration,
    pub answer_len: usize,
    pub p50_us: u64,
    pub p99_us: u64,
    pub p999_us: u64,
    pub max_us: u64,
}

impl BenchReport {
    /// Completed requests per second.
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
            "{} requests in {:.2}s: {:.0} req/s; latency p50 {} µs, p99 {} µs, p99.9 {} µs, max {} µs; answer {} bytes",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.req_per_sec(),
            self.p50_us,
            self.p99_us,
            self.p999_us,
            self.max_us,
            self.answer_len
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

/// Checks one answer to a request in `encoding`: a legacy answer (1, 2) must be JSON without an
/// `"error"` key, a v2 answer (3, 4) a valid envelope whose message is not an `Error`.
pub fn check_answer(encoding: Encoding, answer: &[u8]) -> Result<(), BenchError> {
    let bad = |reason: String| BenchError::BadAnswer {
        encoding: encoding as u8,
        reason,
    };
    let wire = match encoding {
        Encoding::JsonV1 | Encoding::JsonV1Unsafe => {
            let v: serde_json::Value =
                serde_json::from_slice(answer).map_err(|e| bad(format!("not JSON: {e}")))?;
            return match v.get("error") {
                Some(serde_json::Value::String(e)) => Err(BenchError::ErrorAnswer(e.clone())),
                Some(e) => Err(BenchError::ErrorAnswer(e.to_string())),
                None => Ok(()),
            };
        }
        Encoding::Flatbuffers => WireEncoding::Binary,
        Encoding::FlatbuffersJson => WireEncoding::Json,
    };
    let answer = V2Answer::decode(wire, answer).map_err(|e| bad(e.to_string()))?;
    match answer.error() {
        Some(e) => Err(BenchError::ErrorAnswer(format!(
            "Error {} (category {}): {}",
            e.code,
            e.category,
            e.message.as_deref().unwrap_or_default()
        ))),
        None => Ok(()),
    }
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
            let mut hist = Histogram::<u64>::new(3).map_err(|e| BenchError::Task(e.to_string()))?;
            while !stop.load(Ordering::Relaxed)
                && remaining
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| r.checked_sub(1))
                    .is_ok()
            {
                let t = Instant::now();
                client.request(enc, &payload).await?;
                let us = u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX);
                hist.saturating_record(us);
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, BenchError>(hist)
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

    let mut total = Histogram::<u64>::new(3).map_err(|e| BenchError::Task(e.to_string()))?;
    let mut first_err = None;
    for t in tasks {
        match t.await {
            Ok(Ok(h)) => {
                let _ = total.add(&h);
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
        elapsed,
        answer_len,
        p50_us: total.value_at_quantile(0.50),
        p99_us: total.value_at_quantile(0.99),
        p999_us: total.value_at_quantile(0.999),
        max_us: total.max(),
    })
}

/// A minimal framed server for comparison: reads one frame (8-byte header + payload), writes a fixed
/// answer (be32 length + `answer_len` bytes), repeats. No validation, no handler, no pipelining
/// logic: the floor the node's overhead is measured against.
pub async fn echo_server_unix(
    path: &Path,
    answer_len: usize,
    stop: CancellationToken,
) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let listener = UnixListener::bind(path)?;
    let answer = fixed_answer(answer_len)?;
    Ok(tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                _ = stop.cancelled() => break,
                r = listener.accept() => r,
            };
            if let Ok((s, _)) = accepted {
                tokio::spawn(echo_conn(s, answer.clone(), stop.clone()));
            }
        }
    }))
}

/// [`echo_server_unix`] over TCP; returns the bound address.
pub async fn echo_server_tcp(
    addr: std::net::SocketAddr,
    answer_len: usize,
    stop: CancellationToken,
) -> std::io::Result<(std::net::SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let answer = fixed_answer(answer_len)?;
    Ok((
        local,
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    _ = stop.cancelled() => break,
                    r = listener.accept() => r,
                };
                if let Ok((s, _)) = accepted {
                    let _ = s.set_nodelay(true);
                    tokio::spawn(echo_conn(s, answer.clone(), stop.clone()));
                }
            }
        }),
    ))
}

fn fixed_answer(len: usize) -> std::io::Result<Bytes> {
    let len32 = u32::try_from(len)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "answer too long"))?;
    let mut v = len32.to_be_bytes().to_vec();
    v.resize(4 + len, b' ');
    Ok(Bytes::from(v))
}

async fn echo_conn<S: AsyncRead + AsyncWrite + Unpin>(
    mut s: S,
    answer: Bytes,
    stop: CancellationToken,
) {
    let mut header = [0u8; HEADER_LEN];
    let mut payload = Vec::new();
    loop {
        let read = tokio::select! {
            _ = stop.cancelled() => return,
            r = s.read_exact(&mut header) => r,
        };
        if read.is_err() {
            return;
        }
        let len = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
        // A comparison server for trusted benchmarks; still bounded so it cannot be made to allocate.
        if len > 1 << 20 {
            return;
        }
        payload.resize(len as usize, 0);
        if s.read_exact(&mut payload).await.is_err() || s.write_all(&answer).await.is_err() {
            return;
        }
    }
}
