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

mod scalars;
mod seeds;

pub use scalars::{EnumSeed, JsonScalarIn, ScalarSeed};
pub use seeds::{
    ElemKind, EnumElems, Key, KeySeed, NullOr, ScalarElems, StrElems, StrSeed, StructElems,
    StructSeed, TableElems, TableSeed, UnionSeed, VecSeed,
};

use std::cell::RefCell;

use flatbuffers::{FlatBufferBuilder, UnionWIPOffset, WIPOffset};
use serde::de::{self, DeserializeSeed, Deserializer, Error as _, MapAccess};
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

/// How much larger than its JSON a request may become when built, as a fraction (3/2).
pub const MAX_GROWTH: (usize, usize) = (3, 2);

/// Bytes any request may build beyond [`MAX_GROWTH`], so that small requests (where fixed
/// overheads dominate: vtables, the envelope, alignment) are never refused for it.
pub const GROWTH_ALLOWANCE: usize = 64 * 1024;

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

    /// Fails once the buffer being built (plus a vector's pending offsets) outgrows the JSON text
    /// it comes from by more than half ([`MAX_GROWTH`]). Only vectors can grow that much (an item
    /// `1,` becomes 8 bytes, `"1",` 12), and only vectors are checked, after each element. Real
    /// requests build smaller than their JSON (a quoted 64-digit hash is 67 bytes and builds
    /// into 76 with its offset; most fields shrink): the bound exists so that a request of N
    /// bytes never costs more than about 4×N, the JSON, the builder's doubling buffer and the
    /// offsets included (issue 8).
    pub(crate) fn check_growth<E: de::Error>(
        &self,
        fbb: &FlatBufferBuilder<'_>,
        pending_offsets: usize,
    ) -> Result<(), E> {
        let built = fbb
            .unfinished_data()
            .len()
            .saturating_add(pending_offsets.saturating_mul(4));
        let limit = self
            .input
            .len()
            .saturating_mul(MAX_GROWTH.0)
            .checked_div(MAX_GROWTH.1)
            .unwrap_or(0)
            .saturating_add(GROWTH_ALLOWANCE);
        if built > limit {
            return Err(E::custom(format_args!(
                "request too large once built: {built} bytes from {} bytes of JSON",
                self.input.len()
            )));
        }
        Ok(())
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

/// Generated for every struct: parses its JSON object (every field must be given, as in flatc).
pub trait JsonStruct: Sized + Copy {
    /// Parses the fields of one object.
    fn parse<'de, A: MapAccess<'de>>(ctx: &Ctx<'de>, map: A) -> Result<Self, A::Error>;
}
