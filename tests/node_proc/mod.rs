//! The real `nanoipc node` binary as a child process, for attack tests that need what only the
//! binary has (its log writer, its start-up sweep), plus a std-only IsAlive probe.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Lines, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::Duration;

/// Safety net for a probe's answer, never a synchronisation device.
pub const SAFETY: Duration = Duration::from_secs(20);

/// A node child with TCP on 127.0.0.1 (a picked port) and a Unix socket in its data path.
pub struct NodeProc {
    pub child: Child,
    /// The rest of the node's stderr after its "listening" lines; a test may read it, leave
    /// it unread (the pipe stays open either way), or take it to a reader thread.
    pub stderr: Option<Lines<BufReader<ChildStderr>>>,
    pub tcp: SocketAddr,
    pub socket: PathBuf,
    /// The log lines up to and including the "listening" ones.
    pub startup: Vec<String>,
}

/// Writes the data path's config: both transports, TCP on 127.0.0.1 only.
pub fn write_config(data_path: &Path) -> PathBuf {
    let socket = data_path.join("node.sock");
    std::fs::write(
        data_path.join("config-node.toml"),
        format!(
            "[node.ipc.local]\npath = \"{}\"\n[node.ipc.tcp]\nenable = true\nport = 0\naddress = \"127.0.0.1\"\n",
            socket.display()
        ),
    )
    .unwrap();
    socket
}

impl NodeProc {
    /// Starts `nanoipc node` on `data_path` with `RUST_LOG=log` and returns once both
    /// transports listen (read from its log).
    pub fn start(data_path: &Path, log: &str) -> NodeProc {
        Self::start_with(data_path, log, None)
    }

    /// [`NodeProc::start`] under a file-descriptor limit of `nofile` (soft and hard, set by the
    /// shell that then becomes the node), when given.
    pub fn start_with(data_path: &Path, log: &str, nofile: Option<u32>) -> NodeProc {
        let socket = write_config(data_path);
        let mut command = match nofile {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                    .arg(env!("CARGO_BIN_EXE_nanoipc"));
                c
            }
            None => Command::new(env!("CARGO_BIN_EXE_nanoipc")),
        };
        let mut child = command
            .args(["node", "--data-path"])
            .arg(data_path)
            .env("RUST_LOG", log)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut tcp = None;
        let mut startup = Vec::new();
        for line in stderr.by_ref() {
            let line = line.unwrap();
            startup.push(line.clone());
            if line.contains("ipc tcp listening") {
                let addr = line.rsplit("addr=").next().unwrap().trim();
                tcp = Some(addr.parse().unwrap());
            }
            if line.contains("ipc local socket listening") {
                break;
            }
        }
        NodeProc {
            child,
            stderr: Some(stderr),
            tcp: tcp.expect("the node logged its tcp address"),
            socket,
            startup,
        }
    }

    /// Collects the log on a thread from now until the node exits.
    pub fn read_log(&mut self) -> std::thread::JoinHandle<Vec<String>> {
        let stderr = self.stderr.take().expect("the log is read once");
        std::thread::spawn(move || stderr.map(Result::unwrap).collect())
    }

    /// SIGTERM (a clean stop, which flushes the log), then waits for the exit.
    pub fn terminate(
        mut self,
    ) -> (
        std::process::ExitStatus,
        Option<Lines<BufReader<ChildStderr>>>,
    ) {
        let pid = i32::try_from(self.child.id()).unwrap();
        // SAFETY: plain kill(2) on our own child's pid.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        let status = self.child.wait().unwrap();
        (status, self.stderr)
    }
}

/// A request frame: 'N', encoding, 0, 0, be32 length, payload.
pub fn frame(encoding: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![b'N', encoding, 0, 0];
    v.extend_from_slice(&u32::try_from(payload.len()).unwrap().to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// Sends `{"action":"block_count"}` (encoding 1) on a fresh TCP connection and returns the
/// answer text, failing the test if none comes within [`SAFETY`].
pub fn probe_block_count(tcp: SocketAddr) -> String {
    probe(tcp, &frame(1, br#"{"action":"block_count"}"#))
}

/// Sends an `IsAlive` (encoding 4, the v2 JSON envelope) on a fresh TCP connection and returns
/// the answer text, failing the test if none comes within [`SAFETY`].
pub fn probe_is_alive(tcp: SocketAddr) -> String {
    probe(
        tcp,
        &frame(4, br#"{"message_type":"IsAlive","message":{}}"#),
    )
}

fn probe(tcp: SocketAddr, request: &[u8]) -> String {
    let mut s = TcpStream::connect_timeout(&tcp, SAFETY).unwrap();
    s.set_read_timeout(Some(SAFETY)).unwrap();
    s.set_write_timeout(Some(SAFETY)).unwrap();
    s.write_all(request).unwrap();
    let mut len = [0u8; 4];
    s.read_exact(&mut len)
        .expect("an answer within the safety limit");
    let mut body = vec![0u8; usize::try_from(u32::from_be_bytes(len)).unwrap()];
    s.read_exact(&mut body).unwrap();
    String::from_utf8(body).unwrap()
}

/// Connects and closes with an RST (SO_LINGER 0) without sending anything.
pub fn connect_and_reset(tcp: SocketAddr) {
    let s = TcpStream::connect_timeout(&tcp, SAFETY).unwrap();
    reset(s);
}

/// Closes `s` with an RST instead of a FIN.
pub fn reset(s: TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: setsockopt on a socket we own, with a correctly sized `linger` value.
    let rc = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::addr_of!(linger).cast(),
            libc::socklen_t::try_from(std::mem::size_of::<libc::linger>()).unwrap(),
        )
    };
    assert_eq!(rc, 0);
    drop(s);
}
