//! Registry and dispatch emitter: `dispatch.rs`.
//!
//! From the schema's `rpc_service` (its first service) this writes the message registry (member
//! names ↔ union tags, request → response, permissions from the `permission` attribute), the
//! `Handler` trait with one method per request, and the `dispatch` function that routes a verified
//! root table to it. No hand-written table of messages exists anywhere else.
//!
//! Every request method has a default body that answers `Err(self.not_implemented("<Method>"))`;
//! the one required method is `not_implemented`. Appending a message to the schema therefore
//! never breaks the build of an existing handler (which would also stop `nanoipc codegen` and the
//! freshness test from running): the new request is answered "not implemented" until someone
//! writes its handler method. A server that wants the opposite (every request must have its
//! method) uses the emitted `impl_handler_for_inherent!` (see `forward`).

use super::forward::Forward;
use super::{doc_attrs, format_rust, rust_header};
use crate::ir::{Schema, TableId, Type, UnionId};
use crate::names::{escape, method, snake};

const FB: &str = "::flatbuffers";

/// The union that carries messages: the root table's first union field, and that field's name.
pub(crate) fn message_union(schema: &Schema) -> Option<(TableId, UnionId, String)> {
    let root = schema.root_type?;
    schema.table(root).fields.iter().find_map(|f| match f.ty {
        Type::Union(u) => Some((root, u, f.name.clone())),
        _ => None,
    })
}

/// Emits `dispatch.rs`.
pub fn emit(schema: &Schema) -> String {
    let mut s = String::new();
    let Some((root, uid, field)) = message_union(schema) else {
        s.push_str(
            "/// False: the schema's root table has no union field, so there are no messages to dispatch.\n\
             pub const DISPATCH_AVAILABLE: bool = false;\n",
        );
        return format_rust(&rust_header(schema), &s);
    };
    let u = schema.union(uid);
    let un = escape(&u.name);
    let root_name = escape(&schema.table(root).name);
    let fsn = snake(&field);
    s.push_str(&format!("use super::tables::{{{un}, {root_name}}};\n"));

    // Registry of names.
    s.push_str(&format!(
        "/// Every `{0}` member name, indexed by union tag (index 0 is `NONE`).\npub const MESSAGE_NAMES: &[&str] = &[\"NONE\",",
        u.name
    ));
    for m in &u.members {
        s.push_str(&format!("{:?},", m.name));
    }
    s.push_str(&format!(
        "];\n/// The tag of a member by its name (`None` for unknown names and for `NONE`).\n\
         pub fn message_from_name(name: &str) -> ::core::option::Option<{un}> {{ {un}::from_name(name).filter(|m| *m != {un}::NONE) }}\n\
         /// The name of a member tag (`None` for `NONE` and for tags this schema does not know).\n\
         pub fn message_name(tag: {un}) -> ::core::option::Option<&'static str> {{ if tag == {un}::NONE {{ ::core::option::Option::None }} else {{ tag.variant_name() }} }}\n"
    ));

    // Methods.
    // Without a service there are no requests: the registry is empty and every message is
    // "not a request".
    let no_service = crate::ir::Service {
        name: "(none)".into(),
        doc: Default::default(),
        loc: Default::default(),
        attributes: Vec::new(),
        methods: Vec::new(),
    };
    let service = schema.services.first().unwrap_or(&no_service);
    s.push_str("/// True: the schema has a message union to dispatch on.\npub const DISPATCH_AVAILABLE: bool = true;\n");
    let tag_of = |t: TableId| {
        u.members
            .iter()
            .find(|m| m.table == t)
            .map(|m| escape(&m.name))
    };
    s.push_str(&format!(
        "/// One request of the `{0}` service: what it is called, which message answers it, and\n\
         /// which permissions allow it (any one of them is enough).\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub struct MethodInfo {{\n\
         /// The method name as declared in the service.\npub name: &'static str,\n\
         /// The request's union tag.\npub request: {un},\n/// The response's union tag.\npub response: {un},\n\
         /// Permissions from `(permission: \"…\")`; any one suffices.\npub permissions: &'static [&'static str],\n\
         /// The method's doc comment.\npub doc: &'static str,\n}}\n\
         /// Every request of the `{0}` service, in declaration order.\npub static METHODS: &[MethodInfo] = &[\n",
        service.name
    ));
    let mut match_arms = String::new();
    let mut trait_methods = String::new();
    let mut dispatch_arms = String::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut forwards: Vec<Forward> = Vec::new();
    let mut index = 0usize;
    for m in &service.methods {
        // A method whose request or response is not a member of the message union cannot
        // travel in the root table, so it cannot be dispatched; it is listed in `SKIPPED`.
        let (Some(req), Some(resp)) = (tag_of(m.request), tag_of(m.response)) else {
            skipped.push(format!("{:?}", m.name));
            continue;
        };
        let i = index;
        index += 1;
        let perms: Vec<String> = m.permissions().iter().map(|p| format!("{p:?}")).collect();
        s.push_str(&format!(
            "MethodInfo {{ name: {:?}, request: {un}::{req}, response: {un}::{resp}, permissions: &[{}], doc: {:?} }},\n",
            m.name,
            perms.join(", "),
            m.doc.0.join("\n")
        ));
        match_arms.push_str(&format!("{un}::{req} => METHODS.get({i}),\n"));
        let mut mname = method(&m.name);
        // The trait's own hook keeps its name; a schema method called like it gets a suffix (as
        // the client emitter does for its trait's names).
        if mname == "not_implemented" {
            mname.push_str("_request");
        }
        let req_t = escape(&schema.table(m.request).name);
        let resp_t = escape(&schema.table(m.response).name);
        let req_member = u
            .members
            .iter()
            .find(|x| x.table == m.request)
            .map(|x| snake(&x.name))
            .unwrap_or_default();
        forwards.push(Forward {
            method: mname.clone(),
            request: req_t.clone(),
            response: resp_t.clone(),
        });
        trait_methods.push_str(&format!(
            "{}///\n/// Request `{}`, answered by `{}`. Unless implemented, answers\n\
             /// `Err(self.not_implemented({:?}))`.\n\
             #[allow(unused_variables)]\n\
             fn {mname}<'b>(&self, ctx: &Self::Context, req: super::tables::{req_t}<'_>, fbb: &mut {FB}::FlatBufferBuilder<'b>) \
             -> ::core::result::Result<{FB}::WIPOffset<super::tables::{resp_t}<'b>>, Self::Error> {{\n\
             ::core::result::Result::Err(self.not_implemented({:?}))\n}}\n",
            doc_attrs(&m.doc),
            req,
            resp,
            m.name,
            m.name
        ));
        dispatch_arms.push_str(&format!(
            "{un}::{req} => match env.{fsn}_as_{req_member}() {{\n\
             ::core::option::Option::Some(req) => h.{mname}(ctx, req, fbb).map(|o| ({un}::{resp}, o.as_union_value())).map_err(DispatchError::Handler),\n\
             ::core::option::Option::None => ::core::result::Result::Err(DispatchError::Unset),\n}},\n"
        ));
    }
    s.push_str(&format!(
        "];\n/// Methods of the service that cannot be dispatched because their request or response is\n\
         /// not a member of `{}`.\npub const SKIPPED_METHODS: &[&str] = &[{}];\n",
        u.name,
        skipped.join(", ")
    ));
    s.push_str(&format!(
        "/// The method a request tag belongs to; `None` when the tag is not a request (a response,\n\
         /// an event, `NONE`, or a tag from a newer schema).\n\
         pub fn method_for(tag: {un}) -> ::core::option::Option<&'static MethodInfo> {{ match tag {{\n{match_arms}_ => ::core::option::Option::None,\n}} }}\n"
    ));

    s.push_str(&format!(
        "/// The server side of the `{}` service: one method per request. Each method writes its answer\n\
         /// straight into `fbb` and returns the answer's offset; the caller wraps it in the `{root_name}`.\n\
         ///\n\
         /// Only [`Handler::not_implemented`] is required: every request method defaults to that\n\
         /// answer, so a message appended to the schema compiles against existing handlers and is\n\
         /// refused cleanly until its method is written.\n\
         pub trait Handler {{\n/// Per-call state (the caller's session, identity, …).\ntype Context;\n\
         /// The error a handler returns; the caller turns it into an `Error` message.\ntype Error;\n\
         /// The answer for requests the node does not serve yet: every request method this handler\n\
         /// does not implement returns `Err(self.not_implemented(\"<Method>\"))`, `method` being the\n\
         /// method's name in the service.\n\
         fn not_implemented(&self, method: &'static str) -> Self::Error;\n{trait_methods}}}\n",
        service.name
    ));

    s.push_str(&format!(
        "/// Why [`dispatch`] did not reach a handler, or the handler's own error.\n\
         #[derive(Debug, Clone, PartialEq, Eq)]\npub enum DispatchError<E> {{\n\
         /// The `{field}` is absent (`NONE`) or its value is missing.\nUnset,\n\
         /// The message is not a request of the service (a response, an event, or an unknown tag).\nNotARequest({un}),\n\
         /// The handler failed.\nHandler(E),\n}}\n\
         impl<E: ::core::fmt::Display> ::core::fmt::Display for DispatchError<E> {{\n\
         fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{ match self {{\n\
         Self::Unset => f.write_str(\"the {field} is not set\"),\n\
         Self::NotARequest(tag) => match message_name(*tag) {{ ::core::option::Option::Some(n) => write!(f, \"{{n}} is not a request\"), ::core::option::Option::None => write!(f, \"unknown message type {{}}\", tag.0) }},\n\
         Self::Handler(e) => e.fmt(f),\n}} }} }}\n\
         impl<E: ::core::fmt::Debug + ::core::fmt::Display> ::std::error::Error for DispatchError<E> {{}}\n\
         /// Routes a verified `{root_name}` to the handler method for its `{field}`. Returns the\n\
         /// response's union tag and offset; the caller builds the answering `{root_name}`. Unknown or\n\
         /// unset messages give an error value, never a panic.\n\
         #[allow(unused_variables)]\n\
         pub fn dispatch<'b, H: Handler + ?Sized>(h: &H, ctx: &H::Context, env: {root_name}<'_>, fbb: &mut {FB}::FlatBufferBuilder<'b>) \
         -> ::core::result::Result<({un}, {FB}::WIPOffset<{FB}::UnionWIPOffset>), DispatchError<H::Error>> {{\n\
         match env.{fsn}_type() {{\n{un}::NONE => ::core::result::Result::Err(DispatchError::Unset),\n{dispatch_arms}\
         other => ::core::result::Result::Err(DispatchError::NotARequest(other)),\n}} }}\n"
    ));
    let mut out = format_rust(&rust_header(schema), &s);
    out.push_str(&super::forward::emit(&service.name, &forwards));
    out
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
    fn request_methods_default_to_not_implemented() {
        let out = gen("table Q {} table A {} union M { Q, A }\n\
             table Root { m: M; }\n\
             rpc_service S { Ask(Q): A; NotImplemented(Q): A; }\nroot_type Root;");
        // The hook is the one required method (a declaration without a body).
        assert!(
            out.contains("fn not_implemented(&self, method: &'static str) -> Self::Error;"),
            "{out}"
        );
        // Every request method has a body answering through the hook with its own name.
        assert!(out.contains("fn ask<'b>("), "{out}");
        assert!(out.contains("Err(self.not_implemented(\"Ask\"))"), "{out}");
        // A method named like the hook is renamed, never shadowing or clashing with it.
        assert!(out.contains("fn not_implemented_request<'b>("), "{out}");
        assert!(
            out.contains("Err(self.not_implemented(\"NotImplemented\"))"),
            "{out}"
        );
        assert!(
            out.contains("h.not_implemented_request(ctx, req, fbb)"),
            "{out}"
        );
        assert_eq!(out.matches("Self::Error;").count(), 1, "{out}");
    }

    #[test]
    fn the_forwarding_macro_has_one_guarded_method_per_request() {
        let out = gen("table Q {} table A {} union M { Q, A }\n\
             table Root { m: M; }\n\
             rpc_service S { Ask(Q): A; NotImplemented(Q): A; }\nroot_type Root;");
        assert!(
            out.contains("macro_rules! impl_handler_for_inherent"),
            "{out}"
        );
        assert!(
            out.contains("pub(crate) use impl_handler_for_inherent;"),
            "{out}"
        );
        // Each request forwards to the inherent method of the trait method's name, and each
        // forwarding method refuses to compile into a call to itself.
        assert!(out.contains("<$ty>::ask(self, ctx, req, fbb)"), "{out}");
        assert!(
            out.contains("<$ty>::not_implemented_request(self, ctx, req, fbb)"),
            "{out}"
        );
        assert_eq!(
            out.matches("#[deny(unconditional_recursion)]\n").count(),
            2,
            "{out}"
        );
        assert!(out.contains("($not_implemented)(method)"), "{out}");
    }
}
