//! Reading schema files: the main file and, depth-first, the files it includes (relative to the
//! including file). Included files are resolved before the file that includes them, as flatc
//! does, so attributes declared in an include are usable after the `include`.
//!
//! Display names (used in messages and the IR) are derived from the caller's display name for
//! the main file, never from absolute paths, so output is the same on every machine.

use crate::ast;
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::ir::{self, Location};
use crate::{lexer, parser, resolve};
use std::path::{Path, PathBuf};

/// Deeper include chains than this are reported rather than followed.
const MAX_INCLUDE_DEPTH: usize = 64;

struct Loader {
    files: Vec<ast::File>,
    sources: Sources,
    diags: Vec<Diagnostic>,
    /// Canonical paths already loaded (or being loaded), so each file is read once.
    seen: Vec<PathBuf>,
}

/// Lexes and parses one text; includes are returned in the AST for the caller to follow.
fn parse_text(display: &str, text: &str, diags: &mut Vec<Diagnostic>) -> ast::File {
    let toks = lexer::lex(display, text, diags);
    parser::parse(display, &toks, diags)
}

/// Joins an include's text onto the includer's display directory, normalising `.` and `..`.
fn display_join(includer: &str, include: &str) -> String {
    let mut parts: Vec<&str> = includer.split('/').collect();
    parts.pop();
    for p in include.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

impl Loader {
    fn load(&mut self, path: &Path, display: &str, depth: usize, from: Option<&Location>) {
        let canon = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if self.seen.contains(&canon) {
            return;
        }
        self.seen.push(canon);
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                let loc = from.cloned().unwrap_or(Location {
                    file: display.to_string(),
                    line: 1,
                    col: 1,
                });
                self.diags.push(Diagnostic::new(
                    &loc,
                    format!("cannot read `{display}`: {e}"),
                ));
                return;
            }
        };
        self.sources.add(display, &text);
        let file = parse_text(display, &text, &mut self.diags);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for item in &file.items {
            if let ast::Item::Include(lit) = item {
                if depth >= MAX_INCLUDE_DEPTH {
                    self.diags
                        .push(Diagnostic::new(&lit.loc, "includes are nested too deeply"));
                    continue;
                }
                let inc_display = display_join(display, &lit.text);
                self.load(
                    &dir.join(&lit.text),
                    &inc_display,
                    depth + 1,
                    Some(&lit.loc),
                );
            }
        }
        self.files.push(file);
    }
}

/// Loads, resolves and validates a schema and everything it includes. Also returns the texts
/// read, for quoting lines in later diagnostics (the evolution guard).
pub(crate) fn load_with_sources(
    path: &Path,
    display_name: &str,
) -> (Result<ir::Schema, Diagnostics>, Sources) {
    let mut loader = Loader {
        files: Vec::new(),
        sources: Sources::default(),
        diags: Vec::new(),
        seen: Vec::new(),
    };
    loader.load(path, display_name, 0, None);
    let Loader {
        files,
        sources,
        mut diags,
        ..
    } = loader;
    let result = finish(&files, display_name, &mut diags, &sources);
    (result, sources)
}

/// Parses a schema held in memory. `include` is not available here (there is no directory to
/// resolve it against) and is reported as an error.
pub(crate) fn parse_str(display_name: &str, text: &str) -> Result<ir::Schema, Diagnostics> {
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    sources.add(display_name, text);
    let file = parse_text(display_name, text, &mut diags);
    for item in &file.items {
        if let ast::Item::Include(lit) = item {
            diags.push(Diagnostic::new(
                &lit.loc,
                "`include` is not available when parsing a schema from a string",
            ));
        }
    }
    finish(&[file], display_name, &mut diags, &sources)
}

fn finish(
    files: &[ast::File],
    display_name: &str,
    diags: &mut Vec<Diagnostic>,
    sources: &Sources,
) -> Result<ir::Schema, Diagnostics> {
    // After a syntax error the tree is incomplete; resolving it would only add follow-on errors
    // (e.g. "unknown type" for a table that failed to parse), so stop at the syntax errors.
    let schema = if diags.is_empty() {
        resolve::resolve(files, display_name, diags)
    } else {
        None
    };
    match schema {
        Some(s) if diags.is_empty() => Ok(s),
        _ => {
            sources.sort(diags);
            sources.attach(diags);
            Err(Diagnostics(std::mem::take(diags)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::display_join;

    #[test]
    fn include_display_names_are_relative_and_normalised() {
        assert_eq!(display_join("schema/a.fbs", "b.fbs"), "schema/b.fbs");
        assert_eq!(display_join("schema/a.fbs", "./x/../c.fbs"), "schema/c.fbs");
        assert_eq!(display_join("a.fbs", "../c.fbs"), "../c.fbs");
        assert_eq!(display_join("a.fbs", "sub/c.fbs"), "sub/c.fbs");
    }
}
