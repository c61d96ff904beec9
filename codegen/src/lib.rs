//! nanoipc-codegen: turns `schema/*.fbs` into the Rust code, JSON codec, message dispatch and API
//! reference that the `nanoipc` crate compiles.
//!
//! Pipeline: text → `lexer` → `parser` (spanned AST) → `resolve` (checks, layout) → [`ir::Schema`]
//! → one emitter per output. Emitters read only the IR. This crate never depends on `nanoipc`,
//! so the server can be built from a schema without bootstrapping.

pub mod ir;

// Front end (CODEGEN-FRONT).
pub mod ast;
pub mod check;
pub mod diagnostics;
mod lexer;
mod load;
mod parser;
mod resolve;

pub use check::check_compat;
pub use diagnostics::{Diagnostic, Diagnostics};

/// Loads `path` and the files it includes (relative to the including file), then resolves and
/// validates the whole schema. `display_name` is how the main file appears in messages and in
/// [`ir::Schema::main_file`] (e.g. `schema/nanoapi.fbs`); included files are named relative to it.
pub fn load_schema(path: &std::path::Path, display_name: &str) -> Result<ir::Schema, Diagnostics> {
    load::load_with_sources(path, display_name).0
}

/// Parses, resolves and validates a schema held in memory (tests, fuzzing). `include` is
/// reported as an error here because there is no directory to resolve it against.
pub fn parse_schema_str(display_name: &str, text: &str) -> Result<ir::Schema, Diagnostics> {
    load::parse_str(display_name, text)
}

/// The evolution guard over two files: loads both and runs [`check_compat`], quoting source
/// lines in the messages. `Err` holds the load errors of either schema; `Ok` holds the
/// compatibility problems (empty = compatible). Give the two files different display names.
pub fn check_compat_files(
    old_path: &std::path::Path,
    old_display: &str,
    new_path: &std::path::Path,
    new_display: &str,
) -> Result<Diagnostics, Diagnostics> {
    let (old, old_sources) = load::load_with_sources(old_path, old_display);
    let (new, mut sources) = load::load_with_sources(new_path, new_display);
    let (old, new) = match (old, new) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            let mut all = Vec::new();
            all.extend(o.err().map(|d| d.0).unwrap_or_default());
            all.extend(n.err().map(|d| d.0).unwrap_or_default());
            return Err(Diagnostics(all));
        }
    };
    sources.extend(old_sources);
    let mut problems = check_compat(&old, &new);
    sources.attach(&mut problems.0);
    Ok(problems)
}

// Emitters (CODEGEN-EMIT).
pub mod emit;
pub mod names;

/// One generated file: its name (no directories) and full contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// File name, e.g. `tables.rs`.
    pub name: String,
    /// The file's text, starting with the `@generated` header.
    pub contents: String,
}

/// Runs every emitter over a resolved schema. Deterministic: the same schema always gives the
/// same bytes (no timestamps, no absolute paths, schema order throughout).
///
/// Files: `tables.rs` (readers, builders, verifiers, object API), `json.rs` (JSON codec),
/// `dispatch.rs` (message registry, `Handler` trait, `dispatch`), `client.rs` (the typed client
/// trait, one method per request), `api.md` (API reference).
pub fn generate(schema: &ir::Schema) -> Vec<Output> {
    let out = |name: &str, contents: String| Output {
        name: name.to_string(),
        contents,
    };
    vec![
        out("tables.rs", emit::tables::emit(schema)),
        out("json.rs", emit::json::emit(schema)),
        out("dispatch.rs", emit::dispatch::emit(schema)),
        out("client.rs", emit::client::emit(schema)),
        out("api.md", emit::markdown::emit(schema)),
    ]
}
