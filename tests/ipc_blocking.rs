//! Requests whose handlers block run off the async workers: a held request on one session never
//! stalls another session, and a session's answers keep request order across slow and fast
//! requests. The runtime has a single worker thread, so a handler blocking on it would stall every
//! session and these tests would fail (by their safety timeout) instead of passing.

mod support;

use support::*;

fn legacy(payload: &str) -> Vec<u8> {
    frame(1, payload.as_bytes())
}

/// A safety net, never a synchronisation device: if the test has not finished within [`SAFETY`]
/// (a blocked runtime worker would freeze it, timers included), open the latch so everything
/// unwinds, and report it so the test fails instead of hanging.
struct Watchdog {
    done: std::sync::mpsc::Sender<()>,
    expired: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Watchdog {
    fn new(names: &[&str]) -> Self {
        let (done, rx) = std::sync::mpsc::channel::<()>();
        let expired = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (flag, names) = (
            expired.clone(),
            names.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
        );
        std::thread::spawn(move || {
            if rx.recv_timeout(SAFETY).is_err() {
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                names.iter().for_each(|n| latch(n).open());
            }
        });
        Watchdog { done, expired }
    }

    fn finish(self) {
        let _ = self.done.send(());
        assert!(
            !self.expired.load(std::sync::atomic::Ordering::SeqCst),
            "a blocking handler stalled the runtime"
        );
    }
}

async fn wait_entered(name: &str) {
    let l = latch(name);
    tokio::task::spawn_blocking(move || l.wait_entered())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_held_request_never_stalls_another_session() {
    for via in BOTH {
        let node = start_node().await;
        let name = format!("stall-{via:?}");
        let watchdog = Watchdog::new(&[&name]);
        let mut slow = node.connect(via).await;
        slow.write(&legacy(&format!(r#"{{"action":"hold","name":"{name}"}}"#)))
            .await;
        wait_entered(&name).await;

        // A thousand pipelined AccountWeight calls on a second session, answered while the first
        // session's request is still running.
        let mut fast = node.connect(via).await;
        let one = support::v2::account_weight(Some("w"), GENESIS);
        let batch: Vec<u8> = (0..1000).flat_map(|_| frame(3, &one)).collect();
        fast.write(&batch).await;
        for _ in 0..1000 {
            let answer = support::v2::read_binary(&fast.answer().await);
            assert_eq!(answer.message_type, "AccountWeightResponse");
        }
        watchdog.finish();

        latch(&name).open();
        assert_eq!(
            slow.answer_text().await,
            format!("{{\n    \"held\": \"{name}\"\n}}\n")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn pipelined_answers_keep_their_order_across_slow_and_fast_requests() {
    let node = start_node().await;
    let watchdog = Watchdog::new(&["order-a", "order-b"]);
    let mut s = node.connect(Via::Local).await;
    let requests = [
        r#"{"action":"hold","name":"order-a"}"#,
        r#"{"action":"echo","value":"1"}"#,
        r#"{"action":"hold","name":"order-b"}"#,
        r#"{"action":"echo","value":"2"}"#,
        r#"{"action":"unknown"}"#,
    ];
    let batch: Vec<u8> = requests.iter().flat_map(|r| legacy(r)).collect();
    s.write(&batch).await;
    wait_entered("order-a").await;
    wait_entered("order-b").await;
    // The later slow request finishes first; its answer still waits for the earlier one.
    latch("order-b").open();
    latch("order-a").open();
    let expected = [
        "{\n    \"held\": \"order-a\"\n}\n".to_owned(),
        "{\n    \"value\": \"1\"\n}\n".to_owned(),
        "{\n    \"held\": \"order-b\"\n}\n".to_owned(),
        "{\n    \"value\": \"2\"\n}\n".to_owned(),
        legacy_error("Unknown command"),
    ];
    for want in expected {
        assert_eq!(s.answer_text().await, want);
    }
    watchdog.finish();
    // The session goes on serving inline requests afterwards.
    assert_eq!(
        s.call(1, r#"{"action":"echo","value":"3"}"#).await,
        "{\n    \"value\": \"3\"\n}\n"
    );
}

/// End of stream ends the session (a half-close looks like a departed client): answers already
/// made are written, answers still being produced are abandoned.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_client_that_closes_gets_the_answers_already_made() {
    let node = start_node().await;
    let mut s = node.connect(Via::Tcp).await;
    let batch: Vec<u8> = [
        r#"{"action":"echo","value":"before"}"#,
        r#"{"action":"hold","name":"half-close"}"#,
        r#"{"action":"echo","value":"after"}"#,
    ]
    .iter()
    .flat_map(|r| legacy(r))
    .collect();
    s.write(&batch).await;
    wait_entered("half-close").await;
    s.shutdown_write().await;
    assert_eq!(s.answer_text().await, "{\n    \"value\": \"before\"\n}\n");
    s.expect_closed().await;
    latch("half-close").open();
}

/// Issue #7's scenario: on a live-network ledger (a generation at the live base difficulty takes
/// minutes of CPU), a `work_generate` runs on one session while a thousand `AccountWeight` calls
/// on another complete; then `work_cancel` stops it and it answers nano's `Cancelled`. Once over
/// v2 (encoding 4) and once over legacy JSON (encoding 2 on a transport allowing control).
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn reads_complete_while_work_is_generated_and_work_cancel_stops_it() {
    use nanoipc::api::Api;
    use nanoipc::ledger::primitives::{BlockHash, Network};
    use nanoipc::schema::JsonOptions;

    let dir = tempfile::tempdir().unwrap();
    let ledger = nanoipc::ledger::Ledger::open(dir.path(), Network::Live).unwrap();
    let api = Api::new(ledger, JsonOptions::default());
    let service = std::sync::Arc::new(nanoipc::rpc_legacy::request_core(api.clone()).unwrap());
    let mut config = test_config(dir.path());
    config.local.allow_unsafe = true;
    let server = nanoipc::ipc::IpcServer::start(&config, service)
        .await
        .unwrap();
    let node = TestNode { server, dir };
    let live_genesis = "nano_3t6k35gi95xu6tergt6p69ck76ogmitsa8mnijtpxm9fkcm736xtoncuohr3";

    for (i, (encoding, generate)) in [
        (
            4u8,
            r#"{"message_type":"WorkGenerate","message":{"hash":"ROOT"}}"#,
        ),
        (2u8, r#"{"action":"work_generate","hash":"ROOT"}"#),
    ]
    .into_iter()
    .enumerate()
    {
        let root_hex = format!("{:064X}", 0xC0FFEE + i);
        let root = BlockHash::decode_hex(&root_hex).unwrap();
        let mut worker = node.connect(Via::Local).await;
        worker
            .write(&frame(
                encoding,
                generate.replace("ROOT", &root_hex).as_bytes(),
            ))
            .await;
        // Wait (on a blocking thread, bounded by the safety limit) until the generation runs.
        let probe = api.clone();
        tokio::time::timeout(
            SAFETY,
            tokio::task::spawn_blocking(move || {
                while probe.work_running(&root) == 0 {
                    std::thread::yield_now();
                }
            }),
        )
        .await
        .expect("the generation starts")
        .unwrap();

        let mut reader = node.connect(Via::Local).await;
        let one = support::v2::account_weight(None, live_genesis);
        let batch: Vec<u8> = (0..1000).flat_map(|_| frame(3, &one)).collect();
        reader.write(&batch).await;
        for _ in 0..1000 {
            let answer = support::v2::read_binary(&reader.answer().await);
            assert_eq!(answer.message_type, "AccountWeightResponse");
        }
        assert_eq!(
            api.work_running(&root),
            1,
            "still generating after the reads"
        );

        let cancel = format!(r#"{{"action":"work_cancel","hash":"{root_hex}"}}"#);
        assert_eq!(
            reader.call(2, &cancel).await,
            "{\n    \"success\": \"\"\n}\n"
        );
        let answer = worker.answer_text().await;
        if encoding == 2 {
            assert_eq!(answer, legacy_error("Cancelled"));
        } else {
            let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
            assert_eq!(v["message_type"], "Error", "{answer}");
            assert_eq!(v["message"]["message"], "Cancelled", "{answer}");
        }
    }
}

/// A client that leaves while its `work_generate` runs stops the generation: nobody would read
/// the answer, and the node's one work search would stay busy for minutes (live thresholds).
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_generation_whose_client_left_stops() {
    use nanoipc::api::Api;
    use nanoipc::ledger::primitives::{BlockHash, Network};
    use nanoipc::schema::JsonOptions;

    let dir = tempfile::tempdir().unwrap();
    let ledger = nanoipc::ledger::Ledger::open(dir.path(), Network::Live).unwrap();
    let api = Api::new(ledger, JsonOptions::default());
    let service = std::sync::Arc::new(nanoipc::rpc_legacy::request_core(api.clone()).unwrap());
    let config = test_config(dir.path());
    let server = nanoipc::ipc::IpcServer::start(&config, service)
        .await
        .unwrap();
    let node = TestNode { server, dir };
    let root_hex = format!("{:064X}", 0xDEAD);
    let root = BlockHash::decode_hex(&root_hex).unwrap();
    let mut client = node.connect(Via::Local).await;
    let request = format!(r#"{{"message_type":"WorkGenerate","message":{{"hash":"{root_hex}"}}}}"#);
    client.write(&frame(4, request.as_bytes())).await;
    let wait_until = |running: usize| {
        let probe = api.clone();
        async move {
            tokio::time::timeout(
                SAFETY,
                tokio::task::spawn_blocking(move || {
                    while probe.work_running(&root) != running {
                        std::thread::yield_now();
                    }
                }),
            )
            .await
            .expect("within the safety limit")
            .unwrap()
        }
    };
    wait_until(1).await;
    drop(client);
    // The session ends, drops the pending answer, and the generation notices within a few
    // hundred attempts.
    wait_until(0).await;
}
