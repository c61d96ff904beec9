//! Regenerating the checked-in `generated/` copy (the `nanoipc codegen` command and the
//! freshness test share this, so they can never disagree about what "fresh" means).

use std::path::{Path, PathBuf};

/// The schema path relative to the project root; also how it is named in generated headers.
pub const SCHEMA_PATH: &str = "schema/nanoapi.fbs";
/// The folder, relative to the project root, that holds the checked-in generated files.
pub const GENERATED_DIR: &str = "generated";
/// The command that rewrites `generated/`.
pub const REGENERATE_COMMAND: &str = "cargo run -p nanoipc -- codegen";

/// Why regeneration failed.
#[derive(Debug, thiserror::Error)]
pub enum RegenError {
    /// The schema does not load; the diagnostics are located (`file:line:col` with a caret).
    #[error("{0}")]
    Schema(nanoipc_codegen::Diagnostics),
    /// Reading or writing a generated file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Runs the generator on `<root>/schema/nanoapi.fbs` and brings `<root>/generated/` up to date,
/// rewriting only files whose content differs (newlines normalised) and removing files the
/// generator no longer writes. Returns the paths of the files that were stale (and are now
/// rewritten or removed), relative to `root`.
pub fn regenerate(root: &Path) -> Result<Vec<String>, RegenError> {
    let schema = nanoipc_codegen::load_schema(&root.join(SCHEMA_PATH), SCHEMA_PATH)
        .map_err(RegenError::Schema)?;
    let dir = root.join(GENERATED_DIR);
    std::fs::create_dir_all(&dir).map_err(|source| RegenError::Io {
        path: dir.clone(),
        source,
    })?;
    let mut stale = Vec::new();
    let outputs = nanoipc_codegen::generate(&schema);
    for file in &outputs {
        let path = dir.join(&file.name);
        let current = std::fs::read_to_string(&path)
            .ok()
            .map(|s| s.replace("\r\n", "\n"));
        if current.as_deref() != Some(file.contents.as_str()) {
            std::fs::write(&path, &file.contents).map_err(|source| RegenError::Io {
                path: path.clone(),
                source,
            })?;
            stale.push(format!("{GENERATED_DIR}/{}", file.name));
        }
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| RegenError::Io { path, source }
    };
    for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
        let entry = entry.map_err(io(&dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !outputs.iter().any(|f| f.name == name) {
            std::fs::remove_file(entry.path()).map_err(io(&entry.path()))?;
            stale.push(format!(
                "{GENERATED_DIR}/{name} (no longer generated, removed)"
            ));
        }
    }
    Ok(stale)
}
