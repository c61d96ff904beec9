//! The Rust client (`nanoipc::client`) against a node over both transports: single requests,
//! pipelining, every encoding, and its errors.

mod support;

use nanoipc::client::{Client, ClientError, Target};
use nanoipc::ipc::Encoding;
use support::*;

fn targets(node: &TestNode) -> [Target; 2] {
    [
        Target::Tcp(node.tcp_addr().to_string()),
        Target::Unix(node.socket_path()),
    ]
}

#[tokio::test]
async fn requests_and_pipelines_over_both_transports() {
    let node = start_node().await;
    for target in targets(&node) {
        let mut c = Client::connect(&target).await.unwrap();
        let a = c
            .legacy(r#"{"action":"echo","value":"1"}"#, false)
            .await
            .unwrap();
        assert_eq!(&a[..], b"{\n    \"value\": \"1\"\n}\n");
        for i in 0..50 {
            let body = format!(r#"{{"action":"echo","value":"{i}"}}"#);
            c.send(Encoding::ALL[i % 2], body.as_bytes()).unwrap();
        }
        for i in 0..50 {
            let a = c.recv().await.unwrap();
            assert_eq!(a, format!("{{\n    \"value\": \"{i}\"\n}}\n").as_bytes());
        }
        let v4 = c
            .request(Encoding::FlatbuffersJson, br#"{"message_type":"IsAlive"}"#)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&v4).unwrap();
        assert_eq!(v["message_type"], "Error");
    }
}

#[tokio::test]
async fn client_errors_are_typed() {
    let node = start_node().await;
    let missing = Target::Unix(node.dir.path().join("absent.sock"));
    assert!(matches!(
        Client::connect(&missing).await,
        Err(ClientError::Connect { .. })
    ));
    // An answer above the client's limit is refused before it is buffered.
    let mut c = Client::connect(&targets(&node)[1]).await.unwrap();
    c.set_max_response(8);
    assert!(matches!(
        c.legacy(r#"{"action":"nope"}"#, false).await,
        Err(ClientError::Frame(_))
    ));
    // A node that goes away mid-conversation is `Closed`, not a hang.
    let mut c = Client::connect(&targets(&node)[0]).await.unwrap();
    let TestNode { server, dir: _dir } = node;
    server.shutdown().await;
    assert!(matches!(
        c.legacy(r#"{"action":"nope"}"#, false).await,
        Err(ClientError::Closed) | Err(ClientError::Io(_))
    ));
    assert!("ftp://x:1".parse::<Target>().is_err());
}
