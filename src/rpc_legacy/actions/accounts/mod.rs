//! Account and ledger reads (legacy-rpc §7): each action reads nano-node's fields with its
//! lenient parsing, calls the typed core in `api::accounts` (the same methods the v2 messages
//! call), and renders nano-node's keys in nano-node's order.
//!
//! Layout: this file (registration, the shared field readers and the one-line actions), `info`
//! (`account_info`, `ledger`), `history` (`account_history`, `history`), `receivable`
//! (`receivable`, `accounts_receivable` and their deprecated aliases), `multi`
//! (`accounts_balances`, `accounts_frontiers`, `accounts_representatives`), `lists`
//! (`delegators`, `frontiers`, `representatives`, `unopened`).

mod history;
mod info;
mod lists;
mod multi;
mod receivable;

use crate::api::Api;
use crate::api::Caller;
use crate::ledger::primitives::{Account, Amount};
use crate::rpc_legacy::registry::{DuplicateAction, Gate, Registry};
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::{ActionFn, Keys, LegacyError};

pub(super) fn register(r: &mut Registry<Api>) -> Result<(), DuplicateAction> {
    let open: [(&'static str, Keys, ActionFn<Api>); 20] = [
        ("account_block_count", &["account"], account_block_count),
        (
            "account_info",
            &[
                "account",
                "representative",
                "weight",
                "pending",
                "receivable",
                "include_confirmed",
            ],
            info::account_info,
        ),
        (
            "account_history",
            &[
                "account",
                "head",
                "account_filter",
                "count",
                "offset",
                "reverse",
                "raw",
            ],
            history::account_history,
        ),
        (
            "history",
            &[
                "hash",
                "account",
                "account_filter",
                "count",
                "offset",
                "reverse",
                "raw",
            ],
            history::history,
        ),
        ("account_key", &["account"], account_key),
        ("account_get", &["key"], account_get),
        (
            "account_representative",
            &["account"],
            account_representative,
        ),
        ("accounts_balances", &["accounts"], multi::accounts_balances),
        (
            "accounts_frontiers",
            &["accounts"],
            multi::accounts_frontiers,
        ),
        (
            "accounts_representatives",
            &["accounts"],
            multi::accounts_representatives,
        ),
        (
            "accounts_receivable",
            &["accounts", "count", "threshold", "source", "sorting"],
            receivable::accounts_receivable,
        ),
        (
            "accounts_pending",
            &["accounts", "count", "threshold", "source", "sorting"],
            receivable::accounts_pending,
        ),
        (
            "receivable",
            &[
                "account",
                "count",
                "offset",
                "threshold",
                "source",
                "min_version",
                "sorting",
            ],
            receivable::receivable,
        ),
        (
            "pending",
            &[
                "account",
                "count",
                "offset",
                "threshold",
                "source",
                "min_version",
                "sorting",
            ],
            receivable::pending,
        ),
        (
            "delegators",
            &["account", "count", "threshold", "start"],
            lists::delegators,
        ),
        ("delegators_count", &["account"], delegators_count),
        ("frontier_count", &[], frontier_count),
        ("account_count", &[], frontier_count),
        ("frontiers", &["account", "count"], lists::frontiers),
        (
            "representatives",
            &["count", "sorting"],
            lists::representatives,
        ),
    ];
    for (name, keys, run) in open {
        r.register(name, keys, Gate::Open, run)?;
    }
    r.register(
        "ledger",
        &[
            "count",
            "threshold",
            "account",
            "modified_since",
            "representative",
            "sorting",
            "weight",
            "pending",
            "receivable",
        ],
        Gate::Control,
        info::ledger,
    )?;
    r.register(
        "unopened",
        &["count", "threshold", "account"],
        Gate::Control,
        lists::unopened,
    )?;
    Ok(())
}

/// Collects what nano-node adds in front of an answer while it parses the request: the
/// `deprecated_account_format` flag, set by any address written with a dashed prefix.
#[derive(Default)]
struct Flags {
    deprecated_format: bool,
}

impl Flags {
    /// Parses an address as nano-node's `account_impl` does, noting a deprecated prefix.
    fn account(&mut self, api: &Api, text: &str) -> Result<Account, LegacyError> {
        let parsed = api.parse_account(text)?;
        self.deprecated_format |= parsed.deprecated_format;
        Ok(parsed.account)
    }

    /// The required `account` field.
    fn account_field(&mut self, api: &Api, req: &LegacyRequest) -> Result<Account, LegacyError> {
        self.account(api, req.required("account")?)
    }

    /// An optional address field (`start`, `ledger`'s `account`).
    fn optional_account(
        &mut self,
        api: &Api,
        req: &LegacyRequest,
        key: &str,
    ) -> Result<Option<Account>, LegacyError> {
        req.text(key).map(|t| self.account(api, t)).transpose()
    }

    /// The answer: the flag first when set, then `body`'s keys.
    fn answer(&self, body: Tree) -> Tree {
        match self.deprecated_format {
            true => body.prefixed("deprecated_account_format", "1"),
            false => body,
        }
    }
}

/// A deprecated alias: the main action's answer with `"deprecated": "1"` first; an error answer
/// drops it, as in nano-node.
fn deprecated_alias(answer: Result<Tree, LegacyError>) -> Result<Tree, LegacyError> {
    answer.map(|body| body.prefixed("deprecated", "1"))
}

/// The texts of a required list field (`accounts`): missing is `Unable to parse JSON`; each item
/// reads as its text (an object or array item as `""`); a non-list value has no items.
fn list<'r>(req: &'r LegacyRequest, key: &str) -> Result<Vec<&'r str>, LegacyError> {
    let node = req.get(key).ok_or(LegacyError::UnableToParse)?;
    Ok(items(node))
}

/// The item texts of a list node (property-tree children), in order.
fn items(node: &Tree) -> Vec<&str> {
    match node {
        Tree::Children(children) => children
            .iter()
            .map(|(_, item)| match item {
                Tree::Text(t) => t.as_str(),
                Tree::Children(_) => "",
            })
            .collect(),
        Tree::Text(_) => Vec::new(),
    }
}

/// The optional `threshold` (decimal raw; `Bad threshold number`).
fn threshold(api: &Api, req: &LegacyRequest) -> Result<Amount, LegacyError> {
    Ok(api.parse_threshold(req.text("threshold"))?)
}

/// `account_block_count`: block_count. Errors: `Bad account number`, `Account not found`.
fn account_block_count(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let account = flags.account_field(api, req)?;
    let record = api.account_record(&account)?;
    let mut t = Tree::object();
    t.put("block_count", record.info.block_count.to_string());
    Ok(flags.answer(t))
}

/// `account_key`: key (the public key, 64 hex digits).
fn account_key(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let account = flags.account_field(api, req)?;
    let mut t = Tree::object();
    t.put("key", account.encode_hex());
    Ok(flags.answer(t))
}

/// `account_get`: account (the `nano_` address of a public key). Errors: `Bad public key`.
fn account_get(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let account = api.account_from_key(req.required("key")?)?;
    let mut t = Tree::object();
    t.put("account", account.encode_address());
    Ok(t)
}

/// `account_representative`: representative. Errors: `Bad account number`, `Account not found`.
fn account_representative(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let account = flags.account_field(api, req)?;
    let mut t = Tree::object();
    t.put(
        "representative",
        api.representative_of(&account)?.encode_address(),
    );
    Ok(flags.answer(t))
}

/// `delegators_count`: count (accounts of any balance whose representative is `account`).
fn delegators_count(api: &Api, _: &Caller, req: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut flags = Flags::default();
    let account = flags.account_field(api, req)?;
    let mut t = Tree::object();
    t.put("count", api.delegators_count(&account)?.to_string());
    Ok(flags.answer(t))
}

/// `frontier_count` and `account_count`: count (opened accounts; nano-node serves both names with
/// its `account_count` handler).
fn frontier_count(api: &Api, _: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    let mut t = Tree::object();
    t.put("count", api.frontier_count()?.to_string());
    Ok(t)
}
