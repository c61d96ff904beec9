//! Subcommand glue for the `nanoipc` binary: turn parsed arguments into library calls and exit codes.

pub mod admin;
pub mod bench;
pub mod call;
pub mod codegen;
pub mod config;
pub mod ledger;
pub mod node;

use std::process::ExitCode;

/// Runs an async subcommand on a fresh multi-threaded runtime.
pub fn with_runtime(fut: impl std::future::Future<Output = ExitCode>) -> ExitCode {
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
