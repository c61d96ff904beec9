//! `nanoipc call`: send one request, print the answer as pretty JSON, exit non-zero on an error
//! answer.
//!
//! Exit codes: 0 the node answered the request; 1 the node answered with an error (a v2 `Error`,
//! or a legacy `{"error": …}`); 2 the request is bad (unknown request name, invalid JSON); 3 the
//! node could not be reached or its answer could not be read.

use std::process::ExitCode;

use nanoipc::client::{encode_named, CallOptions, Client, ClientError, Target, WireEncoding};
use nanoipc::ipc::Encoding;

const ERROR_ANSWER: u8 = 1;
const USAGE: u8 = 2;
const TRANSPORT: u8 = 3;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    nanoipc call IsAlive\n  \
    nanoipc call AccountWeight '{\"account\":\"nano_…\"}'\n  \
    nanoipc call --binary AccountWeight '{\"account\":\"nano_…\"}'\n  \
    nanoipc call --legacy '{\"action\":\"block_count\"}'\n\n\
    Exit codes: 0 answered; 1 the node answered with an error; 2 bad request (unknown name, bad JSON); \
    3 the node could not be reached or answered garbage.")]
pub struct Args {
    /// Node address: unix:///path or tcp://host:port.
    #[arg(long, default_value = "unix:///tmp/nano")]
    target: Target,
    /// Send a legacy RPC 1.0 request (encoding 1), e.g. '{"action":"block_count"}'.
    #[arg(long, conflicts_with_all = ["binary", "encoding"])]
    legacy: bool,
    /// With --legacy: use encoding 2, which may run control actions if the node allows it.
    #[arg(long = "unsafe", requires = "legacy")]
    unsafe_: bool,
    /// v2 over encoding 3 (FlatBuffers) instead of 4 (JSON); the answer is printed as JSON.
    #[arg(long, conflicts_with = "encoding")]
    binary: bool,
    /// Send the single argument raw in this encoding (1-4), for debugging the wire: the answer is
    /// printed as pretty JSON (hex for 3). For 4 the argument is a whole JSON envelope.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    encoding: Option<u8>,
    /// v2: the API key written into the envelope's `credentials`.
    #[arg(long)]
    credentials: Option<String>,
    /// v2: the correlation id written into the envelope; the answer must echo it.
    #[arg(long)]
    correlation_id: Option<String>,
    /// v2: the request name (e.g. AccountWeight) and its message as JSON (default `{}`).
    /// Legacy and raw: the JSON body.
    #[arg(required = true, num_args = 1..=2)]
    request: Vec<String>,
}

pub fn run(args: Args) -> ExitCode {
    super::with_runtime(call(args))
}

async fn call(args: Args) -> ExitCode {
    if args.legacy {
        return legacy(&args).await;
    }
    if let Some(e) = args.encoding {
        return raw(&args, e).await;
    }
    v2(&args).await
}

/// A v2 request by name: encoded (and checked) before connecting, so a bad name or bad JSON is
/// reported even when no node is running.
async fn v2(args: &Args) -> ExitCode {
    let (name, message) = match args.request.as_slice() {
        [name] => (name.as_str(), "{}"),
        [name, message] => (name.as_str(), message.as_str()),
        _ => return usage("expected a request name and its JSON"),
    };
    let opts = CallOptions {
        encoding: if args.binary {
            WireEncoding::Binary
        } else {
            WireEncoding::Json
        },
        credentials: args.credentials.clone(),
        correlation_id: args.correlation_id.clone(),
    };
    let request = match encode_named(&opts, name, message) {
        Ok(r) => r,
        Err(e) => return usage(&e.to_string()),
    };
    let answer = match connect(&args.target).await {
        Ok(mut c) => {
            *c.options_mut() = opts;
            c.call_prepared(&request).await
        }
        Err(e) => Err(e),
    };
    let answer = match answer {
        Ok(a) => a,
        Err(e) => return transport(&e),
    };
    match answer.to_json(true) {
        Ok(text) => print!("{text}"),
        Err(e) => return transport(&e),
    }
    if answer.error().is_some() {
        ExitCode::from(ERROR_ANSWER)
    } else {
        ExitCode::SUCCESS
    }
}

/// A legacy RPC 1.0 request. The answer is printed exactly as the node wrote it: nano-node's RPC
/// already pretty-prints, and scripts written against nano-node compare that text.
async fn legacy(args: &Args) -> ExitCode {
    let [body] = args.request.as_slice() else {
        return usage("--legacy takes one JSON argument, e.g. '{\"action\":\"block_count\"}'");
    };
    if let Err(e) = serde_json::from_str::<serde_json::Value>(body) {
        return usage(&format!("the request is not JSON: {e}"));
    }
    let answer = match connect(&args.target).await {
        Ok(mut c) => c.legacy(body, args.unsafe_).await,
        Err(e) => Err(e),
    };
    let answer = match answer {
        Ok(a) => a,
        Err(e) => return transport(&e),
    };
    let text = String::from_utf8_lossy(&answer);
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    match serde_json::from_slice::<serde_json::Value>(&answer) {
        Ok(v) if v.get("error").is_some() => ExitCode::from(ERROR_ANSWER),
        Ok(_) => ExitCode::SUCCESS,
        Err(_) => {
            eprintln!("nanoipc call: the answer is not JSON");
            ExitCode::from(TRANSPORT)
        }
    }
}

/// A raw payload in a chosen encoding, for debugging the wire itself.
async fn raw(args: &Args, byte: u8) -> ExitCode {
    let [payload] = args.request.as_slice() else {
        return usage("--encoding takes one payload argument");
    };
    let Some(encoding) = Encoding::from_byte(byte) else {
        return usage(&format!("unknown encoding {byte}"));
    };
    let answer = match connect(&args.target).await {
        Ok(mut c) => c.request(encoding, payload.as_bytes()).await,
        Err(e) => Err(e),
    };
    let answer = match answer {
        Ok(a) => a,
        Err(e) => return transport(&e),
    };
    if encoding == Encoding::Flatbuffers {
        let hex: String = answer.iter().map(|b| format!("{b:02x}")).collect();
        println!("{hex}");
        return ExitCode::SUCCESS;
    }
    match serde_json::from_slice::<serde_json::Value>(&answer) {
        Ok(v) => {
            println!("{}", pretty(&v));
            let error = if encoding.is_legacy() {
                v.get("error").is_some()
            } else {
                v.get("message_type").and_then(|t| t.as_str()) == Some("Error")
            };
            if error {
                ExitCode::from(ERROR_ANSWER)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(_) => {
            print!("{}", String::from_utf8_lossy(&answer));
            ExitCode::from(TRANSPORT)
        }
    }
}

async fn connect(target: &Target) -> Result<Client, ClientError> {
    Client::connect(target).await
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("nanoipc call: {msg}");
    ExitCode::from(USAGE)
}

fn transport(e: &ClientError) -> ExitCode {
    eprintln!("nanoipc call: {e}");
    ExitCode::from(TRANSPORT)
}
