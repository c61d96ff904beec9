//! The IPC server, client and load tool. Request path:
//! listener (`listener.rs`) → session (`session.rs`) → frame decoder (`frame.rs`) →
//! [`RequestHandler`] seam (`handler.rs`; the node runs `encoding.rs`'s [`NodeHandler`] over `src/api`) →
//! be32-length answer → socket. `server.rs` owns start-up and shutdown; `client/` and `bench/`
//! are the other end of the wire (`bench` only with the `cli` feature).

#[cfg(feature = "cli")]
pub mod bench;
pub mod client;
pub mod encoding;
pub mod frame;
pub mod handler;
pub mod listener;
pub mod server;
pub mod session;

pub use encoding::NodeHandler;
pub use frame::{Encoding, Frame, FrameDecoder, FrameError};
pub use handler::{
    NodeControl, Refusal, RefusalReason, Request, RequestHandler, SessionInfo, TransportKind,
};
pub use server::{IpcServer, RunningServer, ServerError, ShutdownOutcome};
