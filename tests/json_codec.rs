//! The generated JSON codec against flatc's JSON form: every message round-trips
//! JSON → binary → JSON byte for byte (the corpus in `tests/data/json/` is flatc's own pretty
//! output), plus the edge cases of the input side (field order, unknown fields, errors with
//! positions, integer limits, escapes).

use std::path::Path;

use nanoipc::schema::json::{
    envelope_from_json, envelope_to_json, parse_envelope_json, parse_message_json,
    write_envelope_message_json,
};
use nanoipc::schema::{root_as_envelope, JsonOptions, JsonWriter, Message};

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/json");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn strict() -> JsonOptions {
    JsonOptions {
        skip_unknown_fields: false,
    }
}

fn roundtrip(json: &str) -> String {
    let buf = envelope_from_json(json, &strict()).unwrap_or_else(|e| panic!("{e}\n{json}"));
    let env = root_as_envelope(&buf).expect("our buffer verifies");
    envelope_to_json(&env, true)
}

#[test]
fn corpus_round_trips_byte_for_byte() {
    let corpus = corpus();
    assert!(corpus.len() >= 19, "corpus missing");
    let mut seen = std::collections::BTreeSet::new();
    for (name, json) in &corpus {
        assert_eq!(&roundtrip(json), json, "{name}");
        // Compact output parses back to the same document.
        let buf = envelope_from_json(json, &strict()).unwrap();
        let compact = envelope_to_json(&root_as_envelope(&buf).unwrap(), false);
        assert!(!compact.contains('\n'), "{name}");
        assert_eq!(&roundtrip(&compact), json, "{name} (compact)");
        seen.insert(root_as_envelope(&buf).unwrap().message_type());
    }
    for tag in Message::ENUM_VALUES.iter().filter(|t| **t != Message::NONE) {
        assert!(seen.contains(tag), "no corpus entry for {tag:?}");
    }
}

#[test]
fn union_value_may_come_before_its_type() {
    let json = r#"{"message": {"account": "nano_x"}, "time": 5, "message_type": "AccountWeight"}"#;
    let out = roundtrip(json);
    assert_eq!(
        out,
        "{\n  \"time\": 5,\n  \"message_type\": \"AccountWeight\",\n  \"message\": {\n    \"account\": \"nano_x\"\n  }\n}\n"
    );
    // Nested: the Block union inside BlockInfo, value first.
    let json = r#"{"message_type":"BlockInfo","message":{"block":{"hash":"h","subtype":2},"block_type":"BlockState"}}"#;
    let buf = envelope_from_json(json, &strict()).unwrap();
    let env = root_as_envelope(&buf).unwrap();
    let block = env
        .message_as_block_info()
        .unwrap()
        .block_as_block_state()
        .unwrap();
    assert_eq!(block.hash(), Some("h"));
    assert_eq!(block.subtype(), nanoipc::schema::BlockSubType::send);
}

#[test]
fn error_in_buffered_union_value_is_located_in_the_input() {
    let json =
        "{\n  \"message\": {\n    \"account\": 5\n  },\n  \"message_type\": \"AccountWeight\"\n}";
    let err = envelope_from_json(json, &strict()).unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    assert!(err.column > 5, "{err}");
    assert!(err.message.contains("expected a string"), "{err}");
}

#[test]
fn unknown_fields_are_skipped_or_rejected() {
    let json = r#"{"extra": {"deep": [1, 2, {"x": null}]}, "message_type": "IsAlive", "message": {"nope": 1}}"#;
    let buf = envelope_from_json(
        json,
        &JsonOptions {
            skip_unknown_fields: true,
        },
    )
    .unwrap();
    assert_eq!(
        root_as_envelope(&buf).unwrap().message_type(),
        Message::IsAlive
    );
    let err = envelope_from_json(json, &strict()).unwrap_err();
    assert_eq!(err.to_string(), "1: 8: error: unknown field: extra");
    assert!(JsonOptions::default().skip_unknown_fields);
}

#[test]
fn missing_required_field_names_field_table_and_position() {
    let json = "{\n  \"message_type\": \"AccountWeight\",\n  \"message\": {\n  }\n}";
    let err = envelope_from_json(json, &strict()).unwrap_err();
    assert_eq!(
        err.message,
        "required field is missing: account in AccountWeight"
    );
    assert_eq!((err.line, err.column), (4, 3));
    assert_eq!(
        err.to_string(),
        "4: 3: error: required field is missing: account in AccountWeight"
    );
}

#[test]
fn integer_limits_are_exact_and_checked() {
    let max = r#"{"time": 18446744073709551615}"#;
    let buf = envelope_from_json(max, &strict()).unwrap();
    assert_eq!(root_as_envelope(&buf).unwrap().time(), u64::MAX);
    for bad in [
        r#"{"time": 18446744073709551616}"#,
        r#"{"time": -1}"#,
        r#"{"time": 1.5}"#,
        r#"{"time": 1.0}"#,
        r#"{"time": "x"}"#,
    ] {
        assert!(envelope_from_json(bad, &strict()).is_err(), "{bad}");
    }
    let err = envelope_from_json(
        r#"{"message_type":"Error","message":{"code":2147483648}}"#,
        &strict(),
    )
    .unwrap_err();
    assert!(err.message.contains("does not fit"), "{err}");
    // flatc also takes scalars written as strings.
    let quoted = r#"{"time": "18446744073709551615", "message_type":"ServiceStop","message":{"service_name":"x","restart":"true"}}"#;
    let buf = envelope_from_json(quoted, &strict()).unwrap();
    let env = root_as_envelope(&buf).unwrap();
    assert_eq!(env.time(), u64::MAX);
    assert!(env.message_as_service_stop().unwrap().restart());
    let ok = r#"{"message_type":"Error","message":{"code":-2147483648,"category":2147483647}}"#;
    assert!(envelope_from_json(ok, &strict()).is_ok());
}

#[test]
fn strings_escapes_and_non_ascii() {
    let json = "{\"credentials\": \"é\u{1F600}\\u00e9\\\"\\\\\\/\\b\\f\\n\\r\\t\"}";
    let buf = envelope_from_json(json, &strict()).unwrap();
    let env = root_as_envelope(&buf).unwrap();
    assert_eq!(env.credentials(), Some("é\u{1F600}é\"\\/\u{8}\u{c}\n\r\t"));
    assert_eq!(
        envelope_to_json(&env, false),
        r#"{"credentials":"\u00E9\uD83D\uDE00\u00E9\"\\/\b\f\n\r\t"}"#
    );
}

#[test]
fn enums_by_name_or_number_and_defaults_omitted() {
    let json = r#"{"message_type": 8, "message": {"options": {"confirmation_type_filter": 0, "include_block": true}}}"#;
    let out = roundtrip(json);
    assert_eq!(
        out,
        "{\n  \"message_type\": \"TopicConfirmation\",\n  \"message\": {\n    \"options\": {\n    }\n  }\n}\n"
    );
    assert!(envelope_from_json(r#"{"message_type": "Nope"}"#, &strict()).is_err());
    assert!(envelope_from_json(r#"{"message_type": "NONE"}"#, &strict()).is_ok());
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    for bad in [
        "",
        "{",
        "[]",
        "{\"time\": 1,}",
        "{\"time\": 1} x",
        "{\"time\": 1, \"time\": 2}",
        "{\"message\": {}}",
        "{\"message_type\": \"AccountWeight\"}",
        "{\"message_type\": \"NONE\", \"message\": {}}",
        "{\"message_type\": \"AccountWeight\", \"message\": []}",
    ] {
        assert!(envelope_from_json(bad, &strict()).is_err(), "{bad:?}");
    }
    // Deep nesting inside a union value that is buffered (value before type) is bounded too.
    let deep = "[".repeat(10_000);
    let buffered = format!("{{\"message\": {deep}, \"message_type\": \"IsAlive\"}}");
    assert!(envelope_from_json(&buffered, &JsonOptions::default()).is_err());
    let closed = format!(
        "{{\"message\": {{\"x\": {deep}{}}}, \"message_type\": \"IsAlive\"}}",
        "]".repeat(10_000)
    );
    // Well-formed but deep: skipped as an unknown field without recursion, or rejected.
    assert!(envelope_from_json(&closed, &JsonOptions::default()).is_ok());
    assert!(envelope_from_json(&closed, &strict()).is_err());
    assert!(envelope_from_json(&format!("{{\"x\": {deep}"), &JsonOptions::default()).is_err());
}

#[test]
fn bare_message_into_a_builder_and_out_again() {
    let mut fbb = flatbuffers::FlatBufferBuilder::new();
    let msg = parse_message_json(
        Message::AccountWeight,
        r#"{"account": "nano_1"}"#,
        &strict(),
        &mut fbb,
    )
    .unwrap();
    let cid = fbb.create_string("c");
    let env = nanoipc::schema::Envelope::create(
        &mut fbb,
        &nanoipc::schema::EnvelopeArgs {
            time: 7,
            correlation_id: Some(cid),
            message_type: Message::AccountWeight,
            message: Some(msg),
            ..Default::default()
        },
    );
    nanoipc::schema::finish_envelope_buffer(&mut fbb, env);
    let env = root_as_envelope(fbb.finished_data()).unwrap();
    let mut w = JsonWriter::new(false);
    assert!(write_envelope_message_json(&env, &mut w));
    assert_eq!(w.finish(), r#"{"account":"nano_1"}"#);

    let Err(err) = parse_message_json(Message::AccountWeight, "{}", &strict(), &mut fbb) else {
        panic!("missing required field accepted");
    };
    assert_eq!(
        err.to_string(),
        "1: 2: error: required field is missing: account in AccountWeight"
    );
    assert!(parse_message_json(Message::NONE, "{}", &strict(), &mut fbb).is_err());
}

#[test]
fn parse_into_reused_builder() {
    let mut fbb = flatbuffers::FlatBufferBuilder::new();
    for (_, json) in corpus() {
        fbb.reset();
        let root = parse_envelope_json(&json, &strict(), &mut fbb).unwrap();
        nanoipc::schema::finish_envelope_buffer(&mut fbb, root);
        let env = root_as_envelope(fbb.finished_data()).unwrap();
        assert_eq!(envelope_to_json(&env, true), json);
    }
}

/// With flatc 25.12.19 on PATH: flatc's binaries read back to the same JSON here, and flatc
/// prints our binaries as the same JSON. Skipped (with a note) when flatc is missing, unless
/// `NANOIPC_REQUIRE_FLATC=1`.
#[test]
fn agrees_with_flatc() {
    let have = std::process::Command::new("flatc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            std::env::var("NANOIPC_REQUIRE_FLATC").as_deref() != Ok("1"),
            "flatc is required but not on PATH"
        );
        eprintln!("skipped: flatc not on PATH");
        return;
    }
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/nanoapi.fbs");
    let tmp = tempfile::tempdir().unwrap();
    for (name, json) in corpus() {
        let stem = name.trim_end_matches(".json");
        let jpath = tmp.path().join(&name);
        std::fs::write(&jpath, &json).unwrap();
        let st = std::process::Command::new("flatc")
            .arg("-b")
            .arg("-o")
            .arg(tmp.path())
            .arg(&schema)
            .arg(&jpath)
            .status()
            .unwrap();
        assert!(st.success(), "flatc -b {name}");
        let theirs = std::fs::read(tmp.path().join(format!("{stem}.bin"))).unwrap();
        let env = root_as_envelope(&theirs).expect("flatc's buffer verifies");
        assert_eq!(
            envelope_to_json(&env, true),
            json,
            "flatc binary → our JSON: {name}"
        );

        let ours = envelope_from_json(&json, &strict()).unwrap();
        let opath = tmp.path().join(format!("ours_{stem}.bin"));
        std::fs::write(&opath, &ours).unwrap();
        let outdir = tmp.path().join("out");
        std::fs::create_dir_all(&outdir).unwrap();
        let st = std::process::Command::new("flatc")
            .args(["--json", "--strict-json", "--raw-binary", "-o"])
            .arg(&outdir)
            .arg(&schema)
            .arg("--")
            .arg(&opath)
            .status()
            .unwrap();
        assert!(st.success(), "flatc --json {name}");
        let text = std::fs::read_to_string(outdir.join(format!("ours_{stem}.json"))).unwrap();
        assert_eq!(text, json, "our binary → flatc JSON: {name}");
    }

    // Buffers made by flatc from nano-node's own schema (read in place, never copied) decode
    // here to the same JSON: the corpus only uses the 13 messages the two schemas share.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let nano = ["../shared", "../../shared"]
        .iter()
        .map(|d| root.join(d).join("reference/nano-node/nanoapi.fbs"))
        .find(|p| p.is_file());
    let Some(nano) = nano else {
        assert!(
            std::env::var("NANOIPC_REQUIRE_FLATC").as_deref() != Ok("1"),
            "nano-node's nanoapi.fbs not found under ../shared"
        );
        eprintln!("skipped: nano-node's schema not found under ../shared");
        return;
    };
    let nano_out = tmp.path().join("nano");
    std::fs::create_dir_all(&nano_out).unwrap();
    // Only documents nano-node's schema can express: its 13 messages, without the fields this
    // schema appended to them.
    let nano_can_read = |json: &str| {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let kind = v["message_type"].as_str().unwrap_or("");
        let shared = nanoipc::schema::dispatch::MESSAGE_NAMES
            .iter()
            .take(usize::from(Message::EventServiceStop.0) + 1)
            .any(|n| *n == kind);
        let appended = kind == "BlockInfo"
            && v["message"]
                .as_object()
                .is_some_and(|m| m.keys().any(|k| k != "block_type" && k != "block"));
        shared && !appended
    };
    let mut read_by_nano = 0;
    for (name, json) in corpus() {
        if !nano_can_read(&json) {
            continue;
        }
        read_by_nano += 1;
        let stem = name.trim_end_matches(".json");
        let st = std::process::Command::new("flatc")
            .arg("-b")
            .arg("-o")
            .arg(&nano_out)
            .arg(&nano)
            .arg(tmp.path().join(&name))
            .status()
            .unwrap();
        assert!(st.success(), "flatc -b (nano-node schema) {name}");
        let theirs = std::fs::read(nano_out.join(format!("{stem}.bin"))).unwrap();
        let env = root_as_envelope(&theirs).expect("nano-node-schema buffer verifies");
        assert_eq!(
            envelope_to_json(&env, true),
            json,
            "nano-node schema binary → our JSON: {name}"
        );
    }
    assert!(
        read_by_nano >= 30,
        "only {read_by_nano} corpus files use nano-node's messages"
    );
}

/// Scalar, bool and enum forms where flatc 25.12.19 is lenient or strict: `Some(json)` is the
/// document we (and flatc) read it as, `None` a rejection. Checked against `flatc -b` when flatc
/// is on PATH.
fn scalar_form_cases() -> Vec<(String, Option<&'static str>)> {
    let code = |v: &str| format!(r#"{{"message_type":"Error","message":{{"code":{v}}}}}"#);
    let restart = |v: &str| {
        format!(
            r#"{{"message_type":"ServiceStop","message":{{"service_name":"s","restart":{v}}}}}"#
        )
    };
    let filter = |v: &str| {
        format!(
            r#"{{"message_type":"TopicConfirmation","message":{{"options":{{"confirmation_type_filter":{v}}}}}}}"#
        )
    };
    let error_code = |n: &'static str| Some(n);
    vec![
        // Integers: no booleans (quoted or not), no null; -0, hex text and spaced text are fine.
        (code("true"), None),
        (code("\"true\""), None),
        (code("false"), None),
        (code("null"), None),
        (code("1.0"), None),
        (code("\"1e2\""), None),
        (code("\"0xFFFFFFFF\""), None),
        (code("\"0x\""), None),
        (code("\"\""), None),
        (
            code("-0"),
            error_code(r#"{"message_type":"Error","message":{}}"#),
        ),
        (
            code("\"-0\""),
            error_code(r#"{"message_type":"Error","message":{}}"#),
        ),
        (
            code("\"0x10\""),
            error_code(r#"{"message_type":"Error","message":{"code":16}}"#),
        ),
        (
            code("\"-0x10\""),
            error_code(r#"{"message_type":"Error","message":{"code":-16}}"#),
        ),
        (
            code("\" 12 \""),
            error_code(r#"{"message_type":"Error","message":{"code":12}}"#),
        ),
        (
            code("\"+12\""),
            error_code(r#"{"message_type":"Error","message":{"code":12}}"#),
        ),
        (
            code("\"010\""),
            error_code(r#"{"message_type":"Error","message":{"code":10}}"#),
        ),
        (
            r#"{"time":"0xFFFFFFFFFFFFFFFF"}"#.to_string(),
            Some(r#"{"time":18446744073709551615}"#),
        ),
        (r#"{"time":"-1"}"#.to_string(), None),
        // Bools are bytes: any of 0..=255, non-zero is true.
        (
            restart("2"),
            Some(r#"{"message_type":"ServiceStop","message":{"service_name":"s","restart":true}}"#),
        ),
        (
            restart("5"),
            Some(r#"{"message_type":"ServiceStop","message":{"service_name":"s","restart":true}}"#),
        ),
        (
            restart("\"0x2\""),
            Some(r#"{"message_type":"ServiceStop","message":{"service_name":"s","restart":true}}"#),
        ),
        (
            restart("\"true\""),
            Some(r#"{"message_type":"ServiceStop","message":{"service_name":"s","restart":true}}"#),
        ),
        (
            restart("-0"),
            Some(r#"{"message_type":"ServiceStop","message":{"service_name":"s"}}"#),
        ),
        (restart("-1"), None),
        (restart("256"), None),
        (restart("null"), None),
        (restart("\" true\""), None),
        // Enums and union tags: exact names, or numbers in any integer form.
        (
            filter("\"1\""),
            Some(
                r#"{"message_type":"TopicConfirmation","message":{"options":{"confirmation_type_filter":"active"}}}"#,
            ),
        ),
        (
            filter("\"0x1\""),
            Some(
                r#"{"message_type":"TopicConfirmation","message":{"options":{"confirmation_type_filter":"active"}}}"#,
            ),
        ),
        (
            filter("-0"),
            Some(r#"{"message_type":"TopicConfirmation","message":{"options":{}}}"#),
        ),
        (filter("true"), None),
        (filter("\"true\""), None),
        (filter("null"), None),
        (filter("\" active\""), None),
        (
            r#"{"message_type":"6","message":{"account":"a"}}"#.to_string(),
            Some(r#"{"message_type":"AccountWeight","message":{"account":"a"}}"#),
        ),
        (r#"{"message_type":null}"#.to_string(), None),
        // null stays "absent" for strings and tables.
        (
            r#"{"message_type":"Error","message":{"message":null}}"#.to_string(),
            Some(r#"{"message_type":"Error","message":{}}"#),
        ),
        (
            r#"{"message_type":"TopicConfirmation","message":{"options":null}}"#.to_string(),
            Some(r#"{"message_type":"TopicConfirmation","message":{}}"#),
        ),
    ]
}

#[test]
fn scalar_forms_follow_flatc() {
    for (json, want) in scalar_form_cases() {
        match (envelope_from_json(&json, &strict()), want) {
            (Ok(buf), Some(want)) => {
                let env = root_as_envelope(&buf).unwrap();
                assert_eq!(envelope_to_json(&env, false), want, "{json}");
            }
            (Err(_), None) => {}
            (Ok(buf), None) => panic!(
                "{json}: accepted as {}",
                envelope_to_json(&root_as_envelope(&buf).unwrap(), false)
            ),
            (Err(e), Some(_)) => panic!("{json}: rejected: {e}"),
        }
    }
    // Rejections are located and say what is wrong.
    let err = envelope_from_json(
        "{\"message_type\":\"Error\",\n \"message\":{\"code\":true}}",
        &strict(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "2: 23: error: true is not a int value (true/false are only for bool fields)"
    );
    let err = envelope_from_json(
        r#"{"message_type":"Error","message":{"code":null}}"#,
        &strict(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "1: 46: error: null is not a int value (leave the field out to use its default)"
    );
}

/// The same cases through `flatc -b` with our schema: flatc accepts exactly what we accept, and
/// its binary reads back here as the same document. Skipped without flatc, unless
/// `NANOIPC_REQUIRE_FLATC=1`.
#[test]
fn scalar_forms_agree_with_flatc() {
    let have = std::process::Command::new("flatc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            std::env::var("NANOIPC_REQUIRE_FLATC").as_deref() != Ok("1"),
            "flatc is required but not on PATH"
        );
        eprintln!("skipped: flatc not on PATH");
        return;
    }
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/nanoapi.fbs");
    let tmp = tempfile::tempdir().unwrap();
    for (i, (json, want)) in scalar_form_cases().into_iter().enumerate() {
        let jpath = tmp.path().join(format!("case{i}.json"));
        std::fs::write(&jpath, &json).unwrap();
        let out = std::process::Command::new("flatc")
            .arg("-b")
            .arg("-o")
            .arg(tmp.path())
            .arg(&schema)
            .arg(&jpath)
            .output()
            .unwrap();
        match want {
            None => assert!(
                !out.status.success(),
                "flatc accepts what we reject: {json}"
            ),
            Some(want) => {
                assert!(
                    out.status.success(),
                    "flatc rejects what we accept: {json}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let theirs = std::fs::read(tmp.path().join(format!("case{i}.bin"))).unwrap();
                let env = root_as_envelope(&theirs).expect("flatc's buffer verifies");
                assert_eq!(
                    envelope_to_json(&env, false),
                    want,
                    "flatc's reading of {json}"
                );
            }
        }
    }
}
