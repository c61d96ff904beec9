//! Attack: bad connections against the node's log (issue 8, item 5).
//!
//! - With stderr on a pipe the test never reads, hundreds of bad connections used to hang the
//!   whole node (a runtime worker blocked in the log write once the 64 KiB pipe filled). Debug
//!   logging (two lines per connection, far past the pipe's capacity) makes sure the log volume,
//!   not the rate limiter, is what is tested: a probe must still be answered.
//! - With stderr read, a connect-and-reset loop used to write one warning per connection; the
//!   number of "session closed" lines must stay within the rate limiter's budget.
//!
//! Bounded: 600 and 2,000 connections, loopback only.

mod node_proc;

use std::io::Write;
use std::net::TcpStream;

use node_proc::{connect_and_reset, probe_block_count, probe_is_alive, reset, NodeProc, SAFETY};

/// One bad connection of each kind the issue names, by index: garbage instead of a preamble,
/// a frame cut off and reset, a bare connect-and-reset.
fn bad_connection(tcp: std::net::SocketAddr, i: usize) {
    match i % 3 {
        0 => {
            let mut s = TcpStream::connect_timeout(&tcp, SAFETY).unwrap();
            // The node may already have closed on the garbage; either way it saw it.
            let _ = s.write_all(b"GET / HTTP/1.1\r\n\r\n");
        }
        1 => {
            let mut s = TcpStream::connect_timeout(&tcp, SAFETY).unwrap();
            let _ = s.write_all(&[b'N', 1, 0, 0, 0, 0, 1]);
            reset(s);
        }
        _ => connect_and_reset(tcp),
    }
}

#[test]
fn unread_stderr_never_stalls_the_node() {
    let dir = tempfile::tempdir().unwrap();
    // `stderr` stays open and unread until the end of the test.
    let node = NodeProc::start(dir.path(), "debug");
    for i in 0..600 {
        bad_connection(node.tcp, i);
    }
    // A fresh client is still served, repeatedly (each probe also logs, into the full pipe).
    for _ in 0..3 {
        let alive = probe_is_alive(node.tcp);
        assert!(alive.contains("IsAlive"), "{alive}");
    }
    let count = probe_block_count(node.tcp);
    assert!(count.contains("\"count\""), "{count}");
    // More bad connections after the pipe is surely full: still served.
    for i in 0..300 {
        bad_connection(node.tcp, i);
    }
    assert!(probe_is_alive(node.tcp).contains("IsAlive"));
    // The node still stops on SIGTERM: its log thread cannot hold the exit.
    let (status, _) = node.terminate();
    assert!(status.success(), "{status}");
}

#[test]
fn connect_reset_loop_logs_a_bounded_number_of_lines() {
    const CONNECTIONS: usize = 2000;
    let dir = tempfile::tempdir().unwrap();
    let mut node = NodeProc::start(dir.path(), "info");
    // Read the log as it comes, so only the node's own budget limits it.
    let reader = node.read_log();
    let started = std::time::Instant::now();
    for i in 0..CONNECTIONS {
        bad_connection(node.tcp, i);
    }
    assert!(probe_is_alive(node.tcp).contains("IsAlive"));
    let elapsed = started.elapsed();
    let (status, _) = node.terminate();
    assert!(status.success(), "{status}");
    let lines = reader.join().unwrap();
    let warnings = lines
        .iter()
        .filter(|l| l.contains("session closed"))
        .count();
    let summaries = lines
        .iter()
        .filter(|l| l.contains("similar in the last"))
        .count();
    // The limiter logs 20 "session closed" lines per 10 s window plus one summary for the
    // window before. A few more for threads racing at a window's edge; the bound is generous
    // but far below one line per connection.
    let windows = usize::try_from(elapsed.as_secs() / 10).unwrap() + 1;
    let budget = windows * 21 + 8;
    assert!(
        warnings + summaries <= budget,
        "{warnings} warnings and {summaries} summaries for {CONNECTIONS} connections in {elapsed:?} (budget {budget}):\n{}",
        lines.join("\n")
    );
    assert!(warnings >= 1, "the first bad connections are still logged");
    assert!(
        lines.len() <= budget + 20,
        "{} log lines in all:\n{}",
        lines.len(),
        lines.join("\n")
    );
}
