//! The IPC transport: nano-node's framed protocol over TCP and Unix sockets, its client and the
//! load tool. Request path: listener (`listener.rs`) → session (`session.rs`) → frame decoder
//! (`frame.rs`) → the request core ([`crate::api::Service`], the node's
//! [`RequestCore`](crate::api::RequestCore)) → be32-length answer → socket. `server.rs` owns
//! start-up and shutdown, `error.rs` its errors; `client/` and `bench/` are the other end of the
//! wire (`bench` only with the `cli` feature). This module knows encodings only by number and
//! never imports a front end.

#[cfg(feature = "cli")]
pub mod bench;
pub mod client;
mod error;
mod fdlimit;
pub mod frame;
pub mod listener;
pub mod server;
pub mod session;
pub mod table;
mod throttle;

pub use error::ServerError;
pub use frame::{Encoding, Frame, FrameDecoder, FrameError};
pub use server::{IpcServer, RunningServer, ShutdownOutcome};
