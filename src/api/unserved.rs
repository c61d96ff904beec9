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
/// Why every request needs an inherent method: `Api`'s `Handler` comes from the generated
/// `impl_handler_for_inherent!`, whose forwarding method for a request without an inherent method
/// would call itself, which the macro denies (`unconditional_recursion`), so the build fails.
/// `tests/api_coverage.rs` sends every request of the schema and checks that exactly the ones
/// listed here answer "Not implemented".
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
