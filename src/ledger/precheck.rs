//! The stateless half of block validation, run on the submitting threads before the writer.
//!
//! Hashing, Ed25519 verification and the work hash do not depend on the ledger, and the
//! signature check is by far the most expensive step of processing a block. Running them on
//! the callers' threads lets every core verify in parallel while the single writer only does
//! the LMDB reads and writes. The processor still *reports* each outcome at its place in
//! nano-node's check order (an already-stored block with a bad signature is `Old`, not
//! `BadSignature`); only the computation moves.

use super::primitives::{verify_hash, work_value, Block, BlockHash};

/// Batches smaller than this are checked on the calling thread alone: spawning threads costs
/// more than verifying a few signatures.
const MIN_BLOCKS_PER_THREAD: usize = 128;

/// A block with the ledger-independent facts the processor needs, computed once.
#[derive(Clone, Debug)]
pub(crate) struct Prechecked {
    pub(crate) block: Block,
    pub(crate) hash: BlockHash,
    /// Whether the signature verifies for the block's own `account` field. Epoch blocks are
    /// signed by the epoch signer instead, but they are refused before the signature step,
    /// so every block that reaches that step is checked against the right key. Always false
    /// for legacy blocks, which are refused before the signature step too.
    pub(crate) signature_valid: bool,
    /// The work value over the block's root. The threshold depends on ledger state (the
    /// account's epoch, whether the block receives), so the processor compares this value
    /// instead of hashing again.
    pub(crate) work_value: u64,
}

impl Prechecked {
    /// Computes the hash, verifies the signature and the work value of one block.
    pub(crate) fn new(block: Block) -> Self {
        let hash = block.hash();
        let (signature_valid, work_value) = match &block {
            Block::State(state) => (
                verify_hash(&state.account, &hash, &state.signature),
                work_value(&block.root(), state.work),
            ),
            _ => (false, 0),
        };
        Self {
            block,
            hash,
            signature_valid,
            work_value,
        }
    }
}

/// Prechecks `blocks` in order, spreading a large batch over the machine's cores (a bulk
/// import hands over thousands of blocks at once from one thread).
pub(crate) fn precheck_all(blocks: &[Block]) -> Vec<Prechecked> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(blocks.len() / MIN_BLOCKS_PER_THREAD).max(1);
    if threads == 1 {
        return blocks.iter().cloned().map(Prechecked::new).collect();
    }
    let chunk = blocks.len().div_ceil(threads);
    let check =
        |part: &[Block]| -> Vec<Prechecked> { part.iter().cloned().map(Prechecked::new).collect() };
    std::thread::scope(|scope| {
        let mut parts = blocks.chunks(chunk);
        // The calling thread takes the first chunk itself; helpers take the rest.
        let first = parts.next().unwrap_or(&[]);
        let helpers: Vec<_> = parts
            .map(|part| {
                std::thread::Builder::new()
                    .name("ledger-precheck".into())
                    .spawn_scoped(scope, move || check(part))
                    // Without a helper thread the caller checks the part itself.
                    .map_err(|_| part)
            })
            .collect();
        let mut out = check(first);
        for helper in helpers {
            match helper {
                Ok(handle) => match handle.join() {
                    Ok(part) => out.extend(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(part) => out.extend(check(part)),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::primitives::{
        deterministic_key, sign_hash, Account, Amount, KeyPair, Link, RawKey, Signature,
        StateBlock, Work,
    };

    fn block(i: u32, sign: bool) -> Block {
        let key = KeyPair::from_private(deterministic_key(&RawKey([9; 32]), i));
        let mut b = Block::State(StateBlock {
            account: key.account,
            previous: BlockHash([i as u8; 32]),
            representative: key.account,
            balance: Amount(u128::from(i)),
            link: Link(Account::ZERO.0),
            signature: Signature::default(),
            work: Work(u64::from(i)),
        });
        if sign {
            b.set_signature(sign_hash(&key.private, &b.hash()));
        }
        b
    }

    #[test]
    fn parallel_precheck_keeps_order_and_matches_serial() {
        let blocks: Vec<Block> = (0..300u32).map(|i| block(i, i % 7 != 0)).collect();
        let all = precheck_all(&blocks);
        assert_eq!(all.len(), blocks.len());
        for (i, (checked, original)) in all.iter().zip(&blocks).enumerate() {
            assert_eq!(checked.hash, original.hash());
            assert_eq!(checked.signature_valid, i % 7 != 0, "block {i}");
            assert_eq!(
                checked.work_value,
                work_value(&original.root(), original.work())
            );
        }
    }
}
