//! `nanoipc ledger`: inspect, export and import the embedded ledger.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::{tool, Ledger};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data directory; the ledger lives in `<data-path>/ledger/`.
    #[arg(long, global = true, default_value = "./nanoipc-data")]
    data_path: PathBuf,
    /// Network: dev (default), beta or live.
    #[arg(long, global = true, default_value = "dev")]
    network: Network,
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
    let ledger = Ledger::open(&args.data_path, args.network)?;
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
            let total = BufReader::new(std::fs::File::open(&file)?).lines().count() as u64;
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
