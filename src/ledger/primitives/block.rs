//! Blocks: the state block and the four legacy kinds, their hashes, roots and a compact
//! binary form for the store.
//!
//! Hashing follows nano-node: state = BLAKE2b-256(preamble 0…06 ‖ account ‖ previous ‖
//! representative ‖ balance BE ‖ link); legacy blocks hash their fields without a preamble.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};

use super::{Account, Amount, BlockHash, Link, PrimitiveError, Signature, Work};

/// A state block (the only kind this node accepts for processing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateBlock {
    /// Owner of the chain.
    pub account: Account,
    /// Previous block of the chain, zero for an open.
    pub previous: BlockHash,
    /// Representative after this block.
    pub representative: Account,
    /// Balance after this block.
    pub balance: Amount,
    /// Destination (send), source hash (receive), epoch marker, or zero (change).
    pub link: Link,
    /// Signature of the hash by `account` (or the epoch signer).
    pub signature: Signature,
    /// Proof of work over the root.
    pub work: Work,
}

/// Legacy open block (the genesis block is one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenBlock {
    /// The send being received.
    pub source: BlockHash,
    /// Representative.
    pub representative: Account,
    /// The account opened.
    pub account: Account,
    /// Signature.
    pub signature: Signature,
    /// Work over the account.
    pub work: Work,
}

/// Legacy send block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendBlock {
    /// Previous block.
    pub previous: BlockHash,
    /// Destination account.
    pub destination: Account,
    /// Balance after the send.
    pub balance: Amount,
    /// Signature.
    pub signature: Signature,
    /// Work over previous.
    pub work: Work,
}

/// Legacy receive block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiveBlock {
    /// Previous block.
    pub previous: BlockHash,
    /// The send being received.
    pub source: BlockHash,
    /// Signature.
    pub signature: Signature,
    /// Work over previous.
    pub work: Work,
}

/// Legacy change block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeBlock {
    /// Previous block.
    pub previous: BlockHash,
    /// New representative.
    pub representative: Account,
    /// Signature.
    pub signature: Signature,
    /// Work over previous.
    pub work: Work,
}

/// Any block kind nano-node knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// State block.
    State(StateBlock),
    /// Legacy open.
    Open(OpenBlock),
    /// Legacy send.
    Send(SendBlock),
    /// Legacy receive.
    Receive(ReceiveBlock),
    /// Legacy change.
    Change(ChangeBlock),
}

/// nano-node's `type` name of each kind.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BlockType {
    /// `state`
    State,
    /// `open`
    Open,
    /// `send`
    Send,
    /// `receive`
    Receive,
    /// `change`
    Change,
}

impl BlockType {
    /// The JSON `type` string.
    pub fn name(self) -> &'static str {
        match self {
            Self::State => "state",
            Self::Open => "open",
            Self::Send => "send",
            Self::Receive => "receive",
            Self::Change => "change",
        }
    }

    fn tag(self) -> u8 {
        match self {
            Self::Send => 2,
            Self::Receive => 3,
            Self::Open => 4,
            Self::Change => 5,
            Self::State => 6,
        }
    }
}

fn blake2b256(parts: &[&[u8]]) -> BlockHash {
    let mut h = Blake2b::<U32>::new();
    for p in parts {
        h.update(p);
    }
    BlockHash(h.finalize().into())
}

impl Block {
    /// The block's kind.
    pub fn block_type(&self) -> BlockType {
        match self {
            Self::State(_) => BlockType::State,
            Self::Open(_) => BlockType::Open,
            Self::Send(_) => BlockType::Send,
            Self::Receive(_) => BlockType::Receive,
            Self::Change(_) => BlockType::Change,
        }
    }

    /// The block hash.
    pub fn hash(&self) -> BlockHash {
        match self {
            Self::State(b) => {
                let mut preamble = [0u8; 32];
                preamble[31] = BlockType::State.tag();
                blake2b256(&[
                    &preamble,
                    &b.account.0,
                    &b.previous.0,
                    &b.representative.0,
                    &b.balance.to_be_bytes(),
                    &b.link.0,
                ])
            }
            Self::Open(b) => blake2b256(&[&b.source.0, &b.representative.0, &b.account.0]),
            Self::Send(b) => {
                blake2b256(&[&b.previous.0, &b.destination.0, &b.balance.to_be_bytes()])
            }
            Self::Receive(b) => blake2b256(&[&b.previous.0, &b.source.0]),
            Self::Change(b) => blake2b256(&[&b.previous.0, &b.representative.0]),
        }
    }

    /// The previous hash (zero for opens).
    pub fn previous(&self) -> BlockHash {
        match self {
            Self::State(b) => b.previous,
            Self::Open(_) => BlockHash::ZERO,
            Self::Send(b) => b.previous,
            Self::Receive(b) => b.previous,
            Self::Change(b) => b.previous,
        }
    }

    /// The work root: previous, or the account for an opening block.
    pub fn root(&self) -> [u8; 32] {
        match self {
            Self::State(b) if b.previous.is_zero() => b.account.0,
            Self::Open(b) => b.account.0,
            other => other.previous().0,
        }
    }

    /// The account field, for kinds that carry one (state and open).
    pub fn account_field(&self) -> Option<Account> {
        match self {
            Self::State(b) => Some(b.account),
            Self::Open(b) => Some(b.account),
            _ => None,
        }
    }

    /// The representative field, for kinds that carry one.
    pub fn representative_field(&self) -> Option<Account> {
        match self {
            Self::State(b) => Some(b.representative),
            Self::Open(b) => Some(b.representative),
            Self::Change(b) => Some(b.representative),
            _ => None,
        }
    }

    /// The signature.
    pub fn signature(&self) -> Signature {
        match self {
            Self::State(b) => b.signature,
            Self::Open(b) => b.signature,
            Self::Send(b) => b.signature,
            Self::Receive(b) => b.signature,
            Self::Change(b) => b.signature,
        }
    }

    /// Replaces the signature (used by `sign` and by tools that build blocks).
    pub fn set_signature(&mut self, signature: Signature) {
        match self {
            Self::State(b) => b.signature = signature,
            Self::Open(b) => b.signature = signature,
            Self::Send(b) => b.signature = signature,
            Self::Receive(b) => b.signature = signature,
            Self::Change(b) => b.signature = signature,
        }
    }

    /// The work nonce.
    pub fn work(&self) -> Work {
        match self {
            Self::State(b) => b.work,
            Self::Open(b) => b.work,
            Self::Send(b) => b.work,
            Self::Receive(b) => b.work,
            Self::Change(b) => b.work,
        }
    }

    /// Replaces the work nonce.
    pub fn set_work(&mut self, work: Work) {
        match self {
            Self::State(b) => b.work = work,
            Self::Open(b) => b.work = work,
            Self::Send(b) => b.work = work,
            Self::Receive(b) => b.work = work,
            Self::Change(b) => b.work = work,
        }
    }

    /// Compact store form: kind tag, then the fields in hash order, then signature and work
    /// (work little-endian). Fixed size per kind.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(217);
        out.push(self.block_type().tag());
        match self {
            Self::State(b) => {
                out.extend_from_slice(&b.account.0);
                out.extend_from_slice(&b.previous.0);
                out.extend_from_slice(&b.representative.0);
                out.extend_from_slice(&b.balance.to_be_bytes());
                out.extend_from_slice(&b.link.0);
            }
            Self::Open(b) => {
                out.extend_from_slice(&b.source.0);
                out.extend_from_slice(&b.representative.0);
                out.extend_from_slice(&b.account.0);
            }
            Self::Send(b) => {
                out.extend_from_slice(&b.previous.0);
                out.extend_from_slice(&b.destination.0);
                out.extend_from_slice(&b.balance.to_be_bytes());
            }
            Self::Receive(b) => {
                out.extend_from_slice(&b.previous.0);
                out.extend_from_slice(&b.source.0);
            }
            Self::Change(b) => {
                out.extend_from_slice(&b.previous.0);
                out.extend_from_slice(&b.representative.0);
            }
        }
        out.extend_from_slice(&self.signature().0);
        out.extend_from_slice(&self.work().0.to_le_bytes());
        out
    }

    /// Decodes the store form, returning the block and the bytes that follow it.
    pub fn from_bytes(bytes: &[u8]) -> Result<(Self, &[u8]), PrimitiveError> {
        let (&tag, rest) = bytes.split_first().ok_or(PrimitiveError::Binary)?;
        let mut r = Reader(rest);
        let block = match tag {
            6 => {
                let account = Account(r.take32()?);
                let previous = BlockHash(r.take32()?);
                let representative = Account(r.take32()?);
                let balance = Amount(u128::from_be_bytes(r.take()?));
                let link = Link(r.take32()?);
                let (signature, work) = r.sig_work()?;
                Self::State(StateBlock {
                    account,
                    previous,
                    representative,
                    balance,
                    link,
                    signature,
                    work,
                })
            }
            4 => {
                let source = BlockHash(r.take32()?);
                let representative = Account(r.take32()?);
                let account = Account(r.take32()?);
                let (signature, work) = r.sig_work()?;
                Self::Open(OpenBlock {
                    source,
                    representative,
                    account,
                    signature,
                    work,
                })
            }
            2 => {
                let previous = BlockHash(r.take32()?);
                let destination = Account(r.take32()?);
                let balance = Amount(u128::from_be_bytes(r.take()?));
                let (signature, work) = r.sig_work()?;
                Self::Send(SendBlock {
                    previous,
                    destination,
                    balance,
                    signature,
                    work,
                })
            }
            3 => {
                let previous = BlockHash(r.take32()?);
                let source = BlockHash(r.take32()?);
                let (signature, work) = r.sig_work()?;
                Self::Receive(ReceiveBlock {
                    previous,
                    source,
                    signature,
                    work,
                })
            }
            5 => {
                let previous = BlockHash(r.take32()?);
                let representative = Account(r.take32()?);
                let (signature, work) = r.sig_work()?;
                Self::Change(ChangeBlock {
                    previous,
                    representative,
                    signature,
                    work,
                })
            }
            _ => return Err(PrimitiveError::Binary),
        };
        Ok((block, r.0))
    }
}

/// A bounds-checked cursor over stored bytes.
pub(crate) struct Reader<'a>(pub(crate) &'a [u8]);

impl<'a> Reader<'a> {
    pub(crate) fn take<const N: usize>(&mut self) -> Result<[u8; N], PrimitiveError> {
        if self.0.len() < N {
            return Err(PrimitiveError::Binary);
        }
        let (head, tail) = self.0.split_at(N);
        self.0 = tail;
        let mut out = [0u8; N];
        out.copy_from_slice(head);
        Ok(out)
    }

    pub(crate) fn take32(&mut self) -> Result<[u8; 32], PrimitiveError> {
        self.take::<32>()
    }

    fn sig_work(&mut self) -> Result<(Signature, Work), PrimitiveError> {
        let sig = Signature(self.take::<64>()?);
        let work = Work(u64::from_le_bytes(self.take::<8>()?));
        Ok((sig, work))
    }
}
