//! Fixed-size values of the Nano protocol: keys, hashes, amounts, signatures and work.
//!
//! They are plain byte arrays with hex/decimal text forms; parsing is pure and bounded so the
//! API layer can feed client strings straight in.

use std::fmt;

use super::PrimitiveError;

/// Decodes up to `N` bytes of hex. Shorter input is left-padded with zeros, as nano-node's
/// `decode_hex` does for numbers; `exact` demands exactly `2N` digits (hashes and keys).
pub(crate) fn decode_hex_array<const N: usize>(
    text: &str,
    exact: bool,
) -> Result<[u8; N], PrimitiveError> {
    let digits = text.as_bytes();
    if digits.is_empty() || digits.len() > 2 * N || (exact && digits.len() != 2 * N) {
        return Err(PrimitiveError::Hex);
    }
    let mut out = [0u8; N];
    // Walk from the least significant digit so short input lands at the end.
    for (i, &d) in digits.iter().rev().enumerate() {
        let nibble = match d {
            b'0'..=b'9' => d - b'0',
            b'a'..=b'f' => d - b'a' + 10,
            b'A'..=b'F' => d - b'A' + 10,
            _ => return Err(PrimitiveError::Hex),
        };
        let byte = N - 1 - i / 2;
        out[byte] |= if i % 2 == 0 { nibble } else { nibble << 4 };
    }
    Ok(out)
}

/// Uppercase hex, nano-node's form for hashes, keys and signatures.
pub(crate) fn encode_hex_upper(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

macro_rules! bytes32 {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub [u8; 32]);

        impl $name {
            /// The all-zero value (no previous block, burn account, empty link).
            pub const ZERO: Self = Self([0u8; 32]);

            /// The raw bytes.
            pub fn as_bytes(&self) -> &[u8; 32] {
                &self.0
            }

            /// True for the all-zero value.
            pub fn is_zero(&self) -> bool {
                self.0 == [0u8; 32]
            }

            /// Parses 1–64 hex digits (either case), left-padding short input with zeros as
            /// nano-node's `decode_hex` does (`"1"` = `000…01`).
            pub fn decode_hex(text: &str) -> Result<Self, PrimitiveError> {
                decode_hex_array::<32>(text, false).map(Self)
            }

            /// Parses exactly 64 hex digits.
            pub fn decode_hex_exact(text: &str) -> Result<Self, PrimitiveError> {
                decode_hex_array::<32>(text, true).map(Self)
            }

            /// 64 uppercase hex digits.
            pub fn encode_hex(&self) -> String {
                encode_hex_upper(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.encode_hex())
            }
        }

        impl From<[u8; 32]> for $name {
            fn from(bytes: [u8; 32]) -> Self {
                Self(bytes)
            }
        }
    };
}

bytes32!(
    /// Hash of a block (BLAKE2b-256 of its hashables).
    BlockHash
);
bytes32!(
    /// A block's `link` field: a destination account for sends, a source hash for receives,
    /// an epoch marker for epoch blocks, or zero for a change.
    Link
);

impl Link {
    /// The link read as an account (send destination).
    pub fn as_account(&self) -> super::Account {
        super::Account(self.0)
    }

    /// The link read as a block hash (receive source).
    pub fn as_hash(&self) -> BlockHash {
        BlockHash(self.0)
    }
}

/// A private key. Debug output is redacted so keys never reach logs by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct RawKey(pub [u8; 32]);

impl RawKey {
    /// Parses 1–64 hex digits, left-padded like nano-node's `decode_hex`.
    pub fn decode_hex(text: &str) -> Result<Self, PrimitiveError> {
        decode_hex_array::<32>(text, false).map(Self)
    }

    /// 64 uppercase hex digits (for `key_create` / `deterministic_key` answers).
    pub fn encode_hex(&self) -> String {
        encode_hex_upper(&self.0)
    }
}

impl fmt::Debug for RawKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RawKey(..)")
    }
}

/// An Ed25519-BLAKE2b signature (R ‖ S).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature(pub [u8; 64]);

impl Default for Signature {
    fn default() -> Self {
        Self([0u8; 64])
    }
}

impl Signature {
    /// Parses up to 128 hex digits (nano-node accepts short input, zero-padded on the left).
    pub fn decode_hex(text: &str) -> Result<Self, PrimitiveError> {
        decode_hex_array::<64>(text, false).map(Self)
    }

    /// 128 uppercase hex digits.
    pub fn encode_hex(&self) -> String {
        encode_hex_upper(&self.0)
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.encode_hex())
    }
}

/// Proof of work nonce. JSON shows it as 16 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
pub struct Work(pub u64);

impl Work {
    /// Parses up to 16 hex digits.
    pub fn decode_hex(text: &str) -> Result<Self, PrimitiveError> {
        decode_hex_array::<8>(text, false).map(|b| Self(u64::from_be_bytes(b)))
    }

    /// 16 lowercase hex digits.
    pub fn encode_hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// An amount in raw (1 nano = 10^30 raw). Decimal on the wire.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
pub struct Amount(pub u128);

impl Amount {
    /// Zero raw.
    pub const ZERO: Self = Self(0);
    /// The whole supply, 2^128 − 1 raw, held by genesis on every network.
    pub const MAX: Self = Self(u128::MAX);

    /// Parses nano-node's decimal form: 1–39 digits only (no sign, spaces or point), no
    /// leading `0` unless the value is exactly `0`, at most 2^128 − 1.
    pub fn decode_dec(text: &str) -> Result<Self, PrimitiveError> {
        let digits = text.as_bytes();
        if digits.is_empty()
            || digits.len() > 39
            || (digits.len() > 1 && digits.first() == Some(&b'0'))
        {
            return Err(PrimitiveError::Decimal);
        }
        let mut value: u128 = 0;
        for &d in digits {
            if !d.is_ascii_digit() {
                return Err(PrimitiveError::Decimal);
            }
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u128::from(d - b'0')))
                .ok_or(PrimitiveError::Decimal)?;
        }
        Ok(Self(value))
    }

    /// Raw per nano (10^30, nano-node's `nano_ratio`).
    pub const RAW_PER_NANO: u128 = 1_000_000_000_000_000_000_000_000_000_000;

    /// The amount in nano as an exact decimal (`"1"`, `"0.000000000000000000000000000001"`),
    /// trailing zeros of the fraction dropped.
    pub fn format_nano(&self) -> String {
        let whole = self.0 / Self::RAW_PER_NANO;
        let frac = self.0 % Self::RAW_PER_NANO;
        if frac == 0 {
            return whole.to_string();
        }
        let digits = format!("{frac:030}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }

    /// Parses an exact decimal nano amount (at most 30 fractional digits, digits and one
    /// point only), refusing values above 2^128 − 1 raw.
    pub fn parse_nano(text: &str) -> Result<Self, PrimitiveError> {
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || whole.len() > 39
            || frac.len() > 30
            || !all_digits(whole)
            || !all_digits(frac)
        {
            return Err(PrimitiveError::Decimal);
        }
        if text.contains('.') && frac.is_empty() {
            return Err(PrimitiveError::Decimal);
        }
        let whole: u128 = whole.parse().map_err(|_| PrimitiveError::Decimal)?;
        let mut frac_raw: u128 = 0;
        for (i, d) in frac.bytes().enumerate() {
            let exp = u32::try_from(29 - i).map_err(|_| PrimitiveError::Decimal)?;
            frac_raw += u128::from(d - b'0') * 10u128.pow(exp);
        }
        whole
            .checked_mul(Self::RAW_PER_NANO)
            .and_then(|w| w.checked_add(frac_raw))
            .map(Self)
            .ok_or(PrimitiveError::Decimal)
    }

    /// Decimal digits.
    pub fn encode_dec(&self) -> String {
        self.0.to_string()
    }

    /// 32 uppercase hex digits: legacy send blocks show their balance this way.
    pub fn encode_hex(&self) -> String {
        encode_hex_upper(&self.0.to_be_bytes())
    }

    /// Parses up to 32 hex digits (legacy send balance).
    pub fn decode_hex(text: &str) -> Result<Self, PrimitiveError> {
        decode_hex_array::<16>(text, false).map(|b| Self(u128::from_be_bytes(b)))
    }

    /// Big-endian bytes, as hashed and stored.
    pub fn to_be_bytes(&self) -> [u8; 16] {
        self.0.to_be_bytes()
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_short_forms() {
        let h = BlockHash::decode_hex(&"aB".repeat(32)).unwrap();
        assert_eq!(h.encode_hex(), "AB".repeat(32));
        assert_eq!(BlockHash::decode_hex("1").unwrap().0[31], 1);
        assert!(BlockHash::decode_hex_exact("AB").is_err());
        assert!(BlockHash::decode_hex("").is_err());
        assert!(BlockHash::decode_hex(&"0".repeat(65)).is_err());
        assert!(BlockHash::decode_hex(&"g".repeat(64)).is_err());
        assert_eq!(Work::decode_hex("1f").unwrap(), Work(0x1f));
        assert_eq!(Work(0xb7).encode_hex(), "00000000000000b7");
        assert!(Work::decode_hex("00000000000000000").is_err());
        assert_eq!(Signature::decode_hex("0").unwrap(), Signature::default());
    }

    #[test]
    fn decimal_bounds() {
        assert_eq!(
            Amount::decode_dec("340282366920938463463374607431768211455").unwrap(),
            Amount::MAX
        );
        assert!(Amount::decode_dec("340282366920938463463374607431768211456").is_err());
        assert!(Amount::decode_dec("").is_err());
        assert!(Amount::decode_dec("-1").is_err());
        assert!(Amount::decode_dec("1.5").is_err());
        assert!(Amount::decode_dec("01").is_err());
        assert_eq!(Amount::decode_dec("0").unwrap(), Amount::ZERO);
        assert_eq!(Amount(255).encode_hex(), format!("{:032X}", 255));
        assert_eq!(Amount::decode_hex("FF").unwrap(), Amount(255));
    }
}
