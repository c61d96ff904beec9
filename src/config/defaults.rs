//! The commented default `config-node.toml` printed by `nanoipc config --default`. Values come from
//! the `Default` impls, so the text cannot drift from the code; a test parses it back.

use std::fmt::Write;

use super::NodeConfig;

/// The whole default configuration, every key commented, as valid TOML.
pub fn render_default() -> String {
    render(&NodeConfig::default())
}

/// Render `config` in the same commented layout.
pub fn render(config: &NodeConfig) -> String {
    let node = &config.node;
    let ipc = &node.ipc;
    let q = |s: &str| toml_string(s);

    let mut text = String::from(
        "# nanoipc node configuration (config-node.toml), read from the data path.\n\
         # A missing file means these defaults; unknown keys are errors.\n\n[node]\n\n",
    );
    key(
        &mut text,
        "Network whose constants (genesis block, work thresholds) the ledger uses: dev, beta or live (a ledger can be created for dev and live; beta has no bundled genesis block).",
        "string",
        "network",
        q(node.network.name()),
    );
    text.push_str("[node.ipc]\n\n");
    key(
        &mut text,
        "Largest request payload in bytes. A longer request gets a \"too large\" answer in its\n\
         encoding, then the connection closes. Checked before any memory is reserved.",
        "uint32",
        "max_request_size",
        ipc.max_request_size.to_string(),
    );
    key(
        &mut text,
        "Most simultaneous IPC connections over all transports. At the cap a new client is admitted by\n\
         closing the longest-idle session (one with no answer in progress); with none idle it waits\n\
         in the accept queue. Lowered at start-up (with a log line) to what the file-descriptor\n\
         limit allows, after raising the soft limit to the hard one.",
        "uint32",
        "max_connections",
        ipc.max_connections.to_string(),
    );
    key(
        &mut text,
        "Seconds a connection may stay idle between requests. 0 keeps idle connections open, as nano-node does.",
        "seconds",
        "idle_timeout",
        ipc.idle_timeout.to_string(),
    );
    key(
        &mut text,
        "Seconds to wait on SIGINT/SIGTERM or `stop` for in-flight answers before closing anyway.",
        "seconds",
        "shutdown_timeout",
        ipc.shutdown_timeout.to_string(),
    );

    text.push_str("[node.ipc.local]\n\n");
    let l = &ipc.local;
    key(
        &mut text,
        "Enable or disable IPC via local domain socket.",
        "bool",
        "enable",
        l.enable.to_string(),
    );
    key(
        &mut text,
        "If enabled, requests in encoding 2 carry nano-node's \"unsafe\" flag, which only wallet actions\n\
         consult (this node serves none). Control actions such as `stop` run over IPC regardless, as\n\
         in nano-node: the socket's permissions are the trust boundary.",
        "bool",
        "allow_unsafe",
        l.allow_unsafe.to_string(),
    );
    key(
        &mut text,
        "Timeout for reading a started request and for writing its answer.",
        "seconds",
        "io_timeout",
        l.io_timeout.to_string(),
    );
    key(
        &mut text,
        "Path to the local domain socket. A stale socket left by a dead node is replaced;\n\
         a live node on the path is an error.",
        "string",
        "path",
        q(&l.path.to_string_lossy()),
    );
    key(
        &mut text,
        "File mode of the socket, octal. \"0660\" lets the owner and the owner's group connect.",
        "string",
        "permissions",
        q(&l.permissions),
    );

    text.push_str("[node.ipc.tcp]\n\n");
    let t = &ipc.tcp;
    key(
        &mut text,
        "Enable or disable IPC via TCP server.",
        "bool",
        "enable",
        t.enable.to_string(),
    );
    key(
        &mut text,
        "If enabled, requests in encoding 2 carry nano-node's \"unsafe\" flag, which only wallet actions\n\
         consult (this node serves none). Control actions such as `stop` run over IPC regardless, as\n\
         in nano-node: the socket's permissions are the trust boundary.",
        "bool",
        "allow_unsafe",
        t.allow_unsafe.to_string(),
    );
    key(
        &mut text,
        "Timeout for reading a started request and for writing its answer.",
        "seconds",
        "io_timeout",
        t.io_timeout.to_string(),
    );
    key(
        &mut text,
        "Server listening port.",
        "uint16",
        "port",
        t.port.to_string(),
    );
    let address_doc = "The one address to listen on (\"::\" or \"0.0.0.0\" only behind a firewall).\n\
         Unset (the default): both loopbacks, 127.0.0.1 and [::1], on `port`, as nano-node listens\n\
         dual-stack (some IPC clients connect over IPv6 only). A loopback the host lacks is skipped\n\
         with a warning; with port 0 both share one picked port.";
    match t.address {
        Some(a) => key(
            &mut text,
            address_doc,
            "string",
            "address",
            q(&a.to_string()),
        ),
        None => {
            // Unset is the default; printed commented out so the text parses back to it.
            key(&mut text, address_doc, "string", "#address", q("::1"));
        }
    }
    text.push_str("[node.ipc.flatbuffers]\n\n");
    let f = &ipc.flatbuffers;
    key(
        &mut text,
        "Encoding 4: ignore JSON fields the schema does not know instead of failing the request.",
        "bool",
        "skip_unexpected_fields_in_json",
        f.skip_unexpected_fields_in_json.to_string(),
    );
    key(
        &mut text,
        "Encoding 3: verify FlatBuffers requests before reading them. Requests are always verified\n(reading an unverified buffer is unsound); false is accepted for nano-node compatibility, with a warning.",
        "bool",
        "verify_buffers",
        f.verify_buffers.to_string(),
    );
    render_budgets(&mut text, &ipc.budgets);
    ipc.offload.render(&mut text, key);
    text.truncate(text.trim_end().len());
    text.push('\n');
    text
}

/// `[node.ipc.budgets]`.
fn render_budgets(text: &mut String, b: &super::BudgetsConfig) {
    text.push_str("[node.ipc.budgets]\n\n");
    key(
        text,
        &format!(
            "Bytes all sessions together may hold in partly received requests, beyond the first\n\
             {} KiB each session always may (so small requests never wait). Past it a large request\n\
             waits for room; if its io_timeout runs out meanwhile it is answered \"Node overloaded\"\n\
             and the connection closes. At least max_request_size.",
            super::FREE_REQUEST_BYTES / 1024
        ),
        "uint64",
        "max_pending_request_bytes",
        b.max_pending_request_bytes.to_string(),
    );
    key(
        text,
        "Requests running off the async workers at once (block submission, proof-of-work, ...) over\n\
         all sessions; past it such a request is answered \"Node overloaded\" at once.",
        "uint32",
        "max_requests_in_flight",
        b.max_requests_in_flight.to_string(),
    );
    key(
        text,
        "Most TCP connections from one IP address; 0: no cap (on the loopback-only default every\n\
         client shares one address).",
        "uint32",
        "max_connections_per_ip",
        b.max_connections_per_ip.to_string(),
    );
    key(
        text,
        "Most Unix-socket connections from one user id; 0: no cap (local clients usually run as\n\
         the node's own user).",
        "uint32",
        "max_connections_per_uid",
        b.max_connections_per_uid.to_string(),
    );
    key(
        text,
        "Malformed or refused requests a session may make; the next one is answered \"Too many\n\
         errors\" and the connection closes. 0: no budget.",
        "uint32",
        "error_budget",
        b.error_budget.to_string(),
    );
    key(
        text,
        "Unwritten answer bytes at which a session stops reading requests until its client reads\n\
         (paused rather than buffered for); a paused client that reads nothing for io_timeout is\n\
         disconnected.",
        "uint32",
        "max_unwritten_bytes",
        b.max_unwritten_bytes.to_string(),
    );
}

/// Append one commented `name = value` line (`#name` prints the key commented out: an optional
/// key whose default is to be unset).
fn key(out: &mut String, comment: &str, kind: &str, name: &str, value: String) {
    for line in comment.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "# type:{kind}");
    let _ = writeln!(out, "{name} = {value}\n");
}

/// A TOML basic string with the characters TOML requires escaped.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
