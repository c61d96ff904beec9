//! nanoipc-codegen: turns `schema/*.fbs` into the Rust code, JSON codec, message dispatch and API
//! reference that the `nanoipc` crate compiles.
//!
//! Pipeline: text → `lexer` → `parser` (spanned AST) → `resolve` (checks, layout) → [`ir::Schema`]
//! → one emitter per output. Emitters read only the IR. This crate never depends on `nanoipc`,
//! so the server can be built from a schema without bootstrapping.

pub mod ir;
