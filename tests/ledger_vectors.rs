//! Every primitive against vectors made by the independent JS `nanocurrency` library.

use nanoipc::ledger::primitives::*;
use serde_json::Value;

fn vectors() -> Value {
    let text = include_str!("data/nano-js-vectors.json");
    serde_json::from_str(text).unwrap()
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("missing {k}"))
}

#[test]
fn dev_genesis_key() {
    let v = vectors();
    let g = &v["dev_genesis"];
    let key = RawKey::decode_hex(str_of(g, "secret_key")).unwrap();
    let account = public_key(&key);
    assert_eq!(account.encode_hex(), str_of(g, "public_key"));
    assert_eq!(account.encode_address(), str_of(g, "address"));
    assert_eq!(account.encode_with_prefix("xrb_"), str_of(g, "address_xrb"));
    // The bundled genesis block is signed by this key and hashes to the known identifier.
    let genesis = Network::Dev.genesis_block().unwrap();
    assert_eq!(genesis.hash(), Network::Dev.genesis_hash());
    assert!(verify_hash(&account, &genesis.hash(), &genesis.signature()));
    assert_eq!(sign_hash(&key, &genesis.hash()), genesis.signature());
    assert!(work_valid(
        &genesis.root(),
        genesis.work(),
        Network::Dev.thresholds().epoch_1
    ));
}

#[test]
fn bundled_genesis_blocks_are_genuine() {
    for network in [Network::Dev, Network::Live] {
        let g = network.genesis_block().unwrap();
        assert_eq!(g.hash(), network.genesis_hash(), "{network}");
        let account = g.account_field().unwrap();
        assert!(
            verify_hash(&account, &g.hash(), &g.signature()),
            "{network}"
        );
        assert!(
            work_valid(&g.root(), g.work(), network.thresholds().epoch_1),
            "{network}"
        );
    }
    assert_eq!(
        Network::Live
            .genesis_block()
            .unwrap()
            .account_field()
            .unwrap()
            .encode_address(),
        "nano_3t6k35gi95xu6tergt6p69ck76ogmitsa8mnijtpxm9fkcm736xtoncuohr3"
    );
    assert!(Network::Beta.genesis_block().is_none());
}

#[test]
fn keys_and_addresses() {
    let v = vectors();
    let keys = v["keys"].as_array().unwrap();
    assert!(!keys.is_empty());
    for k in keys {
        let seed = RawKey::decode_hex(str_of(k, "seed")).unwrap();
        let index = u32::try_from(k["index"].as_u64().unwrap()).unwrap();
        let private = deterministic_key(&seed, index);
        assert_eq!(private.encode_hex(), str_of(k, "secret_key"));
        let account = public_key(&private);
        assert_eq!(account.encode_hex(), str_of(k, "public_key"));
        assert_eq!(account.encode_address(), str_of(k, "address"));
        assert_eq!(account.encode_with_prefix("xrb_"), str_of(k, "address_xrb"));
        for form in [str_of(k, "address"), str_of(k, "address_xrb")] {
            let (decoded, prefix) = Account::decode_address(form).unwrap();
            assert_eq!(decoded, account);
            assert!(!prefix.is_deprecated());
        }
        let dashed = str_of(k, "address").replacen('_', "-", 1);
        let (decoded, prefix) = Account::decode_address(&dashed).unwrap();
        assert_eq!(decoded, account);
        assert!(prefix.is_deprecated());
    }
}

#[test]
fn invalid_addresses() {
    let v = vectors();
    for a in v["invalid_addresses"].as_array().unwrap() {
        let text = str_of(a, "address");
        let why = str_of(a, "why");
        let err = Account::decode_address(text).unwrap_err();
        let expected = match why.split(' ').next().unwrap() {
            "checksum" => PrimitiveError::AddressChecksum,
            "length" => PrimitiveError::AddressLength,
            "alphabet" => PrimitiveError::AddressAlphabet,
            "prefix" => PrimitiveError::AddressPrefix,
            other => panic!("unknown reason {other}"),
        };
        assert_eq!(err, expected, "{text} ({why})");
    }
}

#[test]
fn state_block_hashes_signatures_and_json() {
    let v = vectors();
    let blocks = v["state_blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 24);
    for case in blocks {
        let block = Block::from_json(&case["block"]).unwrap();
        let hash = block.hash();
        assert_eq!(hash.encode_hex(), str_of(case, "hash"), "{}", case["kind"]);
        let key = RawKey::decode_hex(str_of(case, "secret_key")).unwrap();
        let account = public_key(&key);
        assert_eq!(Some(account), block.account_field());
        assert_eq!(sign_hash(&key, &hash), block.signature());
        assert!(verify_hash(&account, &hash, &block.signature()));
        let mut tampered = block.signature();
        tampered.0[5] ^= 1;
        assert!(!verify_hash(&account, &hash, &tampered));
        // Rendering reproduces every field (addresses in the nano_ form) in nano-node's order.
        let rendered = block.to_json();
        let keys: Vec<&str> = rendered
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "type",
                "account",
                "previous",
                "representative",
                "balance",
                "link",
                "link_as_account",
                "signature",
                "work"
            ]
        );
        for k in ["previous", "balance", "link", "signature", "work"] {
            assert_eq!(rendered[k], case["block"][k], "{k}");
        }
        for k in ["account", "representative", "link_as_account"] {
            let ours = Account::from_address(rendered[k].as_str().unwrap()).unwrap();
            let theirs = Account::from_address(str_of(&case["block"], k)).unwrap();
            assert_eq!(ours, theirs);
        }
        assert_eq!(Block::from_json(&rendered).unwrap(), block);
    }
}

#[test]
fn work_cases() {
    let v = vectors();
    let live_epoch2 = Network::Live.thresholds().epoch_2;
    for w in v["work"].as_array().unwrap() {
        let root = BlockHash::decode_hex(str_of(w, "root")).unwrap();
        let work = Work::decode_hex(str_of(w, "work")).unwrap();
        let threshold = u64::from_str_radix(str_of(w, "threshold"), 16).unwrap();
        assert_eq!(
            work_valid(&root.0, work, threshold),
            w["valid"].as_bool().unwrap()
        );
        assert_eq!(
            work_valid(&root.0, work, live_epoch2),
            w["valid_at_live_epoch2"].as_bool().unwrap()
        );
    }
}

#[test]
fn reference_example_block() {
    // §5.4 of the reference: a dev send of 1 raw from genesis to itself.
    let text = r#"{"type":"state","account":"nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo","previous":"04270D7F11C4B2B472F2854C5A59F2A7E84226CE9ED799DE75744BD7D85FC9D9","representative":"nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo","balance":"340282366920938463463374607431768211454","link":"nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo","signature":"B098844D5A4B7D10D38EDAF2EB96809B5BED8887B39FA9AEB9F2FE92C5336DEB88E7175FB770F78A725A0A78B27719D40ADFC6164771D03B7252B7C7628F4C07","work":"00000000000000b7"}"#;
    let block = Block::from_json_str(text).unwrap();
    assert_eq!(
        block.hash().encode_hex(),
        "70220D28430899C3983A8FEF528B1B0D64C494067F8A2FDD7CF29016B14B599B"
    );
    assert_eq!(
        work_value(&block.root(), block.work()),
        0xfee3_e745_601d_4da4
    );
}

#[test]
fn nano_amount_edges() {
    assert!(Amount::parse_nano("340282366.920938463463374607431768211456").is_err());
    assert!(Amount::parse_nano("1.").is_err());
    assert!(Amount::parse_nano(".5").is_err());
    assert!(Amount::parse_nano("0.0000000000000000000000000000001").is_err());
    assert_eq!(Amount::parse_nano("0.5").unwrap().format_nano(), "0.5");
}

#[test]
fn units() {
    let v = vectors();
    for u in v["units"].as_array().unwrap() {
        let raw = Amount::decode_dec(str_of(u, "raw")).unwrap();
        assert_eq!(raw.encode_dec(), str_of(u, "raw"));
        assert_eq!(raw.format_nano(), str_of(u, "nano"));
        assert_eq!(Amount::parse_nano(str_of(u, "nano")).unwrap(), raw);
    }
}
