//! Unit tests for the session's bounds while an answer is still being produced. Time is paused:
//! the runtime advances it only once every task is idle, so "sleep" here means "until the session
//! has done all it will do", never a wall-clock wait.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::oneshot;

use super::*;
use crate::ipc::table::RequestBytes;

/// Answers `slow` later (when the test releases it) and anything else at once with `big` bytes.
struct Double {
    served: AtomicUsize,
    release: Mutex<Option<oneshot::Receiver<()>>>,
    big: usize,
}

impl Double {
    fn new(big: usize) -> (Arc<Self>, oneshot::Sender<()>) {
        let (tx, rx) = oneshot::channel();
        let double = Double {
            served: AtomicUsize::new(0),
            release: Mutex::new(Some(rx)),
            big,
        };
        (Arc::new(double), tx)
    }
}

impl Service for Double {
    fn serve(
        &self,
        _: &Caller,
        _: crate::api::Encoding,
        payload: Bytes,
        out: &mut BytesMut,
    ) -> Reply {
        self.served.fetch_add(1, Ordering::SeqCst);
        if &payload[..] == b"slow" {
            let rx = self.release.lock().unwrap().take();
            return Reply::Later(Pending::from_future(async move {
                if let Some(rx) = rx {
                    let _ = rx.await;
                }
                BytesMut::from(&b"slow-done"[..])
            }));
        }
        out.extend_from_slice(&vec![b'x'; self.big]);
        Reply::Ready
    }

    fn refuse(&self, _: &Caller, _: crate::api::Encoding, _: Refusal, _: &mut BytesMut) {}
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut v = vec![b'N', 1, 0, 0];
    v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

async fn read_answer(client: &mut DuplexStream) -> Vec<u8> {
    let len = client.read_u32().await.unwrap() as usize;
    let mut body = vec![0; len];
    client.read_exact(&mut body).await.unwrap();
    body
}

fn start(service: Arc<Double>, io_timeout: Duration) -> DuplexStream {
    let (client, server) = tokio::io::duplex(64 * 1024);
    let (_sink, events) = crate::api::EventSink::channel(1);
    let limits = SessionLimits {
        io_timeout,
        idle_timeout: None,
        max_request_size: 1 << 20,
        error_budget: 0,
        max_unwritten: 64 * 1024,
    };
    let shutdown = SessionShutdown {
        graceful: CancellationToken::new(),
        hard: CancellationToken::new(),
    };
    tokio::spawn(async move {
        let _sink = _sink;
        let budget = crate::ipc::table::RequestBytes::new(1 << 30);
        run(
            server,
            Caller::local(1),
            limits,
            service,
            shutdown,
            events,
            budget,
        )
        .await
    });
    client
}

/// Large answers pipelined behind a slow one are held only up to [`MAX_QUEUED_BYTES`]: the
/// session stops reading there, and still answers everything in order once the slow one is done.
#[tokio::test(start_paused = true)]
async fn queued_answers_are_bounded_in_bytes_and_keep_their_order() {
    const BIG: usize = 64 * 1024;
    const REQUESTS: usize = 200;
    let (double, release) = Double::new(BIG);
    let client = start(double.clone(), Duration::from_secs(3600));
    let (rd, mut wr) = tokio::io::split(client);
    let writer = tokio::spawn(async move {
        wr.write_all(&frame(b"slow")).await.unwrap();
        for _ in 0..REQUESTS {
            wr.write_all(&frame(b"big")).await.unwrap();
        }
        wr
    });
    // Let everything run until the session and the writer are both stuck.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let served = double.served.load(Ordering::SeqCst);
    let bound = 1 + MAX_QUEUED_BYTES.div_ceil(BIG + RESPONSE_HEADER_LEN) + 1;
    assert!(
        served <= bound,
        "{served} requests served behind a pending answer (bound {bound})"
    );

    release.send(()).unwrap();
    let mut client = rd.unsplit(writer.await.unwrap());
    assert_eq!(read_answer(&mut client).await, b"slow-done");
    for i in 0..REQUESTS {
        assert_eq!(read_answer(&mut client).await.len(), BIG, "answer {i}");
    }
    assert_eq!(double.served.load(Ordering::SeqCst), 1 + REQUESTS);
}

/// A frame the client had started while the session was not reading (its answers were full
/// behind a slow one) gets a fresh `io_timeout` once reading resumes, rather than one that ran
/// out while the session itself refused to read.
#[tokio::test(start_paused = true)]
async fn a_frame_started_while_the_session_was_not_reading_is_not_timed_out() {
    const BIG: usize = 64 * 1024;
    let io_timeout = Duration::from_secs(10);
    let (double, release) = Double::new(BIG);
    let mut client = start(double.clone(), io_timeout);
    // Exactly enough answers to reach the bound, so only the started frame is left unread.
    let fill = MAX_QUEUED_BYTES.div_ceil(BIG + RESPONSE_HEADER_LEN);
    let mut bytes = frame(b"slow");
    for _ in 0..fill {
        bytes.extend_from_slice(&frame(b"big"));
    }
    let last = frame(b"tail");
    let (head, rest) = last.split_at(6);
    bytes.extend_from_slice(head);
    client.write_all(&bytes).await.unwrap();
    // Far longer than io_timeout passes while the session holds its full queue.
    tokio::time::sleep(io_timeout * 6).await;

    release.send(()).unwrap();
    assert_eq!(read_answer(&mut client).await, b"slow-done");
    for i in 0..fill {
        assert_eq!(read_answer(&mut client).await.len(), BIG, "answer {i}");
    }
    client.write_all(rest).await.unwrap();
    assert_eq!(read_answer(&mut client).await.len(), BIG, "the late frame");
}

/// More pipelined requests than [`MAX_IN_FLIGHT`] behind a slow one: once the slow answer is
/// written, the frames still sitting in the read buffer are served without waiting for another
/// read (the client is waiting for its answers, so none would come).
#[tokio::test(start_paused = true)]
async fn frames_held_back_by_the_in_flight_bound_are_served_after_it_frees() {
    const EXTRA: usize = 6;
    let (double, release) = Double::new(1);
    let mut client = start(double.clone(), Duration::from_secs(10));
    let mut bytes = frame(b"slow");
    for _ in 0..MAX_IN_FLIGHT + EXTRA {
        bytes.extend_from_slice(&frame(b"small"));
    }
    client.write_all(&bytes).await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    release.send(()).unwrap();
    let answers = async {
        assert_eq!(read_answer(&mut client).await, b"slow-done");
        for _ in 0..MAX_IN_FLIGHT + EXTRA {
            assert_eq!(read_answer(&mut client).await, b"x");
        }
    };
    tokio::time::timeout(Duration::from_secs(3600), answers)
        .await
        .expect("every pipelined request is answered");
}

/// Runs a session over a duplex with `budget` as the node's request byte budget; returns the
/// client end and the session's task.
fn start_with_budget(
    service: Arc<Double>,
    io_timeout: Duration,
    budget: RequestBytes,
) -> (DuplexStream, tokio::task::JoinHandle<SessionEnd>) {
    let (client, server) = tokio::io::duplex(1 << 20);
    let (sink, events) = crate::api::EventSink::channel(1);
    let limits = SessionLimits {
        io_timeout,
        idle_timeout: None,
        max_request_size: 1 << 20,
        error_budget: 0,
        max_unwritten: 64 * 1024,
    };
    let shutdown = SessionShutdown {
        graceful: CancellationToken::new(),
        hard: CancellationToken::new(),
    };
    let task = tokio::spawn(async move {
        let _sink = sink;
        run(
            server,
            Caller::local(1),
            limits,
            service,
            shutdown,
            events,
            budget,
        )
        .await
    });
    (client, task)
}

/// A large frame reads only the session's free allowance while the node-wide budget is taken;
/// when its `io_timeout` runs out waiting for room, the session ends and gives back its share.
#[tokio::test(start_paused = true)]
async fn a_frame_waiting_for_budget_past_io_timeout_is_refused() {
    let budget = RequestBytes::new(64 * 1024);
    assert!(budget.try_take(64 * 1024), "others hold the whole budget");
    let (double, _release) = Double::new(1);
    let (mut client, task) =
        start_with_budget(double.clone(), Duration::from_secs(5), budget.clone());
    let mut bytes = frame(&vec![b' '; 200 * 1024]);
    bytes.truncate(100 * 1024);
    client.write_all(&bytes).await.unwrap();
    let end = task.await.unwrap();
    assert!(matches!(end, SessionEnd::BudgetTimeout), "{end}");
    assert_eq!(budget.held(), 64 * 1024, "the session gave its share back");
    assert_eq!(double.served.load(Ordering::SeqCst), 0);
}

/// Room given back by other sessions lets a waiting frame complete, and the budget it took is
/// returned once the frame is served.
#[tokio::test(start_paused = true)]
async fn a_frame_waiting_for_budget_completes_when_room_frees() {
    const LEN: usize = 200 * 1024;
    let budget = RequestBytes::new(LEN as u64);
    assert!(budget.try_take(LEN as u32));
    let (double, _release) = Double::new(1);
    let (mut client, task) =
        start_with_budget(double.clone(), Duration::from_secs(3600), budget.clone());
    let writer = tokio::spawn({
        let bytes = frame(&vec![b' '; LEN]);
        async move {
            client.write_all(&bytes).await.unwrap();
            client
        }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(double.served.load(Ordering::SeqCst), 0, "waits for room");
    budget.give(LEN);
    let mut client = writer.await.unwrap();
    let got = read_answer(&mut client).await;
    if got.is_empty() {
        panic!("end: {}", task.await.unwrap());
    }
    assert_eq!(got, b"x");
    assert_eq!(budget.held(), 0, "everything given back once served");
    drop(client);
    assert!(matches!(task.await.unwrap(), SessionEnd::Closed));
}
