//! Fuzz the IPC frame decoder: arbitrary bytes, fed whole and in fuzzer-chosen chunks, must never
//! panic, never yield a payload above the limit, and must yield the same frames and the same final
//! outcome however the bytes are split. Run with `cargo fuzz run frame_decoder` from fuzz/.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use nanoipc::ipc::frame::{Frame, FrameDecoder};
use tokio_util::codec::Decoder;

const MAX: u32 = 4096;

/// Decode `chunks` in order; returns the frames and whether decoding stopped on an error.
fn decode(chunks: &[&[u8]]) -> (Vec<Frame>, Option<String>) {
    let mut dec = FrameDecoder::new(MAX);
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            match dec.decode(&mut buf) {
                Ok(Some(f)) => {
                    assert!(f.payload.len() <= MAX as usize);
                    frames.push(f);
                }
                Ok(None) => break,
                Err(e) => return (frames, Some(e.to_string())),
            }
        }
    }
    (frames, None)
}

fuzz_target!(|data: &[u8]| {
    let Some((&split_seed, bytes)) = data.split_first() else {
        return;
    };
    let whole = decode(&[bytes]);
    let step = usize::from(split_seed % 13) + 1;
    let chunks: Vec<&[u8]> = bytes.chunks(step).collect();
    let split = decode(&chunks);
    assert_eq!(whole.0, split.0);
    assert_eq!(whole.1, split.1);
});
