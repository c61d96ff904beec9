//! The RPC 1.0 response model and its exact rendering. nano-node builds answers as a Boost property
//! tree and prints them with Boost's `write_json`, so clients depend on its quirks: every scalar is a
//! string, a node whose children all have empty keys is an array, an empty array or object prints as
//! `""`, 4-space pretty printing, `/` escaped as `\/`, control characters as `\u00XX` (uppercase hex),
//! bytes ≥ 0x80 raw. [`Tree`] is that model; [`Tree::write_json`] is that printer.

use std::fmt::Write;

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

    /// Render as nano-node does (`boost::property_tree::write_json`, pretty), with the trailing newline.
    pub fn write_json(&self, out: &mut String) {
        write_node(self, 0, out);
        out.push('\n');
    }

    /// [`Tree::write_json`] into a new string.
    pub fn to_json(&self) -> String {
        let mut s = String::new();
        self.write_json(&mut s);
        s
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Boost's rules: below the root, a childless node is a string (so empty arrays/objects become
/// `""`); a node whose children all have empty keys is an array; anything else is an object.
fn write_node(node: &Tree, indent: usize, out: &mut String) {
    let children: &[(String, Tree)] = match node {
        Tree::Children(c) => c,
        Tree::Text(_) => &[],
    };
    if indent > 0 && children.is_empty() {
        out.push('"');
        if let Tree::Text(t) = node {
            escape_into(t, out);
        }
        out.push('"');
        return;
    }
    let is_array = indent > 0 && children.iter().all(|(k, _)| k.is_empty());
    out.push(if is_array { '[' } else { '{' });
    out.push('\n');
    let last = children.len().saturating_sub(1);
    for (i, (key, child)) in children.iter().enumerate() {
        pad(out, indent + 4);
        if !is_array {
            out.push('"');
            escape_into(key, out);
            out.push_str("\": ");
        }
        write_node(child, indent + 4, out);
        if i != last {
            out.push(',');
        }
        out.push('\n');
    }
    pad(out, indent);
    out.push(if is_array { ']' } else { '}' });
}

/// Boost's `create_escapes`: printable ASCII except `"` `\` `/` raw, the short escapes, `\u00XX`
/// (uppercase) for other control characters, everything ≥ 0x80 raw.
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
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
