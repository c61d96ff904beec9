//! RPC 1.0 request parsing, with nano-node's property-tree semantics: the body is one JSON object
//! whose scalars all become text (`5` → `"5"`, `1e3` → `"1e3"`: numbers keep their literal text,
//! `true` → `"true"`, `null` → `"null"`), key order is kept, and for duplicate keys the first one wins. Typed readers follow legacy-rpc §2 (bool options
//! that silently fall back to their default, strtoull-style counts, strict decimal amounts).
//! Pure functions over bytes; no I/O.
//!
//! A request's cost follows its size with a small constant (issue 8): [`LegacyRequest::parse_for`]
//! first scans the body without building anything but the `action` text (so a missing or unknown
//! action is refused for the price of one scan), then builds tree nodes only for the top-level keys
//! the action declared. Everything else is validated in place and dropped, never built: a 32 MiB
//! array under a key no action reads costs the body and a few small buffers.

use super::parse::{check_object, parse_container, ActionScan, Budget, TreeVisitor};
use super::tree::Tree;
use super::LegacyError;

/// A parsed request: the top-level object's children, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyRequest {
    tree: Tree,
    /// The top-level keys this request holds when it was built for one action
    /// ([`LegacyRequest::parse_for`]); `None` when every key was kept ([`LegacyRequest::parse`]).
    /// Reading a key outside it is a bug in the action's declaration (the value would silently
    /// read as absent), caught by a debug assertion that every action's tests run with.
    declared: Option<&'static [&'static str]>,
}

impl LegacyRequest {
    /// Parse a whole request body, keeping every key (duplicates included), within the same
    /// budget as [`LegacyRequest::parse_for`] (it also reads the block JSON nested in a `block`
    /// string). Anything that is not a JSON object is `Unable to parse JSON`. The request path
    /// uses [`LegacyRequest::parse_for`].
    pub fn parse(body: &[u8]) -> Result<Self, LegacyError> {
        check_object(body)?;
        let mut de = serde_json::Deserializer::from_slice(body);
        let budget = Budget::for_body(body.len());
        let tree = parse_container(&mut de, 1, TreeVisitor::all(1, &budget))
            .map_err(|_| budget.refusal())?;
        Ok(LegacyRequest {
            tree,
            declared: None,
        })
    }

    /// Parse a request for the action it names, in two passes over the body. The first validates
    /// the whole body (as [`LegacyRequest::parse`] would) while building nothing but the first
    /// `action` text; `lookup` maps that name to the action and the top-level keys it reads (an
    /// unknown name fails here, before anything is built). The second builds those keys only (first
    /// occurrence each), within a budget of about twice the body ([`LegacyError::TooLarge`] past
    /// it). Errors: invalid JSON or no `action` is `Unable to parse JSON`, and whatever `lookup`
    /// returns.
    pub fn parse_for<T>(
        body: &[u8],
        lookup: impl FnOnce(&str) -> Result<(T, &'static [&'static str]), LegacyError>,
    ) -> Result<(T, Self), LegacyError> {
        check_object(body)?;
        let mut de = serde_json::Deserializer::from_slice(body);
        let action = parse_container(&mut de, 1, ActionScan)
            .map_err(|_| LegacyError::UnableToParse)?
            .ok_or(LegacyError::UnableToParse)?;
        let (found, keys) = lookup(&action)?;
        drop(action);
        // The body is known to be valid: the second pass only picks out the declared keys.
        let mut de = serde_json::Deserializer::from_slice(body);
        let budget = Budget::for_body(body.len());
        let tree = parse_container(&mut de, 1, TreeVisitor::only(keys, &budget))
            .map_err(|_| budget.refusal())?;
        let req = LegacyRequest {
            tree,
            declared: Some(keys),
        };
        Ok((found, req))
    }

    /// The request as a property tree (every key kept only when parsed with
    /// [`LegacyRequest::parse`]).
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The first value of the top-level `key`, as a property tree node.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        if let Some(declared) = self.declared {
            debug_assert!(
                declared.contains(&key),
                "legacy action reads `{key}` but declares only {declared:?}"
            );
        }
        self.tree.get(key)
    }

    /// The `action` text; missing is `Unable to parse JSON`.
    pub fn action(&self) -> Result<&str, LegacyError> {
        self.required("action")
    }

    /// The text of `key` (first occurrence), if present. An object or array reads as `""`, as a
    /// property tree's `get<std::string>` does.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).map(|node| match node {
            Tree::Text(t) => t.as_str(),
            Tree::Children(_) => "",
        })
    }

    /// The text of a required parameter; missing is `Unable to parse JSON`.
    pub fn required(&self, key: &str) -> Result<&str, LegacyError> {
        self.text(key).ok_or(LegacyError::UnableToParse)
    }

    /// A bool option: `"1"`/`"true"` and `"0"`/`"false"` (surrounding whitespace tolerated); any
    /// other text, or absence, gives `default` without an error (nano-node's behaviour).
    pub fn bool_option(&self, key: &str, default: bool) -> bool {
        match self.text(key).map(str::trim) {
            Some("1") | Some("true") => true,
            Some("0") | Some("false") => false,
            _ => default,
        }
    }

    /// A required count (`Invalid count` on bad text or zero; missing is `Unable to parse JSON`).
    pub fn count_required(&self, key: &str) -> Result<u64, LegacyError> {
        match parse_u64_strtoull(self.required(key)?) {
            Some(0) | None => Err(LegacyError::message("Invalid count")),
            Some(n) => Ok(n),
        }
    }

    /// An optional count (zero allowed), `default` when absent.
    pub fn count_optional(&self, key: &str, default: u64) -> Result<u64, LegacyError> {
        match self.text(key) {
            None => Ok(default),
            Some(t) => parse_u64_strtoull(t).ok_or_else(|| LegacyError::message("Invalid count")),
        }
    }

    /// The `offset` option (default 0; `Invalid offset`).
    pub fn offset(&self) -> Result<u64, LegacyError> {
        match self.text("offset") {
            None => Ok(0),
            Some(t) => parse_u64_strtoull(t).ok_or_else(|| LegacyError::message("Invalid offset")),
        }
    }
}

/// A u64 read with `strtoull` rules as nano-node uses them: leading whitespace and one sign allowed,
/// at least one digit, the whole string consumed, no overflow. A `-` negates modulo 2^64, as
/// `strtoull` does.
pub fn parse_u64_strtoull(text: &str) -> Option<u64> {
    let t = text.trim_start();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..)?),
        Some(b'+') => (false, t.get(1..)?),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u64 = digits.parse().ok()?;
    Some(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// A raw amount (u128 decimal): 1–39 digits, no leading zero unless exactly `0`, ≤ 2^128−1.
pub fn parse_amount(text: &str) -> Option<u128> {
    if text.is_empty()
        || text.len() > 39
        || !text.bytes().all(|b| b.is_ascii_digit())
        || (text.len() > 1 && text.starts_with('0'))
    {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::parse::MAX_DEPTH;
    use super::super::Keys;
    use super::*;

    /// serde_json gives `$serde_json::private::…` keys a meaning of their own; to a property tree
    /// (and nano-node) they are keys like any other.
    #[test]
    fn serde_json_magic_keys_are_plain_keys() {
        for key in [
            "$serde_json::private::RawValue",
            "$serde_json::private::Number",
        ] {
            let body = format!(r#"{{"{key}":"0","action":"x"}}"#);
            let req = LegacyRequest::parse(body.as_bytes()).unwrap();
            assert_eq!(req.text(key), Some("0"), "{key}");
            assert_eq!(req.action(), Ok("x"));
        }
    }

    #[test]
    fn scalars_become_text_and_first_duplicate_wins() {
        let r = LegacyRequest::parse(
            br#"{"action":"x","n":5,"b":true,"z":null,"o":{"a":1},"action":"y"}"#,
        )
        .unwrap();
        assert_eq!(r.action().unwrap(), "x");
        assert_eq!(r.text("n"), Some("5"));
        assert_eq!(r.text("b"), Some("true"));
        assert_eq!(r.text("z"), Some("null"));
        assert_eq!(r.text("o"), Some(""));
        assert_eq!(r.text("missing"), None);
    }

    #[test]
    fn numbers_keep_their_literal_text() {
        let r = LegacyRequest::parse(
            br#"{"e":1e3,"f":5.0,"big":100000000000000000000000000001,"neg":-0,"E":2E+02,"m":-12.50e-1}"#,
        )
        .unwrap();
        assert_eq!(r.text("e"), Some("1e3"));
        assert_eq!(r.text("f"), Some("5.0"));
        assert_eq!(r.text("big"), Some("100000000000000000000000000001"));
        assert_eq!(r.text("neg"), Some("-0"));
        assert_eq!(r.text("E"), Some("2E+02"));
        assert_eq!(r.text("m"), Some("-12.50e-1"));
        // So a count sent as a float literal is refused as nano-node refuses it, not read as 1000.
        assert_eq!(
            r.count_required("e").unwrap_err(),
            LegacyError::message("Invalid count")
        );
    }

    #[test]
    fn strings_are_unescaped_and_literals_kept() {
        let r =
            LegacyRequest::parse(br#"{"s":"a\"b\u00e9\/","t":true,"f":false,"z":null,"n":"5.0"}"#)
                .unwrap();
        assert_eq!(r.text("s"), Some("a\"b\u{e9}/"));
        assert_eq!(r.text("t"), Some("true"));
        assert_eq!(r.text("f"), Some("false"));
        assert_eq!(r.text("z"), Some("null"));
        assert_eq!(r.text("n"), Some("5.0"));
    }

    #[test]
    fn nested_containers_keep_order_duplicates_and_literals() {
        let r = LegacyRequest::parse(
            br#"{"action":"a","o":{"k":1.10,"k":2,"arr":[1e2,"x",[true],{}]},"l":[]}"#,
        )
        .unwrap();
        let expected = Tree::Children(vec![
            ("action".into(), Tree::text("a")),
            (
                "o".into(),
                Tree::Children(vec![
                    ("k".into(), Tree::text("1.10")),
                    ("k".into(), Tree::text("2")),
                    (
                        "arr".into(),
                        Tree::array([
                            Tree::text("1e2"),
                            Tree::text("x"),
                            Tree::array([Tree::text("true")]),
                            Tree::object(),
                        ]),
                    ),
                ]),
            ),
            ("l".into(), Tree::object()),
        ]);
        assert_eq!(r.tree(), &expected);
        assert_eq!(
            r.tree().get("o").and_then(|o| o.get("k")),
            Some(&Tree::text("1.10"))
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let nested = |depth: usize| {
            let mut body = String::from("{\"a\":");
            body.push_str(&"[".repeat(depth - 1));
            body.push('1');
            body.push_str(&"]".repeat(depth - 1));
            body.push('}');
            body
        };
        assert!(LegacyRequest::parse(nested(MAX_DEPTH).as_bytes()).is_ok());
        assert_eq!(
            LegacyRequest::parse(nested(MAX_DEPTH + 1).as_bytes()).unwrap_err(),
            LegacyError::UnableToParse
        );
        // Brackets inside strings (escaped quotes included) are text, not nesting.
        let text = format!(
            r#"{{"a":"\"{}","b":["{}"]}}"#,
            "[".repeat(40),
            "{".repeat(40)
        );
        assert_eq!(
            LegacyRequest::parse(text.as_bytes()).unwrap().text("a"),
            Some(format!("\"{}", "[".repeat(40)).as_str())
        );
        // Far deeper than the stack could recurse: refused, not a crash.
        assert_eq!(
            LegacyRequest::parse(nested(1_000_000).as_bytes()).unwrap_err(),
            LegacyError::UnableToParse
        );
    }

    #[test]
    fn non_objects_and_bad_json_are_unable_to_parse() {
        for body in [
            &b"[1]"[..],
            b"\"s\"",
            b"{",
            b"",
            b"{\"action\":}",
            b"\xff",
            b"{\"a\":1}x",
            b"{\"a\":01}",
            b"{\"a\":1.}",
            b"{\"a\":+1}",
            b"{\"a\":[1,]}",
            b"{\"a\":{\"b\":tru}}",
            b"{\"a\":\"\xff\"}",
        ] {
            assert_eq!(
                LegacyRequest::parse(body).unwrap_err(),
                LegacyError::UnableToParse
            );
        }
        let no_action = LegacyRequest::parse(b"{}").unwrap();
        assert_eq!(no_action.action().unwrap_err(), LegacyError::UnableToParse);
    }

    /// `parse_for` with a lookup that knows one action, `known`, reading `keys`.
    fn parse_for(body: &[u8], keys: Keys) -> Result<LegacyRequest, LegacyError> {
        LegacyRequest::parse_for(body, |name| match name {
            "known" => Ok(((), keys)),
            _ => Err(LegacyError::UnknownCommand),
        })
        .map(|((), req)| req)
    }

    #[test]
    fn action_is_looked_up_before_anything_is_built() {
        let junk = format!(r#"{{"action":"nope","a":[{}1]}}"#, "1,".repeat(100_000));
        assert_eq!(
            parse_for(junk.as_bytes(), &[]).unwrap_err(),
            LegacyError::UnknownCommand
        );
        // The whole body is still checked first, as nano-node parses it before the lookup.
        assert_eq!(
            parse_for(br#"{"action":"nope","a":[1,]}"#, &[]).unwrap_err(),
            LegacyError::UnableToParse
        );
        let deep = format!(
            r#"{{"action":"known","a":{}1{}}}"#,
            "[".repeat(20),
            "]".repeat(20)
        );
        assert_eq!(
            parse_for(deep.as_bytes(), &[]).unwrap_err(),
            LegacyError::UnableToParse
        );
        for body in [&br#"{"a":1}"#[..], br#"{"action":{"x":1}}"#, br#"[1]"#] {
            assert!(parse_for(body, &[]).is_err());
        }
        // The first `action` wins, escapes included; a container reads as "" (unknown).
        assert!(parse_for(br#"{"act\u0069on":"known","action":"nope"}"#, &[]).is_ok());
        assert_eq!(
            parse_for(br#"{"action":["known"]}"#, &[]).unwrap_err(),
            LegacyError::UnknownCommand
        );
    }

    #[test]
    fn only_declared_keys_are_built_first_occurrence_each() {
        let req = parse_for(
            br#"{"b":[1,2],"a":"1","action":"known","a":"2","c":{"d":1e3}}"#,
            &["a", "c", "missing"],
        )
        .unwrap();
        assert_eq!(
            req.tree(),
            &Tree::Children(vec![
                ("a".into(), Tree::text("1")),
                (
                    "c".into(),
                    Tree::Children(vec![("d".into(), Tree::text("1e3"))])
                ),
            ])
        );
        assert_eq!(req.text("a"), Some("1"));
        assert_eq!(req.text("c"), Some(""));
        assert_eq!(req.text("missing"), None);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "declares only")]
    fn reading_an_undeclared_key_is_a_bug() {
        let req = parse_for(br#"{"action":"known","b":"1"}"#, &["a"]).unwrap();
        let _ = req.text("b");
    }

    #[test]
    fn what_an_action_reads_is_built_within_a_budget() {
        // A list of one-character items would cost ~30 times its text as a tree.
        let junk = format!(
            r#"{{"action":"known","hashes":[{}1]}}"#,
            "1,".repeat(100_000)
        );
        assert_eq!(
            parse_for(junk.as_bytes(), &["hashes"]).unwrap_err(),
            LegacyError::TooLarge
        );
        // Unread, it costs nothing; real hashes fit however many there are.
        assert!(parse_for(junk.as_bytes(), &[]).is_ok());
        let hash = format!("\"{}\",", "A".repeat(64));
        let real = format!(
            r#"{{"action":"known","hashes":[{}"{}"]}}"#,
            hash.repeat(20_000),
            "A".repeat(64)
        );
        let req = parse_for(real.as_bytes(), &["hashes"]).unwrap();
        assert!(matches!(req.get("hashes"), Some(Tree::Children(c)) if c.len() == 20_001));
    }

    #[test]
    fn bool_options_fall_back_silently() {
        let r = LegacyRequest::parse(br#"{"a":"1","b":" false ","c":"yes","d":true}"#).unwrap();
        assert!(r.bool_option("a", false));
        assert!(!r.bool_option("b", true));
        assert!(r.bool_option("c", true));
        assert!(!r.bool_option("c", false));
        assert!(r.bool_option("d", false));
        assert!(r.bool_option("e", true));
    }

    #[test]
    fn counts_follow_strtoull() {
        assert_eq!(parse_u64_strtoull(" 12"), Some(12));
        assert_eq!(parse_u64_strtoull("+3"), Some(3));
        assert_eq!(parse_u64_strtoull("-1"), Some(u64::MAX));
        assert_eq!(parse_u64_strtoull("12 "), None);
        assert_eq!(parse_u64_strtoull("1e3"), None);
        assert_eq!(parse_u64_strtoull("18446744073709551616"), None);
        let r = LegacyRequest::parse(br#"{"count":"0","c2":"x"}"#).unwrap();
        assert_eq!(
            r.count_required("count").unwrap_err(),
            LegacyError::message("Invalid count")
        );
        assert_eq!(r.count_optional("count", 9).unwrap(), 0);
        assert_eq!(r.count_optional("none", 9).unwrap(), 9);
        assert!(r.count_optional("c2", 9).is_err());
        assert_eq!(
            r.count_required("none").unwrap_err(),
            LegacyError::UnableToParse
        );
    }

    #[test]
    fn amounts_are_strict_decimal() {
        assert_eq!(parse_amount("0"), Some(0));
        assert_eq!(
            parse_amount("340282366920938463463374607431768211455"),
            Some(u128::MAX)
        );
        for bad in [
            "",
            "01",
            "-1",
            "1.5",
            "340282366920938463463374607431768211456",
            " 1",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }
}
