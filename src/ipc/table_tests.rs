use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::Ordering;

use super::*;

fn table(caps: PeerCaps) -> Arc<SessionTable> {
    SessionTable::new(caps, RequestBytes::new(1024))
}

fn open(t: &Arc<SessionTable>, key: PeerKey) -> Admitted {
    t.admit(
        key,
        Transport::Tcp,
        Arc::from("peer"),
        CancellationToken::new(),
    )
}

const IP: PeerKey = PeerKey::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST));

#[test]
fn eviction_picks_the_longest_idle_session_without_work_in_flight() {
    let t = table(PeerCaps::default());
    let a = open(&t, IP);
    let b = open(&t, IP);
    let c = open(&t, IP);
    // a is the oldest activity but has an answer in progress; b is next; c is fresh.
    a.stats.last_active_ms.store(0, Ordering::Relaxed);
    a.stats.in_flight.store(1, Ordering::Relaxed);
    b.stats.last_active_ms.store(1, Ordering::Relaxed);
    c.stats.last_active_ms.store(2, Ordering::Relaxed);
    assert_eq!(t.evict_idlest(), Some(b.id));
    assert!(b.kill.is_cancelled() && !a.kill.is_cancelled() && !c.kill.is_cancelled());
    assert_eq!(b.kicked(), Some(Kick::Evicted));
    // Already closing: the next eviction takes the next idle one, never the busy one.
    assert_eq!(t.evict_idlest(), Some(c.id));
    assert_eq!(t.evict_idlest(), None);
}

#[test]
fn per_peer_caps_count_open_sessions_and_free_on_close() {
    let t = table(PeerCaps {
        per_ip: 2,
        per_uid: 1,
    });
    let a = open(&t, IP);
    assert!(!t.peer_full(IP));
    let b = open(&t, IP);
    assert!(t.peer_full(IP));
    let other = PeerKey::Ip(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
    assert!(!t.peer_full(other), "another address has its own count");
    let _u = open(&t, PeerKey::Uid(7));
    assert!(t.peer_full(PeerKey::Uid(7)));
    assert!(!t.peer_full(PeerKey::Uid(8)));
    assert!(
        !t.peer_full(PeerKey::Unknown),
        "unknown peers are never capped"
    );
    drop(a);
    assert!(!t.peer_full(IP));
    drop(b);
    assert_eq!(t.load().sessions, 1);
}

#[test]
fn admin_view_counts_lists_disconnects_and_toggles_logging() {
    let t = table(PeerCaps::default());
    let a = open(&t, IP);
    let b = open(&t, IP);
    a.stats.note_error();
    a.stats.paused.store(true, Ordering::Relaxed);
    b.stats.requests.store(5, Ordering::Relaxed);
    let load = t.load();
    assert_eq!(
        (load.sessions, load.errors, load.paused_sessions),
        (2, 1, 1)
    );
    let listed = t.sessions();
    assert_eq!(
        listed.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![a.id, b.id]
    );
    assert_eq!(listed[1].requests, 5);
    assert_eq!(t.toggle_log(&[b.id, 999]), vec![(b.id, true)]);
    assert_eq!(t.toggle_log(&[b.id]), vec![(b.id, false)]);
    assert_eq!(t.disconnect(&[a.id, 999]), vec![a.id]);
    assert!(a.kill.is_cancelled());
    assert_eq!(a.kicked(), Some(Kick::Disconnected));
    assert_eq!(t.disconnect(&[a.id]), Vec::<u64>::new(), "already closing");
    // A closed session's errors still count node-wide.
    drop(a);
    assert_eq!(t.load().errors, 1);
    assert_eq!(t.load().sessions, 1);
}

#[tokio::test]
async fn request_bytes_are_taken_waited_for_and_given_back() {
    let budget = RequestBytes::new(100);
    assert!(budget.try_take(60));
    assert!(!budget.try_take(60));
    assert_eq!(budget.held(), 60);
    let waiter = {
        let budget = budget.clone();
        tokio::spawn(async move { budget.take(60).await })
    };
    tokio::task::yield_now().await;
    assert!(!waiter.is_finished());
    budget.give(60);
    waiter.await.unwrap();
    assert_eq!(budget.held(), 60);
}
