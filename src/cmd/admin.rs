//! `nanoipc admin`: the node admin requests over v2: the session admin ones (`GetInfo`,
//! `Sessions`, `SessionDisconnect`, `SessionLog`) printed as pretty JSON, and `Metrics` printed as
//! its Prometheus text. The node serves them only on a transport with
//! `allow_unsafe` until access control is enforced (otherwise the answer is `Access denied`).
//!
//! Exit codes as for `nanoipc call`: 0 answered; 1 the node answered with an error; 2 bad
//! arguments; 3 the node could not be reached or answered garbage.

use std::process::ExitCode;

use nanoipc::client::{
    encode_named, CallError, CallOptions, ClientError, NanoApiClient, Target, WireEncoding,
};
use nanoipc::schema::MetricsT;

use super::call::{connect_to, parse_timeout, Timeout};

const ERROR_ANSWER: u8 = 1;
const USAGE: u8 = 2;
const TRANSPORT: u8 = 3;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    nanoipc admin getinfo\n  \
    nanoipc admin sessions --target tcp://[::1]:7077\n  \
    nanoipc admin disconnect 12 13\n  \
    nanoipc admin log 12\n  \
    nanoipc admin metrics\n\n\
    The node answers only on a transport with allow_unsafe (Access denied otherwise).")]
pub struct Args {
    /// Node address: unix:///path or tcp://host:port.
    #[arg(long, global = true, default_value = "unix:///tmp/nano")]
    target: Target,
    /// Seconds to wait for the connection and for the answer (0: wait forever).
    #[arg(long, global = true, default_value = "30", value_name = "SECONDS", value_parser = parse_timeout)]
    timeout: Timeout,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Sessions, requests in flight, errors, paused sessions, uptime and ledger counts.
    Getinfo,
    /// Every open session: id, transport, peer, requests, bytes in/out, errors, age.
    Sessions,
    /// Close sessions by id.
    Disconnect {
        /// Session ids, as `sessions` lists them.
        #[arg(required = true)]
        ids: Vec<u64>,
    },
    /// Toggle logging of sessions' requests (one log line per request on the node).
    Log {
        /// Session ids, as `sessions` lists them.
        #[arg(required = true)]
        ids: Vec<u64>,
    },
    /// Print the node's metrics in the Prometheus text format.
    Metrics,
}

impl AdminCommand {
    /// The v2 request name and its message as JSON.
    fn request(&self) -> (&'static str, String) {
        let ids = |ids: &[u64]| {
            let list: Vec<String> = ids.iter().map(u64::to_string).collect();
            format!("{{\"ids\":[{}]}}", list.join(","))
        };
        match self {
            AdminCommand::Getinfo => ("GetInfo", "{}".to_owned()),
            AdminCommand::Sessions => ("Sessions", "{}".to_owned()),
            AdminCommand::Disconnect { ids: list } => ("SessionDisconnect", ids(list)),
            AdminCommand::Log { ids: list } => ("SessionLog", ids(list)),
            AdminCommand::Metrics => ("Metrics", "{}".to_owned()),
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    super::with_runtime(admin(args))
}

async fn admin(args: Args) -> ExitCode {
    if let AdminCommand::Metrics = args.command {
        return metrics(&args).await;
    }
    let (name, message) = args.command.request();
    let opts = CallOptions {
        encoding: WireEncoding::Json,
        credentials: None,
        correlation_id: None,
    };
    let request = match encode_named(&opts, name, &message) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("nanoipc admin: {e}");
            return ExitCode::from(USAGE);
        }
    };
    let answer = match connect_to(&args.target, args.timeout).await {
        Ok(mut c) => c.call_prepared(&request).await,
        Err(e) => Err(e),
    };
    let text = answer.and_then(|a| a.to_json(true).map(|t| (a.error().is_some(), t)));
    match text {
        Ok((error, text)) => {
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            match error {
                true => ExitCode::from(ERROR_ANSWER),
                false => ExitCode::SUCCESS,
            }
        }
        Err(e) => {
            eprintln!("nanoipc admin: {e}");
            ExitCode::from(TRANSPORT)
        }
    }
}

/// `Metrics` prints its text as is: it is already the Prometheus exposition a scraper reads.
async fn metrics(args: &Args) -> ExitCode {
    let answer = match connect_to(&args.target, args.timeout).await {
        Ok(mut client) => client.metrics(&MetricsT {}).await,
        Err(e) => Err(CallError::Transport(e)),
    };
    match answer {
        Ok(m) => {
            print!("{}", m.text);
            ExitCode::SUCCESS
        }
        Err(e) => failed(&e),
    }
}

/// Reports a failed admin request with the exit code its kind calls for.
fn failed(e: &CallError<ClientError>) -> ExitCode {
    eprintln!("nanoipc admin: {e}");
    match e {
        CallError::Remote { .. } => ExitCode::from(ERROR_ANSWER),
        _ => ExitCode::from(TRANSPORT),
    }
}
