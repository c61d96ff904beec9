//! Block building and signing: nano-node's `block_create` (state blocks, with a private key) and
//! `sign` (v2 `BlockCreate`, `Sign`).
//!
//! This node keeps no wallets, so the wallet forms of both actions end where nano-node's do on a
//! node without wallets (`Wallet not found`, or `Private key or local wallet and account
//! required`). Nothing here touches the ledger's writer: a created or signed block is only
//! returned, to be submitted with `process`.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::accounts::parse_account;
use super::blocks::parse_block_hash;
use super::convert::{block_from_object, block_to_object};
use super::keys::{check_work_version, parse_difficulty, parse_private_key, parse_work};
use super::{Api, ApiError, Caller};
use crate::ledger::primitives::{
    public_key, sign_hash, work_value, Account, Amount, Block, BlockHash, Link, RawKey, Signature,
    StateBlock, Work,
};
use crate::schema::{
    BlockCreate, BlockCreateResponse, BlockCreateResponseT, Sign, SignResponse, SignResponseT,
};

/// nano-node's `enable_sign_hash` (node RPC config, default false): signing a bare hash lets a
/// caller sign anything, so it stays refused; this node has no setting to turn it on.
pub const ENABLE_SIGN_HASH: bool = false;

/// nano-node's answer when no usable key (or wallet) was given.
const KEY_REQUIRED: &str = "Private key or local wallet and account required";

/// The `type` of a `block_create` request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateKind {
    /// `state`: the only kind this node builds.
    State,
    /// `open`, `receive`, `change` or `send`: nano-node builds them, this node does not (its
    /// ledger refuses legacy blocks, so they could never be submitted).
    Legacy,
    /// Anything else: `Invalid block type`.
    Unknown,
}

impl CreateKind {
    /// The kind named by nano-node's `type` text.
    pub fn from_type(text: &str) -> Self {
        match text {
            "state" => Self::State,
            "open" | "receive" | "change" | "send" => Self::Legacy,
            _ => Self::Unknown,
        }
    }
}

/// A `block_create` request, fields parsed. `None` means the field was absent.
#[derive(Clone, Debug)]
pub struct BlockCreateRequest {
    pub kind: CreateKind,
    pub key: Option<RawKey>,
    /// When given, must be the key's account.
    pub account: Option<Account>,
    pub previous: Option<BlockHash>,
    pub representative: Option<Account>,
    /// Absent means 0 (nano-node's default for a state block built from a key).
    pub balance: Option<Amount>,
    /// The explicit `link`.
    pub link: Option<Link>,
    /// The link used when `link` is absent: `source` if given and non-zero, else `destination`.
    pub fallback_link: Link,
    /// Absent or zero means the node computes the work.
    pub work: Option<Work>,
    /// Target for computed work; absent means the ledger's threshold for the block.
    pub difficulty: Option<u64>,
}

impl BlockCreateRequest {
    /// Reads the fields through `get` (field name → text) in nano-node's order, with its error
    /// texts: `version`, `difficulty`, `wallet`, `account`, `representative`, `destination`,
    /// `source`, `work`, the wallet lookup, `key`, `previous`, `balance`, `link`.
    pub fn parse<'a>(
        kind: CreateKind,
        get: impl Fn(&'static str) -> Option<&'a str>,
    ) -> Result<Self, ApiError> {
        if let Some(v) = get("version") {
            check_work_version(v)?;
        }
        let difficulty = get("difficulty").map(parse_difficulty).transpose()?;
        let wallet = get("wallet")
            .map(|t| {
                BlockHash::decode_hex(t).map_err(|_| ApiError::InvalidArgument("Bad wallet number"))
            })
            .transpose()?;
        let account = get("account")
            .map(|t| parse_account(t).map(|p| p.account))
            .transpose()?;
        let representative = get("representative")
            .map(|t| {
                Account::from_address(t)
                    .map_err(|_| ApiError::InvalidArgument("Bad representative number"))
            })
            .transpose()?;
        let destination = get("destination")
            .map(|t| {
                Account::from_address(t)
                    .map_err(|_| ApiError::InvalidArgument("Bad destination account"))
            })
            .transpose()?;
        let source = get("source")
            .map(|t| BlockHash::decode_hex(t).map_err(|_| ApiError::InvalidArgument("Bad source")))
            .transpose()?;
        let work = get("work").map(parse_work).transpose()?;
        // No wallets exist here: nano-node's answer for an unknown wallet id.
        if wallet.is_some_and(|w| !w.is_zero()) && account.is_some_and(|a| !a.is_zero()) {
            return Err(ApiError::InvalidArgument("Wallet not found"));
        }
        let key = get("key").map(parse_private_key).transpose()?;
        let previous = get("previous")
            .map(|t| {
                BlockHash::decode_hex(t).map_err(|_| ApiError::InvalidArgument("Bad previous"))
            })
            .transpose()?;
        let balance = get("balance")
            .map(|t| {
                Amount::decode_dec(t)
                    .map_err(|_| ApiError::InvalidArgument("Invalid balance number"))
            })
            .transpose()?;
        let link = get("link")
            .map(|t| {
                Account::from_address_or_hex(t)
                    .map(|a| Link(a.0))
                    .map_err(|_| ApiError::InvalidArgument("Bad link number"))
            })
            .transpose()?;
        let fallback_link = match source {
            Some(s) if !s.is_zero() => Link(s.0),
            _ => Link(destination.unwrap_or(Account::ZERO).0),
        };
        Ok(Self {
            kind,
            key,
            account,
            previous,
            representative,
            balance,
            link,
            fallback_link,
            work,
            difficulty,
        })
    }
}

/// A built block and the difficulty its work reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedBlock {
    pub hash: BlockHash,
    pub difficulty: u64,
    pub block: Block,
}

impl Api {
    /// Builds and signs a state block, computing its work unless given (nano-node's
    /// `block_create`). Blocking while work is computed; a `work_cancel` for the block's root
    /// stops it with [`ApiError::Cancelled`]. The block is not checked against the ledger.
    pub fn create_block(&self, req: &BlockCreateRequest) -> Result<CreatedBlock, ApiError> {
        let key = req
            .key
            .clone()
            .filter(|k| k.0 != [0; 32])
            .ok_or(ApiError::InvalidArgument(KEY_REQUIRED))?;
        let account = public_key(&key);
        if req.account.is_some_and(|a| a != account) {
            return Err(ApiError::InvalidArgument("Incorrect key for given account"));
        }
        match req.kind {
            CreateKind::State => {}
            CreateKind::Legacy => {
                return Err(ApiError::NotImplemented(
                    "block_create for legacy block types (this ledger accepts state blocks only)",
                ))
            }
            CreateKind::Unknown => return Err(ApiError::InvalidArgument("Invalid block type")),
        }
        let representative = req.representative.unwrap_or(Account::ZERO);
        let link = req.link.unwrap_or(req.fallback_link);
        let (Some(previous), false, false) = (
            req.previous,
            representative.is_zero(),
            link.is_zero() && req.link.is_none(),
        ) else {
            return Err(ApiError::InvalidArgument(
                "Previous, representative, final balance and link (source or destination) are required",
            ));
        };
        let mut block = Block::State(StateBlock {
            account,
            previous,
            representative,
            balance: req.balance.unwrap_or(Amount::ZERO),
            link,
            signature: Signature::default(),
            work: Work(0),
        });
        block.set_signature(sign_hash(&key, &block.hash()));
        let root = BlockHash(block.root());
        let work = match req.work {
            Some(w) if w.0 != 0 => w,
            _ => {
                let target = match req.difficulty {
                    Some(d) => d,
                    None => self.ledger_difficulty(&block)?,
                };
                self.work.generate(&root, target)?
            }
        };
        block.set_work(work);
        Ok(CreatedBlock {
            hash: block.hash(),
            difficulty: work_value(&root.0, work),
            block,
        })
    }

    /// Signs a block, or a bare hash when allowed (nano-node's `sign`). Checks in nano-node's
    /// order: `Block is invalid` when there is neither (or the hash is zero), `Signing by block
    /// hash is disabled` for a bare hash, then the key text (`Bad private key`; absent or zero:
    /// `Private key or local wallet and account required`). Returns the signature and, for a
    /// block, the block carrying it (work untouched). The key need not own the block.
    pub fn sign_block(
        &self,
        key: Option<&str>,
        hash: Option<BlockHash>,
        block: Option<Block>,
    ) -> Result<(Signature, Option<Block>), ApiError> {
        let hash = block.as_ref().map(Block::hash).or(hash).unwrap_or_default();
        if hash.is_zero() {
            return Err(ApiError::InvalidArgument("Block is invalid"));
        }
        if block.is_none() && !ENABLE_SIGN_HASH {
            return Err(ApiError::InvalidArgument(
                "Signing by block hash is disabled",
            ));
        }
        let key = key
            .map(parse_private_key)
            .transpose()?
            .filter(|k| k.0 != [0; 32])
            .ok_or(ApiError::InvalidArgument(KEY_REQUIRED))?;
        let signature = sign_hash(&key, &hash);
        let block = block.map(|mut b| {
            b.set_signature(signature);
            b
        });
        Ok((signature, block))
    }

    pub(super) fn block_create<'b>(
        &self,
        _ctx: &Caller,
        req: BlockCreate<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<BlockCreateResponse<'b>>, ApiError> {
        let parsed = BlockCreateRequest::parse(CreateKind::State, |name| match name {
            "key" => Some(req.key()),
            "account" => req.account(),
            "previous" => req.previous(),
            "representative" => req.representative(),
            "balance" => req.balance(),
            "link" => req.link(),
            "work" => req.work(),
            "difficulty" => req.difficulty(),
            "version" => req.version(),
            _ => None,
        })?;
        let created = self.create_block(&parsed)?;
        Ok(BlockCreateResponseT {
            hash: created.hash.encode_hex(),
            difficulty: Work(created.difficulty).encode_hex(),
            block: block_to_object(&created.block, None),
        }
        .pack(fbb))
    }

    pub(super) fn sign<'b>(
        &self,
        _ctx: &Caller,
        req: Sign<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<SignResponse<'b>>, ApiError> {
        let hash = req.hash().map(parse_block_hash).transpose()?;
        let object = req.unpack().block;
        let block = match object {
            crate::schema::BlockT::NONE => None,
            ref b => Some(block_from_object(b)?),
        };
        let (signature, block) = self.sign_block(Some(req.key()), hash, block)?;
        Ok(SignResponseT {
            signature: signature.encode_hex(),
            block: block.map_or(crate::schema::BlockT::NONE, |b| block_to_object(&b, None)),
        }
        .pack(fbb))
    }
}
