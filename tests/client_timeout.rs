//! The client's timeouts: a node that accepts but never answers, and one whose accept queue is
//! full, must not hang `Client`, `nanoipc call` (exit code 3) or `nanoipc bench`.

use std::path::PathBuf;
use std::time::Duration;

use nanoipc::client::{Client, ClientError, Target};
use nanoipc::ipc::Encoding;
use tokio::net::{TcpSocket, UnixListener};

/// A server on a temp-dir Unix socket that accepts every connection, keeps it open and never
/// reads or answers. Lives as long as the returned directory.
fn silent_server() -> (tempfile::TempDir, Target) {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("silent.sock");
    let listener = UnixListener::bind(&path).unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    (dir, Target::Unix(path))
}

#[tokio::test(start_paused = true)]
async fn a_request_without_answer_times_out_and_poisons_the_connection() {
    let (_dir, target) = silent_server();
    let mut c = Client::connect_timeout(&target, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(c.timeout(), Some(Duration::from_secs(30)));
    // The paused clock jumps to the deadline once nothing else can happen.
    match c.legacy(r#"{"action":"block_count"}"#, false).await {
        Err(ClientError::Timeout { what, after }) => {
            assert_eq!(after, Duration::from_secs(30));
            assert_eq!(what, "waiting for an answer");
        }
        other => panic!("{other:?}"),
    }
    // Its answer could still come and would be taken for the next request's.
    assert!(matches!(
        c.request(Encoding::JsonV1, b"{}").await,
        Err(ClientError::Poisoned)
    ));

    // Without a timeout the same request waits (here: until the test stops waiting).
    let mut c = Client::connect(&target).await.unwrap();
    assert_eq!(c.timeout(), None);
    let waited = tokio::time::timeout(
        Duration::from_secs(3600),
        c.request(Encoding::JsonV1, b"{}"),
    );
    assert!(waited.await.is_err(), "the silent server never answers");
    // set_timeout bounds later requests on an existing connection.
    let mut c = Client::connect(&target).await.unwrap();
    c.set_timeout(Some(Duration::from_millis(10)));
    assert!(matches!(
        c.request(Encoding::JsonV1, b"{}").await,
        Err(ClientError::Timeout { .. })
    ));
}

#[tokio::test]
async fn connecting_to_a_full_accept_queue_times_out() {
    // A listener that never accepts, with the smallest backlog: once its queue is full, the
    // kernel drops further SYNs and a connect waits.
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let target = Target::Tcp(listener.local_addr().unwrap().to_string());
    let mut held = Vec::new();
    for _ in 0..64 {
        match Client::connect_timeout(&target, Duration::from_millis(200)).await {
            Ok(c) => held.push(c),
            Err(ClientError::Timeout { what, .. }) => {
                assert_eq!(what, format!("connecting to {target}"));
                return;
            }
            Err(e) => panic!("{e}"),
        }
    }
    panic!("64 connections to a listener with backlog 1 never waited");
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

async fn nanoipc(args: &[&str]) -> Run {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_nanoipc"))
        .args(args)
        .output()
        .await
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[tokio::test]
async fn the_cli_gives_up_on_a_silent_node() {
    let (_dir, target) = silent_server();
    let target = target.to_string();
    for args in [
        &["--binary", "IsAlive"][..],
        &["--legacy", r#"{"action":"block_count"}"#],
        &["--encoding", "1", r#"{"action":"block_count"}"#],
    ] {
        let mut all = vec!["call", "--target", &target, "--timeout", "0.2"];
        all.extend(args);
        let run = nanoipc(&all).await;
        assert_eq!(run.code, Some(3), "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains("timed out"), "{}", run.stderr);
    }
    let run = nanoipc(&[
        "bench",
        "--target",
        &target,
        "--timeout",
        "0.2",
        "-q",
        "-n",
        "5",
        "-e",
        "3",
    ])
    .await;
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stderr.contains("timed out"), "{}", run.stderr);

    let bad = nanoipc(&["call", "--target", &target, "--timeout", "-1", "IsAlive"]).await;
    assert_eq!(bad.code, Some(2), "{}", bad.stderr);
}
