//! JSON codec emitter: `json.rs`.
//!
//! Writes, per table, a `JsonTable` parser (serde map visitor that writes straight into the
//! builder) and a `JsonWrite` impl (straight from a verified table to text); per enum and union
//! tag a `JsonEnum` impl; per union a `JsonUnion` impl choosing the member's parser; and entry
//! points for the root type and the message union. The generic machinery (seeds, writer, error
//! positions) is hand-written in the `nanoipc::schema::json_reader`/`json_writer` modules, which
//! the generated file reaches as `super::json_reader` and `super::json_writer`.

use super::tables::{default_expr, fields, FieldView};
use super::{format_rust, rust_header, scalar_rs};
use crate::emit::dispatch::message_union;
use crate::ir::{Schema, Table, TableId, Type};
use crate::names::{escape, snake};

const FB: &str = "::flatbuffers";
const OPT: &str = "::core::option::Option";

/// Emits `json.rs`.
pub fn emit(schema: &Schema) -> String {
    let mut s = String::new();
    s.push_str(
        "use super::json_reader as rt;\nuse super::json_writer as wr;\nuse super::tables as t;\n\
         #[allow(unused_imports)]\nuse ::serde::de::{DeserializeSeed as _, Error as _};\n",
    );
    for e in &schema.enums {
        let n = escape(&e.name);
        let r = scalar_rs(e.underlying);
        let sn = snake(&e.name);
        // bit_flags: flatc writes a combination as its space-separated names and reads it back.
        let (from_name, write) = if e.bit_flags {
            let flags: Vec<String> = e
                .values
                .iter()
                .map(|v| format!("({:?}, {}u64)", v.name, v.value))
                .collect();
            s.push_str(&format!(
                "const {}_FLAGS: &[(&str, u64)] = &[{}];\n",
                sn.to_uppercase(),
                flags.join(", ")
            ));
            (
                format!(
                    "t::{n}::from_name(name).or_else(|| rt::flags_from_names(name, {0}_FLAGS).and_then(|v| <{r}>::try_from(v).ok()).map(t::{n}))",
                    sn.to_uppercase()
                ),
                format!("w.flags_value(v.variant_name(), v.0 as u64, {}_FLAGS);", sn.to_uppercase()),
            )
        } else {
            (
                format!("t::{n}::from_name(name)"),
                "w.enum_value(v.variant_name(), v.0 as i128);".to_string(),
            )
        };
        s.push_str(&format!(
            "impl rt::JsonEnum for t::{n} {{ const NAME: &'static str = {:?};\n\
             fn from_name(name: &str) -> {OPT}<Self> {{ {from_name} }}\n\
             fn from_int(v: i128) -> {OPT}<Self> {{ <{r}>::try_from(v).ok().map(t::{n}) }} }}\n\
             #[allow(dead_code)]\nfn write_enum_{sn}(w: &mut wr::JsonWriter, v: t::{n}) {{ {write} }}\n",
            e.name,
        ));
    }
    for u in &schema.unions {
        let n = escape(&u.name);
        s.push_str(&format!(
            "impl rt::JsonEnum for t::{n} {{ const NAME: &'static str = {:?};\n\
             fn from_name(name: &str) -> {OPT}<Self> {{ t::{n}::from_name(name) }}\n\
             fn from_int(v: i128) -> {OPT}<Self> {{ <u8>::try_from(v).ok().map(t::{n}) }} }}\n\
             impl rt::JsonUnion for t::{n} {{\nfn parse_value<'de, 'b, D: ::serde::de::Deserializer<'de>>(self, ctx: &rt::Ctx<'de>, fbb: &mut {FB}::FlatBufferBuilder<'b>, d: D) \
             -> ::core::result::Result<{FB}::WIPOffset<{FB}::UnionWIPOffset>, D::Error> {{\nmatch self {{\n",
            u.name
        ));
        for m in &u.members {
            s.push_str(&format!(
                "t::{n}::{} => rt::TableSeed::<{}Json>::new(ctx, fbb).deserialize(d).map(|o| o.as_union_value()),\n",
                escape(&m.name),
                escape(&schema.table(m.table).name)
            ));
        }
        s.push_str(&format!(
            "_ => ::core::result::Result::Err(D::Error::custom(format_args!(\"no value can be given for union type {{:?}} of {}\", self))),\n}}\n}}\n}}\n",
            u.name
        ));
        // Writing a union value.
        s.push_str(&format!(
            "/// Writes a `{0}` value of member `tag`; returns false (writing nothing) for `NONE` and\n\
             /// members this schema does not know.\n///\n/// # Safety\n/// `value` must be a verified table of the member `tag` names.\n\
             pub unsafe fn write_{1}_value(tag: t::{n}, value: {FB}::Table<'_>, w: &mut wr::JsonWriter) -> bool {{ match tag {{\n",
            u.name,
            snake(&u.name)
        ));
        for m in &u.members {
            s.push_str(&format!(
                "t::{n}::{} => {{ wr::JsonWrite::write_json(&unsafe {{ t::{}::init_from_table(value) }}, w); true }}\n",
                escape(&m.name),
                escape(&schema.table(m.table).name)
            ));
        }
        s.push_str("_ => false,\n} }\n");
    }
    for st in &schema.structs {
        emit_struct(schema, st, &mut s);
    }
    for (i, t) in schema.tables.iter().enumerate() {
        emit_parse(schema, t, &mut s);
        emit_write(schema, TableId(i as u32), &mut s);
    }
    emit_entry_points(schema, &mut s);
    format_rust(&rust_header(schema), &s)
}

fn emit_parse(schema: &Schema, t: &Table, s: &mut String) {
    let name = escape(&t.name);
    let fs = fields(t);
    s.push_str(&format!(
        "/// Parses a `{0}` JSON object into the builder.\npub struct {name}Json;\n\
         impl rt::JsonTable for {name}Json {{ type Out<'b> = t::{name}<'b>;\n\
         #[allow(unused_mut, unused_variables)]\n\
         fn parse<'de, 'b, A: ::serde::de::MapAccess<'de>>(ctx: &rt::Ctx<'de>, fbb: &mut {FB}::FlatBufferBuilder<'b>, mut map: A) \
         -> ::core::result::Result<{FB}::WIPOffset<t::{name}<'b>>, A::Error> {{\n",
        t.name
    ));
    // Key names: union fields contribute `<f>_type` then `<f>`.
    let mut keys: Vec<String> = Vec::new();
    let mut decls = String::new();
    let mut arms = String::new();
    let mut finish = String::new();
    for (i, f) in fs.iter().enumerate() {
        let fd = f.field;
        let v = format!("f{i}");
        let n = &fd.name;
        let seed = match &fd.ty {
            Type::Scalar(sc) => format!("rt::ScalarSeed::<{}>::new()", scalar_rs(*sc)),
            Type::Enum(id) => format!(
                "rt::EnumSeed::<t::{}>::new()",
                escape(&schema.enum_(*id).name)
            ),
            Type::String => "rt::StrSeed(&mut *fbb)".to_string(),
            Type::Table(id) => format!(
                "rt::TableSeed::<{}Json>::new(ctx, &mut *fbb)",
                escape(&schema.table(*id).name)
            ),
            Type::Vector(elem) => {
                let kind = match &**elem {
                    Type::Scalar(sc) => format!(
                        "rt::ScalarElems::<{}>(::core::marker::PhantomData)",
                        scalar_rs(*sc)
                    ),
                    Type::Enum(id) => format!(
                        "rt::EnumElems::<t::{}>(::core::marker::PhantomData)",
                        escape(&schema.enum_(*id).name)
                    ),
                    Type::String => "rt::StrElems".to_string(),
                    Type::Table(id) => format!(
                        "rt::TableElems::<{}Json>(::core::marker::PhantomData)",
                        escape(&schema.table(*id).name)
                    ),
                    Type::Struct(id) => format!(
                        "rt::StructElems::<t::{}>(::core::marker::PhantomData)",
                        escape(&schema.strukt(*id).name)
                    ),
                    _ => String::new(),
                };
                if kind.is_empty() {
                    keys.push(n.clone());
                    decls.push_str(&format!("let mut {v}: {OPT}<()> = {OPT}::None;\n"));
                    arms.push_str(&format!(
                        "rt::Key::Field({}) => {{ return ::core::result::Result::Err(A::Error::custom(\"vectors of structs are not implemented in JSON: {n}\")); }}\n",
                        keys.len() - 1
                    ));
                    continue;
                }
                format!("rt::VecSeed::new(ctx, &mut *fbb, {kind})")
            }
            Type::Struct(id) => format!(
                "rt::StructSeed::<t::{}>::new(ctx)",
                escape(&schema.strukt(*id).name)
            ),
            Type::Union(uid) => {
                let un = escape(&schema.union(*uid).name);
                keys.push(format!("{n}_type"));
                let ki = keys.len() - 1;
                keys.push(n.clone());
                let kv = keys.len() - 1;
                decls.push_str(&format!(
                    "let mut {v}_type: {OPT}<t::{un}> = {OPT}::None;\nlet mut {v}: {OPT}<{FB}::WIPOffset<{FB}::UnionWIPOffset>> = {OPT}::None;\n\
                     let mut {v}_raw: {OPT}<&'de ::serde_json::value::RawValue> = {OPT}::None;\n"
                ));
                arms.push_str(&format!(
                    "rt::Key::Field({ki}) => {{ rt::once(&{v}_type, \"{n}_type\")?; {v}_type = {OPT}::Some(map.next_value_seed(rt::EnumSeed::<t::{un}>::new())?); }}\n\
                     rt::Key::Field({kv}) => {{ rt::once(&{v}, {n:?})?; rt::once(&{v}_raw, {n:?})?;\n\
                     match {v}_type {{ {OPT}::Some(tag) => {{ {v} = map.next_value_seed(rt::NullOr(rt::UnionSeed {{ ctx, fbb: &mut *fbb, tag }}))?; }}\n\
                     {OPT}::None => {{ {v}_raw = {OPT}::Some(map.next_value::<&'de ::serde_json::value::RawValue>()?); }} }} }}\n"
                ));
                finish.push_str(&format!(
                    "if let {OPT}::Some(raw) = {v}_raw {{ match {v}_type {{\n\
                     {OPT}::Some(tag) => {{ {v} = rt::reparse_union(ctx, fbb, tag, raw)?; }}\n\
                     {OPT}::None => return ::core::result::Result::Err(A::Error::custom(\"missing type field for this union value: {n}\")),\n}} }}\n\
                     if {v}.is_none() && {v}_type.is_some_and(|x| x != t::{un}::NONE) {{ return ::core::result::Result::Err(A::Error::custom(\"union value is missing: {n}\")); }}\n"
                ));
                if fd.required {
                    finish.push_str(&format!(
                        "if {v}.is_none() {{ return ::core::result::Result::Err(rt::missing({n:?}, {:?})); }}\n",
                        t.name
                    ));
                }
                continue;
            }
        };
        keys.push(n.clone());
        let ki = keys.len() - 1;
        let vty = match &fd.ty {
            Type::Scalar(sc) => scalar_rs(*sc).to_string(),
            Type::Enum(id) => format!("t::{}", escape(&schema.enum_(*id).name)),
            Type::String => format!("{FB}::WIPOffset<&'b str>"),
            Type::Table(id) => format!(
                "{FB}::WIPOffset<t::{}<'b>>",
                escape(&schema.table(*id).name)
            ),
            Type::Struct(id) => format!("t::{}", escape(&schema.strukt(*id).name)),
            _ => "_".to_string(),
        };
        if vty == "_" {
            decls.push_str(&format!("let mut {v} = {OPT}::None;\n"));
        } else {
            decls.push_str(&format!("let mut {v}: {OPT}<{vty}> = {OPT}::None;\n"));
        }
        // flatc reads `null` as "absent" for strings, tables and vectors, but rejects it for a
        // scalar or enum (and a union's type); those seeds see the `null` and refuse it.
        let read = if matches!(fd.ty, Type::Scalar(_) | Type::Enum(_)) {
            format!("{OPT}::Some(map.next_value_seed({seed})?)")
        } else {
            format!("map.next_value_seed(rt::NullOr({seed}))?")
        };
        arms.push_str(&format!(
            "rt::Key::Field({ki}) => {{ rt::once(&{v}, {n:?})?; {v} = {read}; }}\n"
        ));
        if fd.required {
            finish.push_str(&format!(
                "if {v}.is_none() {{ return ::core::result::Result::Err(rt::missing({n:?}, {:?})); }}\n",
                t.name
            ));
        }
    }
    let key_list: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
    s.push_str(&format!(
        "const FIELDS: &[&str] = &[{}];\n{decls}",
        key_list.join(", ")
    ));
    s.push_str(&format!(
        "while let {OPT}::Some(key) = map.next_key_seed(rt::KeySeed(FIELDS))? {{ match key {{\n{arms}\
         rt::Key::Unknown(name) => rt::unknown(ctx, &mut map, &name)?,\n\
         #[allow(unreachable_patterns)]\nrt::Key::Field(_) => {{ map.next_value::<::serde::de::IgnoredAny>()?; }}\n}} }}\n{finish}\
         let start = fbb.start_table();\n"
    ));
    // Push largest first, union tags (1 byte) last.
    let mut order: Vec<(usize, &FieldView)> = fs.iter().enumerate().rev().collect();
    order.sort_by_key(|(_, f)| std::cmp::Reverse(push_size(schema, &f.field.ty)));
    for (i, f) in &order {
        let fd = f.field;
        let vt = &f.vt;
        match &fd.ty {
            Type::Scalar(_) | Type::Enum(_) => {
                let ty = match &fd.ty {
                    Type::Enum(id) => format!("t::{}", escape(&schema.enum_(*id).name)),
                    other => super::type_name(schema, other),
                };
                let def = default_expr(schema, fd).unwrap_or_default();
                let def = if matches!(fd.ty, Type::Enum(_)) { format!("t::{def}") } else { def };
                s.push_str(&format!(
                    "if let {OPT}::Some(v) = f{i} {{ fbb.push_slot::<{ty}>(t::{}::{vt}, v, {def}); }}\n",
                    escape(&t.name)
                ));
            }
            Type::String | Type::Table(_) | Type::Vector(_) | Type::Union(_) => s.push_str(&format!(
                "if let {OPT}::Some(v) = f{i} {{ fbb.push_slot_always::<{FB}::WIPOffset<_>>(t::{}::{vt}, v); }}\n",
                escape(&t.name)
            )),
            Type::Struct(id) => s.push_str(&format!(
                "if let {OPT}::Some(v) = f{i} {{ fbb.push_slot_always::<&t::{}>(t::{}::{vt}, &v); }}\n",
                escape(&schema.strukt(*id).name),
                escape(&t.name)
            )),
        }
    }
    for (i, f) in fs.iter().enumerate() {
        if let Type::Union(uid) = &f.field.ty {
            let un = escape(&schema.union(*uid).name);
            s.push_str(&format!(
                "if f{i}.is_some() {{ if let {OPT}::Some(v) = f{i}_type {{ fbb.push_slot::<t::{un}>(t::{}::{}_TYPE, v, t::{un}::NONE); }} }}\n",
                escape(&t.name),
                f.vt
            ));
        }
    }
    s.push_str(&format!(
        "let o = fbb.end_table(start);\n::core::result::Result::Ok({FB}::WIPOffset::new(o.value()))\n}}\n}}\n"
    ));
}

/// Struct JSON: every field is written (flatc prints structs whole) and every field is required
/// on input.
fn emit_struct(schema: &Schema, st: &crate::ir::Struct, s: &mut String) {
    let name = escape(&st.name);
    let mut write = String::new();
    let mut decls = String::new();
    let mut arms = String::new();
    let mut checks = String::new();
    let mut args = Vec::new();
    for (i, f) in st.fields.iter().enumerate() {
        let m = crate::names::method(&f.name);
        let n = &f.name;
        let (ty, seed, out) = match &f.ty {
            Type::Scalar(sc) => (
                scalar_rs(*sc).to_string(),
                format!("rt::ScalarSeed::<{}>::new()", scalar_rs(*sc)),
                format!("w.scalar(self.{m}());"),
            ),
            Type::Enum(id) => {
                let en = escape(&schema.enum_(*id).name);
                (
                    format!("t::{en}"),
                    format!("rt::EnumSeed::<t::{en}>::new()"),
                    format!(
                        "{{ let v = self.{m}(); w.enum_value(v.variant_name(), v.0 as i128); }}"
                    ),
                )
            }
            Type::Struct(id) => {
                let sn = escape(&schema.strukt(*id).name);
                (
                    format!("t::{sn}"),
                    format!("rt::StructSeed::<t::{sn}>::new(ctx)"),
                    format!("wr::JsonWrite::write_json(&self.{m}(), w);"),
                )
            }
            _ => continue,
        };
        write.push_str(&format!("w.key({n:?}); {out}\n"));
        decls.push_str(&format!("let mut f{i}: {OPT}<{ty}> = {OPT}::None;\n"));
        arms.push_str(&format!(
            "rt::Key::Field({i}) => {{ rt::once(&f{i}, {n:?})?; f{i} = {OPT}::Some(map.next_value_seed({seed})?); }}\n"
        ));
        checks.push_str(&format!(
            "let {OPT}::Some(f{i}) = f{i} else {{ return ::core::result::Result::Err(rt::missing({n:?}, {:?})); }};\n",
            st.name
        ));
        args.push(format!("f{i}"));
    }
    let keys: Vec<String> = st.fields.iter().map(|f| format!("{:?}", f.name)).collect();
    s.push_str(&format!(
        "impl wr::JsonWrite for t::{name} {{\nfn write_json(&self, w: &mut wr::JsonWriter) {{\nw.begin_object();\n{write}w.end_object();\n}}\n}}\n\
         impl rt::JsonStruct for t::{name} {{\n#[allow(unused_mut)]\n\
         fn parse<'de, A: ::serde::de::MapAccess<'de>>(ctx: &rt::Ctx<'de>, mut map: A) -> ::core::result::Result<Self, A::Error> {{\n\
         const FIELDS: &[&str] = &[{}];\n{decls}\
         while let {OPT}::Some(key) = map.next_key_seed(rt::KeySeed(FIELDS))? {{ match key {{\n{arms}\
         rt::Key::Unknown(name) => rt::unknown(ctx, &mut map, &name)?,\n\
         #[allow(unreachable_patterns)]\nrt::Key::Field(_) => {{ map.next_value::<::serde::de::IgnoredAny>()?; }}\n}} }}\n\
         {checks}::core::result::Result::Ok(t::{name}::new({}))\n}}\n}}\n",
        keys.join(", "),
        args.join(", ")
    ));
}

fn push_size(schema: &Schema, ty: &Type) -> usize {
    match ty {
        Type::Scalar(sc) => sc.size(),
        Type::Enum(id) => schema.enum_(*id).underlying.size(),
        Type::Struct(id) => schema.strukt(*id).size.max(1),
        Type::Union(_) => 4,
        _ => 4,
    }
}

fn emit_write(schema: &Schema, id: TableId, s: &mut String) {
    let t = schema.table(id);
    let name = escape(&t.name);
    let fs = fields(t);
    s.push_str(&format!(
        "impl wr::JsonWrite for t::{name}<'_> {{\nfn write_json(&self, w: &mut wr::JsonWriter) {{\nw.begin_object();\n"
    ));
    for f in &fs {
        let fd = f.field;
        let m = &f.method;
        let n = &fd.name;
        match &fd.ty {
            Type::Scalar(_) => {
                let def = default_expr(schema, fd).unwrap_or_default();
                // flatc always prints scalar `(key)` fields, default or not.
                let is_key = crate::ir::Attribute::find(&fd.attributes, "key").is_some();
                let differs = if is_key {
                    "true".to_string()
                } else if def.ends_with("::NAN") {
                    "!v.is_nan()".to_string()
                } else {
                    format!("v != {def}")
                };
                s.push_str(&format!(
                    "{{ let v = self.{m}(); #[allow(clippy::float_cmp)] if {differs} {{ w.key({n:?}); w.scalar(v); }} }}\n"
                ));
            }
            Type::Enum(id) => {
                let def = format!("t::{}", default_expr(schema, fd).unwrap_or_default());
                let en = snake(&schema.enum_(*id).name);
                s.push_str(&format!(
                    "{{ let v = self.{m}(); if v != {def} {{ w.key({n:?}); write_enum_{en}(w, v); }} }}\n"
                ));
            }
            Type::String => s.push_str(&format!(
                "if let {OPT}::Some(v) = unsafe {{ self._tab.get::<{FB}::ForwardsUOffset<&str>>(t::{name}::{vt}, {OPT}::None) }} {{ w.key({n:?}); w.string(v); }}\n",
                vt = f.vt
            )),
            Type::Table(_) => s.push_str(&format!(
                "if let {OPT}::Some(v) = self.{m}() {{ w.key({n:?}); wr::JsonWrite::write_json(&v, w); }}\n"
            )),
            Type::Struct(_) => s.push_str(&format!(
                "if let {OPT}::Some(v) = self.{m}() {{ w.key({n:?}); wr::JsonWrite::write_json(v, w); }}\n"
            )),
            Type::Vector(elem) => {
                let each = match &**elem {
                    Type::String => "w.string(x);".to_string(),
                    Type::Table(_) => "wr::JsonWrite::write_json(&x, w);".to_string(),
                    Type::Enum(id) => format!("write_enum_{}(w, x);", snake(&schema.enum_(*id).name)),
                    Type::Struct(_) => "wr::JsonWrite::write_json(x, w);".to_string(),
                    _ => "w.scalar(x);".to_string(),
                };
                s.push_str(&format!(
                    "if let {OPT}::Some(v) = self.{m}() {{ w.key({n:?}); w.begin_array(); for x in v.iter() {{ w.element(); {each} }} w.end_array(); }}\n"
                ));
            }
            Type::Union(uid) => {
                let u = schema.union(*uid);
                let un = escape(&u.name);
                let sn = snake(n);
                s.push_str(&format!(
                    "{{ let tag = self.{sn}_type(); if tag != t::{un}::NONE {{ w.key(\"{n}_type\"); w.enum_value(tag.variant_name(), tag.0 as i128);\n\
                     if let {OPT}::Some(v) = self.{m}() {{ w.key({n:?}); if !unsafe {{ write_{}_value(tag, v, w) }} {{ w.begin_object(); w.end_object(); }} }} }} }}\n",
                    snake(&u.name)
                ));
            }
        }
    }
    s.push_str("w.end_object();\n}\n}\n");
}

fn emit_entry_points(schema: &Schema, s: &mut String) {
    let Some(root) = schema.root_type else { return };
    let rt_name = escape(&schema.table(root).name);
    let sn = snake(&schema.table(root).name);
    s.push_str(&format!(
        "/// Parses a JSON `{rt_name}` into `fbb` (not finished: call `t::finish_{sn}_buffer`).\n\
         pub fn parse_{sn}_json<'b>(input: &str, opts: &rt::JsonOptions, fbb: &mut {FB}::FlatBufferBuilder<'b>) \
         -> ::core::result::Result<{FB}::WIPOffset<t::{rt_name}<'b>>, rt::JsonError> {{ rt::parse_table::<{rt_name}Json>(input, opts, fbb) }}\n\
         /// Parses a JSON `{rt_name}` into a finished buffer.\n\
         pub fn {sn}_from_json(input: &str, opts: &rt::JsonOptions) -> ::core::result::Result<::std::vec::Vec<u8>, rt::JsonError> {{\n\
         let mut fbb = {FB}::FlatBufferBuilder::with_capacity(input.len().min(wr::MAX_RESERVE));\nlet root = parse_{sn}_json(input, opts, &mut fbb)?;\nt::finish_{sn}_buffer(&mut fbb, root);\n\
         ::core::result::Result::Ok(fbb.finished_data().to_vec())\n}}\n\
         /// Writes a `{rt_name}` as JSON (`pretty`: flatc's `--json --strict-json` layout), with\n\
         /// the output string sized from the buffer's length up front.\n\
         pub fn {sn}_to_json(v: &t::{rt_name}<'_>, pretty: bool) -> ::std::string::String {{ wr::to_json_with_capacity(v, v._tab.buf().len(), pretty) }}\n"
    ));
    if let Some((_, uid, field)) = message_union(schema) {
        let u = schema.union(uid);
        let un = escape(&u.name);
        let fsn = snake(&field);
        s.push_str(&format!(
            "/// Parses the JSON of one `{0}` member (a bare message, as `POST /api/v2/<Message>` carries)\n\
             /// into `fbb`; returns the offset to store in the `{field}` field with tag `tag`.\n\
             pub fn parse_{1}_json<'b>(tag: t::{un}, input: &str, opts: &rt::JsonOptions, fbb: &mut {FB}::FlatBufferBuilder<'b>) \
             -> ::core::result::Result<{FB}::WIPOffset<{FB}::UnionWIPOffset>, rt::JsonError> {{ rt::parse_union_value(tag, input, opts, fbb) }}\n\
             /// Writes only the `{field}` of a verified `{rt_name}` (the bare message). Returns false,\n\
             /// writing nothing, when it is unset or of a member this schema does not know.\n\
             pub fn write_{sn}_{fsn}_json(env: &t::{rt_name}<'_>, w: &mut wr::JsonWriter) -> bool {{\n\
             match env.{fsn}() {{ {OPT}::Some(v) => unsafe {{ write_{1}_value(env.{fsn}_type(), v, w) }}, {OPT}::None => false }} }}\n",
            u.name,
            snake(&u.name)
        ));
    }
}
