//! Test support: start a node on 127.0.0.1:0 plus a temp-dir Unix socket, and a raw-byte client that
//! writes frames exactly as nano's IPC page describes them ('N', encoding, 0, 0, be32 length, payload).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use nanoipc::config::IpcConfig;
use nanoipc::ipc::{IpcServer, LegacyRouter, RequestHandler, RunningServer};
use nanoipc::rpc_legacy::{Call, Gate, LegacyError, LegacyRequest, Registry, Tree};
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

/// The test handler: the real legacy router with the node actions plus `echo` (answers
/// `{"value": <value>}`) and `nothing` (answers no keys).
pub fn test_handler() -> Arc<dyn RequestHandler> {
    fn echo(_: &(), _: &Call<'_>, r: &LegacyRequest) -> Result<Tree, LegacyError> {
        let mut t = Tree::object();
        t.put("value", r.required("value")?);
        Ok(t)
    }
    fn nothing(_: &(), _: &Call<'_>, _: &LegacyRequest) -> Result<Tree, LegacyError> {
        Ok(Tree::object())
    }
    let mut reg = Registry::with_node_actions();
    reg.register("echo", Gate::Open, echo).unwrap();
    reg.register("nothing", Gate::Open, nothing).unwrap();
    Arc::new(LegacyRouter::new((), reg))
}

pub async fn start_node() -> TestNode {
    start_node_with(|_| {}).await
}

pub async fn start_node_with(tweak: impl FnOnce(&mut IpcConfig)) -> TestNode {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    tweak(&mut config);
    let server = IpcServer::start(&config, test_handler()).await.unwrap();
    TestNode { server, dir }
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
