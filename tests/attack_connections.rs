//! Attacks on the node's connection and session budgets (issue 8 items 3, 4 and 7), replayed on
//! loopback, bounded in count and time. Each asserts the node stays within its budget and still
//! answers a probe (`IsAlive`) on a fresh connection.

mod support;

use std::time::Duration;

use nanoipc::api::admin::NodeLoad;
use nanoipc::api::SessionAdmin;
use nanoipc::config::FREE_REQUEST_BYTES;
use support::*;
use tokio::io::AsyncWriteExt;

/// The node's own view of its sessions.
fn load(node: &TestNode) -> NodeLoad {
    node.server
        .node_control()
        .admin()
        .expect("the server registers its session table")
        .load()
}

fn admin(node: &TestNode) -> std::sync::Arc<dyn SessionAdmin> {
    node.server.node_control().admin().unwrap().clone()
}

/// Polls a condition on the node's counters (the node offers no event for them) until it holds.
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let waited = tokio::time::timeout(SAFETY, async {
        while !cond() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "{what} within the safety limit");
}

/// A fresh client is answered.
async fn probe(node: &TestNode, via: Via) {
    let mut c = node.connect(via).await;
    c.write(&frame(3, &v2::is_alive(Some("probe")))).await;
    let answer = v2::read_binary(&c.answer().await);
    assert_eq!(answer.message_type, "IsAlive", "probe over {via:?}");
    assert_eq!(answer.correlation_id.as_deref(), Some("probe"));
}

fn v2_json(message_type: &str, message: &str) -> Vec<u8> {
    frame(
        4,
        format!(r#"{{"message_type":"{message_type}","message":{message}}}"#).as_bytes(),
    )
}

#[tokio::test]
async fn idle_flood_past_max_connections_still_admits_new_clients() {
    const MAX: u32 = 8;
    let node = start_node_with(|c| c.max_connections = MAX).await;
    // Five times the cap of connections that never send a byte, over both transports.
    let mut idle = Vec::new();
    for i in 0..(5 * MAX) {
        let via = if i % 2 == 0 { Via::Tcp } else { Via::Local };
        idle.push(node.connect(via).await);
    }
    for via in BOTH {
        probe(&node, via).await;
    }
    assert!(load(&node).sessions <= u64::from(MAX), "{:?}", load(&node));
    // The oldest idle connections were the ones closed to make room.
    idle.swap_remove(0).expect_closed().await;
}

#[tokio::test]
async fn busy_sessions_are_not_evicted_and_the_newcomer_waits_for_room() {
    let node = start_node_with(|c| c.max_connections = 1).await;
    let mut busy = node.connect(Via::Local).await;
    busy.write(&frame(1, br#"{"action":"hold","name":"attack-busy"}"#))
        .await;
    let gate = latch("attack-busy");
    let g = gate.clone();
    tokio::task::spawn_blocking(move || g.wait_entered())
        .await
        .unwrap();
    let mut waiting = node.connect(Via::Local).await;
    waiting.write(&frame(3, &v2::is_alive(None))).await;
    // A negative check: a slow machine can only make it pass more easily, never fail.
    let early = tokio::time::timeout(Duration::from_millis(300), waiting.answer()).await;
    assert!(
        early.is_err(),
        "a session with an answer in progress was evicted"
    );
    gate.open();
    assert_eq!(
        busy.answer_text().await,
        "{\n    \"held\": \"attack-busy\"\n}\n"
    );
    // Once idle, the old session makes room for the waiting one.
    assert_eq!(
        v2::read_binary(&waiting.answer().await).message_type,
        "IsAlive"
    );
    busy.expect_closed().await;
}

#[tokio::test]
async fn partial_frames_are_held_under_the_byte_budget() {
    const MAX_REQUEST: u32 = 1 << 20;
    const BUDGET: u64 = 1 << 20;
    const ATTACKERS: usize = 8;
    let node = start_node_with(|c| {
        c.max_request_size = MAX_REQUEST;
        c.budgets.max_pending_request_bytes = BUDGET;
    })
    .await;
    // Each attacker announces the largest request and sends all of it but the last byte.
    let mut body = frame(1, &vec![b' '; MAX_REQUEST as usize]);
    body.pop();
    let body = std::sync::Arc::new(body);
    let mut writers = Vec::new();
    for i in 0..ATTACKERS {
        let via = if i % 2 == 0 { Via::Tcp } else { Via::Local };
        let Raw(mut stream) = node.connect(via).await;
        let body = body.clone();
        writers.push(tokio::spawn(async move {
            // Blocks once the node stops reading; the stream stays open until aborted.
            let _ = stream.write_all(&body).await;
            std::future::pending::<()>().await;
        }));
    }
    // The budget fills: every attacker waits for room it cannot get.
    until("the request byte budget filling up", || {
        load(&node).pending_request_bytes + 64 * 1024 >= BUDGET
    })
    .await;
    probe(&node, Via::Tcp).await;
    probe(&node, Via::Local).await;
    let load_now = load(&node);
    assert!(load_now.pending_request_bytes <= BUDGET, "{load_now:?}");
    // What the node read from the attackers is bounded by the budget plus each session's free
    // allowance (and its 8-byte header), however much they sent.
    let read: u64 = admin(&node).sessions().iter().map(|s| s.bytes_in).sum();
    let bound = BUDGET + (ATTACKERS * (FREE_REQUEST_BYTES + 8)) as u64 + 1024;
    assert!(read <= bound, "read {read} bytes, bound {bound}");
    assert!(read < (ATTACKERS as u64) * u64::from(MAX_REQUEST) / 2);
    for w in writers {
        w.abort();
    }
}

#[tokio::test]
async fn per_peer_caps_refuse_a_peers_extra_connections() {
    let node = start_node_with(|c| {
        c.budgets.max_connections_per_ip = 2;
        c.budgets.max_connections_per_uid = 2;
    })
    .await;
    for via in BOTH {
        let mut first = node.connect(via).await;
        let mut second = node.connect(via).await;
        for c in [&mut first, &mut second] {
            c.write(&frame(3, &v2::is_alive(None))).await;
            assert_eq!(v2::read_binary(&c.answer().await).message_type, "IsAlive");
        }
        let mut third = node.connect(via).await;
        third.expect_closed().await;
        // A slot freed by the peer is its own again.
        drop(first);
        until("the closed session to leave the table", || {
            load(&node).sessions < 2
        })
        .await;
        probe(&node, via).await;
    }
}

#[tokio::test]
async fn error_budget_closes_a_session_that_sends_garbage() {
    let node = start_node_with(|c| c.budgets.error_budget = 3).await;
    for via in BOTH {
        // Legacy: three unparseable requests are answered; the fourth ends the session.
        let mut c = node.connect(via).await;
        for _ in 0..3 {
            assert_eq!(
                c.call(1, "{not json").await,
                legacy_error("Unable to parse JSON")
            );
        }
        // The request past the budget gets its own answer, then the final error.
        assert_eq!(
            c.call(1, r#"{"action":"nope"}"#).await,
            legacy_error("Unknown command")
        );
        assert_eq!(
            c.answer_text().await,
            legacy_error(
                "Too many errors: more than 3 malformed or refused requests; closing the connection"
            )
        );
        c.expect_closed().await;
        // v2 JSON: the final error is an Error envelope, code 11.
        let mut c = node.connect(via).await;
        for _ in 0..4 {
            c.write(&frame(4, b"garbage")).await;
        }
        for _ in 0..4 {
            let a = v2::read_json(&c.answer().await);
            assert_eq!(a.error.map(|e| e.0), Some(1));
        }
        let last = v2::read_json(&c.answer().await);
        assert_eq!(last.error.map(|e| (e.0, e.1)), Some((11, 1)));
        c.expect_closed().await;
        // Ordinary failures (an unknown account is an answer, not an abuse) cost nothing.
        let mut c = node.connect(via).await;
        for _ in 0..5 {
            let answer = c
                .call(1, r#"{"action":"account_balance","account":"nano_1bad"}"#)
                .await;
            assert_eq!(answer, legacy_error("Bad account number"));
        }
        probe(&node, via).await;
    }
}

#[tokio::test]
async fn a_client_that_does_not_read_is_paused_not_buffered_for() {
    const SENT: usize = 16 << 20;
    let node = start_node_with(|c| {
        c.budgets.max_unwritten_bytes = 64 * 1024;
        c.local.io_timeout = 600;
    })
    .await;
    let one = frame(1, br#"{"action":"block_count"}"#);
    let pipeline: Vec<u8> = one
        .iter()
        .copied()
        .cycle()
        .take(SENT / one.len() * one.len())
        .collect();
    let Raw(mut stream) = node.connect(Via::Local).await;
    let writer = tokio::spawn(async move {
        // Never reads: the node must stop reading too once its answers back up.
        let _ = stream.write_all(&pipeline).await;
        std::future::pending::<()>().await;
    });
    until("the session to be paused", || {
        load(&node).paused_sessions == 1
    })
    .await;
    probe(&node, Via::Local).await;
    probe(&node, Via::Tcp).await;
    let reader = admin(&node)
        .sessions()
        .into_iter()
        .max_by_key(|s| s.bytes_in)
        .unwrap();
    assert!(reader.paused);
    assert!(
        (reader.bytes_in as usize) < SENT / 4,
        "the node read {} of {SENT} bytes from a client that reads nothing",
        reader.bytes_in
    );
    assert!(
        !writer.is_finished(),
        "the client's pipeline was swallowed whole"
    );
    writer.abort();
}

#[tokio::test]
async fn in_flight_cap_refuses_deferred_requests_past_it() {
    let node = start_node_with(|c| c.budgets.max_requests_in_flight = 1).await;
    let mut holder = node.connect(Via::Tcp).await;
    holder
        .write(&frame(1, br#"{"action":"hold","name":"attack-in-flight"}"#))
        .await;
    let gate = latch("attack-in-flight");
    let g = gate.clone();
    tokio::task::spawn_blocking(move || g.wait_entered())
        .await
        .unwrap();
    let mut other = node.connect(Via::Local).await;
    assert_eq!(
        other
            .call(1, r#"{"action":"hold","name":"attack-in-flight-2"}"#)
            .await,
        legacy_error("Node overloaded: too many requests in flight; retry later")
    );
    // Requests answered inline are never refused.
    probe(&node, Via::Local).await;
    gate.open();
    assert_eq!(
        holder.answer_text().await,
        "{\n    \"held\": \"attack-in-flight\"\n}\n"
    );
}

#[tokio::test]
async fn session_admin_over_ipc_needs_allow_unsafe() {
    let node = start_node_with(|c| c.local.allow_unsafe = true).await;
    // TCP has no allow_unsafe: Access denied, code 3.
    let mut tcp = node.connect(Via::Tcp).await;
    tcp.write(&v2_json("GetInfo", "{}")).await;
    let denied = v2::read_json(&tcp.answer().await);
    assert_eq!(denied.error, Some((3, 2, "Access denied".to_owned())));

    let mut adm = node.connect(Via::Local).await;
    adm.write(&v2_json("GetInfo", "{}")).await;
    let info: serde_json::Value = serde_json::from_slice(&adm.answer().await).unwrap();
    assert_eq!(info["message_type"], "GetInfoResponse");
    assert_eq!(info["message"]["sessions"], 2);
    assert_eq!(info["message"]["block_count"], 1);
    assert_eq!(info["message"]["errors"], 1, "the denied request counts");

    adm.write(&v2_json("Sessions", "{}")).await;
    let listed: serde_json::Value = serde_json::from_slice(&adm.answer().await).unwrap();
    let sessions = listed["message"]["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    let tcp_entry = sessions.iter().find(|s| s["transport"] == "tcp").unwrap();
    assert!(tcp_entry["peer"]
        .as_str()
        .unwrap()
        .starts_with("127.0.0.1:"));
    assert_eq!(tcp_entry["requests"], 1);
    assert_eq!(tcp_entry["errors"], 1);
    let tcp_id = tcp_entry["id"].as_u64().unwrap();

    adm.write(&v2_json(
        "SessionLog",
        &format!(r#"{{"ids":[{tcp_id},999999]}}"#),
    ))
    .await;
    let logged: serde_json::Value = serde_json::from_slice(&adm.answer().await).unwrap();
    assert_eq!(
        logged["message"]["sessions"],
        serde_json::json!([{"id": tcp_id, "logging": true}])
    );
    let stats = admin(&node).sessions();
    assert!(stats.iter().any(|s| s.id == tcp_id && s.logging));

    adm.write(&v2_json(
        "SessionDisconnect",
        &format!(r#"{{"ids":[{tcp_id},999999]}}"#),
    ))
    .await;
    let closed: serde_json::Value = serde_json::from_slice(&adm.answer().await).unwrap();
    assert_eq!(
        closed["message"]["disconnected"],
        serde_json::json!([tcp_id])
    );
    tcp.expect_closed().await;
    until("the disconnected session to leave", || {
        load(&node).sessions == 1
    })
    .await;
    assert_eq!(
        node.server.node_control().requests_in_flight(),
        0,
        "nothing deferred is running"
    );
    probe(&node, Via::Tcp).await;
}
