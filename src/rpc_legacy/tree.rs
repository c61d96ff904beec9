//! The RPC 1.0 response model and its exact rendering. nano-node builds answers as a Boost property
//! tree and prints them with Boost's `write_json`, so clients depend on its quirks: every scalar is a
//! string, a node whose children all have empty keys is an array, an empty array or object prints as
//! `""`, 4-space pretty printing, `/` escaped as `\/`, control characters as `\u00XX` (uppercase hex),
//! bytes ≥ 0x80 raw. [`Tree`] is that model; [`Tree::write_json`] is that printer.

use bytes::BufMut;

/// A property-tree node: text, or ordered children (keys may repeat; empty keys mean array items).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tree {
    Text(String),
    Children(Vec<(String, Tree)>),
}

impl Default for Tree {
    fn default() -> Self {
        Tree::Children(Vec::new())
    }
}

impl Tree {
    /// An empty object (the start of every response).
    pub fn object() -> Self {
        Tree::default()
    }

    /// A text leaf.
    pub fn text(value: impl Into<String>) -> Self {
        Tree::Text(value.into())
    }

    /// An array of the given items (children with empty keys).
    pub fn array(items: impl IntoIterator<Item = Tree>) -> Self {
        Tree::Children(items.into_iter().map(|t| (String::new(), t)).collect())
    }

    /// `{"error": message}`, the one RPC 1.0 error shape.
    pub fn error(message: &str) -> Self {
        Tree::Children(vec![("error".to_owned(), Tree::text(message))])
    }

    /// Append a child (turns a text node into an object, as `ptree::put_child` would).
    pub fn push(&mut self, key: impl Into<String>, value: Tree) -> &mut Self {
        if let Tree::Text(_) = self {
            *self = Tree::object();
        }
        if let Tree::Children(children) = self {
            children.push((key.into(), value));
        }
        self
    }

    /// This answer with `key: value` as its first key: how nano-node's flags (`deprecated`,
    /// `deprecated_account_format`) come first in an answer built before the flag is known.
    pub fn prefixed(self, key: impl Into<String>, value: impl Into<String>) -> Tree {
        let mut t = Tree::object();
        t.put(key, value);
        if let Tree::Children(children) = self {
            for (k, v) in children {
                t.push(k, v);
            }
        }
        t
    }

    /// A JSON value as a property tree, as Boost reads JSON: scalars become their text, arrays
    /// children with empty keys, objects children in order.
    pub fn from_json(value: &serde_json::Value) -> Tree {
        use serde_json::Value;
        match value {
            Value::String(s) => Tree::text(s.as_str()),
            Value::Object(m) => {
                let mut t = Tree::object();
                for (k, v) in m {
                    t.push(k.as_str(), Tree::from_json(v));
                }
                t
            }
            Value::Array(items) => Tree::array(items.iter().map(Tree::from_json)),
            other => Tree::text(other.to_string()),
        }
    }

    /// Append a text child.
    pub fn put(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.push(key, Tree::text(value))
    }

    /// Whether this node has no children and no text (what "no keys" means for `Empty response`).
    pub fn is_empty(&self) -> bool {
        match self {
            Tree::Text(t) => t.is_empty(),
            Tree::Children(c) => c.is_empty(),
        }
    }

    /// The first child named `key`.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Children(c) => c.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Tree::Text(_) => None,
        }
    }

    /// Render as nano-node does (`boost::property_tree::write_json`, pretty), with the trailing
    /// newline, straight into a byte buffer (a `BytesMut` response or a `Vec<u8>`).
    pub fn write_json<B: BufMut>(&self, out: &mut B) {
        write_node(self, 0, out);
        out.put_u8(b'\n');
    }

    /// [`Tree::write_json`] into a new string.
    pub fn to_json(&self) -> String {
        let mut v = Vec::new();
        self.write_json(&mut v);
        // Only whole `&str`s and ASCII are written, so this is always valid UTF-8.
        String::from_utf8_lossy(&v).into_owned()
    }
}

const SPACES: &[u8; 64] = b"                                                                ";

fn pad<B: BufMut>(out: &mut B, mut n: usize) {
    while n > 0 {
        let k = n.min(SPACES.len());
        out.put_slice(&SPACES[..k]);
        n -= k;
    }
}

/// Boost's rules: below the root, a childless node is a string (so empty arrays/objects become
/// `""`); a node whose children all have empty keys is an array; anything else is an object.
fn write_node<B: BufMut>(node: &Tree, indent: usize, out: &mut B) {
    let children: &[(String, Tree)] = match node {
        Tree::Children(c) => c,
        Tree::Text(_) => &[],
    };
    if indent > 0 && children.is_empty() {
        out.put_u8(b'"');
        if let Tree::Text(t) = node {
            escape_into(t, out);
        }
        out.put_u8(b'"');
        return;
    }
    let is_array = indent > 0 && children.iter().all(|(k, _)| k.is_empty());
    out.put_slice(if is_array { b"[\n" } else { b"{\n" });
    let last = children.len().saturating_sub(1);
    for (i, (key, child)) in children.iter().enumerate() {
        pad(out, indent + 4);
        if !is_array {
            out.put_u8(b'"');
            escape_into(key, out);
            out.put_slice(b"\": ");
        }
        write_node(child, indent + 4, out);
        if i != last {
            out.put_u8(b',');
        }
        out.put_u8(b'\n');
    }
    pad(out, indent);
    out.put_u8(if is_array { b']' } else { b'}' });
}

/// Boost's `create_escapes`: printable ASCII except `"` `\` `/` raw, the short escapes, `\u00XX`
/// (uppercase) for other control characters, every byte ≥ 0x80 raw (so UTF-8 passes through).
pub fn escape_into<B: BufMut>(s: &str, out: &mut B) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'/' => b"\\/",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.put_slice(bytes.get(run..i).unwrap_or_default());
        run = i + 1;
        if escaped.is_empty() {
            out.put_slice(b"\\u00");
            out.put_u8(HEX[usize::from(b >> 4)]);
            out.put_u8(HEX[usize::from(b & 0xf)]);
        } else {
            out.put_slice(escaped);
        }
    }
    out.put_slice(bytes.get(run..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_boost_write_json() {
        let mut t = Tree::object();
        t.push(
            "blocks",
            Tree::array([Tree::text(
                "04270D7F11C4B2B472F2854C5A59F2A7E84226CE9ED799DE75744BD7D85FC9D9",
            )]),
        );
        assert_eq!(
            t.to_json(),
            "{\n    \"blocks\": [\n        \"04270D7F11C4B2B472F2854C5A59F2A7E84226CE9ED799DE75744BD7D85FC9D9\"\n    ]\n}\n"
        );
    }

    #[test]
    fn empty_array_and_object_print_as_empty_string() {
        let mut t = Tree::object();
        t.push("blocks", Tree::array([]));
        t.push("accounts", Tree::object());
        assert_eq!(
            t.to_json(),
            "{\n    \"blocks\": \"\",\n    \"accounts\": \"\"\n}\n"
        );
    }

    #[test]
    fn nested_objects_and_arrays_of_objects() {
        let mut item = Tree::object();
        item.put("hash", "AB").put("amount", "1");
        let mut t = Tree::object();
        t.push("history", Tree::array([item]));
        t.put("previous", "");
        assert_eq!(
            t.to_json(),
            "{\n    \"history\": [\n        {\n            \"hash\": \"AB\",\n            \"amount\": \"1\"\n        }\n    ],\n    \"previous\": \"\"\n}\n"
        );
    }

    #[test]
    fn escapes_like_boost() {
        let mut t = Tree::object();
        t.put("k/\"", "a/b\\c\n\t\u{1}\u{7f}é");
        assert_eq!(
            t.to_json(),
            "{\n    \"k\\/\\\"\": \"a\\/b\\\\c\\n\\t\\u0001\u{7f}é\"\n}\n"
        );
    }

    #[test]
    fn error_and_success_shapes() {
        assert_eq!(
            Tree::error("Unknown command").to_json(),
            "{\n    \"error\": \"Unknown command\"\n}\n"
        );
        let mut ok = Tree::object();
        ok.put("success", "");
        assert_eq!(ok.to_json(), "{\n    \"success\": \"\"\n}\n");
        assert_eq!(Tree::object().to_json(), "{\n}\n");
    }
}
