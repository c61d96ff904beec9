//! `ApiError`: the one error model that reaches the wire.
//!
//! Every failure a client can see, in any encoding or transport, is one of these. Its `code` and
//! `category` go into the v2 `Error` message; legacy RPC renders the message text as
//! `{"error": "…"}`. The table is documented in `docs/errors.md` and the numbers never change
//! meaning: 1 and 3 are the ones nano-node's documentation shows.

use crate::ledger::{LedgerError, ProcessResult};

/// Coarse grouping of error codes, for clients that only branch on the kind of failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Category {
    /// The request itself must change (malformed, unknown, bad argument, too large).
    Request = 1,
    /// The caller is not allowed to make this request.
    Access = 2,
    /// The node could not serve a valid request.
    Server = 3,
}

/// A failed request, as the client will see it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The payload is not a well-formed message in its encoding (bad JSON, failed verification,
    /// a missing required field). The detail says where.
    #[error("Invalid message format: {0}")]
    InvalidMessageFormat(String),
    /// The envelope carries no message, or one that is not a request this node serves.
    #[error("Unknown message: {0}")]
    UnknownMessage(String),
    /// The caller's credentials do not grant any permission the request needs.
    #[error("Access denied")]
    AccessDenied,
    /// A field has a value the request cannot use, e.g. `Bad account number`.
    #[error("{0}")]
    InvalidArgument(&'static str),
    /// The request is understood but this node does not serve it yet; the payload names it
    /// (the request's method name, e.g. `TopicConfirmation`).
    #[error("Not implemented: {0}")]
    NotImplemented(&'static str),
    /// The announced payload length is above `max_request_size`.
    #[error("Request too large: {len} bytes exceeds max_request_size ({max} bytes)")]
    RequestTooLarge { len: u32, max: u32 },
    /// The ledger failed underneath a valid request.
    #[error("Internal error: {0}")]
    Internal(#[from] LedgerError),
    /// A request handler failed (panicked) on the blocking pool: a bug, reported without detail.
    #[error("Internal error: the request handler failed")]
    HandlerFailed,
    /// The node built an answer it cannot read back (a bug, never the client's input).
    #[error("Internal error: the answer could not be encoded: {0}")]
    InvalidAnswer(String),
    /// The ledger refused a submitted block; the text is nano-node's `process` error for that
    /// result (`Fork`, `Gap previous block`, …), never `Progress`.
    #[error("{}", .0.error_message().unwrap_or("Error processing block"))]
    Rejected(ProcessResult),
    /// A work generation was stopped by `work_cancel` (`WorkCancel`) before it found a nonce.
    #[error("Cancelled")]
    Cancelled,
    /// The node refused a request it cannot take on now (too much of that work is queued);
    /// the same request later may succeed.
    #[error("Node overloaded: {0}")]
    Overloaded(&'static str),
    /// The session sent more malformed or refused requests than its error budget allows; this is
    /// its last answer before the node closes the connection.
    #[error(
        "Too many errors: more than {0} malformed or refused requests; closing the connection"
    )]
    TooManyErrors(u32),
}

impl ApiError {
    /// The stable error number sent in `Error.code`.
    pub fn code(&self) -> i32 {
        match self {
            ApiError::InvalidMessageFormat(_) => 1,
            ApiError::UnknownMessage(_) => 2,
            ApiError::AccessDenied => 3,
            ApiError::InvalidArgument(_) => 4,
            ApiError::NotImplemented(_) => 5,
            ApiError::RequestTooLarge { .. } => 6,
            ApiError::Internal(_) | ApiError::InvalidAnswer(_) | ApiError::HandlerFailed => 7,
            ApiError::Rejected(_) => 8,
            ApiError::Cancelled => 9,
            ApiError::Overloaded(_) => 10,
            ApiError::TooManyErrors(_) => 11,
        }
    }

    /// The coarse category sent in `Error.category`.
    pub fn category(&self) -> Category {
        match self {
            ApiError::InvalidMessageFormat(_)
            | ApiError::UnknownMessage(_)
            | ApiError::InvalidArgument(_)
            | ApiError::RequestTooLarge { .. }
            | ApiError::Rejected(_)
            | ApiError::TooManyErrors(_) => Category::Request,
            ApiError::AccessDenied => Category::Access,
            ApiError::NotImplemented(_)
            | ApiError::Internal(_)
            | ApiError::InvalidAnswer(_)
            | ApiError::HandlerFailed
            | ApiError::Cancelled
            | ApiError::Overloaded(_) => Category::Server,
        }
    }
}
