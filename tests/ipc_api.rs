//! The real handler over a real dev ledger, through both transports and all four encodings:
//! IsAlive and AccountWeight (v2, binary and JSON), the legacy actions with nano-node's exact
//! answers, and every bad request answered exactly with a second session proving it unaffected.

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use support::v2::{self, Answer};
use support::*;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Sends one v2 request in encoding 3 and reads the answer.
async fn binary(c: &mut Raw, request: &[u8]) -> Answer {
    c.write(&frame(3, request)).await;
    v2::read_binary(&c.answer().await)
}

/// Sends one v2 request in encoding 4 and reads the answer.
async fn json(c: &mut Raw, request: &str) -> Answer {
    c.write(&frame(4, request.as_bytes())).await;
    v2::read_json(&c.answer().await)
}

fn error(code: i32, category: i32, message: &str) -> Option<(i32, i32, String)> {
    Some((code, category, message.to_owned()))
}

#[tokio::test]
async fn is_alive_answers_is_alive_with_the_correlation_id_and_the_time() {
    let node = start_node().await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        let before = now_ms();
        let a = binary(&mut c, &v2::is_alive(Some("bin-1"))).await;
        let after = now_ms();
        assert_eq!(a.message_type, "IsAlive");
        assert_eq!(a.correlation_id.as_deref(), Some("bin-1"));
        assert!(before <= a.time && a.time <= after, "{a:?}");
        assert_eq!(a.error, None);

        let before = now_ms();
        let a = json(
            &mut c,
            r#"{"correlation_id":"json-1","message_type":"IsAlive","message":{}}"#,
        )
        .await;
        let after = now_ms();
        assert_eq!(a.message_type, "IsAlive");
        assert_eq!(a.correlation_id.as_deref(), Some("json-1"));
        assert!(before <= a.time && a.time <= after, "{a:?}");

        // No correlation id in, none out.
        let a = binary(&mut c, &v2::is_alive(None)).await;
        assert_eq!(
            (a.message_type.as_str(), a.correlation_id),
            ("IsAlive", None)
        );
    }
}

#[tokio::test]
async fn json_answers_are_flatc_json() {
    let node = start_node().await;
    let mut c = node.connect(Via::Local).await;
    c.write(&frame(
        4,
        br#"{"correlation_id":"7","message_type":"AccountWeight","message":{"account":"nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo"}}"#,
    ))
    .await;
    let text = c.answer_text().await;
    let time = v2::read_json(text.as_bytes()).time;
    assert_eq!(
        text,
        format!(
            r#"{{"time":{time},"correlation_id":"7","message_type":"AccountWeightResponse","message":{{"voting_weight":"{SUPPLY}"}}}}"#
        )
    );
}

#[tokio::test]
async fn account_weight_of_the_genesis_account_is_the_whole_supply() {
    let node = start_node().await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        let a = binary(&mut c, &v2::account_weight(Some("w"), GENESIS)).await;
        assert_eq!(a.message_type, "AccountWeightResponse");
        assert_eq!(a.voting_weight.as_deref(), Some(SUPPLY));
        assert_eq!(a.correlation_id.as_deref(), Some("w"));

        let a = json(
            &mut c,
            &format!(r#"{{"message_type":"AccountWeight","message":{{"account":"{GENESIS}"}}}}"#),
        )
        .await;
        assert_eq!(a.message_type, "AccountWeightResponse");
        assert_eq!(a.voting_weight.as_deref(), Some(SUPPLY));

        // The legacy `xrb_` spelling is the same account; an unknown account weighs 0.
        let xrb = GENESIS.replacen("nano_", "xrb_", 1);
        let a = binary(&mut c, &v2::account_weight(None, &xrb)).await;
        assert_eq!(a.voting_weight.as_deref(), Some(SUPPLY));
        let burn = "nano_1111111111111111111111111111111111111111111111111111hifc8npp";
        let a = binary(&mut c, &v2::account_weight(None, burn)).await;
        assert_eq!(a.voting_weight.as_deref(), Some("0"));
    }
}

#[tokio::test]
async fn bad_account_is_code_4_in_both_v2_encodings() {
    let node = start_node().await;
    let bad = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdx";
    for via in BOTH {
        let mut c = node.connect(via).await;
        let a = binary(&mut c, &v2::account_weight(Some("b"), bad)).await;
        assert_eq!(a.message_type, "Error");
        assert_eq!(a.error, error(4, 1, "Bad account number"));
        assert_eq!(a.correlation_id.as_deref(), Some("b"));
        let a = json(
            &mut c,
            r#"{"correlation_id":"j","message_type":"AccountWeight","message":{"account":"x"}}"#,
        )
        .await;
        assert_eq!(a.error, error(4, 1, "Bad account number"));
        assert_eq!(a.correlation_id.as_deref(), Some("j"));
    }
}

#[tokio::test]
async fn legacy_actions_answer_exactly_as_nano_node_prints_them() {
    let node = start_node().await;
    let lmdb = heed::lmdb_version();
    let version = format!(
        "{{\n    \"rpc_version\": \"1\",\n    \"store_version\": \"{}\",\n    \"protocol_version\": \"21\",\n    \"node_vendor\": \"nanoipc {v}\",\n    \"store_vendor\": \"LMDB {}.{}.{}\",\n    \"network\": \"dev\",\n    \"network_identifier\": \"{GENESIS_HASH}\",\n    \"build_info\": \"nanoipc {v} {}-{} {}\"\n}}\n",
        nanoipc::ledger::STORE_VERSION,
        lmdb.major,
        lmdb.minor,
        lmdb.patch,
        std::env::consts::ARCH,
        std::env::consts::OS,
        if cfg!(debug_assertions) { "debug" } else { "release" },
        v = env!("CARGO_PKG_VERSION"),
    );
    for via in BOTH {
        let mut c = node.connect(via).await;
        for enc in [1u8, 2] {
            assert_eq!(c.call(enc, r#"{"action":"version"}"#).await, version);
            assert_eq!(
                c.call(enc, r#"{"action":"block_count"}"#).await,
                "{\n    \"count\": \"1\",\n    \"unchecked\": \"0\",\n    \"cemented\": \"1\"\n}\n"
            );
            assert_eq!(
                c.call(
                    enc,
                    &format!(r#"{{"action":"account_weight","account":"{GENESIS}"}}"#)
                )
                .await,
                format!("{{\n    \"weight\": \"{SUPPLY}\"\n}}\n")
            );
            for opt in [
                "",
                r#","include_only_confirmed":"false""#,
                r#","include_only_confirmed":true"#,
            ] {
                assert_eq!(
                    c.call(
                        enc,
                        &format!(r#"{{"action":"account_balance","account":"{GENESIS}"{opt}}}"#)
                    )
                    .await,
                    format!(
                        "{{\n    \"balance\": \"{SUPPLY}\",\n    \"pending\": \"0\",\n    \"receivable\": \"0\"\n}}\n"
                    )
                );
            }
        }
    }
}

#[tokio::test]
async fn legacy_account_errors_and_the_deprecated_format_flag() {
    let node = start_node().await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        for action in ["account_weight", "account_balance"] {
            assert_eq!(
                c.call(1, &format!(r#"{{"action":"{action}","account":"nano_1"}}"#))
                    .await,
                legacy_error("Bad account number")
            );
            // A present but non-text account reads as "" (property-tree semantics).
            assert_eq!(
                c.call(1, &format!(r#"{{"action":"{action}","account":{{}}}}"#))
                    .await,
                legacy_error("Bad account number")
            );
            assert_eq!(
                c.call(1, &format!(r#"{{"action":"{action}"}}"#)).await,
                legacy_error("Unable to parse JSON")
            );
            assert_eq!(
                c.call(1, &format!(r#"{{"action":"{action}","account":"#))
                    .await,
                legacy_error("Unable to parse JSON")
            );
        }
        let dashed = GENESIS.replacen("nano_", "nano-", 1);
        assert_eq!(
            c.call(
                1,
                &format!(r#"{{"action":"account_weight","account":"{dashed}"}}"#)
            )
            .await,
            format!(
                "{{\n    \"deprecated_account_format\": \"1\",\n    \"weight\": \"{SUPPLY}\"\n}}\n"
            )
        );
        let unopened = "nano_1111111111111111111111111111111111111111111111111111hifc8npp";
        assert_eq!(
            c.call(
                1,
                &format!(r#"{{"action":"account_balance","account":"{unopened}"}}"#)
            )
            .await,
            "{\n    \"balance\": \"0\",\n    \"pending\": \"0\",\n    \"receivable\": \"0\"\n}\n"
        );
    }
}

/// One bad v2 request and the exact (code, category, message) it must get.
struct BadCase {
    name: &'static str,
    encoding: u8,
    payload: Vec<u8>,
    code: i32,
    message: String,
}

fn bad_cases() -> Vec<BadCase> {
    use flatbuffers::FlatBufferBuilder;
    use nanoipc::schema::*;
    let valid = v2::account_weight(None, GENESIS);
    let truncated = valid[..valid.len() - 9].to_vec();
    let response_as_request = v2::envelope(None, Message::AccountWeightResponse, |fbb| {
        let w = fbb.create_string("1");
        Some(
            AccountWeightResponse::create(
                fbb,
                &AccountWeightResponseArgs {
                    voting_weight: Some(w),
                },
            )
            .as_union_value(),
        )
    });
    let unset = v2::envelope(None, Message::NONE, |_| None);
    // A tag with no value: the union is unset too.
    let tag_only = v2::envelope(None, Message::IsAlive, |_| None);
    // AccountWeight without its required `account`, built by hand (the generated builder
    // insists on it).
    let missing_account = v2::envelope(
        None,
        Message::AccountWeight,
        |fbb: &mut FlatBufferBuilder<'static>| {
            let start = fbb.start_table();
            let t = fbb.end_table(start);
            Some(flatbuffers::WIPOffset::new(t.value()))
        },
    );
    let unknown_tag = v2::envelope(None, Message(200), |fbb| {
        Some(IsAlive::create(fbb, &IsAliveArgs {}).as_union_value())
    });
    vec![
        BadCase {
            name: "garbage bytes",
            encoding: 3,
            payload: b"\x07\x00\x00\x00garbage garbage".to_vec(),
            code: 1,
            message: "Invalid message format: the buffer is not a valid Envelope: Type `i32` at position 7 is unaligned".into(),
        },
        BadCase {
            name: "empty buffer",
            encoding: 3,
            payload: Vec::new(),
            code: 1,
            message: "Invalid message format: the buffer is not a valid Envelope: Range [0, 4) is out of bounds".into(),
        },
        BadCase {
            name: "truncated buffer",
            encoding: 3,
            payload: truncated,
            code: 1,
            message: "Invalid message format: the buffer is not a valid Envelope: Range [52, 117) is out of bounds, while verifying table field `account` at position 44, while verifying union variant `Message::AccountWeight` at position 28, while verifying table field `message` at position 28".into(),
        },
        BadCase {
            name: "missing required field (binary)",
            encoding: 3,
            payload: missing_account,
            code: 1,
            message: "Invalid message format: the buffer is not a valid Envelope: Missing required field `account`, while verifying union variant `Message::AccountWeight` at position 28, while verifying table field `message` at position 28".into(),
        },
        BadCase {
            name: "response sent as a request (binary)",
            encoding: 3,
            payload: response_as_request,
            code: 2,
            message: "Unknown message: AccountWeightResponse is not a request".into(),
        },
        BadCase {
            name: "unset union (binary)",
            encoding: 3,
            payload: unset,
            code: 2,
            message: "Unknown message: the envelope carries no message".into(),
        },
        BadCase {
            name: "tag without value (binary)",
            encoding: 3,
            payload: tag_only,
            code: 1,
            message: "Invalid message format: the buffer is not a valid Envelope: Exactly one of union discriminant (`message`) and value (`message_type`) are present".into(),
        },
        BadCase {
            name: "tag without value (JSON)",
            encoding: 4,
            payload: br#"{"message_type":"IsAlive"}"#.to_vec(),
            code: 1,
            message: "Invalid message format: 1: 26: error: union value is missing: message".into(),
        },
        BadCase {
            name: "unknown union tag (binary)",
            encoding: 3,
            payload: unknown_tag,
            code: 2,
            message: "Unknown message: message type 200 is not known to this node".into(),
        },
        BadCase {
            name: "invalid JSON",
            encoding: 4,
            payload: br#"{"message_type":"IsAlive","message":{}"#.to_vec(),
            code: 1,
            message: "Invalid message format: 1: 38: error: EOF while parsing an object".into(),
        },
        BadCase {
            name: "not JSON at all",
            encoding: 4,
            payload: b"hello".to_vec(),
            code: 1,
            message: "Invalid message format: 1: 1: error: expected value".into(),
        },
        BadCase {
            name: "missing required field (JSON)",
            encoding: 4,
            payload: br#"{"message_type":"AccountWeight","message":{}}"#.to_vec(),
            code: 1,
            message: "Invalid message format: 1: 44: error: required field is missing: account in AccountWeight".into(),
        },
        BadCase {
            name: "unknown message type name (JSON)",
            encoding: 4,
            payload: br#"{"message_type":"Nope","message":{}}"#.to_vec(),
            code: 1,
            message: "Invalid message format: 1: 22: error: unknown enum value: Nope in Message".into(),
        },
        BadCase {
            name: "response sent as a request (JSON)",
            encoding: 4,
            payload: br#"{"message_type":"AccountWeightResponse","message":{"voting_weight":"1"}}"#.to_vec(),
            code: 2,
            message: "Unknown message: AccountWeightResponse is not a request".into(),
        },
        BadCase {
            name: "unset union (JSON)",
            encoding: 4,
            payload: br#"{"correlation_id":"x"}"#.to_vec(),
            code: 2,
            message: "Unknown message: the envelope carries no message".into(),
        },
        BadCase {
            name: "not implemented (subscriptions)",
            encoding: 4,
            payload: br#"{"message_type":"TopicConfirmation","message":{}}"#.to_vec(),
            code: 5,
            message: "Not implemented: TopicConfirmation".into(),
        },
    ]
}

#[tokio::test]
async fn bad_v2_requests_get_exact_errors_and_leave_other_sessions_alone() {
    let node = start_node().await;
    for via in BOTH {
        let mut bystander = node.connect(via).await;
        assert_eq!(
            binary(&mut bystander, &v2::is_alive(None))
                .await
                .message_type,
            "IsAlive"
        );
        let mut c = node.connect(via).await;
        for case in bad_cases() {
            c.write(&frame(case.encoding, &case.payload)).await;
            let bytes = c.answer().await;
            let a = if case.encoding == 3 {
                v2::read_binary(&bytes)
            } else {
                v2::read_json(&bytes)
            };
            let Some((code, category, message)) = a.error.clone() else {
                panic!("{}: not an error: {a:?}", case.name);
            };
            assert_eq!(code, case.code, "{}: {message}", case.name);
            let expected_category = if code == 5 { 3 } else { 1 };
            assert_eq!(category, expected_category, "{}", case.name);
            assert_eq!(message, case.message, "{}", case.name);
            // The same session goes on.
            assert_eq!(
                binary(&mut c, &v2::is_alive(None)).await.message_type,
                "IsAlive"
            );
        }
        // The other session and a fresh one are unaffected.
        let a = binary(&mut bystander, &v2::account_weight(None, GENESIS)).await;
        assert_eq!(a.voting_weight.as_deref(), Some(SUPPLY));
        let mut fresh = node.connect(via).await;
        let a = json(&mut fresh, r#"{"message_type":"IsAlive","message":{}}"#).await;
        assert_eq!(a.message_type, "IsAlive");
    }
}

#[tokio::test]
async fn unknown_json_fields_are_skipped_by_default() {
    let node = start_node().await;
    let mut c = node.connect(Via::Tcp).await;
    let a = json(
        &mut c,
        r#"{"message_type":"IsAlive","message":{"extra":1},"future_field":[1,2]}"#,
    )
    .await;
    assert_eq!(a.message_type, "IsAlive");
}

#[tokio::test]
async fn pipelined_requests_in_all_four_encodings_are_answered_in_order() {
    let node = start_node().await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        let mut bytes = Vec::new();
        for i in 0..40u32 {
            let id = format!("p{i}");
            match i % 4 {
                0 => bytes.extend(frame(1, br#"{"action":"block_count"}"#)),
                1 => bytes.extend(frame(
                    2,
                    format!(r#"{{"action":"account_weight","account":"{GENESIS}"}}"#).as_bytes(),
                )),
                2 => bytes.extend(frame(3, &v2::is_alive(Some(&id)))),
                _ => bytes.extend(frame(
                    4,
                    format!(
                        r#"{{"correlation_id":"{id}","message_type":"AccountWeight","message":{{"account":"{GENESIS}"}}}}"#
                    )
                    .as_bytes(),
                )),
            }
        }
        c.write(&bytes).await;
        for i in 0..40u32 {
            let id = format!("p{i}");
            let answer = c.answer().await;
            match i % 4 {
                0 => assert_eq!(
                    answer,
                    b"{\n    \"count\": \"1\",\n    \"unchecked\": \"0\",\n    \"cemented\": \"1\"\n}\n"
                ),
                1 => assert_eq!(
                    String::from_utf8(answer).unwrap(),
                    format!("{{\n    \"weight\": \"{SUPPLY}\"\n}}\n")
                ),
                2 => {
                    let a = v2::read_binary(&answer);
                    assert_eq!(a.message_type, "IsAlive");
                    assert_eq!(a.correlation_id, Some(id));
                }
                _ => {
                    let a = v2::read_json(&answer);
                    assert_eq!(a.voting_weight.as_deref(), Some(SUPPLY));
                    assert_eq!(a.correlation_id, Some(id));
                }
            }
        }
    }
}

/// A small legal buffer can point thousands of vector entries at one string, so that reading it
/// would expand to megabytes; the verifier's apparent-size bound (tied to the frame's length)
/// refuses it, and the session goes on.
#[tokio::test]
async fn a_buffer_that_reads_much_larger_than_it_is_is_refused() {
    use nanoipc::schema::*;
    // 4096 vector entries pointing at one 2 KiB string: a 16 KiB buffer that would read as 8 MiB.
    let fan_out = v2::envelope(None, Message::TopicConfirmation, |fbb| {
        let s = fbb.create_string(&"x".repeat(2048));
        let accounts = fbb.create_vector(&vec![s; 4096]);
        let options = TopicConfirmationOptions::create(
            fbb,
            &TopicConfirmationOptionsArgs {
                accounts: Some(accounts),
                ..Default::default()
            },
        );
        Some(
            TopicConfirmation::create(
                fbb,
                &TopicConfirmationArgs {
                    options: Some(options),
                    ..Default::default()
                },
            )
            .as_union_value(),
        )
    });
    let (node, _ledger) = start_ledger_node_with(|c| c.max_request_size = 64 * 1024).await;
    let mut c = node.connect(Via::Local).await;
    let answer = binary(&mut c, &fan_out).await;
    let (code, _, message) = answer.error.expect("an Error answer");
    assert_eq!(code, 1);
    assert!(message.ends_with("Apparent size too large"), "{message}");
    assert_eq!(
        binary(&mut c, &v2::is_alive(None)).await.message_type,
        "IsAlive"
    );
}
