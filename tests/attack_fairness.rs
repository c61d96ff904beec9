//! Attack (issue 8, item 2): no request stalls another. Several clients pipeline the most
//! expensive requests the API has — `account_history` with a huge count on a long chain (legacy
//! and v2), `accounts_balances` of thousands of accounts (legacy and v2), `account_balance` on an
//! account with many receivables, and a request body far over the offload threshold — while a
//! probe client on its own fresh connection keeps asking `IsAlive`. Every probe must be answered
//! within [`PROBE_BOUND`] (generous on purpose: the real figure is measured by
//! `benches/fairness.rs`), and every costly request must still get its full answer.
//!
//! The runtime has one worker, so a costly request answered on it makes the probe wait for all of
//! it. On the code before this change the probe still met the 2 s bound in this (debug, small)
//! setup — each request took well under 2 s — so the bound guards against regressions that stall
//! for seconds; `benches/fairness.rs` shows the difference (IsAlive max 0.4-0.7 s before, under
//! 30 ms after, release build).
//!
//! Loopback only; the attack is a fixed number of requests and the probe loop is bounded.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use nanoipc::ledger::primitives::*;
use nanoipc::ledger::{Ledger, ProcessResult};
use nanoipc::schema::{
    AccountHistory, AccountHistoryArgs, AccountsBalances, AccountsBalancesArgs, Message,
};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The bound every probe answer must meet.
const PROBE_BOUND: Duration = Duration::from_secs(2);
/// Sends from genesis to the loaded account: its receivables, and the genesis chain's length.
const SENDS: u128 = 400;
/// Clients attacking at once, and the costly requests each pipelines.
const ATTACKERS: usize = 3;
const REQUESTS: usize = 24;
/// The probe stops after this many answers once the attack is over, or at this many in all.
const PROBES_AFTER: usize = 5;
const PROBES_MAX: usize = 100_000;

fn genesis_key() -> KeyPair {
    let hex = "34F0A37AAD20F4A260F0A5B3CB3D7FB50673212263E58A380BC10474BB039CE4";
    KeyPair::from_private(RawKey::decode_hex(hex).unwrap())
}

/// Genesis sends `SENDS` blocks of 1 raw each to `destination`.
fn load(ledger: &Ledger, destination: &Account) {
    let g = genesis_key();
    let threshold = Network::Dev.thresholds().epoch_1;
    let mut head = Network::Dev.genesis_hash();
    let mut blocks = Vec::new();
    for n in 1..=SENDS {
        let mut block = Block::State(StateBlock {
            account: g.account,
            previous: head,
            representative: g.account,
            balance: Amount(u128::MAX - n),
            link: Link(destination.0),
            signature: Signature::default(),
            work: Work(0),
        });
        block.set_signature(sign_hash(&g.private, &block.hash()));
        let root = block.root();
        let nonce = (0u64..)
            .find(|n| work_valid(&root, Work(*n), threshold))
            .unwrap();
        block.set_work(Work(nonce));
        head = block.hash();
        blocks.push(block);
    }
    let results = ledger.process(&blocks).unwrap();
    assert!(results.iter().all(|r| *r == ProcessResult::Progress));
}

fn v2_account_history(count: u64) -> Vec<u8> {
    v2::envelope(None, Message::AccountHistory, |fbb| {
        let account = fbb.create_string(GENESIS);
        let m = AccountHistory::create(
            fbb,
            &AccountHistoryArgs {
                account: Some(account),
                count,
                ..Default::default()
            },
        );
        Some(m.as_union_value())
    })
}

fn v2_accounts_balances(accounts: &[String]) -> Vec<u8> {
    v2::envelope(None, Message::AccountsBalances, |fbb| {
        let items: Vec<_> = accounts.iter().map(|a| fbb.create_string(a)).collect();
        let accounts = fbb.create_vector(&items);
        let m = AccountsBalances::create(
            fbb,
            &AccountsBalancesArgs {
                accounts: Some(accounts),
                ..Default::default()
            },
        );
        Some(m.as_union_value())
    })
}

/// Accounts for the several-accounts requests: `count` distinct ones, then the loaded one
/// `loaded_times` times (each costs a scan of its receivables where totals are not kept).
fn many_accounts(loaded: &Account, count: u32, loaded_times: usize) -> Vec<String> {
    let mut out: Vec<String> = (0..count)
        .map(|n| {
            let mut key = [0u8; 32];
            key[..4].copy_from_slice(&n.to_be_bytes());
            Account(key).encode_address()
        })
        .collect();
    out.extend(std::iter::repeat_n(loaded.encode_address(), loaded_times));
    out
}

/// Every costly request as a frame, with whether its answer is a legacy one.
fn costly_frames(loaded: &Account) -> Vec<(Vec<u8>, bool)> {
    let many = many_accounts(loaded, 1000, 1000);
    let quoted: Vec<String> = many.iter().map(|a| format!("\"{a}\"")).collect();
    let legacy = |json: String| (frame(1, json.as_bytes()), true);
    // A cheap action carrying 256 KiB nobody reads: costly by size alone.
    let padding = vec!["1"; 128 * 1024].join(",");
    vec![
        legacy(format!(
            r#"{{"action":"account_history","account":"{GENESIS}","count":"-1"}}"#
        )),
        legacy(format!(
            r#"{{"action":"accounts_balances","accounts":[{}]}}"#,
            quoted.join(",")
        )),
        legacy(format!(
            r#"{{"action":"account_balance","account":"{}"}}"#,
            loaded.encode_address()
        )),
        legacy(format!(r#"{{"action":"block_count","pad":[{padding}]}}"#)),
        (frame(3, &v2_account_history(u64::MAX)), false),
        (frame(3, &v2_accounts_balances(&many)), false),
    ]
}

fn check_answer(answer: &[u8], legacy: bool) {
    if legacy {
        let text = String::from_utf8_lossy(answer);
        assert!(
            text.starts_with('{') && !text.contains("\"error\""),
            "{}",
            &text[..text.len().min(200)]
        );
    } else {
        let a = v2::read_binary(answer);
        assert!(a.error.is_none(), "{a:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn is_alive_is_answered_while_clients_pipeline_the_costliest_requests() {
    let (node, ledger) = start_ledger_node_with(|c| c.max_request_size = 8 << 20).await;
    let loaded = Account([0x5a; 32]);
    tokio::task::spawn_blocking(move || load(&ledger, &loaded))
        .await
        .unwrap();
    let frames = Arc::new(costly_frames(&loaded));

    let finished = Arc::new(AtomicUsize::new(0));
    let mut attackers = Vec::new();
    for a in 0..ATTACKERS {
        let conn = node.connect(Via::Local).await;
        // Written and read apart: a client that wrote a whole pipeline of large requests before
        // reading would deadlock against large answers (both sides blocked writing).
        let (mut rd, mut wr) = tokio::io::split(conn.0);
        let picked: Vec<(Vec<u8>, bool)> = (0..REQUESTS)
            .map(|i| frames[(a + i) % frames.len()].clone())
            .collect();
        let batch: Vec<u8> = picked.iter().flat_map(|(f, _)| f.clone()).collect();
        attackers.push(tokio::spawn(async move {
            // Dropping a split half does not close the connection.
            wr.write_all(&batch).await.unwrap();
        }));
        let finished = finished.clone();
        attackers.push(tokio::spawn(async move {
            for (_, legacy) in picked {
                let mut len = [0u8; 4];
                rd.read_exact(&mut len).await.unwrap();
                let mut body = vec![0u8; u32::from_be_bytes(len) as usize];
                rd.read_exact(&mut body).await.unwrap();
                check_answer(&body, legacy);
            }
            finished.fetch_add(1, Ordering::SeqCst);
        }));
    }

    let ping = frame(3, &v2::is_alive(Some("probe")));
    let (mut probes, mut after) = (0usize, 0usize);
    while after < PROBES_AFTER && probes < PROBES_MAX {
        let attack_over = finished.load(Ordering::SeqCst) == ATTACKERS;
        let mut probe = node.connect(Via::Local).await;
        probe.write(&ping).await;
        let answer = tokio::time::timeout(PROBE_BOUND, probe.answer())
            .await
            .unwrap_or_else(|_| panic!("IsAlive not answered within {PROBE_BOUND:?}"));
        let answer = v2::read_binary(&answer);
        assert_eq!(answer.message_type, "IsAlive");
        assert_eq!(answer.correlation_id.as_deref(), Some("probe"));
        probes += 1;
        if attack_over {
            after += 1;
        }
        // Pacing, not synchronisation: leave the workers to the attack between probes.
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for a in attackers {
        a.await.unwrap();
    }
    assert!(probes > PROBES_AFTER, "the probe ran during the attack");
}

/// The decision itself, request by request (no timing): cheap requests are answered inline,
/// costly ones are deferred, and a large body deferred whole still runs a handler that defers
/// again (`process`) to its answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn cheap_requests_answer_inline_and_costly_ones_are_deferred() {
    use nanoipc::api::{answer, Caller, Encoding, Reply, Service};
    let dir = tempfile::tempdir().unwrap();
    let service = handler_for(test_ledger(dir.path()));
    let caller = Caller::local(1);
    let is_later = |encoding: Encoding, payload: Vec<u8>| {
        let mut out = bytes::BytesMut::new();
        matches!(
            service.serve(&caller, encoding, payload.into(), &mut out),
            Reply::Later(_)
        )
    };
    let legacy = |json: String| json.into_bytes();
    let history = |count: &str| {
        legacy(format!(
            r#"{{"action":"account_history","account":"{GENESIS}","count":"{count}"}}"#
        ))
    };
    assert!(!is_later(Encoding::Flatbuffers, v2::is_alive(None)));
    assert!(!is_later(
        Encoding::Flatbuffers,
        v2::account_weight(None, GENESIS)
    ));
    assert!(!is_later(Encoding::Flatbuffers, v2_account_history(10)));
    assert!(is_later(
        Encoding::Flatbuffers,
        v2_account_history(u64::MAX)
    ));
    let many = many_accounts(&Account([1; 32]), 200, 1);
    assert!(is_later(Encoding::Flatbuffers, v2_accounts_balances(&many)));
    assert!(!is_later(
        Encoding::Flatbuffers,
        v2_accounts_balances(&many[..3])
    ));
    assert!(!is_later(Encoding::JsonV1, history("10")));
    assert!(is_later(Encoding::JsonV1, history("100000")));
    assert!(is_later(
        Encoding::JsonV1,
        legacy(r#"{"action":"delegators_count","account":"x"}"#.into())
    ));

    // 100 KiB of padding: deferred whole, then `process` (itself deferred) runs on that thread.
    let padding = vec!["1"; 50 * 1024].join(",");
    let padded = legacy(format!(
        r#"{{"action":"process","pad":[{padding}],"block":"not a block"}}"#
    ));
    assert!(is_later(Encoding::JsonV1, padded.clone()));
    let out = answer(service.as_ref(), &caller, Encoding::JsonV1, padded.into()).await;
    assert_eq!(
        String::from_utf8_lossy(&out),
        legacy_error("Block is invalid")
    );
    let padded = legacy(format!(r#"{{"action":"block_count","pad":[{padding}]}}"#));
    let out = answer(service.as_ref(), &caller, Encoding::JsonV1, padded.into()).await;
    assert!(String::from_utf8_lossy(&out).contains("\"count\": \"1\""));
}
