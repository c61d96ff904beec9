//! The serde seeds that carry the builder through a document: keys, null, tables, unions,
//! strings, vectors and structs. Each writes into the `FlatBufferBuilder` as soon as its value is
//! complete; none keeps a copy of the value.

use std::fmt;
use std::marker::PhantomData;

use flatbuffers::{FlatBufferBuilder, Push, UnionWIPOffset, WIPOffset};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::scalars::{EnumSeed, JsonScalarIn, ScalarSeed};
use super::{Ctx, JsonEnum, JsonStruct, JsonTable, JsonUnion};

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
            self.ctx.check_growth(self.fbb, items.len())?;
        }
        Ok(self.fbb.create_vector(&items))
    }
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
