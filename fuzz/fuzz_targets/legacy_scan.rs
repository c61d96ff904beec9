//! Fuzz target: arbitrary bytes → the legacy RPC 1.0 parser, both ways the node can read a body.
//! `LegacyRequest::parse` builds every key; `LegacyRequest::parse_for` first scans for the action
//! and then builds only the keys the action declares. Beyond "no panic", the two must agree:
//! the same bodies are accepted, the scan finds the same `action` text as the whole parse, and
//! every declared key reads the same in both (unless building every key ran over the parse
//! budget, which building a few may not).
#![no_main]

use nanoipc::rpc_legacy::{LegacyError, LegacyRequest};

/// The keys the fuzzed "action" declares: a scalar, a list, an object and one absent key.
const KEYS: &[&str] = &["hash", "accounts", "block", "count", "action"];

fn check(data: &[u8]) {
    let whole = LegacyRequest::parse(data);
    if whole == Err(LegacyError::TooLarge) {
        // Building every key ran over the budget that building a few may stay within.
        return;
    }
    let mut seen = None;
    let scanned = LegacyRequest::parse_for(data, |name| {
        seen = Some(name.to_owned());
        if name == "unknown" {
            return Err(LegacyError::UnknownCommand);
        }
        Ok(((), KEYS))
    });
    match (&whole, &scanned) {
        (Err(a), Err(b)) => {
            // Invalid JSON is refused the same way by both, before any action is looked up.
            assert_eq!(a, b);
            assert!(seen.is_none(), "an invalid body reached the action lookup");
        }
        (Ok(w), Err(e)) => {
            let action = w.action();
            match e {
                LegacyError::UnknownCommand => assert_eq!(action.ok(), Some("unknown")),
                LegacyError::UnableToParse => assert!(action.is_err(), "scan missed the action"),
                other => panic!("unexpected error {other:?}"),
            }
        }
        (Err(e), Ok(_)) => panic!("the scan accepted a body the whole parse refuses: {e:?}"),
        (Ok(w), Ok(((), s))) => {
            assert_eq!(w.action().ok(), seen.as_deref());
            for key in KEYS {
                assert_eq!(w.tree().get(key), s.get(key), "{key}");
            }
        }
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| check(data));
