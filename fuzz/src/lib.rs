//! The bodies of the fuzz targets, as plain functions so that the same code runs under
//! libFuzzer (`fuzz_targets/*.rs`, nightly + cargo-fuzz) and in the stable test suite
//! (`tests/fuzz_bodies.rs` includes this file with `#[path]`). A body returns normally for any
//! input; a panic is a finding. Besides "no panic", each checks the invariants that make the
//! codecs safe to chain: what verifies can be read, repacked and written; what the JSON decoder
//! accepts builds a buffer that verifies and whose JSON reads back to itself.

use flatbuffers::{FlatBufferBuilder, VerifierOptions};
use nanoipc::schema::json::{
    envelope_from_json, envelope_to_json, parse_envelope_json, parse_message_json,
    write_envelope_message_json,
};
use nanoipc::schema::{
    finish_envelope_buffer, root_as_envelope, root_as_envelope_with_opts,
    size_prefixed_root_as_envelope_with_opts, Block, Envelope, EnvelopeArgs, JsonOptions,
    JsonWriter, Message,
};

/// Unknown fields rejected: our own output never has any.
const STRICT: JsonOptions = JsonOptions {
    skip_unknown_fields: false,
};

/// Arbitrary bytes → verifier (default options, plain and size-prefixed) → every field read
/// (object API, `Debug`, JSON writer, bare-message writer) → repacked.
pub fn envelope_verify(data: &[u8]) {
    let opts = VerifierOptions::default();
    if let Ok(env) = root_as_envelope_with_opts(&opts, data) {
        exercise(env);
    }
    if let Ok(env) = size_prefixed_root_as_envelope_with_opts(&opts, data) {
        exercise(env);
    }
}

fn exercise(env: Envelope<'_>) {
    let _ = format!("{env:?}");
    let obj = env.unpack();
    let mut fbb = FlatBufferBuilder::new();
    let root = obj.pack(&mut fbb);
    finish_envelope_buffer(&mut fbb, root);
    let again = root_as_envelope(fbb.finished_data()).expect("a repacked envelope verifies");
    // A NaN field is never equal to itself, so objects holding one compare by their `Debug` text
    // (exact for every other float: it prints the shortest text that reads back to the same bits).
    let repacked = again.unpack();
    assert!(
        repacked == obj || format!("{repacked:?}") == format!("{obj:?}"),
        "pack(unpack(buffer)) unpacks to the same object\n{repacked:?}\n{obj:?}"
    );

    let mut w = JsonWriter::new(false);
    let _ = write_envelope_message_json(&env, &mut w);
    let _ = w.finish();
    for pretty in [false, true] {
        let json = envelope_to_json(&env, pretty);
        match envelope_from_json(&json, &STRICT) {
            Ok(buf) => {
                let back = root_as_envelope(&buf).expect("what the decoder builds verifies");
                assert_canonical(back, &json, pretty);
            }
            Err(e) => assert!(
                json_may_not_read_back(&env) || nested_union_without_value(&e.to_string()),
                "JSON written from a verified buffer does not read back: {e}\n{json}"
            ),
        }
    }
}

/// `back` was read from `json`, our own output: its JSON must be `json` again. The one allowed
/// difference: floats print as flatc prints them (12 decimals for a double, 6 for a float), so a
/// value that is not its field's default but rounds to its text (`multiplier` 1e-78, written
/// `0.0`) reads back as the default and is then omitted as defaults are. Then both texts must
/// mean the same values and the second must be a fixed point: any other lost or changed field
/// still fails. (Found by `envelope_verify`; flatc's own JSON has the same rounding.)
fn assert_canonical(back: Envelope<'_>, json: &str, pretty: bool) {
    let again = envelope_to_json(&back, pretty);
    if again == json {
        return;
    }
    let buf = envelope_from_json(&again, &STRICT)
        .unwrap_or_else(|e| panic!("our own JSON does not parse: {e}\n{again}"));
    let back2 = root_as_envelope(&buf).expect("what the decoder builds verifies");
    assert_eq!(
        back2.unpack(),
        back.unpack(),
        "JSON is not canonical and the two texts differ in value:\n{json}\n{again}"
    );
    assert_eq!(
        envelope_to_json(&back2, pretty),
        again,
        "JSON is not canonical after one round trip"
    );
}

/// The two cases where JSON written from a verified buffer is not read back: a union tag this
/// schema does not know (written as a number with `{}`), and a union tag without its value
/// (`"message_type": "AccountWeight"` alone, which flatc accepts but our reader rejects as
/// `union value is missing`), at the top or in a block union (`BlockInfo`, `EventConfirmation`,
/// the `BlockInfo`s of a `BlocksResponse`).
fn json_may_not_read_back(env: &Envelope<'_>) -> bool {
    let tag = env.message_type();
    if tag != Message::NONE && (tag.variant_name().is_none() || env.message().is_none()) {
        return true;
    }
    let block =
        |t: Block, has_value: bool| t != Block::NONE && (t.variant_name().is_none() || !has_value);
    if let Some(m) = env.message_as_block_info() {
        return block(m.block_type(), m.block().is_some());
    }
    if let Some(m) = env.message_as_event_confirmation() {
        return block(m.block_type(), m.block().is_some());
    }
    if let Some(m) = env.message_as_blocks_response() {
        return m.blocks().is_some_and(|infos| {
            infos
                .iter()
                .any(|i| block(i.block_type(), i.block().is_some()))
        });
    }
    false
}

/// The same two cases for a union nested in any table (`Process.block`, `Sign.block`, …): the
/// reader names them exactly, whichever table holds the union.
fn nested_union_without_value(error: &str) -> bool {
    error.contains("union value is missing: ")
        || error.contains("no value can be given for union type")
}

/// Arbitrary text → `parse_envelope_json` and `parse_message_json` for every message, with
/// unknown fields skipped and rejected. What parses must verify, and the Envelope's JSON must
/// read back to the same text.
pub fn json_decode(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for opts in [JsonOptions::default(), STRICT] {
        let mut fbb = FlatBufferBuilder::new();
        if let Ok(root) = parse_envelope_json(text, &opts, &mut fbb) {
            finish_envelope_buffer(&mut fbb, root);
            let env = root_as_envelope(fbb.finished_data()).expect("a parsed envelope verifies");
            let json = envelope_to_json(&env, false);
            let buf = envelope_from_json(&json, &STRICT)
                .unwrap_or_else(|e| panic!("our own JSON does not parse: {e}\n{json}"));
            let back = root_as_envelope(&buf).expect("a parsed envelope verifies");
            assert_canonical(back, &json, false);
        }
        for &tag in Message::ENUM_VALUES.iter().filter(|t| **t != Message::NONE) {
            let mut fbb = FlatBufferBuilder::new();
            let Ok(value) = parse_message_json(tag, text, &opts, &mut fbb) else {
                continue;
            };
            let root = Envelope::create(
                &mut fbb,
                &EnvelopeArgs {
                    message_type: tag,
                    message: Some(value),
                    ..Default::default()
                },
            );
            finish_envelope_buffer(&mut fbb, root);
            let env = root_as_envelope(fbb.finished_data()).expect("a parsed message verifies");
            let mut w = JsonWriter::new(false);
            assert!(write_envelope_message_json(&env, &mut w), "{tag:?}");
        }
    }
}
