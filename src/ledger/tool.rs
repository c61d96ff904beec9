//! The work behind `nanoipc ledger info|export|import`: text in, text out, no argument parsing.
//!
//! Export writes one nano-node JSON block per line in a replayable order (genesis first);
//! import runs every line through the block processor in batches and tallies results per kind.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufRead, Read, Write};

use super::error::LedgerError;
use super::handle::Ledger;
use super::primitives::{Block, BlockHash};
use super::processor::ProcessResult;

/// Lines longer than this (newline excluded) cannot be a block; refuse them before parsing.
pub const MAX_LINE: usize = 4096;
/// Default blocks per write transaction during import.
pub const IMPORT_BATCH: usize = 256;

/// Why a tool command failed.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// Reading or writing the block file failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// `ledger info`.
#[derive(Clone, Debug)]
pub struct LedgerInfo {
    /// Network name.
    pub network: &'static str,
    /// Store version.
    pub store_version: u32,
    /// Genesis hash.
    pub genesis: BlockHash,
    /// Blocks.
    pub blocks: u64,
    /// Cemented blocks.
    pub cemented: u64,
    /// Opened accounts.
    pub accounts: u64,
    /// Representatives with weight.
    pub representatives: u64,
    /// Receivable entries.
    pub receivables: u64,
}

impl fmt::Display for LedgerInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "network:         {}", self.network)?;
        writeln!(f, "store version:   {}", self.store_version)?;
        writeln!(f, "genesis:         {}", self.genesis.encode_hex())?;
        writeln!(f, "blocks:          {}", self.blocks)?;
        writeln!(f, "cemented:        {}", self.cemented)?;
        writeln!(f, "accounts:        {}", self.accounts)?;
        writeln!(f, "representatives: {}", self.representatives)?;
        write!(f, "receivables:     {}", self.receivables)
    }
}

/// Gathers `ledger info`.
pub fn info(ledger: &Ledger) -> Result<LedgerInfo, ToolError> {
    let count = ledger.block_count()?;
    let totals = ledger.totals()?;
    Ok(LedgerInfo {
        network: ledger.network().name(),
        store_version: ledger.store_version()?,
        genesis: ledger.genesis_hash(),
        blocks: count.count,
        cemented: count.cemented,
        accounts: totals.accounts,
        representatives: u64::try_from(ledger.representatives()?.len()).unwrap_or(u64::MAX),
        receivables: totals.receivable_count,
    })
}

/// Writes every block, one JSON object per line, genesis first. Returns the count.
pub fn export(ledger: &Ledger, out: &mut impl Write) -> Result<u64, ToolError> {
    let mut n = 0u64;
    for block in ledger.export_order()? {
        writeln!(out, "{}", block.to_json_line())?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

/// Result tallies of an import.
#[derive(Clone, Debug, Default)]
pub struct ImportSummary {
    /// Count per result name (`progress`, `old`, `fork`, …, plus `invalid_json`).
    pub by_result: BTreeMap<&'static str, u64>,
    /// The ledger's own genesis block met in the file (expected first line, not a refusal).
    pub genesis_lines: u64,
    /// First few problems, with line numbers, for the user.
    pub first_problems: Vec<String>,
}

impl ImportSummary {
    /// Blocks that were not accepted (excluding the genesis line).
    pub fn refused(&self) -> u64 {
        self.by_result
            .iter()
            .filter(|(k, _)| **k != "progress")
            .map(|(_, v)| *v)
            .sum()
    }

    fn problem(&mut self, line: u64, what: &str) {
        if self.first_problems.len() < 20 {
            self.first_problems.push(format!("line {line}: {what}"));
        }
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.genesis_lines > 0 {
            writeln!(f, "genesis (already present): {}", self.genesis_lines)?;
        }
        for (k, v) in &self.by_result {
            writeln!(f, "{k}: {v}")?;
        }
        for p in &self.first_problems {
            writeln!(f, "  {p}")?;
        }
        write!(f, "refused: {}", self.refused())
    }
}

/// Imports blocks from `input` in write transactions of `batch_size` blocks, calling `progress(lines_read)` after each batch and
/// `accepted(hash)` for each accepted block once its batch is committed.
pub fn import(
    ledger: &Ledger,
    input: impl BufRead,
    batch_size: usize,
    mut progress: impl FnMut(u64),
    mut accepted: impl FnMut(&BlockHash),
) -> Result<ImportSummary, ToolError> {
    let mut summary = ImportSummary::default();
    let genesis = ledger.genesis_hash();
    let batch_size = batch_size.clamp(1, 65_536);
    let mut batch: Vec<(u64, Block)> = Vec::with_capacity(batch_size);
    let mut line_no = 0u64;
    let mut flush =
        |batch: &mut Vec<(u64, Block)>, summary: &mut ImportSummary| -> Result<(), ToolError> {
            let blocks: Vec<Block> = batch.iter().map(|(_, b)| b.clone()).collect();
            let results = ledger.process(&blocks)?;
            for ((line, block), result) in batch.iter().zip(results) {
                let hash = block.hash();
                if result == ProcessResult::Old && hash == genesis {
                    summary.genesis_lines += 1;
                    continue;
                }
                *summary.by_result.entry(result.name()).or_default() += 1;
                match result.error_message() {
                    None => accepted(&hash),
                    Some(msg) => summary.problem(*line, &format!("{} {msg}", hash.encode_hex())),
                }
            }
            batch.clear();
            Ok(())
        };
    let mut lines = BoundedLines::new(input);
    while let Some(line) = lines.next_line()? {
        line_no += 1;
        let text = match line {
            Line::Text(text) => text.trim(),
            Line::TooLong => {
                *summary.by_result.entry("invalid_json").or_default() += 1;
                summary.problem(line_no, "line too long for a block");
                continue;
            }
            Line::NotUtf8 => {
                *summary.by_result.entry("invalid_json").or_default() += 1;
                summary.problem(line_no, "line is not valid UTF-8");
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        match Block::from_json_str(text) {
            Ok(block) => batch.push((line_no, block)),
            Err(e) => {
                *summary.by_result.entry("invalid_json").or_default() += 1;
                summary.problem(line_no, &e.to_string());
            }
        }
        if batch.len() >= batch_size {
            flush(&mut batch, &mut summary)?;
            progress(line_no);
        }
    }
    flush(&mut batch, &mut summary)?;
    progress(line_no);
    Ok(summary)
}

/// Counts lines the way [`import`] numbers them, holding at most `MAX_LINE + 1` bytes of any
/// line (for a progress bar's length; `BufRead::lines().count()` would buffer a huge line whole).
pub fn count_lines(input: impl BufRead) -> io::Result<u64> {
    let mut lines = BoundedLines::new(input);
    let mut n = 0u64;
    while lines.next_line()?.is_some() {
        n += 1;
    }
    Ok(n)
}

/// One physical line as [`BoundedLines`] sees it.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A line of at most [`MAX_LINE`] bytes of valid UTF-8, without its `\n`.
    Text(&'a str),
    /// A line longer than [`MAX_LINE`] bytes; its excess was skipped without being kept.
    TooLong,
    /// A line of acceptable length that is not valid UTF-8.
    NotUtf8,
}

/// Splits a block file into lines while holding at most `MAX_LINE + 1` bytes of any line.
///
/// `BufRead::lines` reads a whole line before anyone can check its length (a 300 MB line
/// without a newline costs 300 MB) and fails the whole stream on one bad byte. This reader
/// reads through `take(MAX_LINE + 1)`, so the line buffer never grows past its initial
/// capacity, and it reports overlong or non-UTF-8 lines as values so the caller can count
/// them and carry on. Only genuine read errors are errors.
pub struct BoundedLines<R> {
    inner: R,
    buf: Vec<u8>,
}

impl<R: BufRead> BoundedLines<R> {
    /// Wraps `inner`; the line buffer is allocated once, at its final size.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::with_capacity(MAX_LINE + 1),
        }
    }

    /// The next line, or `None` at end of input.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        self.buf.clear();
        let limit = u64::try_from(MAX_LINE + 1).unwrap_or(u64::MAX);
        let n = (&mut self.inner)
            .take(limit)
            .read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        } else if self.buf.len() > MAX_LINE {
            // No newline within the limit: the line is too long. Drop what we hold and skip
            // the rest of it straight out of the reader's own buffer.
            self.buf.clear();
            self.skip_rest_of_line()?;
            return Ok(Some(Line::TooLong));
        }
        // Otherwise a final line without a newline, within the limit.
        Ok(Some(match std::str::from_utf8(&self.buf) {
            Ok(text) => Line::Text(text),
            Err(_) => Line::NotUtf8,
        }))
    }

    /// Bytes the line buffer can hold; stays `MAX_LINE + 1` whatever the input.
    pub fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Consumes input up to and including the next `\n` (or to end of input) without copying it.
    fn skip_rest_of_line(&mut self) -> io::Result<()> {
        loop {
            let available = match self.inner.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok(());
            }
            match available.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.inner.consume(i + 1);
                    return Ok(());
                }
                None => {
                    let len = available.len();
                    self.inner.consume(len);
                }
            }
        }
    }
}
