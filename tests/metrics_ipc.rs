//! Metrics end to end over IPC: requests in every encoding (inline and on the blocking pool,
//! answered and failed) show up in the `Metrics` answer, which only a transport with
//! `allow_unsafe` is served; the others get `Access denied` (code 3).

mod support;

use nanoipc::client::{CallError, Client, NanoApiClient, Target, WireEncoding};
use nanoipc::schema::{AccountWeightT, IsAliveT, MetricsT};
use support::*;

/// The value of the sample line `series` (name and labels exactly as rendered).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no sample {series} in\n{text}"))
        .parse()
        .expect("a numeric sample")
}

fn requests(message: &str, encoding: u8) -> String {
    format!("nanoipc_requests_total{{message=\"{message}\",encoding=\"{encoding}\"}}")
}

/// TCP stays without `allow_unsafe`; the Unix socket gets it.
async fn node() -> (TestNode, Target, Target) {
    let node = start_node_with(|c| c.local.allow_unsafe = true).await;
    let tcp = Target::Tcp(node.tcp_addr().to_string());
    let local = Target::Unix(node.socket_path());
    (node, tcp, local)
}

#[tokio::test]
async fn requests_errors_sessions_and_ledger_counts_reach_the_metrics() {
    let (_node, tcp, local) = node().await;
    let mut c = Client::connect(&tcp).await.unwrap();
    c.set_encoding(WireEncoding::Binary);
    for _ in 0..3 {
        c.is_alive(&IsAliveT::default()).await.unwrap();
    }
    c.set_encoding(WireEncoding::Json);
    let weight = |account: &str| AccountWeightT {
        account: account.to_owned(),
    };
    for _ in 0..2 {
        c.account_weight(&weight(GENESIS)).await.unwrap();
    }
    let bad = c.account_weight(&weight("nano_bad")).await;
    assert!(
        matches!(bad, Err(CallError::Remote { code: 4, .. })),
        "{bad:?}"
    );
    for _ in 0..2 {
        let a = c
            .legacy(r#"{"action":"block_count"}"#, false)
            .await
            .unwrap();
        assert!(!a.is_empty());
    }
    let unknown = c.legacy(r#"{"action":"no_such"}"#, false).await.unwrap();
    assert!(String::from_utf8_lossy(&unknown).contains("Unknown command"));
    // `process` runs on the blocking pool: its error is noted there and still counted.
    let rejected = c
        .legacy(r#"{"action":"process","block":"not a block"}"#, false)
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(&rejected).contains("\"error\""));

    let denied = c.metrics(&MetricsT {}).await;
    assert!(
        matches!(&denied, Err(CallError::Remote { code: 3, message, .. }) if message == "Access denied"),
        "{denied:?}"
    );

    let mut admin = Client::connect(&local).await.unwrap();
    let answer = admin.metrics(&MetricsT {}).await.unwrap();
    assert_eq!(
        answer.content_type,
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = answer.text;
    assert_eq!(sample(&text, &requests("IsAlive", 3)), 3.0);
    assert_eq!(sample(&text, &requests("IsAlive", 4)), 0.0);
    assert_eq!(sample(&text, &requests("AccountWeight", 4)), 3.0);
    assert_eq!(
        sample(&text, &requests("Metrics", 4)),
        1.0,
        "the refused scrape"
    );
    assert_eq!(sample(&text, &requests("block_count", 1)), 2.0);
    assert_eq!(sample(&text, &requests("unknown", 1)), 1.0);
    assert_eq!(sample(&text, &requests("process", 1)), 1.0);
    let process_latency =
        "nanoipc_request_duration_seconds_count{message=\"process\",encoding=\"1\"}";
    assert_eq!(sample(&text, process_latency), 1.0);
    assert_eq!(sample(&text, "nanoipc_errors_total{code=\"2\"}"), 1.0);
    assert_eq!(sample(&text, "nanoipc_errors_total{code=\"3\"}"), 1.0);
    assert_eq!(sample(&text, "nanoipc_errors_total{code=\"4\"}"), 2.0);
    assert_eq!(sample(&text, "nanoipc_sessions_total"), 2.0);
    assert_eq!(sample(&text, "nanoipc_sessions_open"), 2.0);
    assert!(sample(&text, "nanoipc_received_bytes_total") > 0.0);
    assert!(sample(&text, "nanoipc_sent_bytes_total") > 0.0);
    assert_eq!(sample(&text, "nanoipc_ledger_blocks"), 1.0);
    assert_eq!(sample(&text, "nanoipc_ledger_cemented_blocks"), 1.0);
}

#[tokio::test]
async fn metrics_are_refused_without_allow_unsafe_on_every_encoding() {
    let (_node, tcp, _local) = node().await;
    for encoding in [WireEncoding::Binary, WireEncoding::Json] {
        let mut c = Client::connect(&tcp).await.unwrap();
        c.set_encoding(encoding);
        match c.metrics(&MetricsT {}).await {
            Err(CallError::Remote {
                code,
                category,
                message,
            }) => assert_eq!((code, category, message.as_str()), (3, 2, "Access denied")),
            other => panic!("{encoding:?}: expected Access denied, got {other:?}"),
        }
        // The session goes on after the refusal.
        c.is_alive(&IsAliveT::default()).await.unwrap();
    }
}

#[test]
fn every_legacy_action_has_a_metrics_slot() {
    let registry = nanoipc::rpc_legacy::actions::registry().unwrap();
    // Slot 0 is "unknown"; action i is slot i + 1.
    assert!(registry.names().len() < nanoipc::api::metrics::SLOTS);
}
