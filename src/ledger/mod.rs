//! The embedded single-node Nano ledger: primitives, LMDB store, block processor and queries.
//!
//! Layout: `primitives/` (pure protocol values), `store` (heed/LMDB tables and their byte
//! codecs), `processor` (validation and application of state blocks in nano-node's order),
//! `queries` (read-only views), `handle` (the cheap `Ledger` clone the API layer holds).

pub mod primitives;
