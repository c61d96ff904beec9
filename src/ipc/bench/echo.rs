//! The minimal framed echo server `benches/ipc.rs` measures the node against: the floor of what
//! framing over a socket costs, without validation or a handler.

use std::path::Path;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, UnixListener};
use tokio_util::sync::CancellationToken;

use crate::ipc::frame::HEADER_LEN;

/// A minimal framed server for comparison: reads one frame (8-byte header + payload), writes a fixed
/// answer (be32 length + `answer_len` bytes), repeats. No validation, no handler, no pipelining
/// logic: the floor the node's overhead is measured against.
pub async fn echo_server_unix(
    path: &Path,
    answer_len: usize,
    stop: CancellationToken,
) -> std::io::Result<tokio::task::JoinHandle<()>> {
    echo_server_unix_answering(path, &vec![b' '; answer_len], stop).await
}

/// [`echo_server_unix`] answering every request with `answer` itself. Given a node's real answer,
/// a load run that checks every answer does the same client-side work against the echo server
/// as against the node, so the ratio of the two rates is the node's own cost alone.
pub async fn echo_server_unix_answering(
    path: &Path,
    answer: &[u8],
    stop: CancellationToken,
) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let listener = UnixListener::bind(path)?;
    let answer = framed(answer)?;
    Ok(tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                _ = stop.cancelled() => break,
                r = listener.accept() => r,
            };
            if let Ok((s, _)) = accepted {
                tokio::spawn(echo_conn(s, answer.clone(), stop.clone()));
            }
        }
    }))
}

/// [`echo_server_unix`] over TCP; returns the bound address.
pub async fn echo_server_tcp(
    addr: std::net::SocketAddr,
    answer_len: usize,
    stop: CancellationToken,
) -> std::io::Result<(std::net::SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let answer = framed(&vec![b' '; answer_len])?;
    Ok((
        local,
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    _ = stop.cancelled() => break,
                    r = listener.accept() => r,
                };
                if let Ok((s, _)) = accepted {
                    let _ = s.set_nodelay(true);
                    tokio::spawn(echo_conn(s, answer.clone(), stop.clone()));
                }
            }
        }),
    ))
}

/// `body` as an answer frame: be32 length, then the body.
fn framed(body: &[u8]) -> std::io::Result<Bytes> {
    let len32 = u32::try_from(body.len())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "answer too long"))?;
    let mut v = Vec::with_capacity(4 + body.len());
    v.extend_from_slice(&len32.to_be_bytes());
    v.extend_from_slice(body);
    Ok(Bytes::from(v))
}

async fn echo_conn<S: AsyncRead + AsyncWrite + Unpin>(
    mut s: S,
    answer: Bytes,
    stop: CancellationToken,
) {
    let mut header = [0u8; HEADER_LEN];
    let mut payload = Vec::new();
    loop {
        let read = tokio::select! {
            _ = stop.cancelled() => return,
            r = s.read_exact(&mut header) => r,
        };
        if read.is_err() {
            return;
        }
        let len = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
        // A comparison server for trusted benchmarks; still bounded so it cannot be made to allocate.
        if len > 1 << 20 {
            return;
        }
        payload.resize(len as usize, 0);
        if s.read_exact(&mut payload).await.is_err() || s.write_all(&answer).await.is_err() {
            return;
        }
    }
}
