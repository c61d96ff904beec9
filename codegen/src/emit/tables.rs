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
        emit_table(schema, TableId(i as u32), &mut s);
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
fn vec_elem(schema: &Schema, elem: &Type, lt: &str) -> String {
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
fn vec_elem_owned(schema: &Schema, elem: &Type) -> String {
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

/// Byte size used to order fields when building (largest first keeps padding small).
fn push_size(schema: &Schema, ty: &Type) -> usize {
    match ty {
        Type::Scalar(sc) => sc.size(),
        Type::Enum(id) => schema.enum_(*id).underlying.size(),
        Type::Struct(id) => schema.strukt(*id).align,
        _ => 4,
    }
}

fn emit_table(schema: &Schema, id: TableId, s: &mut String) {
    let t = schema.table(id);
    let name = escape(&t.name);
    let fs = fields(t);
    let needs_lt = fs
        .iter()
        .any(|f| !matches!(f.field.ty, Type::Scalar(_) | Type::Enum(_) | Type::Union(_)));
    let args_ty = |lt: &str| {
        if needs_lt {
            format!("{name}Args<{lt}>")
        } else {
            format!("{name}Args")
        }
    };

    // Reader.
    s.push_str(&format!(
        "{}#[derive(Copy, Clone, PartialEq)]\npub struct {name}<'a> {{\n/// The table inside its buffer.\npub _tab: {FB}::Table<'a>,\n}}\n\
         impl<'a> {FB}::Follow<'a> for {name}<'a> {{ type Inner = {name}<'a>;\n\
         #[inline] unsafe fn follow(buf: &'a [u8], loc: usize) -> Self::Inner {{ Self {{ _tab: unsafe {{ {FB}::Table::new(buf, loc) }} }} }} }}\n\
         impl<'a> {name}<'a> {{\n",
        doc_attrs(&t.doc)
    ));
    for f in &t.fields {
        if let Some(tvo) = f.union_type_vtable_offset {
            s.push_str(&format!(
                "pub const VT_{}_TYPE: {FB}::VOffsetT = {tvo};\n",
                shouty(&f.name)
            ));
        }
        s.push_str(&format!(
            "pub const VT_{}: {FB}::VOffsetT = {};\n",
            shouty(&f.name),
            f.vtable_offset
        ));
    }
    s.push_str(&format!(
        "/// Wraps a table.\n///\n/// # Safety\n/// `table` must be a `{name}` in a buffer that was verified (or is trusted).\n\
         #[inline] pub unsafe fn init_from_table(table: {FB}::Table<'a>) -> Self {{ Self {{ _tab: table }} }}\n\
         /// Writes a whole table from its field values.\n\
         #[allow(unused_mut, unused_variables)]\n\
         pub fn create<'bldr: 'args, 'args: 'mut_bldr, 'mut_bldr, A: {FB}::Allocator + 'bldr>(\
         _fbb: &'mut_bldr mut {FB}::FlatBufferBuilder<'bldr, A>, args: &'args {}) -> {FB}::WIPOffset<{name}<'bldr>> {{\n\
         let mut builder = {name}Builder::new(_fbb);\n",
        args_ty("'args")
    ));
    let mut order: Vec<&FieldView> = fs.iter().rev().collect();
    order.sort_by_key(|f| std::cmp::Reverse(push_size(schema, &f.field.ty)));
    for f in &order {
        let m = &f.method;
        let add = format!("add_{}", snake(&f.field.name));
        match &f.field.ty {
            Type::Scalar(_) | Type::Enum(_) => s.push_str(&format!("builder.{add}(args.{m});\n")),
            Type::Union(_) => s.push_str(&format!(
                "if let ::core::option::Option::Some(x) = args.{m} {{ builder.{add}(x); }}\n"
            )),
            _ => s.push_str(&format!(
                "if let ::core::option::Option::Some(x) = args.{m} {{ builder.{add}(x); }}\n"
            )),
        }
    }
    // Union type bytes go last (1 byte each).
    for f in &fs {
        if matches!(f.field.ty, Type::Union(_)) {
            s.push_str(&format!(
                "builder.add_{}_type(args.{}_type);\n",
                snake(&f.field.name),
                snake(&f.field.name)
            ));
        }
    }
    s.push_str("builder.finish()\n}\n");

    // Accessors.
    for f in &fs {
        let fd = f.field;
        let m = &f.method;
        let vt = &f.vt;
        let doc = doc_attrs(&fd.doc);
        match &fd.ty {
            Type::Scalar(_) | Type::Enum(_) => {
                let ty = super::type_name(schema, &fd.ty);
                let def = default_expr(schema, fd).unwrap_or_default();
                s.push_str(&format!(
                    "{doc}#[inline] pub fn {m}(&self) -> {ty} {{ unsafe {{ self._tab.get::<{ty}>(Self::{vt}, ::core::option::Option::None) }}.unwrap_or({def}) }}\n"
                ));
            }
            Type::Struct(sid) => {
                let sn = escape(&schema.strukt(*sid).name);
                s.push_str(&format!(
                    "{doc}#[inline] pub fn {m}(&self) -> ::core::option::Option<&'a {sn}> {{ unsafe {{ self._tab.get::<{sn}>(Self::{vt}, ::core::option::Option::None) }} }}\n"
                ));
            }
            Type::String if fd.required => s.push_str(&format!(
                "{doc}///\n/// Required: always present in a verified buffer.\n#[inline] pub fn {m}(&self) -> &'a str {{ unsafe {{ self._tab.get::<{FB}::ForwardsUOffset<&str>>(Self::{vt}, ::core::option::Option::None) }}.unwrap_or(\"\") }}\n"
            )),
            Type::String => s.push_str(&format!(
                "{doc}#[inline] pub fn {m}(&self) -> ::core::option::Option<&'a str> {{ unsafe {{ self._tab.get::<{FB}::ForwardsUOffset<&str>>(Self::{vt}, ::core::option::Option::None) }} }}\n"
            )),
            Type::Table(tid) => {
                let tn = escape(&schema.table(*tid).name);
                s.push_str(&format!(
                    "{doc}#[inline] pub fn {m}(&self) -> ::core::option::Option<{tn}<'a>> {{ unsafe {{ self._tab.get::<{FB}::ForwardsUOffset<{tn}>>(Self::{vt}, ::core::option::Option::None) }} }}\n"
                ));
            }
            Type::Vector(elem) => {
                let e = vec_elem(schema, elem, "'a");
                s.push_str(&format!(
                    "{doc}#[inline] pub fn {m}(&self) -> ::core::option::Option<{FB}::Vector<'a, {e}>> {{ unsafe {{ self._tab.get::<{FB}::ForwardsUOffset<{FB}::Vector<'a, {e}>>>(Self::{vt}, ::core::option::Option::None) }} }}\n"
                ));
            }
            Type::Union(uid) => {
                let u = schema.union(*uid);
                let un = escape(&u.name);
                let sn = snake(&fd.name);
                s.push_str(&format!(
                    "/// The tag of `{}`: which member it holds.\n#[inline] pub fn {sn}_type(&self) -> {un} {{ unsafe {{ self._tab.get::<{un}>(Self::{vt}_TYPE, ::core::option::Option::None) }}.unwrap_or({un}::NONE) }}\n\
                     {doc}#[inline] pub fn {m}(&self) -> ::core::option::Option<{FB}::Table<'a>> {{ unsafe {{ self._tab.get::<{FB}::ForwardsUOffset<{FB}::Table<'a>>>(Self::{vt}, ::core::option::Option::None) }} }}\n",
                    fd.name
                ));
                for mem in &u.members {
                    let tn = escape(&schema.table(mem.table).name);
                    s.push_str(&format!(
                        "/// `{}` as a `{}`, when that is the member it holds.\n#[inline] pub fn {sn}_as_{}(&self) -> ::core::option::Option<{tn}<'a>> {{\n\
                         if self.{sn}_type() == {un}::{} {{ self.{m}().map(|t| unsafe {{ {tn}::init_from_table(t) }}) }} else {{ ::core::option::Option::None }} }}\n",
                        fd.name, mem.name, snake(&mem.name), escape(&mem.name)
                    ));
                }
            }
        }
    }
    emit_unpack(schema, t, &fs, s);
    s.push_str("}\n");

    emit_verifier(schema, &name, &fs, s);
    emit_args_builder(schema, &name, &fs, needs_lt, s);
    emit_debug(schema, t, &fs, s);
    emit_object(schema, t, &fs, s);
}

fn emit_unpack(schema: &Schema, t: &Table, fs: &[FieldView], s: &mut String) {
    let name = escape(&t.name);
    s.push_str(&format!(
        "/// Copies the table into its owned form.\npub fn unpack(&self) -> {name}T {{\n"
    ));
    let mut init = String::new();
    for f in fs {
        let m = &f.method;
        let fd = f.field;
        let expr = match &fd.ty {
            Type::Scalar(_) | Type::Enum(_) => format!("self.{m}()"),
            Type::Struct(_) if fd.required => format!("self.{m}().copied().unwrap_or_default()"),
            Type::Struct(_) => format!("self.{m}().copied()"),
            Type::String if fd.required => format!("self.{m}().to_string()"),
            Type::String => format!("self.{m}().map(|x| x.to_string())"),
            Type::Table(_) if fd.required => {
                format!(
                    "::std::boxed::Box::new(self.{m}().map(|x| x.unpack()).unwrap_or_default())"
                )
            }
            Type::Table(_) => format!("self.{m}().map(|x| ::std::boxed::Box::new(x.unpack()))"),
            Type::Vector(elem) => {
                let conv = match &**elem {
                    Type::String => "x.iter().map(|s| s.to_string()).collect()",
                    Type::Table(_) => "x.iter().map(|t| t.unpack()).collect()",
                    Type::Struct(_) => "x.iter().copied().collect()",
                    _ => "x.iter().collect()",
                };
                if fd.required {
                    format!("self.{m}().map(|x| {conv}).unwrap_or_default()")
                } else {
                    format!("self.{m}().map(|x| {conv})")
                }
            }
            Type::Union(uid) => {
                let u = schema.union(*uid);
                let un = escape(&u.name);
                let sn = snake(&fd.name);
                let mut e = format!("match self.{sn}_type() {{");
                for mem in &u.members {
                    let mn = escape(&mem.name);
                    e.push_str(&format!(
                        "{un}::{mn} => match self.{sn}_as_{}() {{ ::core::option::Option::Some(x) => {un}T::{mn}(::std::boxed::Box::new(x.unpack())), ::core::option::Option::None => {un}T::NONE }},",
                        snake(&mem.name)
                    ));
                }
                e.push_str(&format!("_ => {un}T::NONE }}"));
                e
            }
        };
        s.push_str(&format!("let {m} = {expr};\n"));
        init.push_str(&format!("{m},"));
    }
    s.push_str(&format!("{name}T {{ {init} }}\n}}\n"));
}

fn emit_verifier(schema: &Schema, name: &str, fs: &[FieldView], s: &mut String) {
    s.push_str(&format!(
        "impl {FB}::Verifiable for {name}<'_> {{\n#[inline] fn run_verifier(v: &mut {FB}::Verifier, pos: usize) -> ::core::result::Result<(), {FB}::InvalidFlatbuffer> {{\nv.visit_table(pos)?\n"
    ));
    for f in fs {
        let fd = f.field;
        let req = fd.required;
        let n = &fd.name;
        let vt = &f.vt;
        let ty = match &fd.ty {
            Type::Scalar(sc) => scalar_rs(*sc).to_string(),
            Type::Enum(id) => escape(&schema.enum_(*id).name),
            Type::Struct(id) => escape(&schema.strukt(*id).name),
            Type::String => format!("{FB}::ForwardsUOffset<&str>"),
            Type::Table(id) => {
                format!("{FB}::ForwardsUOffset<{}>", escape(&schema.table(*id).name))
            }
            Type::Vector(elem) => format!(
                "{FB}::ForwardsUOffset<{FB}::Vector<'_, {}>>",
                vec_elem(schema, elem, "'_")
            ),
            Type::Union(uid) => {
                let u = schema.union(*uid);
                let un = escape(&u.name);
                s.push_str(&format!(
                    ".visit_union::<{un}, _>(\"{n}_type\", Self::{vt}_TYPE, {n:?}, Self::{vt}, {req}, |key, v, pos| match key {{\n"
                ));
                for mem in &u.members {
                    let tn = escape(&schema.table(mem.table).name);
                    s.push_str(&format!(
                        "{un}::{} => v.verify_union_variant::<{FB}::ForwardsUOffset<{tn}>>(\"{}::{}\", pos),\n",
                        escape(&mem.name), u.name, mem.name
                    ));
                }
                s.push_str("_ => ::core::result::Result::Ok(()),\n})?\n");
                continue;
            }
        };
        s.push_str(&format!(
            ".visit_field::<{ty}>({n:?}, Self::{vt}, {req})?\n"
        ));
    }
    s.push_str(".finish();\n::core::result::Result::Ok(())\n}\n}\n");
}

fn emit_args_builder(
    schema: &Schema,
    name: &str,
    fs: &[FieldView],
    needs_lt: bool,
    s: &mut String,
) {
    let lt = if needs_lt { "<'a>" } else { "" };
    s.push_str(&format!(
        "/// Field values for [`{name}::create`]; `Default` gives the schema defaults.\npub struct {name}Args{lt} {{\n"
    ));
    let mut defaults = String::new();
    for f in fs {
        let fd = f.field;
        let m = &f.method;
        let doc = doc_attrs(&fd.doc);
        let (ty, def) = match &fd.ty {
            Type::Scalar(_) | Type::Enum(_) => (
                super::type_name(schema, &fd.ty),
                default_expr(schema, fd).unwrap_or_default(),
            ),
            Type::Struct(id) => (
                format!(
                    "::core::option::Option<&'a {}>",
                    escape(&schema.strukt(*id).name)
                ),
                "::core::option::Option::None".into(),
            ),
            Type::String => (
                format!("::core::option::Option<{FB}::WIPOffset<&'a str>>"),
                "::core::option::Option::None".into(),
            ),
            Type::Table(id) => (
                format!(
                    "::core::option::Option<{FB}::WIPOffset<{}<'a>>>",
                    escape(&schema.table(*id).name)
                ),
                "::core::option::Option::None".into(),
            ),
            Type::Vector(elem) => (
                format!(
                    "::core::option::Option<{FB}::WIPOffset<{FB}::Vector<'a, {}>>>",
                    vec_elem(schema, elem, "'a")
                ),
                "::core::option::Option::None".into(),
            ),
            Type::Union(uid) => {
                let un = escape(&schema.union(*uid).name);
                let sn = snake(&fd.name);
                s.push_str(&format!(
                    "/// The tag of `{}`.\npub {sn}_type: {un},\n",
                    fd.name
                ));
                defaults.push_str(&format!("{sn}_type: {un}::NONE,\n"));
                (
                    format!("::core::option::Option<{FB}::WIPOffset<{FB}::UnionWIPOffset>>"),
                    "::core::option::Option::None".into(),
                )
            }
        };
        s.push_str(&format!("{doc}pub {m}: {ty},\n"));
        defaults.push_str(&format!("{m}: {def},\n"));
    }
    s.push_str(&format!(
        "}}\nimpl{lt} ::core::default::Default for {name}Args{lt} {{ #[inline] fn default() -> Self {{ Self {{ {defaults} }} }} }}\n"
    ));

    s.push_str(&format!(
        "/// Writes a `{name}` field by field; call `finish` once every field is added.\n\
         pub struct {name}Builder<'a: 'b, 'b, A: {FB}::Allocator + 'a> {{ fbb_: &'b mut {FB}::FlatBufferBuilder<'a, A>, start_: {FB}::WIPOffset<{FB}::TableUnfinishedWIPOffset> }}\n\
         impl<'a: 'b, 'b, A: {FB}::Allocator + 'a> {name}Builder<'a, 'b, A> {{\n"
    ));
    for f in fs {
        let fd = f.field;
        let sn = snake(&fd.name);
        let vt = &f.vt;
        match &fd.ty {
            Type::Scalar(_) | Type::Enum(_) => {
                let ty = super::type_name(schema, &fd.ty);
                let def = default_expr(schema, fd).unwrap_or_default();
                s.push_str(&format!(
                    "#[inline] pub fn add_{sn}(&mut self, v: {ty}) {{ self.fbb_.push_slot::<{ty}>({name}::{vt}, v, {def}); }}\n"
                ));
            }
            Type::Struct(id) => {
                let st = escape(&schema.strukt(*id).name);
                s.push_str(&format!(
                    "#[inline] pub fn add_{sn}(&mut self, v: &{st}) {{ self.fbb_.push_slot_always::<&{st}>({name}::{vt}, v); }}\n"
                ));
            }
            Type::String => s.push_str(&format!(
                "#[inline] pub fn add_{sn}(&mut self, v: {FB}::WIPOffset<&'b str>) {{ self.fbb_.push_slot_always::<{FB}::WIPOffset<_>>({name}::{vt}, v); }}\n"
            )),
            Type::Table(id) => {
                let tn = escape(&schema.table(*id).name);
                s.push_str(&format!(
                    "#[inline] pub fn add_{sn}(&mut self, v: {FB}::WIPOffset<{tn}<'b>>) {{ self.fbb_.push_slot_always::<{FB}::WIPOffset<{tn}>>({name}::{vt}, v); }}\n"
                ));
            }
            Type::Vector(elem) => {
                let e = vec_elem(schema, elem, "'b");
                s.push_str(&format!(
                    "#[inline] pub fn add_{sn}(&mut self, v: {FB}::WIPOffset<{FB}::Vector<'b, {e}>>) {{ self.fbb_.push_slot_always::<{FB}::WIPOffset<_>>({name}::{vt}, v); }}\n"
                ));
            }
            Type::Union(uid) => {
                let un = escape(&schema.union(*uid).name);
                s.push_str(&format!(
                    "#[inline] pub fn add_{sn}_type(&mut self, v: {un}) {{ self.fbb_.push_slot::<{un}>({name}::{vt}_TYPE, v, {un}::NONE); }}\n\
                     #[inline] pub fn add_{sn}(&mut self, v: {FB}::WIPOffset<{FB}::UnionWIPOffset>) {{ self.fbb_.push_slot_always::<{FB}::WIPOffset<_>>({name}::{vt}, v); }}\n"
                ));
            }
        }
    }
    s.push_str(&format!(
        "/// Starts the table; the builder holds the `FlatBufferBuilder` until `finish`.\n\
         #[inline] pub fn new(fbb: &'b mut {FB}::FlatBufferBuilder<'a, A>) -> Self {{ let start = fbb.start_table(); Self {{ fbb_: fbb, start_: start }} }}\n\
         /// Ends the table. `(required)` fields are not checked here; the verifier checks them.\n\
         #[inline] pub fn finish(self) -> {FB}::WIPOffset<{name}<'a>> {{ let o = self.fbb_.end_table(self.start_); {FB}::WIPOffset::new(o.value()) }}\n}}\n"
    ));
}

fn emit_debug(schema: &Schema, t: &Table, fs: &[FieldView], s: &mut String) {
    let name = escape(&t.name);
    s.push_str(&format!(
        "impl ::core::fmt::Debug for {name}<'_> {{ fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{\nlet mut ds = f.debug_struct({:?});\n",
        t.name
    ));
    for fv in fs {
        let m = &fv.method;
        let n = &fv.field.name;
        if let Type::Union(uid) = &fv.field.ty {
            let u = schema.union(*uid);
            let sn = snake(n);
            s.push_str(&format!(
                "ds.field(\"{n}_type\", &self.{sn}_type());\nmatch self.{sn}_type() {{\n"
            ));
            for mem in &u.members {
                s.push_str(&format!(
                    "{}::{} => {{ ds.field({n:?}, &self.{sn}_as_{}()); }}\n",
                    escape(&u.name),
                    escape(&mem.name),
                    snake(&mem.name)
                ));
            }
            s.push_str(&format!(
                "_ => {{ ds.field({n:?}, &self.{m}().map(|t| t.loc())); }}\n}}\n"
            ));
        } else {
            s.push_str(&format!("ds.field({n:?}, &self.{m}());\n"));
        }
    }
    s.push_str("ds.finish()\n} }\n");
}

fn emit_object(schema: &Schema, t: &Table, fs: &[FieldView], s: &mut String) {
    let name = escape(&t.name);
    s.push_str(&format!(
        "/// Owned form of [`{name}`], for building and inspecting without a buffer.\n#[derive(Debug, Clone, PartialEq)]\npub struct {name}T {{\n"
    ));
    let mut defaults = String::new();
    let mut pack = String::new();
    let mut args = String::new();
    for f in fs {
        let fd = f.field;
        let m = &f.method;
        let opt = !fd.required;
        let wrap = |ty: String| {
            if opt {
                format!("::core::option::Option<{ty}>")
            } else {
                ty
            }
        };
        let none_or = |d: &str| {
            if opt {
                "::core::option::Option::None".to_string()
            } else {
                d.to_string()
            }
        };
        let (ty, def) = match &fd.ty {
            Type::Scalar(_) | Type::Enum(_) => {
                let ty = super::type_name(schema, &fd.ty);
                pack.push_str(&format!("let {m} = self.{m};\n"));
                (ty, default_expr(schema, fd).unwrap_or_default())
            }
            Type::Struct(id) => {
                let st = escape(&schema.strukt(*id).name);
                if opt {
                    pack.push_str(&format!("let {m} = self.{m}.as_ref();\n"));
                } else {
                    pack.push_str(&format!(
                        "let {m} = ::core::option::Option::Some(&self.{m});\n"
                    ));
                }
                (wrap(st), none_or("::core::default::Default::default()"))
            }
            Type::String => {
                if opt {
                    pack.push_str(&format!(
                        "let {m} = self.{m}.as_ref().map(|x| _fbb.create_string(x));\n"
                    ));
                } else {
                    pack.push_str(&format!(
                        "let {m} = ::core::option::Option::Some(_fbb.create_string(&self.{m}));\n"
                    ));
                }
                (
                    wrap("::std::string::String".into()),
                    none_or("::std::string::String::new()"),
                )
            }
            Type::Table(id) => {
                let tn = escape(&schema.table(*id).name);
                if opt {
                    pack.push_str(&format!(
                        "let {m} = self.{m}.as_ref().map(|x| x.pack(_fbb));\n"
                    ));
                } else {
                    pack.push_str(&format!(
                        "let {m} = ::core::option::Option::Some(self.{m}.pack(_fbb));\n"
                    ));
                }
                (
                    wrap(format!("::std::boxed::Box<{tn}T>")),
                    none_or("::core::default::Default::default()"),
                )
            }
            Type::Vector(elem) => {
                let e = vec_elem_owned(schema, elem);
                let build = match &**elem {
                    Type::String => "{ let w: ::std::vec::Vec<_> = x.iter().map(|s| _fbb.create_string(s)).collect(); _fbb.create_vector(&w) }",
                    Type::Table(_) => "{ let w: ::std::vec::Vec<_> = x.iter().map(|t| t.pack(_fbb)).collect(); _fbb.create_vector(&w) }",
                    _ => "_fbb.create_vector(x)",
                };
                if opt {
                    pack.push_str(&format!("let {m} = self.{m}.as_ref().map(|x| {build});\n"));
                } else {
                    pack.push_str(&format!("let {m} = {{ let x = &self.{m}; ::core::option::Option::Some({build}) }};\n"));
                }
                (
                    wrap(format!("::std::vec::Vec<{e}>")),
                    none_or("::std::vec::Vec::new()"),
                )
            }
            Type::Union(uid) => {
                let un = escape(&schema.union(*uid).name);
                let sn = snake(&fd.name);
                pack.push_str(&format!(
                    "let {sn}_type = self.{m}.union_type();\nlet {m} = self.{m}.pack(_fbb);\n"
                ));
                args.push_str(&format!("{sn}_type,"));
                (format!("{un}T"), format!("{un}T::NONE"))
            }
        };
        s.push_str(&format!("{}pub {m}: {ty},\n", doc_attrs(&fd.doc)));
        defaults.push_str(&format!("{m}: {def},\n"));
        args.push_str(&format!("{m},"));
    }
    s.push_str(&format!(
        "}}\nimpl ::core::default::Default for {name}T {{ fn default() -> Self {{ Self {{ {defaults} }} }} }}\n\
         impl {name}T {{\n/// Writes this object as a `{name}` table.\n\
         pub fn pack<'b, A: {FB}::Allocator + 'b>(&self, _fbb: &mut {FB}::FlatBufferBuilder<'b, A>) -> {FB}::WIPOffset<{name}<'b>> {{\n\
         {pack}{name}::create(_fbb, &{name}Args {{ {args} }})\n}}\n}}\n"
    ));
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
