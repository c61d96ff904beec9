//! A dev ledger with a small, fixed history of real signed blocks, served by the real
//! `NodeHandler`, and helpers that send one request through it in a chosen encoding (no socket:
//! the handler is the request path every transport reaches).
//!
//! History (processed after the handler exists, so its confirmation history sees every block):
//! genesis chain: genesis open → `send1` (1000 raw to K) → `burn` (5 raw to the burn account)
//!                → `recv` (receives `send2`) → `change` (representative K);
//! K's chain:     `open` (receives `send1`) → `send2` (400 raw to genesis) → `send4` (100 raw to
//!                genesis, never received).
#![allow(dead_code)]

use std::sync::Arc;

use nanoipc::api::{Caller, Encoding, Service};
use nanoipc::ledger::primitives::*;
use nanoipc::ledger::{Ledger, ProcessResult};

use crate::ledger_support::{finish, genesis_key};
use crate::support::handler_for;

/// Hashes of the fixture's blocks.
pub struct Hashes {
    pub genesis: BlockHash,
    pub send1: BlockHash,
    pub burn: BlockHash,
    pub recv: BlockHash,
    pub change: BlockHash,
    pub open: BlockHash,
    pub send2: BlockHash,
    pub send4: BlockHash,
}

/// The node under test.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub ledger: Ledger,
    pub handler: Arc<dyn Service>,
    /// K, the second account.
    pub k: KeyPair,
    pub h: Hashes,
}

impl Fixture {
    /// A fresh dev ledger with only the genesis block.
    pub fn fresh() -> (tempfile::TempDir, Ledger, Arc<dyn Service>) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
        let handler = handler_for(ledger.clone());
        (dir, ledger, handler)
    }

    /// The ledger with the history above.
    pub fn new() -> Fixture {
        let (dir, ledger, handler) = Self::fresh();
        let g = genesis_key();
        let k = KeyPair::from_private(RawKey([9u8; 32]));
        let max = u128::MAX;
        let state = |key: &KeyPair, previous, representative: Account, balance, link: [u8; 32]| {
            finish(
                StateBlock {
                    account: key.account,
                    previous,
                    representative,
                    balance: Amount(balance),
                    link: Link(link),
                    signature: Signature::default(),
                    work: Work(0),
                },
                key,
            )
        };
        let genesis = Network::Dev.genesis_hash();
        let send1 = state(&g, genesis, g.account, max - 1000, k.account.0);
        let open = state(&k, BlockHash::ZERO, g.account, 1000, send1.hash().0);
        let send2 = state(&k, open.hash(), g.account, 600, g.account.0);
        let burn = state(&g, send1.hash(), g.account, max - 1005, [0u8; 32]);
        let recv = state(&g, burn.hash(), g.account, max - 605, send2.hash().0);
        let change = state(&g, recv.hash(), k.account, max - 605, [0u8; 32]);
        let send4 = state(&k, send2.hash(), g.account, 500, g.account.0);
        let blocks = [send1, open, send2, burn, recv, change, send4];
        for r in ledger.process(&blocks).unwrap() {
            assert!(matches!(r, ProcessResult::Progress), "{r:?}");
        }
        let [send1, open, send2, burn, recv, change, send4] = blocks.map(|b| b.hash());
        Fixture {
            dir,
            ledger,
            handler,
            k,
            h: Hashes {
                genesis,
                send1,
                burn,
                recv,
                change,
                open,
                send2,
                send4,
            },
        }
    }

    /// A legacy (encoding 1) request and its exact answer text.
    pub fn legacy(&self, body: &str) -> String {
        call(&*self.handler, Encoding::JsonV1, body)
    }

    /// A v2 JSON (encoding 4) request carrying `message` of type `kind`; the answer envelope.
    pub fn v2(&self, kind: &str, message: &str) -> serde_json::Value {
        v2(&*self.handler, kind, message)
    }

    /// The local timestamp the ledger recorded for `hash`.
    pub fn timestamp(&self, hash: &BlockHash) -> u64 {
        self.ledger
            .block_info(hash)
            .unwrap()
            .unwrap()
            .stored
            .sideband
            .timestamp
    }
}

/// One request through `handler` in `encoding`; the answer as text.
pub fn call(handler: &dyn Service, encoding: Encoding, body: &str) -> String {
    String::from_utf8(call_bytes(handler, encoding, body.as_bytes())).unwrap()
}

/// One request payload through `handler` in `encoding`; the answer payload.
pub fn call_bytes(handler: &dyn Service, encoding: Encoding, body: &[u8]) -> Vec<u8> {
    crate::support::serve_sync(handler, &Caller::local(1), encoding, body)
}

/// A v2 JSON envelope request; the answer envelope parsed.
pub fn v2(handler: &dyn Service, kind: &str, message: &str) -> serde_json::Value {
    let body = format!(r#"{{"message_type":"{kind}","message":{message}}}"#);
    let text = call(handler, Encoding::FlatbuffersJson, &body);
    serde_json::from_str(&text).unwrap()
}

/// The `message` of a v2 answer that must be of type `kind`.
pub fn answer<'v>(envelope: &'v serde_json::Value, kind: &str) -> &'v serde_json::Value {
    assert_eq!(envelope["message_type"], kind, "{envelope}");
    &envelope["message"]
}

/// The (code, message) of a v2 `Error` answer.
pub fn v2_error(envelope: &serde_json::Value) -> (i64, String) {
    let m = answer(envelope, "Error");
    (
        m["code"].as_i64().unwrap(),
        m["message"].as_str().unwrap().to_owned(),
    )
}
