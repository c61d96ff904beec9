//! Typed client emitter: `client.rs`.
//!
//! From the schema's `rpc_service` (its first service, as for `dispatch.rs`) this writes a trait
//! with one method per request, each taking the request's owned form (`<Request>T`) and returning
//! the declared response's owned form, or a `CallError`. The trait has one required transport
//! method (send one request envelope, return the answer's bytes), so any transport gets every
//! request for free and adding a message to the schema adds a client method with no hand-written
//! code. The generated code reaches only its sibling modules (`super::tables`, `super::json`,
//! `super::json_reader`) and `flatbuffers`.
//!
//! A client needs to build the root table from a message alone, so it is emitted only when the
//! root table has a message union and no `(required)` fields; otherwise the file says why.
//! Envelope features follow the root table's fields: `credentials` and `correlation_id` (strings)
//! become call options, and a union member `Error { code: int; category: int; message: string }`
//! becomes `CallError::Remote`.

use super::dispatch::message_union;
use super::{doc_attrs, format_rust, rust_header};
use crate::ir::{ScalarType, Schema, Table, TableId, Type};
use crate::names::{escape, method, snake};

const FB: &str = "::flatbuffers";
const OPT: &str = "::core::option::Option";
const RES: &str = "::core::result::Result";

/// Names the trait itself uses; a schema method with one of these names gets a `_request` suffix.
const RESERVED: &[&str] = &["call_options", "call_envelope", "on_answer"];

/// A root-table string field the client may set (`credentials`, `correlation_id`).
fn string_field(table: &Table, name: &str) -> bool {
    table
        .fields
        .iter()
        .any(|f| f.name == name && !f.deprecated && f.ty == Type::String)
}

/// Whether `table` has a non-deprecated field `name` of type `ty`; `Some(required)` when it does.
fn field_of(table: &Table, name: &str, ty: &Type) -> Option<bool> {
    table
        .fields
        .iter()
        .find(|f| f.name == name && !f.deprecated && &f.ty == ty)
        .map(|f| f.required)
}

/// Emits `client.rs`.
pub fn emit(schema: &Schema) -> String {
    let header = rust_header(schema);
    let Some((root, uid, field)) = message_union(schema) else {
        return format_rust(
            &header,
            "/// False: the schema's root table has no union field, so there are no messages to send.\n\
             pub const CLIENT_AVAILABLE: bool = false;\n",
        );
    };
    let root_t = schema.table(root);
    let required: Vec<&str> = root_t
        .fields
        .iter()
        .filter(|f| f.required && !f.deprecated)
        .map(|f| f.name.as_str())
        .collect();
    if !required.is_empty() {
        return format_rust(
            &header,
            &format!(
                "/// False: the root table `{}` has required fields ({}), so a request cannot be built\n\
                 /// from a message alone.\npub const CLIENT_AVAILABLE: bool = false;\n",
                root_t.name,
                required.join(", ")
            ),
        );
    }
    let mut s = String::new();
    body(schema, root, uid, &field, &mut s);
    format_rust(&header, &s)
}

fn body(schema: &Schema, root: TableId, uid: crate::ir::UnionId, field: &str, s: &mut String) {
    let root_t = schema.table(root);
    let rn = escape(&root_t.name);
    let rsn = snake(&root_t.name);
    let u = schema.union(uid);
    let un = escape(&u.name);
    let fsn = snake(field);
    let fm = method(field);
    let has_creds = string_field(root_t, "credentials");
    let has_corr = string_field(root_t, "correlation_id");
    // The error member, when it has the shape `CallError::Remote` reports.
    let error_member = u.members.iter().find(|m| {
        let t = schema.table(m.table);
        m.name == "Error"
            && field_of(t, "code", &Type::Scalar(ScalarType::Int)).is_some()
            && field_of(t, "category", &Type::Scalar(ScalarType::Int)).is_some()
            && field_of(t, "message", &Type::String).is_some()
    });

    s.push_str(&format!(
        "use super::tables as t;\n\
         /// True: the schema's root table can carry every request.\npub const CLIENT_AVAILABLE: bool = true;\n\
         /// How a request `{rn}` travels.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]\npub enum WireEncoding {{\n\
         /// The FlatBuffers buffer itself (nano IPC encoding 3).\n#[default]\nBinary,\n\
         /// Its JSON form, flatc's, through the generated JSON codec (nano IPC encoding 4).\nJson,\n}}\n\
         /// What every request `{rn}` carries besides its message.\n\
         #[derive(Debug, Clone, Default, PartialEq, Eq)]\npub struct CallOptions {{\n\
         /// The encoding requests are sent in (answers come back in the same one).\npub encoding: WireEncoding,\n"
    ));
    if has_creds {
        s.push_str(&format!(
            "/// Written to `{rn}.credentials`.\npub credentials: {OPT}<::std::string::String>,\n"
        ));
    }
    if has_corr {
        s.push_str(&format!(
            "/// Written to `{rn}.correlation_id`; the answer must carry the same value back.\n\
             pub correlation_id: {OPT}<::std::string::String>,\n"
        ));
    }
    s.push_str("}\n");

    // CallError.
    s.push_str(&format!(
        "/// Why a typed call did not return its declared response.\n\
         #[derive(Debug)]\npub enum CallError<E> {{\n\
         /// The transport failed (connect, write, read, framing).\nTransport(E),\n\
         /// The node answered with an `Error` message.\nRemote {{\n/// The error's number.\ncode: i32,\n\
         /// Its coarse category.\ncategory: i32,\n/// The readable explanation.\nmessage: ::std::string::String,\n}},\n\
         /// The node answered with a message other than the declared response.\n\
         UnexpectedResponse {{\n/// The declared response.\nexpected: t::{un},\n/// What came back.\nreceived: t::{un},\n}},\n\
         /// The answer is not a valid `{rn}` (failed verification, bad JSON, not UTF-8).\nInvalidAnswer(::std::string::String),\n\
         /// The request could not be encoded (a JSON request is produced from a verified buffer).\nInvalidRequest(::std::string::String),\n\
         /// The answer's correlation id is not the one the request carried.\n\
         CorrelationMismatch {{\n/// Sent with the request.\nsent: {OPT}<::std::string::String>,\n/// Found in the answer.\nreceived: {OPT}<::std::string::String>,\n}},\n}}\n\
         fn tag_name(tag: t::{un}) -> ::std::string::String {{ match tag.variant_name() {{ {OPT}::Some(n) => n.to_string(), {OPT}::None => ::std::format!(\"message type {{}}\", tag.0) }} }}\n\
         impl<E: ::core::fmt::Display> ::core::fmt::Display for CallError<E> {{\n\
         fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{ match self {{\n\
         Self::Transport(e) => e.fmt(f),\n\
         Self::Remote {{ code, category, message }} => write!(f, \"the node answered error {{code}} (category {{category}}): {{message}}\"),\n\
         Self::UnexpectedResponse {{ expected, received }} => write!(f, \"expected {{}} but the node answered {{}}\", tag_name(*expected), tag_name(*received)),\n\
         Self::InvalidAnswer(m) => write!(f, \"invalid answer: {{m}}\"),\n\
         Self::InvalidRequest(m) => write!(f, \"cannot encode the request: {{m}}\"),\n\
         Self::CorrelationMismatch {{ sent, received }} => write!(f, \"the answer's correlation id {{received:?}} is not the request's {{sent:?}}\"),\n\
         }} }} }}\n\
         impl<E: ::std::error::Error + 'static> ::std::error::Error for CallError<E> {{\n\
         fn source(&self) -> {OPT}<&(dyn ::std::error::Error + 'static)> {{ match self {{ Self::Transport(e) => {OPT}::Some(e), _ => {OPT}::None }} }} }}\n"
    ));

    // Helpers shared by every method.
    let mut args = format!("{fsn}_type: tag, {fm}: {OPT}::Some(message),");
    let mut opt_strings = String::new();
    if has_creds {
        opt_strings.push_str(
            "let credentials = opts.credentials.as_deref().map(|c| fbb.create_string(c));\n",
        );
        args.push_str("credentials,");
    }
    if has_corr {
        opt_strings.push_str(
            "let correlation_id = opts.correlation_id.as_deref().map(|c| fbb.create_string(c));\n",
        );
        args.push_str("correlation_id,");
    }
    let sent = if has_corr {
        "opts.correlation_id.clone()"
    } else {
        "::core::option::Option::None"
    };
    // The helpers are public so that hand-written callers (a request chosen by name at run time,
    // an answer decoded without a declared response) reuse them instead of restating them.
    s.push_str(&format!(
        "/// A request as it goes on the wire.\n\
         #[derive(Debug, Clone, PartialEq, Eq)]\npub struct Prepared {{\n\
         /// The encoding of `bytes`; the answer comes back in the same one.\npub encoding: WireEncoding,\n\
         /// The correlation id the answer must carry back.\npub correlation_id: {OPT}<::std::string::String>,\n\
         /// The encoded request `{rn}`.\npub bytes: ::std::vec::Vec<u8>,\n}}\n\
         /// Wraps `message` (a union member of type `tag`, already written into `fbb`) in the root\n\
         /// table `{rn}` with the call options, and encodes it in `opts.encoding` (JSON is written from\n\
         /// the finished buffer, so both encodings carry the same request).\n\
         pub fn finish_request<E>(opts: &CallOptions, fbb: &mut {FB}::FlatBufferBuilder<'static>, tag: t::{un}, message: {FB}::WIPOffset<{FB}::UnionWIPOffset>) -> {RES}<Prepared, CallError<E>> {{\n\
         {opt_strings}\
         let root = t::{rn}::create(fbb, &t::{rn}Args {{ {args} ..::core::default::Default::default() }});\n\
         t::finish_{rsn}_buffer(fbb, root);\n\
         let bytes = match opts.encoding {{\n\
         WireEncoding::Binary => fbb.finished_data().to_vec(),\n\
         WireEncoding::Json => match t::root_as_{rsn}(fbb.finished_data()) {{\n\
         {RES}::Ok(env) => super::json::{rsn}_to_json(&env, false).into_bytes(),\n\
         {RES}::Err(e) => return {RES}::Err(CallError::InvalidRequest(e.to_string())),\n}},\n}};\n\
         {RES}::Ok(Prepared {{ encoding: opts.encoding, correlation_id: {sent}, bytes }})\n}}\n\
         /// [`finish_request`] for the message written by `pack`.\n\
         pub fn prepare<E>(opts: &CallOptions, tag: t::{un}, pack: impl FnOnce(&mut {FB}::FlatBufferBuilder<'static>) -> {FB}::WIPOffset<{FB}::UnionWIPOffset>) -> {RES}<Prepared, CallError<E>> {{\n\
         let mut fbb = {FB}::FlatBufferBuilder::new();\nlet message = pack(&mut fbb);\n\
         finish_request(opts, &mut fbb, tag, message)\n}}\n\
         /// The answer as a FlatBuffers buffer: binary answers as they are, JSON answers parsed (fields\n\
         /// this schema does not know are skipped, so a newer node's answers still read).\n\
         pub fn answer_buffer<E>(encoding: WireEncoding, answer: ::std::vec::Vec<u8>) -> {RES}<::std::vec::Vec<u8>, CallError<E>> {{\n\
         match encoding {{\nWireEncoding::Binary => {RES}::Ok(answer),\n\
         WireEncoding::Json => {{\nlet text = ::std::str::from_utf8(&answer).map_err(|e| CallError::InvalidAnswer(::std::format!(\"the JSON answer is not UTF-8: {{e}}\")))?;\n\
         let opts = super::json_reader::JsonOptions {{ skip_unknown_fields: true }};\n\
         super::json::{rsn}_from_json(text, &opts).map_err(|e| CallError::InvalidAnswer(::std::format!(\"the JSON answer does not fit the schema: {{e}}\")))\n}}\n}}\n}}\n\
         /// Verifies the answer buffer and reads its root.\n\
         pub fn verify_answer<E>(buf: &[u8]) -> {RES}<t::{rn}<'_>, CallError<E>> {{\n\
         t::root_as_{rsn}(buf).map_err(|e| CallError::InvalidAnswer(::std::format!(\"the answer is not a valid {rn}: {{e}}\")))\n}}\n"
    ));
    let error_check = match error_member {
        Some(m) => {
            let et = schema.table(m.table);
            let msg = if field_of(et, "message", &Type::String) == Some(true) {
                "e.message().to_string()"
            } else {
                "e.message().unwrap_or_default().to_string()"
            };
            format!(
                "if tag == t::{un}::{} {{ return {RES}::Err(match env.{fsn}_as_{}() {{\n\
                 {OPT}::Some(e) => CallError::Remote {{ code: e.code(), category: e.category(), message: {msg} }},\n\
                 {OPT}::None => CallError::InvalidAnswer(\"the Error message is missing\".to_string()),\n}}); }}\n",
                escape(&m.name),
                snake(&m.name)
            )
        }
        None => String::new(),
    };
    let corr_check = if has_corr {
        format!(
            "if env.correlation_id() != sent {{ return {RES}::Err(CallError::CorrelationMismatch {{ sent: sent.map(str::to_string), received: env.correlation_id().map(str::to_string) }}); }}\n"
        )
    } else {
        "let _ = sent;\n".to_string()
    };
    s.push_str(&format!(
        "/// Turns an `Error` answer into `CallError::Remote`, then checks the correlation id and that the\n\
         /// answer is the `expected` message.\n\
         pub fn check_answer<E>(env: &t::{rn}<'_>, sent: {OPT}<&str>, expected: t::{un}) -> {RES}<(), CallError<E>> {{\n\
         let tag = env.{fsn}_type();\n{error_check}{corr_check}\
         if tag != expected {{ return {RES}::Err(CallError::UnexpectedResponse {{ expected, received: tag }}); }}\n\
         {RES}::Ok(())\n}}\n"
    ));

    // The trait.
    let service_name = schema
        .services
        .first()
        .map(|sv| sv.name.clone())
        .unwrap_or_else(|| u.name.clone());
    let tag_of = |id: TableId| u.members.iter().find(|m| m.table == id);
    let mut methods = String::new();
    if let Some(service) = schema.services.first() {
        for m in &service.methods {
            // As in `dispatch.rs`: a method whose request or response is not a union member
            // cannot travel in the root table, so it has no client method.
            let (Some(req), Some(resp)) = (tag_of(m.request), tag_of(m.response)) else {
                continue;
            };
            let mut name = method(&m.name);
            if RESERVED.contains(&name.as_str()) {
                name.push_str("_request");
            }
            let req_t = escape(&schema.table(m.request).name);
            let resp_t = escape(&schema.table(m.response).name);
            let perms = m.permissions();
            let perms = if perms.is_empty() {
                String::new()
            } else {
                format!(" Permissions (any one): `{}`.", perms.join("`, `"))
            };
            methods.push_str(&format!(
                "{}///\n/// Sends `{}`, expects `{}`.{perms}\n\
                 fn {name}(&mut self, req: &t::{req_t}T) -> impl ::core::future::Future<Output = {RES}<t::{resp_t}T, CallError<Self::TransportError>>> + Send {{\n\
                 async move {{\n\
                 let request = prepare::<Self::TransportError>(self.call_options(), t::{un}::{}, |fbb| req.pack(fbb).as_union_value())?;\n\
                 let answer = self.call_envelope(request.encoding, &request.bytes).await.map_err(CallError::Transport)?;\n\
                 let buf = answer_buffer::<Self::TransportError>(request.encoding, answer)?;\nlet env = verify_answer::<Self::TransportError>(&buf)?;\nself.on_answer(&env);\n\
                 check_answer::<Self::TransportError>(&env, request.correlation_id.as_deref(), t::{un}::{})?;\n\
                 env.{fsn}_as_{}().map(|m| m.unpack()).ok_or_else(|| CallError::InvalidAnswer(\"the {} message is missing\".to_string()))\n\
                 }}\n}}\n",
                doc_attrs(&m.doc),
                req.name,
                resp.name,
                escape(&req.name),
                escape(&resp.name),
                snake(&resp.name),
                resp.name,
            ));
        }
    }
    s.push_str(&format!(
        "/// A client of the `{service_name}` service: one method per request, generated from the schema.\n\
         ///\n/// Implement the three transport methods; every request method is provided. Each packs its\n\
         /// request into the root table `{rn}` with the [`CallOptions`], sends it with [`Self::call_envelope`],\n\
         /// verifies the answer and returns the declared response, or a [`CallError`]. The returned\n\
         /// futures are `Send`, so calls can run on any runtime worker.\n\
         pub trait {}Client: Send {{\n\
         /// The transport's own error.\ntype TransportError: ::std::error::Error + Send + Sync + 'static;\n\
         /// The options written into every request.\nfn call_options(&self) -> &CallOptions;\n\
         /// Sends one request `{rn}` (`request`, already in `encoding`) and returns the answer's bytes,\n\
         /// in the same encoding.\n\
         fn call_envelope(&mut self, encoding: WireEncoding, request: &[u8]) -> impl ::core::future::Future<Output = {RES}<::std::vec::Vec<u8>, Self::TransportError>> + Send;\n\
         /// Sees every verified answer before it is checked (to keep its time or correlation id).\n\
         /// Does nothing by default.\nfn on_answer(&mut self, answer: &t::{rn}<'_>) {{ let _ = answer; }}\n\
         {methods}}}\n",
        escape(&service_name)
    ));
}

#[cfg(test)]
mod tests {
    use super::emit;

    fn gen(schema: &str) -> String {
        let s = crate::parse_schema_str("t.fbs", schema).unwrap_or_else(|d| panic!("{d}"));
        let out = emit(&s);
        assert!(!out.contains("compile_error!"), "{out}");
        out
    }

    #[test]
    fn envelope_features_follow_the_root_table() {
        // No credentials, no correlation id, no Error member; a method named like a trait method.
        let out = gen("table Q {} table A {} union M { Q, A }\n\
             table Root { m: M; }\n\
             rpc_service S { OnAnswer(Q): A; Skipped(Q): Root; }\nroot_type Root;");
        assert!(out.contains("pub trait SClient: Send"), "{out}");
        assert!(out.contains("fn on_answer_request("), "{out}");
        assert!(!out.contains("fn skipped("), "{out}");
        assert!(!out.contains("pub credentials"), "{out}");
        assert!(
            !out.contains("CorrelationMismatch {\n            sent: sent"),
            "{out}"
        );
        assert!(!out.contains("CallError::Remote {"), "{out}");
    }

    #[test]
    fn no_client_without_a_buildable_root() {
        assert!(gen("table T { a: int; } root_type T;").contains("CLIENT_AVAILABLE: bool = false"));
        let out =
            gen("table Q {} union M { Q } table R { m: M; id: string (required); } root_type R;");
        assert!(out.contains("required fields (id)"), "{out}");
    }
}
