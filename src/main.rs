//! The `nanoipc` command line. CLI parsing only; every command's work lives in the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use clap::{Parser, Subcommand};
use nanoipc::config::{self, NodeConfig};
use nanoipc::ipc::bench::{self, BenchOptions, Budget};
use nanoipc::ipc::client::{Client, Target};
use nanoipc::ipc::{server, Encoding, IpcServer, LegacyRouter};
use tokio_util::sync::CancellationToken;

#[derive(Parser)]
#[command(name = "nanoipc", version, about = "A Nano-compatible node IPC server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the node: read config-node.toml from the data path, serve IPC until SIGINT/SIGTERM or `stop`.
    Node {
        /// Data directory holding config-node.toml (default: $HOME/.nanoipc).
        #[arg(long)]
        data_path: Option<PathBuf>,
    },
    /// Print the configuration (`--default`: every key with its default and a comment).
    Config {
        /// Print the built-in defaults instead of the effective configuration.
        #[arg(long)]
        default: bool,
        /// Data directory holding config-node.toml (default: $HOME/.nanoipc).
        #[arg(long)]
        data_path: Option<PathBuf>,
    },
    /// Send one request and print the answer; exits 1 on an error answer.
    Call {
        /// Node address: unix:///path or tcp://host:port.
        #[arg(long, default_value = "unix:///tmp/nano")]
        target: Target,
        /// Send a legacy RPC 1.0 request (encoding 1), e.g. '{"action":"block_count"}'.
        #[arg(long)]
        legacy: bool,
        /// With --legacy: use encoding 2, which may run control actions if the node allows it.
        #[arg(long = "unsafe")]
        unsafe_: bool,
        /// Send the payload raw in this encoding (1-4); for 4 the payload is a JSON envelope.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
        encoding: Option<u8>,
        /// The request: a JSON body, or (v2) a message name followed by its JSON.
        #[arg(required = true, num_args = 1..=2)]
        request: Vec<String>,
    },
    /// Load a node like redis-benchmark: N connections, one request in flight each.
    Bench {
        /// Node address: unix:///path or tcp://host:port.
        #[arg(long, default_value = "unix:///tmp/nano")]
        target: Target,
        /// Encoding of the payload (1-4).
        #[arg(short, long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
        encoding: u8,
        /// The request payload sent every time.
        #[arg(short, long, default_value = r#"{"action":"block_count"}"#)]
        payload: String,
        /// Parallel connections.
        #[arg(short, long, default_value_t = 32)]
        connections: usize,
        /// Run for this many seconds (default 10 unless --requests is given).
        #[arg(short, long, conflicts_with = "requests")]
        duration: Option<u64>,
        /// Stop after this many requests in total.
        #[arg(short = 'n', long)]
        requests: Option<u64>,
        /// No progress line.
        #[arg(short, long)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Config { default, data_path } => print_config(default, data_path),
        Command::Node { data_path } => with_runtime(run_node(data_path)),
        Command::Call {
            target,
            legacy,
            unsafe_,
            encoding,
            request,
        } => with_runtime(call(target, legacy, unsafe_, encoding, request)),
        Command::Bench {
            target,
            encoding,
            payload,
            connections,
            duration,
            requests,
            quiet,
        } => {
            let budget = match (requests, duration) {
                (Some(n), _) => Budget::Requests(n),
                (None, d) => Budget::Duration(Duration::from_secs(d.unwrap_or(10))),
            };
            let Some(encoding) = Encoding::from_byte(encoding) else {
                eprintln!("nanoipc: encoding must be 1-4");
                return ExitCode::from(2);
            };
            let opts = BenchOptions {
                target,
                encoding,
                payload: Bytes::from(payload),
                connections,
                budget,
                progress: !quiet,
            };
            with_runtime(async move {
                match bench::run(&opts).await {
                    Ok(report) => {
                        println!("{report}");
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("nanoipc bench: {e}");
                        ExitCode::FAILURE
                    }
                }
            })
        }
    }
}

fn with_runtime(fut: impl std::future::Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(fut),
        Err(e) => {
            eprintln!("nanoipc: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

fn print_config(default: bool, data_path: Option<PathBuf>) -> ExitCode {
    if default {
        print!("{}", config::defaults::render_default());
        return ExitCode::SUCCESS;
    }
    let dir = data_path.unwrap_or_else(config::default_data_path);
    match NodeConfig::load_from_dir(&dir) {
        Ok(c) => {
            print!("{}", config::defaults::render(&c));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("nanoipc: {e}");
            ExitCode::from(2)
        }
    }
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
        network = config.node.network.as_str(),
        "starting node"
    );
    tracing::warn!(
        "ledger and v2 handlers are not wired yet: legacy serves only `stop`, encodings 3/4 answer Not implemented"
    );
    let shutdown = CancellationToken::new();
    let handler = Arc::new(LegacyRouter::node_only());
    let server =
        match IpcServer::start_with_shutdown(&config.node.ipc, handler, shutdown.clone()).await {
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
    server.shutdown().await;
    ExitCode::SUCCESS
}

async fn call(
    target: Target,
    legacy: bool,
    unsafe_: bool,
    encoding: Option<u8>,
    request: Vec<String>,
) -> ExitCode {
    let encoding = match (legacy, encoding) {
        (true, _) if unsafe_ => Encoding::JsonV1Unsafe,
        (true, _) => Encoding::JsonV1,
        (false, Some(e)) => Encoding::from_byte(e).unwrap_or(Encoding::JsonV1),
        (false, None) => {
            eprintln!(
                "nanoipc call: typed v2 calls (`call MessageName JSON`) need the generated schema code and are not implemented yet; use --legacy or --encoding 4 with a JSON envelope"
            );
            return ExitCode::from(2);
        }
    };
    let [payload] = request.as_slice() else {
        eprintln!("nanoipc call: expected exactly one JSON payload");
        return ExitCode::from(2);
    };
    let answer = match Client::connect(&target).await {
        Ok(mut c) => c.request(encoding, payload.as_bytes()).await,
        Err(e) => Err(e),
    };
    let answer = match answer {
        Ok(a) => a,
        Err(e) => {
            eprintln!("nanoipc call: {e}");
            return ExitCode::FAILURE;
        }
    };
    if encoding == Encoding::Flatbuffers {
        let hex: String = answer.iter().map(|b| format!("{b:02x}")).collect();
        println!("{hex}");
        return ExitCode::SUCCESS;
    }
    let text = String::from_utf8_lossy(&answer);
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&answer).ok();
    let is_error = match (&parsed, encoding.is_legacy()) {
        (Some(v), true) => v.get("error").is_some(),
        (Some(v), false) => v.get("message_type").and_then(|t| t.as_str()) == Some("Error"),
        (None, _) => true,
    };
    match (&parsed, encoding.is_legacy()) {
        // Legacy answers are already printed the way nano-node prints them.
        (_, true) | (None, _) => print!("{text}"),
        (Some(v), false) => {
            println!(
                "{}",
                serde_json::to_string_pretty(v).unwrap_or_else(|_| text.into_owned())
            )
        }
    }
    if is_error {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
