//! The generated registry and dispatch: names ↔ tags, request → response and permissions come
//! from the schema's `rpc_service`, and `dispatch` routes every request to its handler method and
//! everything else to an error value.

use flatbuffers::{FlatBufferBuilder, WIPOffset};
use nanoipc::schema::dispatch::{message_from_name, message_name, SKIPPED_METHODS};
use nanoipc::schema::*;

/// Answers every request with a recognisable value, so the test can see which method ran.
struct Echo;

#[derive(Debug, PartialEq)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused")
    }
}

impl Handler for Echo {
    type Context = u32;
    type Error = Refused;

    fn is_alive<'b>(
        &self,
        ctx: &u32,
        _req: IsAlive<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, Refused> {
        let message = Some(fbb.create_string(&format!("alive {ctx}")));
        Ok(Success::create(fbb, &SuccessArgs { message }))
    }

    fn account_weight<'b>(
        &self,
        _ctx: &u32,
        req: AccountWeight<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<AccountWeightResponse<'b>>, Refused> {
        if req.account() == "refuse" {
            return Err(Refused);
        }
        let voting_weight = Some(fbb.create_string(&format!("weight of {}", req.account())));
        Ok(AccountWeightResponse::create(
            fbb,
            &AccountWeightResponseArgs { voting_weight },
        ))
    }

    fn topic_confirmation<'b>(
        &self,
        _ctx: &u32,
        _req: TopicConfirmation<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, Refused> {
        let message = Some(fbb.create_string("topic_confirmation"));
        Ok(Success::create(fbb, &SuccessArgs { message }))
    }

    fn service_register<'b>(
        &self,
        _ctx: &u32,
        _req: ServiceRegister<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, Refused> {
        let message = Some(fbb.create_string("service_register"));
        Ok(Success::create(fbb, &SuccessArgs { message }))
    }

    fn service_stop<'b>(
        &self,
        _ctx: &u32,
        _req: ServiceStop<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, Refused> {
        let message = Some(fbb.create_string("service_stop"));
        Ok(Success::create(fbb, &SuccessArgs { message }))
    }

    fn topic_service_stop<'b>(
        &self,
        _ctx: &u32,
        _req: TopicServiceStop<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, Refused> {
        let message = Some(fbb.create_string("topic_service_stop"));
        Ok(Success::create(fbb, &SuccessArgs { message }))
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
    assert_eq!(MESSAGE_NAMES.len(), 14);
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
        Message::Success
    );
    for not_request in [
        Message::NONE,
        Message::Error,
        Message::AccountWeightResponse,
        Message(99),
    ] {
        assert!(method_for(not_request).is_none(), "{not_request:?}");
    }
    assert_eq!(METHODS.len(), 6);
    assert!(METHODS.iter().all(|m| !m.permissions.is_empty()));
    assert!(SKIPPED_METHODS.is_empty());
}

#[test]
fn every_request_reaches_its_handler() {
    let cases = [
        (
            r#"{"message_type":"IsAlive","message":{}}"#,
            Message::Success,
            r#""message":"alive 7""#,
        ),
        (
            r#"{"message_type":"AccountWeight","message":{"account":"nano_x"}}"#,
            Message::AccountWeightResponse,
            r#""voting_weight":"weight of nano_x""#,
        ),
        (
            r#"{"message_type":"TopicConfirmation","message":{}}"#,
            Message::Success,
            "topic_confirmation",
        ),
        (
            r#"{"message_type":"ServiceRegister","message":{}}"#,
            Message::Success,
            "service_register",
        ),
        (
            r#"{"message_type":"ServiceStop","message":{"service_name":"s"}}"#,
            Message::Success,
            "service_stop",
        ),
        (
            r#"{"message_type":"TopicServiceStop","message":{}}"#,
            Message::Success,
            "topic_service_stop",
        ),
    ];
    for (json, tag, needle) in cases {
        let (got, text) = run(&envelope_json(json)).unwrap();
        assert_eq!(got, tag, "{json}");
        assert!(text.contains(needle), "{json} → {text}");
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
    assert_eq!(err, DispatchError::Handler(Refused));

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
