//! Mutated inputs never panic: corpus JSON with bytes changed, dropped and duplicated goes
//! through the JSON decoder, and corpus buffers with bytes changed go through the verifier and,
//! when they still verify, through the readers, the JSON writer and the object API. (A cheap,
//! deterministic complement to the fuzz targets.)

use std::path::Path;

use nanoipc::schema::json::{envelope_from_json, envelope_to_json};
use nanoipc::schema::{root_as_envelope, JsonOptions};

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/json");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    v.sort();
    v
}

const INTERESTING: &[u8] = b"{}[]\",:0123456789-.eE\\ntfu \x00\xff";

#[test]
fn mutated_json_never_panics() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let opts = [
        JsonOptions {
            skip_unknown_fields: true,
        },
        JsonOptions {
            skip_unknown_fields: false,
        },
    ];
    for json in corpus() {
        for round in 0..1500 {
            let mut bytes = json.clone().into_bytes();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len());
                match rng.below(3) {
                    0 => bytes[at] = INTERESTING[rng.below(INTERESTING.len())],
                    1 => {
                        bytes.remove(at);
                    }
                    _ => {
                        let end = (at + rng.below(16)).min(bytes.len());
                        let chunk = bytes[at..end].to_vec();
                        bytes.splice(at..at, chunk);
                    }
                }
            }
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            if let Ok(buf) = envelope_from_json(&text, &opts[round % 2]) {
                let env = root_as_envelope(&buf).expect("what the decoder builds verifies");
                let _ = envelope_to_json(&env, round % 3 == 0);
            }
        }
    }
}

#[test]
fn mutated_buffers_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for json in corpus() {
        let buf = envelope_from_json(&json, &JsonOptions::default()).unwrap();
        for _ in 0..3000 {
            let mut bytes = buf.clone();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
            if rng.below(4) == 0 {
                bytes.truncate(rng.below(bytes.len()));
            }
            if let Ok(env) = root_as_envelope(&bytes) {
                let _ = envelope_to_json(&env, false);
                let _ = env.unpack();
                let _ = format!("{env:?}");
            }
        }
    }
}
