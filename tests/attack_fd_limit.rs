//! The file-descriptor attack, replayed against the real binary: under a low descriptor limit,
//! a few hundred connections that send nothing used to take every descriptor, so every new
//! client connected and was never answered while the log got an "accept failed" line every
//! 50 ms. Now the node fits `max_connections` to its limit (saying so), closes the longest-idle
//! session to admit a newcomer, and logs accept failures at most once per period.

mod node_proc;

use std::net::TcpStream;

use node_proc::{probe_is_alive, NodeProc};

/// Soft and hard limit the node runs under: 64 descriptors for sessions once it keeps 64.
const NOFILE: u32 = 128;
/// Idle connections opened against it: several times what it can hold.
const IDLE: usize = 400;

#[test]
fn idle_connections_under_a_low_fd_limit_never_lock_clients_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut node = NodeProc::start_with(dir.path(), "info", Some(NOFILE));
    let startup = node.startup.clone();
    let reader = node.read_log();
    let started = std::time::Instant::now();
    // Every connection stays open and silent; the kernel completes each handshake whether or
    // not the node accepts it, so opening them never waits on the node.
    let idle: Vec<TcpStream> = (0..IDLE)
        .map(|_| TcpStream::connect(node.tcp).unwrap())
        .collect();
    for round in 0..3 {
        let answer = probe_is_alive(node.tcp);
        assert!(answer.contains("IsAlive"), "probe {round}: {answer}");
    }
    let elapsed = started.elapsed();
    drop(idle);
    let (status, _) = node.terminate();
    assert!(status.success(), "{status}");
    let lines = reader.join().unwrap();
    assert!(
        startup
            .iter()
            .any(|l| l.contains("max_connections lowered")),
        "the node says it fitted max_connections to the limit:\n{}",
        startup.join("\n")
    );
    // At most one accept-failure line per 10 s window (plus a summary), never one per failure.
    let windows = usize::try_from(elapsed.as_secs() / 10).unwrap() + 1;
    let accept_lines = lines.iter().filter(|l| l.contains("accept failed")).count();
    assert!(
        accept_lines <= 2 * windows + 2,
        "{accept_lines} accept-failure lines in {elapsed:?}:\n{}",
        lines.join("\n")
    );
}
