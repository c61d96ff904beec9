//! An async IPC client for `unix:///path` and `tcp://host:port`: raw framed requests in any of the
//! four encodings, with pipelining (`send` several, then `recv` in order). Typed v2 methods will be
//! layered on top once the generated code exists. Used by `nanoipc call`, `nanoipc bench` and tests.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};
use tokio_util::codec::Decoder;

use super::frame::{self, Encoding, ResponseDecoder, ResponseFrameError};

/// The largest answer the client accepts unless told otherwise (the node's default request limit).
pub const DEFAULT_MAX_RESPONSE: u32 = 32 * 1024 * 1024;

/// Where a node listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `unix:///path/to/socket`
    Unix(PathBuf),
    /// `tcp://host:port`
    Tcp(String),
}

impl Default for Target {
    /// nano-node's default local socket, `unix:///tmp/nano`.
    fn default() -> Self {
        Target::Unix(PathBuf::from("/tmp/nano"))
    }
}

impl FromStr for Target {
    type Err = ClientError;

    fn from_str(s: &str) -> Result<Self, ClientError> {
        if let Some(path) = s.strip_prefix("unix://") {
            if path.is_empty() {
                return Err(ClientError::BadTarget(s.to_owned()));
            }
            return Ok(Target::Unix(PathBuf::from(path)));
        }
        if let Some(addr) = s.strip_prefix("tcp://") {
            let ok = addr
                .rsplit_once(':')
                .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
            if !ok {
                return Err(ClientError::BadTarget(s.to_owned()));
            }
            return Ok(Target::Tcp(addr.to_owned()));
        }
        Err(ClientError::BadTarget(s.to_owned()))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Unix(p) => write!(f, "unix://{}", p.display()),
            Target::Tcp(a) => write!(f, "tcp://{a}"),
        }
    }
}

/// Client failures.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("bad target {0:?}: expected unix:///path or tcp://host:port")]
    BadTarget(String),
    #[error("cannot connect to {target}: {source}")]
    Connect {
        target: Target,
        source: std::io::Error,
    },
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("the node closed the connection before answering")]
    Closed,
    #[error("{0}")]
    Frame(#[from] ResponseFrameError),
    #[error("{0}")]
    TooLong(#[from] frame::PayloadTooLong),
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// One connection to a node.
pub struct Client {
    stream: Box<dyn Io>,
    rbuf: BytesMut,
    wbuf: BytesMut,
    decoder: ResponseDecoder,
}

impl Client {
    /// Connect to `target`.
    pub async fn connect(target: &Target) -> Result<Self, ClientError> {
        let stream: Box<dyn Io> = match target {
            Target::Unix(path) => Box::new(UnixStream::connect(path).await.map_err(|source| {
                ClientError::Connect {
                    target: target.clone(),
                    source,
                }
            })?),
            Target::Tcp(addr) => {
                let s = TcpStream::connect(addr.as_str()).await.map_err(|source| {
                    ClientError::Connect {
                        target: target.clone(),
                        source,
                    }
                })?;
                s.set_nodelay(true)?;
                Box::new(s)
            }
        };
        Ok(Client {
            stream,
            rbuf: BytesMut::with_capacity(4096),
            wbuf: BytesMut::new(),
            decoder: ResponseDecoder::new(DEFAULT_MAX_RESPONSE),
        })
    }

    /// Change the largest answer accepted.
    pub fn set_max_response(&mut self, max: u32) {
        self.decoder = ResponseDecoder::new(max);
    }

    /// Queue one request (written by the next [`Client::flush`] or [`Client::recv`]).
    pub fn send(&mut self, encoding: Encoding, payload: &[u8]) -> Result<(), ClientError> {
        frame::encode_request(encoding, payload, &mut self.wbuf)?;
        Ok(())
    }

    /// Write every queued request.
    pub async fn flush(&mut self) -> Result<(), ClientError> {
        if !self.wbuf.is_empty() {
            self.stream.write_all(&self.wbuf).await?;
            self.wbuf.clear();
        }
        Ok(())
    }

    /// The next answer, in request order (flushes queued requests first).
    pub async fn recv(&mut self) -> Result<Bytes, ClientError> {
        self.flush().await?;
        loop {
            if let Some(answer) = self.decoder.decode(&mut self.rbuf)? {
                return Ok(answer);
            }
            if self.rbuf.capacity() - self.rbuf.len() < 1024 {
                self.rbuf.reserve(4096);
            }
            if self.stream.read_buf(&mut self.rbuf).await? == 0 {
                return Err(ClientError::Closed);
            }
        }
    }

    /// Send one request and wait for its answer.
    pub async fn request(
        &mut self,
        encoding: Encoding,
        payload: &[u8],
    ) -> Result<Bytes, ClientError> {
        self.send(encoding, payload)?;
        self.recv().await
    }

    /// A legacy RPC 1.0 request (encoding 1, or 2 when `allow_unsafe`), answered as its JSON text.
    pub async fn legacy(&mut self, json: &str, unsafe_: bool) -> Result<Bytes, ClientError> {
        let enc = if unsafe_ {
            Encoding::JsonV1Unsafe
        } else {
            Encoding::JsonV1
        };
        self.request(enc, json.as_bytes()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_targets() {
        assert_eq!(
            "unix:///tmp/nano".parse::<Target>().unwrap(),
            Target::Unix("/tmp/nano".into())
        );
        assert_eq!(
            "tcp://127.0.0.1:7077".parse::<Target>().unwrap(),
            Target::Tcp("127.0.0.1:7077".into())
        );
        assert_eq!(
            "tcp://[::1]:7077".parse::<Target>().unwrap(),
            Target::Tcp("[::1]:7077".into())
        );
        for bad in [
            "unix://",
            "tcp://host",
            "tcp://:1",
            "tcp://h:99999",
            "http://x:1",
            "/tmp/nano",
        ] {
            assert!(bad.parse::<Target>().is_err(), "{bad}");
        }
        assert_eq!(Target::default().to_string(), "unix:///tmp/nano");
    }
}
