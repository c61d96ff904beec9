//! Writer tests that need to hold the writer inside its transaction: a job whose hook blocks
//! until released keeps the write transaction open, so the jobs queued meanwhile form the next
//! batch deterministically (no sleeps).

use std::sync::mpsc;

use super::*;
use crate::ledger::primitives::{
    sign_hash, Account, Amount, Block, BlockHash, KeyPair, Link, RawKey, Signature, StateBlock,
    Work,
};
use crate::ledger::Ledger;

fn genesis_key() -> KeyPair {
    let hex = "34F0A37AAD20F4A260F0A5B3CB3D7FB50673212263E58A380BC10474BB039CE4";
    KeyPair::from_private(RawKey::decode_hex(hex).unwrap())
}

/// A signed genesis send with the cheapest valid dev work.
fn send(previous: BlockHash, balance: u128, to: u8) -> Block {
    let g = genesis_key();
    let mut block = Block::State(StateBlock {
        account: g.account,
        previous,
        representative: g.account,
        balance: Amount(balance),
        link: Link([to; 32]),
        signature: Signature::default(),
        work: Work(0),
    });
    block.set_signature(sign_hash(&g.private, &block.hash()));
    let threshold = Network::Dev.thresholds().epoch_1;
    let mut nonce = 0u64;
    while crate::ledger::primitives::work_value(&block.root(), Work(nonce)) < threshold {
        nonce += 1;
    }
    block.set_work(Work(nonce));
    block
}

fn queue(ledger: &Ledger, blocks: &[Block], hook: Option<TestHook>) -> Receiver<Reply> {
    let (mut job, answer) = Job::new(blocks.iter().cloned().map(Prechecked::new).collect());
    job.hook = hook;
    ledger.inner.writer.send(job).unwrap();
    answer
}

/// The writer, blocked inside an open write transaction until `release` is dropped or sent.
struct Held {
    release: mpsc::Sender<()>,
    answer: Receiver<Reply>,
}

fn hold_writer(ledger: &Ledger) -> Held {
    let (entered_tx, entered) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let hook: TestHook = Box::new(move || {
        let _ = entered_tx.send(());
        let _ = released.recv();
        Ok(())
    });
    let answer = queue(ledger, &[], Some(hook));
    entered.recv().unwrap();
    Held { release, answer }
}

impl Held {
    fn release(self) {
        self.release.send(()).unwrap();
        assert_eq!(wait(self.answer).unwrap(), Vec::<ProcessResult>::new());
    }
}

fn open() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
    (dir, ledger)
}

#[test]
fn readers_do_not_wait_for_an_open_write_transaction() {
    let (_dir, ledger) = open();
    let held = hold_writer(&ledger);
    // If reads waited for the writer this would never return.
    assert_eq!(ledger.block_count().unwrap().count, 1);
    held.release();
}

#[test]
fn queued_jobs_share_a_transaction_in_order_and_are_answered_after_its_commit() {
    let (_dir, ledger) = open();
    let genesis = ledger.genesis_hash();
    let first = send(genesis, u128::MAX - 1, 1);
    let second = send(first.hash(), u128::MAX - 3, 2);
    let fork = send(genesis, u128::MAX - 5, 3);

    let held = hold_writer(&ledger);
    let first_answer = queue(&ledger, std::slice::from_ref(&first), None);
    let second_answer = queue(&ledger, std::slice::from_ref(&second), None);
    let fork_answer = queue(&ledger, std::slice::from_ref(&fork), None);
    // Runs in the same transaction, after the three jobs above were applied.
    let (seen_tx, seen) = mpsc::channel();
    let reader = ledger.clone();
    let first_hash = first.hash();
    let probe: TestHook = Box::new(move || {
        let answered_early = first_answer.try_recv().is_ok();
        // Another thread's fresh read transaction sees only committed data.
        let visible = std::thread::spawn(move || reader.block_info(&first_hash).unwrap())
            .join()
            .unwrap()
            .is_some();
        let _ = seen_tx.send((answered_early, visible, first_answer));
        Ok(())
    });
    let probe_answer = queue(&ledger, &[], Some(probe));
    held.release();

    let (answered_early, visible_before_commit, first_answer) = seen.recv().unwrap();
    assert!(!answered_early, "answered before the commit");
    assert!(
        !visible_before_commit,
        "the probe ran outside the open transaction"
    );
    assert_eq!(wait(first_answer).unwrap(), [ProcessResult::Progress]);
    // The second block saw the first inside the batch; the fork lost to it.
    assert_eq!(wait(second_answer).unwrap(), [ProcessResult::Progress]);
    assert_eq!(wait(fork_answer).unwrap(), [ProcessResult::Fork]);
    assert_eq!(wait(probe_answer).unwrap(), Vec::<ProcessResult>::new());
    assert!(ledger.block_info(&first.hash()).unwrap().is_some());
    let count = ledger.block_count().unwrap();
    assert_eq!((count.count, count.cemented), (3, 3));
}

#[test]
fn a_failed_transaction_answers_every_submitter_and_stores_nothing() {
    let (_dir, ledger) = open();
    let mut events = ledger.subscribe();
    let first = send(ledger.genesis_hash(), u128::MAX - 1, 1);
    let second = send(first.hash(), u128::MAX - 3, 2);

    let held = hold_writer(&ledger);
    let first_answer = queue(&ledger, std::slice::from_ref(&first), None);
    let fault: TestHook = Box::new(|| Err(LedgerError::Inconsistent("injected fault")));
    let faulty_answer = queue(&ledger, &[], Some(fault));
    let second_answer = queue(&ledger, std::slice::from_ref(&second), None);
    held.release();

    for answer in [first_answer, faulty_answer, second_answer] {
        match wait(answer) {
            Err(LedgerError::BatchFailed(cause)) => {
                assert!(matches!(
                    *cause,
                    LedgerError::Inconsistent("injected fault")
                ));
            }
            other => panic!("expected the shared failure, got {other:?}"),
        }
    }
    let count = ledger.block_count().unwrap();
    assert_eq!((count.count, count.cemented), (1, 1));
    assert!(
        events.try_recv().is_err(),
        "a failed batch announces nothing"
    );

    // The same blocks go through once the fault is gone.
    assert_eq!(
        ledger.process(&[first, second]).unwrap(),
        [ProcessResult::Progress, ProcessResult::Progress]
    );
}

#[test]
fn a_lone_failing_submitter_gets_the_error_itself() {
    let (_dir, ledger) = open();
    let held = hold_writer(&ledger);
    let fault: TestHook = Box::new(|| Err(LedgerError::Inconsistent("injected fault")));
    let answer = queue(&ledger, &[], Some(fault));
    held.release();
    assert!(matches!(
        wait(answer),
        Err(LedgerError::Inconsistent("injected fault"))
    ));
}

#[test]
fn the_writer_starts_on_the_first_write_and_stops_with_the_last_handle() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
    assert!(
        ledger.inner.writer.running.get().is_none(),
        "reads spawn nothing"
    );
    let block = send(ledger.genesis_hash(), u128::MAX - 1, 1);
    assert_eq!(
        ledger.submit(block.clone()).unwrap(),
        ProcessResult::Progress
    );
    assert!(ledger.inner.writer.running.get().is_some());
    let clone = ledger.clone();
    drop(ledger);
    assert_eq!(
        clone.submit(block.clone()).unwrap(),
        ProcessResult::Old,
        "a clone keeps the writer"
    );
    drop(clone);
    // The writer thread held a store clone; the data path reopens only if it was joined.
    let reopened = Ledger::open(dir.path(), Network::Dev).unwrap();
    assert!(reopened.block_info(&block.hash()).unwrap().is_some());
    assert_eq!(
        reopened.account_balance(&Account([1; 32])).unwrap().1,
        Amount(1)
    );
}
