//! Blocks between the schema's `Block` union (object API) and ledger blocks.
//!
//! v2 requests carry blocks as schema objects whose fields are all text; this is the one place
//! that turns them into [`Block`]s (with nano-node's `Block is invalid` for anything missing or
//! malformed, as its `deserialize_block_json` does) and back.

use crate::ledger::primitives::{
    Account, Amount, Block, BlockHash, ChangeBlock, Link, OpenBlock, ReceiveBlock, SendBlock,
    Signature, StateBlock, Work,
};
use crate::ledger::Subtype;
use crate::schema::{
    BlockChangeT, BlockOpenT, BlockReceiveT, BlockSendT, BlockStateT, BlockSubType, BlockT,
};

use super::ApiError;

const INVALID: ApiError = ApiError::InvalidArgument("Block is invalid");

/// A schema block as a ledger block. Every field the kind hashes, plus signature and work, must be
/// present and decodable; `hash` and `link_as_account` are ignored (the hash is recomputed), and a
/// state block's `link` may be an address or hex, as nano-node accepts. `subtype` is ignored too:
/// it is derived by the ledger, never trusted from a client.
pub fn block_from_object(block: &BlockT) -> Result<Block, ApiError> {
    match block {
        BlockT::NONE => Err(INVALID),
        BlockT::BlockState(b) => Ok(Block::State(StateBlock {
            account: account(&b.account)?,
            previous: hash(&b.previous)?,
            representative: account(&b.representative)?,
            balance: Amount::decode_dec(text(&b.balance)?).map_err(|_| INVALID)?,
            link: Account::from_address_or_hex(text(&b.link)?)
                .map(|a| Link(a.0))
                .map_err(|_| INVALID)?,
            signature: signature(&b.signature)?,
            work: work(&b.work)?,
        })),
        BlockT::BlockOpen(b) => Ok(Block::Open(OpenBlock {
            source: hash(&b.source)?,
            representative: account(&b.representative)?,
            account: account(&b.account)?,
            signature: signature(&b.signature)?,
            work: work(&b.work)?,
        })),
        BlockT::BlockSend(b) => Ok(Block::Send(SendBlock {
            previous: hash(&b.previous)?,
            destination: account(&b.destination)?,
            // The schema writes a legacy send's balance in decimal, like every other amount.
            balance: Amount::decode_dec(text(&b.balance)?).map_err(|_| INVALID)?,
            signature: signature(&b.signature)?,
            work: work(&b.work)?,
        })),
        BlockT::BlockReceive(b) => Ok(Block::Receive(ReceiveBlock {
            previous: hash(&b.previous)?,
            source: hash(&b.source)?,
            signature: signature(&b.signature)?,
            work: work(&b.work)?,
        })),
        BlockT::BlockChange(b) => Ok(Block::Change(ChangeBlock {
            previous: hash(&b.previous)?,
            representative: account(&b.representative)?,
            signature: signature(&b.signature)?,
            work: work(&b.work)?,
        })),
    }
}

/// A ledger block as a schema block, every field filled (hash included). `subtype` goes into a
/// state block's `subtype` field (absent: `invalid`, the field's default); legacy kinds have none.
pub fn block_to_object(block: &Block, subtype: Option<Subtype>) -> BlockT {
    let hash = Some(block.hash().encode_hex());
    match block {
        Block::State(b) => BlockT::BlockState(Box::new(BlockStateT {
            hash,
            account: Some(b.account.encode_address()),
            previous: Some(b.previous.encode_hex()),
            representative: Some(b.representative.encode_address()),
            balance: Some(b.balance.encode_dec()),
            link: Some(b.link.encode_hex()),
            link_as_account: Some(b.link.as_account().encode_address()),
            signature: Some(b.signature.encode_hex()),
            work: Some(b.work.encode_hex()),
            subtype: subtype.map_or(BlockSubType::invalid, schema_subtype),
        })),
        Block::Open(b) => BlockT::BlockOpen(Box::new(BlockOpenT {
            hash,
            account: Some(b.account.encode_address()),
            source: Some(b.source.encode_hex()),
            representative: Some(b.representative.encode_address()),
            signature: Some(b.signature.encode_hex()),
            work: Some(b.work.encode_hex()),
        })),
        Block::Send(b) => BlockT::BlockSend(Box::new(BlockSendT {
            hash,
            previous: Some(b.previous.encode_hex()),
            destination: Some(b.destination.encode_address()),
            balance: Some(b.balance.encode_dec()),
            signature: Some(b.signature.encode_hex()),
            work: Some(b.work.encode_hex()),
        })),
        Block::Receive(b) => BlockT::BlockReceive(Box::new(BlockReceiveT {
            hash,
            previous: Some(b.previous.encode_hex()),
            source: Some(b.source.encode_hex()),
            signature: Some(b.signature.encode_hex()),
            work: Some(b.work.encode_hex()),
        })),
        Block::Change(b) => BlockT::BlockChange(Box::new(BlockChangeT {
            hash,
            previous: Some(b.previous.encode_hex()),
            representative: Some(b.representative.encode_address()),
            signature: Some(b.signature.encode_hex()),
            work: Some(b.work.encode_hex()),
        })),
    }
}

fn schema_subtype(subtype: Subtype) -> BlockSubType {
    match subtype {
        Subtype::Send => BlockSubType::send,
        Subtype::Receive => BlockSubType::receive,
        Subtype::Change => BlockSubType::change,
        Subtype::Epoch => BlockSubType::epoch,
    }
}

fn text(field: &Option<String>) -> Result<&str, ApiError> {
    field.as_deref().ok_or(INVALID)
}

fn account(field: &Option<String>) -> Result<Account, ApiError> {
    Account::from_address(text(field)?).map_err(|_| INVALID)
}

fn hash(field: &Option<String>) -> Result<BlockHash, ApiError> {
    BlockHash::decode_hex(text(field)?).map_err(|_| INVALID)
}

fn signature(field: &Option<String>) -> Result<Signature, ApiError> {
    Signature::decode_hex(text(field)?).map_err(|_| INVALID)
}

fn work(field: &Option<String>) -> Result<Work, ApiError> {
    Work::decode_hex(text(field)?).map_err(|_| INVALID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::primitives::Network;

    #[test]
    fn round_trips_every_kind() {
        let genesis = Network::Dev.genesis_block().unwrap();
        let obj = block_to_object(&genesis, None);
        assert_eq!(block_from_object(&obj).unwrap(), genesis);
        let state = Block::State(StateBlock {
            account: Account([1; 32]),
            previous: BlockHash([2; 32]),
            representative: Account([3; 32]),
            balance: Amount(12345),
            link: Link([4; 32]),
            signature: Signature([5; 64]),
            work: Work(0xabc),
        });
        let obj = block_to_object(&state, Some(Subtype::Send));
        let BlockT::BlockState(s) = &obj else {
            panic!("not a state block")
        };
        assert_eq!(s.subtype, BlockSubType::send);
        assert_eq!(s.hash.as_deref(), Some(state.hash().encode_hex().as_str()));
        assert_eq!(block_from_object(&obj).unwrap(), state);
        for legacy in [
            Block::Send(SendBlock {
                previous: BlockHash([1; 32]),
                destination: Account([2; 32]),
                balance: Amount(7),
                signature: Signature([3; 64]),
                work: Work(1),
            }),
            Block::Receive(ReceiveBlock {
                previous: BlockHash([1; 32]),
                source: BlockHash([2; 32]),
                signature: Signature([3; 64]),
                work: Work(1),
            }),
            Block::Change(ChangeBlock {
                previous: BlockHash([1; 32]),
                representative: Account([2; 32]),
                signature: Signature([3; 64]),
                work: Work(1),
            }),
        ] {
            assert_eq!(
                block_from_object(&block_to_object(&legacy, None)).unwrap(),
                legacy
            );
        }
    }

    #[test]
    fn missing_or_bad_fields_are_block_is_invalid() {
        let genesis = Network::Dev.genesis_block().unwrap();
        let good = block_to_object(&genesis, None);
        let BlockT::BlockOpen(open) = &good else {
            panic!("genesis is an open block")
        };
        let mut no_work = open.clone();
        no_work.work = None;
        let mut bad_account = open.clone();
        bad_account.account = Some("nano_1".into());
        for bad in [
            BlockT::NONE,
            BlockT::BlockOpen(no_work),
            BlockT::BlockOpen(bad_account),
            BlockT::BlockState(Box::default()),
        ] {
            assert_eq!(
                block_from_object(&bad).unwrap_err().to_string(),
                "Block is invalid"
            );
        }
    }
}
