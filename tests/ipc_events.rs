//! The event handle a session's `Caller` carries: what the node pushes through it reaches the
//! client as whole frames between answers, and a caller without a session refuses pushes.

mod support;

use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use nanoipc::api::{Caller, Encoding, PushError, Refusal, Reply, Service};
use nanoipc::ipc::IpcServer;
use support::*;

/// Answers every request with "answer" after pushing two events to the caller's session.
struct Pusher;

impl Service for Pusher {
    fn serve(&self, caller: &Caller, _: Encoding, _: Bytes, out: &mut BytesMut) -> Reply {
        let pushed = [
            caller.events.push(Bytes::from_static(b"event-1")),
            caller.events.push(Bytes::from_static(b"event-2")),
        ];
        out.extend_from_slice(if pushed.iter().all(Result::is_ok) {
            b"answer"
        } else {
            b"push failed"
        });
        Reply::Ready
    }

    fn refuse(&self, _: &Caller, _: Encoding, _: Refusal, _: &mut BytesMut) {}
}

#[tokio::test]
async fn pushed_events_reach_the_session_as_frames() {
    let dir = tempfile::tempdir().unwrap();
    let server = IpcServer::start(&test_config(dir.path()), Arc::new(Pusher))
        .await
        .unwrap();
    let node = TestNode { server, dir };
    for via in BOTH {
        let mut c = node.connect(via).await;
        c.write(&frame(4, b"{}")).await;
        // The answer is written in the pass that served the request; the events follow.
        assert_eq!(c.answer().await, b"answer");
        assert_eq!(c.answer().await, b"event-1");
        assert_eq!(c.answer().await, b"event-2");
    }
}

#[test]
fn a_caller_without_a_session_refuses_pushes() {
    let caller = Caller::local(1);
    assert_eq!(
        caller.events.push(Bytes::from_static(b"x")),
        Err(PushError::NoChannel)
    );
}
