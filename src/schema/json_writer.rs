//! JSON output in flatc's form, written straight from a verified buffer.
//!
//! Generated `JsonWrite` impls drive a [`JsonWriter`] field by field; nothing is collected into an
//! intermediate tree. The pretty mode reproduces `flatc --json --strict-json` byte for byte (two
//! spaces per level, `"key": value`, one element per line, flatc's string escaping with `\uXXXX`
//! for every non-ASCII character), so output can be compared with flatc's directly. The compact
//! mode writes the same document without any whitespace.

use std::fmt::Write as _;

/// Anything the generated code can write as JSON: every table reader implements it.
pub trait JsonWrite {
    /// Writes `self` as one JSON value.
    fn write_json(&self, w: &mut JsonWriter);
}

/// A scalar as flatc prints it.
pub trait JsonScalarOut: Copy {
    /// Appends the value's JSON text.
    fn write_to(self, out: &mut String);
}

macro_rules! int_out {
    ($($t:ty),*) => {$(
        impl JsonScalarOut for $t {
            #[inline]
            fn write_to(self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(self));
            }
        }
    )*};
}
int_out!(i8, u8, i16, u16, i32, u32, i64, u64);

impl JsonScalarOut for bool {
    #[inline]
    fn write_to(self, out: &mut String) {
        out.push_str(if self { "true" } else { "false" });
    }
}

/// flatc's float text: fixed notation with 6 (float) or 12 (double) decimals, trailing zeros
/// dropped but one kept after the point (`1.0`, `3.141593`, `100000000000000000000.0`).
fn float_to(out: &mut String, finite: bool, mut text: String) {
    // JSON has no NaN/Infinity; flatc prints `nan`/`inf`, which strict parsers reject, so these
    // become 0.0 here and the writer stays strict.
    if !finite {
        out.push_str("0.0");
        return;
    }
    if let Some(p) = text.rfind(|c: char| c != '0') {
        let keep = if text.as_bytes().get(p) == Some(&b'.') {
            p + 2
        } else {
            p + 1
        };
        text.truncate(keep);
    }
    out.push_str(&text);
}

impl JsonScalarOut for f32 {
    fn write_to(self, out: &mut String) {
        float_to(out, self.is_finite(), format!("{self:.6}"));
    }
}

impl JsonScalarOut for f64 {
    fn write_to(self, out: &mut String) {
        float_to(out, self.is_finite(), format!("{self:.12}"));
    }
}

/// Writes one JSON document. Open objects and arrays are tracked on a small stack so commas and
/// indentation come out right without the caller's help.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: String,
    pretty: bool,
    /// One entry per open object/array: whether it already holds an element.
    open: Vec<bool>,
}

impl JsonWriter {
    /// A writer; `pretty` selects flatc's indented layout, otherwise compact.
    pub fn new(pretty: bool) -> Self {
        Self::with_buffer(String::new(), pretty)
    }

    /// A writer that appends to `buf` (cleared first), so a caller can reuse one allocation.
    pub fn with_buffer(mut buf: String, pretty: bool) -> Self {
        buf.clear();
        JsonWriter {
            out: buf,
            pretty,
            open: Vec::new(),
        }
    }

    /// The finished document. Pretty output ends with a newline, as flatc's files do.
    pub fn finish(mut self) -> String {
        if self.pretty {
            self.out.push('\n');
        }
        self.out
    }

    fn newline_indent(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.open.len() {
                self.out.push_str("  ");
            }
        }
    }

    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.out.push('{');
        self.open.push(false);
    }

    /// Starts the member `name` of the current object; its value is written next.
    pub fn key(&mut self, name: &str) {
        if let Some(has) = self.open.last_mut() {
            if *has {
                self.out.push(',');
            }
            *has = true;
        }
        self.newline_indent();
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str(if self.pretty { "\": " } else { "\":" });
    }

    /// Closes the current object.
    pub fn end_object(&mut self) {
        self.open.pop();
        self.newline_indent();
        self.out.push('}');
    }

    /// Opens an array. flatc always breaks the line after `[`.
    pub fn begin_array(&mut self) {
        self.out.push('[');
        self.open.push(false);
        if self.pretty {
            self.out.push('\n');
        }
    }

    /// Starts the next element of the current array.
    pub fn element(&mut self) {
        let mut first = true;
        if let Some(has) = self.open.last_mut() {
            first = !*has;
            *has = true;
        }
        if !first {
            self.out.push(',');
            if self.pretty {
                self.out.push('\n');
            }
        }
        if self.pretty {
            for _ in 0..self.open.len() {
                self.out.push_str("  ");
            }
        }
    }

    /// Closes the current array.
    pub fn end_array(&mut self) {
        self.open.pop();
        self.newline_indent();
        self.out.push(']');
    }

    /// Writes a scalar.
    #[inline]
    pub fn scalar<T: JsonScalarOut>(&mut self, v: T) {
        v.write_to(&mut self.out);
    }

    /// Writes an enum value: its quoted name when declared, else its number (as flatc does).
    pub fn enum_value(&mut self, name: Option<&str>, value: i128) {
        match name {
            Some(n) => {
                self.out.push('"');
                self.out.push_str(n);
                self.out.push('"');
            }
            None => {
                let _ = write!(self.out, "{value}");
            }
        }
    }

    /// Writes a `bit_flags` enum value as flatc does: a declared value by name, a combination of
    /// declared flags as their space-separated names (`"Read Write"`), anything else as a number.
    pub fn flags_value(&mut self, name: Option<&str>, value: u64, flags: &[(&str, u64)]) {
        if name.is_some() || value == 0 {
            return self.enum_value(name, value as i128);
        }
        let mut mask = 0u64;
        let start = self.out.len();
        self.out.push('"');
        for (n, f) in flags {
            if f & value != 0 {
                mask |= f;
                self.out.push_str(n);
                self.out.push(' ');
            }
        }
        if mask == value {
            self.out.pop();
            self.out.push('"');
        } else {
            self.out.truncate(start);
            self.enum_value(None, value as i128);
        }
    }

    /// Writes a string with flatc's escaping: the short escapes for `"`, `\\`, `\b`, `\f`, `\n`,
    /// `\r`, `\t`; printable ASCII as is; everything else as `\uXXXX` (uppercase hex, UTF-16
    /// surrogate pairs above U+FFFF).
    pub fn string(&mut self, s: &str) {
        self.out.push('"');
        let mut plain_start = 0;
        for (i, c) in s.char_indices() {
            let esc: Option<&str> = match c {
                '"' => Some("\\\""),
                '\\' => Some("\\\\"),
                '\u{8}' => Some("\\b"),
                '\u{c}' => Some("\\f"),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                ' '..='~' => continue,
                _ => None,
            };
            self.out.push_str(&s[plain_start..i]);
            plain_start = i + c.len_utf8();
            match esc {
                Some(e) => self.out.push_str(e),
                None => {
                    let mut units = [0u16; 2];
                    for u in c.encode_utf16(&mut units) {
                        let _ = write!(self.out, "\\u{:04X}", u);
                    }
                }
            }
        }
        self.out.push_str(&s[plain_start..]);
        self.out.push('"');
    }
}

/// Writes any table (or other [`JsonWrite`] value) as a JSON document.
pub fn to_json<T: JsonWrite + ?Sized>(value: &T, pretty: bool) -> String {
    let mut w = JsonWriter::new(pretty);
    value.write_json(&mut w);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_flatc() {
        let mut w = JsonWriter::new(false);
        w.string("a\"b\\c\n\u{1}é😀/");
        assert_eq!(w.finish(), r#""a\"b\\c\n\u0001\u00E9\uD83D\uDE00/""#);
    }

    #[test]
    fn floats_like_flatc() {
        let text = |f: &dyn Fn(&mut JsonWriter)| {
            let mut w = JsonWriter::new(false);
            f(&mut w);
            w.finish()
        };
        assert_eq!(text(&|w| w.scalar(std::f32::consts::PI)), "3.141593");
        assert_eq!(text(&|w| w.scalar(-123_456.79_f32)), "-123456.789062");
        assert_eq!(text(&|w| w.scalar(0.1f64)), "0.1");
        assert_eq!(text(&|w| w.scalar(1e20f64)), "100000000000000000000.0");
        assert_eq!(text(&|w| w.scalar(1e-13f64)), "0.0");
        assert_eq!(text(&|w| w.scalar(2.0f32)), "2.0");
        assert_eq!(text(&|w| w.scalar(f64::NAN)), "0.0");
    }

    #[test]
    fn pretty_layout() {
        let mut w = JsonWriter::new(true);
        w.begin_object();
        w.key("a");
        w.scalar(1u64);
        w.key("v");
        w.begin_array();
        w.element();
        w.string("x");
        w.element();
        w.string("y");
        w.end_array();
        w.key("e");
        w.begin_object();
        w.end_object();
        w.end_object();
        assert_eq!(
            w.finish(),
            "{\n  \"a\": 1,\n  \"v\": [\n    \"x\",\n    \"y\"\n  ],\n  \"e\": {\n  }\n}\n"
        );
    }
}
