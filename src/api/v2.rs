//! The v2 envelope service: one request `Envelope` in, one response `Envelope` out, shared by IPC
//! encodings 3 (FlatBuffers) and 4 (JSON) and by the HTTP gateway.
//!
//! The request is verified (binary) or parsed straight into a builder (JSON), routed by its union
//! tag through the generated [`dispatch()`], and answered with an `Envelope` carrying `time` (ms since
//! the Unix epoch), the request's `correlation_id`, and the handler's answer or an `Error`. Builders
//! are reused per thread, so a request allocates nothing once the thread is warm.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::{Bytes, BytesMut};
use flatbuffers::{FlatBufferBuilder, UnionWIPOffset, VerifierOptions, WIPOffset};

use super::accounts::DirectAnswer;
use super::core::Reply;
use super::{Api, ApiError, Caller, Cost};
use crate::schema::dispatch::message_name;
use crate::schema::json::parse_envelope_json;
use crate::schema::{
    dispatch, finish_envelope_buffer, root_as_envelope_with_opts, DispatchError, Envelope,
    EnvelopeArgs, Error, ErrorArgs, JsonWrite, JsonWriter, Message,
};

thread_local! {
    /// (request, response) builders. The request builder holds a JSON request converted to
    /// binary; the response builder holds the answer. Reset between requests, and replaced after
    /// one that made them grow past `KEEP_BUILDER`.
    static BUILDERS: RefCell<(FlatBufferBuilder<'static>, FlatBufferBuilder<'static>)> =
        RefCell::new((FlatBufferBuilder::with_capacity(1024), FlatBufferBuilder::with_capacity(1024)));
}

thread_local! {
    /// The JSON text of the last answer, kept for its allocation.
    static JSON_OUT: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// A JSON answer buffer that grew past this (one huge answer) is not kept for the thread.
const KEEP_JSON_BUFFER: usize = 64 * 1024;
/// Builders that held more than this for one request are replaced rather than kept.
const KEEP_BUILDER: usize = 64 * 1024;

/// Verifier limits for a buffer of `len` bytes: generous for real messages, tight enough that a
/// hostile buffer cannot make verification (or reading) expensive. The apparent size bound matters:
/// a small legal buffer whose vector points thousands of times at one large string would
/// otherwise pass and read as megabytes, so what a buffer may appear to hold is tied to its size.
fn verifier_options(len: usize) -> VerifierOptions {
    VerifierOptions {
        max_depth: 32,
        max_tables: 100_000,
        max_apparent_size: len.saturating_mul(64).clamp(4096, 1 << 30),
        ignore_missing_null_terminator: false,
    }
}

impl Api {
    /// Serves a binary (encoding 3) request envelope: the answer is appended to `out`, or comes
    /// later when the request runs off the async workers (see [`runs_blocking`] and
    /// `Offload::v2_cost`).
    ///
    /// The buffer is always verified: reading an unverified buffer is unsound, so
    /// `verify_buffers = false` is accepted in the config for compatibility but not honoured.
    pub fn serve_binary(&self, caller: &Caller, payload: Bytes, out: &mut BytesMut) -> Reply {
        let deferred = with_builders(|_, resp| {
            match root_as_envelope_with_opts(&verifier_options(payload.len()), &payload) {
                Ok(env) => match self.offload.v2_cost(&env) {
                    Cost::Cheap => self.answer(caller, env, resp),
                    cost => return Some(cost),
                },
                Err(e) => write_counted_error(caller, resp, None, &not_an_envelope(&e)),
            }
            out.extend_from_slice(resp.finished_data());
            None
        });
        match deferred {
            Some(cost) => self.answer_later(caller, payload, AnswerForm::Binary, cost, out),
            None => Reply::Ready,
        }
    }

    /// Serves a JSON (encoding 4) request envelope in flatc's JSON form: the JSON answer is
    /// appended to `out`, or comes later as for [`Api::serve_binary`].
    pub fn serve_json(&self, caller: &Caller, payload: Bytes, out: &mut BytesMut) -> Reply {
        let deferred = with_builders(|req, resp| {
            match parse_request_json(&payload, &self.json, req) {
                // The parsed request travels as its binary envelope: the JSON is read only once.
                Ok(env) => match self.offload.v2_cost(&env) {
                    // The hot account reads are written as JSON from their typed answers: no
                    // response buffer to build and verify again (see `accounts::answers`).
                    Cost::Cheap => match self.direct_answer(&env) {
                        Some(Ok(answer)) => {
                            super::metrics::note_v2(env.message_type());
                            write_direct_json(env.correlation_id(), &answer, out);
                            return None;
                        }
                        Some(Err(e)) => {
                            super::metrics::note_v2(env.message_type());
                            write_error(resp, env.correlation_id(), &e)
                        }
                        None => self.answer(caller, env, resp),
                    },
                    cost => return Some((Bytes::copy_from_slice(req.finished_data()), cost)),
                },
                Err(e) => write_counted_error(caller, resp, None, &e),
            }
            write_json(resp.finished_data(), out);
            None
        });
        match deferred {
            Some((envelope, cost)) => {
                self.answer_later(caller, envelope, AnswerForm::Json, cost, out)
            }
            None => Reply::Ready,
        }
    }

    /// Dispatches a verified request envelope and finishes the response envelope in `resp`.
    fn answer(&self, caller: &Caller, env: Envelope<'_>, resp: &mut FlatBufferBuilder<'_>) {
        let correlation_id = env.correlation_id();
        super::metrics::note_v2(env.message_type());
        match dispatch(self, caller, env, resp) {
            Ok((tag, message)) => finish(resp, correlation_id, tag, message),
            Err(e) => write_counted_error(caller, resp, correlation_id, &dispatch_error(e)),
        }
    }

    /// Answers a verified binary request envelope on the blocking pool, in `form`, as `cost`
    /// says (a costly read waits for a heavy slot); or at once into `out` with `Node overloaded`
    /// when the node-wide cap on requests in flight is reached.
    fn answer_later(
        &self,
        caller: &Caller,
        envelope: Bytes,
        form: AnswerForm,
        cost: Cost,
        out: &mut BytesMut,
    ) -> Reply {
        let in_flight = match caller.node.begin_deferred() {
            Ok(place) => place,
            Err(e) => {
                with_builders(|_, resp| {
                    write_error(resp, None, &e);
                    form.write(resp.finished_data(), out);
                });
                return Reply::Ready;
            }
        };
        let (api, caller) = (self.clone(), caller.clone());
        Reply::Later(self.offload.run(
            cost,
            move || {
                let _in_flight = in_flight;
                let mut out = BytesMut::new();
                with_builders(|_, resp| {
                    match root_as_envelope_with_opts(&verifier_options(envelope.len()), &envelope) {
                        Ok(env) => api.answer(&caller, env, resp),
                        // Verified before it was deferred; kept as an answer, never a panic.
                        Err(e) => write_error(resp, None, &not_an_envelope(&e)),
                    }
                    form.write(resp.finished_data(), &mut out);
                });
                out
            },
            move || {
                let mut out = BytesMut::new();
                with_builders(|_, resp| {
                    write_error(resp, None, &ApiError::HandlerFailed);
                    form.write(resp.finished_data(), &mut out);
                });
                out
            },
        ))
    }
}

/// The encoding a deferred answer is written in.
#[derive(Clone, Copy)]
enum AnswerForm {
    Binary,
    Json,
}

impl AnswerForm {
    fn write(self, finished: &[u8], out: &mut BytesMut) {
        match self {
            AnswerForm::Binary => out.extend_from_slice(finished),
            AnswerForm::Json => write_json(finished, out),
        }
    }
}

/// Whether a request's handler may block (signature checks and an LMDB write, or proof-of-work):
/// such requests run on the blocking pool so they never hold a runtime worker. `Process` writes
/// to the ledger; `WorkGenerate` and `BlockCreate` (which generates work unless given some)
/// search for proof-of-work.
pub fn runs_blocking(tag: Message) -> bool {
    matches!(
        tag,
        Message::Process | Message::WorkGenerate | Message::BlockCreate
    )
}

fn not_an_envelope(e: &flatbuffers::InvalidFlatbuffer) -> ApiError {
    ApiError::InvalidMessageFormat(format!(
        "the buffer is not a valid Envelope: {}",
        one_line(e)
    ))
}

/// Appends `error` as a binary (encoding 3) `Error` envelope without a correlation id: the answer
/// to a request refused before its payload was read (e.g. `RequestTooLarge`).
pub fn write_error_binary(error: &ApiError, out: &mut BytesMut) {
    with_builders(|_, resp| {
        write_error(resp, None, error);
        out.extend_from_slice(resp.finished_data());
    })
}

/// As [`write_error_binary`], in the JSON form (encoding 4).
pub fn write_error_json(error: &ApiError, out: &mut BytesMut) {
    with_builders(|_, resp| {
        write_error(resp, None, error);
        write_json(resp.finished_data(), out);
    })
}

/// Appends the JSON form of a response envelope this process just finished. The text is built in
/// a per-thread buffer that keeps its allocation between requests.
fn write_json(finished: &[u8], out: &mut BytesMut) {
    // Our own buffer: verified only to read it safely, so the limits are the widest the runtime
    // allows rather than the ones for untrusted input.
    let own = VerifierOptions {
        max_depth: 64,
        max_tables: usize::MAX,
        max_apparent_size: usize::MAX,
        ignore_missing_null_terminator: false,
    };
    match root_as_envelope_with_opts(&own, finished) {
        Ok(env) => with_json_writer(out, |w| env.write_json(w)),
        // A generator bug, never client input: answer an error rather than an empty frame.
        Err(e) => {
            tracing::error!(error = %e, "a response envelope failed verification");
            let error = ApiError::InvalidAnswer(one_line(&e));
            let text = format!(
                r#"{{"time":{},"message_type":"Error","message":{{"code":{},"category":{},"message":{}}}}}"#,
                now_ms(),
                error.code(),
                error.category() as i32,
                serde_json::Value::String(error.to_string())
            );
            out.extend_from_slice(text.as_bytes());
        }
    }
}

/// Appends the JSON response envelope for a typed answer, as [`write_json`] would write the
/// same envelope built in a buffer: `time`, the request's `correlation_id`, the message.
fn write_direct_json(correlation_id: Option<&str>, answer: &DirectAnswer, out: &mut BytesMut) {
    with_json_writer(out, |w| {
        w.begin_object();
        let time = now_ms();
        if time != 0 {
            w.key("time");
            w.scalar(time);
        }
        if let Some(id) = correlation_id {
            w.key("correlation_id");
            w.string(id);
        }
        let tag = answer.message_type();
        w.key("message_type");
        w.enum_value(tag.variant_name(), i128::from(tag.0));
        w.key("message");
        answer.write_json(w);
        w.end_object();
    })
}

/// Appends the compact JSON `write` produces, built in a per-thread buffer that keeps its
/// allocation between requests.
fn with_json_writer(out: &mut BytesMut, write: impl FnOnce(&mut JsonWriter)) {
    JSON_OUT.with(|cell| {
        let mut w = JsonWriter::with_buffer(cell.take(), false);
        write(&mut w);
        let text = w.finish();
        out.extend_from_slice(text.as_bytes());
        if text.capacity() <= KEEP_JSON_BUFFER {
            cell.set(text);
        }
    })
}

/// Parses a JSON request into `req` and returns the envelope read back from it.
fn parse_request_json<'r>(
    payload: &[u8],
    opts: &crate::schema::JsonOptions,
    req: &'r mut FlatBufferBuilder<'static>,
) -> Result<Envelope<'r>, ApiError> {
    let text = std::str::from_utf8(payload)
        .map_err(|e| ApiError::InvalidMessageFormat(format!("the request is not UTF-8: {e}")))?;
    let root = parse_envelope_json(text, opts, req)
        .map_err(|e| ApiError::InvalidMessageFormat(e.to_string()))?;
    finish_envelope_buffer(req, root);
    root_as_envelope_with_opts(
        &verifier_options(req.finished_data().len()),
        req.finished_data(),
    )
    .map_err(|e| {
        ApiError::InvalidMessageFormat(format!(
            "the request does not fit the schema: {}",
            one_line(&e)
        ))
    })
}

/// A verifier error on one line: flatbuffers prints its trace ("while verifying …") on indented
/// lines after the message; an error message on the wire is one line.
fn one_line(e: &flatbuffers::InvalidFlatbuffer) -> String {
    let text = e.to_string();
    let parts: Vec<&str> = text
        .lines()
        .map(|l| l.trim().trim_end_matches('.'))
        .filter(|l| !l.is_empty())
        .collect();
    parts.join(", ")
}

fn dispatch_error(e: DispatchError<ApiError>) -> ApiError {
    match e {
        DispatchError::Unset => ApiError::UnknownMessage("the envelope carries no message".into()),
        DispatchError::NotARequest(tag) => ApiError::UnknownMessage(match message_name(tag) {
            Some(name) => format!("{name} is not a request"),
            None => format!("message type {} is not known to this node", tag.0),
        }),
        DispatchError::Handler(e) => e,
    }
}

fn with_builders<R>(
    f: impl FnOnce(&mut FlatBufferBuilder<'static>, &mut FlatBufferBuilder<'static>) -> R,
) -> R {
    BUILDERS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut pair) => {
            let (req, resp) = &mut *pair;
            req.reset();
            resp.reset();
            let result = f(req, resp);
            // One huge request must not pin its memory on this worker for good: a builder that
            // had to grow past the keep limit is replaced by a fresh one.
            if req
                .unfinished_data()
                .len()
                .max(resp.unfinished_data().len())
                > KEEP_BUILDER
            {
                *pair = (
                    FlatBufferBuilder::with_capacity(1024),
                    FlatBufferBuilder::with_capacity(1024),
                );
            }
            result
        }
        // Re-entered on this thread (cannot happen with synchronous handlers, but never panic).
        Err(_) => f(&mut FlatBufferBuilder::new(), &mut FlatBufferBuilder::new()),
    })
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Wraps `message` in the response envelope and finishes the buffer.
fn finish(
    fbb: &mut FlatBufferBuilder<'_>,
    correlation_id: Option<&str>,
    tag: Message,
    message: WIPOffset<UnionWIPOffset>,
) {
    let correlation_id = correlation_id.map(|c| fbb.create_string(c));
    let env = Envelope::create(
        fbb,
        &EnvelopeArgs {
            time: now_ms(),
            credentials: None,
            correlation_id,
            message_type: tag,
            message: Some(message),
        },
    );
    finish_envelope_buffer(fbb, env);
}

/// As [`write_error`], counting `error` against the caller's session when it is the client's
/// fault (its error budget).
fn write_counted_error(
    caller: &Caller,
    fbb: &mut FlatBufferBuilder<'_>,
    correlation_id: Option<&str>,
    error: &ApiError,
) {
    if super::admin::counts_against_session(error) {
        caller.stats.note_error();
    }
    write_error(fbb, correlation_id, error);
}

/// Answers `error` as an `Error` envelope. Anything a failed handler left in the builder is
/// unreferenced and harmless, but a fresh buffer keeps the answer small.
pub(crate) fn write_error(
    fbb: &mut FlatBufferBuilder<'_>,
    correlation_id: Option<&str>,
    error: &ApiError,
) {
    super::metrics::note_error(error.code());
    fbb.reset();
    let text = fbb.create_string(&error.to_string());
    let message = Error::create(
        fbb,
        &ErrorArgs {
            code: error.code(),
            category: error.category() as i32,
            message: Some(text),
        },
    );
    finish(
        fbb,
        correlation_id,
        Message::Error,
        message.as_union_value(),
    );
}

// `Api`'s requests are inherent methods in the group files (`node`, `accounts`, `blocks`, `keys`, …, `unserved`); the
// generated macro forwards the `Handler` trait to them and fails to compile if one is missing.
crate::schema::dispatch::impl_handler_for_inherent! {
    schema = crate::schema;
    impl Handler for Api {
        type Context = Caller;
        type Error = ApiError;
        not_implemented = ApiError::NotImplemented;
    }
}
