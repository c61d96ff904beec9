//! What the load tool checks in answers: the full probe check ([`check_answer`]) before the timed
//! run, and a cheap per-answer check ([`Expect`]) during it, so that error answers are counted as
//! errors rather than measured as fast successes.
//!
//! The per-answer check reads only what it needs:
//! - encoding 3: the envelope is verified (the only sound way to read it) and its union tag
//!   compared with the probe's; no field is unpacked.
//! - encoding 4: serde_json reads the top-level object into a struct with one borrowed field,
//!   `message_type`, skipping every other value without building it (`IgnoredAny`). This is a full
//!   JSON parse of the text, so nested or escaped text can never be mistaken for the key.
//! - encodings 1, 2: the same with one field, a top-level `error` key, whose presence marks
//!   nano-node's error answers.

use std::borrow::Cow;

use flatbuffers::VerifierOptions;
use serde::de::IgnoredAny;
use serde::Deserialize;

use super::BenchError;
use crate::client::{V2Answer, WireEncoding};
use crate::ipc::frame::Encoding;
use crate::schema::dispatch::message_name;
use crate::schema::{root_as_envelope_with_opts, Message};

/// Checks one answer to a request in `encoding`: a legacy answer (1, 2) must be JSON without an
/// `"error"` key, a v2 answer (3, 4) a valid envelope whose message is not an `Error`.
pub fn check_answer(encoding: Encoding, answer: &[u8]) -> Result<(), BenchError> {
    let bad = |reason: String| BenchError::BadAnswer {
        encoding: encoding as u8,
        reason,
    };
    let wire = match encoding {
        Encoding::JsonV1 | Encoding::JsonV1Unsafe => {
            let v: serde_json::Value =
                serde_json::from_slice(answer).map_err(|e| bad(format!("not JSON: {e}")))?;
            return match v.get("error") {
                Some(serde_json::Value::String(e)) => Err(BenchError::ErrorAnswer(e.clone())),
                Some(e) => Err(BenchError::ErrorAnswer(e.to_string())),
                None => Ok(()),
            };
        }
        Encoding::Flatbuffers => WireEncoding::Binary,
        Encoding::FlatbuffersJson => WireEncoding::Json,
    };
    let answer = V2Answer::decode(wire, answer).map_err(|e| bad(e.to_string()))?;
    match answer.error() {
        Some(e) => Err(BenchError::ErrorAnswer(format!(
            "Error {} (category {}): {}",
            e.code,
            e.category,
            e.message.as_deref().unwrap_or_default()
        ))),
        None => Ok(()),
    }
}

/// What every answer of a run must be to count as a success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Not checked (the echo server's answers are not protocol answers).
    Anything,
    /// A legacy JSON object without a top-level `error`.
    Legacy,
    /// A verified binary envelope carrying this message type.
    Binary(Message),
    /// A JSON envelope whose `message_type` is this name.
    Json(&'static str),
}

impl Expect {
    /// The expectation set by the probe's answer: the same message type (v2), or no error
    /// (legacy). A probe that is itself an error or unreadable makes every answer an error.
    pub fn from_probe(encoding: Encoding, probe: &[u8]) -> Expect {
        match encoding {
            Encoding::JsonV1 | Encoding::JsonV1Unsafe => Expect::Legacy,
            Encoding::Flatbuffers => Expect::Binary(binary_tag(probe).unwrap_or(Message::Error)),
            Encoding::FlatbuffersJson => Expect::Json(
                json_message_type(probe)
                    .and_then(|name| Message::from_name(&name))
                    .and_then(message_name)
                    .unwrap_or("Error"),
            ),
        }
    }

    /// True when `answer` counts as a success.
    pub fn accepts(self, answer: &[u8]) -> bool {
        match self {
            Expect::Anything => true,
            Expect::Legacy => legacy_is_success(answer),
            Expect::Binary(tag) => tag != Message::Error && binary_tag(answer) == Some(tag),
            Expect::Json(name) => {
                name != "Error" && json_message_type(answer).as_deref() == Some(name)
            }
        }
    }
}

/// The union tag of a binary envelope, if the buffer verifies.
fn binary_tag(answer: &[u8]) -> Option<Message> {
    // A node's answer, checked for soundness only: generous limits, as for the node's own output.
    let opts = VerifierOptions {
        max_depth: 64,
        max_tables: usize::MAX,
        max_apparent_size: usize::MAX,
        ignore_missing_null_terminator: false,
    };
    root_as_envelope_with_opts(&opts, answer)
        .ok()
        .map(|env| env.message_type())
}

/// The top-level `message_type` of a JSON envelope.
fn json_message_type(answer: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Head<'a> {
        #[serde(borrow)]
        message_type: Option<Cow<'a, str>>,
    }
    serde_json::from_slice::<Head<'_>>(answer)
        .ok()
        .and_then(|h| h.message_type)
        .map(Cow::into_owned)
}

/// A legacy answer is a success when it is a JSON object without a top-level `error` key (of any
/// value, `null` included).
fn legacy_is_success(answer: &[u8]) -> bool {
    /// Whether the key was there; its value is skipped unbuilt.
    #[derive(Default)]
    struct Present(bool);
    impl<'de> Deserialize<'de> for Present {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            IgnoredAny::deserialize(d).map(|_| Present(true))
        }
    }
    #[derive(Deserialize)]
    struct Head {
        #[serde(default)]
        error: Present,
    }
    matches!(
        serde_json::from_slice::<Head>(answer),
        Ok(Head {
            error: Present(false)
        })
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_errors_are_top_level_error_keys_only() {
        assert!(legacy_is_success(br#"{"count":"1","cemented":"1"}"#));
        assert!(legacy_is_success(
            br#"{"blocks":{"error":"x"},"note":"\"error\": 1"}"#
        ));
        assert!(!legacy_is_success(br#"{"error":"Unknown command"}"#));
        assert!(!legacy_is_success(br#"{"a":1,"error":null}"#));
        assert!(!legacy_is_success(br#"{"a":[1,{"b":2}],"error":{"c":3}}"#));
        assert!(!legacy_is_success(b"not json"));
        assert!(!legacy_is_success(b"[1]"));
    }

    #[test]
    fn json_envelopes_are_judged_by_their_top_level_message_type() {
        let alive =
            br#"{"time":1,"correlation_id":"message_type","message_type":"IsAlive","message":{}}"#;
        let expect = Expect::from_probe(Encoding::FlatbuffersJson, alive);
        assert_eq!(expect, Expect::Json("IsAlive"));
        assert!(expect.accepts(alive));
        // A nested key of the same name, or the name inside a string, is not the answer's type.
        assert!(!expect
            .accepts(br#"{"message_type":"Error","message":{"message_type":"IsAlive","code":5}}"#));
        assert!(!expect.accepts(br#"{"message_type":"Success","message":{}}"#));
        assert!(!expect.accepts(br#"{"message_type":"IsAlive""#));
        // An error probe makes every answer an error.
        let err = br#"{"message_type":"Error","message":{"code":1}}"#;
        let expect = Expect::from_probe(Encoding::FlatbuffersJson, err);
        assert!(!expect.accepts(err));
    }
}
