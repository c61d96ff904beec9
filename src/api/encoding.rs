//! The four payload encodings of nano-node's IPC preamble. They belong to the request core (which
//! routes on them) rather than to a transport: the IPC framing reads the byte, the HTTP gateway
//! picks the encoding from the route.

/// The payload encodings a request may announce in its preamble's second byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Encoding {
    /// 1: legacy RPC 1.0 JSON (`{"action": …}`).
    JsonV1 = 1,
    /// 2: legacy RPC 1.0 JSON that may run unsafe (control) actions if the transport allows them.
    JsonV1Unsafe = 2,
    /// 3: a FlatBuffers `Envelope`.
    Flatbuffers = 3,
    /// 4: the JSON form of a FlatBuffers `Envelope`.
    FlatbuffersJson = 4,
}

impl Encoding {
    /// All encodings, in wire order.
    pub const ALL: [Encoding; 4] = [
        Encoding::JsonV1,
        Encoding::JsonV1Unsafe,
        Encoding::Flatbuffers,
        Encoding::FlatbuffersJson,
    ];

    /// The encoding named by a preamble byte, if any.
    pub fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            1 => Some(Encoding::JsonV1),
            2 => Some(Encoding::JsonV1Unsafe),
            3 => Some(Encoding::Flatbuffers),
            4 => Some(Encoding::FlatbuffersJson),
            _ => None,
        }
    }

    /// The preamble byte for this encoding.
    pub fn as_byte(self) -> u8 {
        self as u8
    }

    /// Whether the payload is legacy RPC 1.0 JSON (encodings 1 and 2).
    pub fn is_legacy(self) -> bool {
        matches!(self, Encoding::JsonV1 | Encoding::JsonV1Unsafe)
    }
}
