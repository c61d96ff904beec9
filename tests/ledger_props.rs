//! Property tests: random sequences of valid and invalid blocks, signed with real keys and
//! carrying real dev work, checked block by block against a simple model, then the ledger
//! invariants (supply conservation, weights = balances, history replays to balance and head,
//! the writer's kept receivable totals and weights equal the sums scanned from the entries).

use std::collections::BTreeMap;

use nanoipc::ledger::primitives::*;
use nanoipc::ledger::*;
use proptest::prelude::*;

const N: usize = 4;

#[derive(Clone, Debug)]
enum Op {
    Send { from: usize, to: usize, frac: u8 },
    Receive { who: usize, nth: usize },
    Change { who: usize, rep: usize },
    BadSig { from: usize, to: usize },
    Fork { who: usize },
    GapPrevious { who: usize, seed: u8 },
    Old,
    WrongAmount { who: usize },
    Unreceivable { who: usize },
    LowWork { who: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let i = 0..N;
    prop_oneof![
        4 => (i.clone(), 0..N, 1u8..=255).prop_map(|(from, to, frac)| Op::Send { from, to, frac }),
        4 => (i.clone(), 0..16usize).prop_map(|(who, nth)| Op::Receive { who, nth }),
        1 => (i.clone(), 0..N).prop_map(|(who, rep)| Op::Change { who, rep }),
        1 => (i.clone(), 0..N).prop_map(|(from, to)| Op::BadSig { from, to }),
        1 => i.clone().prop_map(|who| Op::Fork { who }),
        1 => (i.clone(), any::<u8>()).prop_map(|(who, seed)| Op::GapPrevious { who, seed }),
        1 => Just(Op::Old),
        1 => i.clone().prop_map(|who| Op::WrongAmount { who }),
        1 => i.clone().prop_map(|who| Op::Unreceivable { who }),
        1 => i.prop_map(|who| Op::LowWork { who }),
    ]
}

#[derive(Clone, Debug)]
struct Chain {
    head: BlockHash,
    prev_of_head: BlockHash,
    balance: u128,
    rep: Account,
}

struct Model {
    keys: Vec<KeyPair>,
    chains: BTreeMap<usize, Chain>,
    pending: BTreeMap<(usize, BlockHash), u128>,
    last_accepted: Option<Block>,
    accepted: std::collections::HashSet<BlockHash>,
}

fn work_for(root: &[u8; 32], threshold: u64) -> Work {
    let mut n = 0u64;
    while !work_valid(root, Work(n), threshold) {
        n += 1;
    }
    Work(n)
}

fn low_work(root: &[u8; 32], threshold: u64) -> Work {
    let mut n = 0u64;
    while work_valid(root, Work(n), threshold) {
        n += 1;
    }
    Work(n)
}

impl Model {
    fn new() -> Self {
        let genesis_key =
            RawKey::decode_hex("34F0A37AAD20F4A260F0A5B3CB3D7FB50673212263E58A380BC10474BB039CE4")
                .unwrap();
        let seed = RawKey([9u8; 32]);
        let mut keys = vec![KeyPair::from_private(genesis_key)];
        for i in 1..N as u32 {
            keys.push(KeyPair::from_private(deterministic_key(&seed, i)));
        }
        let mut chains = BTreeMap::new();
        chains.insert(
            0,
            Chain {
                head: Network::Dev.genesis_hash(),
                prev_of_head: BlockHash::ZERO,
                balance: u128::MAX,
                rep: keys[0].account,
            },
        );
        Model {
            keys,
            chains,
            pending: BTreeMap::new(),
            last_accepted: None,
            accepted: std::collections::HashSet::new(),
        }
    }

    fn state(
        &self,
        who: usize,
        previous: BlockHash,
        rep: Account,
        balance: u128,
        link: Link,
    ) -> StateBlock {
        StateBlock {
            account: self.keys[who].account,
            previous,
            representative: rep,
            balance: Amount(balance),
            link,
            signature: Signature::default(),
            work: Work(0),
        }
    }

    /// Signs with `signer` and attaches valid dev work.
    fn finish(&self, state: StateBlock, signer: usize) -> Block {
        let mut block = Block::State(state);
        let sig = sign_hash(&self.keys[signer].private, &block.hash());
        block.set_signature(sig);
        let work = work_for(&block.root(), Network::Dev.thresholds().epoch_1);
        block.set_work(work);
        block
    }

    fn base(&self, who: usize) -> (BlockHash, Account, u128) {
        match self.chains.get(&who) {
            Some(c) => (c.head, c.rep, c.balance),
            None => (BlockHash::ZERO, self.keys[who].account, 0),
        }
    }

    fn pending_for(&self, who: usize) -> Vec<(BlockHash, u128)> {
        self.pending
            .iter()
            .filter(|((w, _), _)| *w == who)
            .map(|((_, h), a)| (*h, *a))
            .collect()
    }

    /// Builds the block for `op` and the result the ledger must give; `None` skips the op.
    fn build(&self, op: &Op) -> Option<(Block, ProcessResult)> {
        use ProcessResult as R;
        Some(match *op {
            Op::Send { from, to, frac } => {
                let (prev, rep, bal) = self.base(from);
                let link = Link(self.keys[to].account.0);
                let amount = bal / 255 * u128::from(frac);
                let block = self.finish(self.state(from, prev, rep, bal - amount, link), from);
                // An unopened sender has a nonzero link that is no block; a zero amount is a
                // "receive" of a non-block. Both are gap source.
                let expect = if self.chains.contains_key(&from) && amount > 0 {
                    R::Progress
                } else {
                    R::GapSource
                };
                (block, expect)
            }
            Op::Receive { who, nth } => {
                let p = self.pending_for(who);
                let (hash, amount) = *p.get(nth % p.len().max(1))?;
                let (prev, rep, bal) = self.base(who);
                (
                    self.finish(self.state(who, prev, rep, bal + amount, Link(hash.0)), who),
                    R::Progress,
                )
            }
            Op::Change { who, rep } => {
                let (prev, _, bal) = self.base(who);
                let expect = if self.chains.contains_key(&who) {
                    R::Progress
                } else {
                    R::GapSource
                };
                (
                    self.finish(
                        self.state(who, prev, self.keys[rep].account, bal, Link::ZERO),
                        who,
                    ),
                    expect,
                )
            }
            Op::BadSig { from, to } => {
                let (prev, rep, bal) = self.base(from);
                let signer = (from + 1) % N;
                let block = self.finish(
                    self.state(from, prev, rep, bal / 2, Link(self.keys[to].account.0)),
                    signer,
                );
                (block, R::BadSignature)
            }
            Op::Fork { who } => {
                let chain = self.chains.get(&who)?;
                let block = self.finish(
                    self.state(
                        who,
                        chain.prev_of_head,
                        chain.rep,
                        chain.balance,
                        Link::ZERO,
                    ),
                    who,
                );
                // A zero previous on an existing account is a fork too.
                (block, R::Fork)
            }
            Op::GapPrevious { who, seed } => {
                let (_, rep, bal) = self.base(who);
                let block = self.finish(
                    self.state(who, BlockHash([seed | 1; 32]), rep, bal, Link::ZERO),
                    who,
                );
                (block, R::GapPrevious)
            }
            Op::Old => (self.last_accepted.clone()?, R::Old),
            Op::WrongAmount { who } => {
                let (hash, amount) = *self.pending_for(who).first()?;
                let (prev, rep, bal) = self.base(who);
                (
                    self.finish(
                        self.state(who, prev, rep, bal + amount - 1, Link(hash.0)),
                        who,
                    ),
                    R::BalanceMismatch,
                )
            }
            Op::Unreceivable { who } => {
                let (&(_, hash), &amount) = self.pending.iter().find(|((w, _), _)| *w != who)?;
                let (prev, rep, bal) = self.base(who);
                (
                    self.finish(self.state(who, prev, rep, bal + amount, Link(hash.0)), who),
                    R::Unreceivable,
                )
            }
            Op::LowWork { who } => {
                let chain = self.chains.get(&who)?;
                let mut block = self.finish(
                    self.state(
                        who,
                        chain.head,
                        self.keys[0].account,
                        chain.balance,
                        Link::ZERO,
                    ),
                    who,
                );
                block.set_work(low_work(&block.root(), Network::Dev.thresholds().epoch_1));
                (block, R::InsufficientWork)
            }
        })
    }

    fn apply(&mut self, block: &Block) {
        let Block::State(s) = block else {
            unreachable!()
        };
        let who = self
            .keys
            .iter()
            .position(|k| k.account == s.account)
            .unwrap();
        let hash = block.hash();
        let old = self.chains.get(&who).cloned();
        let before = old.as_ref().map_or(0, |c| c.balance);
        if s.balance.0 < before {
            let to = self
                .keys
                .iter()
                .position(|k| k.account.0 == s.link.0)
                .unwrap();
            self.pending.insert((to, hash), before - s.balance.0);
        } else if !s.link.is_zero() {
            self.pending.remove(&(who, s.link.as_hash())).unwrap();
        }
        self.chains.insert(
            who,
            Chain {
                head: hash,
                prev_of_head: s.previous,
                balance: s.balance.0,
                rep: s.representative,
            },
        );
        self.last_accepted = Some(block.clone());
        self.accepted.insert(hash);
    }
}

fn check_invariants(ledger: &Ledger, model: &Model) {
    let totals = ledger.totals().unwrap();
    assert_eq!(
        totals.balances.checked_add(totals.receivables),
        Some(u128::MAX)
    );
    assert_eq!(totals.weights, totals.balances);
    let mut weights: BTreeMap<Account, u128> = BTreeMap::new();
    for (who, chain) in &model.chains {
        let account = model.keys[*who].account;
        let info = ledger.account_info(&account).unwrap().unwrap();
        assert_eq!(info.head, chain.head);
        assert_eq!(info.balance.0, chain.balance);
        assert_eq!(info.representative, chain.rep);
        assert_eq!(info.confirmation_height, info.block_count);
        *weights.entry(chain.rep).or_default() += chain.balance;
        // History replays (oldest first) to the balance and head.
        let history = ledger
            .account_history(&account, None, 0, usize::MAX, true)
            .unwrap()
            .unwrap();
        assert_eq!(history.len() as u64, info.block_count);
        let mut balance: u128 = 0;
        for (i, entry) in history.iter().enumerate() {
            assert_eq!(entry.stored.sideband.height, i as u64 + 1);
            match entry.stored.sideband.subtype {
                Subtype::Send => balance -= entry.amount.0,
                Subtype::Receive => balance += entry.amount.0,
                Subtype::Change | Subtype::Epoch => assert_eq!(entry.amount.0, 0),
            }
            assert_eq!(balance, entry.stored.sideband.balance.0);
        }
        assert_eq!(balance, info.balance.0);
        assert_eq!(history.last().unwrap().hash, info.head);
    }
    // The kept receivable totals (updated by the writer) equal the scanned sums, for every
    // account including unopened destinations, and the kept weights equal the delegated
    // balances.
    for who in 0..N {
        let account = model.keys[who].account;
        let pending: u128 = model.pending_for(who).iter().map(|(_, a)| a).sum();
        assert_eq!(ledger.receivable_total(&account).unwrap().0, pending);
        let listed: u128 = ledger
            .receivables(&account, usize::MAX, Amount::ZERO, false)
            .unwrap()
            .iter()
            .map(|e| e.receivable.amount.0)
            .sum();
        assert_eq!(listed, pending);
        assert_eq!(ledger.account_balance(&account).unwrap().1 .0, pending);
    }
    let kept = ledger.check_kept_sums().unwrap();
    assert!(kept.is_consistent(), "{kept:?}");
    for (rep, w) in weights {
        assert_eq!(ledger.weight(&rep).unwrap().0, w);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_blocks_match_model(ops in prop::collection::vec(op(), 1..40), batch in 1usize..6) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
        let mut model = Model::new();
        let mut events = ledger.subscribe();
        let mut accepted = 0u64;
        // Blocks are built against the model as it stands, so a batch holds independent
        // blocks only when built one by one; group consecutive ops after building each.
        let mut queue: Vec<(Block, ProcessResult)> = Vec::new();
        let flush = |queue: &mut Vec<(Block, ProcessResult)>| {
            let blocks: Vec<Block> = queue.iter().map(|(b, _)| b.clone()).collect();
            let results = ledger.process(&blocks).unwrap();
            let expected: Vec<ProcessResult> = queue.iter().map(|(_, r)| *r).collect();
            assert_eq!(results, expected, "{:?}", blocks);
            queue.clear();
        };
        for op in &ops {
            let Some((block, mut expect)) = model.build(op) else { continue };
            // "Old" is checked first: a block identical to an accepted one (e.g. a fork that
            // rebuilds the very change it forks from) is old, whatever else is wrong with it.
            if model.accepted.contains(&block.hash()) {
                expect = ProcessResult::Old;
            }
            if expect == ProcessResult::Progress {
                model.apply(&block);
                accepted += 1;
            }
            queue.push((block, expect));
            if queue.len() >= batch {
                flush(&mut queue);
            }
        }
        flush(&mut queue);
        let mut seen = 0u64;
        while let Ok(event) = events.try_recv() {
            prop_assert!(ledger.block_exists(&event.hash).unwrap());
            seen += 1;
        }
        prop_assert_eq!(seen, accepted);
        let count = ledger.block_count().unwrap();
        prop_assert_eq!(count.count, accepted + 1);
        prop_assert_eq!(count.cemented, count.count);
        check_invariants(&ledger, &model);
    }
}
