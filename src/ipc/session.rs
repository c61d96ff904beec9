//! One connection: read bytes, decode frames, hand each request to the request core, write the
//! answers in request order. Sits between a listener (which accepted the stream) and the
//! [`Service`] (the node's [`RequestCore`](crate::api::RequestCore)).
//!
//! Pipelining: every complete frame already in the read buffer is served before the session writes,
//! so a client that sends many requests at once gets its answers in one write, in request order.
//! Most answers are ready at once and go straight into the write buffer. An answer that comes later
//! (a handler running on the blocking pool) holds its place in a queue: answers behind it wait in
//! the queue, the session keeps reading (up to [`MAX_IN_FLIGHT`] queued answers holding at most
//! [`MAX_QUEUED_BYTES`]), and other sessions are never affected. Events pushed by the node go out between answers.
//! Protocol errors end only this session; request errors are the core's business and are answered.
//!
//! Budgets: bytes of a partly received request past [`FREE_REQUEST_BYTES`] are taken from the
//! node-wide [`RequestBytes`] before they are read (waiting for room at most until the frame's
//! `io_timeout`, then answered `Node overloaded` and closed); malformed or refused requests past
//! `error_budget` end the session after a final `Too many errors`; a client that does not read
//! its answers pauses the session (nothing is read while a write waits on it). The session keeps
//! its counters in the caller's `SessionStats` (atomics, no lock) for the session table.

use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::time::{timeout, timeout_at, Instant};
use tokio_util::codec::Decoder;
use tokio_util::sync::CancellationToken;

use super::frame::{FrameDecoder, FrameError, RESERVE_STEP, RESPONSE_HEADER_LEN};
use super::table::RequestBytes;
use crate::api::{Caller, Encoding, Pending, Refusal, Reply, Service};
use crate::config::FREE_REQUEST_BYTES;

/// Read-buffer growth step. Small, so 10,000 idle connections stay cheap.
const READ_CHUNK: usize = 4 * 1024;
/// Buffers that grew past this for one large request are dropped once empty, so a single large
/// request does not pin memory for the rest of a long-lived connection.
const KEEP_BUFFER: usize = 64 * 1024;
/// Answers a session may hold behind one that is still being produced. At this bound the session
/// stops reading until the oldest answer is written, so a client pipelining behind a slow request
/// cannot make the node queue unbounded work or memory.
pub const MAX_IN_FLIGHT: usize = 1024;
/// Bytes of finished answers a session may hold behind one that is still being produced. The
/// count bound alone would let a client pipeline a thousand large answers (a `frontiers` or
/// `ledger` dump each) behind a slow request and make the node hold them all; at this bound the
/// session stops reading too. One answer may take it past the bound, never more.
pub const MAX_QUEUED_BYTES: usize = 4 * 1024 * 1024;

/// Time and size limits for one session, taken from the transport's configuration.
#[derive(Clone, Copy, Debug)]
pub struct SessionLimits {
    /// Bounds reading a whole frame once its first byte has arrived (however the bytes trickle in),
    /// and writing an answer.
    pub io_timeout: Duration,
    /// How long a connection may sit idle between requests; `None` keeps it as long as the client
    /// likes. A session waiting for an answer of its own is not idle.
    pub idle_timeout: Option<Duration>,
    pub max_request_size: u32,
    /// Malformed or refused requests allowed before the session is answered `Too many errors`
    /// and closed; 0: no budget.
    pub error_budget: u32,
    /// Unwritten answer bytes at which the session stops serving requests and writes until its
    /// client reads (paused): answers are flushed once this many are waiting, even mid-pipeline.
    pub max_unwritten: usize,
}

/// Cancellation signals a session obeys.
#[derive(Clone, Debug)]
pub struct SessionShutdown {
    /// Stop reading new requests; write what is already answered or being answered, then close.
    pub graceful: CancellationToken,
    /// The drain bound has passed, or the node closes this one session (eviction, admin
    /// disconnect): abandon even a write (or an answer) in progress.
    pub hard: CancellationToken,
}

/// How a session ended, for the log line.
#[derive(Debug, thiserror::Error)]
pub enum SessionEnd {
    #[error("client closed the connection")]
    Closed,
    #[error("client closed the connection in the middle of a frame")]
    ClosedMidFrame,
    #[error("{0}")]
    BadPreamble(FrameError),
    #[error("{0}; answered and closed")]
    Refused(Refusal),
    #[error("timed out reading a started frame")]
    ReadTimeout,
    #[error("idle limit reached")]
    IdleTimeout,
    #[error("timed out writing an answer")]
    WriteTimeout,
    #[error("response of {0} bytes does not fit a be32 length")]
    ResponseTooLong(usize),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("node shutting down")]
    Shutdown,
    #[error("no room in the node's budget for partly received requests within io_timeout; answered and closed")]
    BudgetTimeout,
}

/// One answer's place in the session's output order.
enum Slot {
    /// A framed answer waiting for the ones before it.
    Ready(BytesMut),
    /// An answer still being produced.
    Pending(Pending),
}

/// Everything one session owns besides its stream.
struct Session {
    caller: Caller,
    limits: SessionLimits,
    service: Arc<dyn Service>,
    shutdown: SessionShutdown,
    /// Framed answers (and events) ready to write, in order.
    wbuf: BytesMut,
    /// Answers behind one still being produced, in request order.
    queue: VecDeque<Slot>,
    /// Bytes held by the `Ready` slots of `queue`.
    queued_bytes: usize,
    /// The node-wide budget for partly received requests, and how much of it this session holds.
    budget: RequestBytes,
    held: usize,
    /// Deferred answers that arrived but are not written yet: the session stays busy (not
    /// evictable) until they are.
    answered_unwritten: u64,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.budget.give(self.held);
    }
}

/// Run one session to its end. Never panics on input; every way out is a [`SessionEnd`].
/// `events` receives what the node pushes through `caller.events`; `budget` is the node-wide
/// budget for partly received requests (beyond [`FREE_REQUEST_BYTES`] per session).
pub async fn run<S>(
    mut stream: S,
    caller: Caller,
    limits: SessionLimits,
    service: Arc<dyn Service>,
    shutdown: SessionShutdown,
    mut events: mpsc::Receiver<Bytes>,
    budget: RequestBytes,
) -> SessionEnd
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut s = Session {
        caller,
        limits,
        service,
        shutdown,
        wbuf: BytesMut::new(),
        queue: VecDeque::new(),
        queued_bytes: 0,
        budget,
        held: 0,
        answered_unwritten: 0,
    };
    let mut decoder = FrameDecoder::new(limits.max_request_size);
    let mut rbuf = BytesMut::new();
    let mut events_open = true;
    // When the frame now arriving must be complete. Set once, when the buffer first holds part of a
    // frame, and never re-armed by later reads: a client trickling one byte at a time must not hold
    // a started frame (and its buffer) open past `io_timeout`.
    let mut frame_deadline: Option<Instant> = None;
    loop {
        // Answers that became ready at the head of the queue free their place first.
        s.move_ready_answers();
        // Serve every complete frame already buffered (pipelining), flushing when output grows.
        let mut fatal = None;
        let mut decoded = false;
        while s.may_serve() {
            match decoder.decode(&mut rbuf) {
                Ok(Some(frame)) => {
                    frame_deadline = None;
                    decoded = true;
                    let encoding = frame.encoding;
                    if let Err(end) = s.serve(encoding, frame.payload) {
                        return end;
                    }
                    if let Some(refusal) = s.over_error_budget() {
                        s.refuse(encoding, refusal);
                        fatal = Some(SessionEnd::Refused(refusal));
                        break;
                    }
                    if s.wbuf.len() >= s.limits.max_unwritten {
                        if let Err(end) = s.flush(&mut stream).await {
                            return end;
                        }
                    }
                }
                Ok(None) => break,
                Err(FrameError::TooLarge { encoding, len, max }) => {
                    let reason = Refusal::TooLarge { len, max };
                    s.caller.stats.note_error();
                    s.refuse(encoding, reason);
                    fatal = Some(SessionEnd::Refused(reason));
                    s.service.metrics().connection_refused(
                        crate::api::metrics::ConnectionRefusal::RequestTooLarge,
                    );
                    break;
                }
                Err(err) => {
                    fatal = Some(SessionEnd::BadPreamble(err));
                    break;
                }
            }
        }
        // Stopped by a bound rather than by running out of frames: frames may still sit in the
        // read buffer, and no read will come to serve them (the client waits for its answers).
        let held_back = fatal.is_none() && !s.may_serve();
        // Served frames left the read buffer: give their bytes back to the node. (Only then: the
        // room taken for a frame still arriving is kept until it completes.)
        if decoded {
            s.release_budget(rbuf.len());
        }
        s.move_ready_answers();
        if let Err(end) = s.flush(&mut stream).await {
            return end;
        }
        if let Some(end) = fatal {
            // Answers already promised are still owed; then close.
            if let Err(end) = s.drain(&mut stream).await {
                return end;
            }
            let _ = stream.shutdown().await;
            return end;
        }
        if s.shutdown.graceful.is_cancelled() {
            return s
                .drain(&mut stream)
                .await
                .err()
                .unwrap_or(SessionEnd::Shutdown);
        }
        if held_back && s.may_serve() {
            // The bound freed up by writing ready answers: serve what is buffered before reading.
            continue;
        }
        if rbuf.is_empty() && rbuf.capacity() > KEEP_BUFFER {
            rbuf = BytesMut::new();
        }
        let mid_frame = decoder.is_mid_frame(&rbuf);
        // How much the next read may add: a small chunk between requests, larger steps inside a
        // large one. Bytes past the session's free allowance come from the node-wide budget,
        // taken before they are read.
        let step = match decoder.payload_missing(&rbuf) {
            // Inside a large payload: bigger steps, but never past its end, so a frame of
            // max_request_size always fits a budget of at least that size.
            Some(missing) if rbuf.len() >= READ_CHUNK => missing.clamp(1, RESERVE_STEP),
            _ => READ_CHUNK,
        };
        let want = rbuf.len() + step;
        let short = want
            .saturating_sub(FREE_REQUEST_BYTES)
            .saturating_sub(s.held);
        let short = u32::try_from(short).unwrap_or(u32::MAX);
        if short > 0 && s.budget.try_take(short) {
            s.held += short as usize;
        }
        let budget_short = short > 0 && s.held + FREE_REQUEST_BYTES < want;
        let room = (s.held + FREE_REQUEST_BYTES).saturating_sub(rbuf.len());
        if rbuf.capacity() - rbuf.len() < room.min(READ_CHUNK) {
            rbuf.reserve(room.min(step));
        }
        let may_read = s.may_serve();
        if !mid_frame || !may_read {
            // While the session itself has stopped reading (answers owed), the client cannot
            // finish its frame: the clock for it starts again when reading resumes.
            frame_deadline = None;
        } else if frame_deadline.is_none() {
            frame_deadline = Some(deadline_after(s.limits.io_timeout));
        }
        // Waiting for an answer of its own is not idleness.
        let idle = s.limits.idle_timeout.filter(|_| s.queue.is_empty());
        let waiting_on_front = matches!(s.queue.front(), Some(Slot::Pending(_)));
        let graceful = s.shutdown.graceful.clone();
        let hard = s.shutdown.hard.clone();
        let budget = s.budget.clone();
        let wait_budget = async {
            match frame_deadline {
                Some(deadline) => timeout_at(deadline, budget.take(short)).await.is_ok(),
                None => {
                    budget.take(short).await;
                    true
                }
            }
        };
        let read = async {
            let mut limited = (&mut rbuf).limit(room);
            match (frame_deadline, idle) {
                (Some(deadline), _) => timeout_at(deadline, stream.read_buf(&mut limited))
                    .await
                    .ok(),
                (None, Some(idle)) => timeout(idle, stream.read_buf(&mut limited)).await.ok(),
                (None, None) => Some(stream.read_buf(&mut limited).await),
            }
        };
        let front = poll_fn(|cx| match s.queue.front_mut() {
            Some(Slot::Pending(p)) => Pin::new(p).poll(cx),
            _ => Poll::Pending,
        });
        let woke = tokio::select! {
            biased;
            _ = hard.cancelled() => Woke::Killed,
            _ = graceful.cancelled() => Woke::Shutdown,
            answer = front, if waiting_on_front => Woke::Answer(answer),
            event = events.recv(), if events_open => Woke::Event(event),
            got = wait_budget, if may_read && budget_short => Woke::Budget(got),
            r = read, if may_read && !budget_short => Woke::Read(r),
        };
        match woke {
            Woke::Killed => return SessionEnd::Shutdown,
            Woke::Budget(true) => s.held += short as usize,
            Woke::Budget(false) => {
                // The frame's clock ran out waiting for room: answer in its encoding and close.
                if let Some(encoding) = decoder.encoding() {
                    s.refuse(encoding, Refusal::Overloaded);
                }
                let _ = s.drain(&mut stream).await;
                let _ = stream.shutdown().await;
                return SessionEnd::BudgetTimeout;
            }
            Woke::Shutdown => {
                return s
                    .drain(&mut stream)
                    .await
                    .err()
                    .unwrap_or(SessionEnd::Shutdown);
            }
            Woke::Answer(answer) => {
                s.queue.pop_front();
                s.answered_unwritten += 1;
                if let Err(end) = put_frame(&mut s.wbuf, &answer) {
                    return end;
                }
            }
            Woke::Event(Some(event)) => {
                if let Err(end) = put_frame(&mut s.wbuf, &event) {
                    return end;
                }
            }
            Woke::Event(None) => events_open = false,
            Woke::Read(None) if mid_frame => return SessionEnd::ReadTimeout,
            Woke::Read(None) => return SessionEnd::IdleTimeout,
            Woke::Read(Some(Ok(0))) => {
                // End of stream is how a departed client looks (a socket cannot tell a half-close
                // from a close until a write fails), as in nano-node, which ends the session
                // there. Answers already made are still written; answers still being produced
                // are abandoned, which tells their handlers (proof-of-work) to stop.
                // A frame cut off by the close is dropped unanswered.
                s.move_ready_answers();
                let _ = s.flush(&mut stream).await;
                return match mid_frame {
                    true => SessionEnd::ClosedMidFrame,
                    false => SessionEnd::Closed,
                };
            }
            Woke::Read(Some(Ok(n))) => {
                s.service.metrics().bytes_received(n);
                s.note_read(n);
            }
            Woke::Read(Some(Err(e))) => return SessionEnd::Io(e),
        }
    }
}

/// What ended one wait of the session loop.
enum Woke {
    Killed,
    Budget(bool),
    Shutdown,
    Answer(BytesMut),
    Event(Option<Bytes>),
    Read(Option<std::io::Result<usize>>),
}

impl Session {
    /// Serve one request. A ready answer goes straight into the write buffer when nothing is
    /// queued ahead of it (the common case: no copy), otherwise it queues in order.
    fn serve(&mut self, encoding: Encoding, payload: Bytes) -> Result<(), SessionEnd> {
        let stats = &self.caller.stats;
        stats.requests.fetch_add(1, Ordering::Relaxed);
        if stats.logging.load(Ordering::Relaxed) {
            log_request(self.caller.session_id, encoding, &payload);
        }
        let (service, caller) = (&self.service, &self.caller);
        if self.queue.is_empty() {
            let start = self.wbuf.len();
            let reply = frame_into(&mut self.wbuf, |out| {
                service.serve(caller, encoding, payload, out)
            })?;
            if let Reply::Later(pending) = reply {
                self.wbuf.truncate(start);
                self.queue_pending(pending);
            }
        } else {
            let mut answer = BytesMut::new();
            match frame_into(&mut answer, |out| {
                service.serve(caller, encoding, payload, out)
            })? {
                Reply::Ready => self.queue_ready(answer),
                Reply::Later(pending) => self.queue_pending(pending),
            }
        }
        Ok(())
    }

    /// Queue an answer still being produced; the session is not idle while it waits.
    fn queue_pending(&mut self, pending: Pending) {
        self.caller.stats.in_flight.fetch_add(1, Ordering::Relaxed);
        self.queue.push_back(Slot::Pending(pending));
    }

    /// Queue the answer to a request refused unread, in the client's encoding.
    fn refuse(&mut self, encoding: Encoding, reason: Refusal) {
        let (service, caller) = (&self.service, &self.caller);
        let mut answer = BytesMut::new();
        // A refusal is a few dozen bytes: it always fits a be32 length.
        let _ = frame_into(&mut answer, |out| {
            service.refuse(caller, encoding, reason, out);
            Reply::Ready
        });
        self.push_ready(answer);
    }

    /// The refusal that ends the session when it has made more bad requests than its budget.
    fn over_error_budget(&self) -> Option<Refusal> {
        let budget = self.limits.error_budget;
        (budget > 0 && self.caller.stats.errors() > u64::from(budget))
            .then_some(Refusal::TooManyErrors { budget })
    }

    /// Keep only the budget the `buffered` bytes still need.
    fn release_budget(&mut self, buffered: usize) {
        let need = buffered.saturating_sub(FREE_REQUEST_BYTES);
        if self.held > need {
            self.budget.give(self.held - need);
            self.held = need;
        }
    }

    /// Count `n` request bytes read.
    fn note_read(&self, n: usize) {
        let stats = &self.caller.stats;
        stats.bytes_in.fetch_add(n as u64, Ordering::Relaxed);
        stats.touch();
    }

    /// Whether the session may take another request: both bounds on what it holds are free.
    fn may_serve(&self) -> bool {
        self.queue.len() < MAX_IN_FLIGHT && self.queued_bytes < MAX_QUEUED_BYTES
    }

    /// Queue a framed answer in order.
    fn push_ready(&mut self, answer: BytesMut) {
        if self.queue.is_empty() {
            self.wbuf.extend_from_slice(&answer);
        } else {
            self.queue_ready(answer);
        }
    }

    /// Put a finished answer at the back of the queue, counting its bytes.
    fn queue_ready(&mut self, answer: BytesMut) {
        self.queued_bytes = self.queued_bytes.saturating_add(answer.len());
        self.queue.push_back(Slot::Ready(answer));
    }

    /// Move the ready answers at the head of the queue into the write buffer.
    fn move_ready_answers(&mut self) {
        while let Some(Slot::Ready(_)) = self.queue.front() {
            if let Some(Slot::Ready(answer)) = self.queue.pop_front() {
                self.queued_bytes = self.queued_bytes.saturating_sub(answer.len());
                self.wbuf.extend_from_slice(&answer);
            }
        }
    }

    /// Write every answer still owed, waiting for the ones being produced, then flush. Bounded by
    /// the hard-stop signal, and each write by `io_timeout`.
    async fn drain<S: AsyncWrite + Unpin>(&mut self, stream: &mut S) -> Result<(), SessionEnd> {
        loop {
            self.move_ready_answers();
            self.flush(stream).await?;
            let Some(Slot::Pending(pending)) = self.queue.pop_front() else {
                return Ok(());
            };
            self.answered_unwritten += 1;
            let answer = tokio::select! {
                biased;
                _ = self.shutdown.hard.cancelled() => return Err(SessionEnd::Shutdown),
                answer = pending => answer,
            };
            put_frame(&mut self.wbuf, &answer)?;
        }
    }

    /// Write everything in the write buffer. Each write must make progress within `io_timeout`;
    /// the hard-stop signal abandons it. While a write waits on a client that does not read its
    /// answers, the session is marked paused: it reads no requests meanwhile, and what it holds
    /// unwritten is bounded by `max_unwritten` plus one answer.
    async fn flush<S: AsyncWrite + Unpin>(&mut self, stream: &mut S) -> Result<(), SessionEnd> {
        let stats = self.caller.stats.clone();
        let result = self.write_out(stream, &stats).await;
        stats.paused.store(false, Ordering::Relaxed);
        if result.is_ok() {
            stats
                .in_flight
                .fetch_sub(self.answered_unwritten, Ordering::Relaxed);
            self.answered_unwritten = 0;
        }
        result
    }

    async fn write_out<S: AsyncWrite + Unpin>(
        &mut self,
        stream: &mut S,
        stats: &crate::api::SessionStats,
    ) -> Result<(), SessionEnd> {
        if self.wbuf.is_empty() {
            return Ok(());
        }
        let mut written = 0;
        while written < self.wbuf.len() {
            let rest = self.wbuf.get(written..).unwrap_or_default();
            let mut write = std::pin::pin!(stream.write(rest));
            // One poll first: a write that cannot go out now means the client is not reading,
            // and the session is paused (it reads no requests) until it does.
            let first = poll_fn(|cx| Poll::Ready(write.as_mut().poll(cx))).await;
            let result = match first {
                Poll::Ready(r) => Ok(r),
                Poll::Pending => {
                    stats.paused.store(true, Ordering::Relaxed);
                    tokio::select! {
                        biased;
                        _ = self.shutdown.hard.cancelled() => return Err(SessionEnd::Shutdown),
                        r = timeout(self.limits.io_timeout, write) => r,
                    }
                }
            };
            let n = match result {
                Err(_) => return Err(SessionEnd::WriteTimeout),
                Ok(Err(e)) => return Err(SessionEnd::Io(e)),
                Ok(Ok(0)) => return Err(SessionEnd::Io(std::io::ErrorKind::WriteZero.into())),
                Ok(Ok(n)) => n,
            };
            written += n;
            stats.bytes_out.fetch_add(n as u64, Ordering::Relaxed);
            self.service.metrics().bytes_sent(n);
            stats.touch();
        }
        let _ = stream.flush().await;
        self.wbuf.clear();
        if self.wbuf.capacity() > KEEP_BUFFER {
            self.wbuf = BytesMut::new();
        }
        Ok(())
    }
}

/// One log line for a request of a session whose logging is on (`SessionLog`): its encoding, size
/// and, for the JSON encodings, the start of its text.
fn log_request(session: u64, encoding: Encoding, payload: &[u8]) {
    const SHOWN: usize = 256;
    let text = match encoding {
        Encoding::Flatbuffers => String::new(),
        _ => String::from_utf8_lossy(payload.get(..SHOWN).unwrap_or(payload)).into_owned(),
    };
    tracing::info!(session, encoding = encoding.as_byte(), bytes = payload.len(), %text, "request");
}

/// `now + limit`, saturating far in the future for a configured limit too large to add (as
/// `tokio::time::timeout` does), so an extreme `io_timeout` cannot panic the session.
fn deadline_after(limit: Duration) -> Instant {
    /// About 30 years: longer than any process lives, small enough to add to a monotonic clock.
    const FAR: Duration = Duration::from_secs(86_400 * 365 * 30);
    let now = Instant::now();
    now.checked_add(limit)
        .or_else(|| now.checked_add(FAR))
        .unwrap_or(now)
}

/// Append one be32-length-prefixed answer produced by `produce` to `buf`, without copying: the
/// producer writes into the free tail of `buf`, split off and re-joined around the call. When the
/// producer defers its answer ([`Reply::Later`]) the caller removes the empty frame.
fn frame_into(
    buf: &mut BytesMut,
    produce: impl FnOnce(&mut BytesMut) -> Reply,
) -> Result<Reply, SessionEnd> {
    let start = buf.len();
    buf.put_u32(0);
    let mut body = buf.split_off(start + RESPONSE_HEADER_LEN);
    let reply = produce(&mut body);
    let len = body.len();
    buf.unsplit(body);
    let Ok(len32) = u32::try_from(len) else {
        return Err(SessionEnd::ResponseTooLong(len));
    };
    if let Some(slot) = buf.get_mut(start..start + RESPONSE_HEADER_LEN) {
        slot.copy_from_slice(&len32.to_be_bytes());
    }
    Ok(reply)
}

/// Append `payload` with its be32 length.
fn put_frame(buf: &mut BytesMut, payload: &[u8]) -> Result<(), SessionEnd> {
    let len =
        u32::try_from(payload.len()).map_err(|_| SessionEnd::ResponseTooLong(payload.len()))?;
    buf.reserve(RESPONSE_HEADER_LEN + payload.len());
    buf.put_u32(len);
    buf.extend_from_slice(payload);
    Ok(())
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
