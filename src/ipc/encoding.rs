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
    /// Serve `api` with every legacy action this node has.
    pub fn new(api: Api) -> Self {
        Self::with_registry(api, actions::registry())
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
