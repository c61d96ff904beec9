//! Server lifecycle: the socket file (mode, stale replacement, live-node refusal, removal), `stop`,
//! shutdown draining, the connection limit and the idle/io timeouts, and the binary's SIGTERM path.

mod support;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use nanoipc::ipc::{IpcServer, ServerError, ShutdownOutcome};
use support::*;

#[tokio::test]
async fn socket_file_has_owner_group_mode_and_is_removed_on_shutdown() {
    let node = start_node().await;
    let path = node.socket_path();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o660);
    let mut c = node.connect(Via::Local).await;
    assert_eq!(
        c.call(1, r#"{"action":"nope"}"#).await,
        legacy_error("Unknown command")
    );
    let TestNode { server, dir: _dir } = node;
    assert_eq!(server.shutdown().await, ShutdownOutcome::Drained);
    assert!(!path.exists());
    c.expect_closed().await;
}

#[tokio::test]
async fn configured_permissions_are_applied() {
    let node = start_node_with(|c| c.local.permissions = "0600".into()).await;
    let mode = std::fs::metadata(node.socket_path())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
}

#[tokio::test]
async fn stale_socket_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nano.sock");
    // A socket file nobody listens on, as a killed node leaves behind.
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
    assert!(path.exists());
    let mut config = test_config(dir.path());
    config.tcp.enable = false;
    let server = IpcServer::start(&config, test_handler(dir.path()))
        .await
        .unwrap();
    let mut c = Raw(Box::new(
        tokio::net::UnixStream::connect(&path).await.unwrap(),
    ));
    assert_eq!(
        c.call(1, r#"{"action":"nope"}"#).await,
        legacy_error("Unknown command")
    );
    server.shutdown().await;
    assert!(!path.exists());
}

#[tokio::test]
async fn live_node_on_the_path_is_a_clear_error() {
    let node = start_node().await;
    let mut config = test_config(node.dir.path());
    config.tcp.enable = false;
    // The first node's ledger is open in this process; the second gets its own.
    let other = tempfile::tempdir().unwrap();
    let err = IpcServer::start(&config, test_handler(other.path()))
        .await
        .unwrap_err();
    assert!(matches!(err, ServerError::AlreadyRunning(ref p) if *p == node.socket_path()));
    assert!(err.to_string().contains("already listening"), "{err}");
    // The first node still serves, and its socket file is untouched.
    let mut c = node.connect(Via::Local).await;
    assert_eq!(
        c.call(1, r#"{"action":"nope"}"#).await,
        legacy_error("Unknown command")
    );
}

#[tokio::test]
async fn a_regular_file_on_the_path_is_never_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nano.sock");
    std::fs::write(&path, b"precious").unwrap();
    let mut config = test_config(dir.path());
    config.tcp.enable = false;
    let err = IpcServer::start(&config, test_handler(dir.path()))
        .await
        .unwrap_err();
    assert!(matches!(err, ServerError::NotASocket(_)), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");
}

/// nano-node's IPC applies no control gate: `stop` over encoding 1 answers, then stops the node.
#[tokio::test]
async fn stop_over_ipc_answers_then_stops_the_node() {
    for (via, encoding) in [(Via::Local, 1), (Via::Tcp, 2)] {
        let node = start_node().await;
        let path = node.socket_path();
        let mut bystander = node.connect(via).await;
        let mut c = node.connect(via).await;
        assert_eq!(
            c.call(encoding, r#"{"action":"stop"}"#).await,
            "{\n    \"success\": \"\"\n}\n"
        );
        tokio::time::timeout(SAFETY, node.server.stop_requested())
            .await
            .unwrap();
        c.expect_closed().await;
        bystander.expect_closed().await;
        let TestNode { server, dir: _dir } = node;
        server.shutdown().await;
        assert!(!path.exists());
    }
}

/// At `max_connections` a new client is admitted by closing the longest-idle session (idle
/// connections can never lock everyone out); busy sessions are never closed for it
/// (`tests/attack_connections.rs` covers the busy case and the floods).
#[tokio::test]
async fn connection_limit_closes_the_idle_session_for_the_next_client() {
    let node = start_node_with(|c| c.max_connections = 1).await;
    for via in BOTH {
        let mut first = node.connect(via).await;
        assert_eq!(
            first.call(1, r#"{"action":"nope"}"#).await,
            legacy_error("Unknown command")
        );
        let mut second = node.connect(via).await;
        assert_eq!(
            second.call(1, r#"{"action":"nope"}"#).await,
            legacy_error("Unknown command")
        );
        first.expect_closed().await;
        drop(second);
    }
}

#[tokio::test(start_paused = true)]
async fn started_frame_is_bounded_by_io_timeout() {
    let node = start_node_with(|c| {
        c.local.io_timeout = 2;
        c.tcp.io_timeout = 2;
    })
    .await;
    for via in BOTH {
        let bystander = node.connect(via).await;
        let mut c = node.connect(via).await;
        c.write(&frame(1, br#"{"action":"nope"}"#)[..6]).await;
        c.expect_closed().await;
        let mut b = bystander;
        assert_eq!(
            b.call(1, r#"{"action":"nope"}"#).await,
            legacy_error("Unknown command")
        );
    }
}

/// `io_timeout` bounds the whole frame, not each gap between reads: a client sending one byte every
/// 1.5 s (each gap under the 2 s limit) is cut off instead of holding the frame open for 37 s.
#[tokio::test(start_paused = true)]
async fn trickled_frame_is_cut_at_io_timeout() {
    let node = start_node_with(|c| {
        c.local.io_timeout = 2;
        c.tcp.io_timeout = 2;
    })
    .await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        // Before the fix the frame completed after 37 s and was answered; expect_closed fails then.
        for b in &frame(1, br#"{"action":"nope"}"#) {
            // Once the server has closed, a write may fail (EPIPE/reset); stop trickling then.
            if c.0.write_all(std::slice::from_ref(b)).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1500)).await;
        }
        c.expect_closed().await;
    }
}

/// The frame deadline belongs to one frame: a frame that starts in the same read that completes the
/// previous one gets its own `io_timeout`, not what was left of its predecessor's.
#[tokio::test(start_paused = true)]
async fn each_frame_gets_its_own_io_timeout() {
    let node = start_node_with(|c| {
        c.local.io_timeout = 2;
        c.tcp.io_timeout = 2;
    })
    .await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        let first = frame(1, br#"{"action":"nope"}"#);
        let second = frame(1, br#"{"action":"still_nope"}"#);
        let (a1, a2) = first.split_at(5);
        let (b1, b2) = second.split_at(5);
        c.write(a1).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        // Completes the first frame 1.5 s into it and starts the second.
        c.write(&[a2, b1].concat()).await;
        assert_eq!(c.answer_text().await, legacy_error("Unknown command"));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        // 3 s after the first frame began, but only 1.5 s into the second.
        c.write(b2).await;
        assert_eq!(c.answer_text().await, legacy_error("Unknown command"));
    }
}

#[tokio::test(start_paused = true)]
async fn idle_connections_are_kept_until_the_idle_limit() {
    // Default: no idle limit. A paused clock jumps far ahead while the connection idles.
    let node = start_node().await;
    let mut c = node.connect(Via::Local).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(
        c.call(1, r#"{"action":"nope"}"#).await,
        legacy_error("Unknown command")
    );
}

#[tokio::test]
async fn idle_limit_closes_quiet_connections() {
    let node = start_node_with(|c| c.idle_timeout = 1).await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        assert_eq!(
            c.call(1, r#"{"action":"nope"}"#).await,
            legacy_error("Unknown command")
        );
        c.expect_closed().await;
    }
}

#[tokio::test]
async fn no_transport_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.tcp.enable = false;
    config.local.enable = false;
    let err = IpcServer::start(&config, test_handler(dir.path()))
        .await
        .unwrap_err();
    assert!(matches!(err, ServerError::NoTransport));
}

/// Starts the real binary on `data_path` (which holds its config) and returns once its local
/// socket listens. The node's stderr stays open with the returned reader (a closed pipe would
/// make its later log lines fail).
fn spawn_listening_node(
    data_path: &std::path::Path,
) -> (
    std::process::Child,
    std::io::Lines<BufReader<std::process::ChildStderr>>,
) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_nanoipc"))
        .args(["node", "--data-path"])
        .arg(data_path)
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("ipc local socket listening") {
            break;
        }
    }
    (child, lines)
}

/// The real binary: starts with a config file from --data-path, serves, and on SIGTERM removes its
/// socket file and exits 0.
#[test]
fn binary_node_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("node.sock");
    std::fs::write(
        dir.path().join("config-node.toml"),
        format!("[node.ipc.local]\npath = \"{}\"\n", sock.display()),
    )
    .unwrap();
    let (mut child, _stderr) = spawn_listening_node(dir.path());
    assert!(sock.exists());
    // The ledger was created in the data path on first start.
    assert!(dir.path().join("ledger").join("data.mdb").exists());
    let call = std::process::Command::new(env!("CARGO_BIN_EXE_nanoipc"))
        .args(["call", "--target"])
        .arg(format!("unix://{}", sock.display()))
        .args(["--legacy", r#"{"action":"block_count"}"#])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&call.stdout).contains("\"count\": \"1\""),
        "{}",
        String::from_utf8_lossy(&call.stdout)
    );
    assert_eq!(call.status.code(), Some(0));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(!sock.exists());
}

/// A network without a bundled genesis is a clear start-up error, not a node without a ledger.
#[test]
fn binary_node_refuses_a_network_it_has_no_genesis_for() {
    for (network, text) in [
        (
            "test",
            "config-node.toml: key `node.network`: unknown network \"test\"",
        ),
        ("beta", "genesis block is not bundled"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("node.sock");
        std::fs::write(
            dir.path().join("config-node.toml"),
            format!(
                "[node]\nnetwork = \"{network}\"\n[node.ipc.local]\npath = \"{}\"\n",
                sock.display()
            ),
        )
        .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_nanoipc"))
            .args(["node", "--data-path"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{network}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(text), "{network}: {stderr}");
        assert!(!sock.exists());
    }
}

/// The real binary on the live network (where a generation takes minutes of CPU): a SIGTERM while
/// a `WorkGenerate` runs cancels it (its session is answered `Cancelled`) and the process exits,
/// instead of waiting for the generation on the runtime's blocking pool. A watchdog kills the
/// node if it has not exited long before a generation could finish, and the test then fails.
#[test]
fn binary_node_stops_while_work_is_being_generated() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("node.sock");
    std::fs::write(
        dir.path().join("config-node.toml"),
        format!(
            "[node]\nnetwork = \"live\"\n[node.ipc.local]\npath = \"{}\"\n",
            sock.display()
        ),
    )
    .unwrap();
    let (mut child, _stderr) = spawn_listening_node(dir.path());
    let mut conn = std::os::unix::net::UnixStream::connect(&sock).unwrap();
    let request = format!(
        r#"{{"message_type":"WorkGenerate","message":{{"hash":"{:064X}"}}}}"#,
        0xC0FFEE
    );
    conn.write_all(&frame(4, request.as_bytes())).unwrap();
    // A round trip on a second connection: the node is up and has read the first request.
    let mut probe = std::os::unix::net::UnixStream::connect(&sock).unwrap();
    probe
        .write_all(&frame(1, br#"{"action":"block_count"}"#))
        .unwrap();
    let mut len = [0u8; 4];
    probe.read_exact(&mut len).unwrap();

    let pid = child.id();
    let (done, stop_watch) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let expired = stop_watch.recv_timeout(SAFETY).is_err();
        if expired {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        expired
    });
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut answer = Vec::new();
    let _ = conn.read_to_end(&mut answer);
    let status = child.wait().unwrap();
    let _ = done.send(());
    assert!(
        !watchdog.join().unwrap(),
        "the node did not exit while work was generated"
    );
    assert_eq!(status.code(), Some(0));
    let text = String::from_utf8_lossy(answer.get(4..).unwrap_or_default());
    assert!(text.contains("Cancelled"), "{text}");
}
