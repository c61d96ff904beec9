//! Legacy RPC 1.0 account actions over a real dev ledger with real signed blocks, through the
//! real handler (encodings 1 and 2): nano-node's exact answer bytes, options and error strings.

mod accounts_support;

use accounts_support::*;
use nanoipc::ipc::Encoding;
use serde_json::json;

fn err(msg: &str) -> String {
    legacy_error(msg)
}

#[test]
fn account_info_exact_and_options() {
    let f = Fixture::new();
    let a = f.a_addr();
    let t = f.modified(&f.a.account);
    let (head, open) = (h(&f.send_a), h(&f.open_a));
    assert_eq!(
        f.legacy(&format!(r#"{{"action":"account_info","account":"{a}"}}"#)),
        format!(
            "{{\n    \"frontier\": \"{head}\",\n    \"open_block\": \"{open}\",\n    \"representative_block\": \"{head}\",\n    \"balance\": \"{b}\",\n    \"modified_timestamp\": \"{t}\",\n    \"block_count\": \"3\",\n    \"account_version\": \"0\",\n    \"confirmation_height\": \"3\",\n    \"confirmation_height_frontier\": \"{head}\"\n}}\n",
            b = 19 * NANO
        )
    );
    let full = f.legacy_json(&format!(
        r#"{{"action":"account_info","account":"{a}","representative":"true","weight":true,"pending":"1","include_confirmed":"true"}}"#
    ));
    let text = f.legacy(&format!(
        r#"{{"action":"account_info","account":"{a}","representative":"true","weight":true,"pending":"1","include_confirmed":"true"}}"#
    ));
    let order: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"'))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert_eq!(
        order,
        [
            "frontier",
            "open_block",
            "representative_block",
            "balance",
            "confirmed_balance",
            "modified_timestamp",
            "block_count",
            "account_version",
            "confirmed_height",
            "confirmed_frontier",
            "representative",
            "confirmed_representative",
            "weight",
            "pending",
            "receivable",
            "confirmed_pending",
            "confirmed_receivable"
        ]
    );
    assert_eq!(full["confirmed_balance"], (19 * NANO).to_string());
    assert_eq!(full["representative"], a);
    assert_eq!(full["confirmed_representative"], a);
    assert_eq!(full["weight"], (19 * NANO).to_string());
    assert_eq!(full["receivable"], "7");
    assert_eq!(full["confirmed_receivable"], "7");
    // `receivable` overrides `pending`.
    let no = f.legacy_json(&format!(
        r#"{{"action":"account_info","account":"{a}","pending":"1","receivable":"false"}}"#
    ));
    assert!(no.get("receivable").is_none());
    // A legacy chain's representative block is its open block (the genesis here).
    let g = f.legacy_json(&format!(
        r#"{{"action":"account_info","account":"{GENESIS}"}}"#
    ));
    assert_eq!(g["representative_block"], h(&f.send3));
}

#[test]
fn account_errors_and_deprecated_flag() {
    let f = Fixture::new();
    let b = f.b_addr();
    for action in [
        "account_info",
        "account_block_count",
        "account_representative",
    ] {
        assert_eq!(
            f.legacy(&format!(r#"{{"action":"{action}","account":"{b}"}}"#)),
            err("Account not found")
        );
        assert_eq!(
            f.legacy(&format!(r#"{{"action":"{action}","account":"nano_1"}}"#)),
            err("Bad account number")
        );
        assert_eq!(
            f.legacy(&format!(r#"{{"action":"{action}"}}"#)),
            err("Unable to parse JSON")
        );
    }
    let dashed = f.a_addr().replacen("nano_", "nano-", 1);
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"account_block_count","account":"{dashed}"}}"#
        )),
        "{\n    \"deprecated_account_format\": \"1\",\n    \"block_count\": \"3\"\n}\n"
    );
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"account_representative","account":"{}"}}"#,
            f.a_addr()
        )),
        format!("{{\n    \"representative\": \"{}\"\n}}\n", f.a_addr())
    );
}

#[test]
fn account_key_and_account_get() {
    let f = Fixture::new();
    let key = f.a.account.encode_hex();
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"account_key","account":"{}"}}"#,
            f.a_addr()
        )),
        format!("{{\n    \"key\": \"{key}\"\n}}\n")
    );
    let xrb = f.a.account.encode_with_prefix("xrb_");
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"account_get","key":"{}"}}"#,
            key.to_lowercase()
        )),
        format!("{{\n    \"account\": \"{}\"\n}}\n", f.a_addr())
    );
    assert_eq!(
        f.legacy_json(&format!(r#"{{"action":"account_key","account":"{xrb}"}}"#))["key"],
        key
    );
    // Short keys are left-padded, as nano-node's decode_hex does.
    assert_eq!(
        f.legacy_json(r#"{"action":"account_get","key":"0"}"#)["account"],
        "nano_1111111111111111111111111111111111111111111111111111hifc8npp"
    );
    for bad in ["\"\"", "\"xyz\"", &format!("\"{}0\"", key), "{}"] {
        assert_eq!(
            f.legacy(&format!(r#"{{"action":"account_get","key":{bad}}}"#)),
            err("Bad public key")
        );
    }
    assert_eq!(
        f.legacy(r#"{"action":"account_get"}"#),
        err("Unable to parse JSON")
    );
    assert_eq!(
        f.legacy(r#"{"action":"account_key","account":"nano_1"}"#),
        err("Bad account number")
    );
}

#[test]
fn account_history_exact_and_paging() {
    let f = Fixture::new();
    let a = f.a_addr();
    let (ts, to) = (f.timestamp(&f.send_a), f.timestamp(&f.open_a));
    // Non-raw: the change block makes no entry; the open is a receive from genesis.
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"account_history","account":"{a}","count":"10"}}"#
        )),
        format!(
            "{{\n    \"account\": \"{a}\",\n    \"history\": [\n        {{\n            \"type\": \"send\",\n            \"account\": \"{GENESIS}\",\n            \"amount\": \"{one}\",\n            \"local_timestamp\": \"{ts}\",\n            \"height\": \"3\",\n            \"hash\": \"{hs}\",\n            \"confirmed\": \"true\"\n        }},\n        {{\n            \"type\": \"receive\",\n            \"account\": \"{GENESIS}\",\n            \"amount\": \"{twenty}\",\n            \"local_timestamp\": \"{to}\",\n            \"height\": \"1\",\n            \"hash\": \"{ho}\",\n            \"confirmed\": \"true\"\n        }}\n    ]\n}}\n",
            one = NANO,
            twenty = 20 * NANO,
            hs = h(&f.send_a),
            ho = h(&f.open_a),
        )
    );
    // count 1: the next block to visit is given as `previous`.
    let one = f.legacy_json(&format!(
        r#"{{"action":"account_history","account":"{a}","count":1}}"#
    ));
    assert_eq!(one["history"].as_array().unwrap().len(), 1);
    assert_eq!(one["previous"], h(&f.change_a));
    // Offset counts every block, shown or not: skipping send_a and change_a leaves the open.
    let off = f.legacy_json(&format!(
        r#"{{"action":"account_history","account":"{a}","count":5,"offset":"2"}}"#
    ));
    assert_eq!(off["history"][0]["hash"], h(&f.open_a));
    assert!(off.get("previous").is_none());
    // Reverse from the open block, with `next`.
    let rev = f.legacy_json(&format!(
        r#"{{"action":"account_history","account":"{a}","count":1,"reverse":true}}"#
    ));
    assert_eq!(rev["history"][0]["hash"], h(&f.open_a));
    assert_eq!(rev["next"], h(&f.change_a));
    // Raw shows the change, with the state keys in nano-node's order.
    let raw = f.legacy(&format!(
        r#"{{"action":"account_history","account":"{a}","count":1,"offset":1,"raw":"1"}}"#
    ));
    let change = match &f.change_a {
        nanoipc::ledger::primitives::Block::State(s) => s.clone(),
        _ => unreachable!(),
    };
    assert_eq!(
        raw,
        format!(
            "{{\n    \"account\": \"{a}\",\n    \"history\": [\n        {{\n            \"type\": \"state\",\n            \"representative\": \"{a}\",\n            \"link\": \"{zero}\",\n            \"balance\": \"{twenty}\",\n            \"previous\": \"{ho}\",\n            \"subtype\": \"change\",\n            \"local_timestamp\": \"{tc}\",\n            \"height\": \"2\",\n            \"hash\": \"{hc}\",\n            \"confirmed\": \"true\",\n            \"work\": \"{work}\",\n            \"signature\": \"{sig}\"\n        }}\n    ],\n    \"previous\": \"{ho}\"\n}}\n",
            zero = "0".repeat(64),
            twenty = 20 * NANO,
            ho = h(&f.open_a),
            hc = h(&f.change_a),
            tc = f.timestamp(&f.change_a),
            work = change.work.encode_hex(),
            sig = change.signature.encode_hex(),
        )
    );
    // The genesis open block: a legacy open, reported as a receive of the whole supply.
    let g = f.legacy_json(&format!(
        r#"{{"action":"account_history","account":"{GENESIS}","count":9}}"#
    ));
    let entries = g["history"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[3]["type"], "receive");
    assert_eq!(entries[3]["amount"], SUPPLY);
    assert_eq!(entries[3]["account"], GENESIS);
    assert_eq!(entries[0]["account"], a);
    assert_eq!(entries[0]["amount"], "7");
    let graw = f.legacy_json(&format!(
        r#"{{"action":"account_history","account":"{GENESIS}","count":1,"offset":3,"raw":true}}"#
    ));
    let open = &graw["history"][0];
    assert_eq!(open["type"], "open");
    assert_eq!(open["opened"], GENESIS);
    assert_eq!(open["source"], genesis_key().account.encode_hex());
}

#[test]
fn account_history_head_filter_alias_and_errors() {
    let f = Fixture::new();
    let a = f.a_addr();
    // `head` picks the chain; `account` is then ignored (even a bad one).
    let by_head = f.legacy_json(&format!(
        r#"{{"action":"account_history","account":"nano_1","head":"{}","count":2}}"#,
        h(&f.change_a)
    ));
    assert_eq!(by_head["account"], a);
    assert_eq!(by_head["history"][0]["hash"], h(&f.open_a));
    // Filter: only sends to / receives from listed accounts; the open from genesis is dropped.
    let b = f.b_addr();
    let filtered = f.legacy_json(&format!(
        r#"{{"action":"account_history","account":"{GENESIS}","count":9,"account_filter":["{b}"]}}"#
    ));
    let entries = filtered["history"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{filtered}");
    assert_eq!(entries[0]["hash"], h(&f.send2));
    // The open block is a legacy open: never filtered.
    assert_eq!(entries[1]["type"], "receive");
    // history alias: `hash` becomes `head`, and "deprecated" comes first.
    let alias = f.legacy(&format!(
        r#"{{"action":"history","hash":"{}","count":1}}"#,
        h(&f.open_a)
    ));
    assert!(
        alias.starts_with("{\n    \"deprecated\": \"1\",\n    \"account\": "),
        "{alias}"
    );
    assert_eq!(
        f.legacy(r#"{"action":"history","count":1}"#),
        err("Unable to parse JSON")
    );
    // Unopened account: empty forward, error in reverse.
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"account_history","account":"{b}","count":1}}"#
        )),
        format!("{{\n    \"account\": \"{b}\",\n    \"history\": \"\"\n}}\n")
    );
    let cases = [
        (format!(r#""account":"{a}","count":"0""#), "Invalid count"),
        (format!(r#""account":"{a}","count":"x""#), "Invalid count"),
        (format!(r#""account":"{a}""#), "Unable to parse JSON"),
        (
            format!(r#""account":"{a}","count":1,"offset":"-x""#),
            "Invalid offset",
        ),
        (r#""head":"zz","count":1"#.to_owned(), "Bad hash number"),
        (
            format!(r#""head":"{}","count":1"#, "1".repeat(64)),
            "Block not found",
        ),
        (
            r#""account":"nano_1","count":1"#.to_owned(),
            "Bad account number",
        ),
        (r#""count":1"#.to_owned(), "Unable to parse JSON"),
        (
            format!(r#""account":"{b}","count":1,"reverse":"true""#),
            "Account not found",
        ),
        (
            format!(r#""account":"{a}","account_filter":["nano_1"]"#),
            "Bad account number",
        ),
    ];
    for (fields, expected) in cases {
        assert_eq!(
            f.legacy(&format!(r#"{{"action":"account_history",{fields}}}"#)),
            err(expected),
            "{fields}"
        );
    }
}

#[test]
fn accounts_balances_frontiers_representatives() {
    let f = Fixture::new();
    let (a, b) = (f.a_addr(), f.b_addr());
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"accounts_balances","accounts":["{b}","nano_1","{b}"]}}"#
        )),
        format!(
            "{{\n    \"balances\": {{\n        \"{b}\": {{\n            \"balance\": \"0\",\n            \"pending\": \"5\",\n            \"receivable\": \"5\"\n        }}\n    }},\n    \"errors\": {{\n        \"nano_1\": \"Bad account number\"\n    }}\n}}\n"
        )
    );
    assert_eq!(
        f.legacy(r#"{"action":"accounts_balances","accounts":[]}"#),
        err("Empty response")
    );
    assert_eq!(
        f.legacy(r#"{"action":"accounts_balances"}"#),
        err("Unable to parse JSON")
    );
    let dashed = a.replacen("nano_", "xrb-", 1);
    let flagged = f.legacy(&format!(
        r#"{{"action":"accounts_balances","accounts":["{dashed}"]}}"#
    ));
    assert!(flagged.starts_with("{\n    \"deprecated_account_format\": \"1\",\n    \"balances\""));
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"accounts_frontiers","accounts":["{dashed}","{b}","x"]}}"#
        )),
        format!(
            "{{\n    \"deprecated_account_format\": \"1\",\n    \"frontiers\": {{\n        \"{a}\": \"{}\"\n    }},\n    \"errors\": {{\n        \"{b}\": \"Account not found\",\n        \"x\": \"Bad account number\"\n    }}\n}}\n",
            h(&f.send_a)
        )
    );
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"accounts_representatives","accounts":["{a}","{GENESIS}"]}}"#
        )),
        format!(
            "{{\n    \"representatives\": {{\n        \"{a}\": \"{a}\",\n        \"{GENESIS}\": \"{GENESIS}\"\n    }}\n}}\n"
        )
    );
}

#[test]
fn receivable_shapes_options_and_alias() {
    let f = Fixture::new();
    let a = f.a_addr();
    let g = GENESIS;
    assert_eq!(
        f.legacy(&format!(r#"{{"action":"receivable","account":"{a}"}}"#)),
        format!(
            "{{\n    \"blocks\": [\n        \"{}\"\n    ]\n}}\n",
            h(&f.send3)
        )
    );
    assert_eq!(
        f.legacy(&format!(r#"{{"action":"pending","account":"{a}","threshold":"1"}}"#)),
        format!(
            "{{\n    \"deprecated\": \"1\",\n    \"blocks\": {{\n        \"{}\": \"7\"\n    }}\n}}\n",
            h(&f.send3)
        )
    );
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"receivable","account":"{a}","source":"true","min_version":"true"}}"#
        )),
        format!(
            "{{\n    \"blocks\": {{\n        \"{}\": {{\n            \"amount\": \"7\",\n            \"source\": \"{g}\",\n            \"min_version\": \"0\"\n        }}\n    }}\n}}\n",
            h(&f.send3)
        )
    );
    // Threshold above every amount, count 0, offset past the end: empty.
    for opts in [r#""threshold":"8""#, r#""count":"0""#, r#""offset":"1""#] {
        assert_eq!(
            f.legacy(&format!(
                r#"{{"action":"receivable","account":"{a}",{opts}}}"#
            )),
            "{\n    \"blocks\": \"\"\n}\n",
            "{opts}"
        );
    }
    for (opts, e) in [
        (r#""count":"-x""#, "Invalid count"),
        (r#""offset":"x""#, "Invalid offset"),
        (r#""threshold":"01""#, "Bad threshold number"),
    ] {
        assert_eq!(
            f.legacy(&format!(
                r#"{{"action":"receivable","account":"{a}",{opts}}}"#
            )),
            err(e)
        );
    }
    assert_eq!(
        f.legacy(r#"{"action":"pending","account":"nano_1"}"#),
        err("Bad account number")
    );
}

#[test]
fn receivable_sorting_and_offsets() {
    // Genesis sends A three amounts; sorted answers are by amount, offset and count slice them.
    let f = Fixture::new();
    let g = genesis_key();
    let mut prev = f.send3.hash();
    let mut bal = u128::MAX - 20 * NANO - 12;
    let mut blocks = Vec::new();
    for amount in [100u128, 300, 200] {
        bal -= amount;
        let b =
            nanoipc::ledger::primitives::Block::State(nanoipc::ledger::primitives::StateBlock {
                account: g.account,
                previous: prev,
                representative: g.account,
                balance: nanoipc::ledger::primitives::Amount(bal),
                link: nanoipc::ledger::primitives::Link(f.a.account.0),
                signature: Default::default(),
                work: Default::default(),
            });
        let b = sign_and_work(b, &g);
        prev = b.hash();
        blocks.push(b);
    }
    f.ledger.process(&blocks).unwrap();
    let a = f.a_addr();
    let sorted = f.legacy_json(&format!(
        r#"{{"action":"receivable","account":"{a}","sorting":true,"offset":1,"count":2}}"#
    ));
    let amounts: Vec<&str> = sorted["blocks"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["200", "100"]);
    // nano-node wraps offset + count here; this node saturates and answers the tail.
    let tail = f.legacy_json(&format!(
        r#"{{"action":"receivable","account":"{a}","sorting":true,"offset":3}}"#
    ));
    assert_eq!(tail["blocks"].as_object().unwrap().len(), 1);
    // accounts_receivable limits first (hash order), then sorts.
    let multi = f.legacy_json(&format!(
        r#"{{"action":"accounts_pending","accounts":["{a}","{}"],"sorting":"true","count":4}}"#,
        f.b_addr()
    ));
    assert_eq!(multi["deprecated"], "1");
    let per_a: Vec<u128> = multi["blocks"][&a]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(per_a.len(), 4);
    assert!(per_a.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(multi["blocks"][&f.b_addr()], json!({h(&f.send2): "5"}));
}

fn sign_and_work(
    mut block: nanoipc::ledger::primitives::Block,
    key: &nanoipc::ledger::primitives::KeyPair,
) -> nanoipc::ledger::primitives::Block {
    use nanoipc::ledger::primitives::*;
    block.set_signature(sign_hash(&key.private, &block.hash()));
    let root = block.root();
    let threshold = Network::Dev.thresholds().epoch_1;
    let mut n = 0u64;
    while !work_valid(&root, Work(n), threshold) {
        n += 1;
    }
    block.set_work(Work(n));
    block
}

#[test]
fn accounts_receivable_exact_and_errors() {
    let f = Fixture::new();
    let (a, b) = (f.a_addr(), f.b_addr());
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"accounts_receivable","accounts":["{a}","{b}"],"source":"true"}}"#
        )),
        format!(
            "{{\n    \"blocks\": {{\n        \"{a}\": {{\n            \"{h3}\": {{\n                \"amount\": \"7\",\n                \"source\": \"{GENESIS}\"\n            }}\n        }},\n        \"{b}\": {{\n            \"{h2}\": {{\n                \"amount\": \"5\",\n                \"source\": \"{GENESIS}\"\n            }}\n        }}\n    }}\n}}\n",
            h3 = h(&f.send3),
            h2 = h(&f.send2)
        )
    );
    // One bad address fails the whole request.
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"accounts_receivable","accounts":["{a}","bad"]}}"#
        )),
        err("Bad account number")
    );
    assert_eq!(
        f.legacy(r#"{"action":"accounts_receivable","accounts":[],"count":"x"}"#),
        err("Invalid count")
    );
    assert_eq!(
        f.legacy(r#"{"action":"accounts_receivable","accounts":[]}"#),
        "{\n    \"blocks\": \"\"\n}\n"
    );
}

#[test]
fn delegators_frontiers_counts_and_representatives() {
    let f = Fixture::new();
    let a = f.a_addr();
    assert_eq!(
        f.legacy(&format!(r#"{{"action":"delegators","account":"{a}"}}"#)),
        format!(
            "{{\n    \"delegators\": {{\n        \"{a}\": \"{}\"\n    }}\n}}\n",
            19 * NANO
        )
    );
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"delegators","account":"{a}","start":"{a}"}}"#
        )),
        "{\n    \"delegators\": \"\"\n}\n"
    );
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"delegators","account":"{a}","threshold":"x"}}"#
        )),
        err("Bad threshold number")
    );
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"delegators_count","account":"{GENESIS}"}}"#
        )),
        "{\n    \"count\": \"1\"\n}\n"
    );
    assert_eq!(
        f.legacy(r#"{"action":"frontier_count"}"#),
        "{\n    \"count\": \"2\"\n}\n"
    );
    let burn = "nano_1111111111111111111111111111111111111111111111111111hifc8npp";
    let frontiers = f.legacy_json(&format!(
        r#"{{"action":"frontiers","account":"{burn}","count":"10"}}"#
    ));
    assert_eq!(frontiers["frontiers"].as_object().unwrap().len(), 2);
    assert_eq!(frontiers["frontiers"][&a], h(&f.send_a));
    assert_eq!(
        f.legacy(&format!(
            r#"{{"action":"frontiers","account":"{burn}","count":"0"}}"#
        )),
        err("Invalid count")
    );
    assert_eq!(
        f.legacy(&format!(r#"{{"action":"frontiers","account":"{burn}"}}"#)),
        err("Unable to parse JSON")
    );
    // Genesis holds the rest of the supply; A holds 19 nano (≥ 10 nano, so it is listed).
    let gweight = (u128::MAX - 20 * NANO - 12).to_string();
    let sorted = f.legacy(r#"{"action":"representatives","sorting":"true"}"#);
    assert_eq!(
        sorted,
        format!(
            "{{\n    \"representatives\": {{\n        \"{GENESIS}\": \"{gweight}\",\n        \"{a}\": \"{}\"\n    }}\n}}\n",
            19 * NANO
        )
    );
    let unsorted = f.legacy_json(r#"{"action":"representatives","count":"1"}"#);
    let reps = unsorted["representatives"].as_object().unwrap();
    assert_eq!(reps.len(), 1);
    let lowest = if f.a.account < genesis_key().account {
        a.clone()
    } else {
        GENESIS.to_owned()
    };
    assert!(reps.contains_key(&lowest));
    assert_eq!(
        f.legacy(r#"{"action":"representatives","count":"x"}"#),
        err("Invalid count")
    );
}

#[test]
fn ledger_and_unopened_are_control() {
    let f = Fixture::new();
    // Refused for a caller without `control` (the HTTP gateway without `enable_control`); every
    // IPC caller has it, as in nano-node.
    for action in ["ledger", "unopened"] {
        let body = format!(r#"{{"action":"{action}"}}"#);
        let out = support::serve_sync(
            &*f.handler,
            &nanoipc::api::Caller::local(9),
            Encoding::JsonV1,
            body.as_bytes(),
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            err("RPC control is disabled")
        );
    }
    let b = f.b_addr();
    assert_eq!(
        f.call(Encoding::JsonV1Unsafe, r#"{"action":"unopened"}"#),
        format!("{{\n    \"accounts\": {{\n        \"{b}\": \"5\"\n    }}\n}}\n")
    );
    assert_eq!(
        f.call(
            Encoding::JsonV1Unsafe,
            r#"{"action":"unopened","threshold":"6"}"#
        ),
        "{\n    \"accounts\": \"\"\n}\n"
    );
    let a = f.a_addr();
    let t = f.modified(&f.a.account);
    assert_eq!(
        f.call(
            Encoding::JsonV1Unsafe,
            &format!(r#"{{"action":"ledger","account":"{a}","count":1,"representative":1,"weight":1,"receivable":1}}"#)
        ),
        format!(
            "{{\n    \"accounts\": {{\n        \"{a}\": {{\n            \"pending\": \"7\",\n            \"receivable\": \"7\",\n            \"frontier\": \"{hs}\",\n            \"open_block\": \"{ho}\",\n            \"representative_block\": \"{hs}\",\n            \"balance\": \"{bal}\",\n            \"modified_timestamp\": \"{t}\",\n            \"block_count\": \"3\",\n            \"representative\": \"{a}\",\n            \"weight\": \"{bal}\"\n        }}\n    }}\n}}\n",
            hs = h(&f.send_a),
            ho = h(&f.open_a),
            bal = 19 * NANO,
        )
    );
    // Sorted by balance: genesis first.
    let sorted: serde_json::Value = serde_json::from_str(&f.call(
        Encoding::JsonV1Unsafe,
        r#"{"action":"ledger","sorting":"true"}"#,
    ))
    .unwrap();
    let order: Vec<&String> = sorted["accounts"].as_object().unwrap().keys().collect();
    assert_eq!(order, [GENESIS, &a]);
    // Threshold and modified_since filter; bad values are nano-node's errors.
    let big = f.call(
        Encoding::JsonV1Unsafe,
        &format!(r#"{{"action":"ledger","threshold":"{}"}}"#, 20 * NANO),
    );
    assert!(!big.contains(&a) && big.contains(GENESIS));
    for (opts, e) in [
        (r#""count":"x""#, "Invalid count"),
        (r#""threshold":"-1""#, "Bad threshold number"),
        (r#""account":"nano_1""#, "Bad account number"),
        (r#""modified_since":"soon""#, "Invalid timestamp"),
    ] {
        assert_eq!(
            f.call(
                Encoding::JsonV1Unsafe,
                &format!(r#"{{"action":"ledger",{opts}}}"#)
            ),
            err(e)
        );
    }
}
