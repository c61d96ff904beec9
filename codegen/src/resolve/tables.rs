//! Tables (field types, `(required)`, defaults checked against their type, field ids and vtable
//! offsets) and rpc services (request and response must be tables).

use super::{convert_attrs, doc, find_attr, parse_int, Ctx, Decl};
use crate::ast::{FieldDecl, LitKind, Literal, ServiceDecl, TypeDecl};
use crate::ir::{self, DefaultValue, ScalarType, Type};

/// The highest id whose vtable offset (`4 + 2 * id`) still fits in a `u16`.
const MAX_FIELD_ID: u16 = (u16::MAX - 4) / 2;

pub(super) fn build_table(
    ctx: &mut Ctx<'_>,
    d: &Decl<'_, TypeDecl>,
    enums: &[ir::Enum],
) -> ir::Table {
    let t = d.ast;
    let mut fields: Vec<ir::Field> = Vec::new();
    let mut all_typed = true;
    let mut key_seen = false;
    for (idx, f) in t.fields.iter().enumerate() {
        if t.fields[..idx].iter().any(|o| o.name.name == f.name.name) {
            ctx.error(
                &f.name.loc,
                format!(
                    "field `{}` is already declared in `{}`",
                    f.name.name, t.name.name
                ),
            );
        }
        let Some(ty) = ctx.resolve_type(&f.ty, &d.ns) else {
            all_typed = false;
            continue;
        };
        let required = find_attr(&f.attrs, "required").is_some();
        if required && matches!(ty, Type::Scalar(_) | Type::Enum(_)) {
            ctx.error(
                &f.name.loc,
                format!(
                    "only non-scalar fields can be (required); `{}` is a scalar",
                    f.name.name
                ),
            );
        }
        if let Some(a) = find_attr(&f.attrs, "key") {
            if matches!(ty, Type::Table(_) | Type::Vector(_) | Type::Union(_)) {
                ctx.error(
                    &a.name.loc,
                    "a (key) field must be a string, scalar, enum or struct",
                );
            }
            if key_seen {
                ctx.error(&a.name.loc, "only one field per table can be the (key)");
            }
            key_seen = true;
        }
        if let Type::Union(_) = ty {
            let tag_name = format!("{}_type", f.name.name);
            if let Some(o) = t.fields.iter().find(|o| o.name.name == tag_name) {
                ctx.error(
                    &o.name.loc,
                    format!(
                        "field `{tag_name}` clashes with the type field of union field `{}`",
                        f.name.name
                    ),
                );
            }
        }
        let default = default_value(ctx, f, &ty, enums);
        fields.push(ir::Field {
            name: f.name.name.clone(),
            doc: doc(&f.doc),
            loc: f.name.loc.clone(),
            ty,
            default,
            required,
            deprecated: find_attr(&f.attrs, "deprecated").is_some(),
            attributes: convert_attrs(&f.attrs),
            id: 0,
            vtable_offset: 0,
            union_type_vtable_offset: None,
        });
    }
    if all_typed {
        assign_ids(ctx, t, &mut fields);
    }
    ir::Table {
        name: t.name.name.clone(),
        doc: doc(&t.doc),
        loc: t.name.loc.clone(),
        attributes: convert_attrs(&t.attrs),
        fields,
    }
}

/// Implicit ids count up in declaration order (a union takes two: its `_type` slot, then its
/// value). Explicit `(id: N)` must be on all fields or none, and together cover 0..n exactly.
fn assign_ids(ctx: &mut Ctx<'_>, t: &TypeDecl, fields: &mut [ir::Field]) {
    let explicit: Vec<Option<&crate::ast::AttrUse>> =
        t.fields.iter().map(|f| find_attr(&f.attrs, "id")).collect();
    let n_explicit = explicit.iter().filter(|e| e.is_some()).count();
    // (id, field index, is the union `_type` slot)
    let mut slots: Vec<(i128, usize, bool)> = Vec::new();
    if n_explicit == 0 {
        let mut next: i128 = 0;
        for (i, f) in fields.iter().enumerate() {
            if matches!(f.ty, Type::Union(_)) {
                slots.push((next, i, true));
                next += 1;
            }
            slots.push((next, i, false));
            next += 1;
        }
    } else if n_explicit != fields.len() {
        let missing = t.fields.iter().zip(&explicit).find(|(_, e)| e.is_none());
        if let Some((f, _)) = missing {
            ctx.error(
                &f.name.loc,
                format!(
                    "either all fields or no fields of `{}` must have an (id: N) attribute; `{}` has none",
                    t.name.name, f.name.name
                ),
            );
        }
        return;
    } else {
        for (i, (f, e)) in t.fields.iter().zip(&explicit).enumerate() {
            let Some(a) = e else { continue };
            let Some(id) = a.value.as_ref().and_then(parse_int).filter(|n| *n >= 0) else {
                ctx.error(&a.name.loc, "(id: N) needs a non-negative integer");
                return;
            };
            if fields
                .get(i)
                .is_some_and(|f| matches!(f.ty, Type::Union(_)))
            {
                if id < 1 {
                    ctx.error(
                        &a.name.loc,
                        format!(
                            "union field `{}` needs an id of at least 1: its `_type` field takes id - 1",
                            f.name.name
                        ),
                    );
                    return;
                }
                slots.push((id - 1, i, true));
            }
            slots.push((id, i, false));
        }
    }
    slots.sort();
    let slot_name = |i: usize, is_type: bool| {
        let n = &t.fields[i].name.name;
        if is_type {
            format!("{n}_type")
        } else {
            n.clone()
        }
    };
    for (k, &(id, i, is_type)) in slots.iter().enumerate() {
        let loc = &t.fields[i].name.loc;
        if let Some(&(prev_id, pi, p_type)) = k.checked_sub(1).and_then(|p| slots.get(p)) {
            if prev_id == id {
                let msg = format!(
                    "field id {id} is used by both `{}` and `{}`",
                    slot_name(pi, p_type),
                    slot_name(i, is_type)
                );
                ctx.error(loc, msg);
                return;
            }
        }
        if id != k as i128 {
            let msg = format!(
                "field ids must be consecutive from 0, but id {k} is missing (next is {id} on `{}`)",
                slot_name(i, is_type)
            );
            ctx.error(loc, msg);
            return;
        }
        if id > MAX_FIELD_ID as i128 {
            ctx.error(
                &t.name.loc,
                format!("table `{}` has too many fields", t.name.name),
            );
            return;
        }
    }
    for &(id, i, is_type_slot) in &slots {
        // Checked above: 0 <= id <= MAX_FIELD_ID.
        let id = id as u16;
        let Some(f) = fields.get_mut(i) else { continue };
        if is_type_slot {
            f.union_type_vtable_offset = Some(4 + 2 * id);
        } else {
            f.id = id;
            f.vtable_offset = 4 + 2 * id;
        }
    }
}

fn default_value(ctx: &mut Ctx<'_>, f: &FieldDecl, ty: &Type, enums: &[ir::Enum]) -> DefaultValue {
    let lit = f.default.as_ref();
    let name = &f.name.name;
    match ty {
        Type::Scalar(s) => scalar_default(ctx, name, *s, lit),
        Type::Enum(e) => {
            let Some(e) = enums.get(e.0 as usize) else {
                return DefaultValue::None;
            };
            enum_default(ctx, f, e, lit)
        }
        _ => {
            if let Some(lit) = lit {
                ctx.error(
                    &lit.loc,
                    format!("default values are only allowed on scalar and enum fields; `{name}` is not one"),
                );
            }
            DefaultValue::None
        }
    }
}

fn scalar_default(
    ctx: &mut Ctx<'_>,
    name: &str,
    s: ScalarType,
    lit: Option<&Literal>,
) -> DefaultValue {
    let Some(lit) = lit else {
        return match s {
            ScalarType::Bool => DefaultValue::Bool(false),
            s if s.is_float() => DefaultValue::Float(0.0),
            _ => DefaultValue::Int(0),
        };
    };
    let bad = |ctx: &mut Ctx<'_>| {
        ctx.error(
            &lit.loc,
            format!(
                "default `{}` of field `{name}` is not a valid `{}`",
                lit.text,
                s.schema_name()
            ),
        );
        DefaultValue::None
    };
    if lit.kind == LitKind::Ident && lit.text == "null" {
        ctx.error(
            &lit.loc,
            format!(
                "optional scalars (`{name}: {} = null`) are not supported by this generator",
                s.schema_name()
            ),
        );
        return DefaultValue::None;
    }
    match s {
        ScalarType::Bool => match (lit.kind, lit.text.as_str()) {
            (LitKind::Ident, "true") | (LitKind::Int, "1") => DefaultValue::Bool(true),
            (LitKind::Ident, "false") | (LitKind::Int, "0") => DefaultValue::Bool(false),
            _ => bad(ctx),
        },
        ScalarType::Float | ScalarType::Double => {
            let v = match lit.kind {
                // flatc reads `0x…` on a float as a hex float, which needs an exponent.
                LitKind::Int if lit.text.contains(['x', 'X']) => None,
                LitKind::Int => parse_int(lit).map(|n| n as f64),
                LitKind::Float => lit.text.parse::<f64>().ok(),
                LitKind::Ident => float_word(&lit.text),
                LitKind::Str => None,
            };
            match v {
                Some(v) if s == ScalarType::Float && v.is_finite() && v.abs() > f32::MAX as f64 => {
                    ctx.error(
                        &lit.loc,
                        format!(
                            "default `{}` of field `{name}` is out of range for `float`",
                            lit.text
                        ),
                    );
                    DefaultValue::None
                }
                Some(v) => DefaultValue::Float(v),
                None => bad(ctx),
            }
        }
        _ => {
            let Some(v) = parse_int(lit) else {
                return bad(ctx);
            };
            let (min, max) = s.int_range().unwrap_or((0, 0));
            if v < min || v > max {
                ctx.error(
                    &lit.loc,
                    format!(
                        "default {v} of field `{name}` is out of range for `{}` ({min}..={max})",
                        s.schema_name()
                    ),
                );
                return DefaultValue::None;
            }
            DefaultValue::Int(v)
        }
    }
}

/// `nan`, `inf`, `infinity`, with an optional sign.
fn float_word(text: &str) -> Option<f64> {
    let (neg, word) = match text.strip_prefix('-') {
        Some(w) => (true, w),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let v = match word {
        "nan" => f64::NAN,
        "inf" | "infinity" => f64::INFINITY,
        _ => return None,
    };
    Some(if neg { -v } else { v })
}

fn enum_default(
    ctx: &mut Ctx<'_>,
    f: &FieldDecl,
    e: &ir::Enum,
    lit: Option<&Literal>,
) -> DefaultValue {
    let by_value = |v: i128| -> Option<DefaultValue> {
        e.values
            .iter()
            .position(|x| x.value == v)
            .map(|index| DefaultValue::EnumValue { index, value: v })
    };
    let all_bits = e.values.iter().fold(0i128, |acc, v| acc | v.value);
    let Some(lit) = lit else {
        if let Some(d) = by_value(0) {
            return d;
        }
        if e.bit_flags {
            return DefaultValue::Int(0);
        }
        ctx.error(
            &f.name.loc,
            format!(
                "enum `{}` has no value 0, so field `{}` needs an explicit default",
                e.name, f.name.name
            ),
        );
        return DefaultValue::None;
    };
    let found = match lit.kind {
        LitKind::Ident => e
            .values
            .iter()
            .position(|x| x.name == lit.text)
            .map(|index| DefaultValue::EnumValue {
                index,
                value: e.values[index].value,
            }),
        LitKind::Int => parse_int(lit).and_then(|v| {
            by_value(v).or_else(|| {
                (e.bit_flags && v >= 0 && v & !all_bits == 0).then_some(DefaultValue::Int(v))
            })
        }),
        _ => None,
    };
    found.unwrap_or_else(|| {
        ctx.error(
            &lit.loc,
            format!(
                "default `{}` of field `{}` is not a value of enum `{}`",
                lit.text, f.name.name, e.name
            ),
        );
        DefaultValue::None
    })
}

pub(super) fn build_services(
    ctx: &mut Ctx<'_>,
    decls: &[Decl<'_, ServiceDecl>],
) -> Vec<ir::Service> {
    let mut out = Vec::new();
    for d in decls {
        let s = d.ast;
        let mut methods: Vec<ir::RpcMethod> = Vec::new();
        for (i, m) in s.methods.iter().enumerate() {
            if s.methods[..i].iter().any(|o| o.name.name == m.name.name) {
                ctx.error(
                    &m.name.loc,
                    format!(
                        "rpc method `{}` is declared twice in `{}`",
                        m.name.name, s.name.name
                    ),
                );
            }
            let req = ctx.lookup_table(&m.request, &d.ns, "rpc request type");
            let resp = ctx.lookup_table(&m.response, &d.ns, "rpc response type");
            if let (Some(request), Some(response)) = (req, resp) {
                methods.push(ir::RpcMethod {
                    name: m.name.name.clone(),
                    doc: doc(&m.doc),
                    loc: m.name.loc.clone(),
                    request,
                    response,
                    attributes: convert_attrs(&m.attrs),
                });
            }
        }
        out.push(ir::Service {
            name: s.name.name.clone(),
            doc: doc(&s.doc),
            loc: s.name.loc.clone(),
            attributes: convert_attrs(&s.attrs),
            methods,
        });
    }
    out
}
