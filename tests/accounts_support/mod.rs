//! A small dev ledger with real signed blocks for the account tests, and helpers that drive the
//! real request path (the request core) in encodings 1/2 (legacy) and 4 (v2 JSON).
#![allow(dead_code)]

#[path = "../ledger_support/mod.rs"]
mod ledger_support;
#[path = "../support/mod.rs"]
pub mod support;

use nanoipc::api::{Caller, Encoding, Service};
use nanoipc::ledger::primitives::*;
use nanoipc::ledger::Ledger;

pub use ledger_support::genesis_key;
#[allow(unused_imports)] // each test crate uses a different subset
pub use support::{legacy_error, GENESIS, GENESIS_HASH, SUPPLY};

/// 1 nano in raw.
pub const NANO: u128 = 1_000_000_000_000_000_000_000_000_000_000;

/// The fixture ledger:
/// - genesis chain: genesis (1), `send1` 20 nano → A (2), `send2` 5 raw → B (3), `send3` 7 raw → A (4);
/// - A chain: `open_a` receives send1 with representative genesis (1), `change_a` sets A as its
///   own representative (2), `send_a` 1 nano → genesis (3);
/// - B never opens; receivable: B ← send2, A ← send3, genesis ← send_a.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub ledger: Ledger,
    pub handler: std::sync::Arc<dyn Service>,
    pub a: KeyPair,
    pub b: KeyPair,
    pub send1: Block,
    pub send2: Block,
    pub send3: Block,
    pub open_a: Block,
    pub change_a: Block,
    pub send_a: Block,
}

fn state(
    key: &KeyPair,
    previous: BlockHash,
    representative: Account,
    balance: u128,
    link: [u8; 32],
) -> Block {
    ledger_support::finish(
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
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
        let g = genesis_key();
        let a = KeyPair::from_private(RawKey([0xA1; 32]));
        let b = KeyPair::from_private(RawKey([0xB2; 32]));
        let mut gbal = u128::MAX;
        gbal -= 20 * NANO;
        let send1 = state(
            &g,
            Network::Dev.genesis_hash(),
            g.account,
            gbal,
            a.account.0,
        );
        let open_a = state(&a, BlockHash::ZERO, g.account, 20 * NANO, send1.hash().0);
        let change_a = state(&a, open_a.hash(), a.account, 20 * NANO, [0; 32]);
        gbal -= 5;
        let send2 = state(&g, send1.hash(), g.account, gbal, b.account.0);
        gbal -= 7;
        let send3 = state(&g, send2.hash(), g.account, gbal, a.account.0);
        let send_a = state(&a, change_a.hash(), a.account, 19 * NANO, g.account.0);
        let blocks = [
            send1.clone(),
            open_a.clone(),
            change_a.clone(),
            send2.clone(),
            send3.clone(),
            send_a.clone(),
        ];
        let results = ledger.process(&blocks).unwrap();
        for r in &results {
            assert_eq!(*r, nanoipc::ledger::ProcessResult::Progress);
        }
        let handler = support::handler_for(ledger.clone());
        Fixture {
            dir,
            ledger,
            handler,
            a,
            b,
            send1,
            send2,
            send3,
            open_a,
            change_a,
            send_a,
        }
    }

    /// One request through the real handler; the answer as text.
    pub fn call(&self, encoding: Encoding, body: &str) -> String {
        let caller = Caller {
            control: true,
            ..Caller::local(1)
        };
        let out = support::serve_sync(&*self.handler, &caller, encoding, body.as_bytes());
        String::from_utf8(out.to_vec()).unwrap()
    }

    /// A legacy (encoding 1) request.
    pub fn legacy(&self, body: &str) -> String {
        self.call(Encoding::JsonV1, body)
    }

    /// A legacy request as JSON, for structural checks.
    pub fn legacy_json(&self, body: &str) -> serde_json::Value {
        serde_json::from_str(&self.legacy(body)).unwrap()
    }

    /// A v2 JSON (encoding 4) request: `message_type` and `message`; answers the envelope.
    pub fn v2(&self, message_type: &str, message: serde_json::Value) -> serde_json::Value {
        let body = serde_json::json!({"message_type": message_type, "message": message});
        let text = self.call(Encoding::FlatbuffersJson, &body.to_string());
        serde_json::from_str(&text).unwrap()
    }

    /// The stored local timestamp of a block.
    pub fn timestamp(&self, block: &Block) -> u64 {
        let info = self.ledger.block_info(&block.hash()).unwrap().unwrap();
        info.stored.sideband.timestamp
    }

    /// The account's last modification time.
    pub fn modified(&self, account: &Account) -> u64 {
        self.ledger.account_info(account).unwrap().unwrap().modified
    }

    pub fn a_addr(&self) -> String {
        self.a.account.encode_address()
    }

    pub fn b_addr(&self) -> String {
        self.b.account.encode_address()
    }
}

/// The hex hash of a block.
pub fn h(block: &Block) -> String {
    block.hash().encode_hex()
}
