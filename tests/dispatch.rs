//! The generated registry and dispatch: names ↔ tags, request → response and permissions come
//! from the schema's `rpc_service`, and `dispatch` routes every request to its handler method and
//! everything else to an error value.

use flatbuffers::{FlatBufferBuilder, WIPOffset};
use nanoipc::schema::dispatch::{message_from_name, message_name, SKIPPED_METHODS};
use nanoipc::schema::*;

/// Answers the requests it implements with a recognisable value, so the test can see which
/// method ran. It implements only `IsAlive` and `AccountWeight` (plus the required
/// `not_implemented`): to it the schema's other four requests are exactly like messages appended
/// to the schema after it was written, and it must still compile and answer them cleanly.
struct Echo;

#[derive(Debug, PartialEq)]
enum Refused {
    /// `AccountWeight` for the account "refuse".
    Refused,
    /// A request Echo does not implement (the generated default), by method name.
    NotImplemented(&'static str),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Refused => f.write_str("refused"),
            Refused::NotImplemented(m) => write!(f, "Not implemented: {m}"),
        }
    }
}

impl Handler for Echo {
    type Context = u32;
    type Error = Refused;

    fn not_implemented(&self, method: &'static str) -> Refused {
        Refused::NotImplemented(method)
    }

    fn is_alive<'b>(
        &self,
        _ctx: &u32,
        _req: IsAlive<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<IsAlive<'b>>, Refused> {
        Ok(IsAlive::create(fbb, &IsAliveArgs {}))
    }

    fn account_weight<'b>(
        &self,
        ctx: &u32,
        req: AccountWeight<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountWeightResponse<'b>>, Refused> {
        if req.account() == "refuse" {
            return Err(Refused::Refused);
        }
        let voting_weight =
            Some(fbb.create_string(&format!("weight of {} for {ctx}", req.account())));
        Ok(AccountWeightResponse::create(
            fbb,
            &AccountWeightResponseArgs { voting_weight },
        ))
    }
}

fn envelope_json(json: &str) -> Vec<u8> {
    json::envelope_from_json(json, &JsonOptions::default()).unwrap()
}

/// Dispatches `buf` and renders the answer (tag name + JSON of the response) for comparison.
fn run(buf: &[u8]) -> Result<(Message, String), DispatchError<Refused>> {
    let env = root_as_envelope(buf).unwrap();
    let mut fbb = FlatBufferBuilder::new();
    let (tag, offset) = dispatch(&Echo, &7, env, &mut fbb)?;
    let answer = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            message_type: tag,
            message: Some(offset),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, answer);
    let out = root_as_envelope(fbb.finished_data()).unwrap();
    Ok((tag, json::envelope_to_json(&out, false)))
}

#[test]
fn registry_matches_the_schema() {
    // One name per union member plus NONE, in tag order.
    assert_eq!(MESSAGE_NAMES.len(), Message::ENUM_VALUES.len());
    assert_eq!(MESSAGE_NAMES[0], "NONE");
    assert_eq!(MESSAGE_NAMES[6], "AccountWeight");
    assert_eq!(
        message_from_name("AccountWeight"),
        Some(Message::AccountWeight)
    );
    assert_eq!(message_from_name("NONE"), None);
    assert_eq!(message_from_name("Nope"), None);
    assert_eq!(
        message_name(Message::EventServiceStop),
        Some("EventServiceStop")
    );
    assert_eq!(message_name(Message(200)), None);
    assert_eq!(Message::AccountWeight.0, 6);

    let m = method_for(Message::AccountWeight).unwrap();
    assert_eq!(m.name, "AccountWeight");
    assert_eq!(m.response, Message::AccountWeightResponse);
    assert_eq!(m.permissions, &["api_account_weight", "account_query"]);
    assert_eq!(
        method_for(Message::IsAlive).unwrap().response,
        Message::IsAlive
    );
    // Answer types as nano-node's handlers send them.
    for (request, response) in [
        (Message::TopicConfirmation, Message::EventAck),
        (Message::ServiceRegister, Message::Success),
        (Message::ServiceStop, Message::Success),
        (Message::TopicServiceStop, Message::EventAck),
    ] {
        assert_eq!(
            method_for(request).unwrap().response,
            response,
            "{request:?}"
        );
    }
    for not_request in [
        Message::NONE,
        Message::Error,
        Message::AccountWeightResponse,
        Message(99),
    ] {
        assert!(method_for(not_request).is_none(), "{not_request:?}");
    }
    // One method per `rpc_service` entry of the schema.
    let schema = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/nanoapi.fbs"),
    )
    .unwrap();
    let declared = schema
        .lines()
        .filter(|l| l.contains("(permission:"))
        .count();
    assert_eq!(METHODS.len(), declared);
    assert!(METHODS.iter().all(|m| !m.permissions.is_empty()));
    assert!(SKIPPED_METHODS.is_empty());
}

#[test]
fn every_request_reaches_its_handler() {
    let cases = [
        (
            r#"{"message_type":"IsAlive","message":{}}"#,
            Message::IsAlive,
            r#""message_type":"IsAlive""#,
        ),
        (
            r#"{"message_type":"AccountWeight","message":{"account":"nano_x"}}"#,
            Message::AccountWeightResponse,
            r#""voting_weight":"weight of nano_x for 7""#,
        ),
    ];
    for (json, tag, needle) in cases {
        let (got, text) = run(&envelope_json(json)).unwrap();
        assert_eq!(got, tag, "{json}");
        assert!(text.contains(needle), "{json} → {text}");
    }
}

/// The generated `Handler` gives every request method a default body, so a handler that leaves
/// methods out compiles (appending a message to the schema never breaks the build) and each
/// left-out request reaches `not_implemented` with its own method name.
#[test]
fn requests_without_a_method_answer_not_implemented() {
    let cases = [
        (
            r#"{"message_type":"TopicConfirmation","message":{}}"#,
            "TopicConfirmation",
        ),
        (
            r#"{"message_type":"ServiceRegister","message":{}}"#,
            "ServiceRegister",
        ),
        (
            r#"{"message_type":"ServiceStop","message":{"service_name":"s"}}"#,
            "ServiceStop",
        ),
        (
            r#"{"message_type":"TopicServiceStop","message":{}}"#,
            "TopicServiceStop",
        ),
        // ---- accounts messages ----
        (
            r#"{"message_type":"AccountBalance","message":{"account":"a"}}"#,
            "AccountBalance",
        ),
        (
            r#"{"message_type":"AccountInfo","message":{"account":"a"}}"#,
            "AccountInfo",
        ),
        (
            r#"{"message_type":"AccountHistory","message":{}}"#,
            "AccountHistory",
        ),
        (
            r#"{"message_type":"AccountRepresentative","message":{"account":"a"}}"#,
            "AccountRepresentative",
        ),
        (
            r#"{"message_type":"AccountsBalances","message":{"accounts":[]}}"#,
            "AccountsBalances",
        ),
        (
            r#"{"message_type":"Receivable","message":{"account":"a"}}"#,
            "Receivable",
        ),
        (
            r#"{"message_type":"Representatives","message":{}}"#,
            "Representatives",
        ),
        (
            r#"{"message_type":"Delegators","message":{"account":"a"}}"#,
            "Delegators",
        ),
        (
            r#"{"message_type":"Frontiers","message":{"account":"a"}}"#,
            "Frontiers",
        ),
        // ---- blocks messages ----
        (r#"{"message_type":"Version","message":{}}"#, "Version"),
        (
            r#"{"message_type":"BlockCount","message":{}}"#,
            "BlockCount",
        ),
        (r#"{"message_type":"Uptime","message":{}}"#, "Uptime"),
        (
            r#"{"message_type":"AvailableSupply","message":{}}"#,
            "AvailableSupply",
        ),
        (
            r#"{"message_type":"BlockQuery","message":{"hash":"1"}}"#,
            "BlockQuery",
        ),
        (
            r#"{"message_type":"Blocks","message":{"hashes":[]}}"#,
            "Blocks",
        ),
        (
            r#"{"message_type":"Chain","message":{"block":"1"}}"#,
            "Chain",
        ),
        (
            r#"{"message_type":"Successors","message":{"block":"1"}}"#,
            "Successors",
        ),
        (
            r#"{"message_type":"ReceivableExists","message":{"hash":"1"}}"#,
            "ReceivableExists",
        ),
        // ---- keys group ----
        (r#"{"message_type":"Process","message":{}}"#, "Process"),
        (
            r#"{"message_type":"WorkGenerate","message":{"hash":"1"}}"#,
            "WorkGenerate",
        ),
        (
            r#"{"message_type":"WorkValidate","message":{"hash":"1"}}"#,
            "WorkValidate",
        ),
        (
            r#"{"message_type":"WorkCancel","message":{"hash":"1"}}"#,
            "WorkCancel",
        ),
        (
            r#"{"message_type":"ValidateAccountNumber","message":{"account":"a"}}"#,
            "ValidateAccountNumber",
        ),
        (r#"{"message_type":"KeyCreate","message":{}}"#, "KeyCreate"),
        (
            r#"{"message_type":"KeyExpand","message":{"key":"1"}}"#,
            "KeyExpand",
        ),
        (
            r#"{"message_type":"DeterministicKey","message":{"seed":"1"}}"#,
            "DeterministicKey",
        ),
        (
            r#"{"message_type":"BlockCreate","message":{"key":"1"}}"#,
            "BlockCreate",
        ),
        (r#"{"message_type":"Sign","message":{"key":"1"}}"#, "Sign"),
        // ---- session admin ----
        (r#"{"message_type":"GetInfo","message":{}}"#, "GetInfo"),
        (r#"{"message_type":"Sessions","message":{}}"#, "Sessions"),
        (
            r#"{"message_type":"SessionDisconnect","message":{"ids":[1]}}"#,
            "SessionDisconnect",
        ),
        (
            r#"{"message_type":"SessionLog","message":{"ids":[1]}}"#,
            "SessionLog",
        ),
        (r#"{"message_type":"Metrics","message":{}}"#, "Metrics"),
    ];
    for (json, method) in cases {
        let err = run(&envelope_json(json)).unwrap_err();
        assert_eq!(
            err,
            DispatchError::Handler(Refused::NotImplemented(method)),
            "{json}"
        );
        assert_eq!(err.to_string(), format!("Not implemented: {method}"));
    }
    // Every request of the schema is either implemented by Echo or answered by the default.
    let implemented = ["IsAlive", "AccountWeight"];
    for m in METHODS {
        if !implemented.contains(&m.name) {
            assert!(cases.iter().any(|(_, name)| *name == m.name), "{}", m.name);
        }
    }
}

#[test]
fn non_requests_and_failures_are_error_values() {
    assert_eq!(run(&envelope_json("{}")).unwrap_err(), DispatchError::Unset);
    let err = run(&envelope_json(r#"{"message_type":"Success","message":{}}"#)).unwrap_err();
    assert_eq!(err, DispatchError::NotARequest(Message::Success));
    assert_eq!(err.to_string(), "Success is not a request");
    let err = run(&envelope_json(
        r#"{"message_type":"AccountWeight","message":{"account":"refuse"}}"#,
    ))
    .unwrap_err();
    assert_eq!(err, DispatchError::Handler(Refused::Refused));

    // A tag from a newer schema: the verifier lets it through, dispatch refuses it.
    let mut fbb = FlatBufferBuilder::new();
    let t = fbb.start_table();
    let inner = fbb.end_table(t);
    let env = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            message_type: Message(200),
            message: Some(WIPOffset::new(inner.value())),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, env);
    let err = run(fbb.finished_data()).unwrap_err();
    assert_eq!(err, DispatchError::NotARequest(Message(200)));
    assert_eq!(err.to_string(), "unknown message type 200");
}
