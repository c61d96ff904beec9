//! Shared by the keys-group tests: the node's real request core over a fresh ledger, driven through
//! the real request path (`Service::serve`, waiting for deferred answers as a session does) in
//! encodings 1/2 (legacy) and 4 (v2 JSON).
#![allow(dead_code)]

use bytes::Bytes;
use nanoipc::api::{Api, Caller, Encoding, RequestCore};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::Ledger;
use nanoipc::schema::JsonOptions;
use serde_json::Value;

/// The dev genesis private key (public knowledge, legacy-rpc §8.1).
pub const GENESIS_KEY: &str = "34F0A37AAD20F4A260F0A5B3CB3D7FB50673212263E58A380BC10474BB039CE4";
pub const GENESIS_PUB: &str = "B0311EA55708D6A53C75CDBF88300259C6D018522FE3D4D0A242E431F9E8B6D0";
pub const GENESIS: &str = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo";
pub const GENESIS_HASH: &str = "04270D7F11C4B2B472F2854C5A59F2A7E84226CE9ED799DE75744BD7D85FC9D9";
pub const SUPPLY: u128 = u128::MAX;

/// A node over a fresh ledger of `network` in a temp dir.
pub struct Node {
    pub handler: RequestCore,
    pub ledger: Ledger,
    caller: Caller,
    _dir: tempfile::TempDir,
}

impl Node {
    pub fn new(network: Network) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(dir.path(), network).unwrap();
        let handler =
            nanoipc::rpc_legacy::request_core(Api::new(ledger.clone(), JsonOptions::default()))
                .unwrap();
        Node {
            handler,
            ledger,
            caller: Caller {
                control: true,
                ..Caller::local(1)
            },
            _dir: dir,
        }
    }

    pub fn dev() -> Self {
        Self::new(Network::Dev)
    }

    pub fn api(&self) -> &Api {
        self.handler.api()
    }

    /// One request in `encoding` from an IPC-like caller (control actions allowed, as nano-node's
    /// IPC allows them).
    pub fn call(&self, encoding: Encoding, payload: &str) -> String {
        self.call_as(&self.caller, encoding, payload)
    }

    /// One request in `encoding` from `caller`.
    pub fn call_as(&self, caller: &Caller, encoding: Encoding, payload: &str) -> String {
        // Blocking handlers (process, work, block_create) answer later, on the blocking pool.
        static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
        let rt = RT.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap()
        });
        let payload = Bytes::copy_from_slice(payload.as_bytes());
        let out = rt.block_on(nanoipc::api::answer(
            &self.handler,
            caller,
            encoding,
            payload,
        ));
        String::from_utf8(out.to_vec()).unwrap()
    }

    /// A legacy request over encoding 2; the exact answer text.
    pub fn legacy_text(&self, body: &Value) -> String {
        self.call(Encoding::JsonV1Unsafe, &body.to_string())
    }

    /// A legacy request over encoding 2, the answer parsed.
    pub fn legacy(&self, body: Value) -> Value {
        serde_json::from_str(&self.legacy_text(&body)).unwrap()
    }

    /// A legacy request from a caller without `control` (the HTTP gateway without
    /// `enable_control`), the exact answer text.
    pub fn legacy_safe_text(&self, body: &Value) -> String {
        self.call_as(&Caller::local(2), Encoding::JsonV1, &body.to_string())
    }

    /// A v2 request in the JSON envelope (encoding 4): (message_type, message).
    pub fn v2(&self, message_type: &str, message: Value) -> (String, Value) {
        let request = serde_json::json!({"message_type": message_type, "message": message});
        let answer: Value =
            serde_json::from_str(&self.call(Encoding::FlatbuffersJson, &request.to_string()))
                .unwrap();
        (
            answer["message_type"].as_str().unwrap().to_owned(),
            answer["message"].clone(),
        )
    }

    /// A v2 request that must succeed with `expected` as its answer type.
    pub fn v2_ok(&self, message_type: &str, message: Value, expected: &str) -> Value {
        let (ty, msg) = self.v2(message_type, message);
        assert_eq!(ty, expected, "{msg}");
        msg
    }

    /// A v2 request that must fail: (code, message).
    pub fn v2_err(&self, message_type: &str, message: Value) -> (i64, String) {
        let (ty, msg) = self.v2(message_type, message);
        assert_eq!(ty, "Error", "{msg}");
        (
            msg["code"].as_i64().unwrap(),
            msg["message"].as_str().unwrap().to_owned(),
        )
    }
}

/// nano-node's error answer, exactly.
pub fn legacy_error(msg: &str) -> String {
    format!("{{\n    \"error\": \"{msg}\"\n}}\n")
}

/// The JS library's chain scenario (tests/data/nano-js-chain.json).
pub fn js_chain() -> Value {
    serde_json::from_str(include_str!("../data/nano-js-chain.json")).unwrap()
}

/// The JS library's vectors (tests/data/nano-js-vectors.json).
pub fn js_vectors() -> Value {
    serde_json::from_str(include_str!("../data/nano-js-vectors.json")).unwrap()
}

/// nano-node's `process` text for a result name of the chain file.
pub fn result_text(name: &str) -> &'static str {
    match name {
        "old" => "Old block",
        "fork" => "Fork",
        "bad_signature" => "Bad signature",
        "gap_previous" => "Gap previous block",
        "gap_source" => "Gap source block",
        "unreceivable" => "Unreceivable",
        "insufficient_work" => "Block work is insufficient",
        other => panic!("unexpected result {other}"),
    }
}
