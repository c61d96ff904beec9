//! The embedded single-node Nano ledger: primitives, LMDB store, block processor and queries.
//!
//! Layout: `primitives/` (pure protocol values), `records` (stored values and their codecs),
//! `store` (heed/LMDB tables, meta checks, genesis), `processor` (validation and application
//! of state blocks in nano-node's order), `precheck` (signature and work hashes, computed on the
//! submitting threads), `writer` (the one writer thread: group commit), `queries` and
//! `receivables` (read-only views), `totals` (per-account sums the writer keeps), `handle` (the
//! cheap `Ledger` clone the API layer holds), `export` (replayable block order for the CLI).
//!
//! Invariant: sum of balances + sum of receivables = genesis amount; sum of representative
//! weights = sum of balances; every accepted block is cemented in the transaction that adds it;
//! kept sums (weights, receivable totals) equal the entries they sum.

mod error;
mod export;
mod handle;
mod precheck;
pub mod primitives;
mod processor;
mod queries;
mod queries_accounts;
mod queries_blocks;
mod queries_keys;
mod receivables;
mod records;
mod store;
pub mod tool;
mod totals;
mod writer;

pub use error::{LedgerError, NoSpace};
pub use handle::Ledger;
pub use processor::{ConfirmationEvent, ProcessResult};
pub use queries::{BlockCount, BlockInfo, LedgerTotals};
pub use queries_accounts::{
    AccountRecord, ChainBlock, ChainStart, ConfirmedView, LedgerListing, RecordExtras,
};
pub use queries_blocks::{BlockDetails, BlockExtras};
pub use receivables::ReceivableEntry;
pub use records::{AccountInfo, Receivable, Sideband, StoredBlock, Subtype};
pub use store::STORE_VERSION;
pub use totals::KeptSumsCheck;
