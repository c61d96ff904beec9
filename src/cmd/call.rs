//! `nanoipc call`: send one request, print the answer, exit non-zero on an error answer.

use std::process::ExitCode;

use nanoipc::ipc::client::{Client, Target};
use nanoipc::ipc::Encoding;

#[derive(Debug, clap::Args)]
pub struct Args {
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
}

pub fn run(
    Args {
        target,
        legacy,
        unsafe_,
        encoding,
        request,
    }: Args,
) -> ExitCode {
    super::with_runtime(call(target, legacy, unsafe_, encoding, request))
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
