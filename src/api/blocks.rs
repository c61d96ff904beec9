//! Block requests: the shared queries behind v2 `BlockQuery`, `Blocks`, `Chain`, `Successors`,
//! `ReceivableExists`, `AvailableSupply` and legacy `block_info`, `blocks`, `blocks_info`,
//! `block_account`, `chain`, `successors`, `receivable_exists`, `available_supply`.
//!
//! Confirmation: this node cements every block in the write transaction that accepts it, so
//! every block it knows is confirmed. nano-node's `include_active` / `include_only_confirmed`
//! options are accepted and change nothing: each of its views is the same ledger state here.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::convert::{block_to_object, subtype_to_schema};
use super::{Api, ApiError, Caller};
use crate::ledger::primitives::{Amount, Block, BlockHash};
use crate::ledger::{BlockDetails, BlockExtras};
use crate::schema::{
    AvailableSupply, AvailableSupplyResponse, AvailableSupplyResponseT, BlockInfo, BlockInfoT,
    BlockQuery, BlockSubType, Blocks, BlocksResponse, BlocksResponseT, Chain, ChainResponse,
    ChainResponseT, ReceivableExists, ReceivableExistsResponse, ReceivableExistsResponseT,
    Successors,
};

/// The answer to a several-blocks request, in request order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlocksFound {
    /// One entry per requested hash: `None` for a hash not in the ledger (only when the request
    /// asked for unknown hashes to be listed rather than fail). Boxed: an unknown hash costs a
    /// pointer, not the size of a block's details, in a list of millions of them.
    pub blocks: Vec<Option<Box<BlockDetails>>>,
}

/// Parses a block hash field with nano-node's `Invalid block hash` (1–64 hex digits, either case,
/// short values left-padded).
pub fn parse_block_hash(text: &str) -> Result<BlockHash, ApiError> {
    BlockHash::decode_hex(text).map_err(|_| ApiError::InvalidArgument("Invalid block hash"))
}

impl Api {
    /// One block with its ledger data; `Block not found` when unknown.
    pub fn block_info(&self, hash: &BlockHash) -> Result<BlockDetails, ApiError> {
        let mut found = self
            .ledger
            .block_details(std::slice::from_ref(hash), BlockExtras::default())?;
        found
            .pop()
            .flatten()
            .ok_or(ApiError::InvalidArgument("Block not found"))
    }

    /// Several blocks, as nano-node's `blocks` / `blocks_info` read them: hashes are taken in
    /// order and the first failure wins — a malformed hash is `Bad hash number`, an unknown one
    /// `Block not found` unless `include_not_found` (then it is `None` in the answer).
    pub fn blocks_info(
        &self,
        hashes: &[&str],
        extras: BlockExtras,
        include_not_found: bool,
    ) -> Result<BlocksFound, ApiError> {
        // Read a chunk at a time, so that without `include_not_found` the first unknown hash
        // ends the request after one chunk, whatever the length of the list (issue 8: a request
        // costs in proportion to its size). The answer is the same as reading the whole list: an
        // unknown hash anywhere before the first malformed one wins over it.
        const CHUNK: usize = 1024;
        let mut blocks = Vec::new();
        let mut malformed = false;
        for chunk in hashes.chunks(CHUNK) {
            let mut parsed = Vec::with_capacity(chunk.len());
            for text in chunk {
                match BlockHash::decode_hex(text) {
                    Ok(hash) => parsed.push(hash),
                    Err(_) => {
                        malformed = true;
                        break;
                    }
                }
            }
            let found = self.ledger.block_details(&parsed, extras)?;
            if !include_not_found && found.iter().any(Option::is_none) {
                return Err(ApiError::InvalidArgument("Block not found"));
            }
            blocks.extend(found.into_iter().map(|d| d.map(Box::new)));
            if malformed {
                return Err(ApiError::InvalidArgument("Bad hash number"));
            }
        }
        Ok(BlocksFound { blocks })
    }

    /// Up to `count` hashes from `start`, following `previous` links, or successors when
    /// `successors`, after skipping `offset` blocks. An unknown start is an empty walk, as in
    /// nano-node; a zero `count` is `Invalid count`.
    pub fn chain_walk(
        &self,
        start: &BlockHash,
        count: u64,
        offset: u64,
        successors: bool,
    ) -> Result<Vec<BlockHash>, ApiError> {
        if count == 0 {
            return Err(ApiError::InvalidArgument("Invalid count"));
        }
        // The walk ends at the chain's end, so a huge count allocates nothing up front.
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        Ok(self
            .ledger
            .chain(start, count, offset, successors)?
            .unwrap_or_default())
    }

    /// Whether `hash` is a send its destination has not received yet; `Block not found` when
    /// unknown. Both flags are accepted for nano-node compatibility and change nothing (see the
    /// module docs).
    pub fn is_receivable(
        &self,
        hash: &BlockHash,
        _include_active: bool,
        _include_only_confirmed: bool,
    ) -> Result<bool, ApiError> {
        let extras = BlockExtras {
            receivable: true,
            ..BlockExtras::default()
        };
        let mut found = self
            .ledger
            .block_details(std::slice::from_ref(hash), extras)?;
        let details = found
            .pop()
            .flatten()
            .ok_or(ApiError::InvalidArgument("Block not found"))?;
        Ok(details.receivable.unwrap_or(false))
    }

    /// The supply in circulation, as nano-node's `available_supply` computes it.
    pub fn circulating_supply(&self) -> Result<Amount, ApiError> {
        Ok(self.ledger.available_supply()?)
    }

    pub(super) fn available_supply<'b>(
        &self,
        _ctx: &Caller,
        _req: AvailableSupply<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AvailableSupplyResponse<'b>>, ApiError> {
        let available = self.circulating_supply()?;
        Ok(AvailableSupplyResponseT {
            available: Some(available.encode_dec()),
        }
        .pack(fbb))
    }

    pub(super) fn block_query<'b>(
        &self,
        _ctx: &Caller,
        req: BlockQuery<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<BlockInfo<'b>>, ApiError> {
        let hash = parse_block_hash(req.hash())?;
        Ok(block_info_object(&self.block_info(&hash)?).pack(fbb))
    }

    pub(super) fn blocks<'b>(
        &self,
        _ctx: &Caller,
        req: Blocks<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<BlocksResponse<'b>>, ApiError> {
        let texts: Vec<&str> = req.hashes().map(|v| v.iter().collect()).unwrap_or_default();
        let extras = BlockExtras {
            receivable: req.receivable(),
            receive_hash: req.receive_hash(),
            source: req.source(),
        };
        let found = self.blocks_info(&texts, extras, req.include_not_found())?;
        let mut blocks = Vec::new();
        let mut not_found = Vec::new();
        for (text, block) in texts.iter().zip(&found.blocks) {
            match block {
                Some(details) => blocks.push(block_info_object(details)),
                None => not_found.push((*text).to_owned()),
            }
        }
        Ok(BlocksResponseT {
            blocks: Some(blocks),
            blocks_not_found: req.include_not_found().then_some(not_found),
        }
        .pack(fbb))
    }

    pub(super) fn chain<'b>(
        &self,
        _ctx: &Caller,
        req: Chain<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<ChainResponse<'b>>, ApiError> {
        let start = parse_block_hash(req.block())?;
        let hashes = self.chain_walk(&start, req.count(), req.offset(), req.reverse())?;
        Ok(chain_response(&hashes).pack(fbb))
    }

    pub(super) fn successors<'b>(
        &self,
        _ctx: &Caller,
        req: Successors<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<ChainResponse<'b>>, ApiError> {
        let start = parse_block_hash(req.block())?;
        let hashes = self.chain_walk(&start, req.count(), req.offset(), !req.reverse())?;
        Ok(chain_response(&hashes).pack(fbb))
    }

    pub(super) fn receivable_exists<'b>(
        &self,
        _ctx: &Caller,
        req: ReceivableExists<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<ReceivableExistsResponse<'b>>, ApiError> {
        let hash = parse_block_hash(req.hash())?;
        let exists =
            self.is_receivable(&hash, req.include_active(), req.include_only_confirmed())?;
        Ok(ReceivableExistsResponseT { exists }.pack(fbb))
    }
}

/// The v2 `BlockInfo` for a block and its ledger data.
fn block_info_object(d: &BlockDetails) -> BlockInfoT {
    let sideband = &d.info.stored.sideband;
    let is_state = matches!(d.info.stored.block, Block::State(_));
    BlockInfoT {
        block: block_to_object(&d.info.stored.block, Some(sideband.subtype)),
        account: Some(sideband.account.encode_address()),
        amount: Some(d.info.amount.encode_dec()),
        balance: Some(sideband.balance.encode_dec()),
        height: sideband.height,
        local_timestamp: sideband.timestamp,
        successor: Some(sideband.successor.encode_hex()),
        confirmed: d.info.confirmed,
        // nano-node's block_info shows a subtype for state blocks only.
        subtype: if is_state {
            subtype_to_schema(sideband.subtype)
        } else {
            BlockSubType::invalid
        },
        receivable: d.receivable.unwrap_or(false),
        receive_hash: d.receive_hash.map(|h| h.encode_hex()),
        source_account: d
            .source_account
            .map(|a| a.map_or_else(|| "0".to_owned(), |a| a.encode_address())),
    }
}

fn chain_response(hashes: &[BlockHash]) -> ChainResponseT {
    ChainResponseT {
        blocks: Some(hashes.iter().map(BlockHash::encode_hex).collect()),
    }
}
