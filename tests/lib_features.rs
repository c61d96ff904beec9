//! The library without default features (`nanoipc = { default-features = false }`) does not
//! depend on the CLI-only crates or on the generator at run time; with them (the default) it does,
//! which keeps the check honest. Asked of `cargo tree` offline, so nothing is built or downloaded.
//!
//! Proc-macro crates are left out of the tree (`no-proc-macro`): serde's and thiserror's derives
//! use `syn` inside the compiler whatever the features; what is checked is what the library links.

use std::collections::BTreeSet;
use std::process::Command;

/// Crates only the command line needs (the generator pulls in syn and prettyplease).
const CLI_ONLY: &[&str] = &[
    "nanoipc-codegen",
    "syn",
    "prettyplease",
    "clap",
    "indicatif",
    "hdrhistogram",
];

/// The crates `nanoipc`'s normal (run-time, linked) dependency tree holds, or `None` when cargo cannot be
/// run here.
fn normal_dependencies(extra: &[&str]) -> Option<BTreeSet<String>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(&cargo)
        .args([
            "tree",
            "-p",
            "nanoipc",
            "-e",
            "normal,no-proc-macro",
            "--prefix",
            "none",
            "--offline",
        ])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipped: cannot run {}: {e}", cargo.to_string_lossy());
            return None;
        }
    };
    assert!(
        out.status.success(),
        "cargo tree {extra:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("cargo tree prints UTF-8");
    Some(
        text.lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_owned)
            .collect(),
    )
}

#[test]
fn the_library_alone_leaves_cli_crates_out() {
    let Some(lib) = normal_dependencies(&["--no-default-features"]) else {
        return;
    };
    assert!(
        lib.contains("nanoipc") && lib.contains("flatbuffers"),
        "{lib:?}"
    );
    let present: Vec<&&str> = CLI_ONLY.iter().filter(|c| lib.contains(**c)).collect();
    assert!(
        present.is_empty(),
        "the library without default features depends on {present:?}"
    );

    let Some(full) = normal_dependencies(&[]) else {
        return;
    };
    for c in CLI_ONLY {
        assert!(
            full.contains(*c),
            "{c} is not in the default tree: {full:?}"
        );
    }
}
