//! Located error messages in the `file:line:col: error: message` form, followed by the offending
//! source line and a caret, like a compiler. The front end collects every problem it can find
//! instead of stopping at the first, so one build shows the user all of them.

use crate::ir::Location;
use std::fmt;

/// One problem in a schema, pointing at the place it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub loc: Location,
    pub message: String,
    /// The full text of the line `loc` points into (without its newline); empty when unknown,
    /// in which case only the header line is printed.
    pub source_line: String,
}

impl Diagnostic {
    /// A diagnostic whose source line is filled in later by [`Sources::attach`].
    pub(crate) fn new(loc: &Location, message: impl Into<String>) -> Self {
        Diagnostic {
            loc: loc.clone(),
            message: message.into(),
            source_line: String::new(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.loc.file, self.loc.line, self.loc.col, self.message
        )?;
        if !self.source_line.is_empty() {
            // Tabs are copied so that the caret lines up however the terminal renders them.
            let caret_pad: String = self
                .source_line
                .chars()
                .take(self.loc.col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{}\n{}^", self.source_line, caret_pad)?;
        }
        Ok(())
    }
}

/// Every problem found in one run, in the order they were found (file by file, then by stage).
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.0))]
pub struct Diagnostics(pub Vec<Diagnostic>);

fn render(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Diagnostics {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

/// The text of every file read in one run, keyed by display name, so that diagnostics made
/// far from the text (resolver, evolution guard) can still quote their line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    files: Vec<(String, String)>,
}

impl Sources {
    pub(crate) fn add(&mut self, display_name: &str, text: &str) {
        self.files
            .push((display_name.to_string(), text.to_string()));
    }

    pub(crate) fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }

    fn line(&self, loc: &Location) -> Option<String> {
        let (_, text) = self.files.iter().find(|(name, _)| *name == loc.file)?;
        let idx = (loc.line as usize).checked_sub(1)?;
        text.lines()
            .nth(idx)
            .map(|l| l.trim_end_matches('\r').to_string())
    }

    /// Orders diagnostics by file (in the order the files were read), then line and column,
    /// so that messages from different checking passes read top to bottom.
    pub(crate) fn sort(&self, diags: &mut [Diagnostic]) {
        let rank = |d: &Diagnostic| {
            let file = self
                .files
                .iter()
                .position(|(name, _)| *name == d.loc.file)
                .unwrap_or(usize::MAX);
            (file, d.loc.line, d.loc.col)
        };
        diags.sort_by_key(rank);
    }

    /// Fills in `source_line` for every diagnostic that points into a known file.
    pub(crate) fn attach(&self, diags: &mut [Diagnostic]) {
        for d in diags.iter_mut() {
            if d.source_line.is_empty() {
                if let Some(line) = self.line(&d.loc) {
                    d.source_line = line;
                }
            }
        }
    }
}
