//! Routing by encoding until the generated dispatch exists: encodings 1 and 2 go to the legacy
//! action registry (`src/rpc_legacy`), encodings 3 and 4 answer a clear "not implemented" `Error`
//! envelope in their own encoding (never a fake success). The lead's `src/api` handler replaces
//! [`LegacyRouter`] as the [`RequestHandler`] once the codegen and ledger land.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::{BufMut, BytesMut};
use flatbuffers::FlatBufferBuilder;

use super::frame::Encoding;
use super::handler::{Refusal, RefusalReason, Request, RequestHandler};
use crate::rpc_legacy::{Call, Registry, Tree};

/// v2 error code for a malformed request (the seed's "Invalid message format").
pub const CODE_INVALID_MESSAGE_FORMAT: i32 = 1;
/// v2 error code this router uses while v2 dispatch is not wired. Provisional: the api layer's
/// error table decides the final number.
pub const CODE_NOT_IMPLEMENTED: i32 = 6;

/// The legacy answer to a request above `max_request_size` (nano-node has no such limit, so the
/// text is ours).
pub const LEGACY_TOO_LARGE: &str = "Request too large";

/// A [`RequestHandler`] serving the legacy encodings from a [`Registry`] over application state `S`.
pub struct LegacyRouter<S> {
    state: S,
    registry: Registry<S>,
}

impl<S: Send + Sync + 'static> LegacyRouter<S> {
    /// Serve `registry` over `state`.
    pub fn new(state: S, registry: Registry<S>) -> Self {
        LegacyRouter { state, registry }
    }
}

impl LegacyRouter<()> {
    /// The actions that need no ledger (`stop`), for tests and a ledger-less node.
    pub fn node_only() -> Self {
        LegacyRouter::new((), Registry::with_node_actions())
    }
}

impl<S: Send + Sync + 'static> RequestHandler for LegacyRouter<S> {
    fn handle(&self, req: Request<'_>, out: &mut BytesMut) {
        if req.encoding.is_legacy() {
            let call = Call {
                node: req.node,
                unsafe_allowed: req.session.unsafe_allowed(req.encoding),
            };
            self.registry
                .dispatch_into(&self.state, &call, &req.payload, out);
        } else {
            let message = format!(
                "Not implemented: encoding {} is not wired to the v2 handlers yet",
                req.encoding.as_byte()
            );
            write_v2_error(req.encoding, CODE_NOT_IMPLEMENTED, &message, out);
        }
    }

    fn refuse(&self, refusal: Refusal<'_>, out: &mut BytesMut) {
        write_refusal(&refusal, out);
    }
}

/// The answer to a refused request in its encoding: `{"error": "Request too large"}` for 1/2, an
/// `Error` envelope with code 1 (invalid message format) for 3/4.
pub fn write_refusal(refusal: &Refusal<'_>, out: &mut BytesMut) {
    match refusal.reason {
        RefusalReason::TooLarge { .. } if refusal.encoding.is_legacy() => {
            Tree::error(LEGACY_TOO_LARGE).write_json(out);
        }
        reason => {
            let message = format!("Invalid message format: {reason}");
            write_v2_error(refusal.encoding, CODE_INVALID_MESSAGE_FORMAT, &message, out);
        }
    }
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Append an `Envelope { time, message: Error { code, message } }` in `encoding` (3 = FlatBuffers
/// binary, 4 = its JSON form; 1/2 get `{"error": message}`).
///
/// The binary form is built directly with the FlatBuffers builder from schema/nanoapi.fbs's layout
/// (Envelope: time = field 0, message_type = field 3, message = field 4; Error = union tag 1 with
/// code = field 0, message = field 2) because the generated tables are not available yet.
pub fn write_v2_error(encoding: Encoding, code: i32, message: &str, out: &mut BytesMut) {
    match encoding {
        Encoding::JsonV1 | Encoding::JsonV1Unsafe => {
            Tree::error(message).write_json(out);
        }
        Encoding::FlatbuffersJson => {
            let body = serde_json::json!({
                "time": now_ms(),
                "message_type": "Error",
                "message": { "code": code, "message": message },
            });
            // Serializing a `Value` into memory cannot fail.
            let _ = serde_json::to_writer((&mut *out).writer(), &body);
        }
        Encoding::Flatbuffers => {
            let mut b = FlatBufferBuilder::with_capacity(64 + message.len());
            let text = b.create_string(message);
            let err_start = b.start_table();
            b.push_slot::<i32>(ERROR_CODE, code, 0);
            b.push_slot_always(ERROR_MESSAGE, text);
            let err = b.end_table(err_start);
            let env_start = b.start_table();
            b.push_slot::<u64>(ENVELOPE_TIME, now_ms(), 0);
            b.push_slot_always(ENVELOPE_MESSAGE, err);
            b.push_slot::<u8>(ENVELOPE_MESSAGE_TYPE, MESSAGE_TAG_ERROR, 0);
            let env = b.end_table(env_start);
            b.finish(env, None);
            out.put_slice(b.finished_data());
        }
    }
}

/// vtable offsets (4 + 2 × field id) and the union tag used above.
const ENVELOPE_TIME: u16 = 4;
const ENVELOPE_MESSAGE_TYPE: u16 = 10;
const ENVELOPE_MESSAGE: u16 = 12;
const ERROR_CODE: u16 = 4;
const ERROR_MESSAGE: u16 = 8;
const MESSAGE_TAG_ERROR: u8 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_error_envelope_reads_back() {
        let mut out = BytesMut::new();
        write_v2_error(Encoding::Flatbuffers, 6, "Not implemented: x", &mut out);
        let buf = &out[..];
        // SAFETY (test only): the buffer was just produced by the builder with this layout.
        unsafe {
            let root = flatbuffers::root_unchecked::<flatbuffers::Table>(buf);
            assert!(root.get::<u64>(ENVELOPE_TIME, None).unwrap() > 0);
            assert_eq!(root.get::<u8>(ENVELOPE_MESSAGE_TYPE, None), Some(1));
            let err = root
                .get::<flatbuffers::ForwardsUOffset<flatbuffers::Table>>(ENVELOPE_MESSAGE, None)
                .unwrap();
            assert_eq!(err.get::<i32>(ERROR_CODE, None), Some(6));
            assert_eq!(
                err.get::<flatbuffers::ForwardsUOffset<&str>>(ERROR_MESSAGE, None),
                Some("Not implemented: x")
            );
        }
    }

    #[test]
    fn json_error_envelope() {
        let mut out = BytesMut::new();
        write_v2_error(
            Encoding::FlatbuffersJson,
            1,
            "Invalid message format: x",
            &mut out,
        );
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["message_type"], "Error");
        assert_eq!(v["message"]["code"], 1);
        assert_eq!(v["message"]["message"], "Invalid message format: x");
        assert!(v["time"].as_u64().unwrap() > 0);
    }
}
