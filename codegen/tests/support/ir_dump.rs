//! A compact, stable text form of the IR for golden files: one line per declaration, field,
//! value or member, with everything the front end computed (ids, vtable offsets, layout, enum
//! values, tags, defaults) and where it was declared. Much easier to review in a diff than the
//! derived `Debug` output.

use nanoipc_codegen::ir::{Attribute, DefaultValue, Doc, Location, Schema, Type};
use std::fmt::Write;

fn at(loc: &Location) -> String {
    format!("@{}:{}:{}", loc.file, loc.line, loc.col)
}

fn doc(out: &mut String, indent: &str, d: &Doc) {
    for line in &d.0 {
        let _ = writeln!(out, "{indent}/// {line}");
    }
}

fn attrs(a: &[Attribute]) -> String {
    if a.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = a
        .iter()
        .map(|a| match &a.value {
            Some(v) => format!("{}: {v:?}", a.name),
            None => a.name.clone(),
        })
        .collect();
    format!(" ({})", parts.join(", "))
}

fn ty(s: &Schema, t: &Type) -> String {
    match t {
        Type::Scalar(sc) => sc.schema_name().to_string(),
        Type::String => "string".to_string(),
        Type::Enum(e) => format!("enum {}", s.enum_(*e).name),
        Type::Struct(i) => format!("struct {}", s.strukt(*i).name),
        Type::Table(i) => format!("table {}", s.table(*i).name),
        Type::Union(u) => format!("union {}", s.union(*u).name),
        Type::Vector(inner) => format!("[{}]", ty(s, inner)),
    }
}

fn default(s: &Schema, t: &Type, d: &DefaultValue) -> String {
    match d {
        DefaultValue::None => String::new(),
        DefaultValue::Bool(b) => format!(" = {b}"),
        DefaultValue::Int(v) => format!(" = {v}"),
        DefaultValue::Float(f) => format!(" = {f:?}"),
        DefaultValue::EnumValue { index, value } => {
            let name = match t {
                Type::Enum(e) => s.enum_(*e).values.get(*index).map(|v| v.name.as_str()),
                _ => None,
            };
            format!(" = {} ({value})", name.unwrap_or("?"))
        }
    }
}

pub fn dump(s: &Schema) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "main_file {}", s.main_file);
    let _ = writeln!(o, "namespace {}", s.namespace.join("."));
    if let Some(r) = s.root_type {
        let _ = writeln!(o, "root_type {}", s.table(r).name);
    }
    if let Some(f) = &s.file_identifier {
        let _ = writeln!(o, "file_identifier {f:?}");
    }
    if let Some(f) = &s.file_extension {
        let _ = writeln!(o, "file_extension {f:?}");
    }
    let _ = writeln!(o, "attributes [{}]", s.declared_attributes.join(", "));
    for e in &s.enums {
        let _ = writeln!(o);
        doc(&mut o, "", &e.doc);
        // `bit_flags` shows in the attribute list.
        let _ = writeln!(
            o,
            "enum {} : {}{} {}",
            e.name,
            e.underlying.schema_name(),
            attrs(&e.attributes),
            at(&e.loc)
        );
        for v in &e.values {
            doc(&mut o, "  ", &v.doc);
            let _ = writeln!(o, "  {} = {} {}", v.name, v.value, at(&v.loc));
        }
    }
    for st in &s.structs {
        let _ = writeln!(o);
        doc(&mut o, "", &st.doc);
        let _ = writeln!(
            o,
            "struct {} size={} align={}{} {}",
            st.name,
            st.size,
            st.align,
            attrs(&st.attributes),
            at(&st.loc)
        );
        for f in &st.fields {
            doc(&mut o, "  ", &f.doc);
            let _ = writeln!(
                o,
                "  {}: {} offset={} padding_after={} {}",
                f.name,
                ty(s, &f.ty),
                f.offset,
                f.padding_after,
                at(&f.loc)
            );
        }
    }
    for t in &s.tables {
        let _ = writeln!(o);
        doc(&mut o, "", &t.doc);
        let _ = writeln!(o, "table {}{} {}", t.name, attrs(&t.attributes), at(&t.loc));
        for f in &t.fields {
            doc(&mut o, "  ", &f.doc);
            let mut flags = String::new();
            if f.required {
                flags.push_str(" required");
            }
            if f.deprecated {
                flags.push_str(" deprecated");
            }
            let type_slot = f
                .union_type_vtable_offset
                .map(|v| format!(" type_vtable={v}"))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "  {}: {}{} id={} vtable={}{type_slot}{flags}{} {}",
                f.name,
                ty(s, &f.ty),
                default(s, &f.ty, &f.default),
                f.id,
                f.vtable_offset,
                attrs(&f.attributes),
                at(&f.loc)
            );
        }
    }
    for u in &s.unions {
        let _ = writeln!(o);
        doc(&mut o, "", &u.doc);
        let _ = writeln!(o, "union {}{} {}", u.name, attrs(&u.attributes), at(&u.loc));
        for m in &u.members {
            doc(&mut o, "  ", &m.doc);
            let _ = writeln!(
                o,
                "  {} = {} -> {} {}",
                m.name,
                m.tag,
                s.table(m.table).name,
                at(&m.loc)
            );
        }
    }
    for sv in &s.services {
        let _ = writeln!(o);
        doc(&mut o, "", &sv.doc);
        let _ = writeln!(
            o,
            "rpc_service {}{} {}",
            sv.name,
            attrs(&sv.attributes),
            at(&sv.loc)
        );
        for m in &sv.methods {
            doc(&mut o, "  ", &m.doc);
            let _ = writeln!(
                o,
                "  {}({}): {}{} {}",
                m.name,
                s.table(m.request).name,
                s.table(m.response).name,
                attrs(&m.attributes),
                at(&m.loc)
            );
        }
    }
    o
}
