//! Strategies for the keys group's tables (Process … SignResponse). Doubles are drawn from
//! quarters of an i32: exact in binary and within the 12 decimals flatc's JSON form keeps, so the
//! JSON round trip is exact.

use nanoipc::schema::*;
use proptest::prelude::*;

use super::{block, os, s};

fn quarter() -> impl Strategy<Value = f64> {
    any::<i32>().prop_map(|n| f64::from(n) / 4.0)
}

pub fn process() -> impl Strategy<Value = ProcessT> {
    (block(), os()).prop_map(|(block, subtype)| ProcessT { block, subtype })
}

pub fn process_response() -> impl Strategy<Value = ProcessResponseT> {
    s().prop_map(|hash| ProcessResponseT { hash })
}

pub fn work_generate() -> impl Strategy<Value = WorkGenerateT> {
    (s(), os(), quarter(), os(), block()).prop_map(
        |(hash, difficulty, multiplier, version, block)| WorkGenerateT {
            hash,
            difficulty,
            multiplier,
            version,
            block,
        },
    )
}

pub fn work_generate_response() -> impl Strategy<Value = WorkGenerateResponseT> {
    (s(), s(), s(), quarter()).prop_map(|(hash, work, difficulty, multiplier)| {
        WorkGenerateResponseT {
            hash,
            work,
            difficulty,
            multiplier,
        }
    })
}

pub fn work_validate() -> impl Strategy<Value = WorkValidateT> {
    (s(), os(), os(), quarter(), os()).prop_map(|(hash, work, difficulty, multiplier, version)| {
        WorkValidateT {
            hash,
            work,
            difficulty,
            multiplier,
            version,
        }
    })
}

pub fn work_validate_response() -> impl Strategy<Value = WorkValidateResponseT> {
    (any::<[bool; 3]>(), s(), quarter()).prop_map(
        |([valid, valid_all, valid_receive], difficulty, multiplier)| WorkValidateResponseT {
            valid,
            valid_all,
            valid_receive,
            difficulty,
            multiplier,
        },
    )
}

pub fn work_cancel() -> impl Strategy<Value = WorkCancelT> {
    s().prop_map(|hash| WorkCancelT { hash })
}

pub fn validate_account_number() -> impl Strategy<Value = ValidateAccountNumberT> {
    s().prop_map(|account| ValidateAccountNumberT { account })
}

pub fn validate_account_number_response() -> impl Strategy<Value = ValidateAccountNumberResponseT> {
    any::<bool>().prop_map(|valid| ValidateAccountNumberResponseT { valid })
}

pub fn key_expand() -> impl Strategy<Value = KeyExpandT> {
    s().prop_map(|key| KeyExpandT { key })
}

pub fn deterministic_key() -> impl Strategy<Value = DeterministicKeyT> {
    (s(), any::<u32>()).prop_map(|(seed, index)| DeterministicKeyT { seed, index })
}

pub fn key_pair() -> impl Strategy<Value = KeyPairT> {
    (s(), s(), s()).prop_map(|(private, public, account)| KeyPairT {
        private,
        public,
        account,
    })
}

pub fn block_create() -> impl Strategy<Value = BlockCreateT> {
    (s(), (os(), os(), os(), os()), (os(), os(), os(), os())).prop_map(
        |(key, (account, previous, representative, balance), (link, work, difficulty, version))| {
            BlockCreateT {
                key,
                account,
                previous,
                representative,
                balance,
                link,
                work,
                difficulty,
                version,
            }
        },
    )
}

pub fn block_create_response() -> impl Strategy<Value = BlockCreateResponseT> {
    (s(), s(), block()).prop_map(|(hash, difficulty, block)| BlockCreateResponseT {
        hash,
        difficulty,
        block,
    })
}

pub fn sign() -> impl Strategy<Value = SignT> {
    (s(), os(), block()).prop_map(|(key, hash, block)| SignT { key, hash, block })
}

pub fn sign_response() -> impl Strategy<Value = SignResponseT> {
    (s(), block()).prop_map(|(signature, block)| SignResponseT { signature, block })
}

/// Every keys-group message, for the `Message` union strategy.
pub fn keys_message() -> impl Strategy<Value = MessageT> {
    prop_oneof![
        process().prop_map(|m| MessageT::Process(Box::new(m))),
        process_response().prop_map(|m| MessageT::ProcessResponse(Box::new(m))),
        work_generate().prop_map(|m| MessageT::WorkGenerate(Box::new(m))),
        work_generate_response().prop_map(|m| MessageT::WorkGenerateResponse(Box::new(m))),
        work_validate().prop_map(|m| MessageT::WorkValidate(Box::new(m))),
        work_validate_response().prop_map(|m| MessageT::WorkValidateResponse(Box::new(m))),
        work_cancel().prop_map(|m| MessageT::WorkCancel(Box::new(m))),
        validate_account_number().prop_map(|m| MessageT::ValidateAccountNumber(Box::new(m))),
        validate_account_number_response()
            .prop_map(|m| MessageT::ValidateAccountNumberResponse(Box::new(m))),
        Just(MessageT::KeyCreate(Box::default())),
        key_expand().prop_map(|m| MessageT::KeyExpand(Box::new(m))),
        deterministic_key().prop_map(|m| MessageT::DeterministicKey(Box::new(m))),
        key_pair().prop_map(|m| MessageT::KeyPair(Box::new(m))),
        block_create().prop_map(|m| MessageT::BlockCreate(Box::new(m))),
        block_create_response().prop_map(|m| MessageT::BlockCreateResponse(Box::new(m))),
        sign().prop_map(|m| MessageT::Sign(Box::new(m))),
        sign_response().prop_map(|m| MessageT::SignResponse(Box::new(m))),
    ]
}
