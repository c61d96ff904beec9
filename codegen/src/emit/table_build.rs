//! Per-table Rust output, part 2: `…Args` with schema defaults, the `…Builder`, `Debug`, and the
//! owned object type `<Table>T` with `pack`.

use super::doc_attrs;
use super::tables::{default_expr, vec_elem, vec_elem_owned, FieldView};
use crate::ir::{Schema, Table, Type};
use crate::names::{escape, snake};

const FB: &str = "::flatbuffers";

pub(crate) fn emit_args_builder(
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

pub(crate) fn emit_debug(schema: &Schema, t: &Table, fs: &[FieldView], s: &mut String) {
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
                "_ => {{ ds.field({n:?}, &self.{m}().map(|_| \"<unknown member>\")); }}\n}}\n"
            ));
        } else {
            s.push_str(&format!("ds.field({n:?}, &self.{m}());\n"));
        }
    }
    s.push_str("ds.finish()\n} }\n");
}

pub(crate) fn emit_object(schema: &Schema, t: &Table, fs: &[FieldView], s: &mut String) {
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
