//! An async IPC client for `unix:///path` and `tcp://host:port`, used by `nanoipc call`,
//! `nanoipc bench` and tests.
//!
//! Three levels, all on one connection:
//! - raw framed requests in any of the four encodings, with pipelining (`send` several, then
//!   `recv` in order): [`Client::request`], [`Client::send`]/[`Client::recv`];
//! - legacy RPC 1.0 (encodings 1 and 2): [`Client::legacy`] (text) and [`Client::legacy_value`];
//! - v2 (encodings 3 and 4): the generated [`NanoApiClient`] trait, one typed method per request
//!   of the schema (`client.account_weight(&AccountWeightT { .. })`), and [`Client::call_named`]
//!   for a request chosen by name at run time with its JSON (`typed.rs`).
//!
//! [`CallOptions`] (encoding, credentials, correlation id) apply to every v2 request.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};
use tokio_util::codec::Decoder;

use super::frame::{self, Encoding, ResponseDecoder, ResponseFrameError};
use crate::schema::JsonError;

mod typed;

pub use crate::schema::client::{CallError, CallOptions, NanoApiClient, WireEncoding};
pub use typed::{encode_named, request_method, AnswerInfo, V2Answer};

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
    /// A v2 request name that is not a request of the schema's service.
    #[error("unknown request {name:?}; valid requests: {valid}")]
    UnknownRequest { name: String, valid: String },
    /// The JSON given for a v2 request does not fit its message.
    #[error("invalid request JSON: {0}")]
    RequestJson(#[from] JsonError),
    /// A request envelope could not be encoded.
    #[error("cannot encode the request: {0}")]
    InvalidRequest(String),
    /// The node's answer is not what the encoding promises (bad envelope, bad JSON).
    #[error("invalid answer: {0}")]
    InvalidAnswer(String),
}

/// Anything [`Client::connect`] accepts as a node address: a [`Target`], or its text form
/// (`"unix:///tmp/nano"`, `"tcp://127.0.0.1:7077"`).
pub trait AsTarget {
    /// The address, parsed if needed.
    fn to_target(&self) -> Result<Target, ClientError>;
}

impl AsTarget for Target {
    fn to_target(&self) -> Result<Target, ClientError> {
        Ok(self.clone())
    }
}

impl AsTarget for str {
    fn to_target(&self) -> Result<Target, ClientError> {
        self.parse()
    }
}

impl AsTarget for String {
    fn to_target(&self) -> Result<Target, ClientError> {
        self.parse()
    }
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// One connection to a node.
pub struct Client {
    stream: Box<dyn Io>,
    rbuf: BytesMut,
    wbuf: BytesMut,
    decoder: ResponseDecoder,
    /// Applied to every v2 request.
    options: CallOptions,
    /// What the last v2 answer's envelope said besides its message.
    last_answer: Option<AnswerInfo>,
}

impl Client {
    /// Connect to `target`: a [`Target`] or its text form (`"unix:///path"`, `"tcp://host:port"`).
    pub async fn connect<T: AsTarget + ?Sized>(target: &T) -> Result<Self, ClientError> {
        let target = &target.to_target()?;
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
            options: CallOptions::default(),
            last_answer: None,
        })
    }

    /// The options every v2 request carries.
    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    /// Change the options every v2 request carries.
    pub fn options_mut(&mut self) -> &mut CallOptions {
        &mut self.options
    }

    /// Send v2 requests in `encoding`: binary (3, the default) or JSON (4).
    pub fn set_encoding(&mut self, encoding: WireEncoding) {
        self.options.encoding = encoding;
    }

    /// The API key written into every v2 request (`None`: the default user).
    pub fn set_credentials(&mut self, credentials: Option<String>) {
        self.options.credentials = credentials;
    }

    /// The correlation id written into every v2 request; answers must echo it.
    pub fn set_correlation_id(&mut self, correlation_id: Option<String>) {
        self.options.correlation_id = correlation_id;
    }

    /// Time and correlation id of the last v2 answer, once one has arrived.
    pub fn last_answer(&self) -> Option<&AnswerInfo> {
        self.last_answer.as_ref()
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

    /// A legacy RPC 1.0 request (encoding 1, or 2 with `unsafe_`, which may run control actions
    /// on a transport with `allow_unsafe`), answered as its JSON text exactly as the node wrote it.
    pub async fn legacy(&mut self, json: &str, unsafe_: bool) -> Result<Bytes, ClientError> {
        let enc = if unsafe_ {
            Encoding::JsonV1Unsafe
        } else {
            Encoding::JsonV1
        };
        self.request(enc, json.as_bytes()).await
    }

    /// [`Client::legacy`] for a JSON value: sends `json`, returns the parsed answer. An `{"error": …}`
    /// answer is returned as it is (the caller decides what an error means to it).
    pub async fn legacy_value(
        &mut self,
        json: &serde_json::Value,
        unsafe_: bool,
    ) -> Result<serde_json::Value, ClientError> {
        let answer = self.legacy(&json.to_string(), unsafe_).await?;
        serde_json::from_slice(&answer)
            .map_err(|e| ClientError::InvalidAnswer(format!("the legacy answer is not JSON: {e}")))
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
