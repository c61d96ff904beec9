//! Network constants: dev (default), beta and live — genesis, work thresholds, epoch links.
//!
//! Values come from nano-node (see the reference §8). Only networks whose genesis block is
//! bundled here can start a ledger; beta still answers threshold and name questions.

use std::fmt;
use std::str::FromStr;

use super::{Account, Amount, Block, BlockHash, Link, OpenBlock, PrimitiveError, Signature, Work};

/// Which Nano network a ledger belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash)]
pub enum Network {
    /// nano-node's dev network (default): cheap work, public genesis key.
    #[default]
    Dev,
    /// The beta network.
    Beta,
    /// The live network.
    Live,
}

impl Network {
    /// nano-node's network name (`"dev"`, `"beta"`, `"live"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Dev => "dev",
            Self::Beta => "beta",
            Self::Live => "live",
        }
    }

    /// Work thresholds of the network.
    pub fn thresholds(self) -> WorkThresholds {
        match self {
            Self::Dev => WorkThresholds {
                epoch_1: 0xfe00_0000_0000_0000,
                epoch_2: 0xffc0_0000_0000_0000,
                epoch_2_receive: 0xf000_0000_0000_0000,
            },
            Self::Beta => WorkThresholds {
                epoch_1: 0xffff_f000_0000_0000,
                epoch_2: 0xffff_f000_0000_0000,
                epoch_2_receive: 0xffff_e000_0000_0000,
            },
            Self::Live => WorkThresholds {
                epoch_1: 0xffff_ffc0_0000_0000,
                epoch_2: 0xffff_fff8_0000_0000,
                epoch_2_receive: 0xffff_fe00_0000_0000,
            },
        }
    }

    /// The genesis hash (= nano-node's `network_identifier`).
    pub fn genesis_hash(self) -> BlockHash {
        let hex = match self {
            Self::Dev => "04270D7F11C4B2B472F2854C5A59F2A7E84226CE9ED799DE75744BD7D85FC9D9",
            Self::Beta => "E1227CF974C1455A8B630433D94F3DDBF495EEAC9ADD2481A4A1D90A0D00F488",
            Self::Live => "991CF190094C00F0B68E2E5F75F6BEE95A2E0BD93CEAA4A6734DB9F19B728948",
        };
        BlockHash::decode_hex(hex).unwrap_or_default()
    }

    /// The genesis block, when bundled: dev and live (both checked by tests: the hash equals the
    /// network identifier and the signature verifies). Beta's full block (work and signature)
    /// is not part of the reference material, so a beta ledger cannot be started.
    pub fn genesis_block(self) -> Option<Block> {
        let (_, signature, work) = self.genesis_parts()?;
        let account = self.genesis_account()?;
        Some(Block::Open(OpenBlock {
            source: BlockHash(account.0),
            representative: account,
            account,
            signature: Signature::decode_hex(signature).ok()?,
            work: Work(work),
        }))
    }

    /// The genesis account (the epoch-1 signer), without building the whole genesis block: cheap
    /// enough for per-request use (account history names it for epoch blocks).
    pub fn genesis_account(self) -> Option<Account> {
        let (key, _, _) = self.genesis_parts()?;
        Account::decode_hex(key).ok()
    }

    /// The bundled genesis key, signature and work, as text.
    fn genesis_parts(self) -> Option<(&'static str, &'static str, u64)> {
        Some(match self {
            Self::Dev => (
                "B0311EA55708D6A53C75CDBF88300259C6D018522FE3D4D0A242E431F9E8B6D0",
                "ECDA914373A2F0CA1296475BAEE40500A7F0A7AD72A5A80C81D7FAB7F6C802B2\
                 CC7DB50F5DD0FB25B2EF11761FA7344A158DD5A700B21BD47DE5BD0F63153A02",
                0x7b42_a00e_e91d_5810,
            ),
            Self::Live => (
                "E89208DD038FBB269987689621D52292AE9C35941A7484756ECCED92A65093BA",
                "9F0C933C8ADE004D808EA1985FA746A7E95BA2A38F867640F53EC8F180BDFE9E\
                 2C1268DEAD7C2664F356E37ABA362BC58E46DBA03E523A7B5A19E4B6EB12BB02",
                0x62f0_5417_dd3f_b691,
            ),
            Self::Beta => return None,
        })
    }

    /// The amount genesis holds: the whole supply on every network.
    pub fn genesis_amount(self) -> Amount {
        Amount::MAX
    }

    /// The epoch-1 signer (the genesis account). Epoch blocks are refused by this node; this is
    /// informational.
    pub fn epoch_signer(self) -> Option<Account> {
        self.genesis_account()
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Network {
    type Err = PrimitiveError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dev" => Ok(Self::Dev),
            "beta" => Ok(Self::Beta),
            "live" => Ok(Self::Live),
            _ => Err(PrimitiveError::Network(s.chars().take(32).collect())),
        }
    }
}

/// The three work thresholds of a network.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct WorkThresholds {
    /// Epoch 0/1 blocks of every kind.
    pub epoch_1: u64,
    /// Epoch 2 sends and changes.
    pub epoch_2: u64,
    /// Epoch 2 receives and opens.
    pub epoch_2_receive: u64,
}

impl WorkThresholds {
    /// Pre-ledger entry threshold for state blocks (the lowest of the three).
    pub fn entry(&self) -> u64 {
        self.epoch_1.min(self.epoch_2).min(self.epoch_2_receive)
    }

    /// The RPC "default difficulty" (the highest of the three).
    pub fn base(&self) -> u64 {
        self.epoch_1.max(self.epoch_2).max(self.epoch_2_receive)
    }

    /// The ledger threshold for a block of `epoch` (0, 1 or 2); `receive` is true for receives
    /// and opens (and epoch-2 upgrade blocks).
    pub fn for_block(&self, epoch: u8, receive: bool) -> u64 {
        match (epoch >= 2, receive) {
            (false, _) => self.epoch_1,
            (true, false) => self.epoch_2,
            (true, true) => self.epoch_2_receive,
        }
    }
}

/// Epoch v1 link: ASCII `epoch v1 block`, zero padded.
pub fn epoch_link(version: u8) -> Link {
    let mut bytes = [0u8; 32];
    let text: &[u8; 14] = if version >= 2 {
        b"epoch v2 block"
    } else {
        b"epoch v1 block"
    };
    bytes[..14].copy_from_slice(text);
    Link(bytes)
}

/// True when `link` is an epoch v1 or v2 marker.
pub fn is_epoch_link(link: &Link) -> bool {
    *link == epoch_link(1) || *link == epoch_link(2)
}
