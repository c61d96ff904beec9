//! `nanoipc bench`: load a node like redis-benchmark and report req/s and latency percentiles.

use std::process::ExitCode;
use std::time::Duration;

use bytes::Bytes;
use nanoipc::ipc::bench::{self, BenchOptions, Budget};
use nanoipc::ipc::client::Target;
use nanoipc::ipc::Encoding;

#[derive(Debug, clap::Args)]
pub struct Args {
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
}

pub fn run(
    Args {
        target,
        encoding,
        payload,
        connections,
        duration,
        requests,
        quiet,
    }: Args,
) -> ExitCode {
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
    super::with_runtime(async move {
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
