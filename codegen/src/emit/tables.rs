//! Rust emitter for the `flatbuffers` 25.x runtime: `tables.rs`.
//!
//! Per table: a zero-copy reader (`Follow`, `init_from_table`, typed accessors), `…Args` +
//! `…Builder` + `create`, a `Verifiable` impl that enforces `(required)`, and an owned object type
//! `<Table>T` with `pack`/`unpack`. Per enum and union: a `#[repr(transparent)]` newtype with
//! named constants (unknown values stay representable, so newer peers do not break older ones).
//! Per union also an owned enum `<Union>T`. Per struct: a fixed-size byte array newtype. The root
//! type gets `root_as_…` helpers. Accessors never panic: a required string that is absent (which
//! the verifier rules out) reads as `""`.

use super::{
    doc_attrs, enum_default_expr, format_rust, rust_header, scalar_default_lit, scalar_rs,
};
use crate::ir::{EnumId, Field, Schema, StructId, Table, TableId, Type, UnionId};
use crate::names::{escape, method, shouty, snake};

const FB: &str = "::flatbuffers";

/// The verifier of vectors of 8-byte scalars, emitted once per `tables.rs`. The `flatbuffers`
/// crate checks an empty vector's (absent) elements for 8-byte alignment, but the C++ builder
/// (flatc, nano-node's clients) may leave an empty one 4-byte aligned, which its own verifier
/// accepts: without this, a valid C++ buffer would be refused.
const VECTOR8: &str = "/// Verifies a vector of 8-byte scalars as C++ FlatBuffers writes it: an empty one needs only \
     its length's 4-byte alignment (flatc does not pad it; nothing is ever read from it), a \
     non-empty one is verified as usual.\n\
     pub struct Vector8<T>(::core::marker::PhantomData<T>);\n\
     impl<T> ::flatbuffers::Verifiable for Vector8<T>\n\
     where\n    for<'a> ::flatbuffers::Vector<'a, T>: ::flatbuffers::Verifiable,\n{\n\
     #[inline]\n\
     fn run_verifier(\n        v: &mut ::flatbuffers::Verifier,\n        pos: usize,\n    \
     ) -> ::core::result::Result<(), ::flatbuffers::InvalidFlatbuffer> {\n\
     if v.get_uoffset(pos)? == 0 {\n            return ::core::result::Result::Ok(());\n        }\n\
     <::flatbuffers::Vector<'_, T> as ::flatbuffers::Verifiable>::run_verifier(v, pos)\n\
     }\n}\n";

/// Emits `tables.rs`.
pub fn emit(schema: &Schema) -> String {
    let mut s = String::new();
    s.push_str(
        "/// The `flatbuffers` runtime version this code was generated for.\n\
         pub const FLATBUFFERS_RUNTIME_VERSION: &str = \"25.12.19\";\n",
    );
    s.push_str(&format!(
        "/// The schema file this code was generated from.\npub const SCHEMA_FILE: &str = {:?};\n",
        schema.main_file
    ));
    if let Some(id) = &schema.file_identifier {
        s.push_str(&format!(
            "/// The schema's `file_identifier`.\npub const FILE_IDENTIFIER: &str = {id:?};\n"
        ));
    }
    s.push_str(VECTOR8);
    for i in 0..schema.enums.len() {
        emit_enum(schema, EnumId(i as u32), &mut s);
    }
    for i in 0..schema.unions.len() {
        emit_union(schema, UnionId(i as u32), &mut s);
    }
    for i in 0..schema.structs.len() {
        emit_struct(schema, StructId(i as u32), &mut s);
    }
    for i in 0..schema.tables.len() {
        super::table::emit_table(schema, TableId(i as u32), &mut s);
    }
    if let Some(root) = schema.root_type {
        emit_root(schema, root, &mut s);
    }
    format_rust(&rust_header(schema), &s)
}

/// A newtype over an integer with named constants; shared by enums and union tags.
fn emit_int_newtype(
    name: &str,
    doc: &str,
    repr: &str,
    values: &[(String, String, i128)],
    s: &mut String,
) {
    let min = values.iter().map(|v| v.2).min().unwrap_or(0);
    let max = values.iter().map(|v| v.2).max().unwrap_or(0);
    s.push_str(&format!(
        "{doc}#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]\n\
         #[repr(transparent)]\npub struct {name}(pub {repr});\n\
         #[allow(non_upper_case_globals)]\nimpl {name} {{\n"
    ));
    for (vname, vdoc, v) in values {
        s.push_str(&format!(
            "{vdoc}pub const {}: Self = Self({v});\n",
            escape(vname)
        ));
    }
    s.push_str(&format!(
        "/// The smallest declared value.\npub const ENUM_MIN: {repr} = {min};\n\
         /// The largest declared value.\npub const ENUM_MAX: {repr} = {max};\n\
         /// Every declared value, in declaration order.\npub const ENUM_VALUES: &'static [Self] = &["
    ));
    for (vname, _, _) in values {
        s.push_str(&format!("Self::{},", escape(vname)));
    }
    s.push_str("];\n/// The declared name of this value, or `None` for a value this schema does not know.\n\
                pub fn variant_name(self) -> ::core::option::Option<&'static str> { match self {");
    for (vname, _, _) in values {
        s.push_str(&format!(
            "Self::{} => ::core::option::Option::Some({vname:?}),",
            escape(vname)
        ));
    }
    s.push_str("_ => ::core::option::Option::None } }\n");
    s.push_str(
        "/// Looks a value up by its declared name.\n\
         pub fn from_name(name: &str) -> ::core::option::Option<Self> { match name {",
    );
    for (vname, _, _) in values {
        s.push_str(&format!(
            "{vname:?} => ::core::option::Option::Some(Self::{}),",
            escape(vname)
        ));
    }
    s.push_str("_ => ::core::option::Option::None } }\n}\n");
    s.push_str(&format!(
        "impl ::core::fmt::Debug for {name} {{\n\
         fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{\n\
         match self.variant_name() {{ ::core::option::Option::Some(n) => f.write_str(n), \
         ::core::option::Option::None => write!(f, \"<UNKNOWN {{:?}}>\", self.0) }} }} }}\n\
         impl<'a> {FB}::Follow<'a> for {name} {{ type Inner = Self;\n\
         #[inline] unsafe fn follow(buf: &'a [u8], loc: usize) -> Self::Inner {{\n\
         Self(unsafe {{ {FB}::read_scalar_at::<{repr}>(buf, loc) }}) }} }}\n\
         impl {FB}::Push for {name} {{ type Output = {name};\n\
         #[inline] unsafe fn push(&self, dst: &mut [u8], _written_len: usize) {{\n\
         unsafe {{ {FB}::emplace_scalar::<{repr}>(dst, self.0) }} }} }}\n\
         impl {FB}::EndianScalar for {name} {{ type Scalar = {repr};\n\
         #[inline] fn to_little_endian(self) -> {repr} {{ self.0.to_le() }}\n\
         #[inline] fn from_little_endian(v: {repr}) -> Self {{ Self({repr}::from_le(v)) }} }}\n\
         impl {FB}::Verifiable for {name} {{\n\
         #[inline] fn run_verifier(v: &mut {FB}::Verifier, pos: usize) -> ::core::result::Result<(), {FB}::InvalidFlatbuffer> {{\n\
         <{repr} as {FB}::Verifiable>::run_verifier(v, pos) }} }}\n\
         impl {FB}::SimpleToVerifyInSlice for {name} {{}}\n"
    ));
}

fn emit_enum(schema: &Schema, id: EnumId, s: &mut String) {
    let e = schema.enum_(id);
    let values: Vec<_> = e
        .values
        .iter()
        .map(|v| (v.name.clone(), doc_attrs(&v.doc), v.value))
        .collect();
    emit_int_newtype(
        &escape(&e.name),
        &doc_attrs(&e.doc),
        scalar_rs(e.underlying),
        &values,
        s,
    );
}

fn emit_union(schema: &Schema, id: UnionId, s: &mut String) {
    let u = schema.union(id);
    let name = escape(&u.name);
    let mut values = vec![(
        "NONE".to_string(),
        "/// No value: the union is absent.\n".to_string(),
        0i128,
    )];
    values.extend(
        u.members
            .iter()
            .map(|m| (m.name.clone(), doc_attrs(&m.doc), m.tag as i128)),
    );
    emit_int_newtype(&name, &doc_attrs(&u.doc), "u8", &values, s);

    // The owned (object API) form.
    s.push_str(&format!(
        "/// Owned form of [`{name}`]: one variant per member, each holding the member's object type.\n\
         #[derive(Debug, Clone, PartialEq, Default)]\npub enum {name}T {{\n#[default]\nNONE,\n"
    ));
    for m in &u.members {
        let t = escape(&schema.table(m.table).name);
        s.push_str(&format!("{}(::std::boxed::Box<{t}T>),\n", escape(&m.name)));
    }
    s.push_str(&format!(
        "}}\nimpl {name}T {{\n/// The union tag this value is written with.\n\
         pub fn union_type(&self) -> {name} {{ match self {{ Self::NONE => {name}::NONE,"
    ));
    for m in &u.members {
        s.push_str(&format!("Self::{0}(_) => {name}::{0},", escape(&m.name)));
    }
    s.push_str(&format!(
        "}} }}\n/// Writes the member table; `None` for `NONE`.\n\
         pub fn pack<'b, A: {FB}::Allocator + 'b>(&self, fbb: &mut {FB}::FlatBufferBuilder<'b, A>) \
         -> ::core::option::Option<{FB}::WIPOffset<{FB}::UnionWIPOffset>> {{ match self {{ \
         Self::NONE => ::core::option::Option::None,"
    ));
    for m in &u.members {
        s.push_str(&format!(
            "Self::{}(v) => ::core::option::Option::Some(v.pack(fbb).as_union_value()),",
            escape(&m.name)
        ));
    }
    s.push_str("} }\n}\n");
}

fn emit_struct(schema: &Schema, id: StructId, s: &mut String) {
    let st = schema.strukt(id);
    let name = escape(&st.name);
    let size = st.size;
    s.push_str(&format!(
        "{}#[derive(Clone, Copy, PartialEq)]\n#[repr(transparent)]\npub struct {name}(pub [u8; {size}]);\n\
         impl ::core::default::Default for {name} {{ fn default() -> Self {{ Self([0; {size}]) }} }}\n\
         impl {FB}::SimpleToVerifyInSlice for {name} {{}}\n\
         impl<'a> {FB}::Follow<'a> for {name} {{ type Inner = &'a {name};\n\
         #[inline] unsafe fn follow(buf: &'a [u8], loc: usize) -> Self::Inner {{ unsafe {{ <&'a {name}>::follow(buf, loc) }} }} }}\n\
         impl<'a> {FB}::Follow<'a> for &'a {name} {{ type Inner = &'a {name};\n\
         #[inline] unsafe fn follow(buf: &'a [u8], loc: usize) -> Self::Inner {{ unsafe {{ {FB}::follow_cast_ref::<{name}>(buf, loc) }} }} }}\n\
         impl {FB}::Push for {name} {{ type Output = {name};\n\
         #[inline] unsafe fn push(&self, dst: &mut [u8], _written_len: usize) {{ dst[..{size}].copy_from_slice(&self.0); }}\n\
         #[inline] fn alignment() -> {FB}::PushAlignment {{ {FB}::PushAlignment::new({align}) }} }}\n\
         impl {FB}::Verifiable for {name} {{\n\
         #[inline] fn run_verifier(v: &mut {FB}::Verifier, pos: usize) -> ::core::result::Result<(), {FB}::InvalidFlatbuffer> {{\n\
         v.in_buffer::<Self>(pos) }} }}\n",
        doc_attrs(&st.doc),
        align = st.align
    ));
    let mut new_params = String::new();
    let mut new_body = String::new();
    let mut getters = String::new();
    let mut debug = String::new();
    for f in &st.fields {
        let fname = method(&f.name);
        let off = f.offset;
        let (ty, get, set) = match &f.ty {
            Type::Scalar(sc) if *sc == crate::ir::ScalarType::Bool => (
                "bool".to_string(),
                format!("self.0[{off}] != 0"),
                format!("self.0[{off}] = v as u8;"),
            ),
            Type::Scalar(sc) => {
                let r = scalar_rs(*sc);
                let n = sc.size();
                (
                    r.to_string(),
                    format!("let mut b = [0u8; {n}]; b.copy_from_slice(&self.0[{off}..{off} + {n}]); {r}::from_le_bytes(b)"),
                    format!("self.0[{off}..{off} + {n}].copy_from_slice(&v.to_le_bytes());"),
                )
            }
            Type::Enum(eid) => {
                let e = schema.enum_(*eid);
                let r = scalar_rs(e.underlying);
                let n = e.underlying.size();
                let en = escape(&e.name);
                (
                    en.clone(),
                    format!("let mut b = [0u8; {n}]; b.copy_from_slice(&self.0[{off}..{off} + {n}]); {en}({r}::from_le_bytes(b))"),
                    format!("self.0[{off}..{off} + {n}].copy_from_slice(&v.0.to_le_bytes());"),
                )
            }
            Type::Struct(sid) => {
                let inner = schema.strukt(*sid);
                let n = inner.size;
                let iname = escape(&inner.name);
                (
                    iname.clone(),
                    format!("let mut b = [0u8; {n}]; b.copy_from_slice(&self.0[{off}..{off} + {n}]); {iname}(b)"),
                    format!("self.0[{off}..{off} + {n}].copy_from_slice(&v.0);"),
                )
            }
            _ => continue,
        };
        new_params.push_str(&format!("{fname}: {ty},"));
        new_body.push_str(&format!("s.set_{}({fname});", snake(&f.name)));
        getters.push_str(&format!(
            "{}pub fn {fname}(&self) -> {ty} {{ {get} }}\npub fn set_{}(&mut self, v: {ty}) {{ {set} }}\n",
            doc_attrs(&f.doc),
            snake(&f.name)
        ));
        debug.push_str(&format!(".field({:?}, &self.{fname}())", f.name));
    }
    s.push_str(&format!(
        "impl {name} {{\n/// Builds the struct from its field values.\n#[allow(clippy::too_many_arguments)]\n\
         pub fn new({new_params}) -> Self {{ let mut s = Self::default(); {new_body} s }}\n{getters}}}\n\
         impl ::core::fmt::Debug for {name} {{ fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{\n\
         f.debug_struct({:?}){debug}.finish() }} }}\n",
        st.name
    ));
}

/// What an emitter needs to know about one (non-deprecated) table field.
pub(crate) struct FieldView<'s> {
    pub field: &'s Field,
    pub method: String,
    pub vt: String,
}

pub(crate) fn fields(table: &Table) -> Vec<FieldView<'_>> {
    table
        .fields
        .iter()
        .filter(|f| !f.deprecated)
        .map(|f| FieldView {
            field: f,
            method: method(&f.name),
            vt: format!("VT_{}", shouty(&f.name)),
        })
        .collect()
}

/// Element type of a vector as the reader sees it, with lifetime `lt`.
pub(crate) fn vec_elem(schema: &Schema, elem: &Type, lt: &str) -> String {
    match elem {
        Type::Scalar(sc) => scalar_rs(*sc).to_string(),
        Type::Enum(id) => escape(&schema.enum_(*id).name),
        Type::Struct(id) => escape(&schema.strukt(*id).name),
        Type::String => format!("{FB}::ForwardsUOffset<&{lt} str>"),
        Type::Table(id) => format!(
            "{FB}::ForwardsUOffset<{}<{lt}>>",
            escape(&schema.table(*id).name)
        ),
        Type::Union(_) | Type::Vector(_) => "u8".to_string(),
    }
}

/// Owned element type of a vector in the object API.
pub(crate) fn vec_elem_owned(schema: &Schema, elem: &Type) -> String {
    match elem {
        Type::Scalar(sc) => scalar_rs(*sc).to_string(),
        Type::Enum(id) => escape(&schema.enum_(*id).name),
        Type::Struct(id) => escape(&schema.strukt(*id).name),
        Type::String => "::std::string::String".to_string(),
        Type::Table(id) => format!("{}T", escape(&schema.table(*id).name)),
        Type::Union(_) | Type::Vector(_) => "u8".to_string(),
    }
}

/// The scalar-like default expression (scalars and enums) for a field.
pub(crate) fn default_expr(schema: &Schema, f: &Field) -> Option<String> {
    match &f.ty {
        Type::Scalar(sc) => Some(scalar_default_lit(*sc, &f.default)),
        Type::Enum(id) => Some(enum_default_expr(schema, *id, &f.default)),
        _ => None,
    }
}

/// Scalars and enums: the element types [`VECTOR8`] verifies when they are 8 bytes wide.
pub(crate) fn is_scalar_like(ty: &Type) -> bool {
    matches!(ty, Type::Scalar(_) | Type::Enum(_))
}

/// Byte size used to order fields when building (largest first keeps padding small).
pub(crate) fn push_size(schema: &Schema, ty: &Type) -> usize {
    match ty {
        Type::Scalar(sc) => sc.size(),
        Type::Enum(id) => schema.enum_(*id).underlying.size(),
        Type::Struct(id) => schema.strukt(*id).align,
        _ => 4,
    }
}

fn emit_root(schema: &Schema, root: TableId, s: &mut String) {
    let t = schema.table(root);
    let name = escape(&t.name);
    let sn = snake(&t.name);
    let ident = if schema.file_identifier.is_some() {
        "::core::option::Option::Some(FILE_IDENTIFIER)"
    } else {
        "::core::option::Option::None"
    };
    s.push_str(&format!(
        "/// Verifies `buf` with default limits and reads its root `{name}`.\n\
         #[inline] pub fn root_as_{sn}(buf: &[u8]) -> ::core::result::Result<{name}<'_>, {FB}::InvalidFlatbuffer> {{ {FB}::root::<{name}>(buf) }}\n\
         /// Verifies a size-prefixed `buf` with default limits and reads its root `{name}`.\n\
         #[inline] pub fn size_prefixed_root_as_{sn}(buf: &[u8]) -> ::core::result::Result<{name}<'_>, {FB}::InvalidFlatbuffer> {{ {FB}::size_prefixed_root::<{name}>(buf) }}\n\
         /// Verifies `buf` with the given limits (depth, table count, size) and reads its root `{name}`.\n\
         #[inline] pub fn root_as_{sn}_with_opts<'b, 'o>(opts: &'o {FB}::VerifierOptions, buf: &'b [u8]) -> ::core::result::Result<{name}<'b>, {FB}::InvalidFlatbuffer> {{ {FB}::root_with_opts::<{name}<'b>>(opts, buf) }}\n\
         /// Verifies a size-prefixed `buf` with the given limits and reads its root `{name}`.\n\
         #[inline] pub fn size_prefixed_root_as_{sn}_with_opts<'b, 'o>(opts: &'o {FB}::VerifierOptions, buf: &'b [u8]) -> ::core::result::Result<{name}<'b>, {FB}::InvalidFlatbuffer> {{ {FB}::size_prefixed_root_with_opts::<{name}<'b>>(opts, buf) }}\n\
         /// Reads the root `{name}` without verifying.\n///\n/// # Safety\n/// `buf` must hold a valid `{name}` buffer (for example one this process just built).\n\
         #[inline] pub unsafe fn root_as_{sn}_unchecked(buf: &[u8]) -> {name}<'_> {{ unsafe {{ {FB}::root_unchecked::<{name}>(buf) }} }}\n\
         /// Finishes a buffer whose root is `root`.\n\
         #[inline] pub fn finish_{sn}_buffer<'a, 'b, A: {FB}::Allocator + 'a>(fbb: &'b mut {FB}::FlatBufferBuilder<'a, A>, root: {FB}::WIPOffset<{name}<'a>>) {{ fbb.finish(root, {ident}); }}\n\
         /// Finishes a size-prefixed buffer whose root is `root`.\n\
         #[inline] pub fn finish_size_prefixed_{sn}_buffer<'a, 'b, A: {FB}::Allocator + 'a>(fbb: &'b mut {FB}::FlatBufferBuilder<'a, A>, root: {FB}::WIPOffset<{name}<'a>>) {{ fbb.finish_size_prefixed(root, {ident}); }}\n"
    ));
}
