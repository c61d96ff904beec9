//! Front-end behaviour checked directly on the IR: ids, layout, enum values, defaults, name
//! resolution, includes, doc comments, the diagnostics format, and rules where this generator
//! is deliberately stricter than flatc.

use nanoipc_codegen::ir::{DefaultValue, Schema, TableId, Type};
use nanoipc_codegen::{load_schema, parse_schema_str};

fn ok(text: &str) -> Schema {
    parse_schema_str("t.fbs", text).unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> String {
    match parse_schema_str("t.fbs", text) {
        Ok(_) => panic!("schema was accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn diagnostic_format_is_file_line_col_with_caret() {
    let e = err("table T {\n\tx: Nope;\n}\n");
    assert_eq!(
        e,
        "t.fbs:2:5: error: unknown type `Nope`\n\tx: Nope;\n\t   ^"
    );
}

#[test]
fn all_errors_are_reported() {
    let e = parse_schema_str(
        "t.fbs",
        "table A { a: X; b: int = 1.5; c: int (required); a: int; }\nroot_type Z;\n",
    )
    .expect_err("bad schema");
    assert_eq!(e.len(), 5, "{e}");
}

#[test]
fn implicit_ids_give_unions_two_slots() {
    let s = ok("table M {} union U { M } table T { a: int; u: U; b: string; }");
    let t = &s.tables[1];
    let facts: Vec<_> = t
        .fields
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.id,
                f.vtable_offset,
                f.union_type_vtable_offset,
            )
        })
        .collect();
    assert_eq!(
        facts,
        vec![("a", 0, 4, None), ("u", 2, 8, Some(6)), ("b", 3, 10, None)]
    );
}

#[test]
fn explicit_ids_may_be_written_in_any_order() {
    let s =
        ok("table M {} union U { M } table T { b: string (id: 3); u: U (id: 2); a: int (id: 0); }");
    let ids: Vec<_> = s.tables[1]
        .fields
        .iter()
        .map(|f| (f.id, f.union_type_vtable_offset))
        .collect();
    assert_eq!(ids, vec![(3, None), (2, Some(6)), (0, None)]);
}

#[test]
fn struct_layout_has_padding_and_alignment() {
    let s = ok(
        "struct S { a: byte; b: long; c: short; } struct W { s: S; d: ubyte; } table T { w: W; }",
    );
    let l: Vec<_> = s.structs[0]
        .fields
        .iter()
        .map(|f| (f.offset, f.padding_after))
        .collect();
    assert_eq!(l, vec![(0, 7), (8, 0), (16, 6)]);
    assert_eq!((s.structs[0].size, s.structs[0].align), (24, 8));
    assert_eq!((s.structs[1].size, s.structs[1].align), (32, 8));
    assert_eq!(s.structs[1].fields[1].offset, 24);
}

#[test]
fn enum_values_implicit_explicit_and_bit_flags() {
    let s = ok("enum E : int { A = -2, B, C = 0x10, D } enum F : uint (bit_flags) { X, Y, Z = 31 } table T {}");
    let v: Vec<_> = s.enums[0].values.iter().map(|v| v.value).collect();
    assert_eq!(v, vec![-2, -1, 16, 17]);
    let f: Vec<_> = s.enums[1].values.iter().map(|v| v.value).collect();
    assert_eq!(f, vec![1, 2, 1 << 31]);
}

#[test]
fn defaults_in_every_form() {
    let s = ok("enum E : ubyte { A = 1, B } table T { a: short = -0x10; b: double = -inf; c: float = nan; d: E = B; e: E = 1; f: bool = 1; g: ulong = 0xFFFFFFFFFFFFFFFF; }");
    let d: Vec<_> = s.tables[0]
        .fields
        .iter()
        .map(|f| f.default.clone())
        .collect();
    assert_eq!(d[0], DefaultValue::Int(-16));
    assert_eq!(d[1], DefaultValue::Float(f64::NEG_INFINITY));
    assert!(matches!(d[2], DefaultValue::Float(x) if x.is_nan()));
    assert_eq!(d[3], DefaultValue::EnumValue { index: 1, value: 2 });
    assert_eq!(d[4], DefaultValue::EnumValue { index: 0, value: 1 });
    assert_eq!(d[5], DefaultValue::Bool(true));
    assert_eq!(d[6], DefaultValue::Int(u64::MAX as i128));
}

#[test]
fn qualified_and_plain_names_resolve() {
    let s = ok("namespace a.b; table X {} table Y { x: a.b.X; y: X; z: b.X; } root_type a.b.X;");
    assert_eq!(s.namespace, vec!["a", "b"]);
    assert_eq!(s.tables[0].name, "X");
    assert!(s.tables[1]
        .fields
        .iter()
        .all(|f| f.ty == Type::Table(TableId(0))));
    assert_eq!(s.root_type, Some(TableId(0)));
}

#[test]
fn union_alias_and_qualified_member() {
    let s = ok("attribute a; namespace n; table A {} union U { A (a), Other: A, n.A = 5 } table T { u: U; }");
    let m: Vec<_> = s.unions[0]
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.tag))
        .collect();
    assert_eq!(m, vec![("A", 1), ("Other", 2), ("n_A", 5)]);
}

#[test]
fn doc_comments_kept_plain_comments_dropped() {
    let s = ok("// plain\n/// Table doc.\n///   indented\n//// ruler\ntable T {\n  /* block */ /// Field doc.\n  x: int; // trailing\n}\n");
    assert_eq!(s.tables[0].doc.0, vec!["Table doc.", "  indented"]);
    assert_eq!(s.tables[0].fields[0].doc.0, vec!["Field doc."]);
}

#[test]
fn keywords_are_contextual() {
    let s = ok("table table { struct: int; enum: string; } root_type table;");
    assert_eq!(s.tables[0].name, "table");
    assert_eq!(s.tables[0].fields[0].name, "struct");
}

#[test]
fn rpc_methods_keep_attributes() {
    let s = ok("attribute \"permission\"; table A {} table B {} rpc_service S { M(A): B (permission: \"x, y\", streaming: \"none\"); }");
    let m = &s.services[0].methods[0];
    assert_eq!(m.permissions(), vec!["x", "y"]);
    assert_eq!((m.request.0, m.response.0), (0, 1));
}

#[test]
fn stricter_than_flatc_where_the_generator_needs_it() {
    assert!(err("enum E : byte { A = 2, B = 1 } table T {}").contains("ascending"));
    assert!(err("namespace a; table A {} namespace b; table B {}").contains("one namespace"));
    assert!(err("table T { s: string = \"x\"; }").contains("only allowed on scalar and enum"));
    assert!(err("table M {} union U { M } table T { v: [U]; }").contains("vectors of unions"));
    assert!(err("struct S { a: [int:2]; } table T {}").contains("fixed-size arrays"));
    assert!(err("include \"x.fbs\"; table T {}")
        .contains("not available when parsing a schema from a string"));
}

#[test]
fn other_errors() {
    assert!(err("table T { u: U; u_type: int; } table M {} union U { M }").contains("clashes"));
    assert!(err("file_identifier \"TOOLONG\"; table T {}").contains("exactly 4 bytes"));
    assert!(err("table T { a: int (key); b: int (key); }").contains("only one field"));
    assert!(err("table T { a: int (id: 0, id: 1); }").contains("given twice"));
    assert!(err("enum E : ubyte (bit_flags) { A = 8 } table T {}").contains("bit position 8"));
    assert!(err("table M {} union U { M = 256 } table T {}").contains("out of range (1..=255)"));
    assert!(err("table T { a: float = 1e39; }").contains("out of range for `float`"));
    assert!(err("table T { a: int = 1 }").contains("expected `;`"));
    assert!(err("table T { a: int; } }").contains("expected a declaration"));
    assert!(err("table T { a: int; ").contains("expected `}`"));
    assert!(err("table T { a: int = 12abc; }").contains("invalid number"));
    assert!(err("table T { a: int; } @").contains("unexpected character"));
    assert!(err("/* open").contains("unterminated block comment"));
    assert!(err("table T {} include \"x.fbs\";").contains("includes must come before declarations"));
    assert!(err("enum E : byte { A, A } table T {}").contains("enum value `A` is declared twice"));
    assert!(err("table T {} root_type Nope;").contains("unknown type `Nope`"));
    assert!(err("table A {} table T { a: A (key); }").contains("(key) field must be"));
    assert!(err("table T { a: [int] (key); }").contains("(key) field must be"));
    assert!(parse_schema_str("t.fbs", "\u{feff}table T {}\r\n").is_ok());
    assert!(err("table T { a: int = null; }").contains("optional scalars"));
    assert!(err("table T { a: float = 0x10; }").contains("not a valid `float`"));
    assert!(
        err("enum E : byte { A (nope) } table T {}").contains("attribute `nope` is not declared")
    );
    assert!(
        err("table A {} union U { X: A = 1 (nope) } table T {}").contains("`nope` is not declared")
    );
}

#[test]
fn includes_load_relative_to_the_including_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::fs::write(
        dir.path().join("main.fbs"),
        "include \"sub/a.fbs\";\nnamespace n;\ntable T { a: A (tag); }\nroot_type T;\n",
    )
    .expect("write");
    // a.fbs includes b.fbs relative to itself; b.fbs is reached twice but loaded once.
    std::fs::write(
        dir.path().join("sub/a.fbs"),
        "include \"b.fbs\";\ninclude \"./b.fbs\";\nnamespace n;\ntable A { b: B; }\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("sub/b.fbs"),
        "attribute \"tag\";\nnamespace n;\ntable B { x: Nope; }\n",
    )
    .expect("write");
    let e = load_schema(&dir.path().join("main.fbs"), "schema/main.fbs").expect_err("unknown type");
    assert_eq!(e.len(), 1, "{e}");
    assert_eq!(
        e.to_string(),
        "schema/sub/b.fbs:3:14: error: unknown type `Nope`\ntable B { x: Nope; }\n             ^"
    );
    std::fs::write(
        dir.path().join("sub/b.fbs"),
        "attribute \"tag\";\nnamespace n;\ntable B { x: int; }\n",
    )
    .expect("write");
    let s = load_schema(&dir.path().join("main.fbs"), "schema/main.fbs")
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = s
        .tables
        .iter()
        .map(|t| (t.name.as_str(), t.loc.file.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("B", "schema/sub/b.fbs"),
            ("A", "schema/sub/a.fbs"),
            ("T", "schema/main.fbs")
        ]
    );
    assert_eq!(s.main_file, "schema/main.fbs");
}

#[test]
fn hostile_nesting_is_reported_not_overflowed() {
    let deep = format!(
        "table T {{ a: {}int{}; }}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(err(&deep).contains("nested too deeply"));
    let mut chain = String::from("struct S0 { x: int; }\n");
    for i in 1..200 {
        chain.push_str(&format!("struct S{i} {{ s: S{}; }}\n", i - 1));
    }
    // Declared in reverse so the layout recursion has to go deep.
    let reversed: String = chain.lines().rev().map(|l| format!("{l}\n")).collect();
    assert!(err(&reversed).contains("nested too deeply"));
}

#[test]
fn huge_structs_are_reported_not_overflowed() {
    let mut text = String::from("struct S0 { a: long; b: long; }\n");
    for i in 1..64 {
        text.push_str(&format!("struct S{i} {{ a: S{p}; b: S{p}; }}\n", p = i - 1));
    }
    assert!(err(&text).contains("is too large"));
}
