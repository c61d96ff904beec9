//! Fuzz the RPC 1.0 request parser (`LegacyRequest::parse`) and the Boost-style printer behind it.
//! For arbitrary bytes:
//! - parsing never panics, however deep or large the input;
//! - it agrees with serde_json: what it accepts is JSON (ignoring number ranges, which a property
//!   tree keeps as text), and every JSON object nested at most 16 deep is accepted, with the same
//!   strings, literals and structure wherever keys do not repeat (a property tree keeps the first
//!   of repeated keys, serde_json the last);
//! - the typed readers never panic on any member;
//! - printing the tree as nano-node does and parsing that again gives the same tree, except that
//!   an empty object or array below the root prints (and so reads back) as `""`.
//!
//! Run with `cargo +nightly fuzz run legacy_parse` from the repository root.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nanoipc::rpc_legacy::request::{parse_amount, parse_u64_strtoull};
use nanoipc::rpc_legacy::{LegacyRequest, Tree};
use serde_json::Value;

/// The parser's documented nesting bound (`MAX_DEPTH` in `src/rpc_legacy/request.rs`).
const MAX_DEPTH: usize = 16;
/// The prefix of serde_json's private magic keys.
const MAGIC: &str = "$serde_json::private::";

fuzz_target!(|data: &[u8]| {
    let parsed = LegacyRequest::parse(data);
    let value = serde_json::from_slice::<Value>(data);
    if let Ok(Value::Object(_)) = &value {
        let v = value.as_ref().ok();
        if v.is_some_and(|v| depth(v) <= MAX_DEPTH) {
            assert!(
                parsed.is_ok(),
                "a JSON object within the depth bound is refused"
            );
        }
    }
    let Ok(req) = parsed else {
        return;
    };
    assert!(
        serde_json::from_slice::<serde::de::IgnoredAny>(data).is_ok(),
        "accepted text that is not JSON"
    );
    // serde_json reads `$serde_json::private::…` keys as its own tokens, not as keys: there it
    // is no reference (the parser's unit tests cover those keys).
    let magic = data
        .windows(MAGIC.len())
        .any(|w| w == MAGIC.as_bytes());
    if let (Ok(v), false) = (&value, magic) {
        assert!(
            same_shape(req.tree(), v),
            "tree differs from serde_json's reading"
        );
    }

    let _ = req.action();
    if let Tree::Children(children) = req.tree() {
        for (key, _) in children {
            let _ = req.bool_option(key, false);
            let _ = req.count_optional(key, 0);
            let _ = req.count_required(key);
            if let Some(text) = req.text(key) {
                let _ = parse_u64_strtoull(text);
                let _ = parse_amount(text);
            }
        }
    }
    let _ = req.offset();

    let printed = req.tree().to_json();
    let again = LegacyRequest::parse(printed.as_bytes())
        .unwrap_or_else(|e| panic!("printed tree does not parse: {e}\n{printed}"));
    assert_eq!(again.tree(), &below_root(req.tree()), "{printed}");
});

/// Container nesting of a JSON value (a scalar is 0, `{}` is 1).
fn depth(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Whether the tree reads `v` as a property tree should: strings unescaped, `true`/`false`/`null`
/// as their literal, containers member by member. Numbers keep their literal text, which
/// serde_json does not keep, so any text matches a number; an object whose keys repeat is not
/// compared (first wins in the tree, last in serde_json).
fn same_shape(tree: &Tree, v: &Value) -> bool {
    match (tree, v) {
        (Tree::Text(t), Value::String(s)) => t == s,
        (Tree::Text(t), Value::Bool(b)) => t == if *b { "true" } else { "false" },
        (Tree::Text(t), Value::Null) => t == "null",
        (Tree::Text(t), Value::Number(_)) => !t.is_empty(),
        (Tree::Children(c), Value::Array(items)) => {
            c.len() == items.len()
                && c.iter()
                    .zip(items)
                    .all(|((k, t), v)| k.is_empty() && same_shape(t, v))
        }
        (Tree::Children(c), Value::Object(map)) => {
            let mut keys: Vec<&str> = c.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            if keys.len() != c.len() {
                return keys.len() == map.len();
            }
            c.len() == map.len()
                && c.iter()
                    .zip(map)
                    .all(|((k, t), (mk, v))| k == mk && same_shape(t, v))
        }
        _ => false,
    }
}

/// The tree as printing then parsing returns it: below the root, a childless container becomes
/// the empty string (Boost prints it as `""`).
fn below_root(tree: &Tree) -> Tree {
    fn child(t: &Tree) -> Tree {
        match t {
            Tree::Children(c) if c.is_empty() => Tree::text(""),
            Tree::Children(c) => {
                Tree::Children(c.iter().map(|(k, v)| (k.clone(), child(v))).collect())
            }
            Tree::Text(s) => Tree::text(s.as_str()),
        }
    }
    match tree {
        Tree::Children(c) => Tree::Children(c.iter().map(|(k, v)| (k.clone(), child(v))).collect()),
        Tree::Text(s) => Tree::text(s.as_str()),
    }
}
