//! Strategies for the session admin tables (GetInfo … SessionLogResponse).

use nanoipc::schema::*;
use proptest::collection::vec;
use proptest::prelude::*;

use super::s;

pub fn get_info_response() -> impl Strategy<Value = GetInfoResponseT> {
    (any::<[u64; 5]>(), any::<[u64; 4]>()).prop_map(|(a, b)| GetInfoResponseT {
        sessions: a[0],
        requests_in_flight: a[1],
        errors: a[2],
        paused_sessions: a[3],
        pending_request_bytes: a[4],
        uptime: b[0],
        block_count: b[1],
        cemented_count: b[2],
        account_count: b[3],
    })
}

pub fn session_info() -> impl Strategy<Value = SessionInfoT> {
    (any::<[u64; 7]>(), s(), s(), any::<(bool, bool)>()).prop_map(
        |(n, transport, peer, (logging, paused))| SessionInfoT {
            id: n[0],
            transport,
            peer,
            requests: n[1],
            bytes_in: n[2],
            bytes_out: n[3],
            errors: n[4],
            age: n[5],
            logging,
            paused,
        },
    )
}

pub fn sessions_response() -> impl Strategy<Value = SessionsResponseT> {
    vec(session_info(), 0..4).prop_map(|sessions| SessionsResponseT { sessions })
}

fn ids() -> impl Strategy<Value = Vec<u64>> {
    vec(any::<u64>(), 0..6)
}

pub fn session_disconnect() -> impl Strategy<Value = SessionDisconnectT> {
    ids().prop_map(|ids| SessionDisconnectT { ids })
}

pub fn session_disconnect_response() -> impl Strategy<Value = SessionDisconnectResponseT> {
    ids().prop_map(|disconnected| SessionDisconnectResponseT { disconnected })
}

pub fn session_log() -> impl Strategy<Value = SessionLogT> {
    ids().prop_map(|ids| SessionLogT { ids })
}

pub fn session_log_state() -> impl Strategy<Value = SessionLogStateT> {
    any::<(u64, bool)>().prop_map(|(id, logging)| SessionLogStateT { id, logging })
}

pub fn session_log_response() -> impl Strategy<Value = SessionLogResponseT> {
    vec(session_log_state(), 0..4).prop_map(|sessions| SessionLogResponseT { sessions })
}

/// Every session admin message, for the `Message` union strategy.
pub fn admin_message() -> impl Strategy<Value = MessageT> {
    prop_oneof![
        Just(MessageT::GetInfo(Box::default())),
        get_info_response().prop_map(|m| MessageT::GetInfoResponse(Box::new(m))),
        Just(MessageT::Sessions(Box::default())),
        sessions_response().prop_map(|m| MessageT::SessionsResponse(Box::new(m))),
        session_disconnect().prop_map(|m| MessageT::SessionDisconnect(Box::new(m))),
        session_disconnect_response()
            .prop_map(|m| MessageT::SessionDisconnectResponse(Box::new(m))),
        session_log().prop_map(|m| MessageT::SessionLog(Box::new(m))),
        session_log_response().prop_map(|m| MessageT::SessionLogResponse(Box::new(m))),
    ]
}
