//! The request core on its own, without sockets: refusals in each encoding, strict JSON, and the
//! control gate (encoding 2 *and* a transport with `allow_unsafe`).

use bytes::{Bytes, BytesMut};
use nanoipc::api::{Api, Caller, Encoding, Refusal, Reply, RequestCore, Service};

use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::Ledger;
use nanoipc::rpc_legacy::{request_core, Tree};
use nanoipc::schema::{root_as_envelope, JsonOptions};

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
fn legacy_actions_reach_the_api_and_control_needs_the_callers_control() {
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
    // A caller without `control` (the HTTP gateway without `enable_control`) is refused in either
    // legacy encoding, whatever its transport's `allow_unsafe`.
    let unsafe_only = Caller {
        allow_unsafe: true,
        ..Caller::local(2)
    };
    for encoding in [Encoding::JsonV1, Encoding::JsonV1Unsafe] {
        let out = call(&core, &unsafe_only, encoding, br#"{"action":"stop"}"#);
        assert_eq!(&out[..], disabled.as_bytes());
    }
    assert!(!unsafe_only.node.is_stopping());
    // With `control` (every IPC caller, as in nano-node) encoding 1 runs it.
    let trusted = Caller {
        control: true,
        ..Caller::local(3)
    };
    let out = call(&core, &trusted, Encoding::JsonV1, br#"{"action":"stop"}"#);
    assert_eq!(&out[..], b"{\n    \"success\": \"\"\n}\n");
    assert!(trusted.node.is_stopping());
}
