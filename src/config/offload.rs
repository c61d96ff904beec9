//! `[node.ipc.offload]`: which requests leave the async workers (see `api::offload`). Not a
//! nano-node section: nano-node runs every RPC on its own thread pool.

use serde::Deserialize;

use crate::api::OffloadLimits;

/// `[node.ipc.offload]`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OffloadConfig {
    /// Bytes: a larger request body is parsed and answered off the async workers.
    pub large_body: u32,
    /// Entries: a request asking for more (count, offset, accounts or hashes) is a costly read.
    pub large_count: u64,
    /// Costly reads running at once, node-wide; 0 = half the cores, at least one.
    pub heavy_slots: u32,
}

impl Default for OffloadConfig {
    fn default() -> Self {
        let d = OffloadLimits::default();
        OffloadConfig {
            large_body: d.large_body as u32,
            large_count: d.large_count,
            heavy_slots: d.heavy_slots as u32,
        }
    }
}

impl OffloadConfig {
    /// The limits the request core applies.
    pub fn limits(&self) -> OffloadLimits {
        OffloadLimits {
            large_body: self.large_body as usize,
            large_count: self.large_count,
            heavy_slots: self.heavy_slots as usize,
        }
    }

    /// Appends the commented section to the default configuration text.
    pub(super) fn render(&self, text: &mut String, key: fn(&mut String, &str, &str, &str, String)) {
        text.push_str("[node.ipc.offload]\n\n");
        key(
            text,
            "Requests with a body larger than this many bytes are parsed and answered on the blocking\n\
             pool, never on the async workers that serve every connection.",
            "uint32",
            "large_body",
            self.large_body.to_string(),
        );
        key(
            text,
            "A read asking for more entries than this (count, offset, accounts or hashes) is costly:\n\
             it runs on the blocking pool behind one of the heavy slots. Smaller reads answer inline.",
            "uint64",
            "large_count",
            self.large_count.to_string(),
        );
        key(
            text,
            "Costly reads running at once, node-wide (one per connection at most); 0 picks half the\n\
             cores, at least one, so the async workers keep a core for cheap requests.",
            "uint32",
            "heavy_slots",
            self.heavy_slots.to_string(),
        );
    }
}
