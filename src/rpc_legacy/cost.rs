//! What a parsed legacy request costs, for the request core's offload decision (`api::offload`):
//! the legacy twins of the v2 list reads, judged by the count, offset or list length they ask
//! for, and the actions that scan a whole table whatever they ask. Actions registered as blocking
//! (`process`, `work_generate`, `block_create`) are `Blocking` by registration, not here.
//!
//! A count that does not parse is cheap: the action answers `Invalid count` at once.

use super::request::LegacyRequest;
use super::tree::Tree;
use crate::api::{Cost, OffloadLimits};

/// The cost of the inline action `action` asked with `req`.
pub fn of(action: &str, req: &LegacyRequest, limits: &OffloadLimits) -> Cost {
    let large = |n: u64| limits.is_large(n);
    let count = |default: u64| req.count_optional("count", default).is_ok_and(large);
    let offset = || req.offset().is_ok_and(large);
    let list = |key: &str| match req.get(key) {
        Some(Tree::Children(items)) => large(items.len() as u64),
        _ => false,
    };
    let present = |key: &str| req.get(key).is_some();
    let heavy = match action {
        // A filter or an offset walks blocks that are not returned.
        "account_history" | "history" => count(0) || offset() || present("account_filter"),
        "chain" | "successors" => count(0) || offset(),
        // A threshold or sorting reads entries that are not returned.
        "receivable" | "pending" => {
            count(u64::MAX) || offset() || present("threshold") || req.bool_option("sorting", false)
        }
        "accounts_receivable" | "accounts_pending" => {
            list("accounts")
                || count(u64::MAX)
                || present("threshold")
                || req.bool_option("sorting", false)
        }
        "accounts_balances" | "accounts_frontiers" | "accounts_representatives" => list("accounts"),
        "blocks" | "blocks_info" => list("hashes"),
        "frontiers" => count(0),
        "ledger" => count(u64::MAX) || req.bool_option("sorting", false) || present("threshold"),
        // Whole-table scans (every account, every weight, every receivable total) and the
        // confirmation history (up to 2048 rendered entries).
        "delegators"
        | "delegators_count"
        | "representatives"
        | "unopened"
        | "confirmation_history" => true,
        _ => false,
    };
    if heavy {
        Cost::Heavy
    } else {
        Cost::Cheap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(json: &str) -> Cost {
        let req = LegacyRequest::parse(json.as_bytes()).unwrap();
        of(req.action().unwrap(), &req, &OffloadLimits::default())
    }

    #[test]
    fn small_reads_stay_inline_and_large_ones_leave() {
        let a = "nano_1111111111111111111111111111111111111111111111111111hifc8npp";
        assert_eq!(
            cost(&format!(
                r#"{{"action":"account_history","account":"{a}","count":"10"}}"#
            )),
            Cost::Cheap
        );
        assert_eq!(
            cost(&format!(
                r#"{{"action":"account_history","account":"{a}","count":"-1"}}"#
            )),
            Cost::Heavy
        );
        assert_eq!(
            cost(&format!(
                r#"{{"action":"account_history","account":"{a}","count":"5","account_filter":["{a}"]}}"#
            )),
            Cost::Heavy
        );
        assert_eq!(
            cost(&format!(
                r#"{{"action":"account_history","account":"{a}","count":"x"}}"#
            )),
            Cost::Cheap
        );
        assert_eq!(
            cost(r#"{"action":"chain","block":"0","count":"100","offset":"1000"}"#),
            Cost::Heavy
        );
        assert_eq!(
            cost(&format!(
                r#"{{"action":"account_balance","account":"{a}"}}"#
            )),
            Cost::Cheap
        );
        assert_eq!(
            cost(&format!(r#"{{"action":"receivable","account":"{a}"}}"#)),
            Cost::Heavy
        );
        assert_eq!(
            cost(&format!(
                r#"{{"action":"receivable","account":"{a}","count":"5"}}"#
            )),
            Cost::Cheap
        );
        assert_eq!(
            cost(r#"{"action":"delegators_count","account":"x"}"#),
            Cost::Heavy
        );
        let few = vec![format!("\"{a}\""); 3].join(",");
        let many = vec![format!("\"{a}\""); 129].join(",");
        assert_eq!(
            cost(&format!(
                r#"{{"action":"accounts_balances","accounts":[{few}]}}"#
            )),
            Cost::Cheap
        );
        assert_eq!(
            cost(&format!(
                r#"{{"action":"accounts_balances","accounts":[{many}]}}"#
            )),
            Cost::Heavy
        );
        assert_eq!(
            cost(&format!(r#"{{"action":"blocks","hashes":[{many}]}}"#)),
            Cost::Heavy
        );
    }
}
