//! Issue 8 item 1 replayed against the real `nanoipc node` binary: 32 MiB requests in encodings
//! 1, 3 and 4 (junk the action never reads, an unknown action, huge vectors), one at a time and
//! two at once. Each must get its precise answer or error, the node's peak RSS may grow by at
//! most 4× the body size per concurrent request (`VmHWM` after minus before the attack, which
//! includes the body itself), and an `IsAlive` on another connection is answered meanwhile.
//!
//! Loopback only (a Unix socket in a temp dir), one node per test, a fixed number of requests.

mod request_size_support;

use std::time::Duration;

use nanoipc::ipc::client::{Client, Target};
use nanoipc::ipc::Encoding;
use request_size_support::{Attack, NodeProcess};

/// Peak RSS growth allowed per concurrent request, as a multiple of its body.
const GROWTH: u64 = 4;

/// A guard against a hung node, not a timing assertion: far above what any answer takes.
const GUARD: Duration = Duration::from_secs(300);

async fn connect(node: &NodeProcess) -> Client {
    let mut client = Client::connect(&Target::Unix(node.socket.clone()))
        .await
        .expect("connect");
    client.set_timeout(Some(GUARD));
    client
}

/// Sends every attack on its own connection at once, probes with `IsAlive` on another while they
/// are in flight, then checks every answer and the node's peak RSS.
async fn replay(attacks: Vec<Attack>) {
    let node = NodeProcess::start(std::path::Path::new(env!("CARGO_BIN_EXE_nanoipc")));
    let baseline = node.peak_rss();
    let mut sent = Vec::new();
    for attack in &attacks {
        let mut client = connect(&node).await;
        client.send(attack.encoding, &attack.body).expect("send");
        client.flush().await.expect("flush");
        sent.push(client);
    }
    let mut probe = connect(&node).await;
    let alive = probe
        .request(
            Encoding::FlatbuffersJson,
            br#"{"message_type":"IsAlive","message":{}}"#,
        )
        .await
        .expect("the probe is answered");
    assert!(
        String::from_utf8_lossy(&alive).contains("IsAlive"),
        "{}",
        String::from_utf8_lossy(&alive)
    );
    for (attack, mut client) in attacks.iter().zip(sent) {
        let answer = client.recv().await.expect("the attack is answered");
        let text = String::from_utf8_lossy(&answer);
        assert!(
            text.contains(attack.expect),
            "{}: expected {:?} in {}",
            attack.name,
            attack.expect,
            &text[..text.len().min(400)]
        );
    }
    let growth = node.peak_rss().saturating_sub(baseline);
    let budget: u64 = attacks.iter().map(|a| a.body.len() as u64 * GROWTH).sum();
    let names: Vec<_> = attacks.iter().map(|a| a.name).collect();
    assert!(
        growth <= budget,
        "{names:?}: peak RSS grew by {growth} bytes, budget {budget}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_junk_under_an_unread_key() {
    replay(vec![request_size_support::legacy_unread_array()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_unknown_action() {
    replay(vec![request_size_support::legacy_unknown_action()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_junk_in_a_list_the_action_reads() {
    replay(vec![request_size_support::legacy_read_array()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_envelope_junk_under_an_unknown_field() {
    replay(vec![request_size_support::json_unknown_field()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_envelope_huge_vector() {
    replay(vec![request_size_support::json_huge_vector()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_envelope_huge_vector() {
    replay(vec![request_size_support::binary_huge_vector()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_at_once() {
    replay(vec![
        request_size_support::legacy_unread_array(),
        request_size_support::json_huge_vector(),
    ])
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_nesting_in_both_json_encodings() {
    replay(vec![
        request_size_support::legacy_deep_nesting(),
        request_size_support::json_deep_nesting(),
    ])
    .await;
}
