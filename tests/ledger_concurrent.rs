//! Many threads submitting at once through `Ledger::submit`: every thread gets its own correct
//! results (including refusals mixed into busy batches and a fork race that exactly one thread
//! wins), every accepted block is visible to a reader as soon as its submit returns, and the
//! final ledger equals a serial replay of the accepted blocks.

mod ledger_support;

use std::sync::Barrier;

use ledger_support::{check_invariants, finish, genesis_key};
use nanoipc::ledger::primitives::*;
use nanoipc::ledger::*;

const THREADS: usize = 16;
const SENDS: usize = 5;
/// What genesis sends each account, twice (one opens it, the other it receives while racing).
const FUNDING: u128 = 1_000_000;

fn key(i: usize) -> KeyPair {
    KeyPair::from_private(deterministic_key(&RawKey([7; 32]), i as u32))
}

fn state(key: &KeyPair, previous: BlockHash, balance: u128, link: [u8; 32]) -> StateBlock {
    StateBlock {
        account: key.account,
        previous,
        representative: key.account,
        balance: Amount(balance),
        link: Link(link),
        signature: Signature::default(),
        work: Work(0),
    }
}

/// Blocks that must answer `expect` when submitted in this order by one thread.
type Script = Vec<(Block, ProcessResult)>;

struct Scenario {
    /// Funding sends and opens, processed before the race.
    setup: Vec<Block>,
    /// One script per racing thread.
    scripts: Vec<Script>,
    /// Per thread: two blocks on the shared contested account; the first of each is a fork of
    /// every other thread's first.
    contest: Vec<[Block; 2]>,
    /// Accounts whose receivables must match the replay.
    destinations: Vec<Account>,
}

fn scenario() -> Scenario {
    use ProcessResult as R;
    let g = genesis_key();
    let mut setup = Vec::new();
    let mut head = Network::Dev.genesis_hash();
    let mut genesis_balance = u128::MAX;
    let mut second_funding = Vec::new();
    let mut opens = Vec::new();
    // Accounts 0..THREADS race on their own chains; account THREADS is the contested one.
    for i in 0..=THREADS {
        let k = key(i);
        let mut fund = || {
            genesis_balance -= FUNDING;
            let send = finish(state(&g, head, genesis_balance, k.account.0), &g);
            head = send.hash();
            setup.push(send);
            head
        };
        let first = fund();
        second_funding.push(fund());
        let open = finish(state(&k, BlockHash::ZERO, FUNDING, first.0), &k);
        opens.push(open.hash());
        setup.push(open);
    }
    let mut destinations: Vec<Account> = (0..=THREADS).map(|i| key(i).account).collect();

    let mut scripts = Vec::new();
    for t in 0..THREADS {
        let k = key(t);
        let wrong = key(t + 1);
        let to = key((t + 1) % THREADS).account.0;
        let mut script: Script = Vec::new();
        let mut prev = opens[t];
        let mut balance = FUNDING;
        for n in 0..SENDS {
            balance -= 1 + n as u128;
            let send = finish(state(&k, prev, balance, to), &k);
            if n == 1 {
                // Refusals mixed into the race: each is answered alone and harms nobody.
                let mut low = send.clone();
                low.set_work(Work(low_work(&low)));
                script.push((low, R::InsufficientWork));
                let mut bad = send.clone();
                bad.set_signature(sign_hash(&wrong.private, &bad.hash()));
                script.push((bad, R::BadSignature));
            }
            script.push((send.clone(), R::Progress));
            if n == 2 {
                // Stored, so `Old` even with a bad signature: old is checked before signature.
                let mut stored = send.clone();
                stored.set_signature(sign_hash(&wrong.private, &stored.hash()));
                script.push((stored, R::Old));
            }
            prev = send.hash();
        }
        balance += FUNDING;
        let receive = finish(state(&k, prev, balance, second_funding[t].0), &k);
        script.push((receive, R::Progress));
        scripts.push(script);
    }

    let f = key(THREADS);
    let contest = (0..THREADS)
        .map(|t| {
            let link = [t as u8 + 1; 32];
            destinations.push(Account(link));
            let first = finish(state(&f, opens[THREADS], FUNDING - 1 - t as u128, link), &f);
            let second = finish(state(&f, first.hash(), FUNDING - 100 - t as u128, link), &f);
            [first, second]
        })
        .collect();
    Scenario {
        setup,
        scripts,
        contest,
        destinations,
    }
}

/// A nonce whose dev work is below the epoch-1 threshold.
fn low_work(block: &Block) -> u64 {
    let threshold = Network::Dev.thresholds().epoch_1;
    (0u64..)
        .find(|n| work_value(&block.root(), Work(*n)) < threshold)
        .unwrap_or(0)
}

/// Submits `block`, checks its result, and checks that an accepted block is already visible
/// (and confirmed) to a fresh reader when `submit` returns.
fn submit_and_check(ledger: &Ledger, block: &Block) -> ProcessResult {
    let result = ledger.submit(block.clone()).unwrap();
    if result == ProcessResult::Progress {
        let info = ledger.block_info(&block.hash()).unwrap();
        assert!(
            info.is_some_and(|i| i.confirmed),
            "accepted but not visible"
        );
    }
    result
}

#[test]
fn concurrent_submitters_get_their_own_results_and_the_serial_state() {
    let s = scenario();
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
    let setup = ledger.process(&s.setup).unwrap();
    assert!(setup.iter().all(|r| *r == ProcessResult::Progress));

    let start = Barrier::new(THREADS);
    let contest_results: Vec<[ProcessResult; 2]> = std::thread::scope(|scope| {
        let racers: Vec<_> = s
            .scripts
            .iter()
            .zip(&s.contest)
            .map(|(script, contest)| {
                let (ledger, start) = (&ledger, &start);
                scope.spawn(move || {
                    start.wait();
                    let first = submit_and_check(ledger, &contest[0]);
                    for (block, expect) in script {
                        assert_eq!(submit_and_check(ledger, block), *expect, "{block:?}");
                    }
                    [first, submit_and_check(ledger, &contest[1])]
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });

    use ProcessResult as R;
    let winners: Vec<usize> = (0..THREADS)
        .filter(|t| contest_results[*t] == [R::Progress, R::Progress])
        .collect();
    assert_eq!(winners.len(), 1, "{contest_results:?}");
    for (t, results) in contest_results.iter().enumerate() {
        if t != winners[0] {
            assert_eq!(*results, [R::Fork, R::GapPrevious], "thread {t}");
        }
    }
    check_invariants(&ledger);

    // The same accepted blocks, one at a time, into a fresh ledger.
    let replay_dir = tempfile::tempdir().unwrap();
    let replay = Ledger::open(replay_dir.path(), Network::Dev).unwrap();
    let mut accepted = s.setup.clone();
    for script in &s.scripts {
        accepted.extend(
            script
                .iter()
                .filter(|(_, r)| *r == R::Progress)
                .map(|(b, _)| b.clone()),
        );
    }
    accepted.extend(s.contest[winners[0]].iter().cloned());
    for block in &accepted {
        assert_eq!(
            replay.process(std::slice::from_ref(block)).unwrap(),
            [R::Progress]
        );
    }
    assert_eq!(ledger.block_count().unwrap(), replay.block_count().unwrap());
    assert_eq!(ledger.totals().unwrap(), replay.totals().unwrap());
    assert_eq!(
        ledger.frontiers(&Account::ZERO, usize::MAX).unwrap(),
        replay.frontiers(&Account::ZERO, usize::MAX).unwrap()
    );
    assert_eq!(
        ledger.representatives().unwrap(),
        replay.representatives().unwrap()
    );
    for account in &s.destinations {
        assert_eq!(
            ledger.account_balance(account).unwrap(),
            replay.account_balance(account).unwrap()
        );
    }
}

#[test]
fn submit_and_process_agree_and_keep_nanos_check_order() {
    let g = genesis_key();
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
    let genesis = ledger.genesis_hash();
    let send = finish(state(&g, genesis, u128::MAX - 5, [9; 32]), &g);

    // Unstored with a wrong signature: bad_signature, before any ledger-state check.
    let mut forged = send.clone();
    forged.set_signature(sign_hash(&key(0).private, &forged.hash()));
    assert_eq!(
        ledger.submit(forged.clone()).unwrap(),
        ProcessResult::BadSignature
    );
    // A forged opening of the burn account is still bad_signature (signature comes first).
    let burn = finish(state(&g, BlockHash::ZERO, 1, [9; 32]), &g);
    let mut burn = burn;
    if let Block::State(s) = &mut burn {
        s.account = Account::ZERO;
    }
    assert_eq!(ledger.submit(burn).unwrap(), ProcessResult::BadSignature);

    let mut low = send.clone();
    low.set_work(Work(low_work(&low)));
    assert_eq!(ledger.submit(low).unwrap(), ProcessResult::InsufficientWork);
    assert_eq!(
        ledger.submit(send.clone()).unwrap(),
        ProcessResult::Progress
    );
    // Stored: old wins over the bad signature and over the batch path.
    assert_eq!(ledger.submit(forged.clone()).unwrap(), ProcessResult::Old);
    assert_eq!(
        ledger.process(&[forged, send]).unwrap(),
        [ProcessResult::Old, ProcessResult::Old]
    );
    assert_eq!(ledger.process(&[]).unwrap(), []);
    let count = ledger.block_count().unwrap();
    assert_eq!((count.count, count.cemented), (2, 2));
}
