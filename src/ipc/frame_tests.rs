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
            assert!(matches!(res, Err(FrameError::Reserved(..))));
            continue;
        }
        assert!(res.unwrap().is_none());
        buf.put_u8(r1);
        assert!(matches!(
            dec.decode(&mut buf),
            Err(FrameError::Reserved(0, 1))
        ));
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

/// The fuzz target's invariant on fixed inputs: how bytes are split never changes the outcome.
#[test]
fn splitting_never_changes_the_outcome() {
    fn run(bytes: &[u8], step: usize) -> (Vec<Frame>, Option<String>) {
        let mut dec = FrameDecoder::new(8);
        let mut buf = BytesMut::new();
        let mut frames = Vec::new();
        for chunk in bytes.chunks(step) {
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
        let whole = run(input, input.len().max(1));
        for step in 1..=13 {
            assert_eq!(run(input, step), whole, "step {step}");
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
