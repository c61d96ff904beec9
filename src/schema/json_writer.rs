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
///
/// The stack is one bit per level ("already holds an element") kept in a `u64`, with a `Vec` only
/// for levels beyond 64, so writing a document allocates nothing but the output string.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: String,
    pretty: bool,
    /// Number of open objects/arrays.
    depth: usize,
    /// Bit `i`: level `i + 1` (for `i < 64`) already holds an element.
    has: u64,
    /// The flags of levels deeper than 64, in order.
    deep: Vec<bool>,
}

/// Enough spaces for 32 levels of flatc's two-space indentation in one `push_str`.
const SPACES: &str = "                                                                ";

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
            depth: 0,
            has: 0,
            deep: Vec::new(),
        }
    }

    /// A writer whose output starts with room for `capacity` bytes, so a document of about that
    /// size is written without regrowing the string.
    pub fn with_capacity(capacity: usize, pretty: bool) -> Self {
        Self::with_buffer(String::with_capacity(capacity), pretty)
    }

    /// The finished document. Pretty output ends with a newline, as flatc's files do.
    pub fn finish(mut self) -> String {
        if self.pretty {
            self.out.push('\n');
        }
        self.out
    }

    fn push_level(&mut self) {
        if self.depth >= 64 {
            self.deep.push(false);
        }
        self.depth += 1;
        if self.depth <= 64 {
            self.has &= !(1u64 << (self.depth - 1));
        }
    }

    fn pop_level(&mut self) {
        if self.depth > 64 {
            self.deep.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// Marks the current level as holding an element; returns whether it already held one.
    fn mark(&mut self) -> bool {
        match self.depth {
            0 => false,
            d @ 1..=64 => {
                let bit = 1u64 << (d - 1);
                let had = self.has & bit != 0;
                self.has |= bit;
                had
            }
            _ => self
                .deep
                .last_mut()
                .map(|h| std::mem::replace(h, true))
                .unwrap_or(false),
        }
    }

    fn indent(&mut self) {
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            self.out.push_str(&SPACES[..k]);
            n -= k;
        }
    }

    fn newline_indent(&mut self) {
        if self.pretty {
            self.out.push('\n');
            self.indent();
        }
    }

    /// Opens an object.
    pub fn begin_object(&mut self) {
        self.out.push('{');
        self.push_level();
    }

    /// Starts the member `name` of the current object; its value is written next.
    pub fn key(&mut self, name: &str) {
        if self.mark() {
            self.out.push(',');
        }
        self.newline_indent();
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str(if self.pretty { "\": " } else { "\":" });
    }

    /// Closes the current object.
    pub fn end_object(&mut self) {
        self.pop_level();
        self.newline_indent();
        self.out.push('}');
    }

    /// Opens an array. flatc always breaks the line after `[`.
    pub fn begin_array(&mut self) {
        self.out.push('[');
        self.push_level();
        if self.pretty {
            self.out.push('\n');
        }
    }

    /// Starts the next element of the current array.
    pub fn element(&mut self) {
        if self.mark() {
            self.out.push(',');
            if self.pretty {
                self.out.push('\n');
            }
        }
        if self.pretty {
            self.indent();
        }
    }

    /// Closes the current array.
    pub fn end_array(&mut self) {
        self.pop_level();
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

    /// Writes a string whose every byte is already plain (see `is_plain`): hex digits, decimal
    /// digits, addresses and fixed names. Such text comes out of [`Self::string`] unchanged, so
    /// skipping the escape scan changes no byte; a caller that passes anything else breaks that
    /// promise, which debug builds check.
    #[inline]
    pub fn plain_string(&mut self, s: &str) {
        debug_assert!(s.bytes().all(is_plain), "not plain: {s:?}");
        self.out.reserve(s.len() + 2);
        self.out.push('"');
        self.out.push_str(s);
        self.out.push('"');
    }

    /// Writes a string with flatc's escaping: the short escapes for `"`, `\\`, `\b`, `\f`, `\n`,
    /// `\r`, `\t`; printable ASCII as is; everything else as `\uXXXX` (uppercase hex, UTF-16
    /// surrogate pairs above U+FFFF). Runs of printable ASCII are found eight bytes at a time and
    /// copied in one go.
    pub fn string(&mut self, s: &str) {
        self.out.reserve(s.len() + 2);
        self.out.push('"');
        let bytes = s.as_bytes();
        let mut i = 0;
        loop {
            let run = bytes.get(i..).map_or(0, plain_prefix);
            self.out.push_str(s.get(i..i + run).unwrap_or(""));
            i += run;
            let Some(&b) = bytes.get(i) else { break };
            let esc = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                0x0c => "\\f",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                _ => "",
            };
            if esc.is_empty() {
                // A control character or the start of a multi-byte character (`i` is on a char
                // boundary: everything before it was ASCII or a whole character).
                let c = s
                    .get(i..)
                    .and_then(|r| r.chars().next())
                    .unwrap_or('\u{FFFD}');
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    self.unicode_escape(*u);
                }
                i += c.len_utf8();
            } else {
                self.out.push_str(esc);
                i += 1;
            }
        }
        self.out.push('"');
    }

    fn unicode_escape(&mut self, u: u16) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let digit = |shift: u16| char::from(HEX[usize::from((u >> shift) & 0xF)]);
        self.out.push_str("\\u");
        for shift in [12, 8, 4, 0] {
            self.out.push(digit(shift));
        }
    }
}

/// Whether `b` is written as is inside a JSON string: printable ASCII except `"` and `\\`.
#[inline]
fn is_plain(b: u8) -> bool {
    (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\'
}

/// The length of the leading run of plain bytes of `bytes`. Whole 8-byte words are tested at
/// once (SWAR): a word is all plain when no byte is below 0x20, at or above 0x7F, `"` or `\\`.
/// The word tests may flag a plain word (borrows and carries spill into the next byte), never
/// miss a special byte, and a flagged word is finished byte by byte.
fn plain_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// High bit set in each byte of `x` that is zero (and possibly in bytes above one).
    fn zero_bytes(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x & HIGH
    }
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let x = u64::from_le_bytes(word);
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let high = (x.wrapping_add(ONES) | x) & HIGH;
        let quote = zero_bytes(x ^ (ONES * u64::from(b'"')));
        let backslash = zero_bytes(x ^ (ONES * u64::from(b'\\')));
        if control | high | quote | backslash != 0 {
            break;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| is_plain(b)) {
        i += 1;
    }
    i
}

/// Writes any table (or other [`JsonWrite`] value) as a JSON document.
pub fn to_json<T: JsonWrite + ?Sized>(value: &T, pretty: bool) -> String {
    to_json_with_capacity(value, 0, pretty)
}

/// The most [`to_json_with_capacity`] reserves up front, whatever the hint says.
pub const MAX_RESERVE: usize = 64 * 1024;

/// Like [`to_json`], reserving room for about `binary_len` bytes of input up front (the JSON of a
/// FlatBuffer is usually a little longer than the buffer), capped at [`MAX_RESERVE`].
pub fn to_json_with_capacity<T: JsonWrite + ?Sized>(
    value: &T,
    binary_len: usize,
    pretty: bool,
) -> String {
    let hint = binary_len.saturating_add(binary_len / 2).saturating_add(64);
    let mut w = JsonWriter::with_capacity(hint.min(MAX_RESERVE), pretty);
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
    fn plain_strings_are_written_as_escaped_ones_would_be() {
        let plain: String = (0x20u8..0x7f)
            .filter(|b| is_plain(*b))
            .map(char::from)
            .collect();
        for text in ["", "0123456789ABCDEF", "nano_1abc", plain.as_str()] {
            let mut escaped = JsonWriter::new(false);
            escaped.string(text);
            let mut raw = JsonWriter::new(false);
            raw.plain_string(text);
            assert_eq!(raw.finish(), escaped.finish());
        }
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "not plain")]
    fn plain_strings_refuse_text_that_needs_escaping() {
        JsonWriter::new(false).plain_string("a\"b");
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

    #[test]
    fn deeper_than_the_bit_stack() {
        // 100 nested objects each with two members: commas and indentation stay right past
        // the 64 levels kept in the bit stack.
        let depth = 100;
        let mut w = JsonWriter::new(false);
        for _ in 0..depth {
            w.begin_object();
            w.key("a");
            w.scalar(1u8);
            w.key("b");
        }
        w.begin_array();
        w.end_array();
        for _ in 0..depth {
            w.end_object();
        }
        let expected = format!("{}[]{}", "{\"a\":1,\"b\":".repeat(depth), "}".repeat(depth));
        assert_eq!(w.finish(), expected);
        let mut w = JsonWriter::new(true);
        for _ in 0..depth {
            w.begin_array();
            w.element();
        }
        w.scalar(0u8);
        for _ in 0..depth {
            w.end_array();
        }
        let text = w.finish();
        let last = text.lines().nth(depth).unwrap_or_default();
        assert_eq!(last, format!("{}0", " ".repeat(2 * depth)));
        assert!(text.ends_with("\n]\n"), "{text}");
    }

    #[test]
    fn plain_prefix_finds_every_special_byte_at_every_position() {
        for special in (0u8..=0x1f).chain([b'"', b'\\', 0x7f]).chain(0x80..=0xff) {
            for len in 0..20 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    assert_eq!(plain_prefix(&bytes), at, "{special:#x} at {at} of {len}");
                }
                assert_eq!(plain_prefix(&vec![b'~'; len]), len);
            }
        }
        // Bytes next to the special ones stay plain.
        let all: Vec<u8> = (0x20u8..0x7f).filter(|b| is_plain(*b)).collect();
        assert_eq!(plain_prefix(&all), all.len());
    }
}
