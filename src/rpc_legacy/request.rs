//! RPC 1.0 request parsing, with nano-node's property-tree semantics: the body is one JSON object
//! whose scalars all become text (`5` → `"5"`, `true` → `"true"`, `null` → `"null"`), key order is
//! kept, and for duplicate keys the first one wins. Typed readers follow legacy-rpc §2 (bool options
//! that silently fall back to their default, strtoull-style counts, strict decimal amounts).
//! Pure functions over bytes; no I/O.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::tree::Tree;
use super::LegacyError;

/// A parsed request: the top-level object's children, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyRequest {
    tree: Tree,
}

impl LegacyRequest {
    /// Parse a request body. Anything that is not a JSON object is `Unable to parse JSON`.
    pub fn parse(body: &[u8]) -> Result<Self, LegacyError> {
        // Arrays and objects both parse to children; only an object is a request.
        let first = body
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        if first != Some(&b'{') {
            return Err(LegacyError::UnableToParse);
        }
        let tree: Tree = serde_json::from_slice::<TreeDe>(body)
            .map_err(|_| LegacyError::UnableToParse)?
            .0;
        match tree {
            Tree::Children(_) => Ok(LegacyRequest { tree }),
            Tree::Text(_) => Err(LegacyError::UnableToParse),
        }
    }

    /// The request as a property tree.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The `action` text; missing is `Unable to parse JSON`.
    pub fn action(&self) -> Result<&str, LegacyError> {
        self.required("action")
    }

    /// The text of `key` (first occurrence), if present. An object or array reads as `""`, as a
    /// property tree's `get<std::string>` does.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.tree.get(key).map(|node| match node {
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

/// Deserialize JSON into a [`Tree`] the way Boost's JSON parser fills a property tree.
struct TreeDe(Tree);

impl<'de> Deserialize<'de> for TreeDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor).map(TreeDe)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::text(if v { "true" } else { "false" }))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::text(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::text(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::text(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Tree, E> {
        Ok(Tree::Text(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::text("null"))
    }
    fn visit_none<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::text("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(TreeDe(t)) = seq.next_element()? {
            items.push((String::new(), t));
        }
        Ok(Tree::Children(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some((k, TreeDe(v))) = map.next_entry::<String, TreeDe>()? {
            items.push((k, v));
        }
        Ok(Tree::Children(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn non_objects_and_bad_json_are_unable_to_parse() {
        for body in [&b"[1]"[..], b"\"s\"", b"{", b"", b"{\"action\":}", b"\xff"] {
            assert_eq!(
                LegacyRequest::parse(body).unwrap_err(),
                LegacyError::UnableToParse
            );
        }
        let no_action = LegacyRequest::parse(b"{}").unwrap();
        assert_eq!(no_action.action().unwrap_err(), LegacyError::UnableToParse);
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
