//! The answers of the two hot account reads, `AccountInfo` and `AccountHistory`, as typed values
//! in the schema's field order, written either into a response builder (encoding 3) or straight
//! as JSON (encoding 4).
//!
//! Why both: a JSON answer written from the builder has to be read back from the finished buffer,
//! and reading a buffer safely means verifying it first, which cost as much as building it. These
//! answers are rendered from the values they were built from instead, so nothing is verified that
//! this process did not parse from a client. `tests/v2_accounts.rs` checks that both forms say the
//! same thing, field by field.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::render::{address, amount, hex32, json};
use super::{parse_account, Api, ApiError, InfoQuery};
use super::{HistoryEntry, HistoryKind, HistoryQuery, HistoryStart};
use crate::ledger::primitives::{Account, Amount, Block, BlockHash, Signature, Work};
use crate::schema::{
    AccountHistory, AccountHistoryEntry, AccountHistoryEntryArgs, AccountHistoryResponse,
    AccountHistoryResponseArgs, AccountInfo, AccountInfoResponse, AccountInfoResponseArgs,
    Envelope, JsonWriter, Message,
};

/// A typed answer that can also be written as JSON without a builder.
// It lives on the stack for one request; boxing the larger variant would cost an allocation.
#[allow(clippy::large_enum_variant)]
pub(in crate::api) enum DirectAnswer {
    Info(InfoAnswer),
    History(HistoryAnswer),
}

impl DirectAnswer {
    /// The answer's message type.
    pub(in crate::api) fn message_type(&self) -> Message {
        match self {
            DirectAnswer::Info(_) => Message::AccountInfoResponse,
            DirectAnswer::History(_) => Message::AccountHistoryResponse,
        }
    }

    /// Writes the message table as a JSON object.
    pub(in crate::api) fn write_json(&self, w: &mut JsonWriter) {
        match self {
            DirectAnswer::Info(a) => a.write_json(w),
            DirectAnswer::History(a) => a.write_json(w),
        }
    }
}

impl Api {
    /// The typed answer to a request answered without a builder in JSON; `None` for every other
    /// request (and for a union tag without its table, which the generated dispatch reports).
    pub(in crate::api) fn direct_answer(
        &self,
        env: &Envelope<'_>,
    ) -> Option<Result<DirectAnswer, ApiError>> {
        match env.message_type() {
            Message::AccountInfo => {
                let req = env.message_as_account_info()?;
                Some(self.info_answer(req).map(DirectAnswer::Info))
            }
            Message::AccountHistory => {
                let req = env.message_as_account_history()?;
                Some(self.history_answer(req).map(DirectAnswer::History))
            }
            _ => None,
        }
    }

    /// `AccountInfo`: reads the request and the account.
    pub(super) fn info_answer(&self, req: AccountInfo<'_>) -> Result<InfoAnswer, ApiError> {
        let account = parse_account(req.account())?.account;
        let query = InfoQuery {
            weight: req.weight(),
            receivable: req.receivable(),
            include_confirmed: req.include_confirmed(),
        };
        let s = self.account_summary(&account, query)?;
        let info = &s.record.info;
        let representative = req.representative();
        let confirmed = s.confirmed.as_ref();
        Ok(InfoAnswer {
            frontier: info.head,
            open_block: info.open_block,
            representative_block: s.record.representative_block,
            balance: info.balance,
            modified_timestamp: info.modified,
            block_count: info.block_count,
            account_version: u32::from(info.epoch),
            confirmed_height: info.confirmation_height,
            confirmed_frontier: info.confirmation_frontier,
            representative: representative.then_some(info.representative),
            weight: s.record.weight,
            receivable: s.record.receivable,
            confirmed_balance: confirmed.map(|c| c.balance),
            confirmed_representative: confirmed
                .filter(|_| representative)
                .map(|c| c.representative),
            // Every send is cemented on acceptance: the confirmed total is the total.
            confirmed_receivable: confirmed.and(s.record.receivable),
        })
    }

    /// `AccountHistory`: reads the request and walks the chain.
    pub(super) fn history_answer(
        &self,
        req: AccountHistory<'_>,
    ) -> Result<HistoryAnswer, ApiError> {
        let filter = req
            .account_filter()
            .into_iter()
            .flatten()
            .map(|a| parse_account(a).map(|p| p.account))
            .collect::<Result<Vec<Account>, ApiError>>()?;
        let start = match req.head() {
            Some(head) => HistoryStart::Head(
                BlockHash::decode_hex(head)
                    .map_err(|_| ApiError::InvalidArgument("Bad hash number"))?,
            ),
            None => HistoryStart::Account(parse_account(req.account().unwrap_or(""))?.account),
        };
        let query = HistoryQuery {
            start,
            count: req.count(),
            offset: req.offset(),
            reverse: req.reverse(),
            raw: req.raw(),
            filter,
        };
        let page = self.history(&query)?;
        Ok(HistoryAnswer {
            account: page.account,
            previous: page.next.filter(|_| !query.reverse),
            next: page.next.filter(|_| query.reverse),
            history: page.entries,
            raw: query.raw,
        })
    }
}

/// `AccountInfoResponse`'s fields in schema order.
pub(in crate::api) struct InfoAnswer {
    frontier: BlockHash,
    open_block: BlockHash,
    representative_block: BlockHash,
    balance: Amount,
    modified_timestamp: u64,
    block_count: u64,
    account_version: u32,
    confirmed_height: u64,
    confirmed_frontier: BlockHash,
    representative: Option<Account>,
    weight: Option<Amount>,
    receivable: Option<Amount>,
    confirmed_balance: Option<Amount>,
    confirmed_representative: Option<Account>,
    confirmed_receivable: Option<Amount>,
}

impl InfoAnswer {
    pub(super) fn build<'b>(
        &self,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> WIPOffset<AccountInfoResponse<'b>> {
        let args = AccountInfoResponseArgs {
            frontier: Some(hex32(fbb, &self.frontier.0)),
            open_block: Some(hex32(fbb, &self.open_block.0)),
            representative_block: Some(hex32(fbb, &self.representative_block.0)),
            balance: Some(amount(fbb, self.balance)),
            modified_timestamp: self.modified_timestamp,
            block_count: self.block_count,
            account_version: self.account_version,
            confirmed_height: self.confirmed_height,
            confirmed_frontier: Some(hex32(fbb, &self.confirmed_frontier.0)),
            representative: self.representative.map(|r| address(fbb, &r)),
            weight: self.weight.map(|a| amount(fbb, a)),
            receivable: self.receivable.map(|a| amount(fbb, a)),
            confirmed_balance: self.confirmed_balance.map(|a| amount(fbb, a)),
            confirmed_representative: self.confirmed_representative.map(|r| address(fbb, &r)),
            confirmed_receivable: self.confirmed_receivable.map(|a| amount(fbb, a)),
        };
        AccountInfoResponse::create(fbb, &args)
    }

    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        json::hex32(w, "frontier", &self.frontier.0);
        json::hex32(w, "open_block", &self.open_block.0);
        json::hex32(w, "representative_block", &self.representative_block.0);
        json::amount(w, "balance", self.balance);
        json::u64(w, "modified_timestamp", self.modified_timestamp);
        json::u64(w, "block_count", self.block_count);
        json::u64(w, "account_version", u64::from(self.account_version));
        json::u64(w, "confirmed_height", self.confirmed_height);
        json::hex32(w, "confirmed_frontier", &self.confirmed_frontier.0);
        optional(w, "representative", self.representative, json::address);
        optional(w, "weight", self.weight, amount_ref);
        optional(w, "receivable", self.receivable, amount_ref);
        optional(w, "confirmed_balance", self.confirmed_balance, amount_ref);
        optional(
            w,
            "confirmed_representative",
            self.confirmed_representative,
            json::address,
        );
        optional(
            w,
            "confirmed_receivable",
            self.confirmed_receivable,
            amount_ref,
        );
        w.end_object();
    }
}

/// `AccountHistoryResponse`'s fields in schema order. Each entry's fields are worked out as it is
/// written ([`entry`]), so a page is not copied into a second list first.
pub(in crate::api) struct HistoryAnswer {
    account: Account,
    history: Vec<HistoryEntry>,
    previous: Option<BlockHash>,
    next: Option<BlockHash>,
    /// Entries carry their blocks' own fields (nano-node's `raw`).
    raw: bool,
}

impl HistoryAnswer {
    pub(super) fn build<'b>(
        &self,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> WIPOffset<AccountHistoryResponse<'b>> {
        let history: Vec<_> = self
            .history
            .iter()
            .map(|e| entry(e, self.raw).build(fbb))
            .collect();
        let history = fbb.create_vector(&history);
        let args = AccountHistoryResponseArgs {
            account: Some(address(fbb, &self.account)),
            history: Some(history),
            previous: self.previous.map(|h| hex32(fbb, &h.0)),
            next: self.next.map(|h| hex32(fbb, &h.0)),
        };
        AccountHistoryResponse::create(fbb, &args)
    }

    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        json::address(w, "account", &self.account);
        w.key("history");
        w.begin_array();
        for e in &self.history {
            w.element();
            entry(e, self.raw).write_json(w);
        }
        w.end_array();
        optional(w, "previous", self.previous, hash_ref);
        optional(w, "next", self.next, hash_ref);
        w.end_object();
    }
}

/// `AccountHistoryEntry`'s fields in schema order: the same keys as nano-node's legacy entry.
struct EntryAnswer {
    r#type: &'static str,
    subtype: Option<&'static str>,
    account: Option<Account>,
    amount: Option<Amount>,
    local_timestamp: u64,
    height: u64,
    hash: BlockHash,
    confirmed: bool,
    representative: Option<Account>,
    link: Option<BlockHash>,
    balance: Option<Amount>,
    previous: Option<BlockHash>,
    source: Option<BlockHash>,
    destination: Option<Account>,
    opened: Option<Account>,
    work: Option<Work>,
    signature: Option<Signature>,
}

/// A history entry in the v2 shape; `raw` adds the block's own fields (nano-node's `raw`).
fn entry(e: &HistoryEntry, raw: bool) -> EntryAnswer {
    let kind = e.kind.map(HistoryKind::name);
    let mut out = EntryAnswer {
        r#type: kind.unwrap_or_default(),
        subtype: None,
        account: e.account,
        amount: e.amount,
        local_timestamp: e.local_timestamp,
        height: e.height,
        hash: e.hash,
        confirmed: e.confirmed,
        representative: None,
        link: None,
        balance: None,
        previous: None,
        source: None,
        destination: None,
        opened: None,
        work: None,
        signature: None,
    };
    if !raw {
        return out;
    }
    out.r#type = e.block.block_type().name();
    out.work = Some(e.block.work());
    out.signature = Some(e.block.signature());
    out.representative = e.block.representative_field();
    match &e.block {
        Block::State(s) => {
            out.subtype = kind;
            out.link = Some(BlockHash(s.link.0));
            out.balance = Some(s.balance);
        }
        Block::Send(s) => {
            out.destination = Some(s.destination);
            out.balance = Some(s.balance);
        }
        Block::Receive(r) => out.source = Some(r.source),
        Block::Open(o) => {
            out.source = Some(o.source);
            out.opened = Some(o.account);
        }
        Block::Change(_) => {}
    }
    out.previous = (!matches!(e.block, Block::Open(_))).then(|| e.block.previous());
    out
}

impl EntryAnswer {
    fn build<'b>(&self, fbb: &mut FlatBufferBuilder<'b>) -> WIPOffset<AccountHistoryEntry<'b>> {
        let hash_text =
            |fbb: &mut FlatBufferBuilder<'b>, h: Option<BlockHash>| h.map(|h| hex32(fbb, &h.0));
        let args = AccountHistoryEntryArgs {
            r#type: Some(fbb.create_string(self.r#type)),
            subtype: self.subtype.map(|s| fbb.create_string(s)),
            account: self.account.map(|a| address(fbb, &a)),
            amount: self.amount.map(|a| amount(fbb, a)),
            local_timestamp: self.local_timestamp,
            height: self.height,
            hash: Some(hex32(fbb, &self.hash.0)),
            confirmed: self.confirmed,
            representative: self.representative.map(|a| address(fbb, &a)),
            link: hash_text(fbb, self.link),
            balance: self.balance.map(|a| amount(fbb, a)),
            previous: hash_text(fbb, self.previous),
            source: hash_text(fbb, self.source),
            destination: self.destination.map(|a| address(fbb, &a)),
            opened: self.opened.map(|a| address(fbb, &a)),
            work: self.work.map(|x| fbb.create_string(&x.encode_hex())),
            signature: self.signature.map(|x| fbb.create_string(&x.encode_hex())),
        };
        AccountHistoryEntry::create(fbb, &args)
    }

    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        json::str(w, "type", self.r#type);
        optional(w, "subtype", self.subtype, |w, k, s: &&str| {
            json::str(w, k, s)
        });
        optional(w, "account", self.account, json::address);
        optional(w, "amount", self.amount, amount_ref);
        json::u64(w, "local_timestamp", self.local_timestamp);
        json::u64(w, "height", self.height);
        json::hex32(w, "hash", &self.hash.0);
        json::flag(w, "confirmed", self.confirmed);
        optional(w, "representative", self.representative, json::address);
        optional(w, "link", self.link, hash_ref);
        optional(w, "balance", self.balance, amount_ref);
        optional(w, "previous", self.previous, hash_ref);
        optional(w, "source", self.source, hash_ref);
        optional(w, "destination", self.destination, json::address);
        optional(w, "opened", self.opened, json::address);
        optional(w, "work", self.work, |w, k, x: &Work| {
            json::str(w, k, &x.encode_hex())
        });
        optional(w, "signature", self.signature, |w, k, x: &Signature| {
            json::str(w, k, &x.encode_hex())
        });
        w.end_object();
    }
}

/// Writes the member `key` when `value` is set (an absent optional field has no member).
fn optional<T>(
    w: &mut JsonWriter,
    key: &str,
    value: Option<T>,
    write: impl FnOnce(&mut JsonWriter, &str, &T),
) {
    if let Some(v) = value {
        write(w, key, &v);
    }
}

fn amount_ref(w: &mut JsonWriter, key: &str, a: &Amount) {
    json::amount(w, key, *a);
}

fn hash_ref(w: &mut JsonWriter, key: &str, h: &BlockHash) {
    json::hex32(w, key, &h.0);
}
