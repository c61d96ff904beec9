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
    /// Regenerate `generated/` from `schema/nanoapi.fbs`, or check schema compatibility.
    Codegen(cmd::codegen::Args),
    /// Inspect, export or import the embedded ledger.
    Ledger(cmd::ledger::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Codegen(args) => cmd::codegen::run(args),
        Command::Ledger(args) => cmd::ledger::run(args),
    }
}
