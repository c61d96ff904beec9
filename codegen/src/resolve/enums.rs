//! Enums and unions: underlying types, computed values (explicit or previous + 1, strictly
//! ascending, within range), `bit_flags`, and union members with their 1-based tags.

use super::{convert_attrs, doc, find_attr, parse_int, scalar_by_name, Ctx, Decl, Sym};
use crate::ast::EnumDecl;
use crate::ir::{self, ScalarType, TableId};

pub(super) fn build_enum(ctx: &mut Ctx<'_>, d: &Decl<'_, EnumDecl>) -> ir::Enum {
    let e = d.ast;
    let underlying = match &e.underlying {
        None => {
            ctx.error(
                &e.name.loc,
                format!(
                    "enum `{}` needs an underlying integer type, e.g. `enum {} : byte`",
                    e.name.name, e.name.name
                ),
            );
            ScalarType::Byte
        }
        Some(t) => match scalar_by_name(&t.name) {
            Some(s) if s.is_integer() => s,
            _ => {
                ctx.error(
                    &t.loc,
                    format!(
                        "the underlying type of enum `{}` must be an integer type, not `{}`",
                        e.name.name, t.name
                    ),
                );
                ScalarType::Byte
            }
        },
    };
    let bit_flags = find_attr(&e.attrs, "bit_flags").is_some();
    let (min, max) = underlying.int_range().unwrap_or((0, 0));
    if bit_flags && min < 0 {
        ctx.error(
            &e.name.loc,
            format!(
                "bit_flags enum `{}` needs an unsigned underlying type",
                e.name.name
            ),
        );
    }
    if e.values.is_empty() {
        ctx.error(&e.name.loc, format!("enum `{}` has no values", e.name.name));
    }
    let bits = (underlying.size() * 8) as i128;
    let mut values: Vec<ir::EnumValue> = Vec::new();
    let mut prev: Option<i128> = None;
    for v in &e.values {
        if values.iter().any(|o| o.name == v.name.name) {
            ctx.error(
                &v.name.loc,
                format!("enum value `{}` is declared twice", v.name.name),
            );
        }
        let written = match &v.value {
            Some(lit) => match parse_int(lit) {
                Some(n) => n,
                None => {
                    ctx.error(
                        &lit.loc,
                        format!(
                            "enum value `{}` must be an integer, not `{}`",
                            v.name.name, lit.text
                        ),
                    );
                    continue;
                }
            },
            None => prev.map_or(0, |p| p.saturating_add(1)),
        };
        if let Some(p) = prev {
            if written <= p {
                ctx.error(
                    &v.name.loc,
                    format!(
                        "enum values must be ascending: `{}` = {written} does not follow {p}",
                        v.name.name
                    ),
                );
            }
        }
        prev = Some(written);
        let value = if bit_flags {
            if !(0..bits).contains(&written) {
                ctx.error(
                    &v.name.loc,
                    format!(
                        "bit position {written} of `{}` is out of range for `{}` (0..{bits})",
                        v.name.name,
                        underlying.schema_name()
                    ),
                );
                continue;
            }
            1i128 << written
        } else {
            if written < min || written > max {
                ctx.error(
                    &v.name.loc,
                    format!(
                        "value {written} of `{}` is out of range for `{}` ({min}..={max})",
                        v.name.name,
                        underlying.schema_name()
                    ),
                );
            }
            written
        };
        values.push(ir::EnumValue {
            name: v.name.name.clone(),
            doc: doc(&v.doc),
            loc: v.name.loc.clone(),
            value,
        });
    }
    ir::Enum {
        name: e.name.name.clone(),
        doc: doc(&e.doc),
        loc: e.name.loc.clone(),
        attributes: convert_attrs(&e.attrs),
        underlying,
        bit_flags,
        values,
    }
}

pub(super) fn build_union(ctx: &mut Ctx<'_>, d: &Decl<'_, EnumDecl>) -> ir::Union {
    let u = d.ast;
    let mut members: Vec<ir::UnionMember> = Vec::new();
    let mut prev: i128 = 0;
    for v in &u.values {
        let target = v.ty.as_ref().unwrap_or(&v.name);
        // flatc spells a qualified member `ns.T` as `ns_T` on the wire.
        let name = v.name.name.replace('.', "_");
        if v.ty.is_some() && v.name.name.contains('.') {
            ctx.error(&v.name.loc, "a union alias must be a plain name");
        }
        if name == "NONE" {
            ctx.error(&v.name.loc, "`NONE` is reserved for the empty union value");
        }
        if members.iter().any(|m| m.name == name) {
            ctx.error(
                &v.name.loc,
                format!("union member `{name}` is declared twice"),
            );
        }
        let tag = match &v.value {
            Some(lit) => match parse_int(lit) {
                Some(n) => n,
                None => {
                    ctx.error(
                        &lit.loc,
                        format!("union tag must be an integer, not `{}`", lit.text),
                    );
                    continue;
                }
            },
            None => prev.saturating_add(1),
        };
        if tag <= prev {
            ctx.error(
                &v.name.loc,
                format!("union tags must be ascending and start at 1: `{name}` = {tag} does not follow {prev}"),
            );
        }
        prev = tag;
        let tag = match u8::try_from(tag) {
            Ok(t) => t,
            Err(_) => {
                ctx.error(
                    &v.name.loc,
                    format!("union tag {tag} of `{name}` is out of range (1..=255)"),
                );
                continue;
            }
        };
        let table = match ctx.lookup(&target.name, &d.ns) {
            Some(Sym::Table(t)) => t,
            Some(_) => {
                ctx.error(
                    &target.loc,
                    format!(
                        "union member `{}` must be a table (structs, strings and enums are not supported in unions)",
                        target.name
                    ),
                );
                TableId(0)
            }
            None if target.name == "string" || scalar_by_name(&target.name).is_some() => {
                ctx.error(
                    &target.loc,
                    format!("union member `{}` must be a table", target.name),
                );
                TableId(0)
            }
            None => {
                ctx.error(&target.loc, format!("unknown type `{}`", target.name));
                TableId(0)
            }
        };
        members.push(ir::UnionMember {
            name,
            doc: doc(&v.doc),
            loc: v.name.loc.clone(),
            table,
            tag,
        });
    }
    ir::Union {
        name: u.name.name.clone(),
        doc: doc(&u.doc),
        loc: u.name.loc.clone(),
        attributes: convert_attrs(&u.attrs),
        members,
    }
}
