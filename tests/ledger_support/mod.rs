//! Shared helpers for ledger tests: keys and valid block streams with real dev work.
#![allow(dead_code)]

use nanoipc::ledger::primitives::*;
use nanoipc::ledger::Ledger;

/// The dev genesis key pair (public knowledge).
pub fn genesis_key() -> KeyPair {
    KeyPair::from_private(
        RawKey::decode_hex("34F0A37AAD20F4A260F0A5B3CB3D7FB50673212263E58A380BC10474BB039CE4")
            .unwrap(),
    )
}

/// Signs and attaches the cheapest valid dev work (single-threaded search: ~128 hashes).
pub fn finish(state: StateBlock, key: &KeyPair) -> Block {
    let mut block = Block::State(state);
    block.set_signature(sign_hash(&key.private, &block.hash()));
    let threshold = Network::Dev.thresholds().epoch_1;
    let root = block.root();
    let mut n = 0u64;
    while !work_valid(&root, Work(n), threshold) {
        n += 1;
    }
    block.set_work(Work(n));
    block
}

/// `n` accounts each receiving a send from genesis and opening, then sending half back:
/// 3n valid state blocks in a replayable order.
pub fn block_stream(n: u32) -> Vec<Block> {
    let g = genesis_key();
    let seed = RawKey([3u8; 32]);
    let mut out = Vec::new();
    let mut head = Network::Dev.genesis_hash();
    let mut balance = u128::MAX;
    let mut backs = Vec::new();
    for i in 0..n {
        let k = KeyPair::from_private(deterministic_key(&seed, i));
        let amount = 1_000_000 + u128::from(i);
        balance -= amount;
        let send = finish(
            StateBlock {
                account: g.account,
                previous: head,
                representative: g.account,
                balance: Amount(balance),
                link: Link(k.account.0),
                signature: Signature::default(),
                work: Work(0),
            },
            &g,
        );
        head = send.hash();
        let open = finish(
            StateBlock {
                account: k.account,
                previous: BlockHash::ZERO,
                representative: k.account,
                balance: Amount(amount),
                link: Link(head.0),
                signature: Signature::default(),
                work: Work(0),
            },
            &k,
        );
        let back = finish(
            StateBlock {
                account: k.account,
                previous: open.hash(),
                representative: g.account,
                balance: Amount(amount - amount / 2),
                link: Link(g.account.0),
                signature: Signature::default(),
                work: Work(0),
            },
            &k,
        );
        out.push(send);
        out.push(open);
        backs.push(back);
    }
    out.extend(backs);
    out
}

/// Checks the supply and weight invariants and that every account's history replays.
pub fn check_invariants(ledger: &Ledger) {
    let totals = ledger.totals().unwrap();
    assert_eq!(
        totals.balances.checked_add(totals.receivables),
        Some(u128::MAX)
    );
    assert_eq!(totals.weights, totals.balances);
    let count = ledger.block_count().unwrap();
    assert_eq!(count.cemented, count.count);
    for (account, head) in ledger.frontiers(&Account::ZERO, usize::MAX).unwrap() {
        let info = ledger.account_info(&account).unwrap().unwrap();
        let history = ledger
            .account_history(&account, None, 0, usize::MAX, false)
            .unwrap()
            .unwrap();
        assert_eq!(history.len() as u64, info.block_count);
        assert_eq!(history[0].hash, head);
        assert_eq!(history[0].stored.sideband.balance, info.balance);
    }
}
