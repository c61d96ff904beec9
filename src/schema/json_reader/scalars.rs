//! Scalars and enums read the way flatc 25.12.19 reads them (checked against `flatc -b`):
//!
//! - integers: JSON integers in the type's range, `-0`, and strings holding a number — optional
//!   surrounding spaces, an optional sign, decimal digits (leading zeros are still decimal) or
//!   `0x`/`0X` hex digits (`"0x10"`, `"-0x10"`). Never floats, `true`/`false` (quoted or not;
//!   flatc keeps those for bools) or `null`.
//! - bools: `true`/`false`, and any integer form above in 0..=255 (non-zero reads as true, as
//!   flatc stores a bool as a byte); `"true"`/`"false"` exactly as written.
//! - floats: JSON numbers and decimal strings (`"1.5"`, `"1e2"`, `"inf"`, `"nan"`).
//! - enums and union tags: a declared name exactly as written, or any integer form above that
//!   fits the underlying type.
//!
//! `null` for any of these is an error (flatc: `invalid number: "null"`); for strings, tables and
//! vectors it means "absent" (handled by `NullOr` in `seeds.rs`). Every error goes through serde,
//! so it carries the line and column of the value.
//!
//! Where we knowingly differ from flatc:
//! - `-0.0` is accepted for an integer: serde_json hands `-0` over as the float `-0.0`, so the
//!   two cannot be told apart and accepting `-0` (which flatc reads as 0) wins.
//! - A union whose `<field>_type` names a member but whose value is missing or `null` is rejected
//!   (flatc writes the tag with no value); a tag without its table is never useful to a handler,
//!   so we refuse it at the edge (the check is in the generated table parser).
//! - Several space-separated names for a plain (non-`bit_flags`) enum, and hex floats
//!   (`"0x1p3"`), are rejected.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

use super::JsonEnum;

/// A scalar type as flatc reads it from JSON (see the module doc for the accepted forms).
pub trait JsonScalarIn: Sized + Copy {
    /// The schema type name, for messages.
    const TYPE: &'static str;
    /// From an integer; `None` when out of range.
    fn from_i128(v: i128) -> Option<Self>;
    /// From a float (integer types reject these, as flatc does).
    fn from_f64(v: f64) -> Option<Self>;
    /// Integer types (and bool) reject float constants and read hex strings.
    const IS_INT: bool = true;
    /// Only bool takes `true`/`false`.
    const IS_BOOL: bool = false;
}

macro_rules! int_in {
    ($($t:ty => $n:expr),*) => {$(
        impl JsonScalarIn for $t {
            const TYPE: &'static str = $n;
            fn from_i128(v: i128) -> Option<Self> { <$t>::try_from(v).ok() }
            fn from_f64(_: f64) -> Option<Self> {
                None
            }
        }
    )*};
}
int_in!(i8 => "byte", u8 => "ubyte", i16 => "short", u16 => "ushort", i32 => "int", u32 => "uint", i64 => "long", u64 => "ulong");

impl JsonScalarIn for bool {
    const TYPE: &'static str = "bool";
    const IS_BOOL: bool = true;
    /// flatc stores a bool as a byte: 0..=255 fit, and anything but 0 is true.
    fn from_i128(v: i128) -> Option<Self> {
        u8::try_from(v).ok().map(|b| b != 0)
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

impl JsonScalarIn for f32 {
    const TYPE: &'static str = "float";
    const IS_INT: bool = false;
    fn from_i128(v: i128) -> Option<Self> {
        Some(v as f32)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v as f32)
    }
}

impl JsonScalarIn for f64 {
    const TYPE: &'static str = "double";
    const IS_INT: bool = false;
    fn from_i128(v: i128) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
}

/// Why a quoted integer could not be read.
enum IntText {
    /// Not an integer in flatc's grammar.
    Invalid,
    /// An integer, but beyond 128 bits (so beyond every schema type).
    TooLarge,
}

/// An integer written inside a JSON string: surrounding spaces (only spaces, as flatc), an
/// optional sign, then decimal digits or `0x`/`0X` and hex digits. Digits are accumulated with
/// checked arithmetic, so any length of input is safe.
fn int_from_text(text: &str) -> Result<i128, IntText> {
    let t = text.trim_matches(' ');
    let (negative, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = match rest.get(..2) {
        Some("0x" | "0X") => (16, &rest[2..]),
        _ => (10, rest),
    };
    if digits.is_empty() {
        return Err(IntText::Invalid);
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix).ok_or(IntText::Invalid)?;
        value = value
            .checked_mul(i128::from(radix))
            .and_then(|v| v.checked_add(i128::from(d)))
            .ok_or(IntText::TooLarge)?;
    }
    Ok(if negative { -value } else { value })
}

/// Reads one scalar of type `T`.
pub struct ScalarSeed<T>(pub PhantomData<T>);

impl<T> ScalarSeed<T> {
    /// The seed.
    pub fn new() -> Self {
        ScalarSeed(PhantomData)
    }
}

impl<T> Default for ScalarSeed<T> {
    fn default() -> Self {
        Self::new()
    }
}

fn out_of_range<T: JsonScalarIn, E: de::Error>(v: impl fmt::Display) -> E {
    E::custom(format_args!(
        "constant does not fit in a \"{}\": {v}",
        T::TYPE
    ))
}

fn null_scalar<E: de::Error>(ty: &str) -> E {
    E::custom(format_args!(
        "null is not a {ty} value (leave the field out to use its default)"
    ))
}

impl<'de, T: JsonScalarIn> DeserializeSeed<'de> for ScalarSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: JsonScalarIn> Visitor<'de> for ScalarSeed<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} value", T::TYPE)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        if !T::IS_BOOL {
            return Err(E::custom(format_args!(
                "{v} is not a {} value (true/false are only for bool fields)",
                T::TYPE
            )));
        }
        T::from_i128(i128::from(v)).ok_or_else(|| out_of_range::<T, E>(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i128(i128::from(v)).ok_or_else(|| out_of_range::<T, E>(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_i128(i128::from(v)).ok_or_else(|| out_of_range::<T, E>(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        if T::IS_INT {
            // serde_json hands `-0` over as -0.0; flatc reads `-0` as 0.
            if v == 0.0 && v.is_sign_negative() {
                return T::from_i128(0).ok_or_else(|| out_of_range::<T, E>(v));
            }
            // serde_json hands over integer literals beyond 64 bits as floats too.
            if v.fract() == 0.0 && v.abs() >= 9.2e18 {
                return Err(out_of_range::<T, E>(v));
            }
            return Err(E::custom(format_args!(
                "cannot assign a float constant to a value of type {}",
                T::TYPE
            )));
        }
        T::from_f64(v).ok_or_else(|| out_of_range::<T, E>(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(null_scalar(T::TYPE))
    }
    /// flatc accepts scalars written as strings (`"123"`, `"0x10"`, `"true"` for a bool).
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let invalid = || E::custom(format_args!("invalid {} constant: {v:?}", T::TYPE));
        match v {
            "true" | "false" if T::IS_BOOL => {
                return T::from_i128(i128::from(v == "true")).ok_or_else(invalid)
            }
            "true" | "false" => {
                return Err(E::custom(format_args!(
                    "{v:?} is not a {} value (true/false are only for bool fields)",
                    T::TYPE
                )))
            }
            _ => {}
        }
        if T::IS_INT {
            return match int_from_text(v) {
                Ok(i) => T::from_i128(i).ok_or_else(|| out_of_range::<T, E>(v.trim_matches(' '))),
                Err(IntText::TooLarge) => Err(out_of_range::<T, E>(v.trim_matches(' '))),
                Err(IntText::Invalid) => Err(invalid()),
            };
        }
        // Floats: decimal forms only (flatc wants hex floats with an exponent; not supported).
        let t = v.trim_matches(' ');
        if t.starts_with("0x") || t.starts_with("0X") {
            return Err(invalid());
        }
        t.parse::<f64>()
            .ok()
            .and_then(T::from_f64)
            .ok_or_else(invalid)
    }
}

/// Reads an enum (or union tag) value: its declared name, or a number that fits.
pub struct EnumSeed<E>(pub PhantomData<E>);

impl<E> EnumSeed<E> {
    /// The seed.
    pub fn new() -> Self {
        EnumSeed(PhantomData)
    }
}

impl<E> Default for EnumSeed<E> {
    fn default() -> Self {
        Self::new()
    }
}

fn enum_out_of_range<T: JsonEnum, E: de::Error>(v: impl fmt::Display) -> E {
    E::custom(format_args!("enum value out of range: {v} in {}", T::NAME))
}

impl<'de, T: JsonEnum> DeserializeSeed<'de> for EnumSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: JsonEnum> Visitor<'de> for EnumSeed<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} value", T::NAME)
    }
    /// A declared name, exactly as written; else a quoted number (`"1"`, `"0x1"`), as flatc.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        if let Some(e) = T::from_name(v) {
            return Ok(e);
        }
        match int_from_text(v) {
            Ok(i) => T::from_int(i).ok_or_else(|| enum_out_of_range::<T, E>(v.trim_matches(' '))),
            Err(IntText::TooLarge) => Err(enum_out_of_range::<T, E>(v.trim_matches(' '))),
            Err(IntText::Invalid) => Err(E::custom(format_args!(
                "unknown enum value: {v} in {}",
                T::NAME
            ))),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_int(i128::from(v)).ok_or_else(|| enum_out_of_range::<T, E>(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_int(i128::from(v)).ok_or_else(|| enum_out_of_range::<T, E>(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // serde_json hands `-0` over as -0.0; flatc reads `-0` as 0.
        if v == 0.0 && v.is_sign_negative() {
            return T::from_int(0).ok_or_else(|| enum_out_of_range::<T, E>(v));
        }
        Err(E::custom(format_args!(
            "cannot assign a float constant to a value of type {}",
            T::NAME
        )))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Err(E::custom(format_args!(
            "{v} is not a {} value (give a name or a number)",
            T::NAME
        )))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(null_scalar(T::NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Color(i8);

    impl JsonEnum for Color {
        const NAME: &'static str = "Color";
        fn from_name(name: &str) -> Option<Self> {
            match name {
                "red" => Some(Color(0)),
                "green" => Some(Color(1)),
                _ => None,
            }
        }
        fn from_int(v: i128) -> Option<Self> {
            i8::try_from(v).ok().map(Color)
        }
    }

    fn scalar<T: JsonScalarIn>(json: &str) -> Result<T, String> {
        let mut d = serde_json::Deserializer::from_str(json);
        ScalarSeed::<T>::new()
            .deserialize(&mut d)
            .map_err(|e| e.to_string())
    }

    fn color(json: &str) -> Result<Color, String> {
        let mut d = serde_json::Deserializer::from_str(json);
        EnumSeed::<Color>::new()
            .deserialize(&mut d)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn integers_take_flatcs_forms() {
        for (json, want) in [
            ("12", 12),
            ("-0", 0),
            ("\"-0\"", 0),
            ("\"0x10\"", 16),
            ("\"0X10\"", 16),
            ("\"-0x10\"", -16),
            ("\"+0x10\"", 16),
            ("\"  12  \"", 12),
            ("\"+12\"", 12),
            ("\"010\"", 10),
            ("\"0x7FFFFFFF\"", i32::MAX),
            ("\"-0x80000000\"", i32::MIN),
        ] {
            assert_eq!(scalar::<i32>(json), Ok(want), "{json}");
        }
        assert_eq!(
            scalar::<u64>("\"0xFFFFFFFFFFFFFFFF\""),
            Ok(u64::MAX),
            "hex u64 max"
        );
        for bad in [
            "true",
            "false",
            "\"true\"",
            "null",
            "1.0",
            "1.5",
            "\"1e2\"",
            "\"\"",
            "\"0x\"",
            "\"0x1g\"",
            "\"0b10\"",
            "\"1 2\"",
            "\"- 1\"",
            "\"--1\"",
            "\"0x-1\"",
            "\"\\t12\"",
            "\"1_0\"",
            "\"-0.0\"",
        ] {
            assert!(scalar::<i32>(bad).is_err(), "{bad}");
        }
        let err = scalar::<i32>("\"0xFFFFFFFF\"").unwrap_err();
        assert!(err.contains("does not fit in a \"int\""), "{err}");
        let err = scalar::<u64>(&format!("\"0x{}\"", "F".repeat(100))).unwrap_err();
        assert!(err.contains("does not fit"), "{err}");
        let err = scalar::<i32>("true").unwrap_err();
        assert!(err.contains("only for bool fields"), "{err}");
        assert!(err.contains("line 1 column 4"), "located: {err}");
        let err = scalar::<i32>("null").unwrap_err();
        assert!(err.starts_with("null is not a int value"), "{err}");
    }

    #[test]
    fn bools_are_bytes() {
        for (json, want) in [
            ("true", true),
            ("false", false),
            ("0", false),
            ("1", true),
            ("2", true),
            ("5", true),
            ("255", true),
            ("-0", false),
            ("\"true\"", true),
            ("\"false\"", false),
            ("\"2\"", true),
            ("\" 2 \"", true),
            ("\"0x2\"", true),
        ] {
            assert_eq!(scalar::<bool>(json), Ok(want), "{json}");
        }
        for bad in [
            "-1",
            "256",
            "1.0",
            "null",
            "\" true\"",
            "\"True\"",
            "\"yes\"",
        ] {
            assert!(scalar::<bool>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn floats_take_decimal_text() {
        assert_eq!(scalar::<f64>("\" 1.5 \""), Ok(1.5));
        assert_eq!(scalar::<f64>("\"1e2\""), Ok(100.0));
        assert_eq!(scalar::<f32>("1"), Ok(1.0));
        assert!(scalar::<f64>("\"inf\"").is_ok_and(f64::is_infinite));
        for bad in ["true", "\"true\"", "null", "\"0x10\"", "\"x\""] {
            assert!(scalar::<f64>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn enums_by_exact_name_or_any_integer_form() {
        for (json, want) in [
            ("\"green\"", 1),
            ("1", 1),
            ("\"1\"", 1),
            ("\" 1 \"", 1),
            ("\"0x1\"", 1),
            ("-0", 0),
            ("\"-0\"", 0),
            ("5", 5),
        ] {
            assert_eq!(color(json), Ok(Color(want)), "{json}");
        }
        for bad in [
            "\" green\"",
            "\"Color.green\"",
            "true",
            "\"true\"",
            "null",
            "1.0",
            "128",
            "\"128\"",
            "\"blue\"",
        ] {
            assert!(color(bad).is_err(), "{bad}");
        }
        assert!(color("null")
            .unwrap_err()
            .starts_with("null is not a Color value"));
        assert!(color("\"0x80\"")
            .unwrap_err()
            .starts_with("enum value out of range: 0x80 in Color"));
    }
}
