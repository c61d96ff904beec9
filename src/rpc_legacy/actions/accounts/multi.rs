//! The several-accounts reads: `accounts_balances`, `accounts_frontiers` and
//! `accounts_representatives`. Each address is answered on its own: a bad or unopened one goes
//! into `errors` (keyed by the text as sent) and the others are still answered. Each object is
//! left out when empty; both empty (no addresses) is nano-node's `Empty response`.

use super::{list, Flags};
use crate::api::Api;
use crate::api::Caller;
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::LegacyError;

/// An answer object written with property-tree `put` semantics: a key seen again replaces the
/// earlier value in place (so an address sent twice is answered once).
#[derive(Default)]
struct Keyed(Vec<(String, Tree)>);

impl Keyed {
    fn put(&mut self, key: &str, value: Tree) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.to_owned(), value)),
        }
    }

    /// Adds the object under `name` unless it is empty.
    fn add_to(self, t: &mut Tree, name: &str) {
        if !self.0.is_empty() {
            t.push(name, Tree::Children(self.0));
        }
    }
}

/// `accounts_balances`: `[deprecated_account_format]`, `[balances]` (sent text → balance,
/// pending, receivable), `[errors]` (sent text → `Bad account number`).
/// `include_only_confirmed` is accepted and changes nothing (every block is cemented).
pub(super) fn accounts_balances(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    let texts = list(req, "accounts")?;
    let mut flags = Flags::default();
    let (mut balances, mut errors) = (Keyed::default(), Keyed::default());
    for entry in api.balances_of(texts)? {
        match entry.result {
            Ok((parsed, b)) => {
                flags.deprecated_format |= parsed.deprecated_format;
                let receivable = b.receivable.to_string();
                let mut e = Tree::object();
                e.put("balance", b.balance.to_string())
                    .put("pending", receivable.clone())
                    .put("receivable", receivable);
                balances.put(&entry.text, e);
            }
            Err(message) => errors.put(&entry.text, Tree::text(message)),
        }
    }
    let mut t = Tree::object();
    balances.add_to(&mut t, "balances");
    errors.add_to(&mut t, "errors");
    Ok(flags.answer(t))
}

/// `accounts_frontiers`: `[deprecated_account_format]`, `[frontiers]` (normalized `nano_`
/// address → head hash), `[errors]` (sent text → `Bad account number` / `Account not found`).
pub(super) fn accounts_frontiers(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    per_account(api, req, "frontiers", |api, flags, text| {
        let account = flags.account(api, text)?;
        let head = api.account_record(&account)?.info.head;
        Ok((account.encode_address(), head.encode_hex()))
    })
}

/// `accounts_representatives`: `[deprecated_account_format]`, `[representatives]` (sent text →
/// representative address), `[errors]` (sent text → `Bad account number` / `Account not
/// found`).
pub(super) fn accounts_representatives(
    api: &Api,
    _: &Caller,
    req: &LegacyRequest,
) -> Result<Tree, LegacyError> {
    per_account(api, req, "representatives", |api, flags, text| {
        let account = flags.account(api, text)?;
        Ok((
            text.to_owned(),
            api.representative_of(&account)?.encode_address(),
        ))
    })
}

/// Answers each address of `accounts` with `one` (its key and value under `name`), or its
/// error text under `errors`. Store failures still fail the request.
fn per_account(
    api: &Api,
    req: &LegacyRequest,
    name: &str,
    one: impl Fn(&Api, &mut Flags, &str) -> Result<(String, String), LegacyError>,
) -> Result<Tree, LegacyError> {
    let texts = list(req, "accounts")?;
    let mut flags = Flags::default();
    let (mut found, mut errors) = (Keyed::default(), Keyed::default());
    for text in texts {
        match one(api, &mut flags, text) {
            Ok((key, value)) => found.put(&key, Tree::text(value)),
            Err(LegacyError::Message(m)) => errors.put(text, Tree::text(m)),
            Err(other) => return Err(other),
        }
    }
    let mut t = Tree::object();
    found.add_to(&mut t, name);
    errors.add_to(&mut t, "errors");
    Ok(flags.answer(t))
}
