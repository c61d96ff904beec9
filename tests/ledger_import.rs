//! `ledger import` on malformed files: bad lines (non-UTF-8, overlong) are counted as refusals
//! with their line numbers while the valid blocks around them are still imported, and the line
//! reader never buffers more than `MAX_LINE + 1` bytes of a line however long it is.

mod ledger_support;

use std::io::{BufReader, Cursor, Read, Write};
use std::process::Command;

use ledger_support::{block_stream, check_invariants};
use nanoipc::ledger::primitives::*;
use nanoipc::ledger::tool::{self, BoundedLines, Line, MAX_LINE};
use nanoipc::ledger::Ledger;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nanoipc"))
}

/// Lines 1-3 valid, 4 not UTF-8, 5-6 valid, 7 overlong, 8-9 valid (3 accounts = 9 blocks
/// would be lines 1-9 without the bad ones; the bad ones are extra lines).
fn malformed_file(blocks: &[Block], overlong: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if i == 3 {
            out.extend_from_slice(b"{\"type\": \"state\", \"account\": \"\xff\xfe\"}\n");
        }
        if i == 5 {
            out.extend(std::iter::repeat_n(b'x', overlong));
            out.push(b'\n');
        }
        writeln!(out, "{}", b.to_json_line()).unwrap();
    }
    out
}

#[test]
fn cli_import_skips_bad_lines_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let blocks = block_stream(3);
    let file = dir.path().join("mixed.jsonl");
    std::fs::write(&file, malformed_file(&blocks, 100_000)).unwrap();
    let out = bin()
        .args(["ledger", "import", "--data-path"])
        .arg(dir.path())
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "refusals give a failing exit: {err}");
    assert!(err.contains("invalid_json: 2"), "{err}");
    assert!(err.contains("progress: 9"), "{err}");
    assert!(err.contains("line 4: line is not valid UTF-8"), "{err}");
    assert!(err.contains("line 7: line too long for a block"), "{err}");
    assert!(!err.contains("I/O error"), "{err}");

    let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
    for b in &blocks {
        assert!(
            ledger.block_exists(&b.hash()).unwrap(),
            "valid block imported"
        );
    }
    assert_eq!(ledger.block_count().unwrap().count, 10);
    check_invariants(&ledger);
}

/// A reader that yields `len` bytes of `x` without ever holding them, then `tail`.
fn huge_line_then(len: u64, tail: &[u8]) -> impl Read + '_ {
    std::io::repeat(b'x').take(len).chain(tail)
}

#[test]
fn import_survives_a_huge_line_without_newline_in_the_middle() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
    let blocks = block_stream(1);
    let mut tail = b"\n".to_vec();
    for b in &blocks {
        writeln!(tail, "{}", b.to_json_line()).unwrap();
    }
    // Ends with an overlong line that has no newline at all.
    tail.extend(std::iter::repeat_n(b'y', MAX_LINE + 1));
    let input = BufReader::new(huge_line_then(20_000_000, &tail));
    let mut accepted = Vec::new();
    let summary = tool::import(&ledger, input, 2, |_| {}, |h| accepted.push(*h)).unwrap();
    assert_eq!(summary.by_result.get("progress"), Some(&3));
    assert_eq!(summary.by_result.get("invalid_json"), Some(&2));
    assert_eq!(
        summary.first_problems,
        vec![
            "line 1: line too long for a block".to_string(),
            "line 5: line too long for a block".to_string(),
        ]
    );
    let expected: Vec<BlockHash> = blocks.iter().map(Block::hash).collect();
    assert_eq!(accepted, expected);
}

#[test]
fn reader_buffer_stays_bounded_for_a_huge_line() {
    let mut lines = BoundedLines::new(BufReader::new(huge_line_then(50_000_000, b"\nafter\n")));
    assert_eq!(lines.buffer_capacity(), MAX_LINE + 1);
    assert_eq!(lines.next_line().unwrap(), Some(Line::TooLong));
    assert_eq!(
        lines.buffer_capacity(),
        MAX_LINE + 1,
        "no growth past the limit"
    );
    assert_eq!(lines.next_line().unwrap(), Some(Line::Text("after")));
    assert_eq!(lines.next_line().unwrap(), None);
    assert_eq!(lines.buffer_capacity(), MAX_LINE + 1);
}

#[test]
fn reader_line_length_boundaries() {
    let mut input = Vec::new();
    input.extend(std::iter::repeat_n(b'a', MAX_LINE));
    input.push(b'\n');
    input.extend(std::iter::repeat_n(b'b', MAX_LINE + 1));
    input.push(b'\n');
    input.extend_from_slice(b"ok\r\n\xc3\x28\n\nlast");
    let mut lines = BoundedLines::new(Cursor::new(input));
    let at_limit = "a".repeat(MAX_LINE);
    assert_eq!(lines.next_line().unwrap(), Some(Line::Text(&at_limit)));
    assert_eq!(lines.next_line().unwrap(), Some(Line::TooLong));
    assert_eq!(lines.next_line().unwrap(), Some(Line::Text("ok\r")));
    assert_eq!(lines.next_line().unwrap(), Some(Line::NotUtf8));
    assert_eq!(lines.next_line().unwrap(), Some(Line::Text("")));
    assert_eq!(lines.next_line().unwrap(), Some(Line::Text("last")));
    assert_eq!(lines.next_line().unwrap(), None);
    assert_eq!(lines.buffer_capacity(), MAX_LINE + 1);
}

#[test]
fn count_lines_matches_import_numbering_on_huge_lines() {
    let tail = b"\n{}\n\xff\nlast";
    let n = tool::count_lines(BufReader::new(huge_line_then(10_000_000, tail))).unwrap();
    assert_eq!(n, 4);
    assert_eq!(tool::count_lines(Cursor::new(b"")).unwrap(), 0);
}
