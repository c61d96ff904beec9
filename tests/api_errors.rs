//! One table of error cases for every v2 request and every legacy action (issue #7 item 8).
//!
//! Each row names a request and, for each kind of bad input, either the request that shows it
//! together with the exact answer, or `None` where that kind cannot apply (the request has no
//! such field). The tests fail when a legacy action is registered, or a v2 request appears in
//! the schema, without a row here, so coverage cannot shrink silently.
//!
//! Legacy answers are nano-node's exact `{"error": "…"}` text (legacy-rpc.md §2, §4, §7). v2
//! answers are the `Error` message: code 4 with the same text as the legacy action for argument
//! errors, code 8 for a refused block, and code 1 (`Invalid message format`) for what the JSON
//! codec rejects before a handler runs (a missing required field, a value of the wrong type, a
//! number that does not fit the field); for code 1 the table holds the codec's detail after
//! `error: ` because the prefix gives the position in the request text.
//!
//! Placeholders in the table's field text: `$G` genesis account, `$GH` genesis hash, `$U` a hash
//! no block has, `$UA` an account never opened (the burn account), `$BLOCK` (legacy) a state
//! block object with valid work whose `previous` is unknown, `$V2BLOCK` (v2) the same block as
//! the schema's `block_type`/`block` pair.

mod keys_support;

use std::collections::BTreeSet;

use keys_support::*;
use nanoipc::api::UNSERVED;
use nanoipc::schema::METHODS;
use serde_json::{json, Value};

/// A bad input and its answer: (request fields, expected error `E`). `None`: not applicable.
type Case<E> = Option<(&'static str, E)>;

/// The kinds of bad input issue #7 names, one column each; `E` is how a front end's error is
/// written (legacy: its text; v2: code and text).
struct Row<E: 'static> {
    name: &'static str,
    bad_account: Case<E>,
    bad_hash: Case<E>,
    missing_field: Case<E>,
    wrong_type: Case<E>,
    count_out_of_range: Case<E>,
    /// An unknown block (or, for account requests, an account that was never opened).
    unknown: Case<E>,
    /// Further errors the request documents (field-specific decoders, business rules).
    other: &'static [(&'static str, E)],
}

/// One case of a row, labelled with its column.
type Labelled<E> = (&'static str, (&'static str, E));

impl<E: Copy> Row<E> {
    fn cases(&self) -> Vec<Labelled<E>> {
        let columns = [
            ("bad account", self.bad_account),
            ("bad hash", self.bad_hash),
            ("missing field", self.missing_field),
            ("wrong type", self.wrong_type),
            ("count out of range", self.count_out_of_range),
            ("unknown", self.unknown),
        ];
        let mut v: Vec<_> = columns
            .into_iter()
            .filter_map(|(kind, c)| c.map(|c| (kind, c)))
            .collect();
        v.extend(self.other.iter().map(|c| ("other", *c)));
        v
    }
}

/// A row with every column `None`, for filling in with struct update syntax.
const NONE: Row<&str> = Row {
    name: "",
    bad_account: None,
    bad_hash: None,
    missing_field: None,
    wrong_type: None,
    count_out_of_range: None,
    unknown: None,
    other: &[],
};

const PARSE: &str = "Unable to parse JSON";
const BAD_ACCOUNT: &str = "Bad account number";
const NOT_FOUND: &str = "Account not found";
const BLOCK_NOT_FOUND: &str = "Block not found";
const INVALID_HASH: &str = "Invalid block hash";
const BAD_HASH: &str = "Bad hash number";

/// Every registered legacy action (aliases included: each alias is a registered name).
const LEGACY: &[Row<&str>] = &[
    // ---- node ----
    Row {
        name: "version",
        ..NONE
    },
    Row {
        name: "uptime",
        ..NONE
    },
    Row {
        name: "block_count",
        ..NONE
    },
    Row {
        name: "available_supply",
        ..NONE
    },
    Row {
        name: "frontier_count",
        ..NONE
    },
    Row {
        name: "account_count",
        ..NONE
    },
    Row {
        name: "confirmation_quorum",
        ..NONE
    },
    Row {
        name: "key_create",
        ..NONE
    },
    // `stop` has no input; its answer stops the node, so tests/ipc_lifecycle.rs covers it.
    Row {
        name: "stop",
        ..NONE
    },
    Row {
        name: "confirmation_history",
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        wrong_type: Some((r#""hash":{}"#, INVALID_HASH)),
        ..NONE
    },
    // ---- accounts ----
    Row {
        name: "account_balance",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""account":{}"#, BAD_ACCOUNT)),
        ..NONE
    },
    Row {
        name: "account_block_count",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""account":[1]"#, BAD_ACCOUNT)),
        unknown: Some((r#""account":"$UA""#, NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "account_info",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""account":[]"#, BAD_ACCOUNT)),
        unknown: Some((r#""account":"$UA""#, NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "account_history",
        bad_account: Some((r#""account":"nano_x","count":1"#, BAD_ACCOUNT)),
        bad_hash: Some((r#""head":"XYZ","count":1"#, BAD_HASH)),
        missing_field: Some((r#""account":"$G""#, PARSE)),
        wrong_type: Some((r#""account":"$G","count":{}"#, "Invalid count")),
        count_out_of_range: Some((r#""account":"$G","count":"18446744073709551616""#, "Invalid count")),
        unknown: Some((r#""head":"$U","count":1"#, BLOCK_NOT_FOUND)),
        other: &[
            (r#""account":"$G","count":0"#, "Invalid count"),
            (r#""account":"$G","count":1,"offset":"x""#, "Invalid offset"),
            (r#""account":"$G","count":1,"account_filter":["nano_x"]"#, BAD_ACCOUNT),
            (r#""account":"$UA","count":1,"reverse":true"#, NOT_FOUND),
        ],
    },
    Row {
        name: "history",
        bad_hash: Some((r#""hash":"XYZ","count":1"#, BAD_HASH)),
        missing_field: Some((r#""count":1"#, PARSE)),
        wrong_type: Some((r#""hash":"$GH","count":[]"#, "Invalid count")),
        count_out_of_range: Some((r#""hash":"$GH","count":"18446744073709551616""#, "Invalid count")),
        unknown: Some((r#""hash":"$U","count":1"#, BLOCK_NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "account_key",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""account":{}"#, BAD_ACCOUNT)),
        ..NONE
    },
    Row {
        name: "account_get",
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""key":{}"#, "Bad public key")),
        other: &[(r#""key":"XYZ""#, "Bad public key")],
        ..NONE
    },
    Row {
        name: "account_representative",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""account":5"#, BAD_ACCOUNT)),
        unknown: Some((r#""account":"$UA""#, NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "account_weight",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""account":{}"#, BAD_ACCOUNT)),
        ..NONE
    },
    // The multi-account reads report bad items per account (their answers are checked by
    // `multi_account_errors_are_per_account`); a whole-request error is only the empty list.
    Row {
        name: "accounts_balances",
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""accounts":"$G""#, "Empty response")),
        other: &[(r#""accounts":[]"#, "Empty response")],
        ..NONE
    },
    Row {
        name: "accounts_frontiers",
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""accounts":"$G""#, "Empty response")),
        other: &[(r#""accounts":[]"#, "Empty response")],
        ..NONE
    },
    Row {
        name: "accounts_representatives",
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""accounts":"$G""#, "Empty response")),
        other: &[(r#""accounts":[]"#, "Empty response")],
        ..NONE
    },
    Row {
        name: "accounts_receivable",
        bad_account: Some((r#""accounts":["nano_x"]"#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""accounts":["$G"],"count":{}"#, "Invalid count")),
        count_out_of_range: Some((r#""accounts":["$G"],"count":"18446744073709551616""#, "Invalid count")),
        other: &[(r#""accounts":["$G"],"threshold":"x""#, "Bad threshold number")],
        ..NONE
    },
    Row {
        name: "accounts_pending",
        bad_account: Some((r#""accounts":["nano_x"]"#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        count_out_of_range: Some((r#""accounts":["$G"],"count":"-""#, "Invalid count")),
        other: &[(r#""accounts":["$G"],"threshold":"-1""#, "Bad threshold number")],
        ..NONE
    },
    Row {
        name: "receivable",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""account":"$G","count":[]"#, "Invalid count")),
        count_out_of_range: Some((r#""account":"$G","count":"18446744073709551616""#, "Invalid count")),
        other: &[
            (r#""account":"$G","offset":"x""#, "Invalid offset"),
            (r#""account":"$G","threshold":"x""#, "Bad threshold number"),
        ],
        ..NONE
    },
    Row {
        name: "pending",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        count_out_of_range: Some((r#""account":"$G","count":"-""#, "Invalid count")),
        ..NONE
    },
    Row {
        name: "delegators",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""account":"$G","count":{}"#, "Invalid count")),
        count_out_of_range: Some((r#""account":"$G","count":"18446744073709551616""#, "Invalid count")),
        other: &[
            (r#""account":"$G","threshold":"x""#, "Bad threshold number"),
            (r#""account":"$G","start":"nano_x""#, BAD_ACCOUNT),
        ],
        ..NONE
    },
    Row {
        name: "delegators_count",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""account":{}"#, BAD_ACCOUNT)),
        ..NONE
    },
    Row {
        name: "frontiers",
        bad_account: Some((r#""account":"nano_x","count":1"#, BAD_ACCOUNT)),
        missing_field: Some((r#""account":"$G""#, PARSE)),
        wrong_type: Some((r#""account":"$G","count":{}"#, "Invalid count")),
        count_out_of_range: Some((r#""account":"$G","count":"18446744073709551616""#, "Invalid count")),
        other: &[(r#""account":"$G","count":0"#, "Invalid count")],
        ..NONE
    },
    Row {
        name: "representatives",
        wrong_type: Some((r#""count":{}"#, "Invalid count")),
        count_out_of_range: Some((r#""count":"18446744073709551616""#, "Invalid count")),
        ..NONE
    },
    Row {
        name: "ledger",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        wrong_type: Some((r#""count":[]"#, "Invalid count")),
        count_out_of_range: Some((r#""count":"18446744073709551616""#, "Invalid count")),
        other: &[
            (r#""threshold":"x""#, "Bad threshold number"),
            (r#""modified_since":"x""#, "Invalid timestamp"),
        ],
        ..NONE
    },
    Row {
        name: "unopened",
        bad_account: Some((r#""account":"nano_x""#, BAD_ACCOUNT)),
        wrong_type: Some((r#""count":{}"#, "Invalid count")),
        count_out_of_range: Some((r#""count":"18446744073709551616""#, "Invalid count")),
        other: &[(r#""threshold":"x""#, "Bad threshold number")],
        ..NONE
    },
    // ---- blocks ----
    Row {
        name: "block_info",
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""hash":{}"#, INVALID_HASH)),
        unknown: Some((r#""hash":"$U""#, BLOCK_NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "block",
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""hash":[]"#, INVALID_HASH)),
        unknown: Some((r#""hash":"$U""#, BLOCK_NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "block_account",
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""hash":{}"#, INVALID_HASH)),
        unknown: Some((r#""hash":"$U""#, BLOCK_NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "blocks",
        bad_hash: Some((r#""hashes":["XYZ"]"#, BAD_HASH)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""hashes":[{}]"#, BAD_HASH)),
        unknown: Some((r#""hashes":["$GH","$U"]"#, BLOCK_NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "blocks_info",
        bad_hash: Some((r#""hashes":["XYZ"]"#, BAD_HASH)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""hashes":[[]]"#, BAD_HASH)),
        unknown: Some((r#""hashes":["$U"]"#, BLOCK_NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "chain",
        bad_hash: Some((r#""block":"XYZ","count":1"#, INVALID_HASH)),
        missing_field: Some((r#""block":"$GH""#, PARSE)),
        wrong_type: Some((r#""block":"$GH","count":{}"#, "Invalid count")),
        count_out_of_range: Some((r#""block":"$GH","count":"18446744073709551616""#, "Invalid count")),
        // An unknown start block is an empty walk, not an error (checked below).
        other: &[
            (r#""block":"$GH","count":0"#, "Invalid count"),
            (r#""block":"$GH","count":1,"offset":"x""#, "Invalid offset"),
        ],
        ..NONE
    },
    Row {
        name: "successors",
        bad_hash: Some((r#""block":"XYZ","count":1"#, INVALID_HASH)),
        missing_field: Some((r#""block":"$GH""#, PARSE)),
        wrong_type: Some((r#""block":{},"count":1"#, INVALID_HASH)),
        count_out_of_range: Some((r#""block":"$GH","count":"18446744073709551616""#, "Invalid count")),
        // A sign is accepted (strtoull): "-1" is u64::MAX, an empty walk.
        other: &[(r#""block":"$GH","count":1,"offset":"1x""#, "Invalid offset")],
        ..NONE
    },
    Row {
        name: "receivable_exists",
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""hash":{}"#, INVALID_HASH)),
        unknown: Some((r#""hash":"$U""#, BLOCK_NOT_FOUND)),
        ..NONE
    },
    Row {
        name: "pending_exists",
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        missing_field: Some(("", PARSE)),
        unknown: Some((r#""hash":"$U""#, BLOCK_NOT_FOUND)),
        ..NONE
    },
    // ---- keys, work, block building and submission ----
    Row {
        name: "key_expand",
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""key":{}"#, "Bad private key")),
        other: &[(r#""key":"XYZ""#, "Bad private key")],
        ..NONE
    },
    Row {
        name: "deterministic_key",
        missing_field: Some((r#""seed":"$U""#, PARSE)),
        wrong_type: Some((r#""seed":"$U","index":"x""#, "Invalid index")),
        count_out_of_range: Some((r#""seed":"$U","index":"18446744073709551616""#, "Invalid index")),
        other: &[(r#""seed":"XYZ","index":0"#, "Bad seed")],
        ..NONE
    },
    Row {
        name: "validate_account_number",
        // An invalid address is an answer (`"valid": "0"`), not an error (checked below).
        missing_field: Some(("", PARSE)),
        ..NONE
    },
    Row {
        name: "nano_to_raw",
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""amount":{}"#, "Invalid amount number")),
        other: &[
            (r#""amount":"x""#, "Invalid amount number"),
            (r#""amount":"0""#, "Amount too big"),
        ],
        ..NONE
    },
    Row {
        name: "raw_to_nano",
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""amount":[]"#, "Invalid amount number")),
        other: &[(
            r#""amount":"340282366920938463463374607431768211456""#,
            "Invalid amount number",
        )],
        ..NONE
    },
    Row {
        name: "work_validate",
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""hash":"$U","work":{}"#, "Bad work")),
        other: &[
            (r#""hash":"$U","work":"x""#, "Bad work"),
            (r#""hash":"$U","work":"1","difficulty":"x""#, "Bad difficulty"),
            (r#""hash":"$U","work":"1","multiplier":"0""#, "Bad multiplier"),
            (r#""hash":"$U","work":"1","multiplier":"nan""#, "Bad multiplier"),
            (r#""hash":"$U","work":"1","version":"work_2""#, "Bad work version"),
        ],
        ..NONE
    },
    Row {
        name: "work_generate",
        bad_account: Some((r#""hash":"$U","account":"nano_x""#, BAD_ACCOUNT)),
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""hash":"$U","multiplier":{}"#, "Bad multiplier")),
        other: &[
            (r#""hash":"$U","difficulty":"x""#, "Bad difficulty"),
            (r#""hash":"$U","multiplier":"-1""#, "Bad multiplier"),
            (r#""hash":"$U","version":"x""#, "Bad work version"),
            (
                r#""hash":"$U","difficulty":"ffffffffffffffff""#,
                "Difficulty above config limit or below publish threshold",
            ),
            (
                r#""hash":"$U","multiplier":"1e308""#,
                "Difficulty above config limit or below publish threshold",
            ),
            (r#""hash":"$GH","json_block":true,"block":$BLOCK"#, "Root mismatch for block"),
            (
                r#""hash":"$U","json_block":true,"block":$BLOCK"#,
                "Provided work is already enough for given difficulty",
            ),
        ],
        ..NONE
    },
    Row {
        name: "work_cancel",
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""hash":{}"#, INVALID_HASH)),
        ..NONE
    },
    Row {
        name: "block_hash",
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""block":{}"#, "Block is invalid")),
        other: &[(r#""block":"x""#, "Block is invalid")],
        ..NONE
    },
    Row {
        name: "sign",
        bad_hash: Some((r#""hash":"XYZ""#, INVALID_HASH)),
        missing_field: Some(("", "Block is invalid")),
        wrong_type: Some((r#""key":"$U","block":{}"#, "Block is invalid")),
        other: &[
            (r#""hash":"$GH""#, "Signing by block hash is disabled"),
            (r#""block":"x","key":"$U""#, "Block is invalid"),
            (r#""json_block":true,"block":$BLOCK"#, "Private key or local wallet and account required"),
            (r#""json_block":true,"block":$BLOCK,"key":"XYZ""#, "Bad private key"),
        ],
        ..NONE
    },
    Row {
        name: "process",
        missing_field: Some(("", PARSE)),
        wrong_type: Some((r#""block":{}"#, "Block is invalid")),
        unknown: Some((r#""json_block":true,"block":$BLOCK"#, "Gap previous block")),
        other: &[
            (r#""block":"x""#, "Block is invalid"),
            (r#""json_block":true,"block":$BLOCK,"subtype":"x""#, "Invalid block subtype"),
            (r#""json_block":true,"block":$BLOCK,"subtype":"send""#, "Gap previous block"),
        ],
        ..NONE
    },
    Row {
        name: "block_create",
        bad_account: Some((
            r#""type":"state","key":"$U","account":"nano_x","previous":"0","representative":"$G","balance":"0","link":"$G","work":"1""#,
            BAD_ACCOUNT,
        )),
        missing_field: Some(("", PARSE)),
        wrong_type: Some((
            r#""type":"state","key":"$U","previous":{},"representative":"$G","balance":"0","link":"$G""#,
            "Bad previous",
        )),
        other: &[
            (r#""type":"state""#, "Private key or local wallet and account required"),
            (
                r#""type":"state","key":"XYZ","previous":"0","representative":"$G","balance":"0","link":"$G""#,
                "Bad private key",
            ),
            (
                r#""type":"state","key":"$U","previous":"XYZ","representative":"$G","balance":"0","link":"$G""#,
                "Bad previous",
            ),
            (
                r#""type":"state","key":"$U","previous":"0","representative":"nano_x","balance":"0","link":"$G""#,
                "Bad representative number",
            ),
            (
                r#""type":"state","key":"$U","previous":"0","representative":"$G","balance":"x","link":"$G""#,
                "Invalid balance number",
            ),
            (
                r#""type":"state","key":"$U","previous":"0","representative":"$G","balance":"0","link":"nano_x""#,
                "Bad link number",
            ),
            (
                r#""type":"state","key":"$U","previous":"0","representative":"$G","balance":"0","link":"$G","work":"x""#,
                "Bad work",
            ),
            (
                r#""type":"state","key":"$U","previous":"0","representative":"$G","balance":"0","link":"$G","difficulty":"x""#,
                "Bad difficulty",
            ),
            (
                r#""type":"state","key":"$U","previous":"0","representative":"$G","balance":"0","link":"$G","version":"x""#,
                "Bad work version",
            ),
            (
                r#""type":"state","key":"$U","representative":"$G","balance":"0","link":"$G""#,
                "Previous, representative, final balance and link (source or destination) are required",
            ),
            (
                r#""type":"foo","key":"$U","previous":"0","representative":"$G","balance":"0","link":"$G","work":"1""#,
                "Invalid block type",
            ),
            (
                r#""type":"state","key":"$U","account":"$G","previous":"0","representative":"$G","balance":"0","link":"$G","work":"1""#,
                "Incorrect key for given account",
            ),
        ],
        ..NONE
    },
];

/// A v2 error: (code, text). Code 1's text is the codec detail after `error: `.
type V2Error = (i64, &'static str);

const V2NONE: Row<V2Error> = Row {
    name: "",
    bad_account: None,
    bad_hash: None,
    missing_field: None,
    wrong_type: None,
    count_out_of_range: None,
    unknown: None,
    other: &[],
};

const ARG: i64 = 4;
const FORMAT: i64 = 1;
const REJECTED: i64 = 8;
const ACCESS: i64 = 3;

/// Every v2 request the node serves (the ones in `api::UNSERVED` are checked separately).
/// A field of the wrong JSON type is the codec's error; an object where a table is expected
/// cannot be "wrong" for requests without fields (`IsAlive` ignores unknown fields, as flatc's
/// parser does by default), so those rows use a non-object message.
const V2: &[Row<V2Error>] = &[
    Row {
        name: "IsAlive",
        wrong_type: Some(("5", (FORMAT, "invalid type: integer `5`, expected an object"))),
        ..V2NONE
    },
    Row {
        name: "Version",
        wrong_type: Some(("[]", (FORMAT, "invalid type: sequence, expected an object"))),
        ..V2NONE
    },
    Row {
        name: "BlockCount",
        wrong_type: Some(("true", (FORMAT, "invalid type: boolean `true`, expected an object"))),
        ..V2NONE
    },
    Row {
        name: "Uptime",
        wrong_type: Some(("\"x\"", (FORMAT, "invalid type: string \"x\", expected an object"))),
        ..V2NONE
    },
    Row {
        name: "AvailableSupply",
        wrong_type: Some(("1", (FORMAT, "invalid type: integer `1`, expected an object"))),
        ..V2NONE
    },
    Row {
        name: "KeyCreate",
        wrong_type: Some(("[1]", (FORMAT, "invalid type: sequence, expected an object"))),
        ..V2NONE
    },
    // `node_admin`: refused to a caller whose transport lacks `allow_unsafe` (this one).
    Row {
        name: "Metrics",
        wrong_type: Some(("2", (FORMAT, "invalid type: integer `2`, expected an object"))),
        other: &[("{}", (3, "Access denied"))],
        ..V2NONE
    },
    // ---- accounts ----
    Row {
        name: "AccountWeight",
        bad_account: Some((r#"{"account":"nano_x"}"#, (ARG, BAD_ACCOUNT))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: account in AccountWeight"))),
        wrong_type: Some((r#"{"account":5}"#, (FORMAT, "invalid type: integer `5`, expected a string"))),
        ..V2NONE
    },
    Row {
        name: "AccountBalance",
        bad_account: Some((r#"{"account":"nano_x"}"#, (ARG, BAD_ACCOUNT))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: account in AccountBalance"))),
        wrong_type: Some((
            r#"{"account":"$G","include_only_confirmed":"x"}"#,
            (FORMAT, "invalid bool constant: \"x\""),
        )),
        ..V2NONE
    },
    Row {
        name: "AccountInfo",
        bad_account: Some((r#"{"account":"nano_x"}"#, (ARG, BAD_ACCOUNT))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: account in AccountInfo"))),
        wrong_type: Some((r#"{"account":true}"#, (FORMAT, "invalid type: boolean `true`, expected a string"))),
        unknown: Some((r#"{"account":"$UA"}"#, (ARG, NOT_FOUND))),
        ..V2NONE
    },
    Row {
        name: "AccountHistory",
        bad_account: Some((r#"{"account":"nano_x","count":1}"#, (ARG, BAD_ACCOUNT))),
        bad_hash: Some((r#"{"head":"XYZ","count":1}"#, (ARG, BAD_HASH))),
        // `account` is optional in the schema (a `head` can replace it), so its absence is the
        // handler's error; a missing `count` is 0, which nano-node refuses.
        missing_field: Some((r#"{"count":1}"#, (ARG, BAD_ACCOUNT))),
        wrong_type: Some((r#"{"account":"$G","count":"x"}"#, (FORMAT, "invalid ulong constant: \"x\""))),
        count_out_of_range: Some((r#"{"account":"$G","count":-1}"#, (FORMAT, "constant does not fit in a \"ulong\": -1"))),
        unknown: Some((r#"{"head":"$U","count":1}"#, (ARG, BLOCK_NOT_FOUND))),
        other: &[
            (r#"{"account":"$G"}"#, (ARG, "Invalid count")),
            (r#"{"account":"$G","count":1,"account_filter":["nano_x"]}"#, (ARG, BAD_ACCOUNT)),
            (r#"{"account":"$UA","count":1,"reverse":true}"#, (ARG, NOT_FOUND)),
        ],
    },
    Row {
        name: "AccountRepresentative",
        bad_account: Some((r#"{"account":"nano_x"}"#, (ARG, BAD_ACCOUNT))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: account in AccountRepresentative"))),
        wrong_type: Some((r#"{"account":[]}"#, (FORMAT, "invalid type: sequence, expected a string"))),
        unknown: Some((r#"{"account":"$UA"}"#, (ARG, NOT_FOUND))),
        ..V2NONE
    },
    Row {
        name: "AccountsBalances",
        // A bad item is reported in its entry (checked by `multi_account_errors_are_per_account`).
        missing_field: Some(("{}", (FORMAT, "required field is missing: accounts in AccountsBalances"))),
        wrong_type: Some((r#"{"accounts":"x"}"#, (FORMAT, "invalid type: string \"x\", expected an array"))),
        ..V2NONE
    },
    Row {
        name: "Receivable",
        bad_account: Some((r#"{"account":"nano_x"}"#, (ARG, BAD_ACCOUNT))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: account in Receivable"))),
        wrong_type: Some((r#"{"account":"$G","count":"x"}"#, (FORMAT, "invalid ulong constant: \"x\""))),
        count_out_of_range: Some((r#"{"account":"$G","count":-1}"#, (FORMAT, "constant does not fit in a \"ulong\": -1"))),
        other: &[(r#"{"account":"$G","threshold":"x"}"#, (ARG, "Bad threshold number"))],
        ..V2NONE
    },
    Row {
        name: "Representatives",
        wrong_type: Some((r#"{"count":"x"}"#, (FORMAT, "invalid ulong constant: \"x\""))),
        count_out_of_range: Some((r#"{"count":-1}"#, (FORMAT, "constant does not fit in a \"ulong\": -1"))),
        ..V2NONE
    },
    Row {
        name: "Delegators",
        bad_account: Some((r#"{"account":"nano_x"}"#, (ARG, BAD_ACCOUNT))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: account in Delegators"))),
        wrong_type: Some((r#"{"account":"$G","count":{}}"#, (FORMAT, "invalid type: map, expected a ulong value"))),
        count_out_of_range: Some((r#"{"account":"$G","count":-1}"#, (FORMAT, "constant does not fit in a \"ulong\": -1"))),
        other: &[
            (r#"{"account":"$G","threshold":"x"}"#, (ARG, "Bad threshold number")),
            (r#"{"account":"$G","start":"nano_x"}"#, (ARG, BAD_ACCOUNT)),
        ],
        ..V2NONE
    },
    Row {
        name: "Frontiers",
        bad_account: Some((r#"{"account":"nano_x","count":1}"#, (ARG, BAD_ACCOUNT))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: account in Frontiers"))),
        wrong_type: Some((r#"{"account":"$G","count":"x"}"#, (FORMAT, "invalid ulong constant: \"x\""))),
        count_out_of_range: Some((r#"{"account":"$G","count":0}"#, (ARG, "Invalid count"))),
        ..V2NONE
    },
    // ---- blocks ----
    Row {
        name: "BlockQuery",
        bad_hash: Some((r#"{"hash":"XYZ"}"#, (ARG, INVALID_HASH))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: hash in BlockQuery"))),
        wrong_type: Some((r#"{"hash":1}"#, (FORMAT, "invalid type: integer `1`, expected a string"))),
        unknown: Some((r#"{"hash":"$U"}"#, (ARG, BLOCK_NOT_FOUND))),
        other: &[(r#"{"hash":""}"#, (ARG, INVALID_HASH))],
        ..V2NONE
    },
    Row {
        name: "Blocks",
        bad_hash: Some((r#"{"hashes":["XYZ"]}"#, (ARG, BAD_HASH))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: hashes in Blocks"))),
        wrong_type: Some((r#"{"hashes":"x"}"#, (FORMAT, "invalid type: string \"x\", expected an array"))),
        unknown: Some((r#"{"hashes":["$GH","$U"]}"#, (ARG, BLOCK_NOT_FOUND))),
        ..V2NONE
    },
    Row {
        name: "Chain",
        bad_hash: Some((r#"{"block":"XYZ","count":1}"#, (ARG, INVALID_HASH))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: block in Chain"))),
        wrong_type: Some((r#"{"block":"$GH","count":true}"#, (FORMAT, "true is not a ulong value (true/false are only for bool fields)"))),
        count_out_of_range: Some((r#"{"block":"$GH","count":0}"#, (ARG, "Invalid count"))),
        other: &[(r#"{"block":"$GH"}"#, (ARG, "Invalid count"))],
        ..V2NONE
    },
    Row {
        name: "Successors",
        bad_hash: Some((r#"{"block":"XYZ","count":1}"#, (ARG, INVALID_HASH))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: block in Successors"))),
        wrong_type: Some((r#"{"block":"$GH","count":"x"}"#, (FORMAT, "invalid ulong constant: \"x\""))),
        count_out_of_range: Some((r#"{"block":"$GH","count":0}"#, (ARG, "Invalid count"))),
        ..V2NONE
    },
    Row {
        name: "ReceivableExists",
        bad_hash: Some((r#"{"hash":"XYZ"}"#, (ARG, INVALID_HASH))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: hash in ReceivableExists"))),
        wrong_type: Some((r#"{"hash":[]}"#, (FORMAT, "invalid type: sequence, expected a string"))),
        unknown: Some((r#"{"hash":"$U"}"#, (ARG, BLOCK_NOT_FOUND))),
        ..V2NONE
    },
    // ---- keys, work, block building and submission ----
    Row {
        name: "Process",
        missing_field: Some(("{}", (ARG, "Block is invalid"))),
        wrong_type: Some((r#"{"block":"x"}"#, (FORMAT, "missing type field for this union value: block"))),
        unknown: Some((r#"{$V2BLOCK}"#, (REJECTED, "Gap previous block"))),
        other: &[
            (r#"{"block_type":"BlockState","block":{}}"#, (ARG, "Block is invalid")),
            (r#"{$V2BLOCK,"subtype":"x"}"#, (ARG, "Invalid block subtype")),
        ],
        ..V2NONE
    },
    Row {
        name: "WorkGenerate",
        bad_hash: Some((r#"{"hash":"XYZ"}"#, (ARG, INVALID_HASH))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: hash in WorkGenerate"))),
        wrong_type: Some((r#"{"hash":"$U","multiplier":"x"}"#, (FORMAT, "invalid double constant: \"x\""))),
        other: &[
            (r#"{"hash":"$U","difficulty":"x"}"#, (ARG, "Bad difficulty")),
            (r#"{"hash":"$U","multiplier":-1}"#, (ARG, "Bad multiplier")),
            (r#"{"hash":"$U","version":"x"}"#, (ARG, "Bad work version")),
            (
                r#"{"hash":"$U","difficulty":"ffffffffffffffff"}"#,
                (ARG, "Difficulty above config limit or below publish threshold"),
            ),
            (r#"{"hash":"$GH",$V2BLOCK}"#, (ARG, "Root mismatch for block")),
            (
                r#"{"hash":"$U",$V2BLOCK}"#,
                (ARG, "Provided work is already enough for given difficulty"),
            ),
        ],
        ..V2NONE
    },
    Row {
        name: "WorkValidate",
        bad_hash: Some((r#"{"hash":"XYZ"}"#, (ARG, INVALID_HASH))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: hash in WorkValidate"))),
        wrong_type: Some((r#"{"hash":"$U","work":1}"#, (FORMAT, "invalid type: integer `1`, expected a string"))),
        other: &[
            (r#"{"hash":"$U","work":"x"}"#, (ARG, "Bad work")),
            (r#"{"hash":"$U","work":"1","difficulty":"x"}"#, (ARG, "Bad difficulty")),
            (r#"{"hash":"$U","work":"1","multiplier":-2}"#, (ARG, "Bad multiplier")),
            (r#"{"hash":"$U","work":"1","version":"x"}"#, (ARG, "Bad work version")),
        ],
        ..V2NONE
    },
    Row {
        name: "WorkCancel",
        bad_hash: Some((r#"{"hash":"XYZ"}"#, (ARG, INVALID_HASH))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: hash in WorkCancel"))),
        wrong_type: Some((r#"{"hash":{}}"#, (FORMAT, "invalid type: map, expected a string"))),
        ..V2NONE
    },
    Row {
        name: "ValidateAccountNumber",
        // An invalid address is an answer (`valid` false), not an error (checked below).
        missing_field: Some(("{}", (FORMAT, "required field is missing: account in ValidateAccountNumber"))),
        wrong_type: Some((r#"{"account":1}"#, (FORMAT, "invalid type: integer `1`, expected a string"))),
        ..V2NONE
    },
    Row {
        name: "KeyExpand",
        missing_field: Some(("{}", (FORMAT, "required field is missing: key in KeyExpand"))),
        wrong_type: Some((r#"{"key":1}"#, (FORMAT, "invalid type: integer `1`, expected a string"))),
        other: &[(r#"{"key":"XYZ"}"#, (ARG, "Bad private key"))],
        ..V2NONE
    },
    Row {
        name: "DeterministicKey",
        missing_field: Some(("{}", (FORMAT, "required field is missing: seed in DeterministicKey"))),
        wrong_type: Some((r#"{"seed":"$U","index":"x"}"#, (FORMAT, "invalid uint constant: \"x\""))),
        count_out_of_range: Some((
            r#"{"seed":"$U","index":4294967296}"#,
            (FORMAT, "constant does not fit in a \"uint\": 4294967296"),
        )),
        other: &[(r#"{"seed":"XYZ"}"#, (ARG, "Bad seed"))],
        ..V2NONE
    },
    Row {
        name: "BlockCreate",
        bad_account: Some((
            r#"{"key":"$U","account":"nano_x","previous":"0","representative":"$G","balance":"0","link":"$G","work":"1"}"#,
            (ARG, BAD_ACCOUNT),
        )),
        missing_field: Some(("{}", (FORMAT, "required field is missing: key in BlockCreate"))),
        wrong_type: Some((r#"{"key":"$U","balance":0}"#, (FORMAT, "invalid type: integer `0`, expected a string"))),
        other: &[
            (r#"{"key":"XYZ"}"#, (ARG, "Bad private key")),
            (
                r#"{"key":"$U"}"#,
                (ARG, "Previous, representative, final balance and link (source or destination) are required"),
            ),
            (
                r#"{"key":"$U","previous":"XYZ","representative":"$G","balance":"0","link":"$G"}"#,
                (ARG, "Bad previous"),
            ),
            (
                r#"{"key":"$U","previous":"0","representative":"nano_x","balance":"0","link":"$G"}"#,
                (ARG, "Bad representative number"),
            ),
            (
                r#"{"key":"$U","previous":"0","representative":"$G","balance":"x","link":"$G"}"#,
                (ARG, "Invalid balance number"),
            ),
            (
                r#"{"key":"$U","previous":"0","representative":"$G","balance":"0","link":"nano_x"}"#,
                (ARG, "Bad link number"),
            ),
            (
                r#"{"key":"$U","previous":"0","representative":"$G","balance":"0","link":"$G","work":"x"}"#,
                (ARG, "Bad work"),
            ),
            (
                r#"{"key":"$U","previous":"0","representative":"$G","balance":"0","link":"$G","difficulty":"x"}"#,
                (ARG, "Bad difficulty"),
            ),
            (
                r#"{"key":"$U","previous":"0","representative":"$G","balance":"0","link":"$G","version":"x"}"#,
                (ARG, "Bad work version"),
            ),
            (
                r#"{"key":"$U","account":"$G","previous":"0","representative":"$G","balance":"0","link":"$G","work":"1"}"#,
                (ARG, "Incorrect key for given account"),
            ),
        ],
        ..V2NONE
    },
    Row {
        name: "Sign",
        bad_hash: Some((r#"{"key":"$U","hash":"XYZ"}"#, (ARG, INVALID_HASH))),
        missing_field: Some(("{}", (FORMAT, "required field is missing: key in Sign"))),
        wrong_type: Some((r#"{"key":"$U","hash":5}"#, (FORMAT, "invalid type: integer `5`, expected a string"))),
        other: &[
            (r#"{"key":"$U"}"#, (ARG, "Block is invalid")),
            (r#"{"key":"$U","hash":"$GH"}"#, (ARG, "Signing by block hash is disabled")),
            (r#"{"key":"XYZ",$V2BLOCK}"#, (ARG, "Bad private key")),
        ],
        ..V2NONE
    },
    // ---- session admin: `node_admin`, served only on a transport with `allow_unsafe` (which
    // this caller lacks); the served answers are in tests/attack_connections.rs ----
    Row {
        name: "GetInfo",
        wrong_type: Some(("5", (FORMAT, "invalid type: integer `5`, expected an object"))),
        other: &[("{}", (ACCESS, "Access denied"))],
        ..V2NONE
    },
    Row {
        name: "Sessions",
        wrong_type: Some(("[]", (FORMAT, "invalid type: sequence, expected an object"))),
        other: &[("{}", (ACCESS, "Access denied"))],
        ..V2NONE
    },
    Row {
        name: "SessionDisconnect",
        missing_field: Some(("{}", (FORMAT, "required field is missing: ids in SessionDisconnect"))),
        wrong_type: Some((r#"{"ids":["a"]}"#, (FORMAT, "invalid ulong constant: \"a\""))),
        other: &[(r#"{"ids":[1]}"#, (ACCESS, "Access denied"))],
        ..V2NONE
    },
    Row {
        name: "SessionLog",
        missing_field: Some(("{}", (FORMAT, "required field is missing: ids in SessionLog"))),
        wrong_type: Some((r#"{"ids":5}"#, (FORMAT, "invalid type: integer `5`, expected an array"))),
        other: &[(r#"{"ids":[1]}"#, (ACCESS, "Access denied"))],
        ..V2NONE
    },
];

/// The unopened burn account.
const BURN: &str = "nano_1111111111111111111111111111111111111111111111111111hifc8npp";
const UNKNOWN_HASH: &str = "1111111111111111111111111111111111111111111111111111111111111111";

/// A node plus the placeholder values its table rows refer to.
struct Fixture {
    node: Node,
    /// Legacy block JSON (an object) of a state block with valid work and an unknown previous.
    block: String,
    /// The same block as v2 `"block_type":…,"block":…` fields.
    v2_block: String,
}

impl Fixture {
    fn new() -> Self {
        let node = Node::dev();
        let request = json!({
            "action": "block_create", "type": "state", "json_block": "true", "key": GENESIS_KEY,
            "previous": UNKNOWN_HASH, "representative": GENESIS, "balance": "1", "link": GENESIS,
        });
        let created = node.legacy(request);
        let block = created["block"].clone();
        assert!(block.is_object(), "{created}");
        let (ty, v2) = node.v2(
            "BlockCreate",
            json!({
                "key": GENESIS_KEY, "previous": UNKNOWN_HASH, "representative": GENESIS,
                "balance": "1", "link": GENESIS, "work": block["work"],
            }),
        );
        assert_eq!(ty, "BlockCreateResponse", "{v2}");
        assert_eq!(
            v2["hash"], created["hash"],
            "both front ends build the same block"
        );
        let v2_block = format!(
            r#""block_type":{},"block":{}"#,
            v2["block_type"], v2["block"]
        );
        Fixture {
            node,
            block: block.to_string(),
            v2_block,
        }
    }

    fn expand(&self, text: &str) -> String {
        text.replace("$V2BLOCK", &self.v2_block)
            .replace("$BLOCK", &self.block)
            .replace("$GH", GENESIS_HASH)
            .replace("$G", GENESIS)
            .replace("$UA", BURN)
            .replace("$U", UNKNOWN_HASH)
    }
}

fn assert_table_covers(table: BTreeSet<&str>, served: BTreeSet<&str>, what: &str) {
    let missing: Vec<_> = served.difference(&table).collect();
    let extra: Vec<_> = table.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "{what} without a row in tests/api_errors.rs: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "rows for {what} that do not exist: {extra:?}"
    );
}

#[test]
fn every_legacy_action_has_a_row() {
    // nano-node's wallet and network actions answer "Not implemented: …" (tests/legacy_registry.rs).
    let unserved: BTreeSet<&str> = nanoipc::rpc_legacy::actions::UNSERVED_ACTIONS
        .iter()
        .map(|(name, _)| *name)
        .collect();
    let names = nanoipc::rpc_legacy::actions::registry().unwrap().names();
    let rows: BTreeSet<_> = LEGACY.iter().map(|r| r.name).collect();
    assert_eq!(rows.len(), LEGACY.len(), "one row per action");
    let served = names
        .into_iter()
        .filter(|n| !unserved.contains(n))
        .collect();
    assert_table_covers(rows, served, "legacy actions");
}

#[test]
fn every_v2_request_has_a_row() {
    let rows: BTreeSet<_> = V2.iter().map(|r| r.name).collect();
    assert_eq!(rows.len(), V2.len(), "one row per request");
    let served = METHODS
        .iter()
        .map(|m| m.name)
        .filter(|n| !UNSERVED.contains(n))
        .collect();
    assert_table_covers(rows, served, "v2 requests");
}

#[test]
fn legacy_actions_answer_their_errors_exactly() {
    let f = Fixture::new();
    let mut failures = Vec::new();
    for row in LEGACY {
        let cases = row.cases();
        if cases.is_empty() && row.name != "stop" {
            // No input can be wrong: the action answers (never an error).
            let body = json!({"action": row.name});
            let answer = f.node.legacy(body);
            assert!(answer.get("error").is_none(), "{}: {answer}", row.name);
        }
        for (kind, (fields, expected)) in cases {
            let sep = if fields.is_empty() { "" } else { "," };
            let body = format!(r#"{{"action":"{}"{sep}{}}}"#, row.name, f.expand(fields));
            let got = f.node.call(nanoipc::api::Encoding::JsonV1Unsafe, &body);
            if got != legacy_error(expected) {
                failures.push(format!(
                    "{} [{kind}] {body}\n  want {expected:?}\n  got  {got:?}",
                    row.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn v2_requests_answer_their_errors_exactly() {
    let f = Fixture::new();
    let mut failures = Vec::new();
    for row in V2 {
        let cases = row.cases();
        assert!(
            !cases.is_empty(),
            "{}: a row needs at least one case",
            row.name
        );
        for (kind, (message, (code, text))) in cases {
            let message: Value = serde_json::from_str(&f.expand(message))
                .unwrap_or_else(|e| panic!("{} [{kind}]: bad table JSON: {e}", row.name));
            let (ty, answer) = f.node.v2(row.name, message.clone());
            let got_code = answer["code"].as_i64().unwrap_or(0);
            let got_text = answer["message"].as_str().unwrap_or_default();
            let text_ok = if code == FORMAT {
                got_text.starts_with("Invalid message format: ")
                    && got_text.ends_with(&format!("error: {text}"))
            } else {
                got_text == text
            };
            if ty != "Error" || got_code != code || !text_ok {
                failures.push(format!(
                    "{} [{kind}] {message}\n  want ({code}, {text:?})\n  got  {ty} {answer}",
                    row.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The requests in `api::UNSERVED` answer `Not implemented` (code 5) whatever their content.
#[test]
fn unserved_v2_requests_answer_not_implemented() {
    let node = Node::dev();
    for name in UNSERVED {
        // Fill the fields the schema requires, so the request reaches its handler.
        let mut message = json!({});
        let answer = loop {
            let answer = node.v2_err(name, message.clone());
            let missing = answer.1.split("required field is missing: ").nth(1);
            match missing.and_then(|rest| rest.split(' ').next()) {
                Some(field) if message.get(field).is_none() => message[field] = json!("x"),
                _ => break answer,
            }
        };
        assert_eq!(
            answer,
            (5, format!("Not implemented: {name}")),
            "{name} {message}"
        );
    }
}

/// Where nano-node answers rather than fails: per-account errors in the multi-account reads, an
/// invalid address in validate_account_number, an unknown start block in chain/successors.
#[test]
fn errors_that_are_answers() {
    let node = Node::dev();
    for action in ["accounts_frontiers", "accounts_representatives"] {
        assert_eq!(
            node.legacy(json!({"action": action, "accounts": ["nano_x", BURN]})),
            json!({"errors": {"nano_x": BAD_ACCOUNT, BURN: NOT_FOUND}}),
            "{action}"
        );
    }
    assert_eq!(
        node.legacy(json!({"action": "accounts_balances", "accounts": ["nano_x"]})),
        json!({"errors": {"nano_x": BAD_ACCOUNT}})
    );
    assert_eq!(
        node.v2_ok(
            "AccountsBalances",
            json!({"accounts": ["nano_x"]}),
            "AccountsBalancesResponse"
        ),
        json!({"balances": [{"account": "nano_x", "error": BAD_ACCOUNT}]})
    );
    assert_eq!(
        node.legacy(json!({"action": "validate_account_number", "account": "nano_x"})),
        json!({"valid": "0"})
    );
    let v = node.v2_ok(
        "ValidateAccountNumber",
        json!({"account": "nano_x"}),
        "ValidateAccountNumberResponse",
    );
    assert_eq!(v.get("valid").cloned().unwrap_or(json!(false)), false);
    for action in ["chain", "successors"] {
        assert_eq!(
            node.legacy(json!({"action": action, "block": UNKNOWN_HASH, "count": 1})),
            json!({"blocks": ""}),
            "{action}"
        );
    }
    assert_eq!(
        node.legacy(json!({"action": "account_history", "account": BURN, "count": 1})),
        json!({"account": BURN, "history": ""})
    );
}

/// The largest counts and offsets a client may send answer at once, without allocating for them.
#[test]
fn largest_counts_are_answered_without_allocating() {
    let node = Node::dev();
    let max = u64::MAX.to_string();
    for body in [
        json!({"action": "chain", "block": GENESIS_HASH, "count": max, "offset": max}),
        json!({"action": "successors", "block": GENESIS_HASH, "count": max}),
        json!({"action": "account_history", "account": GENESIS, "count": max, "offset": max}),
        json!({"action": "receivable", "account": GENESIS, "count": max, "offset": max, "sorting": true}),
        json!({"action": "frontiers", "account": GENESIS, "count": max}),
        json!({"action": "delegators", "account": GENESIS, "count": max}),
        json!({"action": "representatives", "count": max, "sorting": true}),
        json!({"action": "ledger", "count": max, "sorting": true}),
        json!({"action": "unopened", "count": max}),
        json!({"action": "accounts_receivable", "accounts": [GENESIS], "count": max}),
    ] {
        let answer = node.legacy(body.clone());
        assert!(answer.get("error").is_none(), "{body}: {answer}");
    }
    for (name, msg) in [
        (
            "Chain",
            json!({"block": GENESIS_HASH, "count": u64::MAX, "offset": u64::MAX}),
        ),
        (
            "AccountHistory",
            json!({"account": GENESIS, "count": u64::MAX, "reverse": true}),
        ),
        (
            "Receivable",
            json!({"account": GENESIS, "count": u64::MAX, "offset": u64::MAX, "sorting": true}),
        ),
        ("Frontiers", json!({"account": GENESIS, "count": u64::MAX})),
        ("Delegators", json!({"account": GENESIS, "count": u64::MAX})),
        (
            "Representatives",
            json!({"count": u64::MAX, "sorting": true}),
        ),
    ] {
        let (ty, answer) = node.v2(name, msg.clone());
        assert_ne!(ty, "Error", "{name} {msg}: {answer}");
    }
}
