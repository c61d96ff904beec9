//! `nanoipc ledger`: inspect, export and import the embedded ledger.

use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use nanoipc::config::{self, NodeConfig};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::{tool, Ledger};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data directory, the node's by default ($HOME/.nanoipc); the ledger lives in
    /// `<data-path>/ledger/`.
    #[arg(long, global = true)]
    data_path: Option<PathBuf>,
    /// Network: dev, beta or live (default: `node.network` from the data path's config-node.toml,
    /// else dev).
    #[arg(long, global = true)]
    network: Option<Network>,
    #[command(subcommand)]
    action: LedgerAction,
}

#[derive(Debug, Subcommand)]
enum LedgerAction {
    /// Network, store version and counts.
    Info,
    /// Write every block as one nano-node JSON block per line, genesis first (stdout or --out).
    Export {
        /// Output file (default: stdout).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Process every block of a file (one JSON block per line) through the block processor.
    Import {
        /// The block file.
        file: PathBuf,
        /// Print each accepted hash on stdout once committed (used by the crash-safety test).
        #[arg(long)]
        print_accepted: bool,
        /// Blocks per write transaction.
        #[arg(long, default_value_t = tool::IMPORT_BATCH)]
        batch: usize,
    },
}

fn run_inner(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let data_path = args.data_path.unwrap_or_else(config::default_data_path);
    let network = match args.network {
        Some(n) => n,
        None => NodeConfig::load_from_dir(&data_path)?.node.network,
    };
    // Only an import may create a ledger; inspecting a path that has none is a mistake to report,
    // not a reason to create an empty one there.
    if !matches!(args.action, LedgerAction::Import { .. }) && !data_path.join("ledger").exists() {
        return Err(format!(
            "no ledger at {} (see --data-path)",
            data_path.join("ledger").display()
        )
        .into());
    }
    // Inspecting never writes: a read-only open works on a read-only data directory and
    // cannot change the ledger under a running node.
    let ledger = match args.action {
        LedgerAction::Import { .. } => Ledger::open(&data_path, network)?,
        LedgerAction::Info | LedgerAction::Export { .. } => {
            Ledger::open_read_only(&data_path, network)?
        }
    };
    match args.action {
        LedgerAction::Info => {
            println!("{}", tool::info(&ledger)?);
            Ok(ExitCode::SUCCESS)
        }
        LedgerAction::Export { out } => {
            let n = match out {
                Some(path) => {
                    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
                    tool::export(&ledger, &mut file)?
                }
                None => tool::export(&ledger, &mut std::io::stdout().lock())?,
            };
            eprintln!("exported {n} blocks");
            Ok(ExitCode::SUCCESS)
        }
        LedgerAction::Import {
            file,
            print_accepted,
            batch,
        } => {
            // One cheap pass to count lines gives the bar its length; the import reads again.
            let total = tool::count_lines(BufReader::new(std::fs::File::open(&file)?))?;
            let input = BufReader::new(std::fs::File::open(&file)?);
            let bar = ProgressBar::new(total).with_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} lines ({per_sec}, eta {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let mut stdout = std::io::stdout().lock();
            let summary = tool::import(
                &ledger,
                input,
                batch,
                |lines| bar.set_position(lines),
                |hash| {
                    if print_accepted {
                        let _ = writeln!(stdout, "{}", hash.encode_hex());
                        let _ = stdout.flush();
                    }
                },
            )?;
            bar.finish();
            eprintln!("{summary}");
            Ok(if summary.refused() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    run_inner(args).unwrap_or_else(|e| {
        eprintln!("nanoipc: {e}");
        ExitCode::FAILURE
    })
}
