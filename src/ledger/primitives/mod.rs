//! Nano protocol primitives: accounts and addresses, hashes, amounts, keys and signatures,
//! blocks (hashing, JSON, store form), work, and per-network constants.
//!
//! Everything here is pure computation over bytes and strings; the store and the processor
//! build on it, and the API layer uses it to parse and render client values.

mod address;
mod block;
mod block_json;
mod crypto;
mod network;
mod numbers;
mod work;

pub use address::{Account, AddressPrefix};
pub(crate) use block::Reader;
pub use block::{Block, BlockType, ChangeBlock, OpenBlock, ReceiveBlock, SendBlock, StateBlock};
pub use crypto::{
    deterministic_key, public_key, random_key, sign_hash, sign_message, verify_hash,
    verify_message, KeyPair,
};
pub use network::{epoch_link, is_epoch_link, Network, WorkThresholds};
pub use numbers::{Amount, BlockHash, Link, RawKey, Signature, Work};
pub use work::{generate_work, generate_work_until, work_valid, work_value, WorkCancel};

/// Why a value could not be parsed or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrimitiveError {
    /// Bad hex (length or digits).
    #[error("invalid hex value")]
    Hex,
    /// Bad decimal amount.
    #[error("invalid decimal amount")]
    Decimal,
    /// Unknown address prefix.
    #[error("invalid address prefix")]
    AddressPrefix,
    /// Wrong address length.
    #[error("invalid address length")]
    AddressLength,
    /// Character outside the address alphabet.
    #[error("invalid address character")]
    AddressAlphabet,
    /// Address checksum mismatch.
    #[error("invalid address checksum")]
    AddressChecksum,
    /// Block JSON missing or undecodable field (named).
    #[error("invalid block JSON: {0}")]
    BlockJson(&'static str),
    /// Corrupt store bytes.
    #[error("corrupt binary value")]
    Binary,
    /// Unknown network name.
    #[error("unknown network {0:?} (expected dev, beta or live)")]
    Network(String),
    /// The OS random generator failed.
    #[error("random generator failed: {0}")]
    Random(String),
}
