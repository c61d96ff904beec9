//! Why the IPC server could not start. Its own module so that `server` (which starts listeners)
//! and `listener` (which binds them) both use it without depending on each other.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on tcp {addr}: {source}")]
    BindTcp {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot listen on local socket {path}: {source}")]
    BindLocal {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another node is already listening on local socket {0}")]
    AlreadyRunning(PathBuf),
    #[error("{0} exists and is not a socket; refusing to replace it")]
    NotASocket(PathBuf),
    #[error("node.ipc.local.permissions is not a valid octal mode")]
    BadMode,
    #[error("no transport enabled: set node.ipc.local.enable or node.ipc.tcp.enable")]
    NoTransport,
}

impl ServerError {
    pub(crate) fn bind_local(path: &Path, source: std::io::Error) -> Self {
        ServerError::BindLocal {
            path: path.to_owned(),
            source,
        }
    }
}
