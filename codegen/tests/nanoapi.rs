//! The project schema against its baseline (the evolution guard) and against nano-node's own
//! `nanoapi.fbs`, which is read from `../shared` and never copied into the project: the 13
//! shared messages and everything they reach must have the same fields, types, defaults,
//! `(required)` marks and ids, so that buffers and JSON cross between the two unchanged.

use nanoipc_codegen::ir::{Schema, Type};
use nanoipc_codegen::{check_compat, check_compat_files, load_schema};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ has a parent")
        .to_path_buf()
}

fn ours() -> Schema {
    load_schema(&repo().join("schema/nanoapi.fbs"), "schema/nanoapi.fbs")
        .unwrap_or_else(|e| panic!("schema/nanoapi.fbs must load:\n{e}"))
}

/// nano-node's schema, or `None` (after saying `skipped: …`) when `../shared` is absent.
fn reference() -> Option<Schema> {
    let path = repo().join("../shared/reference/nano-node/nanoapi.fbs");
    let path = if path.is_file() {
        path
    } else {
        PathBuf::from("/work/shared/reference/nano-node/nanoapi.fbs")
    };
    if !path.is_file() {
        if std::env::var("NANOIPC_REQUIRE_FLATC").is_ok_and(|v| v == "1") {
            panic!(
                "NANOIPC_REQUIRE_FLATC=1 but ../shared/reference/nano-node/nanoapi.fbs is absent"
            );
        }
        eprintln!(
            "skipped: nano-node's nanoapi.fbs not found under ../shared/reference/nano-node/"
        );
        return None;
    }
    Some(
        load_schema(&path, "nano-node/nanoapi.fbs")
            .unwrap_or_else(|e| panic!("nano-node's schema must load:\n{e}")),
    )
}

#[test]
fn project_schema_loads_with_envelope_root_and_service() {
    let s = ours();
    assert_eq!(s.namespace, vec!["nanoapi".to_string()]);
    let root = s.root_type.expect("root_type is declared");
    assert_eq!(s.table(root).name, "Envelope");
    assert!(
        !s.services.is_empty(),
        "the NanoApi rpc_service is declared"
    );
    assert!(s.declared_attributes.iter().any(|a| a == "permission"));
}

#[test]
fn project_schema_is_compatible_with_baseline() {
    let problems = check_compat_files(
        &repo().join("schema/baseline/nanoapi.fbs"),
        "schema/baseline/nanoapi.fbs",
        &repo().join("schema/nanoapi.fbs"),
        "schema/nanoapi.fbs",
    )
    .unwrap_or_else(|e| panic!("both schemas must load:\n{e}"));
    assert!(
        problems.is_empty(),
        "schema evolution broke compatibility:\n{problems}"
    );
}

#[test]
fn project_schema_evolves_nano_node_schema_compatibly() {
    let Some(reference) = reference() else { return };
    let problems = check_compat(&reference, &ours());
    assert!(
        problems.is_empty(),
        "schema/nanoapi.fbs is not wire-compatible with nano-node's:\n{problems}"
    );
}

/// One field described by names only, so the two schemas can be compared directly.
fn field_facts(s: &Schema, table: &str) -> Vec<String> {
    let id = s
        .table_by_name(table)
        .unwrap_or_else(|| panic!("table {table} exists"));
    s.table(id)
        .fields
        .iter()
        .map(|f| {
            format!(
                "{} id={} ty={} default={:?} required={} deprecated={}",
                f.name,
                f.id,
                type_name(s, &f.ty),
                f.default,
                f.required,
                f.deprecated
            )
        })
        .collect()
}

fn type_name(s: &Schema, ty: &Type) -> String {
    match ty {
        Type::Scalar(sc) => sc.schema_name().to_string(),
        Type::String => "string".into(),
        Type::Enum(e) => {
            let e = s.enum_(*e);
            let values: Vec<String> = e
                .values
                .iter()
                .map(|v| format!("{}={}", v.name, v.value))
                .collect();
            format!(
                "enum {}:{} {{{}}}",
                e.name,
                e.underlying.schema_name(),
                values.join(",")
            )
        }
        Type::Struct(i) => format!("struct {}", s.strukt(*i).name),
        Type::Table(i) => format!("table {}", s.table(*i).name),
        Type::Union(u) => {
            let u = s.union(*u);
            let members: Vec<String> = u
                .members
                .iter()
                .map(|m| format!("{}={}:{}", m.name, m.tag, s.table(m.table).name))
                .collect();
            format!("union {} {{{}}}", u.name, members.join(","))
        }
        Type::Vector(inner) => format!("[{}]", type_name(s, inner)),
    }
}

/// Tables reachable from `start` through table and union fields.
fn reachable(s: &Schema, start: &str) -> Vec<String> {
    let mut seen = vec![start.to_string()];
    let mut i = 0;
    while let Some(name) = seen.get(i).cloned() {
        i += 1;
        let Some(id) = s.table_by_name(&name) else {
            continue;
        };
        for f in &s.table(id).fields {
            let mut ty = &f.ty;
            while let Type::Vector(inner) = ty {
                ty = inner;
            }
            let next: Vec<String> = match ty {
                Type::Table(t) => vec![s.table(*t).name.clone()],
                Type::Union(u) => s
                    .union(*u)
                    .members
                    .iter()
                    .map(|m| s.table(m.table).name.clone())
                    .collect(),
                _ => Vec::new(),
            };
            for n in next {
                if !seen.contains(&n) {
                    seen.push(n);
                }
            }
        }
    }
    seen
}

#[test]
fn shared_messages_match_nano_node_field_for_field() {
    let Some(reference) = reference() else { return };
    let ours = ours();
    let ref_msg = reference
        .union_by_name("Message")
        .expect("nano-node declares Message");
    let our_msg = ours.union_by_name("Message").expect("we declare Message");
    let ref_members = &reference.union(ref_msg).members;
    assert_eq!(ref_members.len(), 13, "nano-node's Message has 13 members");
    let our_members = &ours.union(our_msg).members;
    for (i, m) in ref_members.iter().enumerate() {
        let ours_m = our_members
            .get(i)
            .unwrap_or_else(|| panic!("member {} missing", m.name));
        assert_eq!(
            (&ours_m.name, ours_m.tag),
            (&m.name, m.tag),
            "Message member {i}"
        );
        for table in reachable(&reference, &reference.table(m.table).name) {
            assert_eq!(
                field_facts(&ours, &table),
                field_facts(&reference, &table),
                "table {table} (reached from {}) differs from nano-node's",
                m.name
            );
        }
    }
    // Envelope's fields match nano-node's, except that our `Message` may append members (rule
    // 5): its member list must start with nano-node's, whose order was checked above.
    let (our_env, ref_env) = (
        field_facts(&ours, "Envelope"),
        field_facts(&reference, "Envelope"),
    );
    assert_eq!(our_env.len(), ref_env.len(), "{our_env:?}");
    for (o, r) in our_env.iter().zip(&ref_env) {
        match (o.split_once('}'), r.split_once('}')) {
            (Some((o_members, o_rest)), Some((r_members, r_rest))) => {
                assert!(o_members.starts_with(r_members), "{o}\nvs\n{r}");
                assert_eq!(o_rest, r_rest);
            }
            _ => assert_eq!(o, r),
        }
    }
}
