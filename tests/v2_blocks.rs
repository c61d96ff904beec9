//! v2 block and node messages through the real handler over a real dev ledger: JSON envelopes
//! (encoding 4) for answers and errors, and one binary (encoding 3) round trip per answer shape.

mod blocks_support;
mod ledger_support;
mod support;

use blocks_support::{answer, v2_error, Fixture};
use nanoipc::ipc::Encoding;
use nanoipc::ledger::primitives::BlockHash;
use serde_json::{json, Value};
use support::{GENESIS, GENESIS_HASH, SUPPLY};

fn hex(h: &BlockHash) -> String {
    h.encode_hex()
}

const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[test]
fn version_block_count_and_uptime() {
    let f = Fixture::new();
    let v = f.v2("Version", "{}");
    let m = answer(&v, "VersionResponse");
    assert_eq!(m["rpc_version"], 1);
    assert_eq!(m["protocol_version"], 21);
    assert_eq!(m["store_version"], nanoipc::ledger::STORE_VERSION);
    assert_eq!(m["network"], "dev");
    assert_eq!(m["network_identifier"], GENESIS_HASH);
    assert!(m["node_vendor"].as_str().unwrap().starts_with("nanoipc "));
    assert!(m["store_vendor"].as_str().unwrap().starts_with("LMDB "));
    assert!(m["build_info"].is_string());
    // The same facts as the legacy action.
    let legacy: Value = serde_json::from_str(&f.legacy(r#"{"action":"version"}"#)).unwrap();
    assert_eq!(legacy["build_info"], m["build_info"]);

    let v = f.v2("BlockCount", "{}");
    let m = answer(&v, "BlockCountResponse");
    assert_eq!(
        (m["count"].as_u64(), m["cemented"].as_u64()),
        (Some(8), Some(8))
    );
    // Zero is the default and flatc's JSON leaves defaults out.
    assert_eq!(m["unchecked"].as_u64().unwrap_or(0), 0);

    let v = f.v2("Uptime", "{}");
    let m = answer(&v, "UptimeResponse");
    assert!(m.get("seconds").is_none_or(Value::is_u64), "{m}");
}

#[test]
fn available_supply() {
    let f = Fixture::new();
    let v = f.v2("AvailableSupply", "{}");
    assert_eq!(answer(&v, "AvailableSupplyResponse")["available"], "600");
}

#[test]
fn block_query_answers_block_info_with_sideband() {
    let f = Fixture::new();
    let v = f.v2("BlockQuery", &format!(r#"{{"hash":"{GENESIS_HASH}"}}"#));
    let m = answer(&v, "BlockInfo");
    assert_eq!(m["block_type"], "BlockOpen");
    assert_eq!(m["block"]["hash"], GENESIS_HASH);
    assert_eq!(m["block"]["account"], GENESIS);
    assert_eq!(m["block"]["work"], "7b42a00ee91d5810");
    assert_eq!(m["account"], GENESIS);
    assert_eq!(m["amount"], SUPPLY);
    assert_eq!(m["balance"], SUPPLY);
    assert_eq!(m["height"], 1);
    assert_eq!(m["local_timestamp"], f.timestamp(&f.h.genesis));
    assert_eq!(m["successor"], hex(&f.h.send1));
    assert_eq!(m["confirmed"], true);
    // Legacy blocks carry no subtype, as in nano-node's block_info.
    assert!(m.get("subtype").is_none(), "{m}");

    let v = f.v2(
        "BlockQuery",
        &format!(r#"{{"hash":"{}"}}"#, hex(&f.h.send2)),
    );
    let m = answer(&v, "BlockInfo");
    assert_eq!(m["block_type"], "BlockState");
    let k = f.k.account.encode_address();
    assert_eq!(
        m["block"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| *k != "signature" && *k != "work")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<serde_json::Map<_, _>>(),
        json!({
            "hash": hex(&f.h.send2),
            "account": k,
            "previous": hex(&f.h.open),
            "representative": GENESIS,
            "balance": "600",
            "link": "B0311EA55708D6A53C75CDBF88300259C6D018522FE3D4D0A242E431F9E8B6D0",
            "link_as_account": GENESIS,
            "subtype": "send",
        })
        .as_object()
        .unwrap()
        .clone()
    );
    assert_eq!(m["subtype"], "send");
    assert_eq!(m["amount"], "400");
    assert_eq!(m["height"], 2);
    // Extras are only for `Blocks` requests that ask for them.
    for key in ["receive_hash", "source_account", "receivable"] {
        assert!(m.get(key).is_none(), "{key}: {m}");
    }
}

#[test]
fn block_query_errors() {
    let f = Fixture::new();
    for (message, code, text) in [
        (r#"{"hash":"xyz"}"#, 4, "Invalid block hash"),
        (r#"{"hash":""}"#, 4, "Invalid block hash"),
        (r#"{"hash":"FF"}"#, 4, "Block not found"),
    ] {
        let v = f.v2("BlockQuery", message);
        assert_eq!(v2_error(&v), (code, text.to_owned()), "{message}");
    }
    // A missing required field is a malformed message (code 1), not an argument error.
    let (code, _) = v2_error(&f.v2("BlockQuery", "{}"));
    assert_eq!(code, 1);
}

#[test]
fn blocks_with_extras_and_not_found() {
    let f = Fixture::new();
    let h = &f.h;
    let message = format!(
        r#"{{"hashes":["{}","{}","ff","{}"],"include_not_found":true,"receivable":true,"receive_hash":true,"source":true}}"#,
        hex(&h.send2),
        hex(&h.send4),
        hex(&h.open)
    );
    let v = f.v2("Blocks", &message);
    let m = answer(&v, "BlocksResponse");
    let blocks = m["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 3);
    let extras = |b: &Value| {
        (
            b["block"]["hash"].as_str().unwrap().to_owned(),
            b["receivable"].as_bool().unwrap_or(false),
            b["receive_hash"].as_str().unwrap().to_owned(),
            b["source_account"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(
        extras(&blocks[0]),
        (hex(&h.send2), false, hex(&h.recv), "0".to_owned())
    );
    assert_eq!(
        extras(&blocks[1]),
        (hex(&h.send4), true, ZERO_HASH.to_owned(), "0".to_owned())
    );
    assert_eq!(
        extras(&blocks[2]),
        (
            hex(&h.open),
            false,
            ZERO_HASH.to_owned(),
            GENESIS.to_owned()
        )
    );
    assert_eq!(m["blocks_not_found"], json!(["ff"]));

    // Without include_not_found an unknown hash fails the request; a malformed one always does.
    let v = f.v2("Blocks", r#"{"hashes":["ff"]}"#);
    assert_eq!(v2_error(&v), (4, "Block not found".to_owned()));
    let v = f.v2("Blocks", r#"{"hashes":["zz"],"include_not_found":true}"#);
    assert_eq!(v2_error(&v), (4, "Bad hash number".to_owned()));
    // An empty list is an empty answer.
    let v = f.v2("Blocks", r#"{"hashes":[]}"#);
    let m = answer(&v, "BlocksResponse");
    assert!(m["blocks"].as_array().is_none_or(Vec::is_empty), "{m}");
    assert!(m.get("blocks_not_found").is_none(), "{m}");
}

#[test]
fn chain_and_successors() {
    let f = Fixture::new();
    let h = &f.h;
    let walk = |kind: &str, message: String| {
        let v = f.v2(kind, &message);
        answer(&v, "ChainResponse")["blocks"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let back: Vec<String> = [h.send4, h.send2, h.open].iter().map(hex).collect();
    let start = hex(&h.send4);
    assert_eq!(
        walk("Chain", format!(r#"{{"block":"{start}","count":10}}"#)),
        back
    );
    assert_eq!(
        walk(
            "Chain",
            format!(r#"{{"block":"{start}","count":1,"offset":1}}"#)
        ),
        back[1..2]
    );
    let mut forward = back.clone();
    forward.reverse();
    let open = hex(&h.open);
    assert_eq!(
        walk("Successors", format!(r#"{{"block":"{open}","count":10}}"#)),
        forward
    );
    assert_eq!(
        walk(
            "Successors",
            format!(r#"{{"block":"{start}","count":10,"reverse":true}}"#)
        ),
        back
    );
    assert_eq!(
        walk(
            "Chain",
            format!(r#"{{"block":"{open}","count":10,"reverse":true}}"#)
        ),
        forward
    );
    assert!(walk("Chain", r#"{"block":"ff","count":3}"#.to_owned()).is_empty());
    for kind in ["Chain", "Successors"] {
        // A missing count reads 0, which nano-node refuses.
        let v = f.v2(kind, &format!(r#"{{"block":"{start}"}}"#));
        assert_eq!(v2_error(&v), (4, "Invalid count".to_owned()));
        let v = f.v2(kind, r#"{"block":"no","count":1}"#);
        assert_eq!(v2_error(&v), (4, "Invalid block hash".to_owned()));
    }
}

#[test]
fn receivable_exists() {
    let f = Fixture::new();
    let ask = |h: &BlockHash, extra: &str| {
        let v = f.v2(
            "ReceivableExists",
            &format!(r#"{{"hash":"{}"{extra}}}"#, hex(h)),
        );
        answer(&v, "ReceivableExistsResponse")["exists"]
            .as_bool()
            .unwrap_or(false)
    };
    assert!(ask(&f.h.send4, ""));
    assert!(ask(
        &f.h.send4,
        r#","include_active":true,"include_only_confirmed":false"#
    ));
    assert!(!ask(&f.h.send2, ""));
    assert!(!ask(&f.h.change, ""));
    let v = f.v2("ReceivableExists", r#"{"hash":"AB"}"#);
    assert_eq!(v2_error(&v), (4, "Block not found".to_owned()));
    let v = f.v2("ReceivableExists", r#"{"hash":"-"}"#);
    assert_eq!(v2_error(&v), (4, "Invalid block hash".to_owned()));
}

#[test]
fn binary_block_query_round_trips_the_union() {
    use flatbuffers::FlatBufferBuilder;
    use nanoipc::schema::*;

    let f = Fixture::new();
    let mut fbb = FlatBufferBuilder::new();
    let hash = fbb.create_string(&hex(&f.h.change));
    let req = BlockQuery::create(&mut fbb, &BlockQueryArgs { hash: Some(hash) });
    let env = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            time: 0,
            credentials: None,
            correlation_id: None,
            message_type: Message::BlockQuery,
            message: Some(req.as_union_value()),
        },
    );
    finish_envelope_buffer(&mut fbb, env);
    let body = fbb.finished_data();
    let out = blocks_support::call_bytes(&*f.handler, Encoding::Flatbuffers, body);
    let env = root_as_envelope(&out).unwrap();
    let info = env.message_as_block_info().expect("a BlockInfo answer");
    let state = info.block_as_block_state().expect("a state block");
    assert_eq!(state.hash(), Some(hex(&f.h.change).as_str()));
    assert_eq!(state.subtype(), BlockSubType::change);
    assert_eq!(info.subtype(), BlockSubType::change);
    assert_eq!(info.amount(), Some("0"));
    assert_eq!(info.height(), 5);
    assert!(info.confirmed());
    assert_eq!(info.successor(), Some(ZERO_HASH));
}
