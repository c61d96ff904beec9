//! The request core: the single entry point that serves one request in any encoding for any
//! transport. IPC sessions (and the HTTP gateway) hand it a [`Caller`], an [`Encoding`] and a
//! payload; it routes encodings 1 and 2 to the legacy front end and 3 and 4 to the v2 envelope
//! service, and returns a [`Reply`].
//!
//! Most requests are answered inline (microseconds of LMDB reads) and appended straight to the
//! transport's output buffer. A request whose handler blocks — signature checks and an LMDB write
//! (`process`), seconds of proof-of-work (`work_generate`, `block_create`) — is moved to the
//! blocking pool and answered later through [`Reply::Later`]; so is a costly read (a large body,
//! count or list, a whole-table scan), behind a node-wide limit (`api::offload`). The transport
//! keeps the session's answers in request order and goes on serving other sessions meanwhile.
//!
//! The legacy front end lives in `rpc_legacy`, which depends on this module; the core reaches it
//! through the [`LegacyRpc`] trait so that the dependency points one way.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use tokio::sync::Semaphore;

use super::metrics::{self, Metrics, Outcome};
use super::{v2, Api, ApiError, Caller, Cost, Encoding};

/// What a transport calls: serve one request, or answer one refused unread. Implemented by the
/// node's [`RequestCore`] and by test doubles.
pub trait Service: Send + Sync + 'static {
    /// Serve `payload` (in `encoding`) for `caller`. Either the complete answer is appended to
    /// `out` (empty on entry) and [`Reply::Ready`] returned, or [`Reply::Later`] yields it.
    fn serve(
        &self,
        caller: &Caller,
        encoding: Encoding,
        payload: Bytes,
        out: &mut BytesMut,
    ) -> Reply;

    /// Append the answer to a request refused before its payload was read, in the encoding the
    /// client announced. The transport closes the connection after sending it.
    fn refuse(&self, caller: &Caller, encoding: Encoding, reason: Refusal, out: &mut BytesMut);

    /// Where transports report sessions, bytes and refused connections. A service without its
    /// own table (a test double) reports into one nobody reads.
    fn metrics(&self) -> &Metrics {
        Metrics::detached()
    }
}

/// Shared services are services too, so a test can keep a handle on its service.
impl<S: Service + ?Sized> Service for Arc<S> {
    fn serve(
        &self,
        caller: &Caller,
        encoding: Encoding,
        payload: Bytes,
        out: &mut BytesMut,
    ) -> Reply {
        (**self).serve(caller, encoding, payload, out)
    }

    fn refuse(&self, caller: &Caller, encoding: Encoding, reason: Refusal, out: &mut BytesMut) {
        (**self).refuse(caller, encoding, reason, out)
    }

    fn metrics(&self) -> &Metrics {
        (**self).metrics()
    }
}

/// How a request is answered.
pub enum Reply {
    /// The answer is already in the output buffer.
    Ready,
    /// The answer comes later (the handler runs off the async workers).
    Later(Pending),
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reply::Ready => "Reply::Ready",
            Reply::Later(_) => "Reply::Later",
        })
    }
}

/// An answer being produced elsewhere. Resolves to the complete answer payload; never fails (a
/// handler that panicked resolves to an internal-error answer in the request's encoding).
///
/// Dropping it before it resolves (the session ended: the client left, or the node stopped)
/// marks the request [`Abandoned`], so a long handler (proof-of-work) can stop early.
pub struct Pending {
    answer: Pin<Box<dyn Future<Output = BytesMut> + Send>>,
    abandoned: Abandoned,
}

/// Whether nobody waits for a deferred request's answer any more. Set when its [`Pending`] is
/// dropped; read by the handler through [`abandoned`] on the blocking thread that runs it.
#[derive(Clone, Debug, Default)]
pub struct Abandoned(Arc<Shared>);

/// What a deferred request's two ends share: whether its answer is still wanted, and what its
/// handler noted for the metrics on the blocking thread ([`Outcome::to_bits`]).
#[derive(Debug, Default)]
struct Shared {
    abandoned: AtomicBool,
    outcome: std::sync::atomic::AtomicU32,
}

impl Abandoned {
    /// True once the answer is no longer wanted.
    pub fn is_set(&self) -> bool {
        self.0.abandoned.load(Ordering::Relaxed)
    }
}

thread_local! {
    /// The flag of the deferred request this blocking thread is running, if any.
    static RUNNING: std::cell::RefCell<Option<Abandoned>> = const { std::cell::RefCell::new(None) };
}

/// The abandonment flag of the deferred request running on this thread: `None` for a request
/// answered inline (its caller is waiting for it right there). Lets a blocking handler stop work
/// nobody will read without threading the caller through every typed core function.
pub fn abandoned() -> Option<Abandoned> {
    RUNNING.with(|r| r.borrow().clone())
}

impl Drop for Pending {
    fn drop(&mut self) {
        self.abandoned.0.abandoned.store(true, Ordering::Relaxed);
    }
}

impl Pending {
    /// Runs `produce` on the blocking pool. If it panics, the answer is `on_panic()` instead, so a
    /// bug in one handler costs its caller one error answer, never the session.
    ///
    /// Called on a thread already running a deferred request (a large body deferred whole, whose
    /// handler defers again), `produce` runs right here: waiting for a second pool thread could
    /// exhaust the pool with waiters.
    pub fn blocking(
        produce: impl FnOnce() -> BytesMut + Send + 'static,
        on_panic: impl FnOnce() -> BytesMut + Send + 'static,
    ) -> Self {
        if abandoned().is_some() {
            return Self::ready(produce());
        }
        let abandoned = Abandoned::default();
        let task = spawn_deferred(abandoned.clone(), produce);
        Pending {
            answer: Box::pin(finish_deferred(task, abandoned.clone(), on_panic)),
            abandoned,
        }
    }

    /// Like [`Pending::blocking`], but `produce` starts only once one of `slots` is free, and the
    /// slot is asked for only when the answer is first awaited: a session awaits its oldest
    /// answer only, so a session pipelining costly reads holds one slot at a time, and sessions
    /// take the slots in arrival order (tokio's semaphore is fair). A request abandoned while
    /// waiting never runs.
    pub fn limited(
        slots: Arc<Semaphore>,
        produce: impl FnOnce() -> BytesMut + Send + 'static,
        on_panic: impl FnOnce() -> BytesMut + Send + 'static,
    ) -> Self {
        if abandoned().is_some() {
            return Self::ready(produce());
        }
        let abandoned = Abandoned::default();
        let flag = abandoned.clone();
        let answer = Box::pin(async move {
            // Never closed; were it closed, the request would run unlimited rather than fail.
            let _slot = slots.acquire_owned().await.ok();
            finish_deferred(spawn_deferred(flag.clone(), produce), flag, on_panic).await
        });
        Pending { answer, abandoned }
    }

    /// What the handler noted on the blocking thread (default until the answer is ready).
    pub fn outcome(&self) -> Outcome {
        Outcome::from_bits(self.abandoned.0.outcome.load(Ordering::Relaxed))
    }

    /// An answer already made.
    fn ready(answer: BytesMut) -> Self {
        Self::from_future(std::future::ready(answer))
    }

    /// An answer produced by any future (tests, and transports composing their own work).
    pub fn from_future(fut: impl Future<Output = BytesMut> + Send + 'static) -> Self {
        Pending {
            answer: Box::pin(fut),
            abandoned: Abandoned::default(),
        }
    }
}

impl Future for Pending {
    type Output = BytesMut;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<BytesMut> {
        self.answer.as_mut().poll(cx)
    }
}

/// What a request refused for want of buffer room is told.
const OVERLOADED_BUFFER: &str = "no room to receive the request; retry later";

/// Runs `produce` on the blocking pool with `flag` as the thread's [`abandoned`] flag.
fn spawn_deferred(
    flag: Abandoned,
    produce: impl FnOnce() -> BytesMut + Send + 'static,
) -> tokio::task::JoinHandle<BytesMut> {
    let noted = flag.0.clone();
    tokio::task::spawn_blocking(move || {
        RUNNING.with(|r| *r.borrow_mut() = Some(flag));
        // Cleared however `produce` ends, so the pool thread's next task starts clean.
        struct Clear;
        impl Drop for Clear {
            fn drop(&mut self) {
                RUNNING.with(|r| r.borrow_mut().take());
            }
        }
        let _clear = Clear;
        metrics::take_outcome();
        let answer = produce();
        let outcome = metrics::take_outcome().to_bits();
        noted.outcome.store(outcome, Ordering::Relaxed);
        answer
    })
}

/// The deferred answer, or `on_panic()` when the handler panicked (noted in `flag` as a
/// handler failure for the metrics).
async fn finish_deferred(
    task: tokio::task::JoinHandle<BytesMut>,
    flag: Abandoned,
    on_panic: impl FnOnce() -> BytesMut,
) -> BytesMut {
    match task.await {
        Ok(answer) => answer,
        Err(e) => {
            tracing::error!(error = %e, "a blocking request handler failed");
            let failed = Outcome {
                error: ApiError::HandlerFailed.code() as u8,
                ..Outcome::default()
            };
            flag.0.outcome.store(failed.to_bits(), Ordering::Relaxed);
            on_panic()
        }
    }
}

/// Why a request was refused unread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The announced payload length `len` is above `max_request_size` (`max`).
    TooLarge { len: u32, max: u32 },
    /// The node-wide budget for partly received requests had no room for this one within
    /// `io_timeout`.
    Overloaded,
    /// The session went past its error budget of `budget` malformed or refused requests.
    TooManyErrors { budget: u32 },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TooLarge { len, max } => write!(
                f,
                "request of {len} bytes exceeds max_request_size ({max} bytes)"
            ),
            Refusal::TooManyErrors { budget } => {
                write!(f, "more than {budget} malformed or refused requests")
            }
            Refusal::Overloaded => f.write_str(OVERLOADED_BUFFER),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::TooLarge { len, max } => ApiError::RequestTooLarge { len, max },
            Refusal::TooManyErrors { budget } => ApiError::TooManyErrors(budget),
            Refusal::Overloaded => ApiError::Overloaded(OVERLOADED_BUFFER),
        }
    }
}

/// The legacy RPC 1.0 front end as the core sees it (implemented by `rpc_legacy::Registry<Api>`).
pub trait LegacyRpc: Send + Sync + 'static {
    /// Serve one RPC 1.0 body. `control_allowed` says whether control actions may run (the
    /// caller's `control`).
    fn serve(
        &self,
        api: &Api,
        caller: &Caller,
        control_allowed: bool,
        body: Bytes,
        out: &mut BytesMut,
    ) -> Reply;

    /// Append the RPC 1.0 answer for a failure the core detected itself (`{"error": "…"}`).
    fn write_error(&self, error: &ApiError, out: &mut BytesMut);

    /// The action names by the index the front end notes for each request
    /// ([`metrics::note_legacy`]), for the metrics' labels.
    fn action_names(&self) -> Vec<&'static str> {
        Vec::new()
    }
}

/// The node's request core: the one [`Api`] behind every encoding, plus the legacy front end.
/// Cheap to clone (shared handles).
#[derive(Clone)]
pub struct RequestCore {
    api: Api,
    legacy: Arc<dyn LegacyRpc>,
}

impl RequestCore {
    /// Serve `api` over every encoding, with `legacy` answering encodings 1 and 2.
    pub fn new(api: Api, legacy: impl LegacyRpc) -> Self {
        api.node_metrics().set_legacy_actions(legacy.action_names());
        RequestCore {
            api,
            legacy: Arc::new(legacy),
        }
    }

    /// The api behind every encoding.
    pub fn api(&self) -> &Api {
        &self.api
    }
}

impl Service for RequestCore {
    fn serve(
        &self,
        caller: &Caller,
        encoding: Encoding,
        payload: Bytes,
        out: &mut BytesMut,
    ) -> Reply {
        // quanta reads the TSC where it is invariant: a third of `std::time::Instant::now` here,
        // and the core reads the clock twice per request (benches/metrics.rs).
        let started = quanta::Instant::now();
        metrics::take_outcome();
        let offload = self.api.offload();
        let reply = if offload.body_is_large(payload.len()) && abandoned().is_none() {
            // Parsing alone costs in proportion to the body: all of it leaves the async workers.
            let (core, on_fail, caller) = (self.clone(), self.clone(), caller.clone());
            Reply::Later(offload.run(
                Cost::Heavy,
                move || core.serve_here(&caller, encoding, payload),
                move || {
                    let mut out = BytesMut::new();
                    on_fail.write_error(encoding, &ApiError::HandlerFailed, &mut out);
                    out
                },
            ))
        } else {
            self.route(caller, encoding, payload, out)
        };
        let noted = metrics::take_outcome();
        let table = self.api.node_metrics();
        match reply {
            Reply::Ready => {
                table.record(encoding, noted, started.elapsed());
                Reply::Ready
            }
            Reply::Later(mut pending) => {
                let table = table.clone();
                Reply::Later(Pending::from_future(async move {
                    let answer = (&mut pending).await;
                    let outcome = noted.then(pending.outcome());
                    table.record(encoding, outcome, started.elapsed());
                    answer
                }))
            }
        }
    }

    fn metrics(&self) -> &Metrics {
        self.api.node_metrics()
    }

    fn refuse(&self, _caller: &Caller, encoding: Encoding, reason: Refusal, out: &mut BytesMut) {
        let error = ApiError::from(reason);
        self.api.node_metrics().record_error(error.code());
        self.write_error(encoding, &error, out);
    }
}

impl RequestCore {
    /// Routes one request to its front end by encoding.
    fn route(
        &self,
        caller: &Caller,
        encoding: Encoding,
        payload: Bytes,
        out: &mut BytesMut,
    ) -> Reply {
        match encoding {
            Encoding::JsonV1 | Encoding::JsonV1Unsafe => {
                self.legacy
                    .serve(&self.api, caller, caller.control, payload, out)
            }
            Encoding::Flatbuffers => self.api.serve_binary(caller, payload, out),
            Encoding::FlatbuffersJson => self.api.serve_json(caller, payload, out),
        }
    }

    /// Serves a request on the (blocking-pool) thread it was deferred to. Whatever the front end
    /// defers again runs right here too (see [`Pending::blocking`]), so the wait is immediate.
    fn serve_here(&self, caller: &Caller, encoding: Encoding, payload: Bytes) -> BytesMut {
        let mut out = BytesMut::new();
        match self.route(caller, encoding, payload, &mut out) {
            Reply::Ready => out,
            Reply::Later(pending) => tokio::runtime::Handle::current().block_on(pending),
        }
    }

    /// Appends `error` as the answer in `encoding`.
    fn write_error(&self, encoding: Encoding, error: &ApiError, out: &mut BytesMut) {
        match encoding {
            Encoding::JsonV1 | Encoding::JsonV1Unsafe => self.legacy.write_error(error, out),
            Encoding::Flatbuffers => v2::write_error_binary(error, out),
            Encoding::FlatbuffersJson => v2::write_error_json(error, out),
        }
    }
}

/// Serves one request and waits for its answer, however it comes (inline or later): what an
/// in-process caller (the HTTP gateway, a test) does with the core.
pub async fn answer(
    service: &dyn Service,
    caller: &Caller,
    encoding: Encoding,
    payload: Bytes,
) -> BytesMut {
    let mut out = BytesMut::new();
    match service.serve(caller, encoding, payload, &mut out) {
        Reply::Ready => out,
        Reply::Later(pending) => pending.await,
    }
}
