//! The block processor: validates state blocks in nano-node's check order and applies them.
//!
//! Order (reference §6): old → signature → burn account → previous/fork → source/receivable →
//! balance → work. Legacy blocks (other than an already-stored one, which is `Old`) and epoch
//! blocks are refused with their own results. Each accepted block is cemented in the same
//! write transaction (this node is the only representative) and yields a confirmation event.
//!
//! The signature and work hashes were computed before the writer (`precheck`); this module
//! only consults them at their step, so moving them off the writer changes no result.

use heed::RwTxn;

use super::error::LedgerError;
use super::precheck::Prechecked;
use super::primitives::{is_epoch_link, Account, Amount, Block, BlockHash, Network, StateBlock};
use super::records::{receivable_key, AccountInfo, Receivable, Sideband, StoredBlock, Subtype};
use super::store::Store;

/// nano-node's `block_status` for a processed block, plus two refusals of this node.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum ProcessResult {
    /// Accepted (and confirmed).
    Progress,
    /// Already in the ledger.
    Old,
    /// Signature does not verify for the account.
    BadSignature,
    /// The block's account is the burn account.
    OpenedBurnAccount,
    /// Previous is not the account's head (or zero for an existing account).
    Fork,
    /// Previous block unknown.
    GapPrevious,
    /// Source block unknown (or a new account with a zero link).
    GapSource,
    /// No receivable entry for (account, link).
    Unreceivable,
    /// Amount does not match the receivable / balance changed without a link.
    BalanceMismatch,
    /// Legacy send raising the balance (never produced: legacy blocks are refused).
    NegativeSpend,
    /// Invalid block sequence (never produced: legacy blocks are refused).
    BlockPosition,
    /// Epoch open without receivables (never produced: epoch blocks are refused).
    GapEpochOpenPending,
    /// Work below the block's threshold.
    InsufficientWork,
    /// Epoch block changing the representative (never produced: epoch blocks are refused).
    RepresentativeMismatch,
    /// This node accepts only state blocks.
    LegacyUnsupported,
    /// This node does not process epoch upgrade blocks.
    EpochUnsupported,
}

impl ProcessResult {
    /// nano-node's status name (`progress`, `old`, `bad_signature`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Progress => "progress",
            Self::Old => "old",
            Self::BadSignature => "bad_signature",
            Self::OpenedBurnAccount => "opened_burn_account",
            Self::Fork => "fork",
            Self::GapPrevious => "gap_previous",
            Self::GapSource => "gap_source",
            Self::Unreceivable => "unreceivable",
            Self::BalanceMismatch => "balance_mismatch",
            Self::NegativeSpend => "negative_spend",
            Self::BlockPosition => "block_position",
            Self::GapEpochOpenPending => "gap_epoch_open_pending",
            Self::InsufficientWork => "insufficient_work",
            Self::RepresentativeMismatch => "representative_mismatch",
            Self::LegacyUnsupported => "legacy_unsupported",
            Self::EpochUnsupported => "epoch_unsupported",
        }
    }

    /// The exact error string nano-node's `process` action shows; `None` for `Progress`.
    pub fn error_message(self) -> Option<&'static str> {
        Some(match self {
            Self::Progress => return None,
            Self::Old => "Old block",
            Self::BadSignature => "Bad signature",
            Self::OpenedBurnAccount => "Block attempts to open the burn account",
            Self::Fork => "Fork",
            Self::GapPrevious => "Gap previous block",
            Self::GapSource => "Gap source block",
            Self::Unreceivable => "Unreceivable",
            Self::BalanceMismatch => "Balance and amount delta do not match",
            Self::NegativeSpend => "Negative spend",
            Self::BlockPosition => "This block cannot follow the previous block",
            Self::GapEpochOpenPending => "Gap pending for open epoch block",
            Self::InsufficientWork => "Block work is insufficient",
            Self::RepresentativeMismatch => "Error processing block",
            Self::LegacyUnsupported => {
                "Legacy blocks are not accepted by this node; submit a state block"
            }
            Self::EpochUnsupported => "Epoch blocks are not accepted by this node",
        })
    }

    /// Every kind, for summaries.
    pub const ALL: [ProcessResult; 16] = [
        Self::Progress,
        Self::Old,
        Self::BadSignature,
        Self::OpenedBurnAccount,
        Self::Fork,
        Self::GapPrevious,
        Self::GapSource,
        Self::Unreceivable,
        Self::BalanceMismatch,
        Self::NegativeSpend,
        Self::BlockPosition,
        Self::GapEpochOpenPending,
        Self::InsufficientWork,
        Self::RepresentativeMismatch,
        Self::LegacyUnsupported,
        Self::EpochUnsupported,
    ];
}

/// Published for every accepted (and so confirmed) block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationEvent {
    /// The block's account.
    pub account: Account,
    /// Amount moved (zero for changes).
    pub amount: Amount,
    /// The block hash.
    pub hash: BlockHash,
    /// The block.
    pub block: Block,
    /// How it changed the account.
    pub subtype: Subtype,
    /// Its sideband as stored.
    pub sideband: Sideband,
}

/// Validates and, when valid, applies one block inside the batch's write transaction.
pub(crate) fn process_one(
    store: &Store,
    txn: &mut RwTxn,
    network: Network,
    item: &Prechecked,
) -> Result<(ProcessResult, Option<ConfirmationEvent>), LedgerError> {
    let hash = item.hash;
    if store.block_exists(txn, &hash)? {
        return Ok((ProcessResult::Old, None));
    }
    let Block::State(state) = &item.block else {
        return Ok((ProcessResult::LegacyUnsupported, None));
    };
    if is_epoch_link(&state.link) && looks_like_epoch(store, txn, state)? {
        return Ok((ProcessResult::EpochUnsupported, None));
    }
    match check(store, txn, network, state, item)? {
        Err(result) => Ok((result, None)),
        Ok(plan) => {
            apply(store, txn, state, hash, plan).map(|e| (ProcessResult::Progress, Some(e)))
        }
    }
}

/// nano treats a block as an epoch block when its link is an epoch marker and the balance is
/// unchanged (for an open: zero).
fn looks_like_epoch(store: &Store, txn: &RwTxn, state: &StateBlock) -> Result<bool, LedgerError> {
    if state.previous.is_zero() {
        return Ok(state.balance.0 == 0);
    }
    Ok(match store.block(txn, &state.previous)? {
        Some(prev) => prev.sideband.balance == state.balance,
        None => false,
    })
}

/// What `check` learned, so `apply` does not read it again.
struct Plan {
    previous: Option<AccountInfo>,
    subtype: Subtype,
    amount: Amount,
    epoch: u8,
}

fn check(
    store: &Store,
    txn: &RwTxn,
    network: Network,
    state: &StateBlock,
    item: &Prechecked,
) -> Result<Result<Plan, ProcessResult>, LedgerError> {
    use ProcessResult as R;
    if !item.signature_valid {
        return Ok(Err(R::BadSignature));
    }
    if state.account.is_zero() {
        return Ok(Err(R::OpenedBurnAccount));
    }
    let info = store.account(txn, &state.account)?;
    match &info {
        Some(info) => {
            if state.previous.is_zero() {
                return Ok(Err(R::Fork));
            }
            if !store.block_exists(txn, &state.previous)? {
                return Ok(Err(R::GapPrevious));
            }
            if state.previous != info.head {
                return Ok(Err(R::Fork));
            }
        }
        None => {
            if !state.previous.is_zero() {
                return Ok(Err(R::GapPrevious));
            }
            if state.link.is_zero() {
                return Ok(Err(R::GapSource));
            }
        }
    }
    let prev_balance = info.as_ref().map_or(Amount::ZERO, |i| i.balance);
    let account_epoch = info.as_ref().map_or(0, |i| i.epoch);
    let (subtype, amount, epoch) = if state.balance < prev_balance {
        (
            Subtype::Send,
            Amount(prev_balance.0 - state.balance.0),
            account_epoch,
        )
    } else if !state.link.is_zero() {
        let source = state.link.as_hash();
        if !store.block_exists(txn, &source)? {
            return Ok(Err(R::GapSource));
        }
        let Some(pending) = store.receivable(txn, &state.account, &source)? else {
            return Ok(Err(R::Unreceivable));
        };
        let received = Amount(state.balance.0 - prev_balance.0);
        if received != pending.amount {
            return Ok(Err(R::BalanceMismatch));
        }
        (Subtype::Receive, received, account_epoch.max(pending.epoch))
    } else {
        if state.balance != prev_balance {
            return Ok(Err(R::BalanceMismatch));
        }
        (Subtype::Change, Amount::ZERO, account_epoch)
    };
    let threshold = network
        .thresholds()
        .for_block(epoch, subtype == Subtype::Receive);
    // The work value was hashed over the root (previous, or the account for an opening block)
    // before the writer; only the threshold needed the ledger.
    if item.work_value < threshold {
        return Ok(Err(R::InsufficientWork));
    }
    Ok(Ok(Plan {
        previous: info,
        subtype,
        amount,
        epoch,
    }))
}

fn apply(
    store: &Store,
    txn: &mut RwTxn,
    state: &StateBlock,
    hash: BlockHash,
    plan: Plan,
) -> Result<ConfirmationEvent, LedgerError> {
    let now = store.now();
    let height = plan.previous.as_ref().map_or(0, |i| i.block_count) + 1;
    let sideband = Sideband {
        account: state.account,
        height,
        balance: state.balance,
        subtype: plan.subtype,
        epoch: plan.epoch,
        timestamp: now,
        successor: BlockHash::ZERO,
    };
    let block = Block::State(state.clone());
    store.put_block(
        txn,
        &hash,
        &StoredBlock {
            block: block.clone(),
            sideband: sideband.clone(),
        },
    )?;
    if let Some(prev_info) = &plan.previous {
        let mut prev = store
            .block(txn, &state.previous)?
            .ok_or(LedgerError::Inconsistent("previous block vanished"))?;
        prev.sideband.successor = hash;
        store.put_block(txn, &state.previous, &prev)?;
        store.adjust_weight(
            txn,
            &prev_info.representative,
            Amount::ZERO,
            prev_info.balance,
        )?;
    }
    store.adjust_weight(txn, &state.representative, state.balance, Amount::ZERO)?;
    match plan.subtype {
        Subtype::Send => {
            let key = receivable_key(&state.link.as_account(), &hash);
            let value = Receivable {
                source: state.account,
                amount: plan.amount,
                epoch: plan.epoch,
            };
            store.receivables.put(txn, &key, &value.encode())?;
            // The kept sum moves with the entry, in the same transaction (see `totals`).
            store.adjust_receivable_sum(
                txn,
                &state.link.as_account(),
                plan.amount,
                Amount::ZERO,
            )?;
        }
        Subtype::Receive => {
            store
                .receivables
                .delete(txn, &receivable_key(&state.account, &state.link.as_hash()))?;
            store.adjust_receivable_sum(txn, &state.account, Amount::ZERO, plan.amount)?;
        }
        Subtype::Change | Subtype::Epoch => {}
    }
    let info = AccountInfo {
        head: hash,
        open_block: plan.previous.as_ref().map_or(hash, |i| i.open_block),
        representative: state.representative,
        balance: state.balance,
        block_count: height,
        modified: now,
        confirmation_height: height,
        confirmation_frontier: hash,
        epoch: plan.epoch,
    };
    store.put_account(txn, &state.account, &info)?;
    Ok(ConfirmationEvent {
        account: state.account,
        amount: plan.amount,
        hash,
        block,
        subtype: plan.subtype,
        sideband,
    })
}
