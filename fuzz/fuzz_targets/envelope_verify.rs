//! Fuzz target: arbitrary bytes → the Envelope verifier (default `VerifierOptions`, plain and
//! size-prefixed) → when they verify, every field read, the object API and the JSON writer.
//! The body is `nanoipc_fuzz::envelope_verify`, which `tests/fuzz_bodies.rs` also runs on stable.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nanoipc_fuzz::envelope_verify(data));
