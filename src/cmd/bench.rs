//! `nanoipc bench`: load a node like redis-benchmark and report req/s and latency percentiles.
//!
//! The request is checked before the timed run (one probe request, answered without an error), so
//! a typo is reported instead of measured, and every timed answer is checked against the probe's
//! type: error answers are counted apart and make the command exit 1. v2 requests (encodings 3 and 4) are built by name with
//! the client's encoder (`--message AccountWeight '{"account":"nano_…"}'`); legacy ones (1 and 2)
//! are sent as given (`--payload`).

use std::process::ExitCode;
use std::time::Duration;

use bytes::Bytes;
use nanoipc::client::{encode_named, CallOptions, Target, WireEncoding};
use nanoipc::ipc::bench::{self, BenchOptions, Budget, RunChecks};
use nanoipc::ipc::Encoding;

use super::call::{parse_timeout, Timeout};

/// The legacy request sent when none is given.
const DEFAULT_PAYLOAD: &str = r#"{"action":"block_count"}"#;
/// The v2 request sent when none is given.
const DEFAULT_MESSAGE: &str = "IsAlive";

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    nanoipc bench --encoding 3 --message IsAlive --duration 10\n  \
    nanoipc bench --encoding 4 --message AccountWeight '{\"account\":\"nano_…\"}' -n 100000\n  \
    nanoipc bench --encoding 1 --payload '{\"action\":\"block_count\"}'")]
pub struct Args {
    /// Node address: unix:///path or tcp://host:port.
    #[arg(long, default_value = "unix:///tmp/nano")]
    target: Target,
    /// Encoding of the requests (1-4).
    #[arg(short, long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    encoding: u8,
    /// Encodings 3 and 4: the request name and its message as JSON (default `{}`), encoded like
    /// `nanoipc call` does. Default: IsAlive.
    #[arg(short, long, num_args = 1..=2, value_names = ["NAME", "JSON"], conflicts_with = "payload")]
    message: Option<Vec<String>>,
    /// Encodings 1, 2 and 4: the raw payload sent every time (for 4 a whole JSON envelope).
    /// Default for 1 and 2: {"action":"block_count"}.
    #[arg(short, long)]
    payload: Option<String>,
    /// Parallel connections.
    #[arg(short, long, default_value_t = 32)]
    connections: usize,
    /// Run for this many seconds (default 10 unless --requests is given).
    #[arg(short, long, conflicts_with = "requests")]
    duration: Option<u64>,
    /// Stop after this many requests in total.
    #[arg(short = 'n', long)]
    requests: Option<u64>,
    /// Seconds to wait for each connection and each answer (0: wait forever).
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = parse_timeout)]
    timeout: Timeout,
    /// No progress line.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args) -> ExitCode {
    let budget = match (args.requests, args.duration) {
        (Some(n), _) => Budget::Requests(n),
        (None, d) => Budget::Duration(Duration::from_secs(d.unwrap_or(10))),
    };
    let Some(encoding) = Encoding::from_byte(args.encoding) else {
        return usage("encoding must be 1-4");
    };
    let payload = match request(&args, encoding) {
        Ok(p) => p,
        Err(msg) => return usage(&msg),
    };
    let opts = BenchOptions {
        target: args.target,
        encoding,
        payload,
        connections: args.connections,
        budget,
        progress: !args.quiet,
    };
    let checks = RunChecks {
        probe: true,
        answers: true,
        timeout: args.timeout.0,
    };
    super::with_runtime(async move {
        match bench::run_with(&opts, checks).await {
            Ok(report) if report.errors > 0 => {
                // The figures are printed (they describe the successful answers), but a run
                // that met error answers does not pass.
                println!("{report}");
                eprintln!(
                    "nanoipc bench: {} answers were errors or not the probe's answer type",
                    report.errors
                );
                ExitCode::FAILURE
            }
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

/// The payload every request carries, from `--message` or `--payload`.
fn request(args: &Args, encoding: Encoding) -> Result<Bytes, String> {
    let wire = match encoding {
        Encoding::JsonV1 | Encoding::JsonV1Unsafe => {
            if args.message.is_some() {
                return Err("--message is for encodings 3 and 4; use --payload".into());
            }
            let payload = args.payload.as_deref().unwrap_or(DEFAULT_PAYLOAD);
            return Ok(Bytes::from(payload.to_owned()));
        }
        Encoding::Flatbuffers => WireEncoding::Binary,
        Encoding::FlatbuffersJson => WireEncoding::Json,
    };
    if let Some(payload) = &args.payload {
        if wire == WireEncoding::Binary {
            return Err("encoding 3 is binary: give the request with --message".into());
        }
        return Ok(Bytes::from(payload.clone()));
    }
    let (name, json) = match args.message.as_deref() {
        None => (DEFAULT_MESSAGE, "{}"),
        Some([name]) => (name.as_str(), "{}"),
        Some([name, json]) => (name.as_str(), json.as_str()),
        Some(_) => return Err("--message takes a request name and its JSON".into()),
    };
    let opts = CallOptions {
        encoding: wire,
        ..CallOptions::default()
    };
    encode_named(&opts, name, json)
        .map(|r| Bytes::from(r.prepared.bytes))
        .map_err(|e| e.to_string())
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("nanoipc bench: {msg}");
    ExitCode::from(2)
}
