//! v2 messages of the keys group in the JSON envelope (encoding 4) through the real request path:
//! KeyCreate/KeyExpand/DeterministicKey, ValidateAccountNumber, WorkGenerate/WorkValidate/
//! WorkCancel, BlockCreate → Process chains, Sign, the JS library's chain, and the error codes.

mod keys_support;

use keys_support::*;
use nanoipc::ledger::primitives::{BlockHash, Network};
use serde_json::{json, Value};

/// A schema `BlockState` object from nano-node's block JSON (the JS files use that form).
fn state_object(block: &Value) -> Value {
    let mut b = block.clone();
    b.as_object_mut().unwrap().remove("type");
    b
}

fn process(node: &Node, block: &Value, subtype: Option<&str>) -> (String, Value) {
    let mut msg = json!({"block_type": "BlockState", "block": block});
    if let Some(s) = subtype {
        msg["subtype"] = json!(s);
    }
    node.v2("Process", msg)
}

#[test]
fn key_messages() {
    let node = Node::dev();
    let a = node.v2_ok("KeyExpand", json!({"key": GENESIS_KEY}), "KeyPair");
    assert_eq!(
        a,
        json!({"private": GENESIS_KEY, "public": GENESIS_PUB, "account": GENESIS})
    );
    for v in js_vectors()["keys"].as_array().unwrap() {
        let a = node.v2_ok(
            "DeterministicKey",
            json!({"seed": v["seed"], "index": v["index"]}),
            "KeyPair",
        );
        assert_eq!(a["private"], v["secret_key"]);
        assert_eq!(a["account"], v["address"]);
    }
    let created = node.v2_ok("KeyCreate", json!({}), "KeyPair");
    assert_eq!(
        node.v2_ok("KeyExpand", json!({"key": created["private"]}), "KeyPair"),
        created
    );
    assert_eq!(
        node.v2_err("KeyExpand", json!({"key": "xyz"})),
        (4, "Bad private key".into())
    );
    assert_eq!(
        node.v2_err("DeterministicKey", json!({"seed": "", "index": 1})),
        (4, "Bad seed".into())
    );
    assert_eq!(node.v2_err("KeyExpand", json!({})).0, 1);
    let a = node.v2_ok(
        "ValidateAccountNumber",
        json!({"account": GENESIS}),
        "ValidateAccountNumberResponse",
    );
    assert_eq!(a["valid"], true);
    for bad in js_vectors()["invalid_addresses"].as_array().unwrap() {
        let a = node.v2_ok(
            "ValidateAccountNumber",
            json!({"account": bad["address"]}),
            "ValidateAccountNumberResponse",
        );
        assert_eq!(
            a.get("valid").cloned().unwrap_or(json!(false)),
            false,
            "{bad}"
        );
    }
}

#[test]
fn work_messages() {
    let node = Node::dev();
    let root = "44A6CC04A2E4EC8D60ADFD2CD8B0C91B8B19E2C78B93435B80334DA53EE4896F";
    let g = node.v2_ok(
        "WorkGenerate",
        json!({"hash": root}),
        "WorkGenerateResponse",
    );
    assert_eq!(g["hash"], root);
    let v = node.v2_ok(
        "WorkValidate",
        json!({"hash": root, "work": g["work"]}),
        "WorkValidateResponse",
    );
    assert_eq!(
        (v["valid"].clone(), v["valid_all"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(v["difficulty"], g["difficulty"]);
    assert!(g["multiplier"].as_f64().unwrap() >= 1.0);
    for w in js_vectors()["work"].as_array().unwrap() {
        let v = node.v2_ok(
            "WorkValidate",
            json!({"hash": w["root"], "work": w["work"], "difficulty": w["threshold"]}),
            "WorkValidateResponse",
        );
        assert_eq!(
            v.get("valid").cloned().unwrap_or(json!(false)),
            w["valid"],
            "{w}"
        );
    }
    let limit = "Difficulty above config limit or below publish threshold";
    for (msg, expected) in [
        (json!({"hash": root, "multiplier": 65.0}), (4, limit)),
        (
            json!({"hash": root, "difficulty": "0000000000000001"}),
            (4, limit),
        ),
        (
            json!({"hash": root, "multiplier": -1.0}),
            (4, "Bad multiplier"),
        ),
        (
            json!({"hash": root, "version": "work_2"}),
            (4, "Bad work version"),
        ),
        (json!({"hash": "xyz"}), (4, "Invalid block hash")),
        (
            json!({"hash": root, "block_type": "BlockState", "block": {}}),
            (4, "Block is invalid"),
        ),
    ] {
        assert_eq!(
            node.v2_err("WorkGenerate", msg.clone()),
            (expected.0, expected.1.to_owned()),
            "{msg}"
        );
    }
    assert_eq!(
        node.v2_ok("WorkCancel", json!({"hash": root}), "Success"),
        json!({})
    );
    assert_eq!(
        node.v2_err("WorkCancel", json!({"hash": "q"})),
        (4, "Invalid block hash".into())
    );
}

#[test]
fn work_cancel_answers_cancelled() {
    // The live base difficulty cannot finish in a test's lifetime: only a cancel ends it.
    let node = Node::new(Network::Live);
    let root = "E1AFE3594C794B2A61E5D396BEC9159126B9BD25F925BA5ED04E3F6C5FC414D2";
    let root_hash = BlockHash::decode_hex(root).unwrap();
    std::thread::scope(|s| {
        let worker = s.spawn(|| node.v2_err("WorkGenerate", json!({"hash": root})));
        while node.api().work_running(&root_hash) == 0 {
            std::thread::yield_now();
        }
        node.v2_ok("WorkCancel", json!({"hash": root}), "Success");
        assert_eq!(worker.join().unwrap(), (9, "Cancelled".into()));
    });
    assert_eq!(node.api().work_running(&root_hash), 0);
}

/// key_create → send from genesis → open → change, built by BlockCreate and submitted by Process.
#[test]
fn create_and_process_a_chain() {
    let node = Node::dev();
    let key = node.v2_ok("KeyCreate", json!({}), "KeyPair");
    let amount: u128 = 7_000_000;
    let send = node.v2_ok(
        "BlockCreate",
        json!({
            "key": GENESIS_KEY, "previous": GENESIS_HASH, "representative": GENESIS,
            "balance": (SUPPLY - amount).to_string(), "link": key["account"]
        }),
        "BlockCreateResponse",
    );
    assert_eq!(send["block_type"], "BlockState");
    assert_eq!(send["block"]["hash"], send["hash"]);
    let (ty, answer) = process(&node, &send["block"], Some("send"));
    assert_eq!(
        (ty.as_str(), &answer["hash"]),
        ("ProcessResponse", &send["hash"])
    );
    // Visible at once: a resubmission is refused by the ledger (code 8).
    assert_eq!(process(&node, &send["block"], None).1["code"], 8);
    let open = node.v2_ok(
        "BlockCreate",
        json!({
            "key": key["private"], "account": key["account"], "previous": "0",
            "representative": key["account"], "balance": amount.to_string(), "link": send["hash"]
        }),
        "BlockCreateResponse",
    );
    let (_, refused) = process(&node, &open["block"], Some("change"));
    assert_eq!(
        (refused["code"].clone(), refused["message"].clone()),
        (json!(4), json!("Invalid block balance for given subtype"))
    );
    assert_eq!(
        process(&node, &open["block"], Some("open")).1["hash"],
        open["hash"]
    );
    let change = node.v2_ok(
        "BlockCreate",
        json!({
            "key": key["private"], "previous": open["hash"], "representative": GENESIS,
            "balance": amount.to_string(), "link": "0"
        }),
        "BlockCreateResponse",
    );
    assert_eq!(
        process(&node, &change["block"], Some("change")).1["hash"],
        change["hash"]
    );
    let weight = node.v2_ok(
        "AccountWeight",
        json!({"account": GENESIS}),
        "AccountWeightResponse",
    );
    assert_eq!(
        weight["voting_weight"],
        (SUPPLY - amount + amount).to_string()
    );
    assert_eq!(node.ledger.block_count().unwrap().count, 4);
}

#[test]
fn block_create_and_sign_errors() {
    let node = Node::dev();
    let requirements =
        "Previous, representative, final balance and link (source or destination) are required";
    for (msg, error) in [
        (json!({"key": "x"}), "Bad private key"),
        (
            json!({"key": "0", "previous": GENESIS_HASH, "representative": GENESIS, "link": GENESIS}),
            "Private key or local wallet and account required",
        ),
        (
            json!({"key": GENESIS_KEY, "account": "nano_1"}),
            "Bad account number",
        ),
        (
            json!({"key": GENESIS_KEY, "representative": GENESIS, "link": GENESIS}),
            requirements,
        ),
        (
            json!({"key": GENESIS_KEY, "previous": GENESIS_HASH, "representative": GENESIS, "link": GENESIS, "account": "nano_1111111111111111111111111111111111111111111111111111hifc8npp"}),
            "Incorrect key for given account",
        ),
        (
            json!({"key": GENESIS_KEY, "balance": "1.0"}),
            "Invalid balance number",
        ),
    ] {
        assert_eq!(
            node.v2_err("BlockCreate", msg.clone()),
            (4, error.to_owned()),
            "{msg}"
        );
    }
    let block = json!({
        "account": GENESIS, "previous": GENESIS_HASH, "representative": GENESIS,
        "balance": "340282366920938463463374607431768211454", "link": GENESIS_PUB,
        "signature": "0", "work": "00000000000000b7"
    });
    let signed = node.v2_ok(
        "Sign",
        json!({"key": GENESIS_KEY, "block_type": "BlockState", "block": block}),
        "SignResponse",
    );
    assert_eq!(signed["signature"], "B098844D5A4B7D10D38EDAF2EB96809B5BED8887B39FA9AEB9F2FE92C5336DEB88E7175FB770F78A725A0A78B27719D40ADFC6164771D03B7252B7C7628F4C07");
    assert_eq!(signed["block"]["signature"], signed["signature"]);
    assert_eq!(
        signed["block"]["hash"],
        "70220D28430899C3983A8FEF528B1B0D64C494067F8A2FDD7CF29016B14B599B"
    );
    assert_eq!(
        node.v2_err("Sign", json!({"key": GENESIS_KEY, "hash": GENESIS_HASH})),
        (4, "Signing by block hash is disabled".into())
    );
    assert_eq!(
        node.v2_err("Sign", json!({"key": GENESIS_KEY})),
        (4, "Block is invalid".into())
    );
}

/// The JS library's chain through v2 Process: steps accepted, bad blocks refused with code 8 and
/// nano-node's text (or code 4 for the pre-ledger work check).
#[test]
fn js_chain_through_process() {
    let node = Node::dev();
    let chain = js_chain();
    for step in chain["steps"].as_array().unwrap() {
        let (ty, a) = process(
            &node,
            &state_object(&step["block"]),
            step["subtype"].as_str(),
        );
        assert_eq!(
            (ty.as_str(), &a["hash"]),
            ("ProcessResponse", &step["hash"]),
            "{}",
            step["name"]
        );
    }
    for bad in chain["bad"].as_array().unwrap() {
        let (_, a) = process(&node, &state_object(&bad["block"]), None);
        let expected = match bad["expect"].as_str().unwrap() {
            "insufficient_work" => {
                json!({"code": 4, "category": 1, "message": "Block work is less than threshold"})
            }
            other => json!({"code": 8, "category": 1, "message": result_text(other)}),
        };
        assert_eq!(a, expected, "{}", bad["name"]);
    }
    for (name, balance) in chain["expect"]["balances"].as_object().unwrap() {
        let account = nanoipc::ledger::primitives::Account::from_address(name).unwrap();
        let held = node
            .ledger
            .account_info(&account)
            .unwrap()
            .map_or(0, |i| i.balance.0);
        assert_eq!(held.to_string(), balance.as_str().unwrap(), "{name}");
    }
}
