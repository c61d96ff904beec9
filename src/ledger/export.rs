//! A replayable order of every block, for `ledger export`.
//!
//! Each block depends on its previous and, for a receive, on the send it receives. A depth-first
//! walk with an explicit stack (no recursion, so long chains cannot overflow) emits every
//! dependency first; accounts are visited in key order, so the output is deterministic.

use std::collections::HashSet;

use heed::RoTxn;

use super::error::LedgerError;
use super::primitives::{Block, BlockHash};
use super::records::{AccountInfo, StoredBlock, Subtype};
use super::store::Store;

fn dependencies(stored: &StoredBlock) -> Vec<BlockHash> {
    let mut deps = Vec::with_capacity(2);
    let prev = stored.block.previous();
    if !prev.is_zero() {
        deps.push(prev);
    }
    match &stored.block {
        Block::State(s) if stored.sideband.subtype == Subtype::Receive => {
            deps.push(s.link.as_hash())
        }
        Block::Receive(r) => deps.push(r.source),
        // The genesis open "receives" from itself; other legacy opens depend on their send.
        Block::Open(o) if o.source.0 != o.account.0 => deps.push(o.source),
        _ => {}
    }
    deps
}

pub(crate) fn replay_order(
    s: &Store,
    t: &RoTxn,
    genesis: &BlockHash,
) -> Result<Vec<Block>, LedgerError> {
    let mut emitted: HashSet<BlockHash> = HashSet::new();
    let mut out = Vec::new();
    let mut heads = vec![*genesis];
    for item in s.accounts.iter(t)? {
        let (_, v) = item?;
        heads.push(
            AccountInfo::decode(v)
                .map_err(LedgerError::corrupt("accounts"))?
                .head,
        );
    }
    for head in heads {
        let mut stack = vec![head];
        while let Some(&top) = stack.last() {
            if emitted.contains(&top) {
                stack.pop();
                continue;
            }
            let stored = s
                .block(t, &top)?
                .ok_or(LedgerError::Inconsistent("block referenced but missing"))?;
            let pending: Vec<BlockHash> = dependencies(&stored)
                .into_iter()
                .filter(|d| !emitted.contains(d))
                .collect();
            if pending.is_empty() {
                emitted.insert(top);
                out.push(stored.block);
                stack.pop();
            } else {
                if stack.len() > 10_000_000 {
                    return Err(LedgerError::Inconsistent("dependency walk too deep"));
                }
                stack.extend(pending);
            }
        }
    }
    Ok(out)
}
