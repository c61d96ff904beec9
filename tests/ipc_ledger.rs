//! Blocks processed through the ledger change what the node answers over IPC: a send from the dev
//! genesis and the receiving account's open, built with the ledger primitives and work from the
//! work generator, checked through legacy RPC and v2 in both transports.

mod support;

use nanoipc::ledger::primitives::*;
use nanoipc::ledger::ProcessResult;
use support::v2;
use support::*;

fn genesis_key() -> KeyPair {
    KeyPair::from_private(
        RawKey::decode_hex("34F0A37AAD20F4A260F0A5B3CB3D7FB50673212263E58A380BC10474BB039CE4")
            .unwrap(),
    )
}

/// Signs `state` with `key` and attaches generated dev work.
fn sign_and_work(state: StateBlock, key: &KeyPair) -> Block {
    let mut block = Block::State(state);
    block.set_signature(sign_hash(&key.private, &block.hash()));
    let work = generate_work(
        &block.root(),
        Network::Dev.thresholds().epoch_1,
        &WorkCancel::new(),
    )
    .expect("work is found for the dev threshold");
    block.set_work(work);
    block
}

async fn legacy_weight(c: &mut Raw, account: &str) -> String {
    c.call(
        1,
        &format!(r#"{{"action":"account_weight","account":"{account}"}}"#),
    )
    .await
}

async fn legacy_balance(c: &mut Raw, account: &str) -> String {
    c.call(
        2,
        &format!(r#"{{"action":"account_balance","account":"{account}"}}"#),
    )
    .await
}

fn weight_answer(w: u128) -> String {
    format!("{{\n    \"weight\": \"{w}\"\n}}\n")
}

fn balance_answer(balance: u128, receivable: u128) -> String {
    format!(
        "{{\n    \"balance\": \"{balance}\",\n    \"pending\": \"{receivable}\",\n    \"receivable\": \"{receivable}\"\n}}\n"
    )
}

#[tokio::test]
async fn a_send_and_an_open_change_weights_and_balances_over_ipc() {
    let (node, ledger) = start_ledger_node().await;
    let g = genesis_key();
    let dest = KeyPair::from_private(RawKey([7u8; 32]));
    let dest_addr = dest.account.encode_address();
    let amount: u128 = 1_000_000_000_000;
    let after_send = u128::MAX - amount;

    let send = sign_and_work(
        StateBlock {
            account: g.account,
            previous: Network::Dev.genesis_hash(),
            representative: g.account,
            balance: Amount(after_send),
            link: Link(dest.account.0),
            signature: Signature::default(),
            work: Work(0),
        },
        &g,
    );
    let send_hash = send.hash();
    let results = tokio::task::spawn_blocking({
        let ledger = ledger.clone();
        move || ledger.process(&[send]).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(results, vec![ProcessResult::Progress]);

    for via in BOTH {
        let mut c = node.connect(via).await;
        assert_eq!(
            legacy_weight(&mut c, GENESIS).await,
            weight_answer(after_send)
        );
        assert_eq!(
            legacy_balance(&mut c, GENESIS).await,
            balance_answer(after_send, 0)
        );
        assert_eq!(
            legacy_balance(&mut c, &dest_addr).await,
            balance_answer(0, amount)
        );
        assert_eq!(legacy_weight(&mut c, &dest_addr).await, weight_answer(0));
        assert_eq!(
            c.call(1, r#"{"action":"block_count"}"#).await,
            "{\n    \"count\": \"2\",\n    \"unchecked\": \"0\",\n    \"cemented\": \"2\"\n}\n"
        );
        c.write(&frame(3, &v2::account_weight(None, GENESIS))).await;
        let a = v2::read_binary(&c.answer().await);
        assert_eq!(a.voting_weight, Some(after_send.to_string()));
    }

    // The receiver opens its account, receiving the send and naming itself as representative.
    let open = sign_and_work(
        StateBlock {
            account: dest.account,
            previous: BlockHash::ZERO,
            representative: dest.account,
            balance: Amount(amount),
            link: Link(send_hash.0),
            signature: Signature::default(),
            work: Work(0),
        },
        &dest,
    );
    let results = tokio::task::spawn_blocking({
        let ledger = ledger.clone();
        move || ledger.process(&[open]).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(results, vec![ProcessResult::Progress]);

    for via in BOTH {
        let mut c = node.connect(via).await;
        assert_eq!(
            legacy_balance(&mut c, &dest_addr).await,
            balance_answer(amount, 0)
        );
        assert_eq!(
            legacy_weight(&mut c, &dest_addr).await,
            weight_answer(amount)
        );
        assert_eq!(
            legacy_weight(&mut c, GENESIS).await,
            weight_answer(after_send)
        );
        c.write(&frame(
            4,
            format!(r#"{{"message_type":"AccountWeight","message":{{"account":"{dest_addr}"}}}}"#)
                .as_bytes(),
        ))
        .await;
        let a = v2::read_json(&c.answer().await);
        assert_eq!(a.voting_weight, Some(amount.to_string()));
    }
}
