//! Resolution and validation: parsed files → [`ir::Schema`](crate::ir::Schema).
//!
//! Pass 1 walks the files in include order, tracking the namespace, checking every attribute
//! against the built-ins and the ones declared so far (flatc requires declaration before use),
//! and declaring every type. Later passes resolve names and compute enum values, union tags,
//! struct layouts, field ids and defaults. Every problem is recorded; the schema is returned
//! only when there were none.

mod enums;
mod layout;
mod tables;

use crate::ast::{self, AttrUse, Item, LitKind, Literal, TypeRef};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, EnumId, Location, ScalarType, StructId, TableId, Type, UnionId};
use indexmap::IndexMap;

/// Attributes flatc knows without an `attribute` declaration.
const BUILTIN_ATTRIBUTES: &[&str] = &[
    "id",
    "deprecated",
    "required",
    "key",
    "hash",
    "force_align",
    "bit_flags",
    "original_order",
    "nested_flatbuffer",
    "flexbuffer",
    "shared",
    "private",
    "streaming",
    "idempotent",
    "csharp_partial",
    "cpp_type",
    "cpp_ptr_type",
    "cpp_ptr_type_get",
    "cpp_str_type",
    "cpp_str_flex_ctor",
    "native_inline",
    "native_type",
    "native_default",
    "native_custom_alloc",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sym {
    Table(TableId),
    Struct(StructId),
    Enum(EnumId),
    Union(UnionId),
    Service,
}

/// A declaration with the namespace it was written in.
struct Decl<'a, T> {
    ast: &'a T,
    ns: Vec<String>,
}

struct Ctx<'a> {
    diags: &'a mut Vec<Diagnostic>,
    symbols: IndexMap<String, (Sym, Location)>,
}

impl Ctx<'_> {
    fn error(&mut self, loc: &Location, msg: impl Into<String>) {
        self.diags.push(Diagnostic::new(loc, msg));
    }

    fn declare(&mut self, ns: &[String], name: &ast::Ident, sym: Sym) {
        let full = qualify(ns, &name.name);
        if let Some((_, prev)) = self.symbols.get(&full) {
            let msg = format!(
                "`{}` is already declared at {}:{}:{}",
                name.name, prev.file, prev.line, prev.col
            );
            self.error(&name.loc, msg);
            return;
        }
        self.symbols.insert(full, (sym, name.loc.clone()));
    }

    /// flatc's lookup: the innermost enclosing namespace first, then outwards to the root.
    fn lookup(&self, name: &str, ns: &[String]) -> Option<Sym> {
        (0..=ns.len())
            .rev()
            .find_map(|i| self.symbols.get(&qualify(&ns[..i], name)))
            .map(|(s, _)| *s)
    }

    fn resolve_type(&mut self, t: &TypeRef, ns: &[String]) -> Option<Type> {
        match t {
            TypeRef::Named(id) => {
                if let Some(s) = scalar_by_name(&id.name) {
                    return Some(Type::Scalar(s));
                }
                if id.name == "string" {
                    return Some(Type::String);
                }
                match self.lookup(&id.name, ns) {
                    Some(Sym::Table(t)) => Some(Type::Table(t)),
                    Some(Sym::Struct(s)) => Some(Type::Struct(s)),
                    Some(Sym::Enum(e)) => Some(Type::Enum(e)),
                    Some(Sym::Union(u)) => Some(Type::Union(u)),
                    Some(Sym::Service) => {
                        self.error(
                            &id.loc,
                            format!("`{}` is an rpc_service, not a type", id.name),
                        );
                        None
                    }
                    None => {
                        self.error(&id.loc, format!("unknown type `{}`", id.name));
                        None
                    }
                }
            }
            TypeRef::Vector(inner, loc) => match self.resolve_type(inner, ns)? {
                Type::Vector(_) => {
                    self.error(loc, "vectors of vectors are not supported");
                    None
                }
                Type::Union(_) => {
                    self.error(loc, "vectors of unions are not supported by this generator");
                    None
                }
                t => Some(Type::Vector(Box::new(t))),
            },
            TypeRef::Array(_, _, loc) => {
                self.error(
                    loc,
                    "fixed-size arrays (`[T:N]`) are not supported by this generator",
                );
                None
            }
        }
    }

    fn lookup_table(&mut self, id: &ast::Ident, ns: &[String], role: &str) -> Option<TableId> {
        match self.lookup(&id.name, ns) {
            Some(Sym::Table(t)) => Some(t),
            Some(_) => {
                self.error(&id.loc, format!("{role} `{}` must be a table", id.name));
                None
            }
            None if scalar_by_name(&id.name).is_some() || id.name == "string" => {
                self.error(&id.loc, format!("{role} `{}` must be a table", id.name));
                None
            }
            None => {
                self.error(&id.loc, format!("unknown type `{}`", id.name));
                None
            }
        }
    }
}

fn qualify(ns: &[String], name: &str) -> String {
    if ns.is_empty() {
        name.to_string()
    } else {
        format!("{}.{}", ns.join("."), name)
    }
}

pub(crate) fn scalar_by_name(name: &str) -> Option<ScalarType> {
    Some(match name {
        "bool" => ScalarType::Bool,
        "byte" | "int8" => ScalarType::Byte,
        "ubyte" | "uint8" => ScalarType::UByte,
        "short" | "int16" => ScalarType::Short,
        "ushort" | "uint16" => ScalarType::UShort,
        "int" | "int32" => ScalarType::Int,
        "uint" | "uint32" => ScalarType::UInt,
        "long" | "int64" => ScalarType::Long,
        "ulong" | "uint64" => ScalarType::ULong,
        "float" | "float32" => ScalarType::Float,
        "double" | "float64" => ScalarType::Double,
        _ => return None,
    })
}

/// Parses an integer literal (decimal or hex, optional sign); `None` when it is not one or does
/// not fit in 128 bits.
pub(crate) fn parse_int(lit: &Literal) -> Option<i128> {
    if lit.kind != LitKind::Int {
        return None;
    }
    let (neg, body) = match lit.text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, lit.text.strip_prefix('+').unwrap_or(&lit.text)),
    };
    let v = match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        Some(hex) => i128::from_str_radix(hex, 16).ok()?,
        None => body.parse::<i128>().ok()?,
    };
    Some(if neg { -v } else { v })
}

fn convert_attrs(attrs: &[AttrUse]) -> Vec<ir::Attribute> {
    attrs
        .iter()
        .map(|a| ir::Attribute {
            name: a.name.name.clone(),
            value: a.value.as_ref().map(|v| v.text.clone()),
        })
        .collect()
}

fn find_attr<'a>(attrs: &'a [AttrUse], name: &str) -> Option<&'a AttrUse> {
    attrs.iter().find(|a| a.name.name == name)
}

fn doc(lines: &[String]) -> ir::Doc {
    ir::Doc(lines.to_vec())
}

/// Checks attribute uses against built-ins and the attributes declared so far.
fn check_attrs(ctx: &mut Ctx<'_>, attrs: &[AttrUse], declared: &[String]) {
    for (i, a) in attrs.iter().enumerate() {
        let name = &a.name.name;
        if !BUILTIN_ATTRIBUTES.contains(&name.as_str()) && !declared.contains(name) {
            ctx.error(
                &a.name.loc,
                format!("attribute `{name}` is not declared (add `attribute \"{name}\";` before its first use)"),
            );
        }
        if attrs[..i].iter().any(|b| b.name.name == *name) {
            ctx.error(&a.name.loc, format!("attribute `{name}` is given twice"));
        }
    }
}

#[derive(Default)]
struct Collected<'a> {
    tables: Vec<Decl<'a, ast::TypeDecl>>,
    structs: Vec<Decl<'a, ast::TypeDecl>>,
    enums: Vec<Decl<'a, ast::EnumDecl>>,
    unions: Vec<Decl<'a, ast::EnumDecl>>,
    services: Vec<Decl<'a, ast::ServiceDecl>>,
    root: Option<Decl<'a, ast::Ident>>,
    declared_attributes: Vec<String>,
    file_identifier: Option<String>,
    file_extension: Option<String>,
    /// The namespace every declaration must share, with where it was first used.
    namespace: Option<(Vec<String>, Location)>,
}

/// Pass 1: declarations, attributes, namespaces.
fn collect<'a>(ctx: &mut Ctx<'_>, files: &'a [ast::File]) -> Collected<'a> {
    let mut c = Collected::default();
    for file in files {
        let mut ns: Vec<String> = Vec::new();
        for item in &file.items {
            let decl_name = match item {
                Item::Include(_) => None,
                Item::Namespace(parts, _) => {
                    ns = parts.clone();
                    None
                }
                Item::Attribute(lit) => {
                    if !c.declared_attributes.contains(&lit.text) {
                        c.declared_attributes.push(lit.text.clone());
                    }
                    None
                }
                Item::Type(d) => {
                    check_attrs(ctx, &d.attrs, &c.declared_attributes);
                    for f in &d.fields {
                        check_attrs(ctx, &f.attrs, &c.declared_attributes);
                    }
                    let sym = if d.is_struct {
                        c.structs.push(Decl {
                            ast: d,
                            ns: ns.clone(),
                        });
                        Sym::Struct(StructId(c.structs.len() as u32 - 1))
                    } else {
                        c.tables.push(Decl {
                            ast: d,
                            ns: ns.clone(),
                        });
                        Sym::Table(TableId(c.tables.len() as u32 - 1))
                    };
                    ctx.declare(&ns, &d.name, sym);
                    Some(&d.name)
                }
                Item::Enum(d) => {
                    check_attrs(ctx, &d.attrs, &c.declared_attributes);
                    for v in &d.values {
                        check_attrs(ctx, &v.attrs, &c.declared_attributes);
                    }
                    let sym = if d.is_union {
                        c.unions.push(Decl {
                            ast: d,
                            ns: ns.clone(),
                        });
                        Sym::Union(UnionId(c.unions.len() as u32 - 1))
                    } else {
                        c.enums.push(Decl {
                            ast: d,
                            ns: ns.clone(),
                        });
                        Sym::Enum(EnumId(c.enums.len() as u32 - 1))
                    };
                    ctx.declare(&ns, &d.name, sym);
                    Some(&d.name)
                }
                Item::Service(d) => {
                    check_attrs(ctx, &d.attrs, &c.declared_attributes);
                    for m in &d.methods {
                        check_attrs(ctx, &m.attrs, &c.declared_attributes);
                    }
                    c.services.push(Decl {
                        ast: d,
                        ns: ns.clone(),
                    });
                    ctx.declare(&ns, &d.name, Sym::Service);
                    Some(&d.name)
                }
                Item::RootType(id) => {
                    c.root = Some(Decl {
                        ast: id,
                        ns: ns.clone(),
                    });
                    None
                }
                Item::FileIdentifier(lit) => {
                    if lit.text.len() != 4 {
                        ctx.error(&lit.loc, "file_identifier must be exactly 4 bytes");
                    }
                    c.file_identifier = Some(lit.text.clone());
                    None
                }
                Item::FileExtension(lit) => {
                    c.file_extension = Some(lit.text.clone());
                    None
                }
            };
            if let Some(name) = decl_name {
                match &c.namespace {
                    None => c.namespace = Some((ns.clone(), name.loc.clone())),
                    Some((first, at)) if *first != ns => {
                        let msg = format!(
                            "this generator needs all declarations in one namespace: `{}` is in `{}`, but the declaration at {}:{}:{} is in `{}`",
                            name.name,
                            ns.join("."),
                            at.file,
                            at.line,
                            at.col,
                            first.join(".")
                        );
                        ctx.error(&name.loc, msg);
                    }
                    Some(_) => {}
                }
            }
        }
    }
    c
}

/// Resolves and validates parsed files (included files first, the main file last).
/// Returns `None` when any diagnostic was recorded (including ones already in `diags`).
pub(crate) fn resolve(
    files: &[ast::File],
    main_file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<ir::Schema> {
    let mut ctx = Ctx {
        diags,
        symbols: IndexMap::new(),
    };
    let c = collect(&mut ctx, files);

    let enums: Vec<ir::Enum> = c
        .enums
        .iter()
        .map(|d| enums::build_enum(&mut ctx, d))
        .collect();
    let unions: Vec<ir::Union> = c
        .unions
        .iter()
        .map(|d| enums::build_union(&mut ctx, d))
        .collect();
    let structs = layout::build_structs(&mut ctx, &c.structs, &enums);
    let tables: Vec<ir::Table> = c
        .tables
        .iter()
        .map(|d| tables::build_table(&mut ctx, d, &enums))
        .collect();
    let services = tables::build_services(&mut ctx, &c.services);
    let root_type = c
        .root
        .as_ref()
        .and_then(|r| ctx.lookup_table(r.ast, &r.ns, "root_type"));

    if !ctx.diags.is_empty() {
        return None;
    }
    Some(ir::Schema {
        namespace: c.namespace.map(|(ns, _)| ns).unwrap_or_default(),
        main_file: main_file.to_string(),
        root_type,
        file_identifier: c.file_identifier,
        file_extension: c.file_extension,
        declared_attributes: c.declared_attributes,
        tables,
        structs,
        enums,
        unions,
        services,
    })
}
