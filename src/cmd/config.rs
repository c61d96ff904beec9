//! `nanoipc config`: print the effective configuration, or every default with its comment.

use std::path::PathBuf;
use std::process::ExitCode;

use nanoipc::config::{self, NodeConfig};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the built-in defaults instead of the effective configuration.
    #[arg(long)]
    default: bool,
    /// Data directory holding config-node.toml (default: $HOME/.nanoipc).
    #[arg(long)]
    data_path: Option<PathBuf>,
}

pub fn run(Args { default, data_path }: Args) -> ExitCode {
    print_config(default, data_path)
}

fn print_config(default: bool, data_path: Option<PathBuf>) -> ExitCode {
    if default {
        print!("{}", config::defaults::render_default());
        return ExitCode::SUCCESS;
    }
    let dir = data_path.unwrap_or_else(config::default_data_path);
    match NodeConfig::load_from_dir(&dir) {
        Ok(c) => {
            print!("{}", config::defaults::render(&c));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("nanoipc: {e}");
            ExitCode::from(2)
        }
    }
}
