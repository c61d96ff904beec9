//! Legacy RPC 1.0 (encodings 1 and 2, later the HTTP gateway's `/`), the request core's legacy front
//! end ([`crate::api::LegacyRpc`]): request parsing with nano-node's
//! property-tree semantics ([`request`]), its exact response printer ([`tree`]), and the action
//! registry with the error model and control gating ([`registry`]), and the actions this node serves
//! ([`actions`]). Action bodies map names to [`Api`](crate::api::Api) calls; no business logic lives
//! here.

pub mod actions;
mod cost;
mod parse;
pub mod registry;
pub mod request;
pub mod tree;

use std::borrow::Cow;

pub use registry::{Action, ActionFn, DuplicateAction, Gate, Keys, Registry};
pub use request::LegacyRequest;
pub use tree::Tree;

/// An RPC 1.0 failure. Each renders as `{"error": "<Display>"}` and nothing else.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LegacyError {
    /// Invalid JSON, no `action`, a missing required parameter, or an unconvertible typed read.
    #[error("Unable to parse JSON")]
    UnableToParse,
    #[error("Unknown command")]
    UnknownCommand,
    /// What the action reads would cost more than about twice the request's size to build (a
    /// list of millions of one-character items). nano-node has no such limit; like the nesting
    /// limit, it is a deliberate difference that no real request meets (issue 8: a request of N
    /// bytes costs at most about 4×N).
    #[error("Request too large once parsed")]
    TooLarge,
    /// The action finished without an error and without keys.
    #[error("Empty response")]
    EmptyResponse,
    /// A control action from a caller without `control` (over IPC every caller has it, as in
    /// nano-node; the HTTP gateway follows `enable_control`). nano-node's wording for
    /// a refused control action (its HTTP RPC `enable_control` gate).
    #[error("RPC control is disabled")]
    ControlDisabled,
    #[error("Internal server error in RPC")]
    Internal,
    /// Any action-specific error text from legacy-rpc §4 (`Bad account number`, …).
    #[error("{0}")]
    Message(Cow<'static, str>),
}

impl LegacyError {
    /// An action-specific error with nano-node's exact text.
    pub fn message(text: impl Into<Cow<'static, str>>) -> Self {
        LegacyError::Message(text.into())
    }

    /// The `{"error": …}` answer (noted for the metrics under [`LegacyError::code`]).
    pub fn to_tree(&self) -> Tree {
        crate::api::metrics::note_error(self.code());
        Tree::error(&self.to_string())
    }

    /// The nearest v2 error code (`docs/errors.md`), for the metrics: legacy answers carry none.
    /// Action-specific texts count as invalid arguments, which nearly all of them are.
    pub fn code(&self) -> i32 {
        match self {
            LegacyError::UnableToParse => 1,
            LegacyError::UnknownCommand => 2,
            LegacyError::ControlDisabled => 3,
            LegacyError::TooLarge => 6,
            LegacyError::Message(_) => 4,
            LegacyError::EmptyResponse | LegacyError::Internal => 7,
        }
    }
}

/// The node's request core: `api` behind every encoding, with every legacy action this node has
/// answering encodings 1 and 2. Fails when two actions share a name (a start-up error, never a
/// silent overwrite).
pub fn request_core(api: crate::api::Api) -> Result<crate::api::RequestCore, DuplicateAction> {
    Ok(crate::api::RequestCore::new(api, actions::registry()?))
}
