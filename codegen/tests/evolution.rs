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
    // Renaming a table is a removal (its name is on the JSON wire), a union member rename and a
    // changed rpc response: three problems, three messages.
    let new = BASE.replace("Resp", "Response");
    let d = check(&new);
    let text = d.to_string();
    assert_eq!(d.len(), 3, "{text}");
    assert!(
        text.contains("table `Resp` was removed or renamed"),
        "{text}"
    );
    assert!(
        text.contains("union member `Msg.Resp` (tag 2) was renamed to `Response`"),
        "{text}"
    );
    assert!(
        text.contains("changed its response from `Resp` to `Response`"),
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

/// A table with enough fields that a cascade would show: removing `b` must not blame `c`..`e`.
const WIDE: &str = "table T {\n  a: int;\n  b: string;\n  c: long;\n  d: bool;\n  e: string;\n}\n\
                    enum E : byte {\n  P,\n  Q,\n  R,\n  S\n}\n\
                    table X {} table Y {} table Z {} table W {}\n\
                    union U {\n  X,\n  Y,\n  Z,\n  W\n}\n\
                    table Root { t: T; e: E; u: U; }\nroot_type Root;\n";

fn check_wide(edit: impl Fn(&str) -> String) -> Diagnostics {
    let old = parse_schema_str("old.fbs", WIDE).unwrap_or_else(|e| panic!("{e}"));
    let new_text = edit(WIDE);
    assert_ne!(new_text, WIDE, "the edit must change the schema");
    let new = parse_schema_str("new.fbs", &new_text).unwrap_or_else(|e| panic!("{e}"));
    check_compat(&old, &new)
}

#[test]
fn removing_a_middle_field_is_one_message_at_the_old_field() {
    let d = check_wide(|s| s.replace("  b: string;\n", ""));
    assert_one(
        &d,
        "field `T.b` (id 1) was removed; the ids of the 3 fields after it change",
        3,
    );
    assert_eq!(d.0[0].loc.file, "old.fbs");
}

#[test]
fn removing_a_middle_union_member_is_one_message() {
    let d = check_wide(|s| s.replace("  Y,\n", ""));
    assert_one(
        &d,
        "union member `U.Y` was removed; the tags of the 2 members after it change",
        17,
    );
    assert_eq!(d.0[0].loc.file, "old.fbs");
}

#[test]
fn removing_a_middle_enum_value_is_one_message() {
    let d = check_wide(|s| s.replace("  Q,\n", ""));
    assert_one(
        &d,
        "enum value `E.Q` was removed; the values of the 2 members after it change",
        10,
    );
    assert_eq!(d.0[0].loc.file, "old.fbs");
}

#[test]
fn swapped_fields_are_located_at_each_moved_field() {
    let d = check_wide(|s| s.replace("  c: long;\n  d: bool;", "  d: bool;\n  c: long;"));
    assert_eq!(d.len(), 2, "{d}");
    let c = d.iter().find(|x| x.message.contains("`T.c`")).expect("c");
    let dd = d.iter().find(|x| x.message.contains("`T.d`")).expect("d");
    assert!(
        c.message.contains("reordered: its id changed from 2 to 3"),
        "{d}"
    );
    assert!(
        dd.message.contains("reordered: its id changed from 3 to 2"),
        "{d}"
    );
    // Each message points at its own field in the new schema: `d` now on line 4, `c` on 5.
    assert_eq!((c.loc.file.as_str(), c.loc.line), ("new.fbs", 5), "{d}");
    assert_eq!((dd.loc.file.as_str(), dd.loc.line), ("new.fbs", 4), "{d}");
}

#[test]
fn moving_one_field_blames_only_that_field() {
    let d = check_wide(|s| {
        s.replace("  e: string;\n", "")
            .replace("  a: int;\n", "  e: string;\n  a: int;\n")
    });
    assert_one(
        &d,
        "field `T.e` was reordered: its id changed from 4 to 0",
        2,
    );
}

#[test]
fn renaming_a_middle_field_is_one_message() {
    let d = check_wide(|s| s.replace("  c: long;", "  count: long;"));
    assert_one(&d, "field `T.c` (id 2) was renamed to `count`", 4);
    assert_eq!(d.0[0].loc.file, "new.fbs");
}

#[test]
fn replacing_a_field_with_another_type_is_one_removal() {
    let d = check_wide(|s| s.replace("  c: long;", "  count: string;"));
    assert_one(
        &d,
        "field `T.c` (id 2) was removed and its id is now used by `count: string`",
        4,
    );
}

#[test]
fn inserting_a_middle_field_is_one_message() {
    let d = check_wide(|s| s.replace("  c: long;", "  new_one: int;\n  c: long;"));
    assert_one(
        &d,
        "field `T.new_one` was inserted at id 2, changing the ids of 3 existing fields after it",
        4,
    );
}

#[test]
fn removing_a_field_and_appending_one_is_only_the_removal() {
    let d = check_wide(|s| {
        s.replace("  b: string;\n", "")
            .replace("  e: string;\n", "  e: string;\n  f: int;\n")
    });
    assert_one(&d, "field `T.b` (id 1) was removed", 3);
}

#[test]
fn renaming_an_enum_value_and_a_union_member() {
    let d = check_wide(|s| s.replace("  R,\n", "  Rho,\n"));
    assert_one(&d, "enum value `E.R` (value 2) was renamed to `Rho`", 11);
    let d = check_wide(|s| s.replace("  Z,\n", "  Zed: Z,\n"));
    assert_one(&d, "union member `U.Z` (tag 3) was renamed to `Zed`", 18);
}

#[test]
fn moving_an_enum_value_with_explicit_numbers_is_a_changed_value() {
    // Still in order, but renumbered without a removal to explain it.
    let d = check_wide(|s| s.replace("  R,\n  S\n", "  R = 5,\n  S\n"));
    assert_eq!(d.len(), 2, "{d}");
    let text = d.to_string();
    assert!(
        text.contains("enum value `E.R` changed from 2 to 5"),
        "{text}"
    );
    assert!(
        text.contains("enum value `E.S` changed from 3 to 6"),
        "{text}"
    );
}

/// The project schema, edited the way a reviewer would: each single edit gives one message.
fn project_schema() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/nanoapi.fbs");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn check_project(edit: impl Fn(&str) -> String) -> Diagnostics {
    let text = project_schema();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit must change the schema");
    let old = parse_schema_str("old.fbs", &text).unwrap_or_else(|e| panic!("{e}"));
    let new = parse_schema_str("new.fbs", &edited).unwrap_or_else(|e| panic!("{e}"));
    check_compat(&old, &new)
}

/// Removes the first line after `after` that contains `needle` (and the doc comment above it).
fn drop_member(text: &str, after: &str, needle: &str) -> String {
    let start = text.find(after).expect("anchor");
    let rel = text[start..].find(needle).expect("needle");
    let line_start = text[..start + rel].rfind('\n').map_or(0, |i| i + 1);
    let line_end = start + rel + text[start + rel..].find('\n').expect("eol") + 1;
    let doc_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
    let doc = &text[doc_start..line_start];
    let cut_from = if doc.trim_start().starts_with("///") {
        doc_start
    } else {
        line_start
    };
    format!("{}{}", &text[..cut_from], &text[line_end..])
}

#[test]
fn project_schema_single_edits_give_single_messages() {
    let d = check_project(|s| drop_member(s, "table BlockState {", "  balance: string;"));
    assert_eq!(d.len(), 1, "{d}");
    assert!(
        d.0[0].message.starts_with("field `BlockState.balance`"),
        "{d}"
    );
    assert!(d.0[0].message.contains("was removed"), "{d}");
    let d = check_project(|s| drop_member(s, "union Message {", "  AccountWeight,"));
    assert_eq!(d.len(), 1, "{d}");
    assert!(
        d.0[0]
            .message
            .starts_with("union member `Message.AccountWeight` was removed"),
        "{d}"
    );
}
