//! Test support: start a node (the real handler over a real dev ledger in a temp dir) on
//! 127.0.0.1:0 plus a temp-dir Unix socket, and a raw-byte client that writes frames exactly as
//! nano's IPC page describes them ('N', encoding, 0, 0, be32 length, payload).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use nanoipc::api::{Api, Caller, RequestCore, Service};
use nanoipc::config::IpcConfig;
use nanoipc::ipc::{IpcServer, RunningServer};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::Ledger;
use nanoipc::rpc_legacy::{actions, Gate, LegacyError, LegacyRequest, Tree};
use nanoipc::schema::JsonOptions;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};

/// Safety net for reads in tests so a bug fails instead of hanging; never a synchronisation device.
pub const SAFETY: Duration = Duration::from_secs(20);

/// Which transport a test talks over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Tcp,
    Local,
}

pub const BOTH: [Via; 2] = [Via::Tcp, Via::Local];

/// A running node and the temp dir holding its socket.
pub struct TestNode {
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
}

impl TestNode {
    pub fn tcp_addr(&self) -> SocketAddr {
        self.server.tcp_addr().expect("tcp enabled")
    }
    pub fn socket_path(&self) -> PathBuf {
        self.server.local_path().expect("local enabled").to_owned()
    }
    pub async fn connect(&self, via: Via) -> Raw {
        match via {
            Via::Tcp => Raw(Box::new(TcpStream::connect(self.tcp_addr()).await.unwrap())),
            Via::Local => Raw(Box::new(
                UnixStream::connect(self.socket_path()).await.unwrap(),
            )),
        }
    }
}

/// A config with both transports on: TCP 127.0.0.1:0 and `<dir>/nano.sock`.
pub fn test_config(dir: &Path) -> IpcConfig {
    let mut c = IpcConfig::default();
    c.tcp.enable = true;
    c.tcp.port = 0;
    c.local.enable = true;
    c.local.path = dir.join("nano.sock");
    c.max_request_size = 1024;
    c
}

/// The dev genesis account.
pub const GENESIS: &str = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo";
/// The dev genesis hash (nano-node's `network_identifier`).
pub const GENESIS_HASH: &str = "04270D7F11C4B2B472F2854C5A59F2A7E84226CE9ED799DE75744BD7D85FC9D9";
/// The whole supply, in raw.
pub const SUPPLY: &str = "340282366920938463463374607431768211455";

/// A fresh dev ledger under `dir` (in `dir/ledger`).
pub fn test_ledger(dir: &Path) -> Ledger {
    Ledger::open(dir, Network::Dev).unwrap()
}

/// A gate the `hold` probe action waits at: tests see when a held request has started and decide
/// when it may finish, with no sleeps.
#[derive(Default)]
pub struct Latch {
    state: std::sync::Mutex<(bool, bool)>,
    changed: std::sync::Condvar,
}

impl Latch {
    fn enter_and_wait(&self) {
        let mut s = self.state.lock().unwrap();
        s.0 = true;
        self.changed.notify_all();
        while !s.1 {
            s = self.changed.wait(s).unwrap();
        }
    }

    /// Blocks until a `hold` request has reached this latch (call from a blocking thread).
    pub fn wait_entered(&self) {
        let mut s = self.state.lock().unwrap();
        while !s.0 {
            s = self.changed.wait(s).unwrap();
        }
    }

    /// Lets every `hold` waiting here finish.
    pub fn open(&self) {
        self.state.lock().unwrap().1 = true;
        self.changed.notify_all();
    }
}

/// The latch called `name` (process-wide; tests use unique names).
pub fn latch(name: &str) -> Arc<Latch> {
    static LATCHES: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<String, Arc<Latch>>>,
    > = std::sync::OnceLock::new();
    let map = LATCHES.get_or_init(Default::default);
    map.lock()
        .unwrap()
        .entry(name.to_owned())
        .or_default()
        .clone()
}

/// The real node handler over `ledger`, with probe actions added to the real legacy registry:
/// `echo` (answers `{"value": <value>}`), `nothing` (answers no keys) and `hold` (a blocking
/// action that waits at [`latch`]`(name)` and answers `{"held": <name>}`).
pub fn handler_for(ledger: Ledger) -> Arc<dyn Service> {
    fn echo(_: &Api, _: &Caller, r: &LegacyRequest) -> Result<Tree, LegacyError> {
        let mut t = Tree::object();
        t.put("value", r.required("value")?);
        Ok(t)
    }
    fn nothing(_: &Api, _: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
        Ok(Tree::object())
    }
    /// Blocks its (blocking-pool) thread until the latch named by `name` is opened.
    fn hold(_: &Api, _: &Caller, r: &LegacyRequest) -> Result<Tree, LegacyError> {
        let name = r.required("name")?;
        latch(name).enter_and_wait();
        let mut t = Tree::object();
        t.put("held", name);
        Ok(t)
    }
    let mut reg = actions::registry().unwrap();
    reg.register("echo", &["value"], Gate::Open, echo).unwrap();
    reg.register("nothing", &[], Gate::Open, nothing).unwrap();
    reg.register_blocking("hold", &["name"], Gate::Open, hold)
        .unwrap();
    let api = Api::new(ledger, JsonOptions::default());
    Arc::new(RequestCore::new(api, reg))
}

/// [`handler_for`] a fresh dev ledger in `dir`.
pub fn test_handler(dir: &Path) -> Arc<dyn Service> {
    handler_for(test_ledger(dir))
}

pub async fn start_node() -> TestNode {
    start_node_with(|_| {}).await
}

pub async fn start_node_with(tweak: impl FnOnce(&mut IpcConfig)) -> TestNode {
    start_ledger_node_with(tweak).await.0
}

/// A node plus a handle on its ledger (to process blocks behind the node's back).
pub async fn start_ledger_node() -> (TestNode, Ledger) {
    start_ledger_node_with(|_| {}).await
}

pub async fn start_ledger_node_with(tweak: impl FnOnce(&mut IpcConfig)) -> (TestNode, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    tweak(&mut config);
    let ledger = test_ledger(dir.path());
    let server = IpcServer::start(&config, handler_for(ledger.clone()))
        .await
        .unwrap();
    (TestNode { server, dir }, ledger)
}

/// Serves one request through `service` in-process and waits for its answer, inline or deferred
/// (blocking handlers run on the blocking pool of a shared test runtime).
pub fn serve_sync(
    service: &dyn Service,
    caller: &Caller,
    encoding: nanoipc::api::Encoding,
    payload: &[u8],
) -> Vec<u8> {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    let rt = RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap()
    });
    let payload = bytes::Bytes::copy_from_slice(payload);
    rt.block_on(nanoipc::api::answer(service, caller, encoding, payload))
        .to_vec()
}

/// A request frame, byte for byte as the seed describes it.
pub fn frame(encoding: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![b'N', encoding, 0, 0];
    v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// nano's RPC 1.0 error answer text.
pub fn legacy_error(msg: &str) -> String {
    format!("{{\n    \"error\": \"{msg}\"\n}}\n")
}

pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// A raw-byte client.
pub struct Raw(pub Box<dyn Stream>);

impl Raw {
    pub async fn write(&mut self, bytes: &[u8]) {
        self.0.write_all(bytes).await.unwrap();
    }

    /// Read one answer (be32 length + payload).
    pub async fn answer(&mut self) -> Vec<u8> {
        tokio::time::timeout(SAFETY, async {
            let mut len = [0u8; 4];
            self.0.read_exact(&mut len).await.unwrap();
            let mut body = vec![0u8; u32::from_be_bytes(len) as usize];
            self.0.read_exact(&mut body).await.unwrap();
            body
        })
        .await
        .expect("answer within the safety limit")
    }

    /// Half-close: the client sends nothing more but keeps reading.
    pub async fn shutdown_write(&mut self) {
        self.0.shutdown().await.unwrap();
    }

    pub async fn answer_text(&mut self) -> String {
        String::from_utf8(self.answer().await).unwrap()
    }

    /// Send one frame and read its answer as text.
    pub async fn call(&mut self, encoding: u8, payload: &str) -> String {
        self.write(&frame(encoding, payload.as_bytes())).await;
        self.answer_text().await
    }

    /// Assert the server closes the connection without sending anything more.
    pub async fn expect_closed(&mut self) {
        let mut buf = [0u8; 64];
        let r = tokio::time::timeout(SAFETY, self.0.read(&mut buf))
            .await
            .expect("close within the safety limit");
        match r {
            Ok(0) => {}
            Ok(n) => panic!("expected close, got {n} bytes: {:?}", &buf[..n]),
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
        }
    }
}

/// v2 helpers: build binary request envelopes with the generated builders and read answers back.
pub mod v2 {
    use flatbuffers::{FlatBufferBuilder, UnionWIPOffset, WIPOffset};
    use nanoipc::schema::*;

    /// A finished request envelope carrying `message` (tag `tag`), built by `build`.
    pub fn envelope(
        correlation_id: Option<&str>,
        tag: Message,
        build: impl FnOnce(&mut FlatBufferBuilder<'static>) -> Option<WIPOffset<UnionWIPOffset>>,
    ) -> Vec<u8> {
        let mut fbb = FlatBufferBuilder::new();
        let message = build(&mut fbb);
        let correlation_id = correlation_id.map(|c| fbb.create_string(c));
        let env = Envelope::create(
            &mut fbb,
            &EnvelopeArgs {
                time: 0,
                credentials: None,
                correlation_id,
                message_type: tag,
                message,
            },
        );
        finish_envelope_buffer(&mut fbb, env);
        fbb.finished_data().to_vec()
    }

    pub fn is_alive(correlation_id: Option<&str>) -> Vec<u8> {
        envelope(correlation_id, Message::IsAlive, |fbb| {
            Some(IsAlive::create(fbb, &IsAliveArgs {}).as_union_value())
        })
    }

    pub fn account_weight(correlation_id: Option<&str>, account: &str) -> Vec<u8> {
        envelope(correlation_id, Message::AccountWeight, |fbb| {
            let account = fbb.create_string(account);
            let m = AccountWeight::create(
                fbb,
                &AccountWeightArgs {
                    account: Some(account),
                },
            );
            Some(m.as_union_value())
        })
    }

    /// The fields of an answer envelope a test checks.
    #[derive(Debug, PartialEq, Eq)]
    pub struct Answer {
        pub time: u64,
        pub correlation_id: Option<String>,
        pub message_type: String,
        /// `voting_weight` of an AccountWeightResponse.
        pub voting_weight: Option<String>,
        /// (code, category, message) of an Error.
        pub error: Option<(i32, i32, String)>,
    }

    /// Reads a binary answer (verified).
    pub fn read_binary(bytes: &[u8]) -> Answer {
        let env = root_as_envelope(bytes).expect("a valid answer envelope");
        Answer {
            time: env.time(),
            correlation_id: env.correlation_id().map(str::to_owned),
            message_type: env.message_type().variant_name().unwrap_or("?").to_owned(),
            voting_weight: env
                .message_as_account_weight_response()
                .map(|r| r.voting_weight().to_owned()),
            error: env.message_as_error().map(|e| {
                (
                    e.code(),
                    e.category(),
                    e.message().unwrap_or_default().to_owned(),
                )
            }),
        }
    }

    /// Reads a JSON (encoding 4) answer.
    pub fn read_json(bytes: &[u8]) -> Answer {
        let v: serde_json::Value = serde_json::from_slice(bytes).expect("a JSON answer");
        let m = &v["message"];
        let message_type = v["message_type"].as_str().unwrap_or("?").to_owned();
        Answer {
            time: v["time"].as_u64().expect("time"),
            correlation_id: v["correlation_id"].as_str().map(str::to_owned),
            voting_weight: m["voting_weight"].as_str().map(str::to_owned),
            error: (message_type == "Error").then(|| {
                (
                    m["code"].as_i64().unwrap_or(0) as i32,
                    m["category"].as_i64().unwrap_or(0) as i32,
                    m["message"].as_str().unwrap_or_default().to_owned(),
                )
            }),
            message_type,
        }
    }
}
