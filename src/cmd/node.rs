//! `nanoipc node`: open the ledger, start the transports, serve until SIGINT/SIGTERM or `stop`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use nanoipc::api::Api;
use nanoipc::config::{self, NodeConfig};
use nanoipc::ipc::{server, IpcServer};
use nanoipc::ledger::Ledger;
use nanoipc::schema::JsonOptions;
use tokio_util::sync::CancellationToken;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data directory holding config-node.toml and the ledger (default: $HOME/.nanoipc).
    #[arg(long)]
    data_path: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    super::with_runtime(run_node(args.data_path))
}

async fn run_node(data_path: Option<PathBuf>) -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    let dir = data_path.unwrap_or_else(config::default_data_path);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        tracing::error!(path = %dir.display(), error = %e, "cannot create the data path");
        return ExitCode::FAILURE;
    }
    let config = match NodeConfig::load_from_dir(&dir) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("{e}");
            return ExitCode::from(2);
        }
    };
    tracing::info!(
        data_path = %dir.display(),
        network = config.node.network.name(),
        "starting node"
    );
    let network = config.node.network;
    if !config.node.ipc.flatbuffers.verify_buffers {
        tracing::warn!(
            "node.ipc.flatbuffers.verify_buffers = false is ignored: requests are always verified"
        );
    }
    // Opening creates `<data-path>/ledger/` (and the genesis) on first start.
    let ledger = match Ledger::open(&dir, network) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(path = %dir.display(), "cannot open the ledger: {e}");
            return ExitCode::FAILURE;
        }
    };
    match ledger.block_count() {
        Ok(c) => tracing::info!(blocks = c.count, cemented = c.cemented, "ledger open"),
        Err(e) => {
            tracing::error!("cannot read the ledger: {e}");
            return ExitCode::FAILURE;
        }
    }
    let api = Api::new(
        ledger,
        JsonOptions {
            skip_unknown_fields: config.node.ipc.flatbuffers.skip_unexpected_fields_in_json,
        },
    )
    .with_offload(config.node.ipc.offload.limits());
    let shutdown = CancellationToken::new();
    let service = match nanoipc::rpc_legacy::request_core(api) {
        Ok(h) => Arc::new(h),
        Err(e) => {
            tracing::error!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let core = Arc::clone(&service);
    let server =
        match IpcServer::start_with_shutdown(&config.node.ipc, service, shutdown.clone()).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!("{e}");
                return ExitCode::FAILURE;
            }
        };
    tokio::select! {
        r = server::termination_signal() => {
            if let Err(e) = r {
                tracing::error!(error = %e, "cannot install signal handlers");
            }
            tracing::info!("signal received, stopping");
        }
        _ = server.stop_requested() => tracing::info!("stop requested, stopping"),
    }
    // Running work generations answer `Cancelled` now, so sessions can drain, and the runtime
    // (which waits for its blocking tasks when it shuts down) is not held for minutes.
    core.api().stop_work();
    server.shutdown().await;
    ExitCode::SUCCESS
}
