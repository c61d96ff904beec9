//! The request core: the single entry point that serves one request in any encoding for any
//! transport. IPC sessions (and the HTTP gateway) hand it a [`Caller`], an [`Encoding`] and a
//! payload; it routes encodings 1 and 2 to the legacy front end and 3 and 4 to the v2 envelope
//! service, and returns a [`Reply`].
//!
//! Most requests are answered inline (microseconds of LMDB reads) and appended straight to the
//! transport's output buffer. A request whose handler blocks — signature checks and an LMDB write
//! (`process`), seconds of proof-of-work (`work_generate`, `block_create`) — is moved to the
//! blocking pool and answered later through [`Reply::Later`]; the transport keeps the session's
//! answers in request order and goes on serving other sessions meanwhile.
//!
//! The legacy front end lives in `rpc_legacy`, which depends on this module; the core reaches it
//! through the [`LegacyRpc`] trait so that the dependency points one way.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};

use super::{v2, Api, ApiError, Caller, Encoding};

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
pub struct Pending(Pin<Box<dyn Future<Output = BytesMut> + Send>>);

impl Pending {
    /// Runs `produce` on the blocking pool. If it panics, the answer is `on_panic()` instead, so a
    /// bug in one handler costs its caller one error answer, never the session.
    pub fn blocking(
        produce: impl FnOnce() -> BytesMut + Send + 'static,
        on_panic: impl FnOnce() -> BytesMut + Send + 'static,
    ) -> Self {
        let task = tokio::task::spawn_blocking(produce);
        Pending(Box::pin(async move {
            match task.await {
                Ok(answer) => answer,
                Err(e) => {
                    tracing::error!(error = %e, "a blocking request handler failed");
                    on_panic()
                }
            }
        }))
    }

    /// An answer produced by any future (tests, and transports composing their own work).
    pub fn from_future(fut: impl Future<Output = BytesMut> + Send + 'static) -> Self {
        Pending(Box::pin(fut))
    }
}

impl Future for Pending {
    type Output = BytesMut;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<BytesMut> {
        self.0.as_mut().poll(cx)
    }
}

/// Why a request was refused unread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The announced payload length `len` is above `max_request_size` (`max`).
    TooLarge { len: u32, max: u32 },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TooLarge { len, max } => write!(
                f,
                "request of {len} bytes exceeds max_request_size ({max} bytes)"
            ),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::TooLarge { len, max } => ApiError::RequestTooLarge { len, max },
        }
    }
}

/// The legacy RPC 1.0 front end as the core sees it (implemented by `rpc_legacy::Registry<Api>`).
pub trait LegacyRpc: Send + Sync + 'static {
    /// Serve one RPC 1.0 body. `unsafe_allowed` is already decided from the encoding and the
    /// caller's transport.
    fn serve(
        &self,
        api: &Api,
        caller: &Caller,
        unsafe_allowed: bool,
        body: Bytes,
        out: &mut BytesMut,
    ) -> Reply;

    /// Append the RPC 1.0 answer for a failure the core detected itself (`{"error": "…"}`).
    fn write_error(&self, error: &ApiError, out: &mut BytesMut);
}

/// The node's request core: the one [`Api`] behind every encoding, plus the legacy front end.
pub struct RequestCore {
    api: Api,
    legacy: Arc<dyn LegacyRpc>,
}

impl RequestCore {
    /// Serve `api` over every encoding, with `legacy` answering encodings 1 and 2.
    pub fn new(api: Api, legacy: impl LegacyRpc) -> Self {
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
        match encoding {
            Encoding::JsonV1 | Encoding::JsonV1Unsafe => {
                let unsafe_allowed = caller.unsafe_allowed(encoding);
                self.legacy
                    .serve(&self.api, caller, unsafe_allowed, payload, out)
            }
            Encoding::Flatbuffers => self.api.serve_binary(caller, payload, out),
            Encoding::FlatbuffersJson => self.api.serve_json(caller, payload, out),
        }
    }

    fn refuse(&self, _caller: &Caller, encoding: Encoding, reason: Refusal, out: &mut BytesMut) {
        let error = ApiError::from(reason);
        match encoding {
            Encoding::JsonV1 | Encoding::JsonV1Unsafe => self.legacy.write_error(&error, out),
            Encoding::Flatbuffers => v2::write_error_binary(&error, out),
            Encoding::FlatbuffersJson => v2::write_error_json(&error, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::primitives::Network;
    use crate::ledger::Ledger;
    use crate::rpc_legacy::{request_core, Tree};
    use crate::schema::{root_as_envelope, JsonOptions};

    fn core(dir: &std::path::Path, json: JsonOptions) -> RequestCore {
        request_core(Api::new(Ledger::open(dir, Network::Dev).unwrap(), json)).unwrap()
    }

    /// Serves one request inline; these requests never defer.
    fn call(
        core: &RequestCore,
        caller: &Caller,
        encoding: Encoding,
        payload: &'static [u8],
    ) -> BytesMut {
        let mut out = BytesMut::new();
        let reply = core.serve(caller, encoding, Bytes::from_static(payload), &mut out);
        assert!(matches!(reply, Reply::Ready));
        out
    }

    #[test]
    fn refusals_answer_request_too_large_in_each_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let core = core(dir.path(), JsonOptions::default());
        let reason = Refusal::TooLarge { len: 10, max: 4 };
        let text = "Request too large: 10 bytes exceeds max_request_size (4 bytes)";
        for encoding in Encoding::ALL {
            let mut out = BytesMut::new();
            core.refuse(&Caller::local(9), encoding, reason, &mut out);
            match encoding {
                Encoding::JsonV1 | Encoding::JsonV1Unsafe => {
                    assert_eq!(&out[..], Tree::error(text).to_json().as_bytes())
                }
                Encoding::Flatbuffers => {
                    let env = root_as_envelope(&out).unwrap();
                    let err = env.message_as_error().unwrap();
                    assert_eq!((err.code(), err.category()), (6, 1));
                    assert_eq!(err.message(), Some(text));
                }
                Encoding::FlatbuffersJson => {
                    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
                    assert_eq!(v["message"]["code"], 6);
                    assert_eq!(v["message"]["message"], text);
                }
            }
        }
    }

    #[test]
    fn strict_json_rejects_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let strict = core(
            dir.path(),
            JsonOptions {
                skip_unknown_fields: false,
            },
        );
        let out = call(
            &strict,
            &Caller::local(1),
            Encoding::FlatbuffersJson,
            br#"{"message_type":"IsAlive","message":{},"extra":1}"#,
        );
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["message"]["code"], 1);
        let message = v["message"]["message"].as_str().unwrap();
        assert!(message.contains("unknown field: extra"), "{message}");
    }

    #[test]
    fn legacy_actions_reach_the_api_and_control_needs_encoding_2_and_allow_unsafe() {
        let dir = tempfile::tempdir().unwrap();
        let core = core(dir.path(), JsonOptions::default());
        let caller = Caller::local(1);
        let out = call(
            &core,
            &caller,
            Encoding::JsonV1,
            br#"{"action":"block_count"}"#,
        );
        assert_eq!(
            &out[..],
            b"{\n    \"count\": \"1\",\n    \"unchecked\": \"0\",\n    \"cemented\": \"1\"\n}\n"
        );
        let disabled = Tree::error("RPC control is disabled").to_json();
        // Encoding 2 without allow_unsafe, and encoding 1 with it: both refused.
        let out = call(
            &core,
            &caller,
            Encoding::JsonV1Unsafe,
            br#"{"action":"stop"}"#,
        );
        assert_eq!(&out[..], disabled.as_bytes());
        let trusted = Caller {
            allow_unsafe: true,
            ..Caller::local(2)
        };
        let out = call(&core, &trusted, Encoding::JsonV1, br#"{"action":"stop"}"#);
        assert_eq!(&out[..], disabled.as_bytes());
        assert!(!trusted.node.is_stopping());
        let out = call(
            &core,
            &trusted,
            Encoding::JsonV1Unsafe,
            br#"{"action":"stop"}"#,
        );
        assert_eq!(&out[..], b"{\n    \"success\": \"\"\n}\n");
        assert!(trusted.node.is_stopping());
    }
}
