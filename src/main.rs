//! The `nanoipc` command line: argument parsing and dispatch only. Each subcommand's glue lives in
//! `cmd/<name>.rs` (binary-only), and the work itself in the library.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A Nano-compatible node IPC server with an embedded single-node ledger.
#[derive(Debug, Parser)]
#[command(name = "nanoipc", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the node: open the ledger, serve IPC until SIGINT/SIGTERM or `stop`.
    Node(cmd::node::Args),
    /// Print the configuration (`--default`: every key with its default and a comment).
    Config(cmd::config::Args),
    /// Send one request and print the answer; exits 1 on an error answer.
    Call(cmd::call::Args),
    /// Load a node like redis-benchmark: N connections, one request in flight each.
    Bench(cmd::bench::Args),
    /// Inspect, export or import the embedded ledger.
    Ledger(cmd::ledger::Args),
    /// Administer a running node: getinfo, sessions, disconnect <ids>, log <ids>, metrics
    /// (needs a transport with `allow_unsafe`).
    Admin(cmd::admin::Args),
    /// Regenerate `generated/` from `schema/nanoapi.fbs`, or check schema compatibility.
    Codegen(cmd::codegen::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Node(args) => cmd::node::run(args),
        Command::Config(args) => cmd::config::run(args),
        Command::Call(args) => cmd::call::run(args),
        Command::Bench(args) => cmd::bench::run(args),
        Command::Ledger(args) => cmd::ledger::run(args),
        Command::Admin(args) => cmd::admin::run(args),
        Command::Codegen(args) => cmd::codegen::run(args),
    }
}
