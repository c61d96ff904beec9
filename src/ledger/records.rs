//! Values kept in the store and their byte codecs (pure functions, bounds-checked).
//!
//! Fixed layouts, big-endian integers, so the bytes sort the way the queries iterate.

use super::primitives::{Account, Amount, Block, BlockHash, PrimitiveError, Reader};

/// How a block changed its account, as nano-node's `subtype` shows it. An opening block is a
/// `Receive` (nano has no `open` subtype in output); legacy blocks map to their kind.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Subtype {
    /// Balance went down.
    Send,
    /// Balance went up (including opens).
    Receive,
    /// Representative change, balance unchanged.
    Change,
    /// Epoch upgrade.
    Epoch,
}

impl Subtype {
    /// nano-node's subtype string.
    pub fn name(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::Receive => "receive",
            Self::Change => "change",
            Self::Epoch => "epoch",
        }
    }

    fn tag(self) -> u8 {
        match self {
            Self::Send => 0,
            Self::Receive => 1,
            Self::Change => 2,
            Self::Epoch => 3,
        }
    }

    fn from_tag(tag: u8) -> Result<Self, PrimitiveError> {
        Ok(match tag {
            0 => Self::Send,
            1 => Self::Receive,
            2 => Self::Change,
            3 => Self::Epoch,
            _ => return Err(PrimitiveError::Binary),
        })
    }
}

/// What the ledger knows about a block beyond its own fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sideband {
    /// The chain the block belongs to.
    pub account: Account,
    /// Position in the chain, 1 for the open block.
    pub height: u64,
    /// Balance after the block.
    pub balance: Amount,
    /// How the block changed the account.
    pub subtype: Subtype,
    /// The account's epoch after this block (0 until epoch blocks are supported).
    pub epoch: u8,
    /// Local arrival time, seconds since the Unix epoch.
    pub timestamp: u64,
    /// The next block of the chain, zero at the head.
    pub successor: BlockHash,
}

/// A block with its sideband, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBlock {
    /// The block.
    pub block: Block,
    /// Its sideband.
    pub sideband: Sideband,
}

impl StoredBlock {
    /// Store form: block bytes then sideband bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = self.block.to_bytes();
        let s = &self.sideband;
        out.extend_from_slice(&s.account.0);
        out.extend_from_slice(&s.height.to_be_bytes());
        out.extend_from_slice(&s.balance.to_be_bytes());
        out.push(s.subtype.tag());
        out.push(s.epoch);
        out.extend_from_slice(&s.timestamp.to_be_bytes());
        out.extend_from_slice(&s.successor.0);
        out
    }

    /// Decodes the store form.
    pub fn decode(bytes: &[u8]) -> Result<Self, PrimitiveError> {
        let (block, rest) = Block::from_bytes(bytes)?;
        let mut r = Reader(rest);
        let sideband = Sideband {
            account: Account(r.take32()?),
            height: u64::from_be_bytes(r.take()?),
            balance: Amount(u128::from_be_bytes(r.take()?)),
            subtype: Subtype::from_tag(r.take::<1>()?[0])?,
            epoch: r.take::<1>()?[0],
            timestamp: u64::from_be_bytes(r.take()?),
            successor: BlockHash(r.take32()?),
        };
        if !r.0.is_empty() {
            return Err(PrimitiveError::Binary);
        }
        Ok(Self { block, sideband })
    }
}

/// An account's frontier record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountInfo {
    /// Latest block.
    pub head: BlockHash,
    /// First block.
    pub open_block: BlockHash,
    /// Current representative.
    pub representative: Account,
    /// Current balance.
    pub balance: Amount,
    /// Number of blocks in the chain.
    pub block_count: u64,
    /// Last change, seconds since the Unix epoch.
    pub modified: u64,
    /// Height of the last confirmed (cemented) block.
    pub confirmation_height: u64,
    /// Hash of the last confirmed block.
    pub confirmation_frontier: BlockHash,
    /// Current epoch.
    pub epoch: u8,
}

impl AccountInfo {
    /// Store form.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 * 4 + 16 + 8 * 3 + 1);
        out.extend_from_slice(&self.head.0);
        out.extend_from_slice(&self.open_block.0);
        out.extend_from_slice(&self.representative.0);
        out.extend_from_slice(&self.balance.to_be_bytes());
        out.extend_from_slice(&self.block_count.to_be_bytes());
        out.extend_from_slice(&self.modified.to_be_bytes());
        out.extend_from_slice(&self.confirmation_height.to_be_bytes());
        out.extend_from_slice(&self.confirmation_frontier.0);
        out.push(self.epoch);
        out
    }

    /// Decodes the store form.
    pub fn decode(bytes: &[u8]) -> Result<Self, PrimitiveError> {
        let mut r = Reader(bytes);
        let info = Self {
            head: BlockHash(r.take32()?),
            open_block: BlockHash(r.take32()?),
            representative: Account(r.take32()?),
            balance: Amount(u128::from_be_bytes(r.take()?)),
            block_count: u64::from_be_bytes(r.take()?),
            modified: u64::from_be_bytes(r.take()?),
            confirmation_height: u64::from_be_bytes(r.take()?),
            confirmation_frontier: BlockHash(r.take32()?),
            epoch: r.take::<1>()?[0],
        };
        if !r.0.is_empty() {
            return Err(PrimitiveError::Binary);
        }
        Ok(info)
    }
}

/// A send not yet received: stored under (destination, send hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receivable {
    /// The sending account.
    pub source: Account,
    /// Amount sent.
    pub amount: Amount,
    /// Epoch of the send.
    pub epoch: u8,
}

impl Receivable {
    /// Store form.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(49);
        out.extend_from_slice(&self.source.0);
        out.extend_from_slice(&self.amount.to_be_bytes());
        out.push(self.epoch);
        out
    }

    /// Decodes the store form.
    pub fn decode(bytes: &[u8]) -> Result<Self, PrimitiveError> {
        let mut r = Reader(bytes);
        let v = Self {
            source: Account(r.take32()?),
            amount: Amount(u128::from_be_bytes(r.take()?)),
            epoch: r.take::<1>()?[0],
        };
        if !r.0.is_empty() {
            return Err(PrimitiveError::Binary);
        }
        Ok(v)
    }
}

/// Receivable key: destination ‖ send hash, so one account's entries are contiguous and
/// ordered by hash, as nano-node lists them.
pub fn receivable_key(destination: &Account, send: &BlockHash) -> [u8; 64] {
    let mut k = [0u8; 64];
    k[..32].copy_from_slice(&destination.0);
    k[32..].copy_from_slice(&send.0);
    k
}

/// Splits a receivable key.
pub fn split_receivable_key(key: &[u8]) -> Result<(Account, BlockHash), PrimitiveError> {
    let mut r = Reader(key);
    let a = Account(r.take32()?);
    let h = BlockHash(r.take32()?);
    if !r.0.is_empty() {
        return Err(PrimitiveError::Binary);
    }
    Ok((a, h))
}

/// Decodes a 16-byte big-endian amount.
pub fn decode_amount(bytes: &[u8]) -> Result<Amount, PrimitiveError> {
    let mut r = Reader(bytes);
    let a = Amount(u128::from_be_bytes(r.take()?));
    if !r.0.is_empty() {
        return Err(PrimitiveError::Binary);
    }
    Ok(a)
}

/// Decodes a 32-byte key.
pub fn decode32(bytes: &[u8]) -> Result<[u8; 32], PrimitiveError> {
    let mut r = Reader(bytes);
    let v = r.take32()?;
    if !r.0.is_empty() {
        return Err(PrimitiveError::Binary);
    }
    Ok(v)
}
