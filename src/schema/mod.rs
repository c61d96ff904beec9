//! The v2 API types, generated from `schema/nanoapi.fbs` at build time, plus the hand-written
//! JSON runtime the generated codec builds on.
//!
//! # Layout
//! - [`tables`]: readers, `…Args`/`…Builder`/`create`, verifiers, object API (`<Table>T`), enums
//!   and unions, `root_as_envelope*` and `finish_envelope_buffer`.
//! - [`json`]: flatc-compatible JSON codec. Entry points: [`json::parse_envelope_json`] (into a
//!   builder), [`json::envelope_from_json`] (to a finished buffer), [`json::parse_message_json`]
//!   (a bare message for `POST /api/v2/<Message>`), [`json::envelope_to_json`] and
//!   [`json_writer::to_json`] (any table), [`json::write_envelope_message_json`] (the bare message).
//! - [`mod@dispatch`]: `MESSAGE_NAMES`, `message_from_name`, `MethodInfo`/`METHODS`/`method_for`, the
//!   `Handler` trait and `dispatch`.
//! - [`client`]: the typed client — [`NanoApiClient`] (one method per request over a required
//!   `call_envelope`), [`CallOptions`], [`WireEncoding`], [`CallError`].
//! - [`json_reader`]/[`json_writer`]: the generic JSON machinery (seeds, `JsonOptions`,
//!   `JsonError`, `JsonWriter`).
//!
//! The checked-in copy of the generated files is in `generated/` (kept fresh by a test).

pub mod json_reader;
pub mod json_writer;
// Runs the generator at run time: CLI-side (the `cli` feature).
#[cfg(feature = "cli")]
pub mod regen;

/// Generated: tables, enums, unions, verifiers and the object API.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, non_camel_case_types, non_snake_case, missing_docs, unsafe_op_in_unsafe_fn)]
pub mod tables {
    include!(concat!(env!("OUT_DIR"), "/tables.rs"));
}

/// Generated: the JSON codec.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, non_camel_case_types, non_snake_case, missing_docs, unsafe_op_in_unsafe_fn)]
pub mod json {
    include!(concat!(env!("OUT_DIR"), "/json.rs"));
}

/// Generated: the message registry, the `Handler` trait and `dispatch`.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, non_camel_case_types, non_snake_case, missing_docs, unsafe_op_in_unsafe_fn)]
pub mod dispatch {
    include!(concat!(env!("OUT_DIR"), "/dispatch.rs"));
}

/// Generated: the typed client trait (one method per request), its options and `CallError`.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, non_camel_case_types, non_snake_case, missing_docs, unsafe_op_in_unsafe_fn)]
pub mod client {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use client::{CallError, CallOptions, NanoApiClient, WireEncoding};
pub use dispatch::{
    dispatch, method_for, DispatchError, Handler, MethodInfo, MESSAGE_NAMES, METHODS,
};
pub use json_reader::{JsonError, JsonOptions};
pub use json_writer::{to_json, JsonWrite, JsonWriter};
pub use tables::*;
