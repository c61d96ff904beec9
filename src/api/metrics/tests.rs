//! The metric table and its rendering, read back line by line as a scraper would.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::schema::Message;

/// One sample line: `name{k="v",…} value`.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses the exposition text strictly enough to catch a malformed line: every sample belongs to
/// a family declared by `# TYPE` before it, and every family has a `# HELP`.
fn parse(text: &str) -> (BTreeMap<String, String>, Vec<Sample>) {
    let mut types = BTreeMap::new();
    let mut helps = BTreeMap::new();
    let mut samples = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, _) = rest.split_once(' ').expect("HELP has a text");
            helps.insert(name.to_owned(), ());
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("TYPE has a kind");
            assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
            types.insert(name.to_owned(), kind.to_owned());
        } else {
            assert!(!line.starts_with('#'), "unexpected comment {line}");
            let (series, value) = line.rsplit_once(' ').expect("sample has a value");
            let value: f64 = value.parse().expect("numeric value");
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => {
                    let body = rest.strip_suffix('}').expect("closed labels");
                    let labels = body
                        .split(',')
                        .map(|kv| {
                            let (k, v) = kv.split_once('=').expect("label k=v");
                            let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
                            (k.to_owned(), v.expect("quoted value").to_owned())
                        })
                        .collect();
                    (name, labels)
                }
                None => (series, BTreeMap::new()),
            };
            let family = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| {
                    name.strip_suffix(s)
                        .filter(|f| types.get(*f).is_some_and(|k| k == "histogram"))
                })
                .unwrap_or(name);
            assert!(types.contains_key(family), "sample before its TYPE: {line}");
            assert!(helps.contains_key(family), "family without HELP: {line}");
            samples.push(Sample {
                name: name.to_owned(),
                labels,
                value,
            });
        }
    }
    (types, samples)
}

fn find<'a>(samples: &'a [Sample], name: &str, labels: &[(&str, &str)]) -> Option<&'a Sample> {
    samples.iter().find(|s| {
        s.name == name
            && labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(v))
    })
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    find(samples, name, labels)
        .unwrap_or_else(|| panic!("no {name} {labels:?}"))
        .value
}

fn table() -> Arc<Metrics> {
    let m = Arc::new(Metrics::default());
    m.set_legacy_actions(vec!["block_count", "account_balance"]);
    m
}

#[test]
fn outcomes_are_noted_per_thread_and_taken_once() {
    take_outcome();
    note_v2(Message::IsAlive);
    note_error(4);
    assert_eq!(
        take_outcome(),
        Outcome {
            slot: u16::from(Message::IsAlive.0),
            error: 4
        }
    );
    assert_eq!(take_outcome(), Outcome::default());
    // A response tag sent as a request, and NONE, are unknown requests.
    note_v2(Message::IsAlive);
    note_v2(Message::AccountWeightResponse);
    assert_eq!(take_outcome().slot, 0);
    note_legacy(1);
    assert_eq!(take_outcome().slot, 2);
    note_legacy(SLOTS);
    assert_eq!(
        take_outcome().slot,
        0,
        "an index past the table is unknown, never out of bounds"
    );
    note_error(-5);
    assert_eq!(take_outcome().error, u8::MAX);
    let later = Outcome { slot: 0, error: 7 };
    assert_eq!(
        Outcome { slot: 9, error: 0 }.then(later),
        Outcome { slot: 9, error: 7 }
    );
    assert_eq!(
        Outcome::from_bits(
            Outcome {
                slot: 300,
                error: 9
            }
            .to_bits()
        ),
        Outcome {
            slot: 300,
            error: 9
        }
    );
}

#[test]
fn recording_counts_by_encoding_slot_and_code() {
    let m = table();
    let alive = Outcome {
        slot: u16::from(Message::IsAlive.0),
        error: 0,
    };
    m.record(Encoding::Flatbuffers, alive, Duration::from_micros(10));
    m.record(Encoding::Flatbuffers, alive, Duration::from_millis(3));
    m.record(
        Encoding::JsonV1,
        Outcome { slot: 1, error: 4 },
        Duration::from_micros(70),
    );
    m.record(
        Encoding::JsonV1,
        Outcome {
            slot: 0,
            error: u8::MAX,
        },
        Duration::ZERO,
    );
    m.record_error(6);
    assert_eq!(
        m.requests(Encoding::Flatbuffers, usize::from(Message::IsAlive.0)),
        2
    );
    assert_eq!(
        m.requests(Encoding::FlatbuffersJson, usize::from(Message::IsAlive.0)),
        0
    );
    assert_eq!(m.requests(Encoding::JsonV1, 1), 1);
    assert_eq!(m.requests(Encoding::JsonV1, 0), 1);
    assert_eq!((m.errors(4), m.errors(6), m.errors(0)), (1, 1, 1));
}

#[test]
fn histogram_buckets_hold_their_own_observations_with_inf_last() {
    let h = Histogram::default();
    h.observe(Duration::from_micros(50)); // on the first bound: le="5e-5"
    h.observe(Duration::from_micros(51));
    h.observe(Duration::from_secs(60)); // past every bound
    let s = h.snapshot();
    assert_eq!(s.count, 3);
    assert_eq!(s.buckets.len(), BOUNDS_NANOS.len() + 1);
    assert_eq!(s.buckets[0], (0.00005, 1));
    assert_eq!(s.buckets[1], (0.0001, 1));
    assert_eq!(s.buckets[BOUNDS_NANOS.len() - 1].1, 0);
    assert_eq!(s.buckets.last(), Some(&(f64::INFINITY, 1)));
    assert!((s.sum_seconds - 60.000101).abs() < 1e-9);
}

#[test]
fn rendering_reads_back_as_exposition_text() {
    let m = table();
    let alive = Outcome {
        slot: u16::from(Message::IsAlive.0),
        error: 0,
    };
    for _ in 0..3 {
        m.record(Encoding::FlatbuffersJson, alive, Duration::from_micros(200));
    }
    m.record(
        Encoding::JsonV1,
        Outcome { slot: 2, error: 4 },
        Duration::from_millis(2),
    );
    m.session_opened();
    m.session_opened();
    m.session_closed();
    m.bytes_received(100);
    m.bytes_sent(40);
    m.connection_refused(ConnectionRefusal::AcceptError);
    let ledger = BlockCounts {
        blocks: 5,
        cemented: 4,
        unchecked: 0,
        accounts: 2,
    };
    let text = m.render(Some(ledger)).expect("renders");
    let (types, s) = parse(&text);

    assert_eq!(types["nanoipc_requests_total"], "counter");
    assert_eq!(types["nanoipc_request_duration_seconds"], "histogram");
    let req = "nanoipc_requests_total";
    assert_eq!(
        value(&s, req, &[("message", "IsAlive"), ("encoding", "4")]),
        3.0
    );
    assert_eq!(
        value(&s, req, &[("message", "IsAlive"), ("encoding", "3")]),
        0.0
    );
    assert_eq!(
        value(
            &s,
            req,
            &[("message", "account_balance"), ("encoding", "1")]
        ),
        1.0
    );
    assert_eq!(
        value(&s, req, &[("message", "unknown"), ("encoding", "2")]),
        0.0
    );
    assert!(
        find(&s, req, &[("message", "IsAlive"), ("encoding", "1")]).is_none(),
        "v2 names only under 3 and 4"
    );
    assert!(find(&s, req, &[("message", "Metrics"), ("encoding", "3")]).is_some());

    let hist = "nanoipc_request_duration_seconds";
    let labels = [("message", "IsAlive"), ("encoding", "4")];
    assert_eq!(value(&s, &format!("{hist}_count"), &labels), 3.0);
    assert!((value(&s, &format!("{hist}_sum"), &labels) - 0.0006).abs() < 1e-9);
    let bucket = format!("{hist}_bucket");
    assert_eq!(
        value(&s, &bucket, &[labels[0], labels[1], ("le", "0.0001")]),
        0.0
    );
    assert_eq!(
        value(&s, &bucket, &[labels[0], labels[1], ("le", "0.00025")]),
        3.0
    );
    assert_eq!(
        value(&s, &bucket, &[labels[0], labels[1], ("le", "+Inf")]),
        3.0
    );
    assert!(
        find(
            &s,
            &format!("{hist}_count"),
            &[("message", "IsAlive"), ("encoding", "3")]
        )
        .is_none(),
        "no histogram before the first request"
    );

    assert_eq!(value(&s, "nanoipc_errors_total", &[("code", "4")]), 1.0);
    assert_eq!(value(&s, "nanoipc_errors_total", &[("code", "10")]), 0.0);
    assert_eq!(value(&s, "nanoipc_sessions_open", &[]), 1.0);
    assert_eq!(value(&s, "nanoipc_sessions_total", &[]), 2.0);
    assert_eq!(value(&s, "nanoipc_received_bytes_total", &[]), 100.0);
    assert_eq!(value(&s, "nanoipc_sent_bytes_total", &[]), 40.0);
    let refused = "nanoipc_refused_connections_total";
    assert_eq!(value(&s, refused, &[("reason", "accept_error")]), 1.0);
    assert_eq!(value(&s, refused, &[("reason", "max_connections")]), 0.0);
    assert_eq!(value(&s, "nanoipc_ledger_blocks", &[]), 5.0);
    assert_eq!(value(&s, "nanoipc_ledger_cemented_blocks", &[]), 4.0);
    assert_eq!(value(&s, "nanoipc_ledger_accounts", &[]), 2.0);
}

#[test]
fn a_ledger_that_cannot_be_read_leaves_out_only_its_gauges() {
    let text = table().render(None).expect("renders");
    let (types, _) = parse(&text);
    assert!(types.contains_key("nanoipc_requests_total"));
    assert!(!types.contains_key("nanoipc_ledger_blocks"));
}
