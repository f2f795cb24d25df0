//! Counts and positions at `usize::MAX`: saturated, exact below it, never wrapped, never a panic.
//!
//! No test can feed 2^64 bytes, so these start a validator in the state a long valid ASCII prefix leaves: its count
//! set, nothing open, no error (`fed`, checked against really feeding a short prefix). On a 32-bit target the same
//! boundary is also crossed by real streams of more than 4 GiB (`tests/hostile.rs`, `beyond_4_gib_on_32_bit`).

use super::{Status, Utf8Validator, saturate};
use crate::dispatch::Kernels;

const MAX: usize = usize::MAX;
/// The count at which `usize` positions saturate.
const CAP: u64 = usize::MAX as u64;
/// Whether the 64-bit count is wider than `usize` (32-bit targets).
const WIDER: bool = usize::BITS < u64::BITS;

/// A validator in the state `n` bytes of valid ASCII leave behind.
fn fed(kernels: Kernels, n: u64) -> Utf8Validator {
    let mut v = Utf8Validator::with_kernels(kernels);
    v.total = n;
    v
}

fn every_kernel() -> impl Iterator<Item = Kernels> {
    crate::available().map(|i| Kernels::new(i).expect("available"))
}

fn quad(s: Status) -> (bool, bool, usize, usize) {
    (s.valid, s.ends_on_codepoint, s.current_index, s.total_index)
}

fn error(v: &Utf8Validator) -> Option<(usize, Option<usize>)> {
    v.error().map(|e| (e.valid_up_to(), e.error_len()))
}

#[test]
fn fed_is_the_state_of_an_ascii_prefix() {
    for kernels in every_kernel() {
        let mut real = Utf8Validator::with_kernels(kernels);
        real.feed(b"0123456789");
        let made = fed(kernels, 10);
        assert_eq!((made.total, made.pending_len, made.error), (real.total, real.pending_len, real.error));
        assert_eq!(made.total_index(), 10);
    }
}

#[test]
fn saturate_is_exact_below_the_cap() {
    assert_eq!(saturate(0), 0);
    assert_eq!(saturate(CAP - 1), MAX - 1);
    assert_eq!(saturate(CAP), MAX);
    assert_eq!(saturate(u64::MAX), MAX);
    if WIDER {
        assert_eq!(saturate(CAP + 1), MAX);
    }
}

#[test]
fn positions_just_below_the_cap_are_exact() {
    for kernels in every_kernel() {
        // A reject in the middle of a chunk.
        let mut v = fed(kernels, CAP - 10);
        assert_eq!(quad(v.feed(b"abc\xFFdef")), (false, false, 3, MAX - 7));
        assert_eq!(error(&v), Some((MAX - 7, Some(1))));
        assert_eq!(v.finish().map_err(|e| e.valid_up_to()), Err(MAX - 7));
        // A reject of a code point left open by the previous chunk: `valid_up_to` is where it started.
        let mut v = fed(kernels, CAP - 10);
        assert_eq!(quad(v.feed(b"ab\xE2\x82")), (true, false, 4, MAX - 6));
        assert_eq!(quad(v.feed(b"X")), (false, false, 0, MAX - 6));
        assert_eq!(error(&v), Some((MAX - 8, Some(2))));
        // An open code point at the end of the message.
        let mut v = fed(kernels, CAP - 10);
        v.feed(b"\xF0\x9F\x98");
        assert_eq!(v.finish().map_err(|e| (e.valid_up_to(), e.error_len())), Err((MAX - 10, None)));
        // A chunk that reaches the cap exactly.
        let mut v = fed(kernels, CAP - 4);
        assert_eq!(quad(v.feed("é€".as_bytes()[..4].as_ref())), (true, false, 4, MAX));
    }
}

#[test]
fn counts_and_positions_past_the_cap_saturate() {
    for kernels in every_kernel() {
        let mut v = fed(kernels, CAP - 3);
        assert_eq!(quad(v.feed(b"ab")), (true, true, 2, MAX - 1));
        assert_eq!(quad(v.feed(b"cdefgh")), (true, true, 6, MAX));
        assert_eq!(quad(v.feed(&[b'x'; 100])), (true, true, 100, MAX));
        assert_eq!(v.finish(), Ok(()));
        // A reject past the cap: its chunk-relative index is exact, the message positions are capped.
        assert_eq!(quad(v.feed(b"ok \xC0\xAF")), (false, false, 3, MAX));
        assert_eq!(error(&v), Some((MAX, Some(1))));
        assert_eq!(v.error().and_then(|e| e.failure_index(&[])), Some(MAX), "no overflow from a capped error");
        // Sticky, as ever.
        assert_eq!(quad(v.feed(b"more")), (false, false, 0, MAX));
        // A long chunk that crosses the cap with an error after it, in the kernel's vector path.
        let mut text = "κόσμε 😀 ".repeat(40).into_bytes();
        let bad = text.len() - 6; // the space before the last emoji
        text[bad] = 0xFF;
        let mut v = fed(kernels, CAP - 100);
        assert_eq!(quad(v.feed(&text)), (false, false, bad, MAX));
        assert_eq!(error(&v), Some((MAX, Some(1))));
        // feed_masked takes the same path.
        let mut v = fed(kernels, CAP - 100);
        let mut masker = crate::mask::Masker::new([1, 2, 3, 4]);
        let mut frame = text.clone();
        crate::mask::scalar::mask(&mut frame, [1, 2, 3, 4], 0);
        assert_eq!(quad(v.feed_masked(&mut frame, &mut masker)), (false, false, bad, MAX));
        assert_eq!(frame, text);
    }
}

/// An open code point whose start is below the cap and whose end is past it: exact where the count is wider than
/// `usize` (32-bit targets); on 64-bit targets the 64-bit count itself saturates there (16 EiB, out of reach).
#[test]
fn open_code_point_across_the_cap() {
    for kernels in every_kernel() {
        let mut v = fed(kernels, CAP - 1);
        assert_eq!(quad(v.feed(b"\xE2\x82")), (true, false, 2, MAX));
        assert_eq!(quad(v.feed(b"\xAC")), (true, true, 1, MAX));
        let mut v = fed(kernels, CAP - 1);
        v.feed(b"\xE2\x82");
        assert_eq!(quad(v.feed(b"X")), (false, false, 0, MAX));
        let start = v.error().expect("rejected").valid_up_to();
        if WIDER {
            assert_eq!(start, MAX - 1);
        } else {
            assert!(start >= MAX - 3, "{start:#x}");
        }
    }
}
