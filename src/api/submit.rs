//! Block submission: nano-node's `process` (v2 `Process`).
//!
//! Order, as nano-node: the optional subtype check (state blocks only), the entry work check,
//! then the ledger. An accepted block is cemented in the write transaction that adds it, so it is
//! confirmed and visible to the very next request.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::convert::block_from_object;
use super::{Api, ApiError, Caller};
use crate::ledger::primitives::{is_epoch_link, work_value, Amount, Block, BlockHash};
use crate::ledger::ProcessResult;
use crate::schema::{Process, ProcessResponse, ProcessResponseT};

/// nano-node's `subtype` expectation for a submitted state block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedSubtype {
    Send,
    Receive,
    Open,
    Change,
    Epoch,
}

impl ExpectedSubtype {
    /// Parses nano-node's subtype text; `""` means no expectation, anything unknown is
    /// `Invalid block subtype`.
    pub fn parse(text: &str) -> Result<Option<Self>, ApiError> {
        Ok(Some(match text {
            "" => return Ok(None),
            "send" => Self::Send,
            "receive" => Self::Receive,
            "open" => Self::Open,
            "change" => Self::Change,
            "epoch" => Self::Epoch,
            _ => return Err(ApiError::InvalidArgument("Invalid block subtype")),
        }))
    }
}

impl Api {
    /// Submits one block (nano-node's `process`): returns its hash once the ledger has accepted
    /// (and cemented) it. `subtype` is the request's text (`None` or `""`: no check); as in
    /// nano-node it is only read for state blocks, so legacy blocks ignore even an unknown one.
    ///
    /// Errors: the subtype checks (`Gap previous block`, `Invalid block balance for given
    /// subtype`, `Invalid previous block for given subtype`, `Invalid epoch link`, `Invalid block
    /// subtype`), `Block work is less than threshold` (below the entry threshold: state blocks the
    /// lowest threshold, legacy blocks epoch 1), then [`ApiError::Rejected`] with the ledger's
    /// result. Blocking (an LMDB write).
    pub fn submit_block(
        &self,
        block: &Block,
        subtype: Option<&str>,
    ) -> Result<BlockHash, ApiError> {
        self.process_checks(block, subtype)?;
        // Signature and work are checked here, on the caller's (blocking) thread; the ledger's one
        // writer batches this block with whatever else is waiting and answers after the commit.
        match self.ledger().submit(block.clone())? {
            ProcessResult::Progress => Ok(block.hash()),
            other => Err(ApiError::Rejected(other)),
        }
    }

    /// The checks `process` makes before the ledger sees the block: the subtype expectation and
    /// the entry work threshold. Legacy `process` with `async` runs them before answering
    /// `started`, as nano-node does.
    pub fn process_checks(&self, block: &Block, subtype: Option<&str>) -> Result<(), ApiError> {
        if let Block::State(_) = block {
            if let Some(expected) = ExpectedSubtype::parse(subtype.unwrap_or(""))? {
                self.check_subtype(block, expected)?;
            }
        }
        let thresholds = self.ledger().network().thresholds();
        let entry = match block {
            Block::State(_) => thresholds.entry(),
            _ => thresholds.epoch_1,
        };
        if work_value(&block.root(), block.work()) < entry {
            return Err(ApiError::InvalidArgument(
                "Block work is less than threshold",
            ));
        }
        Ok(())
    }

    /// nano-node's pre-ledger subtype checks against the account's current balance (0 when
    /// unopened).
    fn check_subtype(&self, block: &Block, expected: ExpectedSubtype) -> Result<(), ApiError> {
        let Block::State(state) = block else {
            return Ok(());
        };
        let (previous_known, balance) = self
            .ledger()
            .subtype_facts(&state.previous, &state.account)?;
        if !previous_known {
            return Err(ApiError::InvalidArgument("Gap previous block"));
        }
        let current = balance.unwrap_or(Amount::ZERO);
        let bad_balance = ApiError::InvalidArgument("Invalid block balance for given subtype");
        let bad_previous = ApiError::InvalidArgument("Invalid previous block for given subtype");
        match expected {
            ExpectedSubtype::Send if current <= state.balance => Err(bad_balance),
            ExpectedSubtype::Receive if current > state.balance => Err(bad_balance),
            ExpectedSubtype::Open if !state.previous.is_zero() => Err(bad_previous),
            ExpectedSubtype::Change if current != state.balance => Err(bad_balance),
            ExpectedSubtype::Change if state.previous.is_zero() => Err(bad_previous),
            ExpectedSubtype::Epoch if current != state.balance => Err(bad_balance),
            ExpectedSubtype::Epoch if !is_epoch_link(&state.link) => {
                Err(ApiError::InvalidArgument("Invalid epoch link"))
            }
            _ => Ok(()),
        }
    }

    pub(super) fn process<'b>(
        &self,
        _ctx: &Caller,
        req: Process<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<ProcessResponse<'b>>, ApiError> {
        let block = block_from_object(&req.unpack().block)?;
        let hash = self.submit_block(&block, req.subtype())?;
        Ok(ProcessResponseT {
            hash: hash.encode_hex(),
        }
        .pack(fbb))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtype_texts() {
        assert_eq!(ExpectedSubtype::parse("").unwrap(), None);
        assert_eq!(
            ExpectedSubtype::parse("open").unwrap(),
            Some(ExpectedSubtype::Open)
        );
        assert_eq!(
            ExpectedSubtype::parse("Send").unwrap_err().to_string(),
            "Invalid block subtype"
        );
    }
}
