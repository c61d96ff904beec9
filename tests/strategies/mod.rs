//! proptest strategies for the owned object type of every table (`<Table>T`), shared by the
//! property tests (`codec_props.rs`) and the random differential test against flatc
//! (`flatc_compat.rs`). Strings are arbitrary Unicode, integers span their full range, enum
//! fields take undeclared values too, and every union member and vector length is drawn.
#![allow(dead_code)]

use nanoipc::schema::*;
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

mod blocks;
pub use blocks::*;
// ---- keys group ----
mod keys;
pub use keys::*;
// ---- session admin ----
mod admin;
pub use admin::*;

pub fn s() -> impl Strategy<Value = String> {
    any::<String>()
}

pub fn os() -> impl Strategy<Value = Option<String>> {
    of(s())
}

/// Declared values most of the time, any byte otherwise.
pub fn byte_enum(declared: i8) -> impl Strategy<Value = i8> {
    prop_oneof![4 => 0..declared, 1 => any::<i8>()]
}

pub fn block_state() -> impl Strategy<Value = BlockStateT> {
    (
        (os(), os(), os(), os(), os()),
        (os(), os(), os(), os()),
        byte_enum(5),
    )
        .prop_map(
            |((hash, account, previous, representative, balance), (link, laa, sig, work), st)| {
                BlockStateT {
                    hash,
                    account,
                    previous,
                    representative,
                    balance,
                    link,
                    link_as_account: laa,
                    signature: sig,
                    work,
                    subtype: BlockSubType(st),
                }
            },
        )
}

pub fn block_open() -> impl Strategy<Value = BlockOpenT> {
    (os(), os(), os(), os(), os(), os()).prop_map(
        |(hash, account, source, representative, signature, work)| BlockOpenT {
            hash,
            account,
            source,
            representative,
            signature,
            work,
        },
    )
}

pub fn block_receive() -> impl Strategy<Value = BlockReceiveT> {
    (os(), os(), os(), os(), os()).prop_map(|(hash, previous, source, signature, work)| {
        BlockReceiveT {
            hash,
            previous,
            source,
            signature,
            work,
        }
    })
}

pub fn block_send() -> impl Strategy<Value = BlockSendT> {
    (os(), os(), os(), os(), os(), os()).prop_map(
        |(hash, previous, destination, balance, signature, work)| BlockSendT {
            hash,
            previous,
            destination,
            balance,
            signature,
            work,
        },
    )
}

pub fn block_change() -> impl Strategy<Value = BlockChangeT> {
    (os(), os(), os(), os(), os()).prop_map(|(hash, previous, representative, signature, work)| {
        BlockChangeT {
            hash,
            previous,
            representative,
            signature,
            work,
        }
    })
}

pub fn block() -> impl Strategy<Value = BlockT> {
    prop_oneof![
        Just(BlockT::NONE),
        block_state().prop_map(|b| BlockT::BlockState(Box::new(b))),
        block_open().prop_map(|b| BlockT::BlockOpen(Box::new(b))),
        block_receive().prop_map(|b| BlockT::BlockReceive(Box::new(b))),
        block_send().prop_map(|b| BlockT::BlockSend(Box::new(b))),
        block_change().prop_map(|b| BlockT::BlockChange(Box::new(b))),
    ]
}

pub fn block_info() -> impl Strategy<Value = BlockInfoT> {
    (
        block(),
        (os(), os(), os(), any::<u64>(), any::<u64>(), os()),
        (any::<bool>(), byte_enum(5), any::<bool>(), os(), os()),
    )
        .prop_map(
            |(
                block,
                (account, amount, balance, height, local_timestamp, successor),
                (confirmed, st, receivable, receive_hash, source_account),
            )| BlockInfoT {
                block,
                account,
                amount,
                balance,
                height,
                local_timestamp,
                successor,
                confirmed,
                subtype: BlockSubType(st),
                receivable,
                receive_hash,
                source_account,
            },
        )
}

pub fn account_weight() -> impl Strategy<Value = AccountWeightT> {
    s().prop_map(|account| AccountWeightT { account })
}

pub fn account_weight_response() -> impl Strategy<Value = AccountWeightResponseT> {
    s().prop_map(|voting_weight| AccountWeightResponseT { voting_weight })
}

pub fn service_register() -> impl Strategy<Value = ServiceRegisterT> {
    os().prop_map(|service_name| ServiceRegisterT { service_name })
}

pub fn service_stop() -> impl Strategy<Value = ServiceStopT> {
    (s(), any::<bool>()).prop_map(|(service_name, restart)| ServiceStopT {
        service_name,
        restart,
    })
}

pub fn topic_service_stop() -> impl Strategy<Value = TopicServiceStopT> {
    any::<bool>().prop_map(|unsubscribe| TopicServiceStopT { unsubscribe })
}

pub fn topic_confirmation_options() -> impl Strategy<Value = TopicConfirmationOptionsT> {
    (
        byte_enum(5),
        any::<bool>(),
        of(vec(s(), 0..6)),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(f, all, accounts, blk, info)| TopicConfirmationOptionsT {
            confirmation_type_filter: TopicConfirmationTypeFilter(f),
            all_local_accounts: all,
            accounts,
            include_block: blk,
            include_election_info: info,
        })
}

pub fn topic_confirmation() -> impl Strategy<Value = TopicConfirmationT> {
    (
        any::<bool>(),
        of(topic_confirmation_options().prop_map(Box::new)),
    )
        .prop_map(|(unsubscribe, options)| TopicConfirmationT {
            unsubscribe,
            options,
        })
}

pub fn election_info() -> impl Strategy<Value = ElectionInfoT> {
    (
        any::<u64>(),
        any::<u64>(),
        os(),
        any::<u64>(),
        any::<u64>(),
        any::<u64>(),
    )
        .prop_map(
            |(duration, time, tally, request_count, block_count, voter_count)| ElectionInfoT {
                duration,
                time,
                tally,
                request_count,
                block_count,
                voter_count,
            },
        )
}

pub fn event_confirmation() -> impl Strategy<Value = EventConfirmationT> {
    (
        byte_enum(3),
        os(),
        os(),
        os(),
        block(),
        of(election_info().prop_map(Box::new)),
    )
        .prop_map(
            |(ct, account, amount, hash, block, election_info)| EventConfirmationT {
                confirmation_type: TopicConfirmationType(ct),
                account,
                amount,
                hash,
                block,
                election_info,
            },
        )
}

pub fn error() -> impl Strategy<Value = ErrorT> {
    (any::<i32>(), any::<i32>(), os()).prop_map(|(code, category, message)| ErrorT {
        code,
        category,
        message,
    })
}

pub fn success() -> impl Strategy<Value = SuccessT> {
    os().prop_map(|message| SuccessT { message })
}

pub fn message() -> impl Strategy<Value = MessageT> {
    prop_oneof![
        Just(MessageT::NONE),
        error().prop_map(|m| MessageT::Error(Box::new(m))),
        success().prop_map(|m| MessageT::Success(Box::new(m))),
        Just(MessageT::IsAlive(Box::default())),
        Just(MessageT::EventAck(Box::default())),
        block_info().prop_map(|m| MessageT::BlockInfo(Box::new(m))),
        account_weight().prop_map(|m| MessageT::AccountWeight(Box::new(m))),
        account_weight_response().prop_map(|m| MessageT::AccountWeightResponse(Box::new(m))),
        topic_confirmation().prop_map(|m| MessageT::TopicConfirmation(Box::new(m))),
        event_confirmation().prop_map(|m| MessageT::EventConfirmation(Box::new(m))),
        service_register().prop_map(|m| MessageT::ServiceRegister(Box::new(m))),
        service_stop().prop_map(|m| MessageT::ServiceStop(Box::new(m))),
        topic_service_stop().prop_map(|m| MessageT::TopicServiceStop(Box::new(m))),
        Just(MessageT::EventServiceStop(Box::default())),
        accounts::account_message(),
        blocks_message(),
        // ---- keys group ----
        keys_message(),
        // ---- session admin ----
        admin_message(),
        // ---- admin: metrics ----
        Just(MessageT::Metrics(Box::default())),
        metrics_response().prop_map(|m| MessageT::MetricsResponse(Box::new(m))),
    ]
}

pub fn metrics_response() -> impl Strategy<Value = MetricsResponseT> {
    (s(), s()).prop_map(|(text, content_type)| MetricsResponseT { text, content_type })
}

pub fn envelope() -> impl Strategy<Value = EnvelopeT> {
    (any::<u64>(), os(), os(), message()).prop_map(
        |(time, credentials, correlation_id, message)| EnvelopeT {
            time,
            credentials,
            correlation_id,
            message,
        },
    )
}

// ---- accounts strategies ----
mod accounts;
#[allow(unused_imports)] // flatc_compat uses only `message()`
pub use accounts::*;
