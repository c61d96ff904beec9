//! The serde machinery behind [`LegacyRequest`](super::LegacyRequest): one JSON object read the
//! way Boost's JSON parser fills a property tree, either whole ([`TreeVisitor::all`]), for chosen
//! top-level keys only ([`TreeVisitor::only`]), or for nothing but its `action` ([`ActionScan`]).
//!
//! Every member or element is first taken as a borrowed [`RawValue`] so a number keeps its literal
//! text (`1e3`, `5.0`, a 30-digit integer): serde's number visitors would hand over an already
//! converted `u64`/`f64` and lose it. Nested containers are parsed from their raw text, one level
//! deeper. Values nobody keeps are still checked to the same rules (so the two passes of
//! `parse_for` accept exactly what a whole parse accepts) but never built: skipping allocates
//! nothing per element, and the nesting limit is checked once, up front, by [`check_object`].

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::tree::Tree;
use super::LegacyError;

/// The deepest container nesting accepted (the top-level object is depth 1); deeper is `Unable to
/// parse JSON`. Each container's raw text is read again when it is parsed, so a byte at depth `d` is
/// scanned `d` times: the bound keeps that (and the recursion) small. Real requests nest at most
/// two deep (an object holding a block object or a list). nano-node sets no limit; refusing
/// deeper requests is a deliberate difference, and no action reads anything that deep.
pub(super) const MAX_DEPTH: usize = 16;

/// Arrays and objects both parse to children; only an object is a request. Nesting deeper than
/// [`MAX_DEPTH`] is refused here, in one pass over the bytes, before serde_json reads anything:
/// the parsers after it re-read each container's raw text one level deeper, and a body of
/// millions of nested `[` would otherwise cost a scan and a skip buffer per level.
pub(super) fn check_object(body: &[u8]) -> Result<(), LegacyError> {
    let first = body
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if first != Some(&b'{') || !nesting_within(body, MAX_DEPTH) {
        return Err(LegacyError::UnableToParse);
    }
    Ok(())
}

/// Whether no container in `body` is nested deeper than `max` (the outermost is depth 1). Exact
/// for valid JSON (brackets inside strings do not count); on invalid JSON it may say anything, and
/// the parse that follows refuses the body either way.
fn nesting_within(body: &[u8], max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in body {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// Parse the one JSON container `de` holds at nesting `depth` with `visitor`; trailing input or a
/// container nested deeper than [`MAX_DEPTH`] is an error.
pub(super) fn parse_container<'de, R, V>(
    de: &mut serde_json::Deserializer<R>,
    depth: usize,
    visitor: V,
) -> Result<V::Value, serde_json::Error>
where
    R: serde_json::de::Read<'de>,
    V: Visitor<'de>,
{
    if depth > MAX_DEPTH {
        return Err(de::Error::custom("JSON nested too deeply"));
    }
    let value = de.deserialize_any(visitor)?;
    de.end()?;
    Ok(value)
}

/// What building a request's tree may still cost, in estimated heap bytes: each node costs its
/// slot in its parent (`(String, Tree)`) plus its key and text bytes. A parse may spend
/// [`Budget::for_body`], so that what an action reads costs about twice the body at most (its `1,` list items would otherwise cost ~90 bytes each).
pub(super) struct Budget(Cell<usize>);

impl Budget {
    /// Twice the body plus 64 KiB (so small requests never run out). A list of 64-digit hashes
    /// or addresses costs about twice its text, so real requests fit up to nearly the largest
    /// request size; a list of one-character items costs 44 times its text and is refused.
    pub(super) fn for_body(len: usize) -> Self {
        Budget(Cell::new(len.saturating_mul(2).saturating_add(64 * 1024)))
    }

    /// The error for a parse that failed: `TooLarge` when it stopped because the budget ran out,
    /// else `Unable to parse JSON`.
    pub(super) fn refusal(&self) -> LegacyError {
        match self.0.get() {
            0 => LegacyError::TooLarge,
            _ => LegacyError::UnableToParse,
        }
    }

    fn charge<E: de::Error>(&self, key: &str, text: &str) -> Result<(), E> {
        let cost = std::mem::size_of::<(String, Tree)>() + heap(key.len()) + heap(text.len());
        match self.0.get().checked_sub(cost) {
            Some(left) => {
                self.0.set(left);
                Ok(())
            }
            None => {
                self.0.set(0);
                Err(E::custom("request too large once parsed"))
            }
        }
    }
}

/// What a string of `len` bytes takes from the allocator: nothing when empty, else a chunk of
/// at least 32 bytes in 16-byte steps with 8 bytes of header (glibc's malloc). One-character
/// items cost what they really cost, so junk lists meet the budget early.
fn heap(len: usize) -> usize {
    match len {
        0 => 0,
        n => n.saturating_add(8 + 15).max(32) & !15,
    }
}

/// The tree for one raw JSON value: strings unescaped, other scalars (numbers, `true`, `false`,
/// `null`) as their literal text, containers parsed recursively. `key` is the name it is stored
/// under, charged to `budget` with the value.
fn tree_from_raw(
    key: &str,
    raw: &RawValue,
    depth: usize,
    budget: &Budget,
) -> Result<Tree, serde_json::Error> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => {
            let value = serde_json::from_str::<String>(text)?;
            budget.charge(key, &value)?;
            Ok(Tree::Text(value))
        }
        Some(b'{' | b'[') => {
            budget.charge(key, "")?;
            let next = depth.saturating_add(1);
            let mut de = serde_json::Deserializer::from_str(text);
            parse_container(&mut de, next, TreeVisitor::all(next, budget))
        }
        _ => {
            budget.charge(key, text)?;
            Ok(Tree::text(text))
        }
    }
}

/// Which members of the container a [`TreeVisitor`] builds.
#[derive(Clone, Copy)]
enum Keep {
    /// Every member, duplicates included (lookups take the first, as in Boost).
    All,
    /// The first occurrence of each of these top-level keys; other members are not looked at
    /// again (the caller validated the body already).
    Only(&'static [&'static str]),
}

/// Builds the one container a [`parse_container`] call is given; anything else is not a tree.
pub(super) struct TreeVisitor<'b> {
    depth: usize,
    keep: Keep,
    budget: &'b Budget,
}

impl<'b> TreeVisitor<'b> {
    /// Build every member of a container at `depth`.
    pub(super) fn all(depth: usize, budget: &'b Budget) -> Self {
        TreeVisitor {
            depth,
            keep: Keep::All,
            budget,
        }
    }

    /// Build only the first occurrence of each of `keys` in a top-level object whose body was
    /// already validated (by an [`ActionScan`]).
    pub(super) fn only(keys: &'static [&'static str], budget: &'b Budget) -> Self {
        TreeVisitor {
            depth: 1,
            keep: Keep::Only(keys),
            budget,
        }
    }
}

impl<'de> Visitor<'de> for TreeVisitor<'_> {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(raw) = seq.next_element::<&RawValue>()? {
            let item =
                tree_from_raw("", raw, self.depth, self.budget).map_err(de::Error::custom)?;
            items.push((String::new(), item));
        }
        Ok(Tree::Children(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut items: Vec<(String, Tree)> = Vec::new();
        while let Some(key) = map.next_key_seed(KeyText)? {
            let raw = map.next_value::<&RawValue>()?;
            let wanted = match self.keep {
                Keep::All => true,
                Keep::Only(keys) => {
                    keys.contains(&key.as_ref()) && !items.iter().any(|(k, _)| *k == key)
                }
            };
            if wanted {
                let value =
                    tree_from_raw(&key, raw, self.depth, self.budget).map_err(de::Error::custom)?;
                items.push((key.into_owned(), value));
            }
        }
        Ok(Tree::Children(items))
    }
}

/// The text of a raw value as [`tree_from_raw`] makes it, without building a container (which
/// reads as `""`).
fn scalar_text(raw: &RawValue) -> Result<String, serde_json::Error> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(text),
        Some(b'{' | b'[') => Ok(String::new()),
        _ => Ok(text.to_owned()),
    }
}

/// Checks a whole top-level object and yields the text of its first `action` member, if any (an
/// object or array reads as `""`, as in [`super::LegacyRequest::text`]). Nothing else is built.
pub(super) struct ActionScan;

impl<'de> Visitor<'de> for ActionScan {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // Not a request ([`check_object`] refuses it first); still checked, never built.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut action = None;
        while let Some(key) = map.next_key_seed(KeyText)? {
            // Reading the raw value checks all of it (serde_json skips nesting without recursion;
            // its depth was bounded by `check_object`) and builds nothing.
            let raw = map.next_value::<&RawValue>()?;
            if action.is_none() && key == "action" {
                action = Some(scalar_text(raw).map_err(de::Error::custom)?);
            }
        }
        Ok(action)
    }
}

/// An object key, borrowed from the body unless it holds escapes: reading keys allocates nothing
/// per member.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}
