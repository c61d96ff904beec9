//! `nanoipc codegen`: rewrite `generated/` from the schema, or run the schema evolution guard.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Fail (without regenerating) when the schema breaks compatibility with this older schema.
    #[arg(long, value_name = "OLD.fbs")]
    check_compat: Option<PathBuf>,
    /// The project root (holding `schema/` and `generated/`); defaults to the current
    /// directory when it has `schema/nanoapi.fbs`, else the source tree this was built from.
    #[arg(long)]
    root: Option<PathBuf>,
}

pub fn run(Args { check_compat, root }: Args) -> ExitCode {
    use nanoipc::schema::regen;
    let root = root.unwrap_or_else(|| {
        if std::path::Path::new(regen::SCHEMA_PATH).exists() {
            PathBuf::from(".")
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        }
    });
    if let Some(old) = check_compat {
        // Diagnostics quote source lines by file name, so the two schemas need distinct names.
        let mut old_display = old.display().to_string();
        if old_display == regen::SCHEMA_PATH {
            old_display.push_str(" (old)");
        }
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
