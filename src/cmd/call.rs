//! `nanoipc call`: send one request, print the answer as pretty JSON, exit non-zero on an error
//! answer.
//!
//! Exit codes: 0 the node answered the request; 1 the node answered with an error (a v2 `Error`,
//! or a legacy `{"error": …}`); 2 the request is bad (unknown request name, invalid JSON); 3 the
//! node could not be reached, did not answer within `--timeout`, or its answer could not be read.

use std::process::ExitCode;
use std::time::Duration;

use nanoipc::client::{
    encode_named, CallOptions, Client, ClientError, Target, V2Answer, WireEncoding,
};
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
    3 the node could not be reached, did not answer in time, or answered garbage.")]
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
    /// Send the single argument raw in this encoding (1-4), for debugging the wire: for 1, 2 and 4
    /// it is the JSON payload (for 4 a whole envelope), for 3 the FlatBuffers envelope in hex. The
    /// answer is printed as pretty JSON (for 3, decoded to flatc's JSON form).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    encoding: Option<u8>,
    /// Seconds to wait for the connection and for the answer (0: wait forever); exit code 3 when
    /// they run out.
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = parse_timeout)]
    timeout: Timeout,
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

/// A `--timeout` in seconds; `None` for 0 (no bound).
#[derive(Clone, Copy, Debug)]
pub struct Timeout(pub Option<Duration>);

/// Parses `--timeout` seconds (fractions allowed: `0.5`); shared with `nanoipc bench`.
pub fn parse_timeout(text: &str) -> Result<Timeout, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if secs == 0.0 {
        return Ok(Timeout(None));
    }
    Duration::try_from_secs_f64(secs)
        .map(|d| Timeout(Some(d)))
        .map_err(|e| format!("{text:?} is not a usable number of seconds: {e}"))
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
    let answer = match connect(args).await {
        Ok(mut c) => c.call_prepared(&request).await,
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
    let answer = match connect(args).await {
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
    let payload = if encoding == Encoding::Flatbuffers {
        match from_hex(payload) {
            Some(bytes) => bytes,
            None => return usage("--encoding 3 takes the FlatBuffers envelope in hex"),
        }
    } else {
        payload.as_bytes().to_vec()
    };
    let answer = match connect(args).await {
        Ok(mut c) => c.request(encoding, &payload).await,
        Err(e) => Err(e),
    };
    let answer = match answer {
        Ok(a) => a,
        Err(e) => return transport(&e),
    };
    if encoding == Encoding::Flatbuffers {
        return binary_answer(&answer);
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

/// Prints a binary (encoding 3) answer as flatc's pretty JSON; exit 1 for an `Error` answer, 3
/// (with the bytes in hex) for an answer that is not a valid envelope.
fn binary_answer(answer: &[u8]) -> ExitCode {
    let decoded = V2Answer::decode(WireEncoding::Binary, answer);
    let text = decoded.and_then(|a| a.to_json(true).map(|t| (a.error().is_some(), t)));
    match text {
        Ok((error, text)) => {
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            if error {
                ExitCode::from(ERROR_ANSWER)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("nanoipc call: {e}; the answer in hex: {}", to_hex(answer));
            ExitCode::from(TRANSPORT)
        }
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex digits (pairs, no separators) to bytes; `None` for anything else.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.trim().as_bytes();
    if digits.len() % 2 != 0 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    digits
        .chunks_exact(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(pair, 16).ok()
        })
        .collect()
}

async fn connect(args: &Args) -> Result<Client, ClientError> {
    connect_to(&args.target, args.timeout).await
}

/// Connects to `target` within `timeout`; shared with `nanoipc admin`.
pub async fn connect_to(target: &Target, timeout: Timeout) -> Result<Client, ClientError> {
    match timeout.0 {
        Some(limit) => Client::connect_timeout(target, limit).await,
        None => Client::connect(target).await,
    }
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
