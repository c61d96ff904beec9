//! Unit tests for the frame decoder: every byte boundary, every bad preamble, the size bound.

use super::*;

fn frame(encoding: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![b'N', encoding, 0, 0];
    v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

#[test]
fn decodes_one_frame_fed_byte_by_byte() {
    let bytes = frame(1, br#"{"action":"version"}"#);
    let mut dec = FrameDecoder::new(1024);
    let mut buf = BytesMut::new();
    for (i, b) in bytes.iter().enumerate() {
        buf.put_u8(*b);
        let got = dec.decode(&mut buf).unwrap();
        if i + 1 < bytes.len() {
            assert!(got.is_none(), "complete too early at byte {i}");
            assert!(dec.is_mid_frame(&buf));
        } else {
            let f = got.unwrap();
            assert_eq!(f.encoding, Encoding::JsonV1);
            assert_eq!(&f.payload[..], br#"{"action":"version"}"#);
        }
    }
    assert!(buf.is_empty());
    assert!(!dec.is_mid_frame(&buf));
}

#[test]
fn decodes_pipelined_frames_of_every_encoding() {
    let mut buf = BytesMut::new();
    for e in 1..=4u8 {
        buf.extend_from_slice(&frame(e, &[e; 3]));
    }
    buf.extend_from_slice(&frame(2, b""));
    let mut dec = FrameDecoder::new(16);
    for e in Encoding::ALL {
        let f = dec.decode(&mut buf).unwrap().unwrap();
        assert_eq!(f.encoding, e);
        assert_eq!(&f.payload[..], &[e.as_byte(); 3]);
    }
    let empty = dec.decode(&mut buf).unwrap().unwrap();
    assert_eq!(empty.encoding, Encoding::JsonV1Unsafe);
    assert!(empty.payload.is_empty());
    assert!(dec.decode(&mut buf).unwrap().is_none());
}

#[test]
fn bad_lead_is_refused_at_the_first_byte() {
    let mut buf = BytesMut::from(&b"G"[..]);
    let err = FrameDecoder::new(10).decode(&mut buf).unwrap_err();
    assert!(matches!(err, FrameError::BadLead(b'G')));
    assert!(err.is_bad_preamble());
}

#[test]
fn encodings_zero_and_five_are_refused() {
    for e in [0u8, 5, 255] {
        let mut buf = BytesMut::from(&[b'N', e][..]);
        let err = FrameDecoder::new(10).decode(&mut buf).unwrap_err();
        assert!(matches!(err, FrameError::UnknownEncoding(x) if x == e));
    }
}

#[test]
fn non_zero_reserved_bytes_are_refused() {
    for (r0, r1) in [(1u8, 0u8), (0, 1), (0xff, 0xff)] {
        let mut buf = BytesMut::from(&[b'N', 1, r0][..]);
        let mut dec = FrameDecoder::new(10);
        let res = dec.decode(&mut buf);
        if r0 != 0 {
            assert!(matches!(res, Err(FrameError::Reserved { offset: 2, byte }) if byte == r0));
            continue;
        }
        assert!(res.unwrap().is_none());
        buf.put_u8(r1);
        let err = dec.decode(&mut buf).unwrap_err();
        assert!(matches!(err, FrameError::Reserved { offset: 3, byte: 1 }));
        assert!(err.is_bad_preamble());
    }
}

#[test]
fn too_large_is_refused_before_reserving_and_keeps_the_encoding() {
    let mut buf = BytesMut::from(&[b'N', 4, 0, 0, 0xff, 0xff, 0xff, 0xff][..]);
    let cap_before = buf.capacity();
    let err = FrameDecoder::new(1 << 20).decode(&mut buf).unwrap_err();
    match err {
        FrameError::TooLarge { encoding, len, max } => {
            assert_eq!(encoding, Encoding::FlatbuffersJson);
            assert_eq!(len, u32::MAX);
            assert_eq!(max, 1 << 20);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!matches!(
        FrameError::TooLarge {
            encoding: Encoding::JsonV1,
            len: 1,
            max: 0
        },
        e if e.is_bad_preamble()
    ));
    assert_eq!(buf.capacity(), cap_before);
}

#[test]
fn length_equal_to_the_maximum_is_accepted() {
    let mut buf = BytesMut::from(&frame(1, &[7u8; 5])[..]);
    let f = FrameDecoder::new(5).decode(&mut buf).unwrap().unwrap();
    assert_eq!(f.payload.len(), 5);
}

#[test]
fn request_and_response_encoders_round_trip() {
    let mut buf = BytesMut::new();
    encode_request(Encoding::Flatbuffers, b"abc", &mut buf).unwrap();
    assert_eq!(&buf[..], &frame(3, b"abc")[..]);
    let f = FrameDecoder::new(3).decode(&mut buf).unwrap().unwrap();
    assert_eq!(&f.payload[..], b"abc");

    let mut out = BytesMut::new();
    encode_response(b"hello", &mut out).unwrap();
    assert_eq!(&out[..], b"\0\0\0\x05hello");
    let mut dec = ResponseDecoder::new(5);
    let mut partial = out.split_to(6);
    assert!(dec.decode(&mut partial).unwrap().is_none());
    partial.unsplit(out);
    assert_eq!(&dec.decode(&mut partial).unwrap().unwrap()[..], b"hello");
}

#[test]
fn response_decoder_bounds_the_length() {
    let mut buf = BytesMut::from(&[0u8, 0, 1, 0][..]);
    assert!(matches!(
        ResponseDecoder::new(255).decode(&mut buf),
        Err(ResponseFrameError::TooLarge { len: 256, max: 255 })
    ));
}

/// Decode `bytes` fed in the given chunks, as the fuzz target does: the frames, and the error text
/// decoding stopped on.
fn run_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> (Vec<Frame>, Option<String>) {
    let mut dec = FrameDecoder::new(8);
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            match dec.decode(&mut buf) {
                Ok(Some(f)) => frames.push(f),
                Ok(None) => break,
                Err(e) => return (frames, Some(e.to_string())),
            }
        }
    }
    (frames, None)
}

/// `bytes` cut at every position whose bit is set in `mask` (bit `i` cuts after byte `i`).
fn split_by_mask(bytes: &[u8], mask: u32) -> Vec<&[u8]> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for i in 0..bytes.len().saturating_sub(1) {
        if mask & (1 << i) != 0 {
            chunks.push(&bytes[start..=i]);
            start = i + 1;
        }
    }
    chunks.push(&bytes[start..]);
    chunks
}

/// The fuzz target's invariant on fixed inputs: how bytes are split never changes the outcome.
#[test]
fn splitting_never_changes_the_outcome() {
    let mut inputs = vec![];
    let mut ok = frame(1, b"abc");
    ok.extend(frame(4, b""));
    ok.extend(frame(3, b"12345678"));
    inputs.push(ok.clone());
    let mut bad = ok.clone();
    bad.extend(b"N\x02\x00\x01");
    inputs.push(bad);
    let mut big = ok.clone();
    big.extend(frame(2, &[0u8; 9]));
    inputs.push(big);
    inputs.push(ok[..ok.len() - 1].to_vec());
    for input in &inputs {
        let whole = run_chunks([&input[..]]);
        for step in 1..=13 {
            assert_eq!(run_chunks(input.chunks(step)), whole, "step {step}");
        }
    }
}

/// Regression for the fuzz finding of issue 8: both reserved bytes non-zero (`N 01 05 07`) was
/// "reserved bytes 0x05 0x07" when the four bytes arrived together but "0x05 0x00" when the read
/// ended after the first reserved byte, since a missing byte was taken as zero. Every one of the
/// 2^(n-1) ways to split each input, behind a complete frame and alone, must give the outcome of the
/// unsplit input.
#[test]
fn every_split_of_a_bad_preamble_gives_the_same_error() {
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    // The fuzzer's own finding first: `N 03 16 16` and a length, fed one byte at a time.
    inputs.push(vec![
        b'N', 3, 0x16, 0x16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    ]);
    for (r0, r1) in [(5u8, 7u8), (5, 0), (0, 7), (0xff, 0xff)] {
        let bad = [b'N', 1, r0, r1, 0, 0, 0, 1, b'x'];
        inputs.push(bad.to_vec());
        let mut behind = frame(2, b"ab");
        behind.extend_from_slice(&bad[..5]);
        inputs.push(behind);
    }
    inputs.push(vec![b'N', 9, 1, 1]);
    inputs.push(vec![b'X', 9, 1, 1]);
    let mut too_large = frame(3, b"z");
    too_large.extend_from_slice(&[b'N', 4, 0, 0, 0, 0, 0, 9, 1]);
    inputs.push(too_large);
    for input in &inputs {
        assert!(input.len() <= 18, "2^(n-1) splits stay few");
        let whole = run_chunks([&input[..]]);
        assert!(whole.1.is_some(), "{input:?} ends on an error");
        for mask in 0..1u32 << (input.len() - 1) {
            let split = split_by_mask(input, mask);
            assert_eq!(
                run_chunks(split.iter().copied()),
                whole,
                "{input:02x?} as {split:02x?}"
            );
        }
    }
    // The text names the first non-zero reserved byte only.
    let (_, err) = run_chunks([&b"N\x01\x05\x07"[..]]);
    assert_eq!(
        err.as_deref(),
        Some("bad preamble: reserved byte 2 is 0x05, expected 0x00")
    );
}

/// Split-independence on generated streams (the regression above, widened).
mod split_props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Random streams built from frame-like pieces (valid frames, bad preambles, oversized
        /// lengths), cut at random points, decode as the whole stream does.
        #[test]
        fn random_splits_never_change_the_outcome(
            pieces in prop::collection::vec(
                prop_oneof![
                    (1u8..=4, prop::collection::vec(any::<u8>(), 0..=9))
                        .prop_map(|(e, p)| frame(e, &p)),
                    prop::collection::vec(any::<u8>(), 1..=8)
                        .prop_map(|mut v| { v[0] = b'N'; v }),
                ],
                0..6,
            ),
            cuts in prop::collection::vec(any::<usize>(), 0..12),
        ) {
            let bytes: Vec<u8> = pieces.concat();
            let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
            points.sort_unstable();
            let mut chunks = Vec::new();
            let mut start = 0;
            for p in points {
                chunks.push(&bytes[start..p]);
                start = p;
            }
            chunks.push(&bytes[start..]);
            prop_assert_eq!(run_chunks(chunks), run_chunks([&bytes[..]]));
        }
    }
}

#[test]
fn an_announced_length_reserves_at_most_one_step() {
    let mut buf = BytesMut::from(&[b'N', 1, 0, 0, 0x01, 0, 0, 0][..]); // 16 MiB announced
    let mut dec = FrameDecoder::new(32 << 20);
    assert!(dec.decode(&mut buf).unwrap().is_none());
    assert!(buf.capacity() <= RESERVE_STEP + HEADER_LEN);
    assert!(dec.is_mid_frame(&buf));
}

#[test]
fn take_length_waits_refuses_or_consumes_the_header() {
    // Incomplete header: nothing consumed, nothing reserved.
    let mut buf = BytesMut::from(&[0u8, 0, 1][..]);
    assert_eq!(take_length(&mut buf, RESPONSE_HEADER_LEN, 10), Ok(None));
    assert_eq!(buf.len(), 3);
    // Above the bound: the refused length, the header left in place, no reservation.
    let mut buf = BytesMut::from(&u32::MAX.to_be_bytes()[..]);
    let cap = buf.capacity();
    assert_eq!(
        take_length(&mut buf, RESPONSE_HEADER_LEN, 10),
        Err(u32::MAX)
    );
    assert_eq!((buf.len(), buf.capacity()), (4, cap));
    // The length is read at the end of a longer header, which is consumed as a whole.
    let mut buf = BytesMut::from(&[b'N', 1, 0, 0, 0, 0, 0, 3, b'a'][..]);
    assert_eq!(take_length(&mut buf, HEADER_LEN, 3), Ok(Some(3)));
    assert_eq!(&buf[..], b"a");
    // A large accepted length reserves at most one step.
    let mut buf = BytesMut::from(&u32::MAX.to_be_bytes()[..]);
    assert_eq!(
        take_length(&mut buf, RESPONSE_HEADER_LEN, u32::MAX),
        Ok(Some(u32::MAX as usize))
    );
    assert!(buf.capacity() <= RESERVE_STEP + 4);
}
