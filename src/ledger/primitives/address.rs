//! `Account` (a 32-byte Ed25519 public key) and its `nano_` address form.
//!
//! Address = prefix + 60 base-32 digits of (key << 40 | checksum), where the checksum is the
//! 5-byte BLAKE2b digest of the key read little-endian. Decoding is pure and length-bounded.

use std::fmt;

use blake2::digest::consts::U5;
use blake2::{Blake2b, Digest};

use super::numbers::{decode_hex_array, encode_hex_upper};
use super::PrimitiveError;

const ALPHABET: &[u8; 32] = b"13456789abcdefghijkmnopqrstuwxyz";

/// A Nano account: the Ed25519 public key. Zero is the burn account.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Account(pub [u8; 32]);

/// Which prefix an address used when decoded; the dashed forms are deprecated and flagged so
/// the API layer can warn as nano-node does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AddressPrefix {
    /// `nano_`
    Nano,
    /// `xrb_`
    Xrb,
    /// `nano-` (deprecated)
    NanoDash,
    /// `xrb-` (deprecated)
    XrbDash,
    /// `node_` (node IDs)
    Node,
}

impl AddressPrefix {
    /// True for the deprecated `nano-` / `xrb-` spellings.
    pub fn is_deprecated(self) -> bool {
        matches!(self, Self::NanoDash | Self::XrbDash)
    }
}

fn checksum(key: &[u8; 32]) -> u64 {
    let digest = Blake2b::<U5>::digest(key);
    let mut le = [0u8; 8];
    le[..5].copy_from_slice(&digest);
    u64::from_le_bytes(le)
}

/// Digit values by byte; 0xFF marks a byte outside the alphabet. Built at compile time so decoding
/// is one table load per character.
const DIGIT_VALUES: [u8; 256] = {
    let mut table = [0xFFu8; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn digit_value(c: u8) -> Option<u8> {
    match DIGIT_VALUES[usize::from(c)] {
        0xFF => None,
        v => Some(v),
    }
}

impl Account {
    /// The burn account (all zeros).
    pub const ZERO: Self = Self([0u8; 32]);

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// True for the burn account.
    pub fn is_zero(&self) -> bool {
        self.0 == [0u8; 32]
    }

    /// Parses 1–64 hex digits of the public key (left-padded, nano-node's `decode_hex`).
    pub fn decode_hex(text: &str) -> Result<Self, PrimitiveError> {
        decode_hex_array::<32>(text, false).map(Self)
    }

    /// 64 uppercase hex digits of the public key.
    pub fn encode_hex(&self) -> String {
        encode_hex_upper(&self.0)
    }

    /// The `nano_` address.
    pub fn encode_address(&self) -> String {
        self.encode_with_prefix("nano_")
    }

    /// The address with a caller-chosen prefix (`xrb_`, `node_`).
    pub fn encode_with_prefix(&self, prefix: &str) -> String {
        // 296-bit number = key (256 bits) << 40 | checksum, emitted as 60 five-bit digits,
        // most significant first. Built as 37 big-endian bytes to stay in integer arithmetic.
        let mut bytes = [0u8; 37];
        bytes[..32].copy_from_slice(&self.0);
        bytes[32..].copy_from_slice(&checksum(&self.0).to_be_bytes()[3..]);
        let mut out = String::with_capacity(prefix.len() + 60);
        out.push_str(prefix);
        // The 296 bits are preceded by 4 zero bits to make 300 = 60 × 5; a bit accumulator emits
        // one digit whenever five bits are waiting.
        let (mut acc, mut bits) = (0u32, 4u32);
        for &byte in &bytes {
            acc = (acc << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
            }
            acc &= (1 << bits) - 1;
        }
        out
    }

    /// Decodes an address in any accepted form (`nano_`, `xrb_`, deprecated `nano-`/`xrb-`,
    /// `node_`), returning which prefix was used so callers can flag deprecated ones.
    pub fn decode_address(text: &str) -> Result<(Self, AddressPrefix), PrimitiveError> {
        let (prefix, rest) = if let Some(r) = text.strip_prefix("nano_") {
            (AddressPrefix::Nano, r)
        } else if let Some(r) = text.strip_prefix("xrb_") {
            (AddressPrefix::Xrb, r)
        } else if let Some(r) = text.strip_prefix("nano-") {
            (AddressPrefix::NanoDash, r)
        } else if let Some(r) = text.strip_prefix("xrb-") {
            (AddressPrefix::XrbDash, r)
        } else if let Some(r) = text.strip_prefix("node_") {
            (AddressPrefix::Node, r)
        } else {
            return Err(PrimitiveError::AddressPrefix);
        };
        let digits = rest.as_bytes();
        if digits.len() != 60 {
            return Err(PrimitiveError::AddressLength);
        }
        if !matches!(digits.first(), Some(b'1') | Some(b'3')) {
            return Err(PrimitiveError::AddressAlphabet);
        }
        // The first digit carries 4 padding bits and one value bit ('1' = 0, '3' = 1); the other
        // 59 digits carry five bits each: 1 + 295 = 296 bits = 37 bytes.
        let mut bytes = [0u8; 37];
        let (mut acc, mut bits, mut n) = (u32::from(digits[0] == b'3'), 1u32, 0usize);
        for &c in &digits[1..] {
            let v = digit_value(c).ok_or(PrimitiveError::AddressAlphabet)?;
            acc = (acc << 5) | u32::from(v);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                if let Some(slot) = bytes.get_mut(n) {
                    *slot = (acc >> bits) as u8;
                }
                n += 1;
                acc &= (1 << bits) - 1;
            }
        }
        let mut key = [0u8; 32];
        key.copy_from_slice(&bytes[..32]);
        let mut sum = [0u8; 8];
        sum[3..].copy_from_slice(&bytes[32..]);
        if u64::from_be_bytes(sum) != checksum(&key) {
            return Err(PrimitiveError::AddressChecksum);
        }
        Ok((Self(key), prefix))
    }

    /// Decodes an address, ignoring which prefix it used.
    pub fn from_address(text: &str) -> Result<Self, PrimitiveError> {
        Self::decode_address(text).map(|(a, _)| a)
    }

    /// Accepts an address or 64 hex digits (nano-node's `decode_account` fallback for `link`).
    pub fn from_address_or_hex(text: &str) -> Result<Self, PrimitiveError> {
        Self::from_address(text).or_else(|_| Self::decode_hex(text))
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Account({})", self.encode_address())
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode_address())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burn_account_address() {
        assert_eq!(
            Account::ZERO.encode_address(),
            "nano_1111111111111111111111111111111111111111111111111111hifc8npp"
        );
        let (a, p) = Account::decode_address(
            "xrb-1111111111111111111111111111111111111111111111111111hifc8npp",
        )
        .unwrap();
        assert!(a.is_zero() && p.is_deprecated());
    }

    #[test]
    fn first_digit_must_be_1_or_3() {
        let good = Account([0xffu8; 32]).encode_address();
        assert!(good.starts_with("nano_3"));
        let bad = format!("nano_4{}", &good[6..]);
        assert_eq!(
            Account::decode_address(&bad),
            Err(PrimitiveError::AddressAlphabet)
        );
    }
}
