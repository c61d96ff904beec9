//! JSON input in flatc's form, parsed straight into a `FlatBufferBuilder`.
//!
//! serde_json drives generated `JsonTable::parse` functions (through the seeds here): strings and
//! child tables are written into the builder as soon as they are read, and a table itself is
//! started only when its closing `}` has been seen, so no object tree is ever built. The one
//! exception is a union value that arrives before its `<field>_type`: it is kept as a borrowed
//! `RawValue` slice of the input and parsed once the type is known.
//!
//! Errors carry the 1-based line and column of the input, even for a buffered union value
//! (whose own parse errors are shifted back to where the value sits in the input).

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use flatbuffers::{FlatBufferBuilder, Push, UnionWIPOffset, WIPOffset};
use serde::de::{self, DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// Options for JSON input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonOptions {
    /// Skip fields the schema does not know (nano's `skip_unexpected_fields_in_json`); when false
    /// they are an error. Default: true, as in nano-node.
    pub skip_unknown_fields: bool,
}

impl Default for JsonOptions {
    fn default() -> Self {
        JsonOptions {
            skip_unknown_fields: true,
        }
    }
}

/// A JSON input error with its position. Displays as flatc and nano-node do:
/// `"<line>: <col>: error: <message>"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {column}: error: {message}")]
pub struct JsonError {
    /// 1-based line (0 when the position is unknown).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What went wrong, e.g. `required field is missing: account in AccountWeight`.
    pub message: String,
}

impl JsonError {
    fn from_serde(e: &serde_json::Error) -> Self {
        let text = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
        JsonError {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

/// Parse state shared by every seed of one document.
pub struct Ctx<'de> {
    input: &'de str,
    /// The options in force.
    pub opts: JsonOptions,
    /// An error whose position was fixed while re-parsing a buffered union value; it wins over
    /// the (less precise) error serde_json reports when the failure propagates outwards.
    pending: RefCell<Option<JsonError>>,
}

impl<'de> Ctx<'de> {
    /// State for parsing `input`.
    pub fn new(input: &'de str, opts: JsonOptions) -> Self {
        Ctx {
            input,
            opts,
            pending: RefCell::new(None),
        }
    }

    fn error(&self, e: &serde_json::Error) -> JsonError {
        self.pending
            .borrow_mut()
            .take()
            .unwrap_or_else(|| JsonError::from_serde(e))
    }

    /// Line and column (1-based) where `slice`, a sub-slice of the input, starts.
    fn position_of(&self, slice: &str) -> (usize, usize) {
        let start = (slice.as_ptr() as usize).saturating_sub(self.input.as_ptr() as usize);
        let before = self.input.get(..start).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before
            .rfind('\n')
            .map_or(before.len(), |p| before.len() - p - 1)
            + 1;
        (line, col)
    }
}

/// Generated for every table: parses its JSON object into the builder.
pub trait JsonTable {
    /// The reader type of the table, in the builder's lifetime.
    type Out<'b>;
    /// Parses the fields of one object (the `{` has been consumed by serde_json).
    fn parse<'de, 'b, A: MapAccess<'de>>(
        ctx: &Ctx<'de>,
        fbb: &mut FlatBufferBuilder<'b>,
        map: A,
    ) -> Result<WIPOffset<Self::Out<'b>>, A::Error>;
}

/// Generated for every enum and union tag type.
pub trait JsonEnum: Sized + Copy {
    /// The schema name of the enum, for messages.
    const NAME: &'static str;
    /// Looks a value up by declared name.
    fn from_name(name: &str) -> Option<Self>;
    /// Converts a number, `None` when it does not fit the underlying type.
    fn from_int(v: i128) -> Option<Self>;
}

/// Generated for every union tag type: parses the member named by the tag.
pub trait JsonUnion: JsonEnum {
    /// Parses a value of the member `self` from `d`.
    fn parse_value<'de, 'b, D: Deserializer<'de>>(
        self,
        ctx: &Ctx<'de>,
        fbb: &mut FlatBufferBuilder<'b>,
        d: D,
    ) -> Result<WIPOffset<UnionWIPOffset>, D::Error>;
}

/// A `bit_flags` value written as space-separated flag names (`"Read Write"`); `None` when a
/// name is unknown or there are none.
pub fn flags_from_names(text: &str, flags: &[(&str, u64)]) -> Option<i128> {
    let mut value = 0u64;
    let mut any = false;
    for part in text.split_ascii_whitespace() {
        let (_, f) = flags.iter().find(|(n, _)| *n == part)?;
        value |= f;
        any = true;
    }
    any.then_some(value as i128)
}

/// Parses a whole document whose top level is the table `T`.
pub fn parse_table<'b, T: JsonTable>(
    input: &str,
    opts: &JsonOptions,
    fbb: &mut FlatBufferBuilder<'b>,
) -> Result<WIPOffset<T::Out<'b>>, JsonError> {
    let ctx = Ctx::new(input, *opts);
    let mut de = serde_json::Deserializer::from_str(input);
    let r = TableSeed::<T>::new(&ctx, fbb)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|_| v));
    r.map_err(|e| ctx.error(&e))
}

/// Parses a whole document holding a value of the union member `tag`.
pub fn parse_union_value<'b, U: JsonUnion>(
    tag: U,
    input: &str,
    opts: &JsonOptions,
    fbb: &mut FlatBufferBuilder<'b>,
) -> Result<WIPOffset<UnionWIPOffset>, JsonError> {
    let ctx = Ctx::new(input, *opts);
    let mut de = serde_json::Deserializer::from_str(input);
    let r = tag
        .parse_value(&ctx, fbb, &mut de)
        .and_then(|v| de.end().map(|_| v));
    r.map_err(|e| ctx.error(&e))
}

/// `required field is missing: <field> in <table>`.
pub fn missing<E: de::Error>(field: &str, table: &str) -> E {
    E::custom(format_args!(
        "required field is missing: {field} in {table}"
    ))
}

/// Fails when a field appears twice in one object.
pub fn once<T, E: de::Error>(slot: &Option<T>, field: &str) -> Result<(), E> {
    match slot {
        Some(_) => Err(E::custom(format_args!("field set more than once: {field}"))),
        None => Ok(()),
    }
}

/// Skips or rejects an unknown field, per the options.
pub fn unknown<'de, A: MapAccess<'de>>(
    ctx: &Ctx<'de>,
    map: &mut A,
    name: &str,
) -> Result<(), A::Error> {
    if ctx.opts.skip_unknown_fields {
        map.next_value::<de::IgnoredAny>().map(|_| ())
    } else {
        Err(A::Error::custom(format_args!("unknown field: {name}")))
    }
}

/// Parses a union value that was buffered because it came before its type.
pub fn reparse_union<'de, 'b, U: JsonUnion, E: de::Error>(
    ctx: &Ctx<'de>,
    fbb: &mut FlatBufferBuilder<'b>,
    tag: U,
    raw: &'de RawValue,
) -> Result<Option<WIPOffset<UnionWIPOffset>>, E> {
    let text: &'de str = raw.get();
    let mut de = serde_json::Deserializer::from_str(text);
    match NullOr(UnionSeed { ctx, fbb, tag }).deserialize(&mut de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let mut err = ctx
                .pending
                .borrow_mut()
                .take()
                .unwrap_or_else(|| JsonError::from_serde(&e));
            let (line, col) = ctx.position_of(text);
            if err.line <= 1 {
                err.column = err.column.saturating_add(col.saturating_sub(1));
            }
            err.line = err.line.max(1).saturating_add(line.saturating_sub(1));
            let message = err.message.clone();
            *ctx.pending.borrow_mut() = Some(err);
            Err(E::custom(message))
        }
    }
}

/// Which field a key names: its index in the table's field list, or an unknown name.
pub enum Key<'de> {
    /// Index into the `names` given to [`KeySeed`].
    Field(usize),
    /// A name the schema does not declare (kept for the error message).
    Unknown(std::borrow::Cow<'de, str>),
}

/// Reads an object key and matches it against the table's field names without allocating.
pub struct KeySeed(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(match self.0.iter().position(|n| *n == v) {
            Some(i) => Key::Field(i),
            None => Key::Unknown(std::borrow::Cow::Borrowed(v)),
        })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(match self.0.iter().position(|n| *n == v) {
            Some(i) => Key::Field(i),
            None => Key::Unknown(std::borrow::Cow::Owned(v.to_string())),
        })
    }
}

/// Wraps a seed so that JSON `null` reads as an absent field.
pub struct NullOr<S>(pub S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for NullOr<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for NullOr<S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// A table value: calls the generated `JsonTable::parse` on the object.
pub struct TableSeed<'c, 's, 'b, 'de, T> {
    ctx: &'c Ctx<'de>,
    fbb: &'s mut FlatBufferBuilder<'b>,
    _t: PhantomData<T>,
}

impl<'c, 's, 'b, 'de, T> TableSeed<'c, 's, 'b, 'de, T> {
    /// A seed writing into `fbb`.
    pub fn new(ctx: &'c Ctx<'de>, fbb: &'s mut FlatBufferBuilder<'b>) -> Self {
        TableSeed {
            ctx,
            fbb,
            _t: PhantomData,
        }
    }
}

impl<'de, 'b, T: JsonTable> DeserializeSeed<'de> for TableSeed<'_, '_, 'b, 'de, T> {
    type Value = WIPOffset<T::Out<'b>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 'b, T: JsonTable> Visitor<'de> for TableSeed<'_, '_, 'b, 'de, T> {
    type Value = WIPOffset<T::Out<'b>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::parse(self.ctx, self.fbb, map)
    }
}

/// A union value whose member is already known.
pub struct UnionSeed<'c, 's, 'b, 'de, U> {
    /// Parse state.
    pub ctx: &'c Ctx<'de>,
    /// Where the value goes.
    pub fbb: &'s mut FlatBufferBuilder<'b>,
    /// The member.
    pub tag: U,
}

impl<'de, U: JsonUnion> DeserializeSeed<'de> for UnionSeed<'_, '_, '_, 'de, U> {
    type Value = WIPOffset<UnionWIPOffset>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.tag.parse_value(self.ctx, self.fbb, d)
    }
}

/// A string, written into the builder as soon as it is read.
pub struct StrSeed<'s, 'b>(pub &'s mut FlatBufferBuilder<'b>);

impl<'de, 'b> DeserializeSeed<'de> for StrSeed<'_, 'b> {
    type Value = WIPOffset<&'b str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'b> Visitor<'de> for StrSeed<'_, 'b> {
    type Value = WIPOffset<&'b str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.create_string(v))
    }
}

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

/// What a vector's elements are, and how each one is read.
pub trait ElemKind<'de, 'b> {
    /// The element as pushed into the vector.
    type Item: Push + Copy;
    /// Reads the next element.
    fn next<A: SeqAccess<'de>>(
        &mut self,
        ctx: &Ctx<'de>,
        fbb: &mut FlatBufferBuilder<'b>,
        seq: &mut A,
    ) -> Result<Option<Self::Item>, A::Error>;
}

/// Vector elements that are scalars.
pub struct ScalarElems<T>(pub PhantomData<T>);
impl<'de, 'b, T: JsonScalarIn + Push> ElemKind<'de, 'b> for ScalarElems<T> {
    type Item = T;
    fn next<A: SeqAccess<'de>>(
        &mut self,
        _: &Ctx<'de>,
        _: &mut FlatBufferBuilder<'b>,
        seq: &mut A,
    ) -> Result<Option<T>, A::Error> {
        seq.next_element_seed(ScalarSeed::<T>::new())
    }
}

/// Vector elements that are enums.
pub struct EnumElems<T>(pub PhantomData<T>);
impl<'de, 'b, T: JsonEnum + Push> ElemKind<'de, 'b> for EnumElems<T> {
    type Item = T;
    fn next<A: SeqAccess<'de>>(
        &mut self,
        _: &Ctx<'de>,
        _: &mut FlatBufferBuilder<'b>,
        seq: &mut A,
    ) -> Result<Option<T>, A::Error> {
        seq.next_element_seed(EnumSeed::<T>::new())
    }
}

/// Vector elements that are strings.
pub struct StrElems;
impl<'de, 'b> ElemKind<'de, 'b> for StrElems {
    type Item = WIPOffset<&'b str>;
    fn next<A: SeqAccess<'de>>(
        &mut self,
        _: &Ctx<'de>,
        fbb: &mut FlatBufferBuilder<'b>,
        seq: &mut A,
    ) -> Result<Option<Self::Item>, A::Error> {
        seq.next_element_seed(StrSeed(fbb))
    }
}

/// Vector elements that are tables.
pub struct TableElems<T>(pub PhantomData<T>);
impl<'de, 'b, T: JsonTable> ElemKind<'de, 'b> for TableElems<T>
where
    WIPOffset<T::Out<'b>>: Copy,
{
    type Item = WIPOffset<T::Out<'b>>;
    fn next<A: SeqAccess<'de>>(
        &mut self,
        ctx: &Ctx<'de>,
        fbb: &mut FlatBufferBuilder<'b>,
        seq: &mut A,
    ) -> Result<Option<Self::Item>, A::Error> {
        seq.next_element_seed(TableSeed::<T>::new(ctx, fbb))
    }
}

/// A vector: elements are read (children written into the builder as they come), then the
/// vector itself is written.
pub struct VecSeed<'c, 's, 'b, 'de, K> {
    ctx: &'c Ctx<'de>,
    fbb: &'s mut FlatBufferBuilder<'b>,
    kind: K,
}

impl<'c, 's, 'b, 'de, K> VecSeed<'c, 's, 'b, 'de, K> {
    /// A seed for elements of kind `kind`.
    pub fn new(ctx: &'c Ctx<'de>, fbb: &'s mut FlatBufferBuilder<'b>, kind: K) -> Self {
        VecSeed { ctx, fbb, kind }
    }
}

impl<'de, 'b, K: ElemKind<'de, 'b>> DeserializeSeed<'de> for VecSeed<'_, '_, 'b, 'de, K>
where
    <K::Item as Push>::Output: 'b,
{
    type Value = WIPOffset<flatbuffers::Vector<'b, <K::Item as Push>::Output>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, 'b, K: ElemKind<'de, 'b>> Visitor<'de> for VecSeed<'_, '_, 'b, 'de, K>
where
    <K::Item as Push>::Output: 'b,
{
    type Value = WIPOffset<flatbuffers::Vector<'b, <K::Item as Push>::Output>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Self::Value, A::Error> {
        // Elements are real parsed values, so this grows with the input actually read, never
        // with a claimed length.
        let mut items = Vec::new();
        while let Some(item) = self.kind.next(self.ctx, self.fbb, &mut seq)? {
            items.push(item);
        }
        Ok(self.fbb.create_vector(&items))
    }
}

/// Generated for every struct: parses its JSON object (every field must be given, as in flatc).
pub trait JsonStruct: Sized + Copy {
    /// Parses the fields of one object.
    fn parse<'de, A: MapAccess<'de>>(ctx: &Ctx<'de>, map: A) -> Result<Self, A::Error>;
}

/// A struct value.
pub struct StructSeed<'c, 'de, T> {
    ctx: &'c Ctx<'de>,
    _t: PhantomData<T>,
}

impl<'c, 'de, T> StructSeed<'c, 'de, T> {
    /// The seed.
    pub fn new(ctx: &'c Ctx<'de>) -> Self {
        StructSeed {
            ctx,
            _t: PhantomData,
        }
    }
}

impl<'de, T: JsonStruct> DeserializeSeed<'de> for StructSeed<'_, 'de, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: JsonStruct> Visitor<'de> for StructSeed<'_, 'de, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::parse(self.ctx, map)
    }
}

/// Vector elements that are structs (stored inline).
pub struct StructElems<T>(pub PhantomData<T>);
impl<'de, 'b, T: JsonStruct + Push> ElemKind<'de, 'b> for StructElems<T> {
    type Item = T;
    fn next<A: SeqAccess<'de>>(
        &mut self,
        ctx: &Ctx<'de>,
        _: &mut FlatBufferBuilder<'b>,
        seq: &mut A,
    ) -> Result<Option<T>, A::Error> {
        seq.next_element_seed(StructSeed::<T>::new(ctx))
    }
}
