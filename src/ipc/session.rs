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

use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::time::{timeout, timeout_at, Instant};
use tokio_util::codec::Decoder;
use tokio_util::sync::CancellationToken;

use super::frame::{FrameDecoder, FrameError, RESPONSE_HEADER_LEN};
use crate::api::{Caller, Pending, Refusal, Reply, Service};

/// Read-buffer growth step. Small, so 10,000 idle connections stay cheap.
const READ_CHUNK: usize = 4 * 1024;
/// Buffers that grew past this for one large request are dropped once empty, so a single large
/// request does not pin memory for the rest of a long-lived connection.
const KEEP_BUFFER: usize = 64 * 1024;
/// Answers are flushed once this many bytes are waiting, even mid-pipeline, to bound memory.
const FLUSH_AT: usize = 64 * 1024;
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
}

/// Cancellation signals a session obeys.
#[derive(Clone, Debug)]
pub struct SessionShutdown {
    /// Stop reading new requests; write what is already answered or being answered, then close.
    pub graceful: CancellationToken,
    /// The drain bound has passed: abandon even a write (or an answer) in progress.
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
}

/// Run one session to its end. Never panics on input; every way out is a [`SessionEnd`].
/// `events` receives what the node pushes through `caller.events`.
pub async fn run<S>(
    mut stream: S,
    caller: Caller,
    limits: SessionLimits,
    service: Arc<dyn Service>,
    shutdown: SessionShutdown,
    mut events: mpsc::Receiver<Bytes>,
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
        while s.may_serve() {
            match decoder.decode(&mut rbuf) {
                Ok(Some(frame)) => {
                    frame_deadline = None;
                    if let Err(end) = s.serve(frame.encoding, frame.payload) {
                        return end;
                    }
                    if s.wbuf.len() >= FLUSH_AT {
                        if let Err(end) = s.flush(&mut stream).await {
                            return end;
                        }
                    }
                }
                Ok(None) => break,
                Err(FrameError::TooLarge { encoding, len, max }) => {
                    let reason = Refusal::TooLarge { len, max };
                    let (service, caller) = (&s.service, &s.caller);
                    let mut answer = BytesMut::new();
                    if let Err(end) = frame_into(&mut answer, |out| {
                        service.refuse(caller, encoding, reason, out);
                        Reply::Ready
                    }) {
                        return end;
                    }
                    s.push_ready(answer);
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
        if rbuf.capacity() - rbuf.len() < READ_CHUNK / 4 {
            rbuf.reserve(READ_CHUNK);
        }

        let mid_frame = decoder.is_mid_frame(&rbuf);
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
        let read = async {
            match (frame_deadline, idle) {
                (Some(deadline), _) => timeout_at(deadline, stream.read_buf(&mut rbuf)).await.ok(),
                (None, Some(idle)) => timeout(idle, stream.read_buf(&mut rbuf)).await.ok(),
                (None, None) => Some(stream.read_buf(&mut rbuf).await),
            }
        };
        let front = poll_fn(|cx| match s.queue.front_mut() {
            Some(Slot::Pending(p)) => Pin::new(p).poll(cx),
            _ => Poll::Pending,
        });
        let woke = tokio::select! {
            biased;
            _ = graceful.cancelled() => Woke::Shutdown,
            answer = front, if waiting_on_front => Woke::Answer(answer),
            event = events.recv(), if events_open => Woke::Event(event),
            r = read, if may_read => Woke::Read(r),
        };
        match woke {
            Woke::Shutdown => {
                return s
                    .drain(&mut stream)
                    .await
                    .err()
                    .unwrap_or(SessionEnd::Shutdown);
            }
            Woke::Answer(answer) => {
                s.queue.pop_front();
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
            Woke::Read(Some(Ok(n))) => s.service.metrics().bytes_received(n),
            Woke::Read(Some(Err(e))) => return SessionEnd::Io(e),
        }
    }
}

/// What ended one wait of the session loop.
enum Woke {
    Shutdown,
    Answer(BytesMut),
    Event(Option<Bytes>),
    Read(Option<std::io::Result<usize>>),
}

impl Session {
    /// Serve one request. A ready answer goes straight into the write buffer when nothing is
    /// queued ahead of it (the common case: no copy), otherwise it queues in order.
    fn serve(&mut self, encoding: crate::api::Encoding, payload: Bytes) -> Result<(), SessionEnd> {
        let (service, caller) = (&self.service, &self.caller);
        if self.queue.is_empty() {
            let start = self.wbuf.len();
            let reply = frame_into(&mut self.wbuf, |out| {
                service.serve(caller, encoding, payload, out)
            })?;
            if let Reply::Later(pending) = reply {
                self.wbuf.truncate(start);
                self.queue.push_back(Slot::Pending(pending));
            }
        } else {
            let mut answer = BytesMut::new();
            match frame_into(&mut answer, |out| {
                service.serve(caller, encoding, payload, out)
            })? {
                Reply::Ready => self.queue_ready(answer),
                Reply::Later(pending) => self.queue.push_back(Slot::Pending(pending)),
            }
        }
        Ok(())
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
            let answer = tokio::select! {
                biased;
                _ = self.shutdown.hard.cancelled() => return Err(SessionEnd::Shutdown),
                answer = pending => answer,
            };
            put_frame(&mut self.wbuf, &answer)?;
        }
    }

    /// Write everything in the write buffer, bounded by `io_timeout` and the hard-stop signal.
    async fn flush<S: AsyncWrite + Unpin>(&mut self, stream: &mut S) -> Result<(), SessionEnd> {
        if self.wbuf.is_empty() {
            return Ok(());
        }
        let write = timeout(self.limits.io_timeout, stream.write_all(&self.wbuf));
        tokio::select! {
            biased;
            _ = self.shutdown.hard.cancelled() => return Err(SessionEnd::Shutdown),
            r = write => match r {
                Err(_) => return Err(SessionEnd::WriteTimeout),
                Ok(Err(e)) => return Err(SessionEnd::Io(e)),
                Ok(Ok(())) => self.service.metrics().bytes_sent(self.wbuf.len()),
            },
        }
        self.wbuf.clear();
        if self.wbuf.capacity() > KEEP_BUFFER {
            self.wbuf = BytesMut::new();
        }
        Ok(())
    }
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
