//! Inputs that end inside a block, on every kernel: every length from 0 to 130 bytes (shorter than a block, one
//! block, and the partial last block of longer inputs), at every alignment, with every interesting sequence at every
//! position, against `core::str::from_utf8`; and the same inputs through the fused unmask+validate.
//!
//! Inputs shorter than a vector are loaded with masked loads (AVX-512) or overlapping word loads (SSE, AVX2, NEON),
//! the last partial vector of a longer input with a masked load or a shifted full load; the zeros after the end must
//! flag an incomplete final sequence, and nothing else. (Reads outside the input are the guard-page tests' job.)

#[allow(dead_code, reason = "each test binary uses a different subset of the shared helpers")]
mod common;

use common::{BAD_SEQUENCES, SplitMix, kernels, place, random_text, std_verdict, verdict};
use nvx_ws::Kernels;

/// Longest input length of the sweeps: two blocks and a bit.
const MAX_LEN: usize = 130;

/// Valid sequences of every length class, to sit next to the damage.
const GOOD: [&[u8]; 4] = [b"a", "é".as_bytes(), "€".as_bytes(), "😀".as_bytes()];

/// Filler of `len` bytes: ASCII, or text of one length class repeated (its last code point may be cut short, which is
/// itself an interesting end).
fn filler(len: usize, class: usize) -> Vec<u8> {
    GOOD[class].iter().copied().cycle().take(len).collect()
}

fn check(all: &[Kernels], input: &[u8], offset: usize) {
    let expected = std_verdict(input);
    let (storage, range) = place(input, offset);
    let placed = &storage[range];
    for k in all {
        assert_eq!(verdict(k.validate_utf8(placed)), expected, "{k:?} at offset {offset}: {input:02X?}");
    }
}

/// Every length 0..=130 at every alignment 0..64, for filler text of each length class.
#[test]
fn every_length_at_every_alignment() {
    let all = kernels();
    for class in 0..GOOD.len() {
        for len in 0..=MAX_LEN {
            let input = filler(len, class);
            for offset in 0..64 {
                check(&all, &input, offset);
            }
        }
    }
}

/// Every sequence of `BAD_SEQUENCES` and every lead byte cut short, at every position of every length up to 130, in
/// ASCII filler and in multibyte filler; at three alignments.
#[test]
fn every_bad_sequence_at_every_position() {
    let all = kernels();
    let mut sequences: Vec<&[u8]> = BAD_SEQUENCES.to_vec();
    sequences.extend(GOOD);
    for len in 1..=MAX_LEN {
        for at in 0..len {
            for seq in &sequences {
                for class in [0, 2] {
                    let mut input = filler(len, class);
                    let n = seq.len().min(len - at);
                    input[at..at + n].copy_from_slice(&seq[..n]);
                    for offset in [0, 17, 63] {
                        check(&all, &input, offset);
                    }
                }
            }
        }
    }
}

/// Random text with 0, 30 or 100 % ASCII, cut to every length up to 130, at every alignment.
#[test]
fn random_text_of_every_length() {
    let all = kernels();
    let mut rng = SplitMix(0x5348_4F52_5431);
    for ascii in [0, 30, 100] {
        for _ in 0..4 {
            let text = random_text(&mut rng, MAX_LEN + 8, ascii);
            for len in 0..=text.len().min(MAX_LEN) {
                for offset in 0..64 {
                    check(&all, &text[..len], offset);
                }
            }
        }
    }
}

/// The fused unmask+validate on every length up to 130 and every bad sequence at every position: the bytes of the
/// scalar masker and the verdict of std, in place and out of place, from every phase.
#[test]
fn fused_every_length_and_position() {
    let key = [0x37, 0xfa, 0x21, 0x3d];
    let all = kernels();
    for len in 0..=MAX_LEN {
        for at in 0..len.max(1) {
            for seq in BAD_SEQUENCES.iter().chain(&GOOD).step_by(if at % 7 == 0 { 1 } else { 5 }) {
                let mut text = filler(len, at % 4);
                if len > 0 {
                    let n = seq.len().min(len - at);
                    text[at..at + n].copy_from_slice(&seq[..n]);
                }
                let expected = std_verdict(&text);
                for phase in 0..4 {
                    let mut masked = text.clone();
                    nvx_ws::mask::scalar::mask(&mut masked, key, phase);
                    for k in &all {
                        let mut buf = masked.clone();
                        let (_, r) = k.unmask_validate(&mut buf, key, phase);
                        assert_eq!((&buf, verdict(r)), (&text, expected), "{k:?} in place, phase {phase}: {text:02X?}");
                        let mut dst = vec![0; len];
                        let (_, r) = k.unmask_validate_to(&masked, &mut dst, key, phase);
                        assert_eq!((&dst, verdict(r)), (&text, expected), "{k:?} to dst, phase {phase}: {text:02X?}");
                    }
                }
            }
        }
    }
}

/// ASCII of every length from 65 bytes to a kilobyte and a bit (the lengths whose ASCII is checked by a fixed set of
/// overlapping block loads) with one byte that is not ASCII at positions in every block, the first and last bytes
/// and the overlap of the last block: an invalid byte must be found, a valid character let through, one cut short
/// at the end reported as incomplete; one-shot, and streamed after a complete and after an open code point.
#[test]
fn ascii_up_to_a_kilobyte_with_one_other_byte_anywhere() {
    use nvx_ws::utf8::Utf8Validator;
    let all = kernels();
    for n in 65..=1030 {
        let mut positions: Vec<usize> = (0..n).step_by(61).collect();
        positions.extend([0, 1, 63, 64, n / 2, n.saturating_sub(65), n - 64, n - 63, n - 2, n - 1]);
        for at in positions.into_iter().filter(|&p| p < n) {
            for (other, label) in [(&[0x80u8][..], "stray continuation"), (&[0xC3, 0xA9][..], "é")] {
                let mut input = vec![b'q'; n];
                let end = (at + other.len()).min(n);
                input[at..end].copy_from_slice(&other[..end - at]);
                let expected = std_verdict(&input);
                check(&all, &input, n % 7);
                // Streamed after a complete character: the same verdict, except that a chunk may end inside a code
                // point (only an invalid sequence rejects it); after an open one: the first byte of this chunk
                // (ASCII or not) must end it, so only a continuation at 0 may be valid.
                let invalid_at = match expected {
                    Err((valid_up_to, Some(_))) => Some(valid_up_to),
                    _ => None,
                };
                let expected_open = at == 0 && label == "stray continuation" && std_verdict(&input[1..]).is_ok();
                for k in &all {
                    let mut v = Utf8Validator::with_kernels(*k);
                    assert!(v.feed("é".as_bytes()).valid);
                    let s = v.feed(&input);
                    assert_eq!(s.valid, invalid_at.is_none(), "{k:?} {label} at {at} of {n}, streamed");
                    if let Some(valid_up_to) = invalid_at {
                        assert_eq!(s.current_index, valid_up_to, "{k:?} {label} at {at} of {n}, streamed");
                    }
                    let mut v = Utf8Validator::with_kernels(*k);
                    assert!(v.feed(&[0xC3]).valid);
                    let s = v.feed(&input);
                    assert_eq!(s.valid, expected_open, "{k:?} {label} at {at} of {n}, after an open code point");
                }
            }
        }
    }
}
