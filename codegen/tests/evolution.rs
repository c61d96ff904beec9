//! Unit tests for the schema evolution guard: one test per kind of breaking change (each must
//! produce exactly one located message), and the compatible edits that must pass.

use nanoipc_codegen::{check_compat, parse_schema_str, Diagnostics};

const BASE: &str = r#"
namespace demo;
attribute "permission";

enum Kind : byte { A, B, C }
struct Point { x: int; y: short; }
table Req { name: string; count: int = 5; kind: Kind = B; }
table Resp { ok: bool; at: Point; }
table Extra {}
union Msg { Req, Resp }
table Env { msg: Msg; }
rpc_service Api { Call(Req): Resp (permission: "p"); }
root_type Env;
"#;

fn check(new_text: &str) -> Diagnostics {
    let old = parse_schema_str("old.fbs", BASE).unwrap_or_else(|e| panic!("{e}"));
    let new = parse_schema_str("new.fbs", new_text).unwrap_or_else(|e| panic!("{e}"));
    check_compat(&old, &new)
}

/// Applies one textual edit to BASE (which must match exactly once) and checks the result.
fn edit(from: &str, to: &str) -> Diagnostics {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "edit anchor `{from}` must be unique"
    );
    check(&BASE.replacen(from, to, 1))
}

fn assert_one(d: &Diagnostics, needle: &str, line: u32) {
    assert_eq!(d.len(), 1, "expected exactly one problem, got:\n{d}");
    let msg = d.to_string();
    assert!(msg.contains(needle), "expected `{needle}` in:\n{msg}");
    assert_eq!(d.0[0].loc.line, line, "wrong line in:\n{msg}");
}

#[test]
fn identical_schema_is_compatible() {
    assert!(check(BASE).is_empty());
}

#[test]
fn appending_and_doc_edits_are_compatible() {
    let new = BASE
        .replace("table Req { name: string; count: int = 5; kind: Kind = B; }",
                 "/// Docs are free to change.\ntable Req { name: string; count: int = 5; kind: Kind = B; more: [string]; }")
        .replace("enum Kind : byte { A, B, C }", "enum Kind : byte { A, B, C, D }")
        .replace("union Msg { Req, Resp }", "union Msg { Req, Resp, Extra }")
        .replace(
            "rpc_service Api { Call(Req): Resp (permission: \"p\"); }",
            "rpc_service Api { Call(Req): Resp (permission: \"q\"); Other(Extra): Resp; }",
        )
        .replace("count: int = 5;", "count: int = 5 (deprecated);");
    let d = check(&new);
    assert!(d.is_empty(), "{d}");
}

#[test]
fn removed_field() {
    // Located in the old schema, where the field still exists.
    let d = edit(" kind: Kind = B; }", " }");
    assert_one(&d, "field `Req.kind` (id 2) was removed", 7);
    assert_eq!(d.0[0].loc.file, "old.fbs");
}

#[test]
fn reordered_field() {
    let d = edit(
        "name: string; count: int = 5;",
        "count: int = 5; name: string;",
    );
    assert_eq!(d.len(), 2, "{d}");
    assert!(d
        .to_string()
        .contains("field `Req.name` was reordered: its id changed from 0 to 1"));
}

#[test]
fn renamed_field() {
    let d = edit("name: string;", "title: string;");
    assert_one(&d, "field `Req.name` (id 0) was renamed to `title`", 7);
}

#[test]
fn retyped_field() {
    let d = edit("count: int = 5;", "count: long = 5;");
    assert_one(&d, "field `Req.count` changed type from `int` to `long`", 7);
}

#[test]
fn changed_default() {
    let d = edit("count: int = 5;", "count: int = 6;");
    assert_one(&d, "field `Req.count` changed its default from 5 to 6", 7);
}

#[test]
fn changed_enum_default() {
    let d = edit("kind: Kind = B;", "kind: Kind = C;");
    assert_one(&d, "changed its default from 1 to 2", 7);
}

#[test]
fn newly_required_field() {
    let d = edit("name: string;", "name: string (required);");
    assert_one(&d, "field `Req.name` became (required)", 7);
}

#[test]
fn removed_union_member() {
    let d = edit("union Msg { Req, Resp }", "union Msg { Req }");
    assert_one(&d, "union member `Msg.Resp` was removed", 10);
}

#[test]
fn reordered_union_member() {
    let d = edit("union Msg { Req, Resp }", "union Msg { Resp, Req }");
    assert_eq!(d.len(), 2, "{d}");
    assert!(d
        .to_string()
        .contains("union member `Msg.Req` was reordered"));
}

#[test]
fn renamed_message() {
    // Renaming a table is a removal (its name is on the JSON wire) and a union member rename.
    let new = BASE.replace("Resp", "Response");
    let d = check(&new);
    let text = d.to_string();
    assert!(
        text.contains("table `Resp` was removed or renamed"),
        "{text}"
    );
    assert!(
        text.contains("union member `Msg.Resp` was removed or renamed"),
        "{text}"
    );
}

#[test]
fn removed_enum_value() {
    let d = edit("enum Kind : byte { A, B, C }", "enum Kind : byte { A, B }");
    assert_one(&d, "enum value `Kind.C` was removed", 5);
}

#[test]
fn reordered_enum_value() {
    let d = edit(
        "enum Kind : byte { A, B, C }",
        "enum Kind : byte { A, C, B }",
    );
    // Both moved values, plus the default `B` of Req.kind, whose wire value is now 2.
    assert_eq!(d.len(), 3, "{d}");
    let text = d.to_string();
    assert!(text.contains("enum value `Kind.B` was reordered"), "{text}");
    assert!(
        text.contains("field `Req.kind` changed its default from 1 to 2"),
        "{text}"
    );
}

#[test]
fn changed_enum_value() {
    let d = edit(
        "enum Kind : byte { A, B, C }",
        "enum Kind : byte { A, B, C = 7 }",
    );
    assert_one(&d, "enum value `Kind.C` changed from 2 to 7", 5);
}

#[test]
fn changed_enum_underlying_type() {
    let d = edit("enum Kind : byte", "enum Kind : short");
    assert_one(&d, "changed its underlying type from `byte` to `short`", 5);
}

#[test]
fn changed_struct_layout() {
    let d = edit(
        "struct Point { x: int; y: short; }",
        "struct Point { x: int; y: int; }",
    );
    assert_one(&d, "struct layout changed", 6);
    let d = edit(
        "struct Point { x: int; y: short; }",
        "struct Point { x: int; y: short; z: short; }",
    );
    assert_one(&d, "cannot grow", 6);
}

#[test]
fn changed_root_type() {
    let d = edit("root_type Env;", "root_type Req;");
    assert_one(&d, "root_type changed from `Env` to `Req`", 7);
}

#[test]
fn removed_rpc_method() {
    let d = edit("Call(Req): Resp (permission: \"p\");", "");
    assert_one(&d, "rpc method `Api.Call` was removed or renamed", 12);
}

#[test]
fn changed_rpc_request_and_response() {
    let d = edit("Call(Req): Resp", "Call(Extra): Resp");
    assert_one(&d, "changed its request from `Req` to `Extra`", 12);
    let d = edit("Call(Req): Resp", "Call(Req): Extra");
    assert_one(&d, "changed its response from `Resp` to `Extra`", 12);
}

#[test]
fn every_problem_is_reported() {
    let new = BASE
        .replace("count: int = 5;", "count: int = 6;")
        .replace("name: string;", "name: string (required);")
        .replace("enum Kind : byte { A, B, C }", "enum Kind : byte { A, B }");
    assert_eq!(check(&new).len(), 3);
}

#[test]
fn files_variant_quotes_old_and_new_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("old.fbs");
    let new = dir.path().join("new.fbs");
    std::fs::write(
        &old,
        "table T {\n  a: int = 1;\n  b: string;\n}\nroot_type T;\n",
    )
    .expect("write");
    std::fs::write(&new, "table T {\n  a: int = 2;\n}\nroot_type T;\n").expect("write");
    let d = nanoipc_codegen::check_compat_files(&old, "baseline/t.fbs", &new, "t.fbs")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        d.to_string(),
        "t.fbs:2:3: error: field `T.a` changed its default from 1 to 2\n  a: int = 2;\n  ^\n\
         baseline/t.fbs:3:3: error: field `T.b` (id 1) was removed\n  b: string;\n  ^"
    );
    std::fs::write(&new, "table T {\n  a: int = 2\n}\n").expect("write");
    let e = nanoipc_codegen::check_compat_files(&old, "baseline/t.fbs", &new, "t.fbs")
        .expect_err("syntax error in the new schema");
    assert!(
        e.to_string().starts_with("t.fbs:3:1: error: expected `;`"),
        "{e}"
    );
}
