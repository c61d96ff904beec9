//! Fuzz target: arbitrary text → `parse_envelope_json` and `parse_message_json` for every
//! message, with unknown fields skipped and rejected. The body is `nanoipc_fuzz::json_decode`,
//! which `tests/fuzz_bodies.rs` also runs on stable.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nanoipc_fuzz::json_decode(data));
