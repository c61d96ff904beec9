//! `config-node.toml`: the node's configuration model, in nano-node's key names where nano-node has
//! them (`[node.ipc.local]`, `[node.ipc.tcp]`, `[node.ipc.flatbuffers]`) plus our own limits.
//! Read once at start-up by `nanoipc node`; the IPC server takes [`IpcConfig`].
//!
//! A missing file means defaults. Unknown keys and bad values are errors naming the key and the file
//! (serde `deny_unknown_fields` plus [`NodeConfig::validate`]). `nanoipc config --default` prints
//! [`defaults::render_default`], which a test proves parses back to `NodeConfig::default()`.

mod budgets;
pub mod defaults;
mod offload;

pub use offload::OffloadConfig;

pub use budgets::{BudgetsConfig, FREE_REQUEST_BYTES};

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use crate::ledger::primitives::Network;
use serde::Deserialize;

/// The file name inside the data path.
pub const CONFIG_FILE_NAME: &str = "config-node.toml";
/// The data path used when `--data-path` is not given, relative to `$HOME`.
pub const DEFAULT_DATA_DIR: &str = ".nanoipc";

/// The default data path: `$HOME/.nanoipc` (or `./.nanoipc` when `HOME` is unset).
pub fn default_data_path() -> PathBuf {
    match std::env::var_os("HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home).join(DEFAULT_DATA_DIR),
        _ => PathBuf::from(DEFAULT_DATA_DIR),
    }
}

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: cannot read: {source}")]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}: key `{key}`: {message}")]
    Invalid {
        file: PathBuf,
        key: String,
        message: String,
    },
}

/// The whole `config-node.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodeConfig {
    pub node: NodeSection,
}

/// `[node]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodeSection {
    /// Which network's constants (genesis, work thresholds) the ledger uses.
    #[serde(deserialize_with = "network_from_str")]
    pub network: Network,
    pub ipc: IpcConfig,
}

/// Reads `network` through the ledger's own parser, so the config accepts exactly the networks the
/// ledger knows and a bad value is an error naming the key and the file.
fn network_from_str<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Network, D::Error> {
    let text = <std::borrow::Cow<'de, str> as Deserialize>::deserialize(d)?;
    text.parse().map_err(serde::de::Error::custom)
}

/// `[node.ipc]`: both transports plus limits shared by every session.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IpcConfig {
    pub local: LocalConfig,
    pub tcp: TcpConfig,
    pub flatbuffers: FlatbuffersConfig,
    /// Node-wide and per-session budgets (`[node.ipc.budgets]`).
    pub budgets: BudgetsConfig,
    /// `[node.ipc.offload]`: which requests leave the async workers.
    pub offload: OffloadConfig,
    /// Largest payload (bytes) a request may announce; larger ones are answered "too large" and the
    /// connection closes. Checked before any memory is reserved.
    pub max_request_size: u32,
    /// Most simultaneous connections over all transports. At the cap a new client is admitted by
    /// closing the longest-idle session (one with no answer in progress); capped at start-up to
    /// what the file-descriptor limit allows.
    pub max_connections: u32,
    /// Seconds a connection may stay idle between requests; 0 keeps it open (as nano-node does).
    pub idle_timeout: u64,
    /// Seconds the node waits for in-flight answers after a stop before abandoning them.
    pub shutdown_timeout: u64,
}

impl Default for IpcConfig {
    fn default() -> Self {
        IpcConfig {
            local: LocalConfig::default(),
            tcp: TcpConfig::default(),
            flatbuffers: FlatbuffersConfig::default(),
            budgets: BudgetsConfig::default(),
            offload: OffloadConfig::default(),
            max_request_size: 32 * 1024 * 1024,
            max_connections: 16_384,
            idle_timeout: 0,
            shutdown_timeout: 5,
        }
    }
}

/// `[node.ipc.local]`: the Unix domain socket.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LocalConfig {
    pub enable: bool,
    /// Lets encoding 2 run control (unsafe) actions on this transport.
    pub allow_unsafe: bool,
    /// Seconds allowed for reading a started request and for writing an answer.
    pub io_timeout: u64,
    pub path: PathBuf,
    /// File mode of the socket, as an octal string (`"0660"`: owner and group may connect).
    pub permissions: String,
}

impl Default for LocalConfig {
    fn default() -> Self {
        LocalConfig {
            enable: true,
            allow_unsafe: false,
            io_timeout: 15,
            path: PathBuf::from("/tmp/nano"),
            permissions: "0660".to_owned(),
        }
    }
}

impl LocalConfig {
    /// The socket file mode. Valid after [`NodeConfig::validate`].
    pub fn mode(&self) -> Option<u32> {
        parse_mode(&self.permissions)
    }
}

/// `[node.ipc.tcp]`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TcpConfig {
    pub enable: bool,
    pub allow_unsafe: bool,
    pub io_timeout: u64,
    pub port: u16,
    /// The one address to listen on. Unset (the default): both loopbacks, `127.0.0.1` and
    /// `::1`, on `port` — nano-node listens dual-stack, and some clients (the Python IPC client
    /// nano-node's documentation names) connect over IPv6 only. See [`TcpConfig::addresses`].
    pub address: Option<IpAddr>,
}

impl Default for TcpConfig {
    fn default() -> Self {
        TcpConfig {
            enable: false,
            allow_unsafe: false,
            io_timeout: 15,
            port: 7077,
            address: None,
        }
    }
}

/// The addresses the TCP transport listens on when `address` is not set.
pub const DEFAULT_TCP_ADDRESSES: [IpAddr; 2] = [
    IpAddr::V4(Ipv4Addr::LOCALHOST),
    IpAddr::V6(Ipv6Addr::LOCALHOST),
];

impl TcpConfig {
    /// Where to listen: exactly `address` when set, otherwise [`DEFAULT_TCP_ADDRESSES`] (IPv4
    /// first: with port 0 it picks the port the IPv6 loopback then shares).
    pub fn addresses(&self) -> Vec<IpAddr> {
        match self.address {
            Some(a) => vec![a],
            None => DEFAULT_TCP_ADDRESSES.to_vec(),
        }
    }

    /// True when the loopback default is in use (each loopback may be missing on the host).
    pub fn is_default_address(&self) -> bool {
        self.address.is_none()
    }
}

/// `[node.ipc.flatbuffers]`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FlatbuffersConfig {
    /// Encoding 4: ignore JSON fields the schema does not know instead of failing.
    pub skip_unexpected_fields_in_json: bool,
    /// Encoding 3: verify every buffer before reading it.
    pub verify_buffers: bool,
}

impl Default for FlatbuffersConfig {
    fn default() -> Self {
        FlatbuffersConfig {
            skip_unexpected_fields_in_json: true,
            verify_buffers: true,
        }
    }
}

impl NodeConfig {
    /// Load `config-node.toml` from `data_path`; a missing file means defaults.
    pub fn load_from_dir(data_path: &Path) -> Result<Self, ConfigError> {
        Self::load_file(&data_path.join(CONFIG_FILE_NAME))
    }

    /// Load a config file; a missing file means defaults.
    pub fn load_file(file: &Path) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(file) {
            Ok(text) => Self::parse(&text, file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(ConfigError::Read {
                file: file.to_owned(),
                source,
            }),
        }
    }

    /// Parse and validate config text; `file` is only used in error messages.
    pub fn parse(text: &str, file: &Path) -> Result<Self, ConfigError> {
        let config: NodeConfig = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            file: file.to_owned(),
            key: e
                .span()
                .map(|span| key_at(text, span.start))
                .unwrap_or_else(|| "?".to_owned()),
            message: e.message().to_owned(),
        })?;
        config.validate(file)?;
        Ok(config)
    }

    /// Range checks serde cannot express.
    pub fn validate(&self, file: &Path) -> Result<(), ConfigError> {
        let bad = |key: &str, message: &str| ConfigError::Invalid {
            file: file.to_owned(),
            key: key.to_owned(),
            message: message.to_owned(),
        };
        let ipc = &self.node.ipc;
        if ipc.local.io_timeout == 0 {
            return Err(bad(
                "node.ipc.local.io_timeout",
                "must be at least 1 second",
            ));
        }
        if ipc.tcp.io_timeout == 0 {
            return Err(bad("node.ipc.tcp.io_timeout", "must be at least 1 second"));
        }
        if ipc.local.mode().is_none() {
            return Err(bad(
                "node.ipc.local.permissions",
                "must be an octal file mode between \"0000\" and \"0777\", e.g. \"0660\"",
            ));
        }
        if ipc.local.enable && ipc.local.path.as_os_str().is_empty() {
            return Err(bad("node.ipc.local.path", "must not be empty"));
        }
        if ipc.max_request_size == 0 || ipc.max_request_size > MAX_REQUEST_SIZE_LIMIT {
            return Err(bad(
                "node.ipc.max_request_size",
                "must be between 1 byte and 1 GiB (1073741824): a FlatBuffers buffer cannot exceed 2 GiB",
            ));
        }
        if ipc.max_connections == 0 {
            return Err(bad("node.ipc.max_connections", "must be at least 1"));
        }
        if ipc.budgets.max_pending_request_bytes < u64::from(ipc.max_request_size) {
            return Err(bad(
                "node.ipc.budgets.max_pending_request_bytes",
                "must be at least node.ipc.max_request_size, so a request of the largest size can complete",
            ));
        }
        if ipc.budgets.max_requests_in_flight == 0 {
            return Err(bad(
                "node.ipc.budgets.max_requests_in_flight",
                "must be at least 1",
            ));
        }
        if ipc.budgets.max_unwritten_bytes == 0 {
            return Err(bad(
                "node.ipc.budgets.max_unwritten_bytes",
                "must be at least 1 byte",
            ));
        }
        Ok(())
    }
}

/// The largest `max_request_size` accepted: FlatBuffers buffers cannot exceed 2 GiB, and a JSON
/// request turns into a buffer of about its own size.
pub const MAX_REQUEST_SIZE_LIMIT: u32 = 1 << 30;

/// Parse an octal mode string such as `"0660"` or `"660"`.
fn parse_mode(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return None;
    }
    u32::from_str_radix(text, 8).ok().filter(|m| *m <= 0o777)
}

/// The dotted key path at byte `offset` of a TOML text: the last `[table]` header before the offset
/// plus the key on the offending line. Used to name the key in error messages.
fn key_at(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text
        .get(line_start..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| line_start + i);
    let line = text.get(line_start..line_end).unwrap_or("").trim();
    let table = before
        .get(..line_start)
        .unwrap_or("")
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']'))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_owned());
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_owned());
    match (table, key) {
        (Some(t), Some(k)) => format!("{t}.{k}"),
        (None, Some(k)) => k,
        (_, None) if line.starts_with('[') => line
            .trim_matches(|c| c == '[' || c == ']')
            .trim()
            .to_owned(),
        (Some(t), None) => t,
        (None, None) => line.to_owned(),
    }
}

#[cfg(test)]
mod tests;
