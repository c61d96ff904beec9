//! One connection: read bytes, decode frames, call the handler seam for each, write the answers in
//! order. Sits between a listener (which accepted the stream) and the [`RequestHandler`].
//!
//! Pipelining: every complete frame already in the read buffer is answered before the session writes,
//! so a client that sends many requests at once gets its answers in one write, in request order.
//! Protocol errors end only this session; request errors are the handler's business and are answered.

use std::sync::Arc;
use std::time::Duration;

use bytes::{BufMut, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::{timeout, timeout_at, Instant};
use tokio_util::codec::Decoder;
use tokio_util::sync::CancellationToken;

use super::frame::{FrameDecoder, FrameError, RESPONSE_HEADER_LEN};
use super::handler::{NodeControl, Refusal, RefusalReason, Request, RequestHandler, SessionInfo};

/// Read-buffer growth step. Small, so 10,000 idle connections stay cheap.
const READ_CHUNK: usize = 4 * 1024;
/// Buffers that grew past this for one large request are dropped once empty, so a single large
/// request does not pin memory for the rest of a long-lived connection.
const KEEP_BUFFER: usize = 64 * 1024;
/// Answers are flushed once this many bytes are waiting, even mid-pipeline, to bound memory.
const FLUSH_AT: usize = 64 * 1024;

/// Time and size limits for one session, taken from the transport's configuration.
#[derive(Clone, Copy, Debug)]
pub struct SessionLimits {
    /// Bounds reading a whole frame once its first byte has arrived (however the bytes trickle in),
    /// and writing an answer.
    pub io_timeout: Duration,
    /// How long a connection may sit idle between requests; `None` keeps it as long as the client likes.
    pub idle_timeout: Option<Duration>,
    pub max_request_size: u32,
}

/// Cancellation signals a session obeys.
#[derive(Clone, Debug)]
pub struct SessionShutdown {
    /// Stop reading new requests; write what is already answered, then close.
    pub graceful: CancellationToken,
    /// The drain bound has passed: abandon even a write in progress.
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
    Refused(RefusalReason),
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

/// Run one session to its end. Never panics on input; every way out is a [`SessionEnd`].
pub async fn run<S>(
    mut stream: S,
    info: SessionInfo,
    limits: SessionLimits,
    handler: Arc<dyn RequestHandler>,
    node: NodeControl,
    shutdown: SessionShutdown,
) -> SessionEnd
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut decoder = FrameDecoder::new(limits.max_request_size);
    let mut rbuf = BytesMut::new();
    let mut wbuf = BytesMut::new();
    // When the frame now arriving must be complete. Set once, when the buffer first holds part of a
    // frame, and never re-armed by later reads: a client trickling one byte at a time must not hold
    // a started frame (and its buffer) open past `io_timeout`.
    let mut frame_deadline: Option<Instant> = None;
    loop {
        // Answer every complete frame already buffered (pipelining), flushing when the output grows.
        let mut fatal = None;
        loop {
            match decoder.decode(&mut rbuf) {
                Ok(Some(frame)) => {
                    frame_deadline = None;
                    let req = Request {
                        encoding: frame.encoding,
                        payload: frame.payload,
                        session: &info,
                        node: &node,
                    };
                    if let Err(end) = append_answer(&mut wbuf, |out| handler.handle(req, out)) {
                        return end;
                    }
                    if wbuf.len() >= FLUSH_AT {
                        if let Err(end) = flush(&mut stream, &mut wbuf, &limits, &shutdown).await {
                            return end;
                        }
                    }
                }
                Ok(None) => break,
                Err(FrameError::TooLarge { encoding, len, max }) => {
                    let reason = RefusalReason::TooLarge { len, max };
                    let refusal = Refusal {
                        encoding,
                        reason,
                        session: &info,
                    };
                    if let Err(end) = append_answer(&mut wbuf, |out| handler.refuse(refusal, out)) {
                        return end;
                    }
                    fatal = Some(SessionEnd::Refused(reason));
                    break;
                }
                Err(err) => {
                    fatal = Some(SessionEnd::BadPreamble(err));
                    break;
                }
            }
        }
        if let Err(end) = flush(&mut stream, &mut wbuf, &limits, &shutdown).await {
            return end;
        }
        if let Some(end) = fatal {
            let _ = stream.shutdown().await;
            return end;
        }
        if shutdown.graceful.is_cancelled() {
            return SessionEnd::Shutdown;
        }
        if rbuf.is_empty() && rbuf.capacity() > KEEP_BUFFER {
            rbuf = BytesMut::new();
        }
        if rbuf.capacity() - rbuf.len() < READ_CHUNK / 4 {
            rbuf.reserve(READ_CHUNK);
        }

        let mid_frame = decoder.is_mid_frame(&rbuf);
        if !mid_frame {
            frame_deadline = None;
        } else if frame_deadline.is_none() {
            frame_deadline = Some(deadline_after(limits.io_timeout));
        }
        let read = async {
            match (frame_deadline, limits.idle_timeout) {
                (Some(deadline), _) => timeout_at(deadline, stream.read_buf(&mut rbuf)).await.ok(),
                (None, Some(idle)) => timeout(idle, stream.read_buf(&mut rbuf)).await.ok(),
                (None, None) => Some(stream.read_buf(&mut rbuf).await),
            }
        };
        let outcome = tokio::select! {
            biased;
            _ = shutdown.graceful.cancelled() => return SessionEnd::Shutdown,
            r = read => r,
        };
        match outcome {
            None if mid_frame => return SessionEnd::ReadTimeout,
            None => return SessionEnd::IdleTimeout,
            Some(Ok(0)) if mid_frame => return SessionEnd::ClosedMidFrame,
            Some(Ok(0)) => return SessionEnd::Closed,
            Some(Ok(_)) => {}
            Some(Err(e)) => return SessionEnd::Io(e),
        }
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

/// Append one be32-length-prefixed answer produced by `produce` to `wbuf`, without copying: the
/// producer writes into the free tail of `wbuf`, split off and re-joined around the call.
fn append_answer(
    wbuf: &mut BytesMut,
    produce: impl FnOnce(&mut BytesMut),
) -> Result<(), SessionEnd> {
    let start = wbuf.len();
    wbuf.put_u32(0);
    let mut body = wbuf.split_off(start + RESPONSE_HEADER_LEN);
    produce(&mut body);
    let len = body.len();
    wbuf.unsplit(body);
    let Ok(len32) = u32::try_from(len) else {
        return Err(SessionEnd::ResponseTooLong(len));
    };
    if let Some(slot) = wbuf.get_mut(start..start + RESPONSE_HEADER_LEN) {
        slot.copy_from_slice(&len32.to_be_bytes());
    }
    Ok(())
}

/// Write everything in `wbuf`, bounded by `io_timeout` and the hard-stop signal.
async fn flush<S>(
    stream: &mut S,
    wbuf: &mut BytesMut,
    limits: &SessionLimits,
    shutdown: &SessionShutdown,
) -> Result<(), SessionEnd>
where
    S: AsyncWrite + Unpin,
{
    if wbuf.is_empty() {
        return Ok(());
    }
    let write = timeout(limits.io_timeout, stream.write_all(wbuf));
    tokio::select! {
        biased;
        _ = shutdown.hard.cancelled() => return Err(SessionEnd::Shutdown),
        r = write => match r {
            Err(_) => return Err(SessionEnd::WriteTimeout),
            Ok(Err(e)) => return Err(SessionEnd::Io(e)),
            Ok(Ok(())) => {}
        },
    }
    wbuf.clear();
    if wbuf.capacity() > KEEP_BUFFER {
        *wbuf = BytesMut::new();
    }
    Ok(())
}
