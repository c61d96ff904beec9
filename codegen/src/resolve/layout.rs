//! Struct layout: each field at the next offset aligned to its own alignment, the struct's
//! alignment the largest of its fields' (or `force_align`), its size rounded up to that. This is
//! the layout flatc and every FlatBuffers runtime use, so it must match byte for byte.

use super::{convert_attrs, doc, find_attr, parse_int, Ctx, Decl};
use crate::ast::TypeDecl;
use crate::ir::{self, Type};

/// The largest alignment FlatBuffers allows (`FLATBUFFERS_MAX_ALIGNMENT`).
const MAX_ALIGN: usize = 32;

/// Larger structs are reported: far beyond any real use, and it keeps the arithmetic in range.
const MAX_STRUCT_SIZE: usize = 1 << 24;

/// Structs nested deeper than this are reported, which bounds the layout recursion.
const MAX_STRUCT_NESTING: usize = 64;

#[derive(Clone)]
enum State {
    Todo,
    InProgress,
    Done(Option<ir::Struct>),
}

pub(super) fn build_structs(
    ctx: &mut Ctx<'_>,
    decls: &[Decl<'_, TypeDecl>],
    enums: &[ir::Enum],
) -> Vec<ir::Struct> {
    let mut states = vec![State::Todo; decls.len()];
    for i in 0..decls.len() {
        compute(ctx, decls, enums, &mut states, i, 0);
    }
    states
        .into_iter()
        .zip(decls)
        .map(|(s, d)| match s {
            State::Done(Some(s)) => s,
            // Errors were recorded; keep the vector indices valid with an empty placeholder
            // (the schema is not returned when there are errors).
            _ => ir::Struct {
                name: d.ast.name.name.clone(),
                doc: doc(&d.ast.doc),
                loc: d.ast.name.loc.clone(),
                attributes: Vec::new(),
                fields: Vec::new(),
                size: 0,
                align: 1,
            },
        })
        .collect()
}

/// Size and alignment of struct `i`, computing it (and the structs it contains) on first use.
fn compute(
    ctx: &mut Ctx<'_>,
    decls: &[Decl<'_, TypeDecl>],
    enums: &[ir::Enum],
    states: &mut [State],
    i: usize,
    depth: usize,
) -> Option<(usize, usize)> {
    match states.get(i)? {
        State::Done(s) => return s.as_ref().map(|s| (s.size, s.align)),
        State::InProgress => return None,
        State::Todo => {}
    }
    states[i] = State::InProgress;
    let d = &decls[i];
    let s = d.ast;
    let mut ok = true;
    let mut fields: Vec<ir::StructField> = Vec::new();
    let mut cur = 0usize;
    let mut align = 1usize;
    if s.fields.is_empty() {
        ctx.error(
            &s.name.loc,
            format!("struct `{}` has no fields", s.name.name),
        );
        ok = false;
    }
    for f in &s.fields {
        if fields.iter().any(|o| o.name == f.name.name) {
            ctx.error(
                &f.name.loc,
                format!(
                    "field `{}` is already declared in `{}`",
                    f.name.name, s.name.name
                ),
            );
            ok = false;
        }
        if let Some(lit) = &f.default {
            ctx.error(&lit.loc, "struct fields cannot have default values");
            ok = false;
        }
        for bad in ["deprecated", "required", "id"] {
            if let Some(a) = find_attr(&f.attrs, bad) {
                ctx.error(
                    &a.name.loc,
                    format!("`({bad})` is not allowed on struct fields"),
                );
                ok = false;
            }
        }
        let Some(ty) = ctx.resolve_type(&f.ty, &d.ns) else {
            ok = false;
            continue;
        };
        let (size, falign) = match &ty {
            Type::Scalar(s) => (s.size(), s.size()),
            Type::Enum(e) => {
                let n = enums.get(e.0 as usize).map_or(1, |e| e.underlying.size());
                (n, n)
            }
            Type::Struct(inner) => {
                let j = inner.0 as usize;
                if matches!(states.get(j), Some(State::InProgress)) {
                    ctx.error(
                        f.ty.loc(),
                        format!("struct `{}` contains itself", s.name.name),
                    );
                    ok = false;
                    continue;
                }
                if depth >= MAX_STRUCT_NESTING {
                    ctx.error(f.ty.loc(), "structs are nested too deeply");
                    ok = false;
                    continue;
                }
                match compute(ctx, decls, enums, states, j, depth + 1) {
                    Some(sa) => sa,
                    None => {
                        ok = false;
                        continue;
                    }
                }
            }
            _ => {
                ctx.error(
                    f.ty.loc(),
                    format!(
                        "struct field `{}` must be a scalar, enum or struct (strings, vectors, tables and unions need a table)",
                        f.name.name
                    ),
                );
                ok = false;
                continue;
            }
        };
        let Some(offset) = cur.checked_next_multiple_of(falign).filter(|o| {
            o.checked_add(size)
                .is_some_and(|end| end <= MAX_STRUCT_SIZE)
        }) else {
            ctx.error(
                &f.name.loc,
                format!("struct `{}` is too large", s.name.name),
            );
            ok = false;
            break;
        };
        if let Some(prev) = fields.last_mut() {
            prev.padding_after = offset - cur;
        }
        fields.push(ir::StructField {
            name: f.name.name.clone(),
            doc: doc(&f.doc),
            loc: f.name.loc.clone(),
            ty,
            offset,
            padding_after: 0,
        });
        cur = offset + size;
        align = align.max(falign);
    }
    if let Some(a) = find_attr(&s.attrs, "force_align") {
        match a.value.as_ref().and_then(parse_int) {
            Some(n)
                if n > 0
                    && n <= MAX_ALIGN as i128
                    && (n as u128).is_power_of_two()
                    && n as usize >= align =>
            {
                align = n as usize;
            }
            _ => {
                ctx.error(
                    &a.name.loc,
                    format!(
                        "force_align must be a power of two between the struct's natural alignment ({align}) and {MAX_ALIGN}"
                    ),
                );
                ok = false;
            }
        }
    }
    // `cur <= MAX_STRUCT_SIZE` and `align <= MAX_ALIGN`, so this cannot overflow.
    let size = cur.next_multiple_of(align);
    if let Some(last) = fields.last_mut() {
        last.padding_after = size - cur;
    }
    let result = ok.then(|| ir::Struct {
        name: s.name.name.clone(),
        doc: doc(&s.doc),
        loc: s.name.loc.clone(),
        attributes: convert_attrs(&s.attrs),
        fields,
        size,
        align,
    });
    let out = result.as_ref().map(|s| (s.size, s.align));
    states[i] = State::Done(result);
    out
}
