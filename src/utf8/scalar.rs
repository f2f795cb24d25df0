//! Scalar reference validator: the oracle every SIMD kernel is tested against.
//!
//! It follows the byte-class rules of RFC 3629 §4 (the table of well-formed byte sequences) one code point at a
//! time, and reports errors with exactly the `valid_up_to` / `error_len` semantics of
//! [`core::str::from_utf8`]: `error_len` is the length of the maximal prefix of a well-formed sequence that
//! precedes the offending byte (1, 2 or 3), or `None` when the input ends inside a sequence that could still
//! be completed.
//!
//! ```
//! use nvx_ws::utf8::scalar;
//! let err = scalar::validate(b"ab\xE2\x82").unwrap_err();
//! assert_eq!((err.valid_up_to(), err.error_len()), (2, None));
//! ```
//!
//! ASCII runs are skipped eight bytes at a time, which keeps the reference fast enough to serve as the short-input
//! path of every implementation (see [`crate::utf8::validate`]).

use super::Utf8Error;

/// Number of bytes of the sequence that `lead` starts, or 0 when `lead` can never start one
/// (a continuation byte `0x80..=0xBF`, or `0xC0`, `0xC1`, `0xF5..=0xFF`).
#[inline]
#[must_use]
pub const fn sequence_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// The range the second byte of a sequence starting with `lead` must fall in (RFC 3629 §4).
#[inline]
const fn second_byte_range(lead: u8) -> (u8, u8) {
    match lead {
        0xE0 => (0xA0, 0xBF),
        0xED => (0x80, 0x9F),
        0xF0 => (0x90, 0xBF),
        0xF4 => (0x80, 0x8F),
        _ => (0x80, 0xBF),
    }
}

#[inline]
const fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Checks one sequence starting at `input[0]`, which must be non-ASCII.
///
/// Returns the sequence length, or the error with `valid_up_to == 0`.
#[inline]
fn check_sequence(input: &[u8]) -> Result<usize, Utf8Error> {
    let lead = input[0];
    let len = sequence_len(lead);
    if len == 0 {
        return Err(Utf8Error::new(0, Some(1)));
    }
    let (lo, hi) = second_byte_range(lead);
    for i in 1..len {
        let Some(&byte) = input.get(i) else {
            return Err(Utf8Error::new(0, None));
        };
        let ok = if i == 1 { lo <= byte && byte <= hi } else { is_continuation(byte) };
        if !ok {
            // `i` bytes of a well-formed prefix precede the offending byte.
            #[expect(clippy::cast_possible_truncation, reason = "i < 4")]
            return Err(Utf8Error::new(0, Some(i as u8)));
        }
    }
    Ok(len)
}

const WORD: usize = core::mem::size_of::<usize>();
const HIGH_BITS: usize = usize::from_ne_bytes([0x80; WORD]);

/// Validates `input`, with the error semantics of [`core::str::from_utf8`].
///
/// # Errors
/// The first invalid or incomplete sequence, as a [`Utf8Error`].
pub fn validate(input: &[u8]) -> Result<(), Utf8Error> {
    validate_range(input, 0, input.len()).map(|_| ())
}

/// Validates the code points of `input` that start at `start..stop` (`start` on a code point boundary) and
/// returns where the next one starts: `stop`, or up to three bytes past it when a sequence straddles `stop`.
///
/// # Errors
/// The first invalid or incomplete sequence, as a [`Utf8Error`] relative to the whole `input`.
pub(crate) fn validate_range(input: &[u8], start: usize, stop: usize) -> Result<usize, Utf8Error> {
    let mut i = start;
    while i < stop {
        if input[i] < 0x80 {
            // Skip ASCII a word at a time; the byte loop then runs at most WORD - 1 bytes before the first
            // non-ASCII byte (or `stop`).
            while i + WORD <= stop {
                let mut word = [0u8; WORD];
                word.copy_from_slice(&input[i..i + WORD]);
                if usize::from_ne_bytes(word) & HIGH_BITS != 0 {
                    break;
                }
                i += WORD;
            }
            while i < stop && input[i] < 0x80 {
                i += 1;
            }
        } else {
            match check_sequence(&input[i..]) {
                Ok(len) => i += len,
                Err(e) => return Err(e.offset(i)),
            }
        }
    }
    Ok(i)
}

/// The number of bytes at the end of `input` that form the start of a sequence that is not complete yet
/// (0 to 3), judged by the lead byte alone. The caller still has to check those bytes with [`validate`].
///
/// This is what a streaming validator keeps back from a chunk: with it, a chunk that ends inside a code point is
/// validated in full up to that code point and the rest waits for the next chunk.
#[inline]
#[must_use]
pub fn incomplete_suffix_len(input: &[u8]) -> usize {
    let n = input.len();
    for back in 1..=n.min(3) {
        let byte = input[n - back];
        if !is_continuation(byte) {
            return if sequence_len(byte) > back { back } else { 0 };
        }
    }
    0
}

/// Walks back from `pos` over at most three continuation bytes to the start of the code point that contains
/// `pos` or ends just before it, never before `floor`.
///
/// Every SIMD kernel reports an error at or after the byte that makes a sequence invalid, and a sequence starts at
/// most three bytes before any of its bytes: rescanning from this point finds the first error exactly.
#[inline]
#[must_use]
pub fn rewind_to_boundary(input: &[u8], pos: usize, floor: usize) -> usize {
    let mut start = pos;
    for back in 1..=3 {
        if pos < floor + back {
            break;
        }
        if !is_continuation(input[pos - back]) {
            start = pos - back;
            break;
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn std_result(input: &[u8]) -> Result<(), (usize, Option<usize>)> {
        core::str::from_utf8(input).map(|_| ()).map_err(|e| (e.valid_up_to(), e.error_len()))
    }

    fn ours(input: &[u8]) -> Result<(), (usize, Option<usize>)> {
        validate(input).map_err(|e| (e.valid_up_to(), e.error_len()))
    }

    #[test]
    fn every_two_byte_sequence_with_prefix_and_suffix_matches_std() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let input = [b'x', a, b, b'y'];
                assert_eq!(ours(&input), std_result(&input), "{input:02X?}");
                assert_eq!(ours(&input[1..3]), std_result(&input[1..3]), "{input:02X?}");
            }
        }
    }

    #[test]
    fn incomplete_suffix_is_measured_by_lead_byte() {
        assert_eq!(incomplete_suffix_len(b""), 0);
        assert_eq!(incomplete_suffix_len(b"abc"), 0);
        assert_eq!(incomplete_suffix_len(b"a\xC3"), 1);
        assert_eq!(incomplete_suffix_len(b"a\xC3\xA9"), 0);
        assert_eq!(incomplete_suffix_len(b"\xF0\x9F\x98"), 3);
        assert_eq!(incomplete_suffix_len(b"\xF0\x9F\x98\x80"), 0);
        assert_eq!(incomplete_suffix_len(b"\xE2\x82"), 2);
        // Lone continuation bytes and impossible bytes are not an incomplete start: they are errors.
        assert_eq!(incomplete_suffix_len(b"\x80\x80\x80"), 0);
        assert_eq!(incomplete_suffix_len(b"\xFF"), 0);
    }

    #[test]
    fn rewind_stops_at_lead_or_after_three_steps() {
        let s = b"a\xF0\x9F\x98\x80b";
        assert_eq!(rewind_to_boundary(s, 4, 0), 1);
        assert_eq!(rewind_to_boundary(s, 5, 0), 5);
        assert_eq!(rewind_to_boundary(s, 2, 0), 1);
        assert_eq!(rewind_to_boundary(s, 2, 2), 2);
        assert_eq!(rewind_to_boundary(s, 0, 0), 0);
    }
}
