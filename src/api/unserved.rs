//! Requests of the schema's `NanoApi` service that this node deliberately does not serve yet:
//! subscriptions (`TopicConfirmation`, `TopicServiceStop`) need a broker pushing events to
//! sessions, and external services (`ServiceRegister`, `ServiceStop`) need a service registry.
//! Each answers `Not implemented: <Method>` (code 5), never a fake acknowledgement a client would
//! take as a working subscription.
//!
//! They are written out (rather than left to the generated trait defaults) because `Api`'s
//! `Handler` impl is generated forwarding that requires one inherent method per request: every
//! request of the schema is then either served or listed in [`UNSERVED`], and a test sends each
//! request to check which one it is.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::{Api, ApiError, Caller};
use crate::schema::{
    EventAck, ServiceRegister, ServiceStop, Success, TopicConfirmation, TopicServiceStop,
};

/// The method names (as in the schema's service) answered `Not implemented` on purpose.
///
/// Why every request needs an inherent method: a type with all of them gets its `Handler` from
/// the generated macro (this compiles against the checked-in `generated/dispatch.rs`) …
///
/// ```
/// # mod schema {
/// #     pub use nanoipc::schema::tables;
/// #     pub mod dispatch {
/// #         include!(concat!(env!("CARGO_MANIFEST_DIR"), "/generated/dispatch.rs"));
/// #     }
/// # }
/// # use flatbuffers::{FlatBufferBuilder as B, WIPOffset as W};
/// # use schema::tables::*;
/// # type R<'b, T> = Result<W<T>, String>;
/// # fn no<T>() -> Result<T, String> { Err("no".into()) }
/// use schema::dispatch::Handler; // in scope: a missing method would resolve to the trait's own
/// struct Node;
/// impl Node {
///     fn is_alive<'b>(&self, _: &(), _: IsAlive, _: &mut B<'b>) -> R<'b, IsAlive<'b>> { no() }
///     fn account_weight<'b>(&self, _: &(), _: AccountWeight, _: &mut B<'b>)
///         -> R<'b, AccountWeightResponse<'b>> { no() }
///     fn topic_confirmation<'b>(&self, _: &(), _: TopicConfirmation, _: &mut B<'b>)
///         -> R<'b, EventAck<'b>> { no() }
///     fn service_register<'b>(&self, _: &(), _: ServiceRegister, _: &mut B<'b>)
///         -> R<'b, Success<'b>> { no() }
///     fn service_stop<'b>(&self, _: &(), _: ServiceStop, _: &mut B<'b>)
///         -> R<'b, Success<'b>> { no() }
///     fn topic_service_stop<'b>(&self, _: &(), _: TopicServiceStop, _: &mut B<'b>)
///         -> R<'b, EventAck<'b>> { no() }
/// }
/// schema::dispatch::impl_handler_for_inherent! {
///     schema = schema;
///     impl Handler for Node {
///         type Context = ();
///         type Error = String;
///         not_implemented = |m: &str| m.to_owned();
///     }
/// }
/// # fn main() {}
/// ```
///
/// … and the same type without `account_weight` does not compile (the forwarding method would
/// call itself, which the macro denies):
///
/// ```compile_fail
/// # mod schema {
/// #     pub use nanoipc::schema::tables;
/// #     pub mod dispatch {
/// #         include!(concat!(env!("CARGO_MANIFEST_DIR"), "/generated/dispatch.rs"));
/// #     }
/// # }
/// # use flatbuffers::{FlatBufferBuilder as B, WIPOffset as W};
/// # use schema::tables::*;
/// # type R<'b, T> = Result<W<T>, String>;
/// # fn no<T>() -> Result<T, String> { Err("no".into()) }
/// use schema::dispatch::Handler; // in scope: a missing method would resolve to the trait's own
/// struct Node;
/// impl Node {
///     fn is_alive<'b>(&self, _: &(), _: IsAlive, _: &mut B<'b>) -> R<'b, IsAlive<'b>> { no() }
///     fn topic_confirmation<'b>(&self, _: &(), _: TopicConfirmation, _: &mut B<'b>)
///         -> R<'b, EventAck<'b>> { no() }
///     fn service_register<'b>(&self, _: &(), _: ServiceRegister, _: &mut B<'b>)
///         -> R<'b, Success<'b>> { no() }
///     fn service_stop<'b>(&self, _: &(), _: ServiceStop, _: &mut B<'b>)
///         -> R<'b, Success<'b>> { no() }
///     fn topic_service_stop<'b>(&self, _: &(), _: TopicServiceStop, _: &mut B<'b>)
///         -> R<'b, EventAck<'b>> { no() }
/// }
/// schema::dispatch::impl_handler_for_inherent! {
///     schema = schema;
///     impl Handler for Node {
///         type Context = ();
///         type Error = String;
///         not_implemented = |m: &str| m.to_owned();
///     }
/// }
/// # fn main() {}
/// ```
pub const UNSERVED: &[&str] = &[
    "TopicConfirmation",
    "ServiceRegister",
    "ServiceStop",
    "TopicServiceStop",
];

impl Api {
    pub(super) fn topic_confirmation<'b>(
        &self,
        _ctx: &Caller,
        _req: TopicConfirmation<'_>,
        _fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<EventAck<'b>>, ApiError> {
        Err(ApiError::NotImplemented("TopicConfirmation"))
    }

    pub(super) fn service_register<'b>(
        &self,
        _ctx: &Caller,
        _req: ServiceRegister<'_>,
        _fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, ApiError> {
        Err(ApiError::NotImplemented("ServiceRegister"))
    }

    pub(super) fn service_stop<'b>(
        &self,
        _ctx: &Caller,
        _req: ServiceStop<'_>,
        _fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, ApiError> {
        Err(ApiError::NotImplemented("ServiceStop"))
    }

    pub(super) fn topic_service_stop<'b>(
        &self,
        _ctx: &Caller,
        _req: TopicServiceStop<'_>,
        _fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<EventAck<'b>>, ApiError> {
        Err(ApiError::NotImplemented("TopicServiceStop"))
    }
}
