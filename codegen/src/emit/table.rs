//! Per-table Rust output, part 1: the zero-copy reader (`Follow`, `VT_…` slots,
//! `init_from_table`, `create`, typed accessors, `unpack`) and the `Verifiable` impl that
//! enforces `(required)`. Part 2 (`table_build.rs`) writes the builder side and the object type.

use super::tables::{default_expr, fields, is_scalar_like, push_size, vec_elem, FieldView};
use super::{doc_attrs, scalar_rs};
use crate::ir::{Schema, Table, TableId, Type};
use crate::names::{escape, shouty, snake};

const FB: &str = "::flatbuffers";

pub(crate) fn emit_table(schema: &Schema, id: TableId, s: &mut String) {
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
                     {doc}///\n/// `None` for `NONE` and for members this schema does not know: the verifier does not\n/// check those values, so they are never followed.\n\
                     #[inline] pub fn {m}(&self) -> ::core::option::Option<{FB}::Table<'a>> {{\n\
                     let tag = self.{sn}_type(); if tag == {un}::NONE || tag.variant_name().is_none() {{ return ::core::option::Option::None; }}\n\
                     unsafe {{ self._tab.get::<{FB}::ForwardsUOffset<{FB}::Table<'a>>>(Self::{vt}, ::core::option::Option::None) }} }}\n",
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
    super::table_build::emit_args_builder(schema, &name, &fs, needs_lt, s);
    super::table_build::emit_debug(schema, t, &fs, s);
    super::table_build::emit_object(schema, t, &fs, s);
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
            // See `VECTOR8` in tables.rs: C++ leaves empty ones 4-byte aligned.
            Type::Vector(elem) if push_size(schema, elem) == 8 && is_scalar_like(elem) => {
                format!(
                    "{FB}::ForwardsUOffset<Vector8<{}>>",
                    vec_elem(schema, elem, "'_")
                )
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
