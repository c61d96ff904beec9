//! Nano's Ed25519 variant (BLAKE2b-512 in place of SHA-512) and deterministic keys.
//!
//! The curve arithmetic is ed25519-dalek's; we only swap the digest through its `hazmat`
//! raw sign/verify entry points, because nano expands keys and derives nonces with BLAKE2b.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Blake2b512, Digest};
use ed25519_dalek::hazmat::{raw_sign, raw_verify, ExpandedSecretKey};
use ed25519_dalek::VerifyingKey;

use super::{Account, BlockHash, PrimitiveError, RawKey, Signature};

fn expand(key: &RawKey) -> ExpandedSecretKey {
    let digest: [u8; 64] = Blake2b512::digest(key.0).into();
    ExpandedSecretKey::from_bytes(&digest)
}

/// The public key (account) of a private key.
pub fn public_key(key: &RawKey) -> Account {
    let vk = VerifyingKey::from(&expand(key));
    Account(vk.to_bytes())
}

/// private key(seed, index) = BLAKE2b-256(seed ‖ index as big-endian u32).
pub fn deterministic_key(seed: &RawKey, index: u32) -> RawKey {
    let mut h = Blake2b::<U32>::new();
    h.update(seed.0);
    h.update(index.to_be_bytes());
    RawKey(h.finalize().into())
}

/// A fresh random private key from the OS generator.
pub fn random_key() -> Result<RawKey, PrimitiveError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| PrimitiveError::Random(e.to_string()))?;
    Ok(RawKey(bytes))
}

/// Signs an arbitrary message (nano signs the 32-byte block hash).
pub fn sign_message(key: &RawKey, message: &[u8]) -> Signature {
    let esk = expand(key);
    let vk = VerifyingKey::from(&esk);
    Signature(raw_sign::<Blake2b512>(&esk, message, &vk).to_bytes())
}

/// Signs a block hash.
pub fn sign_hash(key: &RawKey, hash: &BlockHash) -> Signature {
    sign_message(key, &hash.0)
}

/// True when `signature` is `account`'s signature of `message`. Invalid keys verify false.
pub fn verify_message(account: &Account, message: &[u8], signature: &Signature) -> bool {
    let Ok(vk) = VerifyingKey::from_bytes(&account.0) else {
        return false;
    };
    let sig = ed25519_dalek::Signature::from_bytes(&signature.0);
    raw_verify::<Blake2b512>(&vk, message, &sig).is_ok()
}

/// True when `signature` is `account`'s signature of the block hash.
pub fn verify_hash(account: &Account, hash: &BlockHash, signature: &Signature) -> bool {
    verify_message(account, &hash.0, signature)
}

/// A key pair, for tests, tools and `key_create`.
#[derive(Clone, Debug)]
pub struct KeyPair {
    /// The private key.
    pub private: RawKey,
    /// Its public key.
    pub account: Account,
}

impl KeyPair {
    /// Derives the public half.
    pub fn from_private(private: RawKey) -> Self {
        let account = public_key(&private);
        Self { private, account }
    }

    /// A random key pair.
    pub fn random() -> Result<Self, PrimitiveError> {
        random_key().map(Self::from_private)
    }
}
