//! The node's [`RequestHandler`]: routes each frame by its encoding to the one handler layer.
//! Encodings 1 and 2 go to the legacy action registry (`src/rpc_legacy`) over the [`Api`];
//! 3 to [`Api::serve_binary`]; 4 to [`Api::serve_json`]. A request refused unread is answered
//! `ApiError::RequestTooLarge` in the encoding the client announced.

use bytes::BytesMut;

use super::frame::Encoding;
use super::handler::{Refusal, RefusalReason, Request, RequestHandler};
use crate::api::{v2, Api, ApiError, CallContext};
use crate::rpc_legacy::{actions, Call, Registry, Tree};

/// The handler `nanoipc node` runs.
pub struct NodeHandler {
    api: Api,
    legacy: Registry<Api>,
}

impl NodeHandler {
    /// Serve `api` with every legacy action this node has. Fails when two actions share a name.
    pub fn new(api: Api) -> Result<Self, crate::rpc_legacy::registry::DuplicateAction> {
        Ok(Self::with_registry(api, actions::registry()?))
    }

    /// Serve `api` with a given legacy registry (tests add probe actions to
    /// [`actions::registry`]).
    pub fn with_registry(api: Api, legacy: Registry<Api>) -> Self {
        NodeHandler { api, legacy }
    }

    /// The api behind every encoding.
    pub fn api(&self) -> &Api {
        &self.api
    }
}

impl RequestHandler for NodeHandler {
    fn handle(&self, req: Request<'_>, out: &mut BytesMut) {
        match req.encoding {
            Encoding::JsonV1 | Encoding::JsonV1Unsafe => {
                let call = Call {
                    node: req.node,
                    unsafe_allowed: req.session.unsafe_allowed(req.encoding),
                };
                self.legacy
                    .dispatch_into(&self.api, &call, &req.payload, out);
            }
            Encoding::Flatbuffers => {
                let ctx = CallContext {
                    session_id: req.session.id,
                };
                self.api.serve_binary(&ctx, &req.payload, out);
            }
            Encoding::FlatbuffersJson => {
                let ctx = CallContext {
                    session_id: req.session.id,
                };
                self.api.serve_json(&ctx, &req.payload, out);
            }
        }
    }

    fn refuse(&self, refusal: Refusal<'_>, out: &mut BytesMut) {
        write_refusal(&refusal, out);
    }
}

/// The answer to a refused request in its encoding: `{"error": "<text>"}` for 1/2, an `Error`
/// envelope (code 6, request too large) for 3/4.
pub fn write_refusal(refusal: &Refusal<'_>, out: &mut BytesMut) {
    let error = match refusal.reason {
        RefusalReason::TooLarge { len, max } => ApiError::RequestTooLarge { len, max },
    };
    match refusal.encoding {
        Encoding::JsonV1 | Encoding::JsonV1Unsafe => {
            Tree::error(&error.to_string()).write_json(out);
        }
        Encoding::Flatbuffers => v2::write_error_binary(&error, out),
        Encoding::FlatbuffersJson => v2::write_error_json(&error, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipc::handler::{NodeControl, SessionInfo, TransportKind};
    use crate::ledger::primitives::Network;
    use crate::ledger::Ledger;
    use crate::schema::{root_as_envelope, JsonOptions};

    fn session() -> SessionInfo {
        SessionInfo {
            id: 9,
            transport: TransportKind::Local,
            allow_unsafe: false,
            peer: "unix".into(),
        }
    }

    fn handler(dir: &std::path::Path, json: JsonOptions) -> NodeHandler {
        NodeHandler::new(Api::new(Ledger::open(dir, Network::Dev).unwrap(), json)).unwrap()
    }

    fn call(h: &NodeHandler, encoding: Encoding, payload: &'static [u8]) -> BytesMut {
        let info = session();
        let node = NodeControl::default();
        let mut out = BytesMut::new();
        h.handle(
            Request {
                encoding,
                payload: bytes::Bytes::from_static(payload),
                session: &info,
                node: &node,
            },
            &mut out,
        );
        out
    }

    #[test]
    fn refusals_answer_request_too_large_in_each_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let h = handler(dir.path(), JsonOptions::default());
        let info = session();
        let reason = RefusalReason::TooLarge { len: 10, max: 4 };
        let text = "Request too large: 10 bytes exceeds max_request_size (4 bytes)";
        for encoding in Encoding::ALL {
            let mut out = BytesMut::new();
            h.refuse(
                Refusal {
                    encoding,
                    reason,
                    session: &info,
                },
                &mut out,
            );
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
        let strict = handler(
            dir.path(),
            JsonOptions {
                skip_unknown_fields: false,
            },
        );
        let out = call(
            &strict,
            Encoding::FlatbuffersJson,
            br#"{"message_type":"IsAlive","message":{},"extra":1}"#,
        );
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["message"]["code"], 1);
        let message = v["message"]["message"].as_str().unwrap();
        assert!(message.contains("unknown field: extra"), "{message}");
    }

    #[test]
    fn legacy_actions_reach_the_api_and_control_stays_gated() {
        let dir = tempfile::tempdir().unwrap();
        let h = handler(dir.path(), JsonOptions::default());
        let out = call(&h, Encoding::JsonV1, br#"{"action":"block_count"}"#);
        assert_eq!(
            &out[..],
            b"{\n    \"count\": \"1\",\n    \"unchecked\": \"0\",\n    \"cemented\": \"1\"\n}\n"
        );
        let out = call(&h, Encoding::JsonV1Unsafe, br#"{"action":"stop"}"#);
        assert_eq!(
            &out[..],
            Tree::error("RPC control is disabled").to_json().as_bytes()
        );
    }
}
