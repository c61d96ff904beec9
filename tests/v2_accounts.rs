//! v2 account messages over a real dev ledger, through the real handler in encoding 4 (the JSON
//! envelope): answers, defaults taken from nano-node's legacy defaults, and code-4 errors with
//! nano-node's text.

mod accounts_support;

use accounts_support::*;
use serde_json::{json, Value};

/// The answer's message, asserting its type.
fn ok(answer: Value, message_type: &str) -> Value {
    assert_eq!(answer["message_type"], message_type, "{answer}");
    answer["message"].clone()
}

/// Asserts an `Error` answer with code 4 and `text`.
fn invalid(answer: Value, text: &str) {
    assert_eq!(answer["message_type"], "Error", "{answer}");
    assert_eq!(answer["message"]["code"], 4, "{answer}");
    assert_eq!(answer["message"]["message"], text, "{answer}");
}

#[test]
fn account_balance_and_representative() {
    let f = Fixture::new();
    let m = ok(
        f.v2("AccountBalance", json!({"account": f.b_addr()})),
        "AccountBalanceResponse",
    );
    assert_eq!(m, json!({"balance": "0", "receivable": "5"}));
    let m = ok(
        f.v2(
            "AccountBalance",
            json!({"account": f.a_addr(), "include_only_confirmed": false}),
        ),
        "AccountBalanceResponse",
    );
    assert_eq!(
        m,
        json!({"balance": (19 * NANO).to_string(), "receivable": "7"})
    );
    invalid(
        f.v2("AccountBalance", json!({"account": "nano_1"})),
        "Bad account number",
    );
    let m = ok(
        f.v2("AccountRepresentative", json!({"account": f.a_addr()})),
        "AccountRepresentativeResponse",
    );
    assert_eq!(m, json!({"representative": f.a_addr()}));
    invalid(
        f.v2("AccountRepresentative", json!({"account": f.b_addr()})),
        "Account not found",
    );
    // A missing required field is a format error (code 1), not a silent default.
    let missing = f.v2("AccountRepresentative", json!({}));
    assert_eq!(missing["message"]["code"], 1, "{missing}");
}

#[test]
fn account_info_fields() {
    let f = Fixture::new();
    let a = f.a_addr();
    let m = ok(
        f.v2("AccountInfo", json!({"account": a})),
        "AccountInfoResponse",
    );
    assert_eq!(
        m,
        json!({
            "frontier": h(&f.send_a),
            "open_block": h(&f.open_a),
            "representative_block": h(&f.send_a),
            "balance": (19 * NANO).to_string(),
            "modified_timestamp": f.modified(&f.a.account),
            "block_count": 3,
            "confirmed_height": 3,
            "confirmed_frontier": h(&f.send_a),
        })
    );
    let m = ok(
        f.v2(
            "AccountInfo",
            json!({"account": a, "representative": true, "weight": true, "receivable": true, "include_confirmed": true}),
        ),
        "AccountInfoResponse",
    );
    assert_eq!(m["representative"], a);
    assert_eq!(m["weight"], (19 * NANO).to_string());
    assert_eq!(m["receivable"], "7");
    assert_eq!(m["confirmed_balance"], (19 * NANO).to_string());
    assert_eq!(m["confirmed_representative"], a);
    assert_eq!(m["confirmed_receivable"], "7");
    invalid(
        f.v2("AccountInfo", json!({"account": f.b_addr()})),
        "Account not found",
    );
}

#[test]
fn account_history_pages_and_errors() {
    let f = Fixture::new();
    let a = f.a_addr();
    let m = ok(
        f.v2("AccountHistory", json!({"account": a, "count": 1})),
        "AccountHistoryResponse",
    );
    assert_eq!(m["account"], a);
    assert_eq!(
        m["history"],
        json!([{
            "type": "send",
            "account": GENESIS,
            "amount": NANO.to_string(),
            "local_timestamp": f.timestamp(&f.send_a),
            "height": 3,
            "hash": h(&f.send_a),
            "confirmed": true,
        }])
    );
    assert_eq!(m["previous"], h(&f.change_a));
    assert!(m.get("next").is_none());
    let raw = ok(
        f.v2(
            "AccountHistory",
            json!({"head": h(&f.change_a), "count": 1, "raw": true, "reverse": true}),
        ),
        "AccountHistoryResponse",
    );
    let e = &raw["history"][0];
    assert_eq!(e["type"], "state");
    assert_eq!(e["subtype"], "change");
    assert_eq!(e["link"], "0".repeat(64));
    assert_eq!(e["previous"], h(&f.open_a));
    assert_eq!(raw["next"], h(&f.send_a));
    let filtered = ok(
        f.v2(
            "AccountHistory",
            json!({"account": GENESIS, "count": 10, "offset": 1, "account_filter": [f.b_addr()]}),
        ),
        "AccountHistoryResponse",
    );
    let hashes: Vec<&Value> = filtered["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["hash"])
        .collect();
    assert_eq!(hashes, [&json!(h(&f.send2)), &json!(GENESIS_HASH)]);
    invalid(
        f.v2("AccountHistory", json!({"account": a})),
        "Invalid count",
    );
    invalid(
        f.v2("AccountHistory", json!({"head": "xyz", "count": 1})),
        "Bad hash number",
    );
    invalid(
        f.v2(
            "AccountHistory",
            json!({"head": "1".repeat(64), "count": 1}),
        ),
        "Block not found",
    );
    invalid(
        f.v2("AccountHistory", json!({"count": 1})),
        "Bad account number",
    );
    invalid(
        f.v2(
            "AccountHistory",
            json!({"account": f.b_addr(), "count": 1, "reverse": true}),
        ),
        "Account not found",
    );
    invalid(
        f.v2(
            "AccountHistory",
            json!({"account": a, "count": 1, "account_filter": ["bad"]}),
        ),
        "Bad account number",
    );
}

#[test]
fn accounts_balances_per_entry_errors() {
    let f = Fixture::new();
    let m = ok(
        f.v2(
            "AccountsBalances",
            json!({"accounts": [f.b_addr(), "nano_1"]}),
        ),
        "AccountsBalancesResponse",
    );
    assert_eq!(
        m,
        json!({"balances": [
            {"account": f.b_addr(), "balance": "0", "receivable": "5"},
            {"account": "nano_1", "error": "Bad account number"},
        ]})
    );
    let empty = ok(
        f.v2("AccountsBalances", json!({"accounts": []})),
        "AccountsBalancesResponse",
    );
    assert_eq!(empty, json!({"balances": []}));
}

#[test]
fn receivable_options() {
    let f = Fixture::new();
    let g = ok(
        f.v2(
            "Receivable",
            json!({"account": GENESIS, "source": true, "min_version": true}),
        ),
        "ReceivableResponse",
    );
    assert_eq!(
        g,
        json!({"blocks": [{"hash": h(&f.send_a), "amount": NANO.to_string(), "source": f.a_addr()}]})
    );
    let none = ok(
        f.v2(
            "Receivable",
            json!({"account": f.a_addr(), "threshold": "8", "sorting": true}),
        ),
        "ReceivableResponse",
    );
    assert_eq!(none, json!({"blocks": []}));
    let skipped = ok(
        f.v2("Receivable", json!({"account": f.b_addr(), "offset": 1})),
        "ReceivableResponse",
    );
    assert_eq!(skipped, json!({"blocks": []}));
    let counted = ok(
        f.v2("Receivable", json!({"account": f.b_addr(), "count": 0})),
        "ReceivableResponse",
    );
    assert_eq!(counted, json!({"blocks": []}));
    invalid(
        f.v2(
            "Receivable",
            json!({"account": f.b_addr(), "threshold": "1.5"}),
        ),
        "Bad threshold number",
    );
    invalid(
        f.v2("Receivable", json!({"account": "x"})),
        "Bad account number",
    );
}

#[test]
fn representatives_delegators_frontiers() {
    let f = Fixture::new();
    let a = f.a_addr();
    let gweight = (u128::MAX - 20 * NANO - 12).to_string();
    let sorted = ok(
        f.v2("Representatives", json!({"sorting": true})),
        "RepresentativesResponse",
    );
    assert_eq!(
        sorted,
        json!({"representatives": [
            {"account": GENESIS, "weight": gweight},
            {"account": a, "weight": (19 * NANO).to_string()},
        ]})
    );
    let unsorted = ok(
        f.v2("Representatives", json!({})),
        "RepresentativesResponse",
    );
    let mut accounts: Vec<String> = unsorted["representatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["account"].as_str().unwrap().to_owned())
        .collect();
    let listed = accounts.clone();
    accounts.sort();
    assert_eq!(listed, accounts, "account-ascending order");
    let one = ok(
        f.v2("Representatives", json!({"count": 1})),
        "RepresentativesResponse",
    );
    assert_eq!(one["representatives"].as_array().unwrap().len(), 1);

    let d = ok(
        f.v2("Delegators", json!({"account": GENESIS})),
        "DelegatorsResponse",
    );
    assert_eq!(
        d,
        json!({"delegators": [{"account": GENESIS, "balance": gweight}]})
    );
    let d = ok(
        f.v2(
            "Delegators",
            json!({"account": a, "threshold": (20 * NANO).to_string()}),
        ),
        "DelegatorsResponse",
    );
    assert_eq!(d, json!({"delegators": []}));
    invalid(
        f.v2("Delegators", json!({"account": a, "start": "bad"})),
        "Bad account number",
    );

    let burn = "nano_1111111111111111111111111111111111111111111111111111hifc8npp";
    let fr = ok(
        f.v2("Frontiers", json!({"account": burn, "count": 1})),
        "FrontiersResponse",
    );
    let first = &fr["frontiers"][0];
    assert!(first["account"] == json!(a) || first["account"] == json!(GENESIS));
    assert_eq!(fr["frontiers"].as_array().unwrap().len(), 1);
    invalid(f.v2("Frontiers", json!({"account": burn})), "Invalid count");
}

/// `AccountInfo` and `AccountHistory` answer in encoding 4 from their typed values (no response
/// buffer is built); in encoding 3 from the builder. Both must say the same thing: the binary
/// answer written as JSON by the generated writer is the JSON answer, byte for byte (but `time`).
#[test]
fn json_answers_match_the_binary_answers() {
    use nanoipc::api::{Caller, Encoding};
    use nanoipc::schema::json::{envelope_from_json, envelope_to_json};
    use nanoipc::schema::{root_as_envelope, JsonOptions};
    let f = Fixture::new();
    let (a, b) = (f.a_addr(), f.b_addr());
    let requests = [
        json!({"message_type": "AccountInfo", "message": {"account": a}}),
        json!({"correlation_id": "c-1", "message_type": "AccountInfo", "message": {
            "account": a, "representative": true, "weight": true, "receivable": true,
            "include_confirmed": true}}),
        json!({"message_type": "AccountInfo", "message": {"account": GENESIS, "weight": true}}),
        json!({"message_type": "AccountInfo", "message": {"account": b}}),
        json!({"message_type": "AccountHistory", "message": {"account": a, "count": 10}}),
        json!({"message_type": "AccountHistory", "message": {"account": GENESIS, "count": 2}}),
        json!({"correlation_id": "c-2", "message_type": "AccountHistory", "message": {
            "account": a, "count": 10, "raw": true}}),
        json!({"message_type": "AccountHistory", "message": {
            "account": GENESIS, "count": 10, "raw": true, "reverse": true}}),
        json!({"message_type": "AccountHistory", "message": {
            "head": h(&f.change_a), "count": 1, "raw": true, "reverse": true}}),
        json!({"message_type": "AccountHistory", "message": {
            "account": GENESIS, "count": 10, "offset": 1, "account_filter": [b]}}),
        json!({"message_type": "AccountHistory", "message": {
            "account": a, "count": 10, "raw": true, "account_filter": [GENESIS]}}),
        json!({"message_type": "AccountHistory", "message": {"account": b, "count": 3}}),
        json!({"message_type": "AccountHistory", "message": {"account": a}}),
    ];
    let untimed = |text: &str| -> String {
        let rest = text.strip_prefix(r#"{"time":"#).expect("a timed envelope");
        rest.trim_start_matches(|c: char| c.is_ascii_digit())
            .to_owned()
    };
    for request in requests {
        let text = request.to_string();
        let json_answer = f.call(Encoding::FlatbuffersJson, &text);
        let binary = envelope_from_json(&text, &JsonOptions::default()).unwrap();
        let caller = Caller::local(1);
        let out = support::serve_sync(&*f.handler, &caller, Encoding::Flatbuffers, &binary);
        let binary_answer = envelope_to_json(&root_as_envelope(&out).unwrap(), false);
        assert_eq!(untimed(&json_answer), untimed(&binary_answer), "{text}");
    }
}
