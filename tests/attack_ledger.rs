//! Attack and hygiene tests for the LMDB ledger (issue 8, item 6).
//!
//! - `ledger export` killed with SIGKILL over and over while the node runs used to leave every
//!   reader slot taken (each dead process keeps its slot), so `ledger info`/`export` then failed
//!   with `MDB_READERS_FULL`. Stale slots are now cleared when a ledger opens and periodically.
//! - `ledger info`/`export` open the ledger read-only: they work on a read-only data directory
//!   (a read-only bind mount: the tests run as root, where permission bits stop nothing) and
//!   never create or change a file of the ledger but LMDB's lock file.
//! - A full disk (a small tmpfs) is reported as "No space left on device", and every block
//!   acknowledged before is still there after a reopen.
//!
//! Mounting needs CAP_SYS_ADMIN; without it those tests say so on stderr and pass without
//! checking (nothing else can make a directory read-only for root or a disk full).

mod ledger_support;
mod node_proc;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ledger_support::{block_stream, check_invariants};
use nanoipc::ledger::primitives::{Block, Network};
use nanoipc::ledger::{Ledger, LedgerError, NoSpace, ProcessResult};
use node_proc::{probe_block_count, probe_is_alive, NodeProc};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nanoipc"))
}

/// Runs `nanoipc ledger <args…> --data-path <data> --network dev`.
fn ledger_cmd(data: &Path, args: &[&str]) -> Output {
    bin()
        .arg("ledger")
        .args(args)
        .arg("--data-path")
        .arg(data)
        .args(["--network", "dev"])
        .output()
        .unwrap()
}

/// A data path holding a dev ledger with `accounts` × 3 blocks besides genesis.
fn ledger_with_blocks(data: &Path, accounts: u32) -> Vec<Block> {
    let blocks = block_stream(accounts);
    let ledger = Ledger::open(data, Network::Dev).unwrap();
    let results = ledger.process(&blocks).unwrap();
    assert!(results.iter().all(|r| *r == ProcessResult::Progress));
    blocks
}

/// A mount that is undone when dropped (even when the test fails).
struct Mount(PathBuf);

impl Mount {
    /// `mount <args…> <target>`; `None` (with a note on stderr) where mounting is not allowed.
    fn new(args: &[&str], target: &Path) -> Option<Mount> {
        let out = Command::new("mount").args(args).arg(target).output().ok()?;
        if out.status.success() {
            Some(Mount(target.to_owned()))
        } else {
            eprintln!(
                "SKIPPED: cannot mount here ({}): {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
            None
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.0)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            // Still busy (a ledger's writer thread closing its files): detach it now, and the
            // kernel frees it once the last file closes, so no test leaves a mount behind.
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

#[test]
fn killed_exports_do_not_exhaust_reader_slots() {
    const KILLS: usize = 140;
    const SMALL_READER_TABLE: u32 = 126;
    let dir = tempfile::tempdir().unwrap();
    // 60 accounts: 181 blocks, well over a pipe's 64 KiB of export, so an export whose output
    // is not read is still alive (blocked writing) when it is killed.
    let blocks = ledger_with_blocks(dir.path(), 60);
    // The node makes 1024 reader slots, which would take over a thousand kills to fill. Holding
    // the environment open with LMDB's default of 126 slots while the node starts makes every
    // later opener (node included) adopt that smaller table, so 140 kills overflow it as they
    // did when the issue was filed. Nothing else changes: the table fills the same way.
    // (LMDB only ever grows a lock file, so the one left by the set-up goes first; nothing
    // has the ledger open now.)
    std::fs::remove_file(dir.path().join("ledger").join("lock.mdb")).unwrap();
    // SAFETY: opened once in this process, with default flags, and never written.
    let small = unsafe {
        heed::EnvOpenOptions::new()
            .max_readers(SMALL_READER_TABLE)
            .max_dbs(8)
            .open(dir.path().join("ledger"))
    }
    .unwrap();
    let mut node = NodeProc::start(dir.path(), "info");
    let _log = node.read_log();
    for kill in 0..KILLS {
        let mut export = bin()
            .args(["ledger", "export", "--network", "dev", "--data-path"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Its first line proves it has read the ledger (and so holds a reader slot).
        let mut first = String::new();
        BufReader::new(export.stdout.as_mut().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(
            first.contains("\"type\""),
            "export {kill} wrote no block (reader table full?): {first:?}"
        );
        export.kill().unwrap();
        export.wait().unwrap();
    }
    let info = ledger_cmd(dir.path(), &["info"]);
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&info.stderr)
    );
    assert!(
        text.contains(&format!("blocks:          {}", blocks.len() + 1)),
        "{text}"
    );
    let out = dir.path().join("export.jsonl");
    let export = ledger_cmd(dir.path(), &["export", "--out", out.to_str().unwrap()]);
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let exported = std::fs::read_to_string(&out).unwrap();
    assert_eq!(exported.lines().count(), blocks.len() + 1);
    assert!(probe_is_alive(node.tcp).contains("IsAlive"));
    // The node's own readers still get slots.
    assert!(probe_block_count(node.tcp).contains(&format!("\"count\": \"{}\"", blocks.len() + 1)));
    let (status, _) = node.terminate();
    assert!(status.success(), "{status}");
    drop(small);
}

/// Name, length, modification time and (except for LMDB's lock file) content of every file
/// under `dir`.
fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
            }
            let is_lock = path.file_name().is_some_and(|n| n == "lock.mdb");
            let content = (meta.is_file() && !is_lock).then(|| std::fs::read(&path).unwrap());
            let mtime = if is_lock {
                std::time::UNIX_EPOCH
            } else {
                meta.modified().unwrap()
            };
            out.push((path, meta.len(), mtime, content));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// On a writable directory, `info` and `export` leave every file as it was (LMDB's lock file
/// aside: the reader table a running node must see lives there) and create none.
#[test]
fn read_only_commands_change_no_file() {
    let dir = tempfile::tempdir().unwrap();
    ledger_with_blocks(dir.path(), 2);
    let before = snapshot(dir.path());
    let info = ledger_cmd(dir.path(), &["info"]);
    assert!(info.status.success());
    let export = ledger_cmd(dir.path(), &["export"]);
    assert!(export.status.success());
    assert_eq!(String::from_utf8_lossy(&export.stdout).lines().count(), 7);
    assert!(
        snapshot(dir.path()) == before,
        "a read-only command changed the data path"
    );

    // A read-only open of a path without a ledger fails and creates nothing.
    let empty = tempfile::tempdir().unwrap();
    let err = Ledger::open_read_only(empty.path(), Network::Dev).unwrap_err();
    assert!(!err.to_string().is_empty());
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
    // And one opened read-only refuses writes with a clear error.
    let ro = Ledger::open_read_only(dir.path(), Network::Dev).unwrap();
    let err = ro.process(&block_stream(3)[6..]).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}

/// `info` and `export` on a read-only bind mount of the data path.
#[test]
fn read_only_commands_work_on_a_read_only_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let view = dir.path().join("view");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&view).unwrap();
    let blocks = ledger_with_blocks(&data, 2);
    let Some(_bind) = Mount::new(&["--bind", data.to_str().unwrap()], &view) else {
        return;
    };
    let remount = Command::new("mount")
        .args(["-o", "remount,bind,ro"])
        .arg(&view)
        .status()
        .unwrap();
    if !remount.success() {
        eprintln!("SKIPPED: cannot remount the bind mount read-only");
        return;
    }
    // Root cannot write there: the mount itself is read-only.
    let probe = std::fs::File::create(view.join("probe"));
    assert!(probe.is_err(), "the view should be read-only");

    let info = ledger_cmd(&view, &["info"]);
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&info.stderr)
    );
    assert!(text.contains("blocks:          7"), "{text}");
    let export = ledger_cmd(&view, &["export"]);
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let lines = String::from_utf8_lossy(&export.stdout).lines().count();
    assert_eq!(lines, blocks.len() + 1);
}

/// Fills a file in `dir` until the file system is full, then gives back `keep` bytes.
fn fill_disk(dir: &Path, keep: u64) -> PathBuf {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0xA5u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match f.write(&chunk) {
            Ok(0) => break,
            Ok(n) => written += u64::try_from(n).unwrap(),
            Err(e) => {
                assert_eq!(e.raw_os_error(), Some(libc::ENOSPC), "{e}");
                break;
            }
        }
    }
    f.set_len(written.saturating_sub(keep)).unwrap();
    path
}

/// A full disk is reported as such, nothing acknowledged is lost, the ledger reopens, and
/// once there is room again it takes blocks again.
#[test]
fn a_full_disk_is_reported_and_the_ledger_stays_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_tmpfs) = Mount::new(&["-t", "tmpfs", "-o", "size=4m", "none"], dir.path()) else {
        return;
    };
    drop(Ledger::open(dir.path(), Network::Dev).unwrap());
    // Little room left, and transactions of many pages: a commit runs out in the middle of a
    // write, which LMDB reports as EIO (a short write), the case that used to read
    // "Input/output error".
    let filler = fill_disk(dir.path(), 320 * 1024);

    let blocks = block_stream(400);
    let mut acknowledged: Vec<&Block> = vec![];
    let mut failure = None;
    {
        let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
        // Fifteen accounts' sends and opens per transaction (the stream's replay order puts
        // the send-backs last), until the disk is full.
        for batch in blocks.chunks(30) {
            match ledger.process(batch) {
                Ok(results) => {
                    assert!(results.iter().all(|r| *r == ProcessResult::Progress));
                    acknowledged.extend(batch);
                }
                Err(e) => {
                    let typed = match &e {
                        LedgerError::BatchFailed(inner) => inner.as_ref(),
                        other => other,
                    };
                    assert!(
                        matches!(typed, LedgerError::NoSpace(NoSpace::Disk)),
                        "a full disk is a typed NoSpace error: {e:?}"
                    );
                    failure = Some(e.to_string());
                    break;
                }
            }
        }
    }
    let failure = failure.expect("the disk filled up before the blocks ran out");
    assert!(
        failure.contains("No space left on device"),
        "full disk reported as: {failure}"
    );
    assert!(
        !acknowledged.is_empty(),
        "some blocks fit before the disk filled"
    );

    // Reopened on the still-full disk: everything acknowledged is there and consistent.
    {
        let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
        for b in &acknowledged {
            assert!(
                ledger.block_exists(&b.hash()).unwrap(),
                "acknowledged block lost"
            );
        }
        assert_eq!(
            ledger.block_count().unwrap().count,
            u64::try_from(acknowledged.len()).unwrap() + 1
        );
        check_invariants(&ledger);
    }
    // With room again, the next blocks go in.
    std::fs::remove_file(filler).unwrap();
    let ledger = Ledger::open(dir.path(), Network::Dev).unwrap();
    let next = &blocks[acknowledged.len()..acknowledged.len() + 30];
    let results = ledger.process(next).unwrap();
    assert!(results.iter().all(|r| *r == ProcessResult::Progress));
    check_invariants(&ledger);
}
