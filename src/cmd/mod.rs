//! Subcommand glue for the `nanoipc` binary: turn parsed arguments into library calls and exit codes.

pub mod codegen;
pub mod ledger;
