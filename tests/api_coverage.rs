//! Every request of the schema's `NanoApi` service is either served by the node or listed in
//! `nanoipc::api::UNSERVED` — never silently "not implemented", and never listed while served.
//!
//! Each method in the generated `METHODS` is sent through the real v2 path (an in-process node, IPC
//! encodings 3 and 4, `RequestCore` → `api::v2`) with a minimal request derived from the schema:
//! starting from `{}`, every required field the JSON codec reports missing is filled (a string
//! first, a table if a string does not fit). A request appended to the schema is covered without
//! editing this test.

mod client_support;

use client_support::*;
use nanoipc::api::UNSERVED;
use nanoipc::client::{encode_named, CallOptions, Client, ClientError, V2Answer, WireEncoding};
use nanoipc::ipc::Encoding;
use nanoipc::schema::dispatch::message_name;
use nanoipc::schema::{MethodInfo, METHODS};

/// The `Not implemented` error code (docs/errors.md).
const NOT_IMPLEMENTED: i32 = 5;

/// The smallest JSON message for `method` that the schema accepts.
fn minimal_request(method: &MethodInfo, wire: WireEncoding) -> (String, Vec<u8>) {
    let opts = CallOptions {
        encoding: wire,
        ..CallOptions::default()
    };
    let table = message_name(method.request).expect("a request is a union member");
    let mut fields: Vec<(String, &str)> = Vec::new();
    // Each round fills one missing field; a schema has far fewer required fields than this.
    for _ in 0..64 {
        let json = format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(f, v)| format!("{f:?}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let err = match encode_named(&opts, method.name, &json) {
            Ok(r) => return (json, r.prepared.bytes),
            Err(e) => e.to_string(),
        };
        let missing = format!(" in {table}");
        if let Some(field) = err
            .split("required field is missing: ")
            .nth(1)
            .and_then(|rest| rest.split(&missing).next())
            .filter(|f| !f.contains(' '))
        {
            fields.push((field.to_owned(), r#""x""#));
            continue;
        }
        // The last field filled with a string wanted another type: try an empty table, then an
        // empty vector.
        match fields.last_mut() {
            Some(last) if last.1 == r#""x""# => last.1 = "{}",
            Some(last) if last.1 == "{}" => last.1 = "[]",
            _ => panic!(
                "cannot derive a minimal {} request from the schema ({json}): {err}",
                method.name
            ),
        }
    }
    panic!("{}: too many required fields", method.name)
}

#[tokio::test]
async fn every_schema_request_is_served_or_listed_as_unserved() {
    assert!(!METHODS.is_empty());
    for name in UNSERVED {
        assert!(
            METHODS.iter().any(|m| m.name == *name),
            "UNSERVED lists {name}, which is not a request of the schema"
        );
    }
    let node = start_api_node().await;
    let target = &node.targets()[0];
    for (wire, encoding) in [
        (WireEncoding::Binary, Encoding::Flatbuffers),
        (WireEncoding::Json, Encoding::FlatbuffersJson),
    ] {
        let mut client = Client::connect(target).await.unwrap();
        for method in METHODS {
            let (json, payload) = minimal_request(method, wire);
            let raw = client.request(encoding, &payload).await.unwrap();
            let answer: Result<V2Answer, ClientError> = V2Answer::decode(wire, &raw);
            let answer = answer.unwrap_or_else(|e| panic!("{}: {e}", method.name));
            let ctx = format!("{} {json} ({wire:?})", method.name);
            let listed = UNSERVED.contains(&method.name);
            match answer.error() {
                Some(e) if e.code == NOT_IMPLEMENTED => {
                    assert!(
                        listed,
                        "{ctx} answers Not implemented but is not listed in api::UNSERVED: {:?}",
                        e.message
                    );
                    assert_eq!(
                        e.message.as_deref(),
                        Some(format!("Not implemented: {}", method.name).as_str()),
                        "{ctx}"
                    );
                }
                other => {
                    assert!(
                        !listed,
                        "{ctx} is listed in api::UNSERVED but is served: {other:?}"
                    );
                    // Served: either the declared answer, or a request error about the minimal
                    // request's content (e.g. "Bad account number"), never a wrong answer type.
                    if other.is_none() {
                        assert_eq!(answer.message_type(), method.response, "{ctx}");
                    }
                }
            }
        }
    }
}

#[test]
fn minimal_requests_fill_required_fields() {
    let weight = METHODS.iter().find(|m| m.name == "AccountWeight").unwrap();
    assert_eq!(
        minimal_request(weight, WireEncoding::Json).0,
        r#"{"account": "x"}"#
    );
    let alive = METHODS.iter().find(|m| m.name == "IsAlive").unwrap();
    assert_eq!(minimal_request(alive, WireEncoding::Binary).0, "{}");
}
