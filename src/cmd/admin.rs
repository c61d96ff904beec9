//! `nanoipc admin <command>`: node administration over IPC. Each command is one v2 request with
//! the `node_admin` permission; until access control is enforced the node serves them only on a
//! transport with `allow_unsafe`.
//!
//! Exit codes, as for `nanoipc call`: 0 answered; 1 the node answered with an error (e.g. `Access
//! denied`); 3 the node could not be reached, did not answer in time, or answered garbage.

use std::process::ExitCode;

use nanoipc::client::{CallError, Client, ClientError, NanoApiClient, Target};
use nanoipc::schema::MetricsT;

use super::call::{parse_timeout, Timeout};

const ERROR_ANSWER: u8 = 1;
const TRANSPORT: u8 = 3;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Print the node's metrics in the Prometheus text format.
    Metrics(Node),
}

/// Where the node is, as for `nanoipc call`.
#[derive(Debug, clap::Args)]
pub struct Node {
    /// Node address: unix:///path or tcp://host:port.
    #[arg(long, default_value = "unix:///tmp/nano")]
    pub target: Target,
    /// Seconds to wait for the connection and for the answer (0: wait forever).
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Timeout,
}

impl Node {
    /// Connects; with a `--timeout`, the connect and every request are bounded by it.
    pub async fn connect(&self) -> Result<Client, ClientError> {
        match self.timeout.0 {
            Some(limit) => Client::connect_timeout(&self.target, limit).await,
            None => Client::connect(&self.target).await,
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    super::with_runtime(async move {
        match args.command {
            Command::Metrics(node) => metrics(&node).await,
        }
    })
}

async fn metrics(node: &Node) -> ExitCode {
    let answer = match node.connect().await {
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
pub fn failed(e: &CallError<ClientError>) -> ExitCode {
    eprintln!("nanoipc admin: {e}");
    match e {
        CallError::Remote { .. } => ExitCode::from(ERROR_ANSWER),
        _ => ExitCode::from(TRANSPORT),
    }
}
