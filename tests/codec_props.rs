//! Property tests for every table of the schema: an owned object (`<Table>T`) survives
//! object → binary → object (pack, verify, unpack) and object → JSON → object (pack, write JSON,
//! parse the JSON strictly into a fresh builder, verify, unpack), in pretty and compact form.
//! Strings are arbitrary Unicode (NUL, controls, astral planes), integers span their full range,
//! enum fields take undeclared values too (flatc writes those as numbers), and every union member
//! and vector length is drawn. `every_schema_table_has_a_property` fails when a table is added to
//! the schema without a strategy here.

use flatbuffers::FlatBufferBuilder;
use nanoipc::schema::json::{self as j, envelope_from_json, envelope_to_json};
use nanoipc::schema::json_reader::parse_table;
use nanoipc::schema::*;
use proptest::prelude::*;

mod strategies;
use strategies::*;

fn strict() -> JsonOptions {
    JsonOptions {
        skip_unknown_fields: false,
    }
}

/// One property per table: binary and JSON round trips of an arbitrary object. `$Reader` is the
/// table's reader, `$Json` its generated JSON parser.
macro_rules! round_trips {
    ($($test:ident: $strategy:expr => $Reader:ident, $Json:ident;)*) => {
        /// The tables covered below, checked against the schema.
        const COVERED: &[&str] = &[$(stringify!($Reader)),*];
        proptest! {
            $(
                #[test]
                fn $test(obj in $strategy, pretty in any::<bool>()) {
                    let mut fbb = FlatBufferBuilder::new();
                    let root = obj.pack(&mut fbb);
                    fbb.finish(root, None);
                    let reader = flatbuffers::root::<$Reader>(fbb.finished_data())
                        .map_err(|e| TestCaseError::fail(format!("packed buffer: {e}")))?;
                    prop_assert_eq!(&reader.unpack(), &obj, "object → binary → object");

                    let text = to_json(&reader, pretty);
                    let mut fbb2 = FlatBufferBuilder::new();
                    let root2 = parse_table::<j::$Json>(&text, &strict(), &mut fbb2)
                        .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
                    fbb2.finish(root2, None);
                    let back = flatbuffers::root::<$Reader>(fbb2.finished_data())
                        .map_err(|e| TestCaseError::fail(format!("parsed buffer: {e}")))?;
                    prop_assert_eq!(&back.unpack(), &obj, "object → JSON → object\n{}", text);
                    // The JSON form is canonical: writing it again gives the same text.
                    prop_assert_eq!(to_json(&back, pretty), text);
                }
            )*
        }
    };
}

round_trips! {
    account_weight_round_trips: account_weight() => AccountWeight, AccountWeightJson;
    account_weight_response_round_trips: account_weight_response()
        => AccountWeightResponse, AccountWeightResponseJson;
    block_open_round_trips: block_open() => BlockOpen, BlockOpenJson;
    block_receive_round_trips: block_receive() => BlockReceive, BlockReceiveJson;
    block_send_round_trips: block_send() => BlockSend, BlockSendJson;
    block_change_round_trips: block_change() => BlockChange, BlockChangeJson;
    block_state_round_trips: block_state() => BlockState, BlockStateJson;
    block_info_round_trips: block_info() => BlockInfo, BlockInfoJson;
    service_register_round_trips: service_register() => ServiceRegister, ServiceRegisterJson;
    service_stop_round_trips: service_stop() => ServiceStop, ServiceStopJson;
    topic_service_stop_round_trips: topic_service_stop()
        => TopicServiceStop, TopicServiceStopJson;
    event_service_stop_round_trips: Just(EventServiceStopT {})
        => EventServiceStop, EventServiceStopJson;
    event_ack_round_trips: Just(EventAckT {}) => EventAck, EventAckJson;
    topic_confirmation_round_trips: topic_confirmation()
        => TopicConfirmation, TopicConfirmationJson;
    topic_confirmation_options_round_trips: topic_confirmation_options()
        => TopicConfirmationOptions, TopicConfirmationOptionsJson;
    event_confirmation_round_trips: event_confirmation()
        => EventConfirmation, EventConfirmationJson;
    election_info_round_trips: election_info() => ElectionInfo, ElectionInfoJson;
    error_round_trips: error() => Error, ErrorJson;
    success_round_trips: success() => Success, SuccessJson;
    is_alive_round_trips: Just(IsAliveT {}) => IsAlive, IsAliveJson;
    envelope_round_trips: envelope() => Envelope, EnvelopeJson;
    // ---- accounts tables ----
    account_balance_round_trips: account_balance() => AccountBalance, AccountBalanceJson;
    account_balance_response_round_trips: account_balance_response() => AccountBalanceResponse, AccountBalanceResponseJson;
    account_info_round_trips: account_info() => AccountInfo, AccountInfoJson;
    account_info_response_round_trips: account_info_response() => AccountInfoResponse, AccountInfoResponseJson;
    account_history_round_trips: account_history() => AccountHistory, AccountHistoryJson;
    account_history_entry_round_trips: account_history_entry() => AccountHistoryEntry, AccountHistoryEntryJson;
    account_history_response_round_trips: account_history_response() => AccountHistoryResponse, AccountHistoryResponseJson;
    account_representative_round_trips: account_representative() => AccountRepresentative, AccountRepresentativeJson;
    account_representative_response_round_trips: account_representative_response() => AccountRepresentativeResponse, AccountRepresentativeResponseJson;
    accounts_balances_round_trips: accounts_balances() => AccountsBalances, AccountsBalancesJson;
    account_balance_entry_round_trips: account_balance_entry() => AccountBalanceEntry, AccountBalanceEntryJson;
    accounts_balances_response_round_trips: accounts_balances_response() => AccountsBalancesResponse, AccountsBalancesResponseJson;
    receivable_round_trips: receivable() => Receivable, ReceivableJson;
    receivable_entry_round_trips: receivable_entry() => ReceivableEntry, ReceivableEntryJson;
    receivable_response_round_trips: receivable_response() => ReceivableResponse, ReceivableResponseJson;
    representatives_round_trips: representatives() => Representatives, RepresentativesJson;
    representative_weight_round_trips: representative_weight() => RepresentativeWeight, RepresentativeWeightJson;
    representatives_response_round_trips: representatives_response() => RepresentativesResponse, RepresentativesResponseJson;
    delegators_round_trips: delegators() => Delegators, DelegatorsJson;
    delegator_entry_round_trips: delegator_entry() => DelegatorEntry, DelegatorEntryJson;
    delegators_response_round_trips: delegators_response() => DelegatorsResponse, DelegatorsResponseJson;
    frontiers_round_trips: frontiers() => Frontiers, FrontiersJson;
    account_frontier_round_trips: account_frontier() => AccountFrontier, AccountFrontierJson;
    frontiers_response_round_trips: frontiers_response() => FrontiersResponse, FrontiersResponseJson;
    // ---- blocks messages ----
    version_round_trips: Just(VersionT {}) => Version, VersionJson;
    version_response_round_trips: version_response() => VersionResponse, VersionResponseJson;
    block_count_round_trips: Just(BlockCountT {}) => BlockCount, BlockCountJson;
    block_count_response_round_trips: block_count_response()
        => BlockCountResponse, BlockCountResponseJson;
    uptime_round_trips: Just(UptimeT {}) => Uptime, UptimeJson;
    uptime_response_round_trips: uptime_response() => UptimeResponse, UptimeResponseJson;
    available_supply_round_trips: Just(AvailableSupplyT {})
        => AvailableSupply, AvailableSupplyJson;
    available_supply_response_round_trips: available_supply_response()
        => AvailableSupplyResponse, AvailableSupplyResponseJson;
    block_query_round_trips: block_query() => BlockQuery, BlockQueryJson;
    blocks_round_trips: blocks() => Blocks, BlocksJson;
    blocks_response_round_trips: blocks_response() => BlocksResponse, BlocksResponseJson;
    chain_round_trips: chain() => Chain, ChainJson;
    successors_round_trips: successors() => Successors, SuccessorsJson;
    chain_response_round_trips: chain_response() => ChainResponse, ChainResponseJson;
    receivable_exists_round_trips: receivable_exists() => ReceivableExists, ReceivableExistsJson;
    receivable_exists_response_round_trips: receivable_exists_response()
        => ReceivableExistsResponse, ReceivableExistsResponseJson;
    // ---- keys group ----
    process_round_trips: process() => Process, ProcessJson;
    process_response_round_trips: process_response() => ProcessResponse, ProcessResponseJson;
    work_generate_round_trips: work_generate() => WorkGenerate, WorkGenerateJson;
    work_generate_response_round_trips: work_generate_response()
        => WorkGenerateResponse, WorkGenerateResponseJson;
    work_validate_round_trips: work_validate() => WorkValidate, WorkValidateJson;
    work_validate_response_round_trips: work_validate_response()
        => WorkValidateResponse, WorkValidateResponseJson;
    work_cancel_round_trips: work_cancel() => WorkCancel, WorkCancelJson;
    validate_account_number_round_trips: validate_account_number()
        => ValidateAccountNumber, ValidateAccountNumberJson;
    validate_account_number_response_round_trips: validate_account_number_response()
        => ValidateAccountNumberResponse, ValidateAccountNumberResponseJson;
    key_create_round_trips: Just(KeyCreateT {}) => KeyCreate, KeyCreateJson;
    key_expand_round_trips: key_expand() => KeyExpand, KeyExpandJson;
    deterministic_key_round_trips: deterministic_key() => DeterministicKey, DeterministicKeyJson;
    key_pair_round_trips: key_pair() => KeyPair, KeyPairJson;
    block_create_round_trips: block_create() => BlockCreate, BlockCreateJson;
    block_create_response_round_trips: block_create_response()
        => BlockCreateResponse, BlockCreateResponseJson;
    sign_round_trips: sign() => Sign, SignJson;
    sign_response_round_trips: sign_response() => SignResponse, SignResponseJson;
    // ---- session admin ----
    get_info_round_trips: Just(GetInfoT {}) => GetInfo, GetInfoJson;
    get_info_response_round_trips: get_info_response() => GetInfoResponse, GetInfoResponseJson;
    sessions_round_trips: Just(SessionsT {}) => Sessions, SessionsJson;
    session_info_round_trips: session_info() => SessionInfo, SessionInfoJson;
    sessions_response_round_trips: sessions_response() => SessionsResponse, SessionsResponseJson;
    session_disconnect_round_trips: session_disconnect()
        => SessionDisconnect, SessionDisconnectJson;
    session_disconnect_response_round_trips: session_disconnect_response()
        => SessionDisconnectResponse, SessionDisconnectResponseJson;
    session_log_round_trips: session_log() => SessionLog, SessionLogJson;
    session_log_state_round_trips: session_log_state() => SessionLogState, SessionLogStateJson;
    session_log_response_round_trips: session_log_response()
        => SessionLogResponse, SessionLogResponseJson;
    // ---- admin: metrics ----
    metrics_round_trips: Just(MetricsT {}) => Metrics, MetricsJson;
    metrics_response_round_trips: metrics_response() => MetricsResponse, MetricsResponseJson;
}

proptest! {
    /// The Envelope entry points (`envelope_from_json`, `envelope_to_json`, verified root) agree
    /// with the object API, in both layouts.
    #[test]
    fn envelope_entry_points_round_trip(obj in envelope(), pretty in any::<bool>()) {
        let mut fbb = FlatBufferBuilder::new();
        let root = obj.pack(&mut fbb);
        finish_envelope_buffer(&mut fbb, root);
        let env = root_as_envelope(fbb.finished_data())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let text = envelope_to_json(&env, pretty);
        let buf = envelope_from_json(&text, &strict())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let back = root_as_envelope(&buf).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.unpack(), obj);
    }

    /// A bare message (as `POST /api/v2/<Message>` carries it) parses back under its tag.
    #[test]
    fn bare_message_round_trips(msg in message(), pretty in any::<bool>()) {
        prop_assume!(msg.union_type() != Message::NONE);
        let obj = EnvelopeT { message: msg, ..Default::default() };
        let mut fbb = FlatBufferBuilder::new();
        let root = obj.pack(&mut fbb);
        finish_envelope_buffer(&mut fbb, root);
        let env = root_as_envelope(fbb.finished_data())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut w = JsonWriter::new(pretty);
        prop_assert!(j::write_envelope_message_json(&env, &mut w));
        let text = w.finish();
        let mut fbb2 = FlatBufferBuilder::new();
        let value = j::parse_message_json(env.message_type(), &text, &strict(), &mut fbb2)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let root2 = Envelope::create(&mut fbb2, &EnvelopeArgs {
            message_type: env.message_type(),
            message: Some(value),
            ..Default::default()
        });
        finish_envelope_buffer(&mut fbb2, root2);
        let back = root_as_envelope(fbb2.finished_data())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.unpack(), obj);
    }
}

#[test]
fn every_schema_table_has_a_property() {
    let schema = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/nanoapi.fbs"),
    )
    .expect("schema readable");
    let tables: Vec<&str> = schema
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("table "))
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
        })
        .collect();
    assert!(tables.len() >= 21, "{tables:?}");
    for t in &tables {
        assert!(COVERED.contains(t), "table {t} has no round-trip property");
    }
    assert_eq!(COVERED.len(), tables.len(), "{COVERED:?} vs {tables:?}");
}
