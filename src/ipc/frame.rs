//! IPC framing: the 4-byte preamble (`'N'`, encoding, two reserved zero bytes), the be32 payload length
//! and the payload, as nano-node defines it. This is the first stage of the request path
//! (socket → **frame** → handler seam → response framing → socket).
//!
//! The decoder is a pure [`tokio_util::codec::Decoder`] over a `BytesMut`: it does no I/O, so it can be
//! unit-tested and fuzzed on raw bytes. It checks each preamble byte as soon as it arrives (a client
//! speaking another protocol is refused at its first byte instead of after eight), and it refuses a
//! claimed length above the configured maximum *before* reserving anything, so a client cannot make
//! the server allocate memory it merely announces.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio_util::codec::Decoder;

/// The first byte of every request preamble.
pub const PREAMBLE_LEAD: u8 = b'N';
/// Preamble (4 bytes) plus the be32 payload length (4 bytes).
pub const HEADER_LEN: usize = 8;
/// The most the decoders reserve ahead of bytes that have actually arrived.
pub const RESERVE_STEP: usize = 64 * 1024;
/// A response is a be32 length followed by the payload; no preamble.
pub const RESPONSE_HEADER_LEN: usize = 4;

pub use crate::api::Encoding;

/// One complete request: its encoding and its payload (without preamble or length).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub encoding: Encoding,
    pub payload: Bytes,
}

/// Why a byte stream is not a valid sequence of request frames.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The first preamble byte is not `'N'`.
    #[error("bad preamble: lead byte 0x{0:02x}, expected 0x4e ('N')")]
    BadLead(u8),
    /// The encoding byte is not 1..=4.
    #[error("bad preamble: unknown encoding {0}")]
    UnknownEncoding(u8),
    /// A reserved byte (preamble offset 2 or 3) is not zero. Only the first non-zero one is named:
    /// the decoder refuses it as soon as it arrives, before the other may exist, so naming both
    /// would make the error depend on how the bytes were split across reads.
    #[error("bad preamble: reserved byte {offset} is 0x{byte:02x}, expected 0x00")]
    Reserved { offset: u8, byte: u8 },
    /// The announced payload length is above the configured maximum. Unlike the preamble errors the
    /// encoding is known, so the session can answer in it before closing.
    #[error("request of {len} bytes exceeds max_request_size ({max} bytes)")]
    TooLarge {
        encoding: Encoding,
        len: u32,
        max: u32,
    },
    /// Reading from the transport failed (required by the `Decoder` contract; never produced by
    /// the decoder itself).
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

impl FrameError {
    /// True for errors that mean the peer does not speak this protocol (close without an answer).
    pub fn is_bad_preamble(&self) -> bool {
        matches!(
            self,
            FrameError::BadLead(_) | FrameError::UnknownEncoding(_) | FrameError::Reserved { .. }
        )
    }
}

/// Decodes request frames. Holds the header of a frame whose payload is still arriving, so a
/// payload is never re-parsed or re-checked as more bytes come in.
#[derive(Debug)]
pub struct FrameDecoder {
    max_request_size: u32,
    state: DecodeState,
}

#[derive(Debug, Clone, Copy)]
enum DecodeState {
    Header,
    Payload { encoding: Encoding, len: usize },
}

impl FrameDecoder {
    /// A decoder refusing payloads longer than `max_request_size` bytes.
    pub fn new(max_request_size: u32) -> Self {
        FrameDecoder {
            max_request_size,
            state: DecodeState::Header,
        }
    }

    /// Whether a frame has started but is not complete, given the unread bytes in `buf`. The session
    /// uses this to choose between the idle limit (between requests) and `io_timeout` (inside one).
    pub fn is_mid_frame(&self, buf: &BytesMut) -> bool {
        matches!(self.state, DecodeState::Payload { .. }) || !buf.is_empty()
    }

    /// The encoding of the frame whose payload is arriving, if one is: a session refusing it
    /// mid-way answers in it.
    pub fn encoding(&self) -> Option<Encoding> {
        match self.state {
            DecodeState::Payload { encoding, .. } => Some(encoding),
            DecodeState::Header => None,
        }
    }

    /// Payload bytes of the arriving frame that are not in `buf` yet; `None` between frames and
    /// inside a header. Lets a session read (and budget) no further than the frame's end.
    pub fn payload_missing(&self, buf: &BytesMut) -> Option<usize> {
        match self.state {
            DecodeState::Payload { len, .. } => Some(len.saturating_sub(buf.len())),
            DecodeState::Header => None,
        }
    }

    /// Validate the preamble bytes available so far (1 to 4 of them).
    fn check_preamble(buf: &[u8]) -> Result<Option<Encoding>, FrameError> {
        let Some(&lead) = buf.first() else {
            return Ok(None);
        };
        if lead != PREAMBLE_LEAD {
            return Err(FrameError::BadLead(lead));
        }
        let Some(&enc) = buf.get(1) else {
            return Ok(None);
        };
        let encoding = Encoding::from_byte(enc).ok_or(FrameError::UnknownEncoding(enc))?;
        // Each reserved byte is judged on its own, in order, so the error is the same whether the
        // second one has arrived yet or not.
        for offset in [2u8, 3] {
            match buf.get(usize::from(offset)) {
                None => return Ok(None),
                Some(0) => {}
                Some(&byte) => return Err(FrameError::Reserved { offset, byte }),
            }
        }
        Ok(Some(encoding))
    }
}

impl Decoder for FrameDecoder {
    type Item = Frame;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        if let DecodeState::Header = self.state {
            let Some(encoding) = Self::check_preamble(src)? else {
                return Ok(None);
            };
            let max = self.max_request_size;
            let Some(len) = take_length(src, HEADER_LEN, max)
                .map_err(|len| FrameError::TooLarge { encoding, len, max })?
            else {
                return Ok(None);
            };
            self.state = DecodeState::Payload { encoding, len };
        }
        let DecodeState::Payload { encoding, len } = self.state else {
            return Ok(None);
        };
        if src.len() < len {
            return Ok(None);
        }
        let payload = src.split_to(len).freeze();
        self.state = DecodeState::Header;
        Ok(Some(Frame { encoding, payload }))
    }
}

/// The length step both decoders share. `src` starts with a header of `header_len` bytes ending in
/// the be32 payload length. Returns `Ok(None)` while the header is incomplete, and `Err(len)` for a
/// length above `max` — checked before anything is reserved, so a claimed length costs nothing.
/// Otherwise consumes the header and reserves at most [`RESERVE_STEP`] bytes towards the payload:
/// the buffer grows as bytes really arrive, so many clients announcing large payloads and sending
/// nothing cost nothing.
fn take_length(src: &mut BytesMut, header_len: usize, max: u32) -> Result<Option<usize>, u32> {
    let start = header_len.saturating_sub(4);
    let Some(&[b0, b1, b2, b3]) = src.get(start..header_len) else {
        return Ok(None);
    };
    let len = u32::from_be_bytes([b0, b1, b2, b3]);
    if len > max {
        return Err(len);
    }
    // u32 → usize cannot fail on the 32/64-bit targets tokio supports; refuse otherwise.
    let len_usize = usize::try_from(len).map_err(|_| len)?;
    src.advance(header_len);
    src.reserve(len_usize.saturating_sub(src.len()).min(RESERVE_STEP));
    Ok(Some(len_usize))
}

/// Append a complete request frame (preamble, be32 length, payload) to `dst`. Used by the client and
/// the tests; the server never sends preambles.
///
/// Fails if the payload is longer than a be32 length can say.
pub fn encode_request(
    encoding: Encoding,
    payload: &[u8],
    dst: &mut BytesMut,
) -> Result<(), PayloadTooLong> {
    let len = u32::try_from(payload.len()).map_err(|_| PayloadTooLong(payload.len()))?;
    dst.reserve(HEADER_LEN + payload.len());
    dst.put_slice(&[PREAMBLE_LEAD, encoding.as_byte(), 0, 0]);
    dst.put_u32(len);
    dst.put_slice(payload);
    Ok(())
}

/// Append a response (be32 length + payload) to `dst`.
pub fn encode_response(payload: &[u8], dst: &mut BytesMut) -> Result<(), PayloadTooLong> {
    let len = u32::try_from(payload.len()).map_err(|_| PayloadTooLong(payload.len()))?;
    dst.reserve(RESPONSE_HEADER_LEN + payload.len());
    dst.put_u32(len);
    dst.put_slice(payload);
    Ok(())
}

/// A payload longer than `u32::MAX` bytes cannot be framed.
#[derive(Debug, thiserror::Error)]
#[error("payload of {0} bytes does not fit a be32 length")]
pub struct PayloadTooLong(pub usize);

/// Decodes responses (be32 length + payload) on the client side, with the same bound-before-reserve
/// rule as the request decoder.
#[derive(Debug)]
pub struct ResponseDecoder {
    max_response_size: u32,
    pending: Option<usize>,
}

impl ResponseDecoder {
    /// A decoder refusing responses longer than `max_response_size` bytes.
    pub fn new(max_response_size: u32) -> Self {
        ResponseDecoder {
            max_response_size,
            pending: None,
        }
    }
}

/// A response length above the client's limit.
#[derive(Debug, thiserror::Error)]
pub enum ResponseFrameError {
    #[error("response of {len} bytes exceeds the client's limit ({max} bytes)")]
    TooLarge { len: u32, max: u32 },
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

impl Decoder for ResponseDecoder {
    type Item = Bytes;
    type Error = ResponseFrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, ResponseFrameError> {
        let len = match self.pending {
            Some(len) => len,
            None => {
                let max = self.max_response_size;
                let Some(len) = take_length(src, RESPONSE_HEADER_LEN, max)
                    .map_err(|len| ResponseFrameError::TooLarge { len, max })?
                else {
                    return Ok(None);
                };
                self.pending = Some(len);
                len
            }
        };
        if src.len() < len {
            return Ok(None);
        }
        self.pending = None;
        Ok(Some(src.split_to(len).freeze()))
    }
}

#[cfg(test)]
#[path = "frame_tests.rs"]
mod tests;
