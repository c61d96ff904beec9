//! Keys and units: `key_create`, `key_expand`, `deterministic_key`, `validate_account_number`,
//! `nano_to_raw` / `raw_to_nano`, and the field parsers (with nano-node's error text) that the key,
//! work and block-building requests of both front ends share.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::accounts::parse_account;
use super::{Api, ApiError, Caller};
use crate::ledger::primitives::{deterministic_key, Amount, KeyPair, RawKey, Work};
use crate::schema::{
    DeterministicKey, KeyCreate, KeyExpand, KeyPairT, ValidateAccountNumber,
    ValidateAccountNumberResponse, ValidateAccountNumberResponseT,
};

/// Parses a private key (1–64 hex digits, left-padded like nano-node's `decode_hex`).
pub fn parse_private_key(text: &str) -> Result<RawKey, ApiError> {
    RawKey::decode_hex(text).map_err(|_| ApiError::InvalidArgument("Bad private key"))
}

/// Parses a seed (same form as a private key).
pub fn parse_seed(text: &str) -> Result<RawKey, ApiError> {
    RawKey::decode_hex(text).map_err(|_| ApiError::InvalidArgument("Bad seed"))
}

/// Parses a work nonce (1–16 hex digits).
pub fn parse_work(text: &str) -> Result<Work, ApiError> {
    Work::decode_hex(text).map_err(|_| ApiError::InvalidArgument("Bad work"))
}

/// Parses a difficulty (1–16 hex digits).
pub fn parse_difficulty(text: &str) -> Result<u64, ApiError> {
    Work::decode_hex(text)
        .map(|w| w.0)
        .map_err(|_| ApiError::InvalidArgument("Bad difficulty"))
}

/// Checks a work version name: only `work_1` exists.
pub fn check_work_version(text: &str) -> Result<(), ApiError> {
    if text == "work_1" {
        Ok(())
    } else {
        Err(ApiError::InvalidArgument("Bad work version"))
    }
}

/// Reads an index the way nano-node's `std::stoul` does: leading whitespace, an optional sign,
/// then digits (trailing text ignored); a value above 2^64 − 1 or no digits at all is
/// `Invalid index`; the result is truncated to 32 bits, so `-1` is 4294967295.
pub fn parse_index(text: &str) -> Result<u32, ApiError> {
    let invalid = ApiError::InvalidArgument("Invalid index");
    let t = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(invalid);
    }
    let value: u64 = rest[..digits].parse().map_err(|_| invalid)?;
    let value = if negative {
        value.wrapping_neg()
    } else {
        value
    };
    // Truncation to the low 32 bits is nano-node's conversion to `uint32_t`.
    Ok(value as u32)
}

impl Api {
    /// A fresh random key pair from the OS generator. Nothing is stored.
    pub fn create_key(&self) -> Result<KeyPair, ApiError> {
        KeyPair::random().map_err(|e| {
            tracing::error!(error = %e, "key_create: the OS random generator failed");
            ApiError::InvalidAnswer(e.to_string())
        })
    }

    /// The public half of a private key.
    pub fn expand_key(&self, key: RawKey) -> KeyPair {
        KeyPair::from_private(key)
    }

    /// The key pair at `index` of `seed` (nano-node's `deterministic_key`).
    pub fn derive_key(&self, seed: &RawKey, index: u32) -> KeyPair {
        KeyPair::from_private(deterministic_key(seed, index))
    }

    /// Whether `address` decodes; the flag is true for a deprecated `nano-`/`xrb-` prefix.
    /// Invalid addresses are an answer here, not an error.
    pub fn check_address(&self, address: &str) -> (bool, bool) {
        match parse_account(address) {
            Ok(parsed) => (true, parsed.deprecated_format),
            Err(_) => (false, false),
        }
    }

    /// Nano to raw (× 10^30) with nano-node's check: the 128-bit product wraps, and a product
    /// not above the input (0, or a wrap that lands low) is `Amount too big`.
    pub fn nano_to_raw(&self, nano: Amount) -> Result<Amount, ApiError> {
        let raw = nano.0.wrapping_mul(Amount::RAW_PER_NANO);
        if raw > nano.0 {
            Ok(Amount(raw))
        } else {
            Err(ApiError::InvalidArgument("Amount too big"))
        }
    }

    /// Raw to nano (integer division by 10^30, truncating).
    pub fn raw_to_nano(&self, raw: Amount) -> Amount {
        Amount(raw.0 / Amount::RAW_PER_NANO)
    }

    pub(super) fn key_create<'b>(
        &self,
        _ctx: &Caller,
        _req: KeyCreate<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<crate::schema::KeyPair<'b>>, ApiError> {
        Ok(key_pair_object(&self.create_key()?).pack(fbb))
    }

    pub(super) fn key_expand<'b>(
        &self,
        _ctx: &Caller,
        req: KeyExpand<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<crate::schema::KeyPair<'b>>, ApiError> {
        let key = parse_private_key(req.key())?;
        Ok(key_pair_object(&self.expand_key(key)).pack(fbb))
    }

    pub(super) fn deterministic_key<'b>(
        &self,
        _ctx: &Caller,
        req: DeterministicKey<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<crate::schema::KeyPair<'b>>, ApiError> {
        let seed = parse_seed(req.seed())?;
        Ok(key_pair_object(&self.derive_key(&seed, req.index())).pack(fbb))
    }

    pub(super) fn validate_account_number<'b>(
        &self,
        _ctx: &Caller,
        req: ValidateAccountNumber<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<ValidateAccountNumberResponse<'b>>, ApiError> {
        let (valid, _) = self.check_address(req.account());
        Ok(ValidateAccountNumberResponseT { valid }.pack(fbb))
    }
}

fn key_pair_object(pair: &KeyPair) -> KeyPairT {
    KeyPairT {
        private: pair.private.encode_hex(),
        public: pair.account.encode_hex(),
        account: pair.account.encode_address(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::parse_block_hash;

    #[test]
    fn index_follows_stoul() {
        assert_eq!(parse_index("5").unwrap(), 5);
        assert_eq!(parse_index("5abc").unwrap(), 5);
        assert_eq!(parse_index("  +7").unwrap(), 7);
        assert_eq!(parse_index("-1").unwrap(), u32::MAX);
        assert_eq!(parse_index("4294967296").unwrap(), 0);
        for bad in ["", "abc", "-", " x1", "18446744073709551616"] {
            assert_eq!(
                parse_index(bad).unwrap_err().to_string(),
                "Invalid index",
                "{bad}"
            );
        }
    }

    #[test]
    fn field_parsers_use_nano_texts() {
        assert_eq!(
            parse_private_key("xyz").unwrap_err().to_string(),
            "Bad private key"
        );
        assert_eq!(parse_seed("").unwrap_err().to_string(), "Bad seed");
        assert_eq!(
            parse_block_hash("g").unwrap_err().to_string(),
            "Invalid block hash"
        );
        assert_eq!(
            parse_work(&"0".repeat(17)).unwrap_err().to_string(),
            "Bad work"
        );
        assert_eq!(
            parse_difficulty("0x1").unwrap_err().to_string(),
            "Bad difficulty"
        );
        assert_eq!(
            check_work_version("work_2").unwrap_err().to_string(),
            "Bad work version"
        );
        assert_eq!(parse_work("1F").unwrap(), Work(0x1f));
    }
}
