//! The generated typed client (`NanoApiClient`) on `nanoipc::client::Client`, against the real v2
//! envelope service over both transports and both v2 encodings, plus calls by name, the legacy
//! convenience and the client's answer checks.

mod client_support;

use client_support::*;
use nanoipc::client::{CallError, Client, ClientError, NanoApiClient, WireEncoding};
use nanoipc::schema::{
    AccountWeightT, IsAliveT, Message, ServiceStopT, TopicConfirmationT, TopicServiceStopT,
};

const ENCODINGS: [WireEncoding; 2] = [WireEncoding::Binary, WireEncoding::Json];

fn weight_of(account: &str) -> AccountWeightT {
    AccountWeightT {
        account: account.to_owned(),
    }
}

#[tokio::test]
async fn typed_calls_over_both_transports_and_encodings() {
    let node = start_api_node().await;
    for target in node.targets() {
        for encoding in ENCODINGS {
            let ctx = format!("{target} {encoding:?}");
            let mut c = Client::connect(&target).await.unwrap();
            c.set_encoding(encoding);

            let ok = c.is_alive(&IsAliveT::default()).await.unwrap();
            assert_eq!(ok, IsAliveT::default(), "{ctx}");

            let w = c.account_weight(&weight_of(GENESIS)).await.unwrap();
            assert_eq!(w.voting_weight, GENESIS_AMOUNT, "{ctx}");
            // Same connection, another account: an unknown account weighs 0.
            let w = c
                .account_weight(&weight_of(
                    "nano_1111111111111111111111111111111111111111111111111111hifc8npp",
                ))
                .await
                .unwrap();
            assert_eq!(w.voting_weight, "0", "{ctx}");

            match c.account_weight(&weight_of("nano_bad")).await {
                Err(CallError::Remote {
                    code,
                    category,
                    message,
                }) => {
                    assert_eq!((code, category), (4, 1), "{ctx}");
                    assert_eq!(message, "Bad account number", "{ctx}");
                }
                other => panic!("{ctx}: {other:?}"),
            }

            // Requests the node does not serve yet answer "not implemented" (code 5).
            let not_implemented = [
                c.service_stop(&ServiceStopT::default()).await.map(|_| ()),
                c.topic_confirmation(&TopicConfirmationT::default())
                    .await
                    .map(|_| ()),
                c.topic_service_stop(&TopicServiceStopT::default())
                    .await
                    .map(|_| ()),
            ];
            for r in not_implemented {
                match r {
                    Err(CallError::Remote { code, message, .. }) => {
                        assert_eq!(code, 5, "{ctx}: {message}");
                        assert!(message.starts_with("Not implemented"), "{ctx}: {message}");
                    }
                    other => panic!("{ctx}: {other:?}"),
                }
            }
            // The connection is still good after error answers.
            c.is_alive(&IsAliveT::default()).await.unwrap();
        }
    }
}

#[tokio::test]
async fn correlation_id_and_credentials_round_trip() {
    let node = start_api_node().await;
    for encoding in ENCODINGS {
        let mut c = Client::connect(&node.targets()[1]).await.unwrap();
        c.set_encoding(encoding);
        c.set_credentials(Some("some-key".into()));
        assert_eq!(c.last_answer(), None);
        for id in ["req-1", "req-2 with spaces and \"quotes\""] {
            c.set_correlation_id(Some(id.into()));
            c.account_weight(&weight_of(GENESIS)).await.unwrap();
            let info = c.last_answer().unwrap();
            assert_eq!(info.correlation_id.as_deref(), Some(id), "{encoding:?}");
            assert!(info.time > 0, "the node stamps its answers");
        }
        // Error answers echo it too, and the client records them.
        c.set_correlation_id(Some("bad-1".into()));
        assert!(c.account_weight(&weight_of("x")).await.is_err());
        assert_eq!(
            c.last_answer().unwrap().correlation_id.as_deref(),
            Some("bad-1")
        );
        c.set_correlation_id(None);
        c.is_alive(&IsAliveT::default()).await.unwrap();
        assert_eq!(c.last_answer().unwrap().correlation_id, None);
    }
}

#[tokio::test]
async fn the_client_checks_what_comes_back() {
    let node = start_liar_node().await;
    let mut c = Client::connect(&node.targets()[0]).await.unwrap();
    // The liar answers IsAlive to everything: right for IsAlive, wrong for AccountWeight.
    c.is_alive(&IsAliveT::default()).await.unwrap();
    match c.account_weight(&weight_of(GENESIS)).await {
        Err(CallError::UnexpectedResponse { expected, received }) => {
            assert_eq!(expected, Message::AccountWeightResponse);
            assert_eq!(received, Message::IsAlive);
        }
        other => panic!("{other:?}"),
    }
    // Calls by name check the same things, and typed errors convert into `ClientError`.
    match c
        .call_named("AccountWeight", &format!(r#"{{"account":"{GENESIS}"}}"#))
        .await
    {
        Err(ClientError::InvalidAnswer(m)) => {
            assert!(m.contains("expected AccountWeightResponse"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    c.set_correlation_id(Some("lie".into()));
    match c.call_named("IsAlive", "{}").await {
        Err(ClientError::InvalidAnswer(m)) => assert!(m.contains("not-lie"), "{m}"),
        other => panic!("{other:?}"),
    }
    // The refused answer was still a verified envelope, and is recorded as the typed calls do.
    assert_eq!(
        c.last_answer().unwrap().correlation_id.as_deref(),
        Some("not-lie")
    );
    match c.is_alive(&IsAliveT::default()).await {
        Err(CallError::CorrelationMismatch { sent, received }) => {
            assert_eq!(sent.as_deref(), Some("lie"));
            assert_eq!(received.as_deref(), Some("not-lie"));
        }
        other => panic!("{other:?}"),
    }
    // A node that is gone is a transport error, not a hang.
    let Node {
        server, dir: _dir, ..
    } = node;
    server.shutdown().await;
    assert!(matches!(
        c.is_alive(&IsAliveT::default()).await,
        Err(CallError::Transport(
            ClientError::Closed | ClientError::Io(_)
        ))
    ));
}

#[tokio::test]
async fn typed_calls_run_on_any_worker() {
    let node = start_api_node().await;
    let mut c = Client::connect(&node.targets()[0].to_string())
        .await
        .unwrap();
    // Compiles only because the generated methods return `Send` futures.
    let w = tokio::spawn(async move { c.account_weight(&weight_of(GENESIS)).await })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(w.voting_weight, GENESIS_AMOUNT);
}

#[tokio::test]
async fn calls_by_name_and_legacy_values() {
    let node = start_api_node().await;
    for target in node.targets() {
        let mut c = Client::connect(&target).await.unwrap();
        for encoding in ENCODINGS {
            c.set_encoding(encoding);
            c.set_correlation_id(Some("n-1".into()));
            let a = c
                .call_named("AccountWeight", &format!(r#"{{"account":"{GENESIS}"}}"#))
                .await
                .unwrap();
            assert_eq!(a.message_type(), Message::AccountWeightResponse);
            assert_eq!(a.info().correlation_id.as_deref(), Some("n-1"));
            let json: serde_json::Value = serde_json::from_str(&a.to_json(true).unwrap()).unwrap();
            assert_eq!(json["message"]["voting_weight"], GENESIS_AMOUNT);

            let e = c
                .call_named("AccountWeight", r#"{"account":"nope"}"#)
                .await
                .unwrap();
            assert_eq!(e.error().map(|e| e.code), Some(4));
            assert!(matches!(
                c.call_named("Success", "{}").await,
                Err(ClientError::UnknownRequest { .. })
            ));
        }
        let v = c
            .legacy_value(
                &serde_json::json!({"action": "account_weight", "account": GENESIS}),
                false,
            )
            .await
            .unwrap();
        assert_eq!(v, serde_json::json!({ "weight": GENESIS_AMOUNT }));
        let v = c
            .legacy_value(&serde_json::json!({"action": "nope"}), true)
            .await
            .unwrap();
        assert_eq!(v["error"], "Unknown command");
    }
}

/// A typed call inside a function returning `ClientError`: `?` converts every `CallError`.
async fn weight(c: &mut Client, account: &str) -> Result<String, ClientError> {
    Ok(c.account_weight(&weight_of(account)).await?.voting_weight)
}

#[tokio::test]
async fn typed_errors_convert_into_client_errors() {
    let node = start_api_node().await;
    let mut c = Client::connect(&node.targets()[0]).await.unwrap();
    assert_eq!(weight(&mut c, GENESIS).await.unwrap(), GENESIS_AMOUNT);
    match weight(&mut c, "nano_bad").await {
        Err(ClientError::Remote {
            code,
            category,
            message,
        }) => assert_eq!(
            (code, category, message.as_str()),
            (4, 1, "Bad account number")
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn connect_takes_text_targets() {
    let node = start_api_node().await;
    let unix = node.targets()[1].to_string();
    assert!(unix.starts_with("unix:///"), "{unix}");
    let mut c = Client::connect(unix.as_str()).await.unwrap();
    c.is_alive(&IsAliveT::default()).await.unwrap();
    assert!(matches!(
        Client::connect("http://example:1").await,
        Err(ClientError::BadTarget(_))
    ));
}
