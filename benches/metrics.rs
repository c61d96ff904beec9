//! The cost of recording metrics on the request path.
//!
//! - `metrics/record`: one `Metrics::record` (a histogram bucket and sum increment), alone and
//!   while another thread records into the same slot (the contended cache line is the worst case).
//! - `metrics/note_take`: the per-thread outcome the handler layer notes and the core takes.
//! - `is_alive/*`: a binary `IsAlive` through `Api::serve_binary` (no recording in the core)
//!   and through `RequestCore::serve` (the node's path: two `quanta` clock reads, two outcome takes and
//!   one record more). Their difference is what recording costs a request.
//! - `metrics/clock_read*`: one `std::time::Instant::now` and one `quanta::Instant::now` (the
//!   clock the core reads twice per request).
//! - `metrics/render`: one scrape of a table with every v2 pair recorded (not on the request path).

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use criterion::{criterion_group, criterion_main, Criterion};
use flatbuffers::FlatBufferBuilder;
use nanoipc::api::metrics::{self, Metrics, Outcome};
use nanoipc::api::{Api, Caller, Encoding, Reply, Service};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::Ledger;
use nanoipc::schema::{
    finish_envelope_buffer, Envelope, EnvelopeArgs, IsAlive, IsAliveArgs, JsonOptions, Message,
};

fn is_alive_envelope() -> Bytes {
    let mut fbb = FlatBufferBuilder::new();
    let message = IsAlive::create(&mut fbb, &IsAliveArgs {}).as_union_value();
    let env = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            message_type: Message::IsAlive,
            message: Some(message),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, env);
    Bytes::copy_from_slice(fbb.finished_data())
}

fn record(c: &mut Criterion) {
    let m = Arc::new(Metrics::default());
    let outcome = Outcome {
        slot: u16::from(Message::IsAlive.0),
        error: 0,
    };
    let elapsed = Duration::from_micros(3);
    c.bench_function("metrics/record", |b| {
        b.iter(|| {
            m.record(
                Encoding::Flatbuffers,
                black_box(outcome),
                black_box(elapsed),
            )
        })
    });
    let stop = Arc::new(AtomicBool::new(false));
    let other = {
        let (m, stop) = (m.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                m.record(Encoding::Flatbuffers, outcome, elapsed);
            }
        })
    };
    c.bench_function("metrics/record_contended", |b| {
        b.iter(|| {
            m.record(
                Encoding::Flatbuffers,
                black_box(outcome),
                black_box(elapsed),
            )
        })
    });
    stop.store(true, Ordering::Relaxed);
    let _ = other.join();
    c.bench_function("metrics/note_take", |b| {
        b.iter(|| {
            metrics::note_v2(black_box(Message::IsAlive));
            black_box(metrics::take_outcome())
        })
    });
    for slot in 0..=255u16 {
        let o = Outcome { slot, error: 0 };
        m.record(Encoding::FlatbuffersJson, o, elapsed);
    }
    // The request core reads the clock twice per request; this is one read.
    c.bench_function("metrics/clock_read", |b| b.iter(std::time::Instant::now));
    c.bench_function("metrics/clock_read_quanta", |b| {
        b.iter(quanta::Instant::now)
    });
    c.bench_function("metrics/render", |b| {
        b.iter(|| m.render(None).map(|t| t.len()))
    });
}

fn is_alive(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = Ledger::open(dir.path(), Network::Dev).expect("dev ledger");
    let api = Api::new(ledger, JsonOptions::default());
    let core = nanoipc::rpc_legacy::request_core(api.clone()).expect("registry");
    let caller = Caller::local(1);
    let payload = is_alive_envelope();
    let mut out = BytesMut::with_capacity(256);
    c.bench_function("is_alive/api_serve_binary", |b| {
        b.iter(|| {
            out.clear();
            let r = api.serve_binary(&caller, payload.clone(), &mut out);
            assert!(matches!(r, Reply::Ready));
            out.len()
        })
    });
    c.bench_function("is_alive/core_serve", |b| {
        b.iter(|| {
            out.clear();
            let r = core.serve(&caller, Encoding::Flatbuffers, payload.clone(), &mut out);
            assert!(matches!(r, Reply::Ready));
            out.len()
        })
    });
}

criterion_group!(benches, record, is_alive);
criterion_main!(benches);
