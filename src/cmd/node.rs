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
    // Outlives the runtime so the last lines ("ipc server stopped") are flushed.
    let logging = super::logging::init();
    super::with_runtime(async {
        logging.spawn_drop_reporter();
        run_node(args.data_path).await
    })
}

async fn run_node(data_path: Option<PathBuf>) -> ExitCode {
    // First, so a signal at any point of start-up stops the node cleanly.
    let mut signals = match server::TerminationSignals::install() {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "cannot install signal handlers");
            return ExitCode::FAILURE;
        }
    };
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
    spawn_stale_reader_sweep(ledger.clone());
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
        _ = signals.recv() => tracing::info!("signal received, stopping"),
        _ = server.stop_requested() => tracing::info!("stop requested, stopping"),
    }
    // Running work generations answer `Cancelled` now, so sessions can drain, and the runtime
    // (which waits for its blocking tasks when it shuts down) is not held for minutes.
    core.api().stop_work();
    server.shutdown().await;
    ExitCode::SUCCESS
}

/// How often the node frees LMDB reader slots of dead processes. Each `ledger export` or
/// `ledger info` killed mid-read leaves one taken, and the table (1024 slots) must never fill
/// while the node runs; a sweep is one scan of the lock table.
const STALE_READER_SWEEP: std::time::Duration = std::time::Duration::from_secs(30);

/// Sweeps stale reader slots every [`STALE_READER_SWEEP`] on the blocking pool (the scan takes
/// file locks), until the runtime stops. Opening the ledger already swept once.
fn spawn_stale_reader_sweep(ledger: Ledger) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(STALE_READER_SWEEP);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            let l = ledger.clone();
            match tokio::task::spawn_blocking(move || l.clear_stale_readers()).await {
                Ok(Ok(0)) => {}
                Ok(Ok(cleared)) => tracing::info!(cleared, "cleared stale LMDB reader slots"),
                Ok(Err(e)) => tracing::warn!(error = %e, "cannot check LMDB reader slots"),
                Err(_) => break,
            }
        }
    });
}
