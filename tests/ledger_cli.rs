//! The `nanoipc ledger` CLI: export/import round trip, exit status, and crash safety
//! (a child importing blocks is SIGKILLed at random points; every hash it reported survives).

mod ledger_support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use ledger_support::{block_stream, check_invariants};
use nanoipc::ledger::primitives::*;
use nanoipc::ledger::{tool, Ledger};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nanoipc"))
}

fn write_blocks(path: &std::path::Path, blocks: &[Block]) {
    let mut f = std::fs::File::create(path).unwrap();
    for b in blocks {
        writeln!(f, "{}", b.to_json_line()).unwrap();
    }
}

#[test]
fn export_import_reproduces_the_ledger() {
    let a = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(a.path(), Network::Dev).unwrap();
    let blocks = block_stream(5);
    assert!(ledger
        .process(&blocks)
        .unwrap()
        .iter()
        .all(|r| r.error_message().is_none()));
    let mut exported = Vec::new();
    assert_eq!(tool::export(&ledger, &mut exported).unwrap(), 16);
    drop(ledger);
    let file = a.path().join("blocks.jsonl");
    std::fs::write(&file, &exported).unwrap();

    let b = tempfile::tempdir().unwrap();
    let status = bin()
        .args(["ledger", "import", "--data-path"])
        .arg(b.path())
        .arg(&file)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let out = bin()
        .args(["ledger", "export", "--data-path"])
        .arg(b.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        out.stdout, exported,
        "export → import → export is identical"
    );

    let original = Ledger::open(a.path(), Network::Dev).unwrap();
    let copy = Ledger::open(b.path(), Network::Dev).unwrap();
    assert_eq!(original.totals().unwrap(), copy.totals().unwrap());
    for (account, head) in original.frontiers(&Account::ZERO, 100).unwrap() {
        let (x, y) = (
            original.account_info(&account).unwrap().unwrap(),
            copy.account_info(&account).unwrap().unwrap(),
        );
        assert_eq!(
            (x.head, x.balance, x.representative, x.block_count),
            (y.head, y.balance, y.representative, y.block_count)
        );
        assert_eq!(head, y.head);
    }
    let info = bin()
        .args(["ledger", "info", "--data-path"])
        .arg(b.path())
        .output()
        .unwrap();
    let text = String::from_utf8(info.stdout).unwrap();
    assert!(
        text.contains("network:         dev") && text.contains("blocks:          16"),
        "{text}"
    );
}

#[test]
fn import_exits_non_zero_on_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let mut blocks = block_stream(2);
    blocks.swap(0, 1); // an open before its send: gap source
    let file = dir.path().join("bad.jsonl");
    write_blocks(&file, &blocks);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap()
        .write_all(b"{not json\n")
        .unwrap();
    let out = bin()
        .args(["ledger", "import", "--data-path"])
        .arg(dir.path())
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("gap_source: 1") && err.contains("invalid_json: 1"),
        "{err}"
    );
}

#[test]
fn crash_safety_under_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stream.jsonl");
    write_blocks(&file, &block_stream(60));
    let mut reported: Vec<BlockHash> = Vec::new();
    for round in 0..6 {
        let mut child = bin()
            .args([
                "ledger",
                "import",
                "--print-accepted",
                "--batch",
                "3",
                "--data-path",
            ])
            .arg(dir.path())
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        // Kill after a random number of reported hashes (0: right after start).
        let kill_after = getrandom::u64().unwrap() % 40;
        let mut seen = 0;
        while seen < kill_after {
            match lines.next() {
                Some(Ok(line)) => {
                    reported.push(BlockHash::decode_hex(&line).unwrap());
                    seen += 1;
                }
                _ => break,
            }
        }
        if round < 5 {
            child.kill().unwrap(); // SIGKILL on Unix
        }
        for line in lines.map_while(Result::ok) {
            reported.push(BlockHash::decode_hex(&line).unwrap());
        }
        child.wait().unwrap();
        let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
        check_invariants(&ledger);
        for h in &reported {
            assert!(
                ledger.block_exists(h).unwrap(),
                "reported hash {h:?} lost (round {round})"
            );
        }
    }
    let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
    assert_eq!(
        ledger.block_count().unwrap().count,
        181,
        "the final run completes the stream"
    );
}
