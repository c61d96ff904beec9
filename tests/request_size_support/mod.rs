//! What the request-size attack test (`tests/attack_request_size.rs`) and its benchmark
//! (`benches/request_size.rs`) share: the real `nanoipc node` binary as a child process on temp
//! paths, its peak RSS and CPU time read from `/proc`, and the oversized requests of issue 8 in
//! each encoding.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Lines};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};

use nanoipc::ipc::Encoding;
use nanoipc::schema::{
    finish_envelope_buffer, Blocks, BlocksArgs, Envelope, EnvelopeArgs, Message,
};

/// The body size the issue measures: 32 MiB, the default `max_request_size`, less a little so
/// that the framing's limit is not what answers.
pub const BODY: usize = 32 * 1024 * 1024 - 64;

/// A node child process on a fresh data path, killed when dropped.
pub struct NodeProcess {
    child: Child,
    /// Kept open: a closed pipe would make the node's later log lines fail.
    _stderr: Lines<BufReader<ChildStderr>>,
    _dir: tempfile::TempDir,
    pub socket: PathBuf,
}

impl NodeProcess {
    /// Starts `binary` (`node --data-path <temp>`, the local socket only) and returns once it
    /// listens.
    pub fn start(binary: &Path) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let socket = dir.path().join("node.sock");
        std::fs::write(
            dir.path().join("config-node.toml"),
            format!("[node.ipc.local]\npath = \"{}\"\n", socket.display()),
        )
        .expect("config file");
        let mut child = Command::new(binary)
            .args(["node", "--data-path"])
            .arg(dir.path())
            .env("RUST_LOG", "info")
            .stderr(Stdio::piped())
            .spawn()
            .expect("node starts");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let listening = lines.by_ref().any(|line| {
            line.map(|l| l.contains("ipc local socket listening"))
                .unwrap_or(false)
        });
        assert!(listening, "the node exited before listening");
        NodeProcess {
            child,
            _stderr: lines,
            _dir: dir,
            socket,
        }
    }

    /// The node's peak resident set so far (`VmHWM`), in bytes.
    pub fn peak_rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .expect("VmHWM")
            * 1024
    }

    /// The node's CPU time so far (user + system), in clock ticks (`/proc/<pid>/stat` fields 14
    /// and 15, counted after the parenthesised command name).
    pub fn cpu_ticks(&self) -> u64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).expect("/proc stat");
        let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
        let tick = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        tick(11) + tick(12)
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Clock ticks per second as the kernel reports CPU times (`getconf CLK_TCK`; 100 on Linux).
pub fn ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// `prefix` followed by `item,` repeated and then `last` and `suffix`, `size` bytes in all (the
/// repeated part padded with spaces to fit exactly).
fn filled(prefix: &str, item: &str, last: &str, suffix: &str, size: usize) -> Vec<u8> {
    let fixed = prefix.len() + last.len() + suffix.len();
    let room = size.saturating_sub(fixed);
    let step = item.len() + 1;
    let mut body = Vec::with_capacity(size);
    body.extend_from_slice(prefix.as_bytes());
    for _ in 0..room / step {
        body.extend_from_slice(item.as_bytes());
        body.push(b',');
    }
    body.resize(body.len() + room % step, b' ');
    body.extend_from_slice(last.as_bytes());
    body.extend_from_slice(suffix.as_bytes());
    body
}

/// One oversized request and how its answer must start.
pub struct Attack {
    pub name: &'static str,
    pub encoding: Encoding,
    pub body: Vec<u8>,
    /// A fragment the answer must contain (its precise error or answer).
    pub expect: &'static str,
}

/// Encoding 1: a served action with a 32 MiB array under a key it does not read.
pub fn legacy_unread_array() -> Attack {
    Attack {
        name: "enc 1: block_count + unread [1,1,…]",
        encoding: Encoding::JsonV1,
        body: filled(r#"{"action":"block_count","a":["#, "1", "1", "]}", BODY),
        expect: "\"count\": \"1\"",
    }
}

/// Encoding 1: an unknown action with the same array.
pub fn legacy_unknown_action() -> Attack {
    Attack {
        name: "enc 1: unknown action + [1,1,…]",
        encoding: Encoding::JsonV1,
        body: filled(r#"{"action":"no_such_action","a":["#, "1", "1", "]}", BODY),
        expect: "Unknown command",
    }
}

/// Encoding 1: an action that reads the array (`blocks` with a list of bad hashes).
pub fn legacy_read_array() -> Attack {
    Attack {
        name: "enc 1: blocks + hashes [1,1,…]",
        encoding: Encoding::JsonV1,
        body: filled(r#"{"action":"blocks","hashes":["#, "1", "1", "]}", BODY),
        expect: "Request too large once parsed",
    }
}

/// Encoding 4: `IsAlive` whose message holds a 32 MiB array under a field the schema lacks
/// (skipped, as nano-node's `skip_unexpected_fields_in_json`).
pub fn json_unknown_field() -> Attack {
    Attack {
        name: "enc 4: IsAlive + unknown field [1,1,…]",
        encoding: Encoding::FlatbuffersJson,
        body: filled(
            r#"{"message_type":"IsAlive","message":{"junk":["#,
            "1",
            "1",
            "]}}",
            BODY,
        ),
        expect: "IsAlive",
    }
}

/// A JSON `Blocks` envelope of `size` bytes holding one-character hashes.
fn blocks_json(size: usize) -> Vec<u8> {
    filled(
        r#"{"message_type":"Blocks","message":{"hashes":["#,
        "\"1\"",
        "\"1\"",
        "]}}",
        size,
    )
}

/// Encoding 4: `Blocks` with 32 MiB of one-character hashes (a huge vector the reader builds).
pub fn json_huge_vector() -> Attack {
    Attack {
        name: "enc 4: Blocks + hashes [\"1\",…]",
        encoding: Encoding::FlatbuffersJson,
        body: blocks_json(BODY),
        expect: "request too large once built",
    }
}

/// Encoding 3: `Blocks` with one-character hashes as a FlatBuffers envelope of just under 32 MiB
/// (each hash is a 12-byte string and offset). Verified in place by the node, then served.
pub fn binary_huge_vector() -> Attack {
    let mut fbb = flatbuffers::FlatBufferBuilder::new();
    let hashes: Vec<_> = (0..BODY / 12 - 1024)
        .map(|_| fbb.create_string("1"))
        .collect();
    let hashes = fbb.create_vector(&hashes);
    let blocks = Blocks::create(
        &mut fbb,
        &BlocksArgs {
            hashes: Some(hashes),
            ..Default::default()
        },
    );
    let root = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            message_type: Message::Blocks,
            message: Some(blocks.as_union_value()),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, root);
    Attack {
        name: "enc 3: Blocks + hashes [\"1\",…]",
        encoding: Encoding::Flatbuffers,
        body: fbb.finished_data().to_vec(),
        expect: "Block not found",
    }
}

/// `prefix`, then `[` nested as deep as fits in `size` bytes with `1` inside, then `suffix`.
fn nested(prefix: &str, suffix: &str, size: usize) -> Vec<u8> {
    let depth = (size - prefix.len() - suffix.len() - 1) / 2;
    let mut body = Vec::with_capacity(size);
    body.extend_from_slice(prefix.as_bytes());
    body.resize(body.len() + depth, b'[');
    body.push(b'1');
    body.resize(body.len() + depth, b']');
    body.extend_from_slice(suffix.as_bytes());
    body
}

/// Encoding 1: 16 million nested arrays under a key the action does not read.
pub fn legacy_deep_nesting() -> Attack {
    Attack {
        name: "enc 1: block_count + [[[…1…]]]",
        encoding: Encoding::JsonV1,
        body: nested(r#"{"action":"block_count","a":"#, "}", BODY),
        expect: "Unable to parse JSON",
    }
}

/// Encoding 4: 16 million nested arrays under a field the schema lacks: skipped like any unknown
/// field (serde_json skips nesting with one byte of state per level, no recursion).
pub fn json_deep_nesting() -> Attack {
    Attack {
        name: "enc 4: IsAlive + unknown [[[…1…]]]",
        encoding: Encoding::FlatbuffersJson,
        body: nested(
            r#"{"message_type":"IsAlive","message":{"junk":"#,
            "}}",
            BODY,
        ),
        expect: "\"message_type\":\"IsAlive\"",
    }
}
