//! Support for the client tests: an in-process node serving v2 through the real envelope service
//! (`Api::serve_binary` / `Api::serve_json`) over a temp-dir dev ledger, on TCP 127.0.0.1:0 and a
//! temp-dir Unix socket, using the node's own `RequestCore`.
#![allow(dead_code)]

use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use flatbuffers::FlatBufferBuilder;
use nanoipc::api::{Api, Caller, Encoding, Refusal, Reply, Service};
use nanoipc::client::Target;
use nanoipc::config::IpcConfig;
use nanoipc::ipc::{IpcServer, RunningServer};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::Ledger;
use nanoipc::schema::{
    finish_envelope_buffer, root_as_envelope, Envelope, EnvelopeArgs, IsAlive, IsAliveArgs,
    JsonOptions, Message,
};

/// The dev network's genesis account, which holds the whole supply.
pub const GENESIS: &str = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo";
/// The dev genesis amount (2^128 - 1 raw) as a decimal string.
pub const GENESIS_AMOUNT: &str = "340282366920938463463374607431768211455";

/// A running node, the temp dir holding its socket, and the ledger's temp dir.
pub struct Node {
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
    /// Keeps the ledger's directory alive as long as the node.
    _ledger_dir: Option<tempfile::TempDir>,
}

impl Node {
    /// Both transports: TCP first, then the Unix socket.
    pub fn targets(&self) -> [Target; 2] {
        [
            Target::Tcp(self.server.tcp_addr().expect("tcp enabled").to_string()),
            Target::Unix(self.server.local_path().expect("local enabled").to_owned()),
        ]
    }
}

/// Starts a node with `handler` on TCP port 0 of the default address (both loopbacks; `targets`
/// uses the IPv4 one) and `<tempdir>/nano.sock`.
pub async fn start_with(handler: Arc<dyn Service>) -> Node {
    let dir = tempfile::tempdir().unwrap();
    let mut config = IpcConfig::default();
    config.tcp.enable = true;
    config.tcp.port = 0;
    config.local.enable = true;
    config.local.path = dir.path().join("nano.sock");
    let server = IpcServer::start(&config, handler).await.unwrap();
    Node {
        server,
        dir,
        _ledger_dir: None,
    }
}

/// Starts a node running the node's own handler (`RequestCore`: v2 through the envelope service,
/// legacy through the action registry) over a fresh dev ledger.
pub async fn start_api_node() -> Node {
    let ledger_dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(ledger_dir.path(), Network::Dev).unwrap();
    let handler =
        nanoipc::rpc_legacy::request_core(Api::new(ledger, JsonOptions::default())).unwrap();
    let mut node = start_with(Arc::new(handler)).await;
    node._ledger_dir = Some(ledger_dir);
    node
}

/// A node that answers every binary v2 request with `IsAlive`, echoing the correlation id unless
/// it is `"lie"` (then it answers `"not-lie"`): for the client's answer checks.
pub async fn start_liar_node() -> Node {
    struct Liar;
    impl Service for Liar {
        fn serve(&self, _: &Caller, _: Encoding, payload: Bytes, out: &mut BytesMut) -> Reply {
            let corr = root_as_envelope(&payload)
                .ok()
                .and_then(|e: Envelope<'_>| e.correlation_id().map(str::to_owned));
            let corr = match corr.as_deref() {
                Some("lie") => Some("not-lie".to_owned()),
                other => other.map(str::to_owned),
            };
            let mut fbb = FlatBufferBuilder::new();
            let message = IsAlive::create(&mut fbb, &IsAliveArgs {});
            let correlation_id = corr.as_deref().map(|c| fbb.create_string(c));
            let env = Envelope::create(
                &mut fbb,
                &EnvelopeArgs {
                    time: 1,
                    credentials: None,
                    correlation_id,
                    message_type: Message::IsAlive,
                    message: Some(message.as_union_value()),
                },
            );
            finish_envelope_buffer(&mut fbb, env);
            out.extend_from_slice(fbb.finished_data());
            Reply::Ready
        }
        fn refuse(&self, _: &Caller, _: Encoding, _: Refusal, _: &mut BytesMut) {}
    }
    start_with(Arc::new(Liar)).await
}
