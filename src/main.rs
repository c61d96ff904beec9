//! The `nanoipc` command line. CLI parsing only; every command's work lives in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A Nano-compatible node IPC server.
#[derive(Debug, Parser)]
#[command(name = "nanoipc", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerates `generated/` from `schema/nanoapi.fbs`.
    Codegen {
        /// Fail (without regenerating) when the schema breaks compatibility with this older schema.
        #[arg(long, value_name = "OLD.fbs")]
        check_compat: Option<PathBuf>,
        /// The project root (holding `schema/` and `generated/`); defaults to the current
        /// directory when it has `schema/nanoapi.fbs`, else the source tree this was built from.
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Codegen { check_compat, root } => codegen(check_compat, root),
    }
}

fn codegen(check_compat: Option<PathBuf>, root: Option<PathBuf>) -> ExitCode {
    use nanoipc::schema::regen;
    let root = root.unwrap_or_else(|| {
        if std::path::Path::new(regen::SCHEMA_PATH).exists() {
            PathBuf::from(".")
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        }
    });
    if let Some(old) = check_compat {
        let old_display = old.display().to_string();
        match nanoipc_codegen::check_compat_files(
            &old,
            &old_display,
            &root.join(regen::SCHEMA_PATH),
            regen::SCHEMA_PATH,
        ) {
            Err(load_errors) => {
                eprintln!("{load_errors}");
                return ExitCode::FAILURE;
            }
            Ok(problems) if !problems.0.is_empty() => {
                eprintln!("{problems}");
                eprintln!(
                    "{} compatibility problem(s) against {old_display}",
                    problems.0.len()
                );
                return ExitCode::FAILURE;
            }
            Ok(_) => eprintln!("compatible with {old_display}"),
        }
        return ExitCode::SUCCESS;
    }
    match regen::regenerate(&root) {
        Ok(stale) if stale.is_empty() => {
            eprintln!("generated/ is up to date");
            ExitCode::SUCCESS
        }
        Ok(stale) => {
            for f in &stale {
                eprintln!("rewrote {f}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
