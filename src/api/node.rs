//! Node-level requests: liveness, and the service/subscription requests this node does not serve
//! yet (they answer a clear "not implemented" error, never a fake success).

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::{Api, ApiError, CallContext};
use crate::schema::{
    IsAlive, ServiceRegister, ServiceStop, Success, SuccessArgs, TopicConfirmation,
    TopicServiceStop,
};

impl Api {
    pub(super) fn is_alive<'b>(
        &self,
        _ctx: &CallContext,
        _req: IsAlive<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, ApiError> {
        Ok(Success::create(fbb, &SuccessArgs { message: None }))
    }

    pub(super) fn topic_confirmation<'b>(
        &self,
        _ctx: &CallContext,
        _req: TopicConfirmation<'_>,
        _fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, ApiError> {
        Err(ApiError::NotImplemented(
            "confirmation subscriptions (TopicConfirmation)",
        ))
    }

    pub(super) fn service_register<'b>(
        &self,
        _ctx: &CallContext,
        _req: ServiceRegister<'_>,
        _fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, ApiError> {
        Err(ApiError::NotImplemented(
            "external service registration (ServiceRegister)",
        ))
    }

    pub(super) fn service_stop<'b>(
        &self,
        _ctx: &CallContext,
        _req: ServiceStop<'_>,
        _fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, ApiError> {
        Err(ApiError::NotImplemented("external services (ServiceStop)"))
    }

    pub(super) fn topic_service_stop<'b>(
        &self,
        _ctx: &CallContext,
        _req: TopicServiceStop<'_>,
        _fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<Success<'b>>, ApiError> {
        Err(ApiError::NotImplemented(
            "service stop subscriptions (TopicServiceStop)",
        ))
    }
}
