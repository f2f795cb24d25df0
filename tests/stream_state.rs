//! The state the incremental validator carries from one chunk to the next, on every kernel: the last three bytes of
//! the message, which the kernels take as the bytes before the next chunk. Every split of a message into two
//! chunks, where the first chunk ends in every possible open or complete code point (and in bytes that cannot start
//! one) and the second starts anywhere relative to a vector and block (its length and its alignment in memory both
//! swept), against the statuses that `core::str::from_utf8` of the whole message implies.

#[allow(dead_code, reason = "each test binary uses a different subset of the shared helpers")]
mod common;

use common::{BAD_SEQUENCES, SplitMix, implementations, place, random_text, std_verdict};
use nvx_ws::Implementation;
use nvx_ws::utf8::{Status, Utf8Validator};

/// autobahn's status after `first` and then `second`, worked out from std's verdict on prefixes of the message: the
/// rejecting byte is std's `valid_up_to` when that byte can never start a sequence, else `valid_up_to + error_len`;
/// a message that ends inside a sequence is valid but not on a code point boundary.
fn expected(first: &[u8], second: &[u8]) -> [Status; 2] {
    let status = |consumed: &[u8], chunk_start: usize, chunk_len: usize, rejected_before: Option<usize>| {
        if let Some(at) = rejected_before {
            return Status { valid: false, ends_on_codepoint: false, current_index: 0, total_index: at };
        }
        match std_verdict(consumed) {
            Ok(()) => {
                Status { valid: true, ends_on_codepoint: true, current_index: chunk_len, total_index: consumed.len() }
            }
            Err((_, None)) => {
                Status { valid: true, ends_on_codepoint: false, current_index: chunk_len, total_index: consumed.len() }
            }
            Err((up_to, Some(len))) => {
                let at = if matches!(consumed[up_to], 0x80..=0xC1 | 0xF5..=0xFF) { up_to } else { up_to + len };
                Status { valid: false, ends_on_codepoint: false, current_index: at - chunk_start, total_index: at }
            }
        }
    };
    let a = status(first, 0, first.len(), None);
    let message = [first, second].concat();
    let b = status(&message, first.len(), second.len(), (!a.valid).then_some(a.total_index));
    [a, b]
}

/// Feeds `first`, then `second` placed at `offset` (mod 64) in memory, to a fresh validator of `imp`.
fn check(imp: Implementation, first: &[u8], second: &[u8], offset: usize) {
    let want = expected(first, second);
    let mut v = Utf8Validator::with_implementation(imp).expect("available");
    let (storage, range) = place(second, offset);
    let got = [v.feed(first), v.feed(&storage[range])];
    assert_eq!(got, want, "{imp}: {first:02X?} then {second:02X?} at offset {offset}");
    let message = [first, second].concat();
    let whole = v.finish().map_err(|e| (e.valid_up_to(), e.error_len()));
    assert_eq!(whole, std_verdict(&message), "{imp}: finish of {first:02X?} then {second:02X?}");
}

/// Ends of a first chunk: nothing, ASCII, every complete and every open prefix of each length class, and bytes that
/// can never start a sequence.
const ENDS: [&[u8]; 16] = [
    b"",
    b"a",
    b"\xC3\xA9",
    b"\xE2\x82\xAC",
    b"\xF0\x9F\x98\x80",
    b"\xC3",
    b"\xE2",
    b"\xE2\x82",
    b"\xED",
    b"\xE0",
    b"\xF0",
    b"\xF0\x9F",
    b"\xF0\x9F\x98",
    b"\xF4\x8F",
    b"\xC0",
    b"\xFF",
];

/// Starts of a second chunk: what could continue each open end, and what could not.
const STARTS: [&[u8]; 12] = [
    b"a",
    b"\x80",
    b"\x9F",
    b"\xA0",
    b"\xBF",
    b"\x80\x80",
    b"\xA9 ok",
    b"\x82\xAC",
    b"\x98\x80",
    b"\x8F\xBF",
    b"\xC3\xA9",
    b"\xF0\x9F\x98\x80",
];

/// Every end of the first chunk before every start of the second, the second chunk padded with ASCII or multibyte
/// text to every length up to 200 (under a vector, a block, and with partial last blocks), at alignments that put
/// its start anywhere in a vector.
#[test]
fn every_open_end_before_every_start() {
    let imps = implementations();
    let pads: [&str; 2] = ["x", "字"];
    for end in ENDS {
        let first = [b"abc".as_slice(), end].concat();
        for start in STARTS {
            for pad in pads {
                for len in start.len()..=200 {
                    let mut second = start.to_vec();
                    second.extend(pad.bytes().cycle().take(len - start.len()));
                    for &imp in &imps {
                        for offset in [0, 1, 2, 3, 31, 61, 62, 63] {
                            check(imp, &first, &second, offset);
                        }
                    }
                }
            }
        }
    }
}

/// Long second chunks (256 to 700 bytes, long enough for the aligned main loop) after every end, damaged near
/// their start, near their end or not at all, at every alignment.
#[test]
fn long_chunks_after_every_end() {
    let imps = implementations();
    let mut rng = SplitMix(0x5354_5245_414D);
    for end in ENDS {
        let first = [b"abc".as_slice(), end].concat();
        for round in 0..6 {
            let len = 256 + rng.below(445);
            let mut second = random_text(&mut rng, len, [100, 30, 0][round % 3]);
            match round % 3 {
                0 => {}
                1 => {
                    let bad = BAD_SEQUENCES[rng.below(BAD_SEQUENCES.len())];
                    let at = rng.below(8).min(second.len());
                    second.splice(at..at, bad.iter().copied());
                }
                _ => {
                    let bad = BAD_SEQUENCES[rng.below(BAD_SEQUENCES.len())];
                    let at = second.len().saturating_sub(rng.below(70));
                    second.splice(at..at, bad.iter().copied());
                }
            }
            for &imp in &imps {
                for offset in 0..64 {
                    check(imp, &first, &second, offset);
                    // The continuation bytes of an open end at the start of the second chunk.
                    if let Some(cut) =
                        (1..=3).find(|&c| c <= second.len() && second[..c].iter().all(|b| b & 0xC0 == 0x80))
                    {
                        check(imp, &first, &second[cut..], offset);
                    }
                }
            }
        }
    }
}

/// Every split point of messages of 1 to 3 KiB (ASCII, mixed, multibyte; valid and damaged) into two chunks, on
/// every kernel.
#[test]
fn every_split_of_long_messages() {
    let imps = implementations();
    let mut rng = SplitMix(0x0053_504C_4954);
    for (ascii, damaged) in [(100, false), (30, false), (0, false), (30, true), (0, true)] {
        let len = 1024 + rng.below(2048);
        let mut message = random_text(&mut rng, len, ascii);
        if damaged {
            let bad = BAD_SEQUENCES[rng.below(BAD_SEQUENCES.len())];
            let at = rng.below(message.len());
            message.splice(at..at, bad.iter().copied());
        }
        for &imp in &imps {
            for split in 0..=message.len() {
                let (first, second) = message.split_at(split);
                let want = expected(first, second);
                let mut v = Utf8Validator::with_implementation(imp).expect("available");
                assert_eq!([v.feed(first), v.feed(second)], want, "{imp}: split at {split} of {message:02X?}");
            }
        }
    }
}
