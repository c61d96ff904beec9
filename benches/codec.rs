//! Codec benchmarks, paired with the C++ anchor (`../shared/anchors/cpp-reflection/bench.cpp`):
//! the same input JSON, the same output form (pretty, indent 2, like nano-node; compact variants
//! pair with the anchor's `x_*_compact` rows) and the same operations. Every benchmark id is the
//! anchor's metric name, so `target/criterion/anchor/<metric>/new/estimates.json` pairs with the
//! `<metric> ns_per_op=` line of the anchor's `debian.median.txt`.
//!
//! The round trips do what nano-node does per request and nothing more: parse the request JSON
//! into the session's (reused) builder, verify, dispatch on the message type, read the field,
//! build the response `Envelope` in a fresh builder (correlation id copied, time = now), and write
//! it as a fresh JSON string. Like the anchor they leave out framing, I/O, the credentials check
//! and the ledger lookup.
//!
//! The `c_roundtrip_accountweight__core_*` rows time the node's real path instead: the request
//! core (`RequestCore::serve`, encoding 4, a local caller) over a fresh dev ledger in a temp
//! dir, answering for the dev genesis account. That adds what the bench-local rows leave out on
//! both sides (the address decode, the LMDB read, the dispatch through the generated handler
//! trait), and the answer is the node's compact JSON rather than the anchor's indent-2 text.
//! `benches/compare_anchor.py` pairs both with the anchor's `c_roundtrip_accountweight`; the
//! AccountInfo row does more than that anchor row (an account-table read and nine answer fields).

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::{Bytes, BytesMut};
use criterion::{criterion_group, criterion_main, Criterion};
use flatbuffers::FlatBufferBuilder;
use nanoipc::api::{Api, Caller, Encoding, Reply, RequestCore, Service};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::Ledger;
use nanoipc::schema::json::{envelope_to_json, parse_envelope_json};
use nanoipc::schema::{
    finish_envelope_buffer, root_as_envelope, root_as_envelope_unchecked, AccountWeightResponse,
    AccountWeightResponseArgs, Block, Envelope, EnvelopeArgs, JsonOptions, Message,
};

const VOTING_WEIGHT: &str = "668657804547735335568510480612620716";
const FIXED_TIME: u64 = 1_763_750_000_123;
/// A response builder starts with the C++ `FlatBufferBuilder`'s default initial size.
const BUILDER_CAPACITY: usize = 1024;

/// bench.cpp `kReqAccountWeight` (122 bytes).
const REQ_ACCOUNT_WEIGHT: &str = r#"{"message_type":"AccountWeight","message":{"account":"nano_3t6k35gi95xu6tergt6p69ck76ogmitsa8mnijtpxm9fkcm736xtoncuohr3"}}"#;

/// bench.cpp `kReqAccountWeightTimeCorr` (199 bytes).
const REQ_ACCOUNT_WEIGHT_TIME_CORR: &str = r#"{"time":1763750000123,"correlation_id":"7f3c2a9e-5b1d-4e8a-9c6f-2d4b8a1e3f70","message_type":"AccountWeight","message":{"account":"nano_3t6k35gi95xu6tergt6p69ck76ogmitsa8mnijtpxm9fkcm736xtoncuohr3"}}"#;

/// bench.cpp `kEvtConfirmation` (1244 bytes).
const EVT_CONFIRMATION: &str = concat!(
    r#"{"time":1763750000123,"correlation_id":"7f3c2a9e-5b1d-4e8a-9c6f-2d4b8a1e3f70","#,
    r#""message_type":"EventConfirmation","message":{"#,
    r#""confirmation_type":"active_quorum","#,
    r#""account":"nano_1natrium1o3z5519ifou7xii8crpxpk8y65qmkih8e8bpsjri651oza8imdd","#,
    r#""amount":"1500000000000000000000000000000","#,
    r#""hash":"A3F2B9D4E1C07A58B6D39E2F4C81A0B7D5E6F30291C4B8A7E9D0F1C2B3A48596","#,
    r#""block_type":"BlockState","block":{"#,
    r#""hash":"A3F2B9D4E1C07A58B6D39E2F4C81A0B7D5E6F30291C4B8A7E9D0F1C2B3A48596","#,
    r#""account":"nano_1natrium1o3z5519ifou7xii8crpxpk8y65qmkih8e8bpsjri651oza8imdd","#,
    r#""previous":"991CF190094C00F0B68E2E5F75F6BEE95A2E0BD93CEAA4A6734DB9F19B728948","#,
    r#""representative":"nano_3t6k35gi95xu6tergt6p69ck76ogmitsa8mnijtpxm9fkcm736xtoncuohr3","#,
    r#""balance":"325586539664609129644855132177","#,
    r#""link":"5114AB75C910A0A0AB3F8E8C3D9E0A3E26F4B1C1E4A9E0C3D7F2B6A1C8E9D004","#,
    r#""link_as_account":"nano_1nan5hmwk6735jojz5neaghi1ij8yksw5s7bw514hiqzqzy1j6xw7epa1qrx","#,
    r#""signature":"9F0C933C8ADE004D808EA1985FA746A7E95BA2A38F867640F53EC8F180BDFE9E2C1268DEAD7C2664F356E37ABA362BC58E46DBA03E523A7B5A19E4B6EB12BB02","#,
    r#""work":"62f05417dd3fb691","#,
    r#""subtype":"send"},"#,
    r#""election_info":{"duration":312,"time":1763750000100,"tally":"85719473263918054731950187602113","#,
    r#""request_count":3,"block_count":1,"voter_count":87}}}"#
);

/// nano-node's parser: `skip_unexpected_fields_in_json = true`.
fn opts() -> JsonOptions {
    JsonOptions::default()
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// JSON → finished binary in a reused builder (the anchor's `Parse` reuses `parser.builder_`).
fn json_to_bin<'a>(fbb: &'a mut FlatBufferBuilder<'static>, json: &str) -> &'a [u8] {
    fbb.reset();
    let root = parse_envelope_json(json, &opts(), fbb).expect("bench input parses");
    finish_envelope_buffer(fbb, root);
    fbb.finished_data()
}

fn owned_bin(json: &str) -> Vec<u8> {
    let mut fbb = FlatBufferBuilder::new();
    json_to_bin(&mut fbb, json).to_vec()
}

/// bench.cpp `build_account_weight_response`: `Envelope{time, AccountWeightResponse}`.
fn account_weight_response_bin() -> Vec<u8> {
    let mut fbb = FlatBufferBuilder::new();
    let vw = fbb.create_string(VOTING_WEIGHT);
    let msg = AccountWeightResponse::create(
        &mut fbb,
        &AccountWeightResponseArgs {
            voting_weight: Some(vw),
        },
    );
    let env = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            time: FIXED_TIME,
            message_type: Message::AccountWeightResponse,
            message: Some(msg.as_union_value()),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, env);
    fbb.finished_data().to_vec()
}

/// Pretty JSON of a response this process has just built. Like nano-node's `GenerateText`, it
/// does not verify its own output (the tests check that every built buffer verifies).
fn own_json(buf: &[u8]) -> String {
    // SAFETY: `buf` is a finished Envelope buffer built by this process a moment ago.
    let env = unsafe { root_as_envelope_unchecked(buf) };
    envelope_to_json(&env, true)
}

/// One AccountWeight request end to end (bench.cpp `handle_account_weight`).
fn handle_account_weight(session: &mut FlatBufferBuilder<'static>, wire: &str) -> String {
    let req = json_to_bin(session, wire);
    let env = root_as_envelope(req).expect("request verifies");
    let Some(query) = env.message_as_account_weight() else {
        panic!("unexpected message type");
    };
    assert_eq!(query.account().len(), 65, "bad account");
    let mut fbb = FlatBufferBuilder::with_capacity(BUILDER_CAPACITY);
    let vw = fbb.create_string(VOTING_WEIGHT);
    let msg = AccountWeightResponse::create(
        &mut fbb,
        &AccountWeightResponseArgs {
            voting_weight: Some(vw),
        },
    );
    let correlation_id = env
        .correlation_id()
        .filter(|c| !c.is_empty())
        .map(|c| fbb.create_string(c));
    let out = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            time: now_ms(),
            correlation_id,
            message_type: Message::AccountWeightResponse,
            message: Some(msg.as_union_value()),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, out);
    own_json(fbb.finished_data())
}

/// One EventConfirmation end to end as the anchor does it (bench.cpp
/// `handle_event_confirmation`): unpack to the object type, pack into a fresh envelope, JSON.
fn handle_event_confirmation(session: &mut FlatBufferBuilder<'static>, wire: &str) -> String {
    let req = json_to_bin(session, wire);
    let env = root_as_envelope(req).expect("request verifies");
    let Some(evt) = env.message_as_event_confirmation() else {
        panic!("unexpected message type");
    };
    let evt = evt.unpack();
    assert_eq!(
        evt.block.union_type(),
        Block::BlockState,
        "expected BlockState"
    );
    let mut fbb = FlatBufferBuilder::with_capacity(BUILDER_CAPACITY);
    let msg = evt.pack(&mut fbb);
    let correlation_id = env
        .correlation_id()
        .filter(|c| !c.is_empty())
        .map(|c| fbb.create_string(c));
    let out = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            time: now_ms(),
            correlation_id,
            message_type: Message::EventConfirmation,
            message: Some(msg.as_union_value()),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, out);
    own_json(fbb.finished_data())
}

/// nano's broker path to a JSON subscriber: pack the object into a fresh envelope, JSON.
fn broker_emit(evt: &nanoipc::schema::EventConfirmationT) -> String {
    let mut fbb = FlatBufferBuilder::with_capacity(BUILDER_CAPACITY);
    let msg = evt.pack(&mut fbb);
    let out = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            time: now_ms(),
            message_type: Message::EventConfirmation,
            message: Some(msg.as_union_value()),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, out);
    own_json(fbb.finished_data())
}

/// Reads every field of the EventConfirmation (verify + read).
fn read_event_confirmation(env: Envelope<'_>) -> usize {
    let mut n = env.time() as usize + env.correlation_id().map_or(0, str::len);
    let evt = env.message_as_event_confirmation().expect("event");
    n += evt.confirmation_type().0 as usize;
    for s in [evt.account(), evt.amount(), evt.hash()] {
        n += s.map_or(0, str::len);
    }
    if let Some(b) = evt.block_as_block_state() {
        for s in [
            b.hash(),
            b.account(),
            b.previous(),
            b.representative(),
            b.balance(),
            b.link(),
            b.link_as_account(),
            b.signature(),
            b.work(),
        ] {
            n += s.map_or(0, str::len);
        }
        n += b.subtype().0 as usize;
    }
    if let Some(e) = evt.election_info() {
        n += (e.duration() + e.time() + e.request_count() + e.block_count() + e.voter_count())
            as usize;
        n += e.tally().map_or(0, str::len);
    }
    n
}

/// The dev genesis account; as long as the anchor's account, so the AccountWeight request is the
/// anchor's 122 bytes with another address.
const DEV_GENESIS: &str = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo";
/// The whole supply, held and represented by genesis on a fresh dev ledger.
const DEV_SUPPLY: &str = "340282366920938463463374607431768211455";

/// The node's request core over a fresh dev ledger, and what it serves in the core rows.
struct CoreRows {
    _dir: tempfile::TempDir,
    core: RequestCore,
    caller: Caller,
    account_weight: Bytes,
    account_info: Bytes,
}

impl CoreRows {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let ledger = Ledger::open(dir.path(), Network::Dev).expect("open the dev ledger");
        let core = nanoipc::rpc_legacy::request_core(Api::new(ledger, opts())).expect("core");
        let request = |message: &str| {
            Bytes::from(format!(
                r#"{{"message_type":"{message}","message":{{"account":"{DEV_GENESIS}"}}}}"#
            ))
        };
        let rows = CoreRows {
            _dir: dir,
            core,
            caller: Caller::local(1),
            account_weight: request("AccountWeight"),
            account_info: request("AccountInfo"),
        };
        assert_eq!(rows.account_weight.len(), REQ_ACCOUNT_WEIGHT.len());
        rows
    }

    /// One request through the core, answered inline into `out` (these requests never defer).
    fn serve(&self, payload: &Bytes, out: &mut BytesMut) -> usize {
        out.clear();
        match self.core.serve(
            &self.caller,
            Encoding::FlatbuffersJson,
            payload.clone(),
            out,
        ) {
            Reply::Ready => out.len(),
            Reply::Later(_) => panic!("a read request was deferred"),
        }
    }

    /// The answer to `payload` must be a `message_type` envelope whose message has `fields`: checked
    /// before timing, so that no row measures error answers.
    fn check(&self, payload: &Bytes, message_type: &str, fields: &[(&str, &str)]) {
        let mut out = BytesMut::new();
        self.serve(payload, &mut out);
        let answer: serde_json::Value = serde_json::from_slice(&out).expect("JSON answer");
        assert_eq!(answer["message_type"], message_type, "{answer}");
        for (field, value) in fields {
            assert_eq!(answer["message"][field], *value, "{answer}");
        }
    }
}

fn codec(c: &mut Criterion) {
    let resp_bin = account_weight_response_bin();
    let evt_bin = owned_bin(EVT_CONFIRMATION);
    let resp_env = root_as_envelope(&resp_bin).expect("verifies");
    let evt_env = root_as_envelope(&evt_bin).expect("verifies");
    let evt_obj = evt_env
        .message_as_event_confirmation()
        .expect("event")
        .unpack();

    let mut g = c.benchmark_group("anchor");
    let mut session = FlatBufferBuilder::new();

    g.bench_function("a_json_to_bin_accountweight", |b| {
        b.iter(|| json_to_bin(&mut session, black_box(REQ_ACCOUNT_WEIGHT)).len())
    });
    g.bench_function("a_json_to_bin_accountweight_time_corr", |b| {
        b.iter(|| json_to_bin(&mut session, black_box(REQ_ACCOUNT_WEIGHT_TIME_CORR)).len())
    });
    g.bench_function("b_bin_to_json_accountweightresponse", |b| {
        b.iter(|| envelope_to_json(black_box(&resp_env), true).len())
    });
    g.bench_function("c_roundtrip_accountweight", |b| {
        b.iter(|| handle_account_weight(&mut session, black_box(REQ_ACCOUNT_WEIGHT)).len())
    });
    g.bench_function("c_roundtrip_accountweight_time_corr", |b| {
        b.iter(|| {
            handle_account_weight(&mut session, black_box(REQ_ACCOUNT_WEIGHT_TIME_CORR)).len()
        })
    });
    g.bench_function("d_json_to_bin_eventconfirmation", |b| {
        b.iter(|| json_to_bin(&mut session, black_box(EVT_CONFIRMATION)).len())
    });
    g.bench_function("d_bin_to_json_eventconfirmation", |b| {
        b.iter(|| envelope_to_json(black_box(&evt_env), true).len())
    });
    g.bench_function("d_roundtrip_eventconfirmation", |b| {
        b.iter(|| handle_event_confirmation(&mut session, black_box(EVT_CONFIRMATION)).len())
    });
    g.bench_function("d_broker_emit_eventconfirmation", |b| {
        b.iter(|| broker_emit(black_box(&evt_obj)).len())
    });
    g.bench_function("x_bin_to_json_accountweightresponse_compact", |b| {
        b.iter(|| envelope_to_json(black_box(&resp_env), false).len())
    });
    g.bench_function("x_bin_to_json_eventconfirmation_compact", |b| {
        b.iter(|| envelope_to_json(black_box(&evt_env), false).len())
    });
    g.bench_function("x_verify_eventconfirmation", |b| {
        b.iter(|| root_as_envelope(black_box(&evt_bin)).is_ok())
    });
    let rows = CoreRows::new();
    let genesis_hash = Network::Dev.genesis_hash().encode_hex();
    rows.check(
        &rows.account_weight,
        "AccountWeightResponse",
        &[("voting_weight", DEV_SUPPLY)],
    );
    rows.check(
        &rows.account_info,
        "AccountInfoResponse",
        &[("frontier", &genesis_hash), ("balance", DEV_SUPPLY)],
    );
    let mut out = BytesMut::with_capacity(BUILDER_CAPACITY);
    g.bench_function("c_roundtrip_accountweight__core_accountweight", |b| {
        b.iter(|| rows.serve(black_box(&rows.account_weight), &mut out))
    });
    g.bench_function("c_roundtrip_accountweight__core_accountinfo", |b| {
        b.iter(|| rows.serve(black_box(&rows.account_info), &mut out))
    });
    // No anchor row: the verifier plus reading every field through the typed accessors.
    g.bench_function("y_verify_read_eventconfirmation", |b| {
        b.iter(|| read_event_confirmation(root_as_envelope(black_box(&evt_bin)).expect("ok")))
    });
    g.finish();
}

/// The inputs are the anchor's, byte for byte (sizes as bench.cpp prints them), and the outputs
/// are what the anchor's check expects: checked once before measuring.
fn sanity() {
    assert_eq!(REQ_ACCOUNT_WEIGHT.len(), 122);
    assert_eq!(REQ_ACCOUNT_WEIGHT_TIME_CORR.len(), 199);
    assert_eq!(EVT_CONFIRMATION.len(), 1244);
    let evt_bin = owned_bin(EVT_CONFIRMATION);
    let evt_json = envelope_to_json(&root_as_envelope(&evt_bin).expect("ok"), true);
    assert_eq!(evt_json.len(), 1403, "{evt_json}");
    let mut session = FlatBufferBuilder::new();
    let rt = handle_account_weight(&mut session, REQ_ACCOUNT_WEIGHT_TIME_CORR);
    assert!(rt.contains("\"correlation_id\": \"7f3c2a9e"), "{rt}");
    assert!(rt.contains(VOTING_WEIGHT), "{rt}");
    // The event round trip gives back the same message (only `time` is new).
    let out = handle_event_confirmation(&mut session, EVT_CONFIRMATION);
    let out_bin = owned_bin(&out);
    let back = root_as_envelope(&out_bin).expect("round-trip output verifies");
    let orig = root_as_envelope(&evt_bin).expect("ok");
    assert_eq!(back.unpack().message, orig.unpack().message);
    assert_eq!(back.correlation_id(), orig.correlation_id());
}

fn all(c: &mut Criterion) {
    sanity();
    codec(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
