//! Scalars and enums as flatc reads them: range-checked numbers, quoted numbers, `true`/`false`
//! for integers, no float constants for integer fields; enums by name or number.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

use super::JsonEnum;

/// Scalars as flatc accepts them: numbers (range-checked), and `true`/`false` for any integer.
pub trait JsonScalarIn: Sized + Copy {
    /// The schema type name, for messages.
    const TYPE: &'static str;
    /// From an integer; `None` when out of range.
    fn from_i128(v: i128) -> Option<Self>;
    /// From a float (integer types reject these, as flatc does).
    fn from_f64(v: f64) -> Option<Self>;
    /// Integer types (and bool) reject float constants.
    const IS_INT: bool = true;
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
    fn from_i128(v: i128) -> Option<Self> {
        match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
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
        T::from_i128(v as i128).ok_or_else(|| out_of_range::<T, E>(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i128(v as i128).ok_or_else(|| out_of_range::<T, E>(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_i128(v as i128).ok_or_else(|| out_of_range::<T, E>(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        if T::IS_INT {
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
    /// flatc accepts scalars written as strings (`"123"`, `"true"`).
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let t = v.trim();
        let parsed = match t {
            "true" => T::from_i128(1),
            "false" => T::from_i128(0),
            _ => match t.parse::<i128>() {
                Ok(i) => T::from_i128(i),
                Err(_) if !T::IS_INT => t.parse::<f64>().ok().and_then(T::from_f64),
                Err(_) => None,
            },
        };
        parsed.ok_or_else(|| E::custom(format_args!("invalid {} constant: {v:?}", T::TYPE)))
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
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::from_name(v)
            .ok_or_else(|| E::custom(format_args!("unknown enum value: {v} in {}", T::NAME)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_int(v as i128)
            .ok_or_else(|| E::custom(format_args!("enum value out of range: {v} in {}", T::NAME)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_int(v as i128)
            .ok_or_else(|| E::custom(format_args!("enum value out of range: {v} in {}", T::NAME)))
    }
}
