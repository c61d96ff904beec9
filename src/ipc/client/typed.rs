//! v2 calls on a [`Client`]: the generated [`NanoApiClient`] trait (one typed method per request
//! of the schema, so a new message needs no code here) and calls by name with a JSON message, as
//! `nanoipc call` makes them. Encoding a request and decoding an answer are pure functions.

use flatbuffers::FlatBufferBuilder;

use super::{CallError, CallOptions, Client, ClientError, NanoApiClient, WireEncoding};
use crate::ipc::frame::Encoding;
use crate::schema::client::{answer_buffer, check_answer, finish_request, verify_answer, Prepared};
use crate::schema::dispatch::{message_from_name, method_for, MethodInfo, METHODS};
use crate::schema::json::{envelope_to_json, parse_message_json};
use crate::schema::{
    root_as_envelope, Envelope, EnvelopeT, ErrorT, JsonOptions, Message, MessageT,
};

/// What a v2 answer's envelope says besides its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerInfo {
    /// When the node produced the answer, in ms since the Unix epoch.
    pub time: u64,
    /// The correlation id the node copied from the request.
    pub correlation_id: Option<String>,
}

impl AnswerInfo {
    fn of(env: &Envelope<'_>) -> Self {
        AnswerInfo {
            time: env.time(),
            correlation_id: env.correlation_id().map(str::to_owned),
        }
    }
}

/// The IPC encoding a v2 wire encoding travels in.
fn ipc_encoding(encoding: WireEncoding) -> Encoding {
    match encoding {
        WireEncoding::Binary => Encoding::Flatbuffers,
        WireEncoding::Json => Encoding::FlatbuffersJson,
    }
}

impl NanoApiClient for Client {
    type TransportError = ClientError;

    fn call_options(&self) -> &CallOptions {
        &self.options
    }

    async fn call_envelope(
        &mut self,
        encoding: WireEncoding,
        request: &[u8],
    ) -> Result<Vec<u8>, ClientError> {
        Ok(Vec::from(
            self.request(ipc_encoding(encoding), request).await?,
        ))
    }

    fn on_answer(&mut self, answer: &Envelope<'_>) {
        self.last_answer = Some(AnswerInfo::of(answer));
    }
}

/// The request of the schema's service called `name` (`"AccountWeight"`). An unknown name, or a
/// message that is not a request, is an error listing every valid request name.
pub fn request_method(name: &str) -> Result<&'static MethodInfo, ClientError> {
    message_from_name(name)
        .and_then(method_for)
        .ok_or_else(|| ClientError::UnknownRequest {
            name: name.to_owned(),
            valid: METHODS
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// A v2 request made by [`encode_named`], ready for [`Client::call_prepared`]: the encoded
/// envelope and what its answer must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRequest {
    /// The request on the wire (encoding, correlation id to expect back, bytes).
    pub prepared: Prepared,
    /// The response the schema declares for it.
    pub expected: Message,
}

impl NamedRequest {
    /// The IPC encoding the request travels in (3 or 4).
    pub fn ipc_encoding(&self) -> Encoding {
        ipc_encoding(self.prepared.encoding)
    }

    /// The encoded envelope (the frame's payload).
    pub fn bytes(&self) -> &[u8] {
        &self.prepared.bytes
    }
}

/// Encodes the request `name` with its message given as JSON (`{"account": "nano_…"}`) into an
/// envelope with `opts`' credentials and correlation id, in `opts.encoding`, through the same
/// generated [`finish_request`] the typed methods use. Unknown JSON fields are an error, so a
/// misspelt field is caught here rather than silently dropped.
pub fn encode_named(
    opts: &CallOptions,
    name: &str,
    message_json: &str,
) -> Result<NamedRequest, ClientError> {
    let method = request_method(name)?;
    let strict = JsonOptions {
        skip_unknown_fields: false,
    };
    let mut fbb = FlatBufferBuilder::new();
    let message = parse_message_json(method.request, message_json, &strict, &mut fbb)?;
    let prepared = finish_request::<ClientError>(opts, &mut fbb, method.request, message)?;
    Ok(NamedRequest {
        prepared,
        expected: method.response,
    })
}

/// A verified v2 answer: the envelope in its owned form, and the buffer it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct V2Answer {
    /// The answer.
    pub envelope: EnvelopeT,
    buffer: Vec<u8>,
}

impl V2Answer {
    /// Reads an answer in `encoding` (binary, or JSON with unknown fields skipped) and verifies it.
    pub fn decode(encoding: WireEncoding, answer: &[u8]) -> Result<V2Answer, ClientError> {
        Self::read(encoding, answer.to_vec(), None, |_| {})
    }

    /// [`V2Answer::decode`] through the generated answer helpers; `seen` sees the verified
    /// envelope first. With `expect` (the correlation id sent and the declared response), also the
    /// generated checks, except that an `Error` answer is returned as an answer.
    fn read(
        encoding: WireEncoding,
        answer: Vec<u8>,
        expect: Option<(Option<&str>, Message)>,
        seen: impl FnOnce(&Envelope<'_>),
    ) -> Result<V2Answer, ClientError> {
        let buffer = answer_buffer::<ClientError>(encoding, answer)?;
        let env = verify_answer::<ClientError>(&buffer)?;
        seen(&env);
        if let Some((sent, expected)) = expect {
            match check_answer::<ClientError>(&env, sent, expected) {
                Ok(()) | Err(CallError::Remote { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let envelope = env.unpack();
        Ok(V2Answer { envelope, buffer })
    }

    /// The answer's message type.
    pub fn message_type(&self) -> Message {
        self.envelope.message.union_type()
    }

    /// The `Error` the node answered with, if it did.
    pub fn error(&self) -> Option<&ErrorT> {
        match &self.envelope.message {
            MessageT::Error(e) => Some(e),
            _ => None,
        }
    }

    /// Time and correlation id of the answer.
    pub fn info(&self) -> AnswerInfo {
        AnswerInfo {
            time: self.envelope.time,
            correlation_id: self.envelope.correlation_id.clone(),
        }
    }

    /// The answer in flatc's JSON form (`pretty`: flatc's indented layout).
    pub fn to_json(&self, pretty: bool) -> Result<String, ClientError> {
        root_as_envelope(&self.buffer)
            .map(|env| envelope_to_json(&env, pretty))
            .map_err(|e| ClientError::InvalidAnswer(e.to_string()))
    }
}

impl Client {
    /// Sends a request made by [`encode_named`] (in its own encoding, whatever this client's
    /// options say) and returns the verified answer, `Error` answers included. Any other answer
    /// must carry the request's correlation id and be the request's declared response.
    pub async fn call_prepared(&mut self, request: &NamedRequest) -> Result<V2Answer, ClientError> {
        let answer = self
            .request(request.ipc_encoding(), request.bytes())
            .await?;
        let sent = request.prepared.correlation_id.as_deref();
        V2Answer::read(
            request.prepared.encoding,
            Vec::from(answer),
            Some((sent, request.expected)),
            |env| self.last_answer = Some(AnswerInfo::of(env)),
        )
    }

    /// Calls the request named `name` with its message as JSON, e.g.
    /// `call_named("AccountWeight", r#"{"account":"nano_…"}"#)`, and returns the verified answer.
    pub async fn call_named(
        &mut self,
        name: &str,
        message_json: &str,
    ) -> Result<V2Answer, ClientError> {
        let request = encode_named(&self.options, name, message_json)?;
        self.call_prepared(&request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::json::envelope_to_json;

    #[test]
    fn unknown_names_list_the_requests() {
        for bad in ["Nope", "Success", "AccountWeightResponse", "NONE", ""] {
            let err = request_method(bad).unwrap_err().to_string();
            assert!(err.contains("IsAlive, AccountWeight"), "{err}");
        }
        assert_eq!(
            request_method("AccountWeight").unwrap().response,
            Message::AccountWeightResponse
        );
    }

    #[test]
    fn named_requests_carry_options_in_both_encodings() {
        let mut opts = CallOptions {
            encoding: WireEncoding::Binary,
            credentials: Some("key".into()),
            correlation_id: Some("c-1".into()),
        };
        let bin = encode_named(&opts, "AccountWeight", r#"{"account":"nano_x"}"#).unwrap();
        assert_eq!(bin.expected, Message::AccountWeightResponse);
        assert_eq!(bin.ipc_encoding(), Encoding::Flatbuffers);
        assert_eq!(bin.prepared.correlation_id.as_deref(), Some("c-1"));
        let env = root_as_envelope(bin.bytes()).unwrap();
        assert_eq!(env.credentials(), Some("key"));
        assert_eq!(env.correlation_id(), Some("c-1"));
        assert_eq!(env.message_as_account_weight().unwrap().account(), "nano_x");
        let as_json = envelope_to_json(&env, false);

        opts.encoding = WireEncoding::Json;
        let json = encode_named(&opts, "AccountWeight", r#"{"account":"nano_x"}"#).unwrap();
        assert_eq!(json.ipc_encoding(), Encoding::FlatbuffersJson);
        assert_eq!(String::from_utf8(json.prepared.bytes).unwrap(), as_json);
        assert!(matches!(
            encode_named(&opts, "AccountWeight", r#"{"acount":"x"}"#),
            Err(ClientError::RequestJson(_))
        ));
    }

    #[test]
    fn answers_decode_and_refuse_garbage() {
        let json = r#"{"time":5,"correlation_id":"c","message_type":"Error","message":{"code":4,"category":1,"message":"Bad account number"}}"#;
        let a = V2Answer::decode(WireEncoding::Json, json.as_bytes()).unwrap();
        assert_eq!(a.message_type(), Message::Error);
        assert_eq!(a.error().map(|e| e.code), Some(4));
        assert_eq!(a.info().correlation_id.as_deref(), Some("c"));
        assert_eq!(a.to_json(false).unwrap(), json);
        for (enc, bad) in [
            (WireEncoding::Json, &b"{"[..]),
            (WireEncoding::Json, &b"\xff"[..]),
            (WireEncoding::Binary, &b"\x01\x02"[..]),
        ] {
            assert!(matches!(
                V2Answer::decode(enc, bad),
                Err(ClientError::InvalidAnswer(_))
            ));
        }
    }
}
