//! Strategies for the blocks group's tables (node versions, counts, block queries and walks).

use nanoipc::schema::*;
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

use super::{block_info, os, s};

pub fn version_response() -> impl Strategy<Value = VersionResponseT> {
    (
        (any::<u32>(), any::<u32>(), any::<u32>()),
        (os(), os(), os(), os(), os()),
    )
        .prop_map(
            |(
                (rpc_version, store_version, protocol_version),
                (node_vendor, store_vendor, network, network_identifier, build_info),
            )| VersionResponseT {
                rpc_version,
                store_version,
                protocol_version,
                node_vendor,
                store_vendor,
                network,
                network_identifier,
                build_info,
            },
        )
}

pub fn block_count_response() -> impl Strategy<Value = BlockCountResponseT> {
    (any::<u64>(), any::<u64>(), any::<u64>()).prop_map(|(count, unchecked, cemented)| {
        BlockCountResponseT {
            count,
            unchecked,
            cemented,
        }
    })
}

pub fn uptime_response() -> impl Strategy<Value = UptimeResponseT> {
    any::<u64>().prop_map(|seconds| UptimeResponseT { seconds })
}

pub fn available_supply_response() -> impl Strategy<Value = AvailableSupplyResponseT> {
    os().prop_map(|available| AvailableSupplyResponseT { available })
}

pub fn block_query() -> impl Strategy<Value = BlockQueryT> {
    s().prop_map(|hash| BlockQueryT { hash })
}

pub fn blocks() -> impl Strategy<Value = BlocksT> {
    (vec(s(), 0..6), any::<[bool; 4]>()).prop_map(
        |(hashes, [include_not_found, receivable, receive_hash, source])| BlocksT {
            hashes,
            include_not_found,
            receivable,
            receive_hash,
            source,
        },
    )
}

pub fn blocks_response() -> impl Strategy<Value = BlocksResponseT> {
    (of(vec(block_info(), 0..4)), of(vec(s(), 0..4))).prop_map(|(blocks, blocks_not_found)| {
        BlocksResponseT {
            blocks,
            blocks_not_found,
        }
    })
}

/// (block, count, offset, reverse), the fields `Chain` and `Successors` share.
fn walk() -> impl Strategy<Value = (String, u64, u64, bool)> {
    (s(), any::<u64>(), any::<u64>(), any::<bool>())
}

pub fn chain() -> impl Strategy<Value = ChainT> {
    walk().prop_map(|(block, count, offset, reverse)| ChainT {
        block,
        count,
        offset,
        reverse,
    })
}

pub fn successors() -> impl Strategy<Value = SuccessorsT> {
    walk().prop_map(|(block, count, offset, reverse)| SuccessorsT {
        block,
        count,
        offset,
        reverse,
    })
}

pub fn chain_response() -> impl Strategy<Value = ChainResponseT> {
    of(vec(s(), 0..6)).prop_map(|blocks| ChainResponseT { blocks })
}

pub fn receivable_exists() -> impl Strategy<Value = ReceivableExistsT> {
    (s(), any::<bool>(), any::<bool>()).prop_map(
        |(hash, include_active, include_only_confirmed)| ReceivableExistsT {
            hash,
            include_active,
            include_only_confirmed,
        },
    )
}

pub fn receivable_exists_response() -> impl Strategy<Value = ReceivableExistsResponseT> {
    any::<bool>().prop_map(|exists| ReceivableExistsResponseT { exists })
}

/// Every blocks-group message, as union members of `Message`.
pub fn blocks_message() -> impl Strategy<Value = MessageT> {
    prop_oneof![
        Just(MessageT::Version(Box::default())),
        version_response().prop_map(|m| MessageT::VersionResponse(Box::new(m))),
        Just(MessageT::BlockCount(Box::default())),
        block_count_response().prop_map(|m| MessageT::BlockCountResponse(Box::new(m))),
        Just(MessageT::Uptime(Box::default())),
        uptime_response().prop_map(|m| MessageT::UptimeResponse(Box::new(m))),
        Just(MessageT::AvailableSupply(Box::default())),
        available_supply_response().prop_map(|m| MessageT::AvailableSupplyResponse(Box::new(m))),
        block_query().prop_map(|m| MessageT::BlockQuery(Box::new(m))),
        blocks().prop_map(|m| MessageT::Blocks(Box::new(m))),
        blocks_response().prop_map(|m| MessageT::BlocksResponse(Box::new(m))),
        chain().prop_map(|m| MessageT::Chain(Box::new(m))),
        successors().prop_map(|m| MessageT::Successors(Box::new(m))),
        chain_response().prop_map(|m| MessageT::ChainResponse(Box::new(m))),
        receivable_exists().prop_map(|m| MessageT::ReceivableExists(Box::new(m))),
        receivable_exists_response().prop_map(|m| MessageT::ReceivableExistsResponse(Box::new(m))),
    ]
}
