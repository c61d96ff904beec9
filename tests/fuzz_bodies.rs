//! The fuzz targets' bodies (`fuzz/src/lib.rs`, included here with `#[path]`) on stable: over
//! the JSON corpus, the corpus' buffers, and a few thousand deterministic random and mutated
//! inputs each. Plus bounded checks with an allocation counter: buffers that claim huge vectors
//! or strings are rejected without allocating what they claim, deeply nested JSON is an error
//! (not a stack overflow), and the verifier's apparent-size limit is what bounds a buffer whose
//! vector repeats one string many times.

#[path = "../fuzz/src/lib.rs"]
mod bodies;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use flatbuffers::{FlatBufferBuilder, VerifierOptions};
use nanoipc::schema::json::envelope_from_json;
use nanoipc::schema::*;

/// Counts the bytes this thread has live and the peak since the last reset, so a test can bound
/// what one call allocates while other tests run on other threads.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn add(n: usize) {
    let _ = LIVE.try_with(|l| {
        let v = l.get().saturating_add(n);
        l.set(v);
        let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
    });
}

fn sub(n: usize) {
    let _ = LIVE.try_with(|l| l.set(l.get().saturating_sub(n)));
}

// SAFETY: forwards to the system allocator; the bookkeeping allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        sub(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        sub(layout.size());
        add(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak bytes allocated (above what was live before) while `f` runs on this thread.
fn peak_allocation(f: impl FnOnce()) -> usize {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    f();
    PEAK.with(Cell::get).saturating_sub(base)
}

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every JSON document of the corpora (canonical outputs and non-canonical inputs).
fn json_corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut out = Vec::new();
    for dir in ["json", "json_input"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for p in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            out.push(std::fs::read_to_string(p).expect("corpus file is UTF-8"));
        }
    }
    assert!(out.len() >= 19, "corpus missing");
    out
}

fn buffer_corpus() -> Vec<Vec<u8>> {
    json_corpus()
        .iter()
        .filter_map(|j| envelope_from_json(j, &JsonOptions::default()).ok())
        .collect()
}

/// Bytes that matter to a JSON parser, for mutations.
const JSON_BYTES: &[u8] = b"{}[]\",:0123456789-+.eE\\/ntrfu \t\n\x00\x7f\xc3\xa9";

fn mutate(rng: &mut Rng, input: &[u8], alphabet: Option<&[u8]>) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len().max(1));
        let byte = match alphabet {
            Some(a) => a[rng.below(a.len())],
            None => rng.next() as u8,
        };
        match rng.below(4) {
            0 if at < bytes.len() => bytes[at] = byte,
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            2 => {
                let end = (at + rng.below(24)).min(bytes.len());
                let chunk = bytes[at.min(end)..end].to_vec();
                bytes.splice(at.min(bytes.len())..at.min(bytes.len()), chunk);
            }
            _ => bytes.insert(at.min(bytes.len()), byte),
        }
    }
    bytes
}

#[test]
fn json_decode_body_over_corpus_and_mutations() {
    let corpus = json_corpus();
    for doc in &corpus {
        bodies::json_decode(doc.as_bytes());
    }
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let mut parsed = 0;
    for i in 0..4000 {
        let base = corpus[i % corpus.len()].as_bytes();
        let doc = mutate(&mut rng, base, Some(JSON_BYTES));
        bodies::json_decode(&doc);
        let text = String::from_utf8_lossy(&doc);
        parsed += usize::from(envelope_from_json(&text, &JsonOptions::default()).is_ok());
    }
    // The mutations must reach the accept path too, or the body's checks never run.
    assert!(parsed > 200, "only {parsed} mutated documents parsed");
    // Random short documents over the JSON alphabet, and random bytes.
    for _ in 0..2000 {
        let len = rng.below(64);
        let doc: Vec<u8> = (0..len)
            .map(|_| JSON_BYTES[rng.below(JSON_BYTES.len())])
            .collect();
        bodies::json_decode(&doc);
        let raw: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        bodies::json_decode(&raw);
    }
}

#[test]
fn envelope_verify_body_over_corpus_and_mutations() {
    let corpus = buffer_corpus();
    for buf in &corpus {
        bodies::envelope_verify(buf);
        let mut prefixed = (buf.len() as u32).to_le_bytes().to_vec();
        prefixed.extend_from_slice(buf);
        bodies::envelope_verify(&prefixed);
    }
    let mut rng = Rng(0x0F1E_2D3C_4B5A_6978);
    let mut verified = 0;
    for i in 0..6000 {
        let base = &corpus[i % corpus.len()];
        let mut bytes = base.clone();
        // Mostly in-place byte changes (keeping offsets plausible), sometimes length changes.
        if rng.below(5) == 0 {
            bytes = mutate(&mut rng, &bytes, None);
        } else {
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(bytes.len());
                bytes[at] = match rng.below(3) {
                    0 => rng.next() as u8,
                    1 => bytes[at].wrapping_add(1 + rng.below(8) as u8),
                    _ => 0xFF,
                };
            }
        }
        bodies::envelope_verify(&bytes);
        verified += usize::from(root_as_envelope(&bytes).is_ok());
    }
    assert!(verified > 500, "only {verified} mutated buffers verified");
    for _ in 0..2000 {
        let len = rng.below(96);
        let raw: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        bodies::envelope_verify(&raw);
    }
}

/// Regression for an `envelope_verify` finding: a double that is not its default but prints as
/// it (`multiplier` 1e-78 is written `0.0`, as flatc writes it) reads back as the default, which
/// is then omitted. Both bodies accept that one difference and still hold every value.
#[test]
fn a_double_rounding_to_its_default_is_not_a_finding() {
    let text = r#"{"time":5,"message_type":"WorkValidateResponse","message":{"valid":true,"difficulty":"ff1475ba5c832b89","multiplier":1e-78}}"#;
    bodies::json_decode(text.as_bytes());
    let buf = envelope_from_json(text, &JsonOptions::default()).expect("the text parses");
    let env = root_as_envelope(&buf).expect("it verifies");
    let m = env
        .message_as_work_validate_response()
        .expect("the message");
    assert_eq!(m.multiplier(), 1e-78);
    bodies::envelope_verify(&buf);
}

/// Regression for an `envelope_verify` finding: serde_json's default float parsing is not
/// correctly rounded for long inputs, so a large double written in flatc's fixed notation (a
/// 271-digit `multiplier`) read back as its neighbour. With `float_roundtrip` every double whose
/// fixed text is exact (an integer: a 53-bit mantissa times a power of two) reads back bit for bit.
#[test]
fn doubles_read_back_from_their_fixed_notation_exactly() {
    let mut values = vec![
        -7.131976170331483e270,
        -7.131976170331482e270,
        f64::MAX,
        1e300,
    ];
    let mut rng = Rng(0x5EED_F10A_7000_0001);
    for _ in 0..500 {
        let mantissa = (rng.next() >> 11) as f64;
        values.push(mantissa * 2f64.powi(rng.below(960) as i32));
    }
    for v in values {
        let text = format!(
            r#"{{"message_type":"WorkGenerate","message":{{"hash":"","multiplier":{v:.12}}}}}"#
        );
        let buf = envelope_from_json(&text, &JsonOptions::default()).expect("the text parses");
        let env = root_as_envelope(&buf).expect("it verifies");
        let got = env
            .message_as_work_generate()
            .expect("the message")
            .multiplier();
        assert_eq!(got.to_bits(), v.to_bits(), "{text}");
        bodies::envelope_verify(&buf);
    }
}

/// Regression for an `envelope_verify` finding in the body itself: a NaN `multiplier` repacks to
/// a NaN, which no `==` accepts; the body compares such objects by their `Debug` text.
#[test]
fn a_nan_double_repacks_as_itself() {
    let obj = EnvelopeT {
        message: MessageT::WorkValidateResponse(Box::new(WorkValidateResponseT {
            difficulty: "ff".to_owned(),
            multiplier: f64::NAN,
            ..Default::default()
        })),
        ..Default::default()
    };
    let mut fbb = FlatBufferBuilder::new();
    let root = obj.pack(&mut fbb);
    finish_envelope_buffer(&mut fbb, root);
    bodies::envelope_verify(fbb.finished_data());
}

/// An Envelope with a TopicConfirmation whose options hold `accounts`.
fn topic_confirmation(accounts: &[&str]) -> Vec<u8> {
    let obj = EnvelopeT {
        message: MessageT::TopicConfirmation(Box::new(TopicConfirmationT {
            unsubscribe: false,
            options: Some(Box::new(TopicConfirmationOptionsT {
                accounts: Some(accounts.iter().map(|s| s.to_string()).collect()),
                ..Default::default()
            })),
        })),
        ..Default::default()
    };
    let mut fbb = FlatBufferBuilder::new();
    let root = obj.pack(&mut fbb);
    finish_envelope_buffer(&mut fbb, root);
    fbb.finished_data().to_vec()
}

/// Where the u32 length of the vector or string whose data starts at `data` sits in `buf`.
fn length_field(buf: &[u8], data: *const u8) -> usize {
    (data as usize - buf.as_ptr() as usize) - 4
}

#[test]
fn claimed_huge_lengths_are_rejected_without_allocating_them() {
    // The counter sees what this thread allocates.
    assert!(peak_allocation(|| drop(std::hint::black_box(vec![1u8; 1 << 20]))) >= 1 << 20);
    let buf = topic_confirmation(&["nano_a", "nano_b", "nano_c"]);
    let env = root_as_envelope(&buf).expect("valid");
    let opts = env
        .message_as_topic_confirmation()
        .and_then(|t| t.options())
        .expect("options");
    let vec_len_at = length_field(&buf, opts.accounts().expect("accounts").bytes().as_ptr());
    let str_len_at = length_field(&buf, opts.accounts().expect("accounts").get(1).as_ptr());
    let corrupt = |at: usize, claim: u32| {
        let mut b = buf.clone();
        b[at..at + 4].copy_from_slice(&claim.to_le_bytes());
        b
    };
    for (what, at) in [("vector", vec_len_at), ("string", str_len_at)] {
        for claim in [1u32 << 31, u32::MAX, (1 << 31) - 1, 1 << 20] {
            let bad = corrupt(at, claim);
            assert!(root_as_envelope(&bad).is_err(), "{what} claiming {claim}");
            let peak = peak_allocation(|| bodies::envelope_verify(&bad));
            assert!(peak < 64 * 1024, "{what} claiming {claim}: {peak} bytes");
        }
    }
    // A root offset or vtable offset pointing far outside the buffer.
    for at in [0usize, 4] {
        let bad = corrupt(at, u32::MAX - 3);
        assert!(peak_allocation(|| bodies::envelope_verify(&bad)) < 64 * 1024);
    }
}

#[test]
fn deeply_nested_or_long_json_is_an_error_not_a_stack_overflow() {
    let depth = 200_000;
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let doc = format!("{}{}", open.repeat(depth), close.repeat(depth));
        bodies::json_decode(doc.as_bytes());
        let in_union = format!(
            "{{\"message_type\":\"BlockInfo\",\"message\":{{\"block_type\":\"BlockState\",\"block\":{{\"x\":{}1{}}}}}}}",
            open.repeat(depth),
            close.repeat(depth)
        );
        // Skipped as an unknown field (without recursion), or rejected as one.
        bodies::json_decode(in_union.as_bytes());
        let strict = JsonOptions {
            skip_unknown_fields: false,
        };
        assert!(envelope_from_json(&in_union, &strict).is_err());
        // Nested where a string is expected: an error either way.
        let as_value = format!(
            "{{\"message_type\":\"AccountWeight\",\"message\":{{\"account\":{}1{}}}}}",
            open.repeat(depth),
            close.repeat(depth)
        );
        assert!(envelope_from_json(&as_value, &JsonOptions::default()).is_err());
        bodies::json_decode(as_value.as_bytes());
    }
    // A very long number or string allocates about what the input holds, not more.
    let long_number = format!("{{\"time\":{}}}", "9".repeat(1 << 20));
    let peak = peak_allocation(|| bodies::json_decode(long_number.as_bytes()));
    assert!(peak < 8 << 20, "{peak}");
    let long_string = format!("{{\"credentials\":\"{}\"}}", "x".repeat(1 << 20));
    let peak = peak_allocation(|| bodies::json_decode(long_string.as_bytes()));
    assert!(peak < 32 << 20, "{peak}");
}

/// A small buffer can legally point many vector elements at one string; reading it expands the
/// DAG into a tree. The verifier's `max_apparent_size` bounds that expansion: the default
/// (2 GiB) lets this 16 KiB buffer through as 8 MiB of strings, and a limit proportional to the
/// frame (what a server should pass) rejects it.
#[test]
fn repeated_offsets_are_bounded_by_the_apparent_size_limit() {
    let long = "x".repeat(2048);
    let mut fbb = FlatBufferBuilder::new();
    let s = fbb.create_string(&long);
    let accounts = fbb.create_vector(&vec![s; 4096]);
    let options = TopicConfirmationOptions::create(
        &mut fbb,
        &TopicConfirmationOptionsArgs {
            accounts: Some(accounts),
            ..Default::default()
        },
    );
    let msg = TopicConfirmation::create(
        &mut fbb,
        &TopicConfirmationArgs {
            options: Some(options),
            ..Default::default()
        },
    );
    let root = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            message_type: Message::TopicConfirmation,
            message: Some(msg.as_union_value()),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, root);
    let buf = fbb.finished_data();
    assert!(buf.len() < 20 * 1024, "{}", buf.len());
    assert!(root_as_envelope(buf).is_ok(), "default options accept it");
    let tight = VerifierOptions {
        max_apparent_size: 64 * buf.len(),
        ..Default::default()
    };
    assert!(root_as_envelope_with_opts(&tight, buf).is_err());
    let normal = topic_confirmation(&["nano_a", "nano_b"]);
    let tight = VerifierOptions {
        max_apparent_size: 64 * normal.len(),
        ..Default::default()
    };
    assert!(root_as_envelope_with_opts(&tight, &normal).is_ok());
}
