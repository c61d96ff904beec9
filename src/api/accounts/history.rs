//! `account_history`: walk an account chain and describe each block as nano-node's history
//! visitor does (which blocks produce an entry, with which counterparty and amount), with its
//! `count`/`offset`/`head`/`reverse`/`raw`/`account_filter` semantics.

use std::ops::ControlFlow;

use super::{as_limit, require_count, Api, ApiError, ACCOUNT_NOT_FOUND};

/// The most history entries reserved before the walk finds them.
const PAGE_RESERVE: usize = 64;
use crate::ledger::primitives::{is_epoch_link, Account, Amount, Block, BlockHash};
use crate::ledger::{ChainBlock, ChainStart};

/// Where the walk starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryStart {
    /// The account's head (or its open block when walking in reverse).
    Account(Account),
    /// A block; its chain's account is the one reported.
    Head(BlockHash),
}

/// An `account_history` request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryQuery {
    pub start: HistoryStart,
    /// Entries wanted (≥ 1; `Invalid count` otherwise).
    pub count: u64,
    /// Blocks to skip first; every visited block uses one, whether it would show or not.
    pub offset: u64,
    /// Walk towards the head (successors) instead of towards the open block.
    pub reverse: bool,
    /// Describe blocks with their own fields (nano-node's `raw`): changes and epochs show up.
    pub raw: bool,
    /// When not empty, only sends to and receives from these accounts are listed.
    pub filter: Vec<Account>,
}

/// How an entry describes its block: nano-node's `type` (non-raw) or `subtype` (raw state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryKind {
    Send,
    Receive,
    Change,
    Epoch,
    /// The previous block is not in the ledger, so the direction cannot be told.
    Unknown,
}

impl HistoryKind {
    /// nano-node's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::Receive => "receive",
            Self::Change => "change",
            Self::Epoch => "epoch",
            Self::Unknown => "unknown",
        }
    }
}

/// One history entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub hash: BlockHash,
    /// The block itself (its fields are the raw view).
    pub block: Block,
    /// What the block did. `None` only in raw mode with a filter for a change or epoch block,
    /// which nano-node lists with its raw fields and no subtype.
    pub kind: Option<HistoryKind>,
    /// The counterparty: a send's destination, a receive's sender (when known), the epoch signer.
    pub account: Option<Account>,
    /// The amount moved (when known).
    pub amount: Option<Amount>,
    /// When this node stored the block (seconds since the Unix epoch).
    pub local_timestamp: u64,
    pub height: u64,
    /// Always true here: blocks are cemented on acceptance.
    pub confirmed: bool,
}

/// A page of history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryPage {
    /// The chain's account.
    pub account: Account,
    pub entries: Vec<HistoryEntry>,
    /// The block the walk would visit next, when the chain goes on (nano-node's `previous`, or
    /// `next` in reverse).
    pub next: Option<BlockHash>,
}

impl Api {
    /// `account_history`. Errors: `Invalid count`, `Block not found` (unknown head),
    /// `Account not found` (reverse walk of an unopened account). A forward walk of an unopened
    /// account is an empty page, as in nano-node.
    pub fn history(&self, query: &HistoryQuery) -> Result<HistoryPage, ApiError> {
        let mut remaining = require_count(query.count)?;
        let start = match query.start {
            HistoryStart::Head(hash) => ChainStart::Block(hash),
            HistoryStart::Account(account) => ChainStart::Account(account),
        };
        let describe = Describe {
            raw: query.raw,
            filter: &query.filter,
            genesis: self.ledger.network().genesis_account(),
            epoch_signer: self.ledger.network().epoch_signer(),
        };
        let mut offset = query.offset;
        // Sized for the page up front (entries are large, so regrowing copies a lot), but never
        // beyond a small bound whatever `count` the client sent.
        let mut entries = Vec::with_capacity(as_limit(remaining).min(PAGE_RESERVE));
        let walked = self.ledger.walk_chain(start, query.reverse, |b| {
            if offset > 0 {
                offset -= 1;
            } else if let Some(entry) = describe.entry(b) {
                entries.push(entry);
                remaining -= 1;
            }
            match remaining {
                0 => ControlFlow::Break(()),
                _ => ControlFlow::Continue(()),
            }
        })?;
        let (account, next) = match (walked, query.start) {
            (Some(walked), _) => walked,
            (None, HistoryStart::Head(_)) => {
                return Err(ApiError::InvalidArgument("Block not found"))
            }
            (None, HistoryStart::Account(_)) if query.reverse => return Err(ACCOUNT_NOT_FOUND),
            (None, HistoryStart::Account(account)) => (account, BlockHash::ZERO),
        };
        Ok(HistoryPage {
            account,
            entries,
            next: (!next.is_zero()).then_some(next),
        })
    }
}

/// nano-node's history visitor: which blocks make an entry and what it says.
struct Describe<'a> {
    raw: bool,
    filter: &'a [Account],
    genesis: Option<Account>,
    epoch_signer: Option<Account>,
}

/// What a block contributes: its kind, counterparty and amount.
type Facts = (Option<HistoryKind>, Option<Account>, Option<Amount>);

impl Describe<'_> {
    fn ignored(&self, account: &Account) -> bool {
        !self.filter.is_empty() && !self.filter.contains(account)
    }

    fn entry(&self, b: ChainBlock<'_>) -> Option<HistoryEntry> {
        let (kind, account, amount) = self.facts(&b)?;
        Some(HistoryEntry {
            hash: b.hash,
            kind,
            account,
            amount,
            local_timestamp: b.stored.sideband.timestamp,
            height: b.stored.sideband.height,
            confirmed: b.confirmed,
            block: b.stored.block.clone(),
        })
    }

    /// `None` when the block makes no entry (nano-node's empty tree).
    fn facts(&self, b: &ChainBlock<'_>) -> Option<Facts> {
        use HistoryKind::*;
        let balance = b.stored.sideband.balance;
        // Legacy blocks' amounts, when the previous balance is known.
        let moved = b.previous_balance.map(|p| Amount(p.0.abs_diff(balance.0)));
        match &b.stored.block {
            Block::Send(s) => {
                if self.ignored(&s.destination) {
                    return None;
                }
                Some((Some(Send), Some(s.destination), moved))
            }
            Block::Receive(_) => Some((Some(Receive), moved.and(b.source_account), moved)),
            Block::Open(o) => {
                if self.genesis.is_some_and(|g| g.0 == o.source.0) {
                    return Some((Some(Receive), self.genesis, Some(Amount::MAX)));
                }
                Some((Some(Receive), moved.and(b.source_account), moved))
            }
            Block::Change(_) => {
                (self.raw && self.filter.is_empty()).then_some((Some(Change), None, None))
            }
            Block::State(st) => {
                let Some(previous) = b.previous_balance else {
                    return Some((Some(Unknown), None, None));
                };
                if balance < previous {
                    let to = st.link.as_account();
                    if self.ignored(&to) {
                        return None;
                    }
                    return Some((Some(Send), Some(to), Some(Amount(previous.0 - balance.0))));
                }
                // Changes and epochs only show in raw mode; with a filter, as raw fields only.
                let shown = |facts: Facts| match (self.raw, self.filter.is_empty()) {
                    (false, _) => None,
                    (true, true) => Some(facts),
                    (true, false) => Some((None, None, None)),
                };
                if st.link.is_zero() {
                    return shown((Some(Change), None, None));
                }
                if balance == previous && is_epoch_link(&st.link) {
                    return shown((Some(Epoch), self.epoch_signer, None));
                }
                if b.source_account.is_some_and(|a| self.ignored(&a)) {
                    return None;
                }
                let amount = Amount(balance.0 - previous.0);
                Some((Some(Receive), b.source_account, Some(amount)))
            }
        }
    }
}
