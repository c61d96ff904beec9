//! Ledger values ↔ the schema's object types: every v2 answer that carries a block (block queries,
//! `BlockCreate`, `Sign`, confirmation events later) goes through [`block_to_object`], so a block
//! reads the same wherever the API shows it, and every v2 request that carries one (`Process`)
//! through [`block_from_object`], with nano-node's `Block is invalid` for anything missing or
//! malformed (as its `deserialize_block_json` does).
//!
//! Field forms follow nano-node's own flatbuffers conversion (`nano/node/ipc/flatbuffers_util.cpp`)
//! and the schema's header: addresses `nano_…`, hashes/keys/signatures uppercase hex, work 16
//! lowercase hex digits, balances decimal raw — for legacy `send` blocks too (nano's RPC 1.0 JSON
//! prints that one balance as 32 hex digits, but its v2 form and this schema use decimal).

use crate::ledger::primitives::{
    Account, Amount, Block, BlockHash, ChangeBlock, Link, OpenBlock, ReceiveBlock, SendBlock,
    Signature, StateBlock, Work,
};
use crate::ledger::Subtype;
use crate::schema::{
    BlockChangeT, BlockOpenT, BlockReceiveT, BlockSendT, BlockStateT, BlockSubType, BlockT,
};

use super::ApiError;

/// The schema's `Block` union object for a ledger block.
///
/// `subtype` is what the ledger recorded for the block (its sideband); it only shows on state
/// blocks (`BlockState.subtype`), and `None` leaves that field at `invalid` (absent), e.g. for a
/// block not yet in the ledger. Legacy kinds carry no subtype field, as in nano-node.
pub fn block_to_object(block: &Block, subtype: Option<Subtype>) -> BlockT {
    let hash = Some(block.hash().encode_hex());
    let signature = Some(block.signature().encode_hex());
    let work = Some(block.work().encode_hex());
    match block {
        Block::State(b) => BlockT::BlockState(Box::new(BlockStateT {
            hash,
            account: Some(b.account.encode_address()),
            previous: Some(b.previous.encode_hex()),
            representative: Some(b.representative.encode_address()),
            balance: Some(b.balance.encode_dec()),
            link: Some(b.link.encode_hex()),
            link_as_account: Some(b.link.as_account().encode_address()),
            signature,
            work,
            subtype: subtype.map_or(BlockSubType::invalid, subtype_to_schema),
        })),
        Block::Open(b) => BlockT::BlockOpen(Box::new(BlockOpenT {
            hash,
            account: Some(b.account.encode_address()),
            source: Some(b.source.encode_hex()),
            representative: Some(b.representative.encode_address()),
            signature,
            work,
        })),
        Block::Receive(b) => BlockT::BlockReceive(Box::new(BlockReceiveT {
            hash,
            previous: Some(b.previous.encode_hex()),
            source: Some(b.source.encode_hex()),
            signature,
            work,
        })),
        Block::Send(b) => BlockT::BlockSend(Box::new(BlockSendT {
            hash,
            previous: Some(b.previous.encode_hex()),
            destination: Some(b.destination.encode_address()),
            balance: Some(b.balance.encode_dec()),
            signature,
            work,
        })),
        Block::Change(b) => BlockT::BlockChange(Box::new(BlockChangeT {
            hash,
            previous: Some(b.previous.encode_hex()),
            representative: Some(b.representative.encode_address()),
            signature,
            work,
        })),
    }
}

/// The schema's name for a ledger subtype.
pub fn subtype_to_schema(subtype: Subtype) -> BlockSubType {
    match subtype {
        Subtype::Send => BlockSubType::send,
        Subtype::Receive => BlockSubType::receive,
        Subtype::Change => BlockSubType::change,
        Subtype::Epoch => BlockSubType::epoch,
    }
}

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
    use crate::ledger::primitives::{
        Account, Amount, BlockHash, ChangeBlock, Link, Network, ReceiveBlock, SendBlock, Signature,
        StateBlock, Work,
    };

    fn h(byte: u8) -> BlockHash {
        BlockHash([byte; 32])
    }

    fn sig() -> Signature {
        Signature([0xAB; 64])
    }

    #[test]
    fn the_dev_genesis_open_block() {
        let g = Network::Dev.genesis_block().unwrap();
        let BlockT::BlockOpen(o) = block_to_object(&g, Some(Subtype::Receive)) else {
            panic!("an open block");
        };
        let account = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo";
        assert_eq!(
            *o,
            BlockOpenT {
                hash: Some(
                    "04270D7F11C4B2B472F2854C5A59F2A7E84226CE9ED799DE75744BD7D85FC9D9".into()
                ),
                account: Some(account.into()),
                source: Some(
                    "B0311EA55708D6A53C75CDBF88300259C6D018522FE3D4D0A242E431F9E8B6D0".into()
                ),
                representative: Some(account.into()),
                signature: Some("ECDA914373A2F0CA1296475BAEE40500A7F0A7AD72A5A80C81D7FAB7F6C802B2CC7DB50F5DD0FB25B2EF11761FA7344A158DD5A700B21BD47DE5BD0F63153A02".into()),
                work: Some("7b42a00ee91d5810".into()),
            }
        );
    }

    #[test]
    fn a_state_block_matches_the_reference_example() {
        // legacy-rpc.md §5.4: a 1-raw send from the dev genesis account to itself.
        let genesis = Account::from_address(
            "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo",
        )
        .unwrap();
        let block = Block::State(StateBlock {
            account: genesis,
            previous: Network::Dev.genesis_hash(),
            representative: genesis,
            balance: Amount(u128::MAX - 1),
            link: Link(genesis.0),
            signature: Signature::decode_hex("B098844D5A4B7D10D38EDAF2EB96809B5BED8887B39FA9AEB9F2FE92C5336DEB88E7175FB770F78A725A0A78B27719D40ADFC6164771D03B7252B7C7628F4C07").unwrap(),
            work: Work(0xb7),
        });
        let BlockT::BlockState(s) = block_to_object(&block, Some(Subtype::Send)) else {
            panic!("a state block");
        };
        assert_eq!(
            s.hash.as_deref(),
            Some("70220D28430899C3983A8FEF528B1B0D64C494067F8A2FDD7CF29016B14B599B")
        );
        assert_eq!(
            s.balance.as_deref(),
            Some("340282366920938463463374607431768211454")
        );
        assert_eq!(
            s.link.as_deref(),
            Some("B0311EA55708D6A53C75CDBF88300259C6D018522FE3D4D0A242E431F9E8B6D0")
        );
        assert_eq!(s.link_as_account, s.account);
        assert_eq!(s.representative, s.account);
        assert_eq!(s.work.as_deref(), Some("00000000000000b7"));
        assert_eq!(s.subtype, BlockSubType::send);
        // Without a recorded subtype the field stays at its default (absent on the wire).
        let BlockT::BlockState(s) = block_to_object(&block, None) else {
            panic!("a state block");
        };
        assert_eq!(s.subtype, BlockSubType::invalid);
    }

    #[test]
    fn the_legacy_kinds_keep_their_own_fields() {
        let dest = Account([7; 32]);
        let send = Block::Send(SendBlock {
            previous: h(1),
            destination: dest,
            balance: Amount(1000),
            signature: sig(),
            work: Work(0x0123_4567_89ab_cdef),
        });
        let BlockT::BlockSend(s) = block_to_object(&send, Some(Subtype::Send)) else {
            panic!("a send block");
        };
        assert_eq!(s.hash, Some(send.hash().encode_hex()));
        assert_eq!(s.previous, Some(h(1).encode_hex()));
        assert_eq!(s.destination, Some(dest.encode_address()));
        assert_eq!(s.balance.as_deref(), Some("1000"));
        assert_eq!(s.signature, Some("AB".repeat(64)));
        assert_eq!(s.work.as_deref(), Some("0123456789abcdef"));

        let receive = Block::Receive(ReceiveBlock {
            previous: h(2),
            source: h(3),
            signature: sig(),
            work: Work(1),
        });
        let BlockT::BlockReceive(r) = block_to_object(&receive, None) else {
            panic!("a receive block");
        };
        assert_eq!(
            (r.previous, r.source, r.work.as_deref()),
            (
                Some(h(2).encode_hex()),
                Some(h(3).encode_hex()),
                Some("0000000000000001")
            )
        );
        assert_eq!(r.hash, Some(receive.hash().encode_hex()));

        let change = Block::Change(ChangeBlock {
            previous: h(4),
            representative: dest,
            signature: sig(),
            work: Work(u64::MAX),
        });
        let BlockT::BlockChange(c) = block_to_object(&change, Some(Subtype::Change)) else {
            panic!("a change block");
        };
        assert_eq!(c.representative, Some(dest.encode_address()));
        assert_eq!(c.previous, Some(h(4).encode_hex()));
        assert_eq!(c.work.as_deref(), Some("ffffffffffffffff"));
        assert_eq!(c.hash, Some(change.hash().encode_hex()));
    }
}

#[cfg(test)]
mod from_object_tests {
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
