//! The schema evolution guard: does the new schema still read (binary and JSON) what the old one
//! wrote, and the other way round?
//!
//! Binary compatibility rests on field ids, union tags, enum values and struct layouts staying
//! put; JSON compatibility additionally on names and defaults (flatc omits fields equal to their
//! default, so a changed default silently changes meaning). Appending is always fine. Each
//! problem gives one message, located at the item in the new schema, or in the old one when the
//! item was removed. Fields, enum values and union members are matched by name first
//! (`matching`), so one removal is one message rather than a cascade about everything after it.
//!
//! Layout: tables and their fields in `tables`, enums and unions in `members`, the rest here.

mod matching;
mod members;
mod tables;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{self, DefaultValue, Location, Schema, Type};

/// Compares `new` against the released `old`; an empty result means compatible.
pub fn check_compat(old: &Schema, new: &Schema) -> Diagnostics {
    let mut c = Compat {
        old,
        new,
        out: Vec::new(),
    };
    c.schema_level();
    for ot in &old.tables {
        match new.tables.iter().find(|t| t.name == ot.name) {
            None => c.err(
                &ot.loc,
                format!("table `{}` was removed or renamed", ot.name),
            ),
            Some(nt) => c.table(ot, nt),
        }
    }
    for os in &old.structs {
        match new.structs.iter().find(|s| s.name == os.name) {
            None => c.err(
                &os.loc,
                format!("struct `{}` was removed or renamed", os.name),
            ),
            Some(ns) => c.strukt(os, ns),
        }
    }
    for oe in &old.enums {
        match new.enums.iter().find(|e| e.name == oe.name) {
            None => c.err(
                &oe.loc,
                format!("enum `{}` was removed or renamed", oe.name),
            ),
            Some(ne) => c.enum_(oe, ne),
        }
    }
    for ou in &old.unions {
        match new.unions.iter().find(|u| u.name == ou.name) {
            None => c.err(
                &ou.loc,
                format!("union `{}` was removed or renamed", ou.name),
            ),
            Some(nu) => c.union(ou, nu),
        }
    }
    for os in &old.services {
        match new.services.iter().find(|s| s.name == os.name) {
            None => c.err(
                &os.loc,
                format!("rpc_service `{}` was removed or renamed", os.name),
            ),
            Some(ns) => c.service(os, ns),
        }
    }
    Diagnostics(c.out)
}

struct Compat<'a> {
    old: &'a Schema,
    new: &'a Schema,
    out: Vec<Diagnostic>,
}

/// A type as a comparable string of names (ids differ between schemas; names do not).
fn type_name(s: &Schema, ty: &Type) -> String {
    let named = |v: Option<&str>| v.unwrap_or("?").to_string();
    match ty {
        Type::Scalar(sc) => sc.schema_name().to_string(),
        Type::String => "string".to_string(),
        Type::Enum(e) => named(s.enums.get(e.0 as usize).map(|x| x.name.as_str())),
        Type::Struct(i) => named(s.structs.get(i.0 as usize).map(|x| x.name.as_str())),
        Type::Table(i) => named(s.tables.get(i.0 as usize).map(|x| x.name.as_str())),
        Type::Union(i) => named(s.unions.get(i.0 as usize).map(|x| x.name.as_str())),
        Type::Vector(inner) => format!("[{}]", type_name(s, inner)),
    }
}

fn table_name(s: &Schema, id: ir::TableId) -> &str {
    s.tables.get(id.0 as usize).map_or("?", |t| t.name.as_str())
}

/// A default as comparable text; enum defaults compare by value (what is on the wire).
fn default_text(d: &DefaultValue) -> String {
    match d {
        DefaultValue::None => "none".to_string(),
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Int(v) | DefaultValue::EnumValue { value: v, .. } => v.to_string(),
        DefaultValue::Float(f) if f.is_nan() => "nan".to_string(),
        DefaultValue::Float(f) => format!("{f:?}"),
    }
}

impl Compat<'_> {
    fn err(&mut self, loc: &Location, msg: String) {
        self.out.push(Diagnostic::new(loc, msg));
    }

    /// Where to point for schema-wide changes: the start of the new main file.
    fn top(&self) -> Location {
        Location {
            file: self.new.main_file.clone(),
            line: 1,
            col: 1,
        }
    }

    fn schema_level(&mut self) {
        let (old, new) = (self.old, self.new);
        if old.namespace != new.namespace {
            let loc = self.top();
            self.err(
                &loc,
                format!(
                    "namespace changed from `{}` to `{}`",
                    old.namespace.join("."),
                    new.namespace.join(".")
                ),
            );
        }
        let old_root = old.root_type.map(|t| table_name(old, t).to_string());
        let new_root = new.root_type.map(|t| table_name(new, t).to_string());
        if old_root != new_root {
            let loc = new
                .root_type
                .and_then(|t| new.tables.get(t.0 as usize))
                .map_or_else(|| self.top(), |t| t.loc.clone());
            self.err(
                &loc,
                format!(
                    "root_type changed from `{}` to `{}`",
                    old_root.as_deref().unwrap_or("(none)"),
                    new_root.as_deref().unwrap_or("(none)")
                ),
            );
        }
        if old.file_identifier != new.file_identifier {
            let loc = self.top();
            self.err(
                &loc,
                format!(
                    "file_identifier changed from {:?} to {:?}",
                    old.file_identifier, new.file_identifier
                ),
            );
        }
    }

    fn strukt(&mut self, os: &ir::Struct, ns: &ir::Struct) {
        let mut field_problem = false;
        for (i, of) in os.fields.iter().enumerate() {
            let Some(nf) = ns.fields.get(i) else {
                self.err(
                    &of.loc,
                    format!("field `{}.{}` was removed from a struct", os.name, of.name),
                );
                field_problem = true;
                continue;
            };
            let (o_ty, n_ty) = (type_name(self.old, &of.ty), type_name(self.new, &nf.ty));
            if nf.name != of.name || o_ty != n_ty || nf.offset != of.offset {
                self.err(
                    &nf.loc,
                    format!(
                        "struct layout changed: field {i} of `{}` was `{}: {o_ty}` at offset {}, is now `{}: {n_ty}` at offset {}",
                        ns.name, of.name, of.offset, nf.name, nf.offset
                    ),
                );
                field_problem = true;
            }
        }
        for nf in ns.fields.iter().skip(os.fields.len()) {
            self.err(
                &nf.loc,
                format!(
                    "field `{}.{}` was added to a struct: structs have a fixed layout and cannot grow",
                    ns.name, nf.name
                ),
            );
            field_problem = true;
        }
        if !field_problem && (os.size != ns.size || os.align != ns.align) {
            self.err(
                &ns.loc,
                format!(
                    "struct layout of `{}` changed: size {} align {} is now size {} align {}",
                    ns.name, os.size, os.align, ns.size, ns.align
                ),
            );
        }
    }

    fn service(&mut self, os: &ir::Service, ns: &ir::Service) {
        for om in &os.methods {
            let Some(nm) = ns.methods.iter().find(|m| m.name == om.name) else {
                self.err(
                    &om.loc,
                    format!(
                        "rpc method `{}.{}` was removed or renamed",
                        os.name, om.name
                    ),
                );
                continue;
            };
            let pairs = [
                ("request", om.request, nm.request),
                ("response", om.response, nm.response),
            ];
            for (role, o, n) in pairs {
                let (o, n) = (table_name(self.old, o), table_name(self.new, n));
                if o != n {
                    self.err(
                        &nm.loc,
                        format!(
                            "rpc method `{}.{}` changed its {role} from `{o}` to `{n}`",
                            ns.name, nm.name
                        ),
                    );
                }
            }
        }
    }
}
