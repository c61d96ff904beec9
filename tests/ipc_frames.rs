//! Framing and request errors over both transports, with a raw-byte client: every bad input gets its
//! exact answer or a close, and a second session proves it was not affected.

mod support;

use support::*;

const ECHO: &str = r#"{"action":"echo","value":"x/y"}"#;
const ECHO_ANSWER: &str = "{\n    \"value\": \"x\\/y\"\n}\n";

/// A session opened before the bad one must still work afterwards, and a new one must too.
async fn assert_unaffected(node: &TestNode, via: Via, mut bystander: Raw) {
    assert_eq!(bystander.call(1, ECHO).await, ECHO_ANSWER);
    let mut fresh = node.connect(via).await;
    assert_eq!(fresh.call(1, ECHO).await, ECHO_ANSWER);
}

#[tokio::test]
async fn legacy_request_errors_are_answered_and_the_session_goes_on() {
    let node = start_node().await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        assert_eq!(c.call(1, ECHO).await, ECHO_ANSWER);
        assert_eq!(
            c.call(1, "{not json").await,
            legacy_error("Unable to parse JSON")
        );
        assert_eq!(c.call(1, "").await, legacy_error("Unable to parse JSON"));
        assert_eq!(
            c.call(1, r#"{"value":"1"}"#).await,
            legacy_error("Unable to parse JSON")
        );
        assert_eq!(
            c.call(1, r#"{"action":"echo"}"#).await,
            legacy_error("Unable to parse JSON")
        );
        assert_eq!(
            c.call(1, r#"{"action":"nope"}"#).await,
            legacy_error("Unknown command")
        );
        assert_eq!(
            c.call(2, r#"{"action":"nothing"}"#).await,
            legacy_error("Empty response")
        );
        // Control actions run over either legacy encoding: nano-node's IPC has no control gate.
        for encoding in [1, 2] {
            assert_eq!(
                c.call(encoding, r#"{"action":"work_cancel","hash":"x"}"#)
                    .await,
                legacy_error("Invalid block hash")
            );
            assert_eq!(
                c.call(encoding, r#"{"action":"work_cancel","hash":"AB"}"#)
                    .await,
                "{\n    \"success\": \"\"\n}\n"
            );
        }
        // Still the same session.
        assert_eq!(c.call(2, ECHO).await, ECHO_ANSWER);
    }
}

#[tokio::test]
async fn answer_bytes_are_be32_length_then_payload() {
    let node = start_node().await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        c.write(&frame(1, br#"{"action":"nope"}"#)).await;
        let expected = legacy_error("Unknown command");
        let mut raw = vec![0u8; 4 + expected.len()];
        tokio::time::timeout(
            SAFETY,
            tokio::io::AsyncReadExt::read_exact(&mut c.0, &mut raw),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(&raw[..4], &(expected.len() as u32).to_be_bytes());
        assert_eq!(&raw[4..], expected.as_bytes());
    }
}

#[tokio::test]
async fn bad_preambles_close_without_an_answer() {
    let node = start_node().await;
    let cases: [(&str, Vec<u8>); 6] = [
        ("wrong lead byte", b"X\x01\0\0\0\0\0\x02{}".to_vec()),
        ("lowercase n", b"n\x01\0\0\0\0\0\x02{}".to_vec()),
        ("reserved byte 1", b"N\x01\x01\0\0\0\0\x02{}".to_vec()),
        ("reserved byte 2", b"N\x01\0\x07\0\0\0\x02{}".to_vec()),
        ("encoding 0", b"N\x00\0\0\0\0\0\x02{}".to_vec()),
        ("encoding 5", b"N\x05\0\0\0\0\0\x02{}".to_vec()),
    ];
    for via in BOTH {
        for (name, bytes) in &cases {
            let bystander = node.connect(via).await;
            let mut bad = node.connect(via).await;
            bad.write(bytes).await;
            bad.expect_closed().await;
            eprintln!("{via:?} {name}: closed");
            assert_unaffected(&node, via, bystander).await;
        }
    }
}

#[tokio::test]
async fn bad_preamble_after_good_frames_answers_them_then_closes() {
    let node = start_node().await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        let mut bytes = frame(1, ECHO.as_bytes());
        bytes.extend_from_slice(b"GET / HTTP/1.1\r\n\r\n");
        c.write(&bytes).await;
        assert_eq!(c.answer_text().await, ECHO_ANSWER);
        c.expect_closed().await;
    }
}

#[tokio::test]
async fn huge_length_is_answered_too_large_in_its_encoding_then_closed() {
    let node = start_node().await; // max_request_size = 1024
    let too_large =
        |len: u32| format!("Request too large: {len} bytes exceeds max_request_size (1024 bytes)");
    for via in BOTH {
        for enc in [1u8, 2] {
            let bystander = node.connect(via).await;
            let mut c = node.connect(via).await;
            // Only the header: the server must answer without waiting for (or allocating) 4 GiB.
            c.write(&[b'N', enc, 0, 0, 0xff, 0xff, 0xff, 0xff]).await;
            assert_eq!(c.answer_text().await, legacy_error(&too_large(u32::MAX)));
            c.expect_closed().await;
            assert_unaffected(&node, via, bystander).await;
        }
        let bystander = node.connect(via).await;
        let mut c = node.connect(via).await;
        c.write(&[b'N', 4, 0, 0, 0, 0, 4, 1]).await; // 1025 bytes
        let a = v2::read_json(&c.answer().await);
        assert_eq!(a.message_type, "Error");
        assert_eq!(a.error, Some((6, 1, too_large(1025))));
        assert_eq!(a.correlation_id, None);
        c.expect_closed().await;
        assert_unaffected(&node, via, bystander).await;

        let bystander = node.connect(via).await;
        let mut c = node.connect(via).await;
        c.write(&[b'N', 3, 0, 0, 0x7f, 0, 0, 0]).await;
        let a = v2::read_binary(&c.answer().await);
        assert_eq!(a.message_type, "Error");
        assert_eq!(a.error, Some((6, 1, too_large(0x7f00_0000))));
        c.expect_closed().await;
        assert_unaffected(&node, via, bystander).await;
    }
}

#[tokio::test]
async fn exactly_max_request_size_is_accepted() {
    let node = start_node().await;
    let mut payload = format!(r#"{{"action":"echo","value":"{}"}}"#, "a".repeat(1024));
    payload.truncate(1024 - 2);
    payload.push_str("\"}");
    assert_eq!(payload.len(), 1024);
    for via in BOTH {
        let mut c = node.connect(via).await;
        let answer = c.call(1, &payload).await;
        assert!(answer.starts_with("{\n    \"value\": \"aaa"), "{answer}");
    }
}

#[tokio::test]
async fn truncated_frame_then_close_ends_only_that_session() {
    let node = start_node().await;
    for via in BOTH {
        let bystander = node.connect(via).await;
        for cut in [1usize, 3, 6, 8, 12] {
            let mut c = node.connect(via).await;
            let bytes = frame(1, ECHO.as_bytes());
            c.write(&bytes[..cut]).await;
            tokio::io::AsyncWriteExt::shutdown(&mut c.0).await.unwrap();
            c.expect_closed().await;
        }
        assert_unaffected(&node, via, bystander).await;
    }
}

#[tokio::test]
async fn frames_split_across_writes_are_reassembled() {
    let node = start_node().await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        let bytes = frame(1, ECHO.as_bytes());
        for chunk in bytes.chunks(3) {
            c.write(chunk).await;
            tokio::io::AsyncWriteExt::flush(&mut c.0).await.unwrap();
        }
        assert_eq!(c.answer_text().await, ECHO_ANSWER);
    }
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order() {
    let node = start_node().await;
    for via in BOTH {
        let mut c = node.connect(via).await;
        let mut bytes = Vec::new();
        for i in 0..200 {
            let body = if i % 10 == 9 {
                r#"{"action":"nope"}"#.to_owned()
            } else {
                format!(r#"{{"action":"echo","value":"{i}"}}"#)
            };
            bytes.extend_from_slice(&frame(1 + (i % 2) as u8, body.as_bytes()));
        }
        c.write(&bytes).await;
        for i in 0..200 {
            let expected = if i % 10 == 9 {
                legacy_error("Unknown command")
            } else {
                format!("{{\n    \"value\": \"{i}\"\n}}\n")
            };
            assert_eq!(c.answer_text().await, expected, "answer {i}");
        }
    }
}

#[tokio::test]
async fn large_request_and_answer_stream_through() {
    let node = start_node_with(|c| c.max_request_size = 1 << 20).await;
    let value = "v".repeat(600_000);
    let body = format!(r#"{{"action":"echo","value":"{value}"}}"#);
    for via in BOTH {
        let mut c = node.connect(via).await;
        // Twice on the same session: the buffers shrink back and grow again.
        for _ in 0..2 {
            let answer = c.call(1, &body).await;
            assert_eq!(answer, format!("{{\n    \"value\": \"{value}\"\n}}\n"));
        }
    }
}
