//! Answer text written straight into a response builder, without an intermediate `String` per
//! field: hashes as hex from a stack buffer, amounts through itoa, addresses from a small
//! per-thread cache.
//!
//! Why the cache: an address ends in a Blake2b checksum of its key, which costs more than the
//! rest of rendering one history entry, and the same accounts come back again and again (the
//! chain's own account in every answer about it, its usual counterparties in its history, the
//! accounts a wallet polls). Entries are keyed by the whole key, so a hit is always the exact
//! address; a miss (or a slot taken by another key) only costs the checksum it would have cost.

use std::cell::RefCell;

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::ParsedAccount;
use crate::ledger::primitives::{Account, Amount};

/// Slots of each per-thread address cache (direct-mapped: a key has one slot). 256 addresses
/// take about 30 KiB per runtime thread.
const ADDRESS_SLOTS: usize = 256;

/// A direct-mapped per-thread cache.
type Slots<T> = RefCell<[Option<T>; ADDRESS_SLOTS]>;

thread_local! {
    static ADDRESSES: Slots<(Account, Box<str>)> =
        const { RefCell::new([const { None }; ADDRESS_SLOTS]) };
    /// The other direction: address texts a request gave, and what they decoded to (successful
    /// decodes only). The same text always decodes the same way, so a hit skips the checksum.
    static PARSED: Slots<(Box<str>, ParsedAccount)> =
        const { RefCell::new([const { None }; ADDRESS_SLOTS]) };
}

/// The slot of a key: every byte counts (test keys such as `[n; 32]` must not all collide), and
/// a key crafted to collide only evicts another entry, it never reads a wrong one.
fn slot_of(bytes: &[u8]) -> usize {
    let mut h = 0u64;
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(word)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (h >> 56) as usize % ADDRESS_SLOTS
}

/// Calls `f` with the `nano_` address of `account`.
pub(super) fn with_address<R>(account: &Account, f: impl FnOnce(&str) -> R) -> R {
    ADDRESSES.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slots) => {
            let Some(slot) = slots.get_mut(slot_of(&account.0)) else {
                return f(&account.encode_address());
            };
            match slot {
                Some((key, text)) if key == account => f(text),
                _ => {
                    let text: Box<str> = account.encode_address().into();
                    let slot = slot.insert((*account, text));
                    f(&slot.1)
                }
            }
        }
        // Re-entered from inside `f` (never done here): no cache, same text.
        Err(_) => f(&account.encode_address()),
    })
}

/// `parse(text)`, remembered per thread when it succeeds.
pub(super) fn parse_cached<E>(
    text: &str,
    parse: impl FnOnce(&str) -> Result<ParsedAccount, E>,
) -> Result<ParsedAccount, E> {
    PARSED.with(|cell| {
        let Ok(mut slots) = cell.try_borrow_mut() else {
            return parse(text);
        };
        let Some(slot) = slots.get_mut(slot_of(text.as_bytes())) else {
            return parse(text);
        };
        if let Some((known, parsed)) = slot {
            if **known == *text {
                return Ok(*parsed);
            }
        }
        let parsed = parse(text)?;
        *slot = Some((text.into(), parsed));
        Ok(parsed)
    })
}

/// 32 bytes (a hash or key) as 64 uppercase hex digits, nano-node's form, on the stack.
pub(super) struct Hex32([u8; 64]);

impl Hex32 {
    pub(super) fn new(bytes: &[u8; 32]) -> Self {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut text = [0u8; 64];
        for (pair, b) in text.chunks_exact_mut(2).zip(bytes) {
            pair[0] = DIGITS[usize::from(b >> 4)];
            pair[1] = DIGITS[usize::from(b & 0xf)];
        }
        Hex32(text)
    }

    pub(super) fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this never takes the fallback.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// `account`'s `nano_` address as a builder string.
pub(super) fn address<'b>(
    fbb: &mut FlatBufferBuilder<'b>,
    account: &Account,
) -> WIPOffset<&'b str> {
    with_address(account, |text| fbb.create_string(text))
}

/// An amount in decimal raw, as a builder string.
pub(super) fn amount<'b>(fbb: &mut FlatBufferBuilder<'b>, amount: Amount) -> WIPOffset<&'b str> {
    let mut digits = itoa::Buffer::new();
    fbb.create_string(digits.format(amount.0))
}

/// 32 bytes as 64 uppercase hex digits, as a builder string.
pub(super) fn hex32<'b>(fbb: &mut FlatBufferBuilder<'b>, bytes: &[u8; 32]) -> WIPOffset<&'b str> {
    fbb.create_string(Hex32::new(bytes).as_str())
}

/// The JSON side of the same texts: one member of the object being written.
pub(super) mod json {
    use super::{with_address, Hex32};
    use crate::ledger::primitives::{Account, Amount};
    use crate::schema::JsonWriter;

    /// A member whose value needs no escaping: every text these answers write (hex, decimal
    /// digits, `nano_` addresses, fixed type names) is plain ASCII without `"` or `\\`.
    pub fn str(w: &mut JsonWriter, key: &str, value: &str) {
        w.key(key);
        w.plain_string(value);
    }

    pub fn hex32(w: &mut JsonWriter, key: &str, bytes: &[u8; 32]) {
        str(w, key, Hex32::new(bytes).as_str());
    }

    pub fn amount(w: &mut JsonWriter, key: &str, amount: Amount) {
        str(w, key, itoa::Buffer::new().format(amount.0));
    }

    pub fn address(w: &mut JsonWriter, key: &str, account: &Account) {
        with_address(account, |text| str(w, key, text));
    }

    /// A scalar member, left out at its schema default (0), as the generated writer does.
    pub fn u64(w: &mut JsonWriter, key: &str, value: u64) {
        if value != 0 {
            w.key(key);
            w.scalar(value);
        }
    }

    /// A bool member, left out at its schema default (false).
    pub fn flag(w: &mut JsonWriter, key: &str, value: bool) {
        if value {
            w.key(key);
            w.scalar(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::primitives::BlockHash;

    fn text(
        build: impl FnOnce(&mut FlatBufferBuilder<'static>) -> WIPOffset<&'static str>,
    ) -> String {
        let mut fbb = FlatBufferBuilder::new();
        let s = build(&mut fbb);
        fbb.finish_minimal(s);
        flatbuffers::root::<&str>(fbb.finished_data())
            .expect("a string root")
            .to_owned()
    }

    #[test]
    fn same_text_as_the_primitives() {
        let hash = BlockHash([0xA7; 32]);
        assert_eq!(text(|f| hex32(f, &hash.0)), hash.encode_hex());
        for raw in [0, 1, 10, u128::from(u64::MAX) + 1, u128::MAX] {
            assert_eq!(text(|f| amount(f, Amount(raw))), Amount(raw).to_string());
        }
    }

    #[test]
    fn cached_addresses_are_each_keys_own() {
        // Many keys over few slots evict each other and still render their own address, fresh
        // and from the cache.
        let keys: Vec<Account> = (0..=u8::MAX)
            .chain(0..=u8::MAX)
            .map(|n| Account([n; 32]))
            .collect();
        for _ in 0..2 {
            for key in &keys {
                for _ in 0..2 {
                    assert_eq!(with_address(key, str::to_owned), key.encode_address());
                    assert_eq!(text(|f| address(f, key)), key.encode_address());
                }
            }
        }
    }

    #[test]
    fn cached_parses_are_each_texts_own() {
        let keys: Vec<Account> = (0..=u8::MAX).map(|n| Account([n; 32])).collect();
        for _ in 0..2 {
            for key in &keys {
                let text = key.encode_address();
                let parsed = parse_cached(&text, super::super::decode_account).expect("valid");
                assert_eq!(parsed.account, *key);
                assert!(!parsed.deprecated_format);
                let dashed = text.replacen("nano_", "nano-", 1);
                let parsed = parse_cached(&dashed, super::super::decode_account).expect("valid");
                assert_eq!(parsed.account, *key);
                assert!(parsed.deprecated_format);
            }
        }
        let mut bad = keys[1].encode_address();
        let last = if bad.ends_with('1') { "3" } else { "1" };
        bad.replace_range(bad.len() - 1.., last);
        assert!(parse_cached(&bad, super::super::decode_account).is_err());
        assert!(parse_cached(&bad, super::super::decode_account).is_err());
    }
}
