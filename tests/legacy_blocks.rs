//! Legacy RPC 1.0 block actions through the real handler (encoding 1) over a real dev ledger:
//! nano-node's exact answers (bytes, key order, `""` for empty lists) and its error strings.

mod blocks_support;
mod ledger_support;
mod support;

use blocks_support::Fixture;
use nanoipc::ledger::primitives::BlockHash;
use support::{legacy_error, GENESIS, GENESIS_HASH, SUPPLY};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn hex(h: &BlockHash) -> String {
    h.encode_hex()
}

const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const GENESIS_SIG: &str = "ECDA914373A2F0CA1296475BAEE40500A7F0A7AD72A5A80C81D7FAB7F6C802B2CC7DB50F5DD0FB25B2EF11761FA7344A158DD5A700B21BD47DE5BD0F63153A02";

#[test]
fn block_info_of_the_genesis_block_byte_for_byte() {
    let f = Fixture::new();
    let ts = f.timestamp(&f.h.genesis);
    let send1 = hex(&f.h.send1);
    let expected = format!(
        "{{\n    \"block_account\": \"{GENESIS}\",\n    \"amount\": \"{SUPPLY}\",\n    \"balance\": \"{SUPPLY}\",\n    \"height\": \"1\",\n    \"local_timestamp\": \"{ts}\",\n    \"successor\": \"{send1}\",\n    \"confirmed\": \"true\",\n    \"contents\": \"{{\\n    \\\"type\\\": \\\"open\\\",\\n    \\\"source\\\": \\\"B0311EA55708D6A53C75CDBF88300259C6D018522FE3D4D0A242E431F9E8B6D0\\\",\\n    \\\"representative\\\": \\\"{GENESIS}\\\",\\n    \\\"account\\\": \\\"{GENESIS}\\\",\\n    \\\"work\\\": \\\"7b42a00ee91d5810\\\",\\n    \\\"signature\\\": \\\"{GENESIS_SIG}\\\"\\n}}\\n\"\n}}\n"
    );
    let body = format!(r#"{{"action":"block_info","hash":"{GENESIS_HASH}"}}"#);
    assert_eq!(f.legacy(&body), expected);
    // `block` is the same handler, with no `deprecated` key (nano-node maps it directly).
    let body = format!(r#"{{"action":"block","hash":"{GENESIS_HASH}"}}"#);
    assert_eq!(f.legacy(&body), expected);
}

#[test]
fn block_info_of_state_blocks_with_json_block() {
    let f = Fixture::new();
    let body = format!(
        r#"{{"action":"block_info","hash":"{}","json_block":"true"}}"#,
        hex(&f.h.send2)
    );
    let v = json(&f.legacy(&body));
    let k = f.k.account.encode_address();
    assert_eq!(v["block_account"], k.as_str());
    assert_eq!(v["amount"], "400");
    assert_eq!(v["balance"], "600");
    assert_eq!(v["height"], "2");
    assert_eq!(v["successor"], hex(&f.h.send4));
    assert_eq!(v["confirmed"], "true");
    assert_eq!(v["subtype"], "send");
    let c = &v["contents"];
    assert_eq!(c["type"], "state");
    assert_eq!(c["account"], k.as_str());
    assert_eq!(c["previous"], hex(&f.h.open));
    assert_eq!(c["balance"], "600");
    assert_eq!(c["link_as_account"], GENESIS);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "block_account",
            "amount",
            "balance",
            "height",
            "local_timestamp",
            "successor",
            "confirmed",
            "contents",
            "subtype"
        ]
    );
    // An opening state block is a receive; a zero-link block that keeps the balance a change.
    let subtype = |h: &BlockHash| {
        let v = json(&f.legacy(&format!(r#"{{"action":"block_info","hash":"{}"}}"#, hex(h))));
        (
            v["subtype"].as_str().unwrap().to_owned(),
            v["amount"].clone(),
        )
    };
    assert_eq!(subtype(&f.h.open), ("receive".to_owned(), "1000".into()));
    assert_eq!(subtype(&f.h.change), ("change".to_owned(), "0".into()));
    assert_eq!(subtype(&f.h.recv), ("receive".to_owned(), "400".into()));
    // The head's successor is all zeros.
    let v = json(&f.legacy(&format!(
        r#"{{"action":"block_info","hash":"{}"}}"#,
        hex(&f.h.change)
    )));
    assert_eq!(v["successor"], ZERO_HASH);
}

#[test]
fn block_info_errors() {
    let f = Fixture::new();
    for (body, error) in [
        (r#"{"action":"block_info"}"#, "Unable to parse JSON"),
        (
            r#"{"action":"block_info","hash":"xyz"}"#,
            "Invalid block hash",
        ),
        (r#"{"action":"block_info","hash":""}"#, "Invalid block hash"),
        (
            r#"{"action":"block_info","hash":{"a":1}}"#,
            "Invalid block hash",
        ),
        (
            r#"{"action":"block_info","hash":"00000000000000000000000000000000000000000000000000000000000000001"}"#,
            "Invalid block hash",
        ),
        // Short hex is left-padded, so "1" is a well-formed, unknown hash.
        (r#"{"action":"block_info","hash":"1"}"#, "Block not found"),
        (r#"{"action":"block","hash":"1"}"#, "Block not found"),
    ] {
        assert_eq!(f.legacy(body), legacy_error(error), "{body}");
    }
}

#[test]
fn block_account() {
    let f = Fixture::new();
    let body = format!(
        r#"{{"action":"block_account","hash":"{}"}}"#,
        hex(&f.h.send4)
    );
    assert_eq!(
        f.legacy(&body),
        format!(
            "{{\n    \"account\": \"{}\"\n}}\n",
            f.k.account.encode_address()
        )
    );
    for (body, error) in [
        (r#"{"action":"block_account"}"#, "Unable to parse JSON"),
        (
            r#"{"action":"block_account","hash":"zz"}"#,
            "Invalid block hash",
        ),
        (
            r#"{"action":"block_account","hash":"FF"}"#,
            "Block not found",
        ),
    ] {
        assert_eq!(f.legacy(body), legacy_error(error), "{body}");
    }
}

#[test]
fn blocks_keys_are_the_hashes_as_sent() {
    let f = Fixture::new();
    let lower = GENESIS_HASH.to_lowercase();
    let body = format!(r#"{{"action":"blocks","hashes":["{lower}","{lower}"]}}"#);
    let genesis = nanoipc::ledger::primitives::Network::Dev
        .genesis_block()
        .unwrap();
    let contents = genesis
        .to_json_pretty()
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    // A repeated hash keeps one key when contents are strings (nano-node `put`s them).
    assert_eq!(
        f.legacy(&body),
        format!("{{\n    \"blocks\": {{\n        \"{lower}\": \"{contents}\"\n    }}\n}}\n")
    );
    // As objects they are appended, so a repeated hash is listed twice.
    let body = format!(
        r#"{{"action":"blocks","json_block":"1","hashes":["{lower}","{}","{lower}"]}}"#,
        hex(&f.h.send1)
    );
    let text = f.legacy(&body);
    assert_eq!(
        text.matches(&format!("\"{lower}\": {{")).count(),
        2,
        "{text}"
    );
    let v = json(&text);
    assert_eq!(v["blocks"][hex(&f.h.send1)]["type"], "state");
    assert_eq!(v["blocks"][&lower]["type"], "open");
    // An empty list prints as "".
    assert_eq!(
        f.legacy(r#"{"action":"blocks","hashes":[]}"#),
        "{\n    \"blocks\": \"\"\n}\n"
    );
}

#[test]
fn blocks_errors_first_failure_wins() {
    let f = Fixture::new();
    let g = GENESIS_HASH;
    for (hashes, error) in [
        (format!(r#"["{g}","nothex"]"#), "Bad hash number"),
        (format!(r#"["{g}","FF"]"#), "Block not found"),
        (r#"["FF","nothex"]"#.to_owned(), "Block not found"),
        (r#"["nothex","FF"]"#.to_owned(), "Bad hash number"),
        (r#"[{"a":"b"}]"#.to_owned(), "Bad hash number"),
    ] {
        for action in ["blocks", "blocks_info"] {
            let body = format!(r#"{{"action":"{action}","hashes":{hashes}}}"#);
            assert_eq!(f.legacy(&body), legacy_error(error), "{body}");
        }
    }
    assert_eq!(
        f.legacy(r#"{"action":"blocks"}"#),
        legacy_error("Unable to parse JSON")
    );
    assert_eq!(
        f.legacy(r#"{"action":"blocks_info"}"#),
        legacy_error("Unable to parse JSON")
    );
}

#[test]
fn blocks_info_with_every_extra() {
    let f = Fixture::new();
    let h = &f.h;
    let body = format!(
        r#"{{"action":"blocks_info","pending":"true","receive_hash":"true","source":"true","include_not_found":"true","hashes":["{}","{}","{}","{}","{}","FF"]}}"#,
        hex(&h.send2),
        hex(&h.send4),
        hex(&h.open),
        hex(&h.genesis),
        hex(&h.change)
    );
    let v = json(&f.legacy(&body));
    let entry = |hash: &BlockHash| &v["blocks"][hex(hash)];
    let extras = |hash: &BlockHash| {
        let e = entry(hash);
        (
            e["pending"].as_str().unwrap().to_owned(),
            e["receivable"].as_str().unwrap().to_owned(),
            e["receive_hash"].as_str().unwrap().to_owned(),
            e["source_account"].as_str().unwrap().to_owned(),
        )
    };
    let s = |x: &str| x.to_owned();
    // Received by the genesis account's `recv`.
    assert_eq!(extras(&h.send2), (s("0"), s("0"), hex(&h.recv), s("0")));
    // Still receivable.
    assert_eq!(extras(&h.send4), (s("1"), s("1"), s(ZERO_HASH), s("0")));
    // A receive whose source block is known names its sender.
    assert_eq!(extras(&h.open), (s("0"), s("0"), s(ZERO_HASH), s(GENESIS)));
    // The genesis open's source is not a block.
    assert_eq!(extras(&h.genesis), (s("0"), s("0"), s(ZERO_HASH), s("0")));
    assert_eq!(extras(&h.change), (s("0"), s("0"), s(ZERO_HASH), s("0")));
    assert_eq!(entry(&h.change)["subtype"], "change");
    assert!(entry(&h.genesis).get("subtype").is_none());
    assert_eq!(v["blocks_not_found"], serde_json::json!(["FF"]));
    let keys: Vec<&str> = entry(&h.send4)
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "block_account",
            "amount",
            "balance",
            "height",
            "local_timestamp",
            "successor",
            "confirmed",
            "contents",
            "subtype",
            "pending",
            "receivable",
            "receive_hash",
            "source_account"
        ]
    );
}

#[test]
fn blocks_info_byte_for_byte_without_extras() {
    let f = Fixture::new();
    let hash = hex(&f.h.send4);
    let ts = f.timestamp(&f.h.send4);
    let block = f.ledger.block(&f.h.send4).unwrap().unwrap();
    let contents = block
        .to_json_pretty()
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    let k = f.k.account.encode_address();
    let expected = format!(
        "{{\n    \"blocks\": {{\n        \"{hash}\": {{\n            \"block_account\": \"{k}\",\n            \"amount\": \"100\",\n            \"balance\": \"500\",\n            \"height\": \"3\",\n            \"local_timestamp\": \"{ts}\",\n            \"successor\": \"{ZERO_HASH}\",\n            \"confirmed\": \"true\",\n            \"contents\": \"{contents}\",\n            \"subtype\": \"send\"\n        }}\n    }},\n    \"blocks_not_found\": \"\"\n}}\n"
    );
    let body =
        format!(r#"{{"action":"blocks_info","include_not_found":true,"hashes":["{hash}"]}}"#);
    assert_eq!(f.legacy(&body), expected);
    // `receivable` overrides `pending`; without either no flag keys.
    let body =
        format!(r#"{{"action":"blocks_info","pending":"1","receivable":"0","hashes":["{hash}"]}}"#);
    assert!(json(&f.legacy(&body))["blocks"][&hash]
        .get("pending")
        .is_none());
    let body = format!(r#"{{"action":"blocks_info","receivable":"1","hashes":["{hash}"]}}"#);
    assert_eq!(json(&f.legacy(&body))["blocks"][&hash]["pending"], "1");
}

#[test]
fn chain_and_successors() {
    let f = Fixture::new();
    let h = &f.h;
    let walk = |action: &str, start: &BlockHash, extra: &str| {
        let body = format!(r#"{{"action":"{action}","block":"{}"{extra}}}"#, hex(start));
        let text = f.legacy(&body);
        match &json(&text)["blocks"] {
            serde_json::Value::String(s) if s.is_empty() => Vec::new(),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().unwrap().to_owned())
                .collect(),
            other => panic!("{other}"),
        }
    };
    let genesis_chain: Vec<String> = [h.change, h.recv, h.burn, h.send1, h.genesis]
        .iter()
        .map(hex)
        .collect();
    assert_eq!(walk("chain", &h.change, r#","count":10"#), genesis_chain);
    assert_eq!(
        walk("chain", &h.change, r#","count":"2","offset":"1""#),
        genesis_chain[1..3]
    );
    let mut forward = genesis_chain.clone();
    forward.reverse();
    assert_eq!(walk("successors", &h.genesis, r#","count":"100""#), forward);
    assert_eq!(
        walk("chain", &h.genesis, r#","count":"100","reverse":"true""#),
        forward
    );
    assert_eq!(
        walk("successors", &h.change, r#","count":"100","reverse":true"#),
        genesis_chain
    );
    // Offset past the end, or an unknown start: nothing, printed "".
    assert_eq!(
        walk(
            "chain",
            &h.send1,
            r#","count":"5","offset":"18446744073709551615""#
        ),
        Vec::<String>::new()
    );
    let body = r#"{"action":"chain","block":"FF","count":"1"}"#;
    assert_eq!(f.legacy(body), "{\n    \"blocks\": \"\"\n}\n");
    // A count of u64::MAX allocates nothing up front.
    assert_eq!(
        walk(
            "successors",
            &f.h.open,
            r#","count":"18446744073709551615""#
        ),
        [h.open, h.send2, h.send4]
            .iter()
            .map(hex)
            .collect::<Vec<_>>()
    );
    // Exact bytes, as the reference prints a fresh node's chain.
    let body = format!(r#"{{"action": "chain", "block": "{GENESIS_HASH}", "count": 1}}"#);
    assert_eq!(
        f.legacy(&body),
        format!("{{\n    \"blocks\": [\n        \"{GENESIS_HASH}\"\n    ]\n}}\n")
    );
}

#[test]
fn chain_errors_in_nano_order() {
    let f = Fixture::new();
    let g = GENESIS_HASH;
    for action in ["chain", "successors"] {
        for (fields, error) in [
            (r#""count":"1""#.to_owned(), "Unable to parse JSON"),
            (format!(r#""block":"{g}""#), "Unable to parse JSON"),
            // A bad block is reported before a missing count.
            (r#""block":"xyz""#.to_owned(), "Invalid block hash"),
            (format!(r#""block":"{g}","count":"0""#), "Invalid count"),
            (format!(r#""block":"{g}","count":"1.5""#), "Invalid count"),
            (
                format!(r#""block":"{g}","count":"x","offset":"x""#),
                "Invalid count",
            ),
            (
                format!(r#""block":"{g}","count":"1","offset":"x""#),
                "Invalid offset",
            ),
            (
                format!(r#""block":"{g}","count":"18446744073709551616""#),
                "Invalid count",
            ),
        ] {
            let body = format!(r#"{{"action":"{action}",{fields}}}"#);
            assert_eq!(f.legacy(&body), legacy_error(error), "{body}");
        }
    }
}

#[test]
fn receivable_exists_and_its_deprecated_alias() {
    let f = Fixture::new();
    let ask = |action: &str, h: &BlockHash, extra: &str| {
        f.legacy(&format!(
            r#"{{"action":"{action}","hash":"{}"{extra}}}"#,
            hex(h)
        ))
    };
    let yes = "{\n    \"exists\": \"1\"\n}\n";
    let no = "{\n    \"exists\": \"0\"\n}\n";
    assert_eq!(ask("receivable_exists", &f.h.send4, ""), yes);
    // Every option combination answers the same: every block here is confirmed.
    for extra in [
        r#","include_active":"true""#,
        r#","include_only_confirmed":"false""#,
        r#","include_active":"true","include_only_confirmed":"false""#,
    ] {
        assert_eq!(ask("receivable_exists", &f.h.send4, extra), yes, "{extra}");
    }
    assert_eq!(
        ask("receivable_exists", &f.h.send2, ""),
        no,
        "already received"
    );
    assert_eq!(ask("receivable_exists", &f.h.change, ""), no, "not a send");
    assert_eq!(ask("receivable_exists", &f.h.genesis, ""), no, "not a send");
    assert_eq!(
        ask("pending_exists", &f.h.send4, ""),
        "{\n    \"deprecated\": \"1\",\n    \"exists\": \"1\"\n}\n"
    );
    for action in ["receivable_exists", "pending_exists"] {
        // Errors drop the deprecated key.
        for (body, error) in [
            (
                format!(r#"{{"action":"{action}"}}"#),
                "Unable to parse JSON",
            ),
            (
                format!(r#"{{"action":"{action}","hash":"q"}}"#),
                "Invalid block hash",
            ),
            (
                format!(r#"{{"action":"{action}","hash":"AB"}}"#),
                "Block not found",
            ),
        ] {
            assert_eq!(f.legacy(&body), legacy_error(error), "{body}");
        }
    }
}

#[test]
fn available_supply_follows_nano_node() {
    let (_dir, _ledger, handler) = Fixture::fresh();
    let fresh = blocks_support::call(
        &*handler,
        nanoipc::ipc::Encoding::JsonV1,
        r#"{"action":"available_supply"}"#,
    );
    assert_eq!(fresh, "{\n    \"available\": \"0\"\n}\n");
    // K holds 500 and 100 waits for the genesis account; the 5 raw sent to the burn account
    // do not count.
    let f = Fixture::new();
    assert_eq!(
        f.legacy(r#"{"action":"available_supply"}"#),
        "{\n    \"available\": \"600\"\n}\n"
    );
}

#[test]
fn uptime_is_whole_seconds() {
    let f = Fixture::new();
    let v = json(&f.legacy(r#"{"action":"uptime"}"#));
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["seconds"]);
    v["seconds"].as_str().unwrap().parse::<u64>().unwrap();
}

#[test]
fn confirmation_quorum_is_derived_from_the_ledger_weights() {
    let f = Fixture::new();
    // All weight in the ledger: every balance. The 100 raw still receivable by the genesis
    // account and the 5 raw sent to the burn account weigh nothing.
    let online = u128::MAX - 105;
    let delta = online / 100 * 67 + online % 100 * 67 / 100;
    let expected = format!(
        "{{\n    \"quorum_delta\": \"{delta}\",\n    \"online_weight_quorum_percent\": \"67\",\n    \"online_weight_minimum\": \"0\",\n    \"online_stake_total\": \"{online}\",\n    \"trended_stake_total\": \"{online}\",\n    \"peers_stake_total\": \"0\"\n}}\n"
    );
    assert_eq!(f.legacy(r#"{"action":"confirmation_quorum"}"#), expected);
    let with_peers = f.legacy(r#"{"action":"confirmation_quorum","peer_details":"true"}"#);
    assert_eq!(
        with_peers,
        expected.replace(
            "\"peers_stake_total\": \"0\"\n",
            "\"peers_stake_total\": \"0\",\n    \"peers\": \"\"\n"
        )
    );
    let total: u128 = f
        .ledger
        .representatives()
        .unwrap()
        .iter()
        .map(|(_, w)| w.0)
        .sum();
    assert_eq!(total, online);
}

#[test]
fn confirmation_history_lists_blocks_cemented_since_start() {
    let (_dir, _ledger, handler) = Fixture::fresh();
    assert_eq!(
        blocks_support::call(
            &*handler,
            nanoipc::ipc::Encoding::JsonV1,
            r#"{"action":"confirmation_history"}"#
        ),
        "{\n    \"confirmation_stats\": {\n        \"count\": \"0\"\n    },\n    \"confirmations\": \"\"\n}\n"
    );
    let f = Fixture::new();
    let v = json(&f.legacy(r#"{"action":"confirmation_history"}"#));
    assert_eq!(v["confirmation_stats"]["count"], "7");
    assert_eq!(v["confirmation_stats"]["average"], "0");
    let hashes: Vec<&str> = v["confirmations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["hash"].as_str().unwrap())
        .collect();
    let h = &f.h;
    let order: Vec<String> = [h.send1, h.open, h.send2, h.burn, h.recv, h.change, h.send4]
        .iter()
        .map(hex)
        .collect();
    assert_eq!(hashes, order);
    // Filtered by hash: one entry, exact keys and values.
    let body = format!(
        r#"{{"action":"confirmation_history","hash":"{}"}}"#,
        hex(&h.send2)
    );
    let time = f.timestamp(&h.send2) * 1000;
    assert_eq!(
        f.legacy(&body),
        format!(
            "{{\n    \"confirmation_stats\": {{\n        \"count\": \"1\",\n        \"average\": \"0\"\n    }},\n    \"confirmations\": [\n        {{\n            \"hash\": \"{}\",\n            \"duration\": \"0\",\n            \"time\": \"{time}\",\n            \"tally\": \"0\",\n            \"final\": \"0\",\n            \"blocks\": \"1\",\n            \"voters\": \"0\",\n            \"request_count\": \"0\"\n        }}\n    ]\n}}\n",
            hex(&h.send2)
        )
    );
    assert_eq!(
        f.legacy(r#"{"action":"confirmation_history","hash":"x"}"#),
        legacy_error("Invalid block hash")
    );
    // The genesis block was cemented before the node started, so it is not in the history.
    let body = format!(r#"{{"action":"confirmation_history","hash":"{GENESIS_HASH}"}}"#);
    assert_eq!(json(&f.legacy(&body))["confirmation_stats"]["count"], "0");
}
