//! Node-level requests: liveness, version, uptime and block counts.
//!
//! The service/subscription requests this node does not serve yet are in `unserved.rs`.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::{Api, ApiError, Caller};
use crate::ledger::primitives::BlockHash;
use crate::ledger::BlockCount;
use crate::schema::{
    BlockCountResponse, BlockCountResponseT, IsAlive, IsAliveArgs, Uptime, UptimeResponse,
    UptimeResponseT, Version, VersionResponse, VersionResponseT,
};

/// RPC protocol revision nano-node reports as `rpc_version`.
pub const RPC_VERSION: u32 = 1;
/// The node protocol version of the nano-node release whose IPC/RPC behaviour this node follows
/// (V28.0).
pub const PROTOCOL_VERSION: u32 = 21;

/// What `version` reports about this node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeVersion {
    pub rpc_version: u32,
    /// The ledger's on-disk layout version.
    pub store_version: u32,
    pub protocol_version: u32,
    /// `nanoipc <crate version>`.
    pub node_vendor: String,
    /// `LMDB <major>.<minor>.<patch>` of the linked LMDB, as nano-node prints it.
    pub store_vendor: String,
    /// `dev`, `beta` or `live`.
    pub network: &'static str,
    /// The genesis block hash, nano-node's network identifier.
    pub network_identifier: BlockHash,
    /// Free-form build description (nano-node's is build-dependent too).
    pub build_info: String,
}

impl Api {
    /// Versions and identity of this node and its ledger.
    pub fn node_version(&self) -> Result<NodeVersion, ApiError> {
        let lmdb = heed::lmdb_version();
        Ok(NodeVersion {
            rpc_version: RPC_VERSION,
            store_version: self.ledger.store_version()?,
            protocol_version: PROTOCOL_VERSION,
            node_vendor: concat!("nanoipc ", env!("CARGO_PKG_VERSION")).to_owned(),
            store_vendor: format!("LMDB {}.{}.{}", lmdb.major, lmdb.minor, lmdb.patch),
            network: self.ledger.network().name(),
            network_identifier: self.ledger.genesis_hash(),
            build_info: format!(
                "nanoipc {} {}-{} {}",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::ARCH,
                std::env::consts::OS,
                if cfg!(debug_assertions) {
                    "debug"
                } else {
                    "release"
                }
            ),
        })
    }

    /// Blocks in the ledger, unchecked (always 0: no network feeds this node) and cemented.
    pub fn block_counts(&self) -> Result<BlockCount, ApiError> {
        Ok(self.ledger.block_count()?)
    }

    /// Whole seconds since this node started, from a monotonic clock (nano-node's `uptime`).
    pub fn uptime_seconds(&self) -> u64 {
        self.started.elapsed().as_secs()
    }

    /// Answers `IsAlive` with an `IsAlive`, as nano-node's handler does (clients may check the
    /// answer's type).
    pub(super) fn is_alive<'b>(
        &self,
        _ctx: &Caller,
        _req: IsAlive<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<IsAlive<'b>>, ApiError> {
        Ok(IsAlive::create(fbb, &IsAliveArgs {}))
    }

    pub(super) fn version<'b>(
        &self,
        _ctx: &Caller,
        _req: Version<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<VersionResponse<'b>>, ApiError> {
        let v = self.node_version()?;
        Ok(VersionResponseT {
            rpc_version: v.rpc_version,
            store_version: v.store_version,
            protocol_version: v.protocol_version,
            node_vendor: Some(v.node_vendor),
            store_vendor: Some(v.store_vendor),
            network: Some(v.network.to_owned()),
            network_identifier: Some(v.network_identifier.encode_hex()),
            build_info: Some(v.build_info),
        }
        .pack(fbb))
    }

    pub(super) fn block_count<'b>(
        &self,
        _ctx: &Caller,
        _req: crate::schema::BlockCount<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<BlockCountResponse<'b>>, ApiError> {
        let c = self.block_counts()?;
        Ok(BlockCountResponseT {
            count: c.count,
            unchecked: c.unchecked,
            cemented: c.cemented,
        }
        .pack(fbb))
    }

    pub(super) fn uptime<'b>(
        &self,
        _ctx: &Caller,
        _req: Uptime<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<UptimeResponse<'b>>, ApiError> {
        Ok(UptimeResponseT {
            seconds: self.uptime_seconds(),
        }
        .pack(fbb))
    }
}
