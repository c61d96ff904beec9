//! The `impl_handler_for_inherent!` macro emitted into `dispatch.rs`.
//!
//! A server keeps each request's handler as an inherent method of its type, in the file of the
//! request's group. The `Handler` impl that connects them is pure forwarding, so it is generated
//! too: the macro expands to `impl Handler for T` with one method per request that calls `T`'s
//! inherent method of the same name. Adding a message is then a schema entry plus one inherent
//! method, and forgetting the method is a compile error rather than a silent "not implemented".
//!
//! Why the error is certain: the forwarding body is `<T>::method(self, …)`. Without an inherent
//! method of that name the path resolves either to nothing ("no function or associated item"),
//! or, when the `Handler` trait is in scope, to the trait method being defined, which the
//! `#[deny(unconditional_recursion)]` on every forwarding method turns into an error.

/// One forwarded request: the trait/inherent method name and the request and response tables.
pub(crate) struct Forward {
    pub method: String,
    pub request: String,
    pub response: String,
}

/// The macro definition plus its crate-visible re-export, as formatted text to append after the
/// prettyplease output (which prints a macro body as one run of tokens, unreadable for review).
///
/// The macro is not `#[macro_export]`ed: a crate may include several generated schemas (the
/// golden fixtures do), and exported macros would collide at the crate root.
pub(crate) fn emit(service: &str, methods: &[Forward]) -> String {
    let mut forwards = String::new();
    for Forward {
        method,
        request,
        response,
    } in methods
    {
        forwards.push_str(&format!(
            "            #[deny(unconditional_recursion)]
            fn {method}<'b>(
                &self,
                ctx: &$ctx,
                req: $($schema)::+::tables::{request}<'_>,
                fbb: &mut ::flatbuffers::FlatBufferBuilder<'b>,
            ) -> ::core::result::Result<
                ::flatbuffers::WIPOffset<$($schema)::+::tables::{response}<'b>>,
                $err,
            > {{
                <$ty>::{method}(self, ctx, req, fbb)
            }}
"
        ));
    }
    let text = format!(
        r#"/// Implements [`Handler`] for a type by forwarding every request of the `{service}` service
/// to the type's inherent method of the same name and signature (`fn is_alive<'b>(&self, ctx,
/// req, fbb)`). A missing inherent method is a compile error: the forwarding call then names
/// nothing or, with `Handler` in scope, recurses into itself, which
/// `#[deny(unconditional_recursion)]` refuses.
///
/// `schema` is the module that holds the generated `tables` and `dispatch` modules;
/// `not_implemented` is a `fn(&'static str) -> Error` (a path or a closure) that becomes
/// [`Handler::not_implemented`].
///
/// ```ignore
/// impl_handler_for_inherent! {{
///     schema = crate::schema;
///     impl Handler for Api {{
///         type Context = CallContext;
///         type Error = ApiError;
///         not_implemented = ApiError::NotImplemented;
///     }}
/// }}
/// ```
#[allow(unused_macros)]
macro_rules! impl_handler_for_inherent {{
    (
        schema = $($schema:ident)::+;
        impl Handler for $ty:ty {{
            type Context = $ctx:ty;
            type Error = $err:ty;
            not_implemented = $not_implemented:expr;
        }}
    ) => {{
        impl $($schema)::+::dispatch::Handler for $ty {{
            type Context = $ctx;
            type Error = $err;

            fn not_implemented(&self, method: &'static str) -> $err {{
                ($not_implemented)(method)
            }}

{forwards}        }}
    }};
}}
#[allow(unused_imports)]
pub(crate) use impl_handler_for_inherent;
"#
    );
    // Hand-formatted, so check it is still one well-formed item list (a generator bug otherwise).
    match syn::parse_file(&text) {
        Ok(_) => text,
        Err(e) => format!(
            "compile_error!({:?});\n",
            format!("nanoipc-codegen produced an invalid forwarding macro: {e}")
        ),
    }
}
