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
//!
//! A node that never answers must not hang its caller: [`Client::connect_timeout`] bounds the
//! connect and every request (and [`Client::set_timeout`] changes the request bound). A request
//! that times out leaves its answer possibly still on the way, and answers come in order, so the
//! connection refuses further requests ([`ClientError::Poisoned`]) instead of mismatching them.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};
use tokio_util::codec::Decoder;

use super::frame::{self, Encoding, ResponseDecoder, ResponseFrameError};
use crate::schema::JsonError;

mod typed;

pub use crate::schema::client::Prepared;
pub use crate::schema::client::{CallError, CallOptions, NanoApiClient, WireEncoding};
pub use typed::{encode_named, request_method, AnswerInfo, NamedRequest, V2Answer};

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
    /// The node's answer is not what the encoding promises (bad envelope, bad JSON), or not the
    /// answer to the request (wrong correlation id, wrong response).
    #[error("invalid answer: {0}")]
    InvalidAnswer(String),
    /// The node answered a v2 request with an `Error` (from a typed call converted with `?`).
    #[error("the node answered error {code} (category {category}): {message}")]
    Remote {
        code: i32,
        category: i32,
        message: String,
    },
    /// Connecting, or waiting for an answer, took longer than the client's timeout.
    #[error("timed out after {after:?} {what}")]
    Timeout {
        /// "connecting to unix:///tmp/nano", "waiting for an answer".
        what: String,
        after: Duration,
    },
    /// An earlier request on this connection timed out; its answer may still arrive and would be
    /// taken for the next request's, so the connection is not used again.
    #[error("an earlier request on this connection timed out; reconnect")]
    Poisoned,
}

/// Lets typed calls (`client.account_weight(..).await?`) run in functions returning
/// `ClientError`: transport errors stay as they are, `Error` answers become
/// [`ClientError::Remote`], and answers that do not fit become [`ClientError::InvalidAnswer`].
impl From<CallError<ClientError>> for ClientError {
    fn from(e: CallError<ClientError>) -> Self {
        match e {
            CallError::Transport(e) => e,
            CallError::Remote {
                code,
                category,
                message,
            } => ClientError::Remote {
                code,
                category,
                message,
            },
            CallError::InvalidAnswer(m) => ClientError::InvalidAnswer(m),
            CallError::InvalidRequest(m) => ClientError::InvalidRequest(m),
            e @ (CallError::UnexpectedResponse { .. } | CallError::CorrelationMismatch { .. }) => {
                ClientError::InvalidAnswer(e.to_string())
            }
        }
    }
}

/// Runs `fut`, bounded by `limit` when there is one.
async fn within<T>(
    limit: Option<Duration>,
    what: impl FnOnce() -> String,
    fut: impl std::future::Future<Output = Result<T, ClientError>>,
) -> Result<T, ClientError> {
    match limit {
        None => fut.await,
        Some(after) => tokio::time::timeout(after, fut).await.unwrap_or_else(|_| {
            Err(ClientError::Timeout {
                what: what(),
                after,
            })
        }),
    }
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
    /// Bounds writing the queued requests and reading one answer (`None`: wait forever).
    timeout: Option<Duration>,
    /// Set when a request timed out: the stream's position among the answers is unknown.
    poisoned: bool,
}

impl Client {
    /// Connect to `target`: a [`Target`] or its text form (`"unix:///path"`, `"tcp://host:port"`).
    /// Neither connecting nor requests are bounded in time; see [`Client::connect_timeout`].
    pub async fn connect<T: AsTarget + ?Sized>(target: &T) -> Result<Self, ClientError> {
        Self::connect_within(target, None).await
    }

    /// [`Client::connect`], giving up after `timeout`; every request on the connection is then
    /// bounded by `timeout` too ([`Client::set_timeout`]).
    pub async fn connect_timeout<T: AsTarget + ?Sized>(
        target: &T,
        timeout: Duration,
    ) -> Result<Self, ClientError> {
        Self::connect_within(target, Some(timeout)).await
    }

    async fn connect_within<T: AsTarget + ?Sized>(
        target: &T,
        timeout: Option<Duration>,
    ) -> Result<Self, ClientError> {
        let target = &target.to_target()?;
        let stream = within(
            timeout,
            || format!("connecting to {target}"),
            Self::open(target),
        )
        .await?;
        Ok(Client {
            stream,
            rbuf: BytesMut::with_capacity(4096),
            wbuf: BytesMut::new(),
            decoder: ResponseDecoder::new(DEFAULT_MAX_RESPONSE),
            options: CallOptions::default(),
            last_answer: None,
            timeout,
            poisoned: false,
        })
    }

    async fn open(target: &Target) -> Result<Box<dyn Io>, ClientError> {
        Ok(match target {
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
        })
    }

    /// Bound every later request (writing it and reading its answer) by `timeout`; `None` waits
    /// forever.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    /// The bound on each request, if any.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
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

    /// Write every queued request (within the timeout, if one is set).
    pub async fn flush(&mut self) -> Result<(), ClientError> {
        let limit = self.timeout;
        let r = within(limit, || "writing the request".to_owned(), self.flush_now()).await;
        self.poison_on_timeout(r)
    }

    /// The next answer, in request order (flushes queued requests first). With a timeout set,
    /// writing and reading together must finish within it.
    pub async fn recv(&mut self) -> Result<Bytes, ClientError> {
        let limit = self.timeout;
        let r = within(
            limit,
            || "waiting for an answer".to_owned(),
            self.recv_now(),
        )
        .await;
        self.poison_on_timeout(r)
    }

    /// Remembers a timeout: later requests get [`ClientError::Poisoned`].
    fn poison_on_timeout<T>(&mut self, r: Result<T, ClientError>) -> Result<T, ClientError> {
        if matches!(r, Err(ClientError::Timeout { .. })) {
            self.poisoned = true;
        }
        r
    }

    async fn flush_now(&mut self) -> Result<(), ClientError> {
        if self.poisoned {
            return Err(ClientError::Poisoned);
        }
        if !self.wbuf.is_empty() {
            self.stream.write_all(&self.wbuf).await?;
            self.wbuf.clear();
        }
        Ok(())
    }

    async fn recv_now(&mut self) -> Result<Bytes, ClientError> {
        self.flush_now().await?;
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
