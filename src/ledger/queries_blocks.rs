//! Block reads behind `block_info`, `blocks_info` and `available_supply`: a block with the
//! extras nano-node's `blocks_info` can add (receivable flag, receiving block, source account),
//! and the circulating supply with nano-node's exclusions. Each call reads one snapshot.

use heed::RoTxn;

use super::error::LedgerError;
use super::handle::Ledger;
use super::primitives::{Account, Amount, Block, BlockHash};
use super::queries::{block_info, BlockInfo};
use super::receivables::receivable_total;
use super::records::{StoredBlock, Subtype};
use super::store::Store;

/// nano-node's "landing" account, excluded from the available supply on every network
/// (`json_handler.cpp`, `available_supply`).
const LANDING: Account = Account(hex32(
    b"059F68AAB29DE0D3A27443625C7EA9CDDB6517A8B76FE37727EF6A4D76832AD5",
));
/// nano-node's "faucet" account, excluded the same way.
const FAUCET: Account = Account(hex32(
    b"8E319CE6F3025E5B2DF66DA7AB1467FE48F1679C13DD43BFDB29FA2E9FC40D3B",
));

/// Which of nano-node's optional `blocks_info` extras to compute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockExtras {
    /// Whether a send is still waiting to be received.
    pub receivable: bool,
    /// The block that received a send.
    pub receive_hash: bool,
    /// The account that sent what a receive takes in.
    pub source: bool,
}

/// A block with its ledger data and the extras asked for (`None` when not asked for).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockDetails {
    /// The block, its sideband, amount and confirmation.
    pub info: BlockInfo,
    /// A send whose destination has not received it yet (no confirmation check, as nano-node).
    pub receivable: Option<bool>,
    /// For a send already received, the receiving block; zero for anything else or when the
    /// receiving block is not found.
    pub receive_hash: Option<BlockHash>,
    /// For a receive or open whose source block is known, that block's account; `Some(None)`
    /// otherwise (nano-node prints `"0"`).
    pub source_account: Option<Option<Account>>,
}

impl Ledger {
    /// Several blocks with their details (`None` for unknown hashes), from one snapshot.
    pub fn block_details(
        &self,
        hashes: &[BlockHash],
        extras: BlockExtras,
    ) -> Result<Vec<Option<BlockDetails>>, LedgerError> {
        self.read(|s, t| {
            hashes
                .iter()
                .map(|h| match block_info(s, t, h)? {
                    Some(info) => details(s, t, info, extras).map(Some),
                    None => Ok(None),
                })
                .collect()
        })
    }

    /// nano-node's `available_supply`: the genesis amount minus the balances of the genesis,
    /// landing and faucet accounts, minus everything sent to the burn account (its receivables:
    /// the burn account can never open). Unconfirmed blocks count, as in nano-node.
    pub fn available_supply(&self) -> Result<Amount, LedgerError> {
        let network = self.network();
        let genesis = network
            .genesis_block()
            .and_then(|b| b.account_field())
            .ok_or(LedgerError::GenesisUnavailable(network))?;
        self.read(|s, t| {
            let mut available = network.genesis_amount().0;
            for account in [genesis, LANDING, FAUCET] {
                let held = s.account(t, &account)?.map_or(0, |i| i.balance.0);
                available = available.saturating_sub(held);
            }
            let burned = receivable_total(s, t, &Account::ZERO)?;
            Ok(Amount(available.saturating_sub(burned.0)))
        })
    }
}

fn details(
    s: &Store,
    t: &RoTxn,
    info: BlockInfo,
    extras: BlockExtras,
) -> Result<BlockDetails, LedgerError> {
    let mut out = BlockDetails {
        receivable: None,
        receive_hash: None,
        source_account: None,
        info,
    };
    let stored = &out.info.stored;
    if extras.receivable || extras.receive_hash {
        let (pending, received_by) = match destination(stored) {
            None => (false, BlockHash::ZERO),
            Some(dest) if s.receivable(t, &dest, &out.info.hash)?.is_some() => {
                (true, BlockHash::ZERO)
            }
            Some(dest) => (
                false,
                find_receive(s, t, &dest, &out.info.hash)?.unwrap_or(BlockHash::ZERO),
            ),
        };
        out.receivable = extras.receivable.then_some(pending);
        out.receive_hash = extras.receive_hash.then_some(received_by);
    }
    if extras.source {
        // `counterparty` is the source block's account for receives and opens (None when that
        // block is unknown, e.g. the genesis open); for other kinds nano-node answers "0".
        let is_receive = source(stored).is_some();
        out.source_account = Some(out.info.counterparty.filter(|_| is_receive));
    }
    Ok(out)
}

/// The destination of a send (legacy or state), `None` for every other block.
fn destination(stored: &StoredBlock) -> Option<Account> {
    match &stored.block {
        Block::Send(b) => Some(b.destination),
        Block::State(b) if stored.sideband.subtype == Subtype::Send => Some(b.link.as_account()),
        _ => None,
    }
}

/// The send a receive or open takes in, `None` for every other block.
fn source(stored: &StoredBlock) -> Option<BlockHash> {
    match &stored.block {
        Block::Receive(b) => Some(b.source),
        Block::Open(b) => Some(b.source),
        Block::State(b) if stored.sideband.subtype == Subtype::Receive => Some(b.link.as_hash()),
        _ => None,
    }
}

/// nano-node's `find_receive_block_by_send_hash`: walk the destination chain down from its
/// confirmed frontier until a receive names `send`. Linear in the chain length, as in nano-node.
fn find_receive(
    s: &Store,
    t: &RoTxn,
    destination: &Account,
    send: &BlockHash,
) -> Result<Option<BlockHash>, LedgerError> {
    let Some(info) = s.account(t, destination)? else {
        return Ok(None);
    };
    let mut cursor = info.confirmation_frontier;
    while !cursor.is_zero() {
        let Some(stored) = s.block(t, &cursor)? else {
            return Err(LedgerError::Inconsistent("chain block missing"));
        };
        if source(&stored) == Some(*send) {
            return Ok(Some(cursor));
        }
        cursor = stored.block.previous();
    }
    Ok(None)
}

/// 64 hex digits → 32 bytes, at compile time (a bad constant fails the build).
const fn hex32(text: &[u8; 64]) -> [u8; 32] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("not an uppercase hex digit"),
        }
    }
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = nibble(text[2 * i]) << 4 | nibble(text[2 * i + 1]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_accounts_decode() {
        assert_eq!(
            LANDING.encode_hex(),
            "059F68AAB29DE0D3A27443625C7EA9CDDB6517A8B76FE37727EF6A4D76832AD5"
        );
        assert_eq!(
            FAUCET.encode_hex(),
            "8E319CE6F3025E5B2DF66DA7AB1467FE48F1679C13DD43BFDB29FA2E9FC40D3B"
        );
    }
}
