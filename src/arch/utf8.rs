//! Vectorised UTF-8 validation, written once over [`Vector`] and instantiated per ISA.
//!
//! The algorithm is the lookup algorithm of Keiser & Lemire, "Validating UTF-8 in less than one instruction per
//! byte" (Software: Practice and Experience 51(5), 2021), as simdjson and simdutf8 use it: for every byte, three
//! 16-entry table lookups (high nibble of the previous byte, low nibble of the previous byte, high nibble of this
//! byte) classify the two-byte window into error classes whose bitwise AND is non-zero exactly when the pair is
//! invalid; a saturating subtraction on the bytes two and three positions back tells where a continuation byte is
//! required by a three- or four-byte lead, which the tables alone cannot see.
//!
//! What differs from those implementations:
//! - On x86 the "previous byte" vectors are read from memory at offsets -1, -2 and -3 instead of being assembled
//!   with cross-lane shuffles ([`Utf8Vector::PREV_FROM_MEMORY`]). Loads go to ports the lookups do not use, which
//!   removes four shuffles per vector from the critical resource; the main loop starts at an aligned address so
//!   the block loads never split a cache line.
//! - Errors are checked after every 64-byte block, and any block that flags one is re-read by the scalar
//!   reference from the start of the code point that contains the block's first byte. The scalar pass has the last
//!   word, so every error carries `core::str::from_utf8`'s exact `valid_up_to` and `error_len`.
//! - The last partial block is re-read as the full block that ends at the end of the input (bytes validated twice
//!   get the same verdict), so no load ever reads outside the input; inputs too short for that go through a
//!   zero-padded copy, where an incomplete final sequence surfaces as an error like any other.

use super::vector::{Utf8Vector, Vector};
use crate::utf8::{Utf8Error, scalar};

/// Bytes validated per step of the main loop; errors are checked once per block.
pub(crate) const BLOCK: usize = 64;

// Error classes, one bit each (Keiser & Lemire 2021, table 7). A pair of bytes is invalid iff the AND of the
// three lookups is non-zero, except TWO_CONTS, which is expected exactly where a 3- or 4-byte lead demands it.
const TOO_SHORT: u8 = 1 << 0; // 11______ 0_______  or  11______ 11______
const TOO_LONG: u8 = 1 << 1; // 0_______ 10______
const OVERLONG_3: u8 = 1 << 2; // 11100000 100_____
const TOO_LARGE: u8 = 1 << 3; // 11110100 1001____, 11110100 101_____, 11110101.. 1001____ / 101_____
const SURROGATE: u8 = 1 << 4; // 11101101 101_____
const OVERLONG_2: u8 = 1 << 5; // 1100000_ 10______
const TOO_LARGE_1000: u8 = 1 << 6; // 11110101.. 1000____
const OVERLONG_4: u8 = 1 << 6; // 11110000 1000____ (shares its bit: both need the second byte in 0x80..=0x8F)
const TWO_CONTS: u8 = 1 << 7; // 10______ 10______
const CARRY: u8 = TOO_SHORT | TOO_LONG | TWO_CONTS;

/// Indexed by the high nibble of the previous byte.
const BYTE_1_HIGH: [u8; 16] = [
    // 0_______: ASCII
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    // 10______: continuation
    TWO_CONTS,
    TWO_CONTS,
    TWO_CONTS,
    TWO_CONTS,
    // 1100____: two-byte lead, 0xC0 and 0xC1 overlong
    TOO_SHORT | OVERLONG_2,
    // 1101____: two-byte lead
    TOO_SHORT,
    // 1110____: three-byte lead
    TOO_SHORT | OVERLONG_3 | SURROGATE,
    // 1111____: four-byte lead, or beyond U+10FFFF
    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4,
];

/// Indexed by the low nibble of the previous byte.
const BYTE_1_LOW: [u8; 16] = [
    CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,   // ____0000
    CARRY | OVERLONG_2,                             // ____0001
    CARRY,                                          // ____0010
    CARRY,                                          // ____0011
    CARRY | TOO_LARGE,                              // ____0100
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____0101
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____0110
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____0111
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____1000
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____1001
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____1010
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____1011
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____1100
    CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, // ____1101
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____1110
    CARRY | TOO_LARGE | TOO_LARGE_1000,             // ____1111
];

/// Indexed by the high nibble of the current byte.
const BYTE_2_HIGH: [u8; 16] = [
    // 0_______: ASCII after a lead is too short
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    // 1000____
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
    // 1001____
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
    // 101_____
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    // 11______: a lead after a lead is too short
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
];

/// Subtracted (saturating) from the last `LANES` bytes of a block: non-zero iff the block ends inside a sequence
/// (last byte >= 0xC0, second-to-last >= 0xE0 or third-to-last >= 0xF0).
static INCOMPLETE_MAX: [u8; 64] = {
    let mut t = [0xFF; 64];
    t[61] = 0xF0 - 1;
    t[62] = 0xE0 - 1;
    t[63] = 0xC0 - 1;
    t
};

/// The constant vectors of the algorithm, built once per call.
#[derive(Clone, Copy)]
pub(crate) struct Tables<V> {
    byte_1_high: V,
    byte_1_low: V,
    byte_2_high: V,
    third_base: V,
    fourth_base: V,
    high_bit: V,
    incomplete_max: V,
}

impl<V: Utf8Vector> Tables<V> {
    #[inline(always)]
    pub(crate) fn new() -> Self {
        Self {
            byte_1_high: V::repeat16(BYTE_1_HIGH),
            byte_1_low: V::repeat16(BYTE_1_LOW),
            byte_2_high: V::repeat16(BYTE_2_HIGH),
            // prev2 - 0x60 has its high bit set iff prev2 >= 0xE0; prev3 - 0x70 iff prev3 >= 0xF0.
            third_base: V::splat(0xE0 - 0x80),
            fourth_base: V::splat(0xF0 - 0x80),
            high_bit: V::splat(0x80),
            // SAFETY: `INCOMPLETE_MAX` has 64 bytes and LANES <= 64.
            incomplete_max: unsafe { V::load(INCOMPLETE_MAX.as_ptr().add(64 - V::LANES)) },
        }
    }

    /// Non-zero lanes where `input` (with the three bytes before it in `prev1..prev3`) is invalid.
    #[inline(always)]
    fn classify(&self, input: V, prev1: V, prev2: V, prev3: V) -> V {
        let b1h = prev1.high_nibbles().lookup16(self.byte_1_high);
        let b1l = prev1.low_nibbles().lookup16(self.byte_1_low);
        let b2h = input.high_nibbles().lookup16(self.byte_2_high);
        let special = b1h.and(b1l).and(b2h);
        let third = prev2.saturating_sub(self.third_base);
        let fourth = prev3.saturating_sub(self.fourth_base);
        let must_be_continuation = third.or(fourth).and(self.high_bit);
        must_be_continuation.xor(special)
    }

    /// Non-zero iff `last` (the last vector of a block) ends inside a sequence.
    #[inline(always)]
    pub(crate) fn incomplete(&self, last: V) -> V {
        last.saturating_sub(self.incomplete_max)
    }

    /// Errors of the block at `ptr`, whose previous three bytes are readable at `ptr - 3 .. ptr`.
    ///
    /// # Safety
    /// `ptr - 3 .. ptr + BLOCK` must be readable.
    #[inline(always)]
    unsafe fn classify_block_from_memory(&self, ptr: *const u8) -> V {
        let mut err = V::splat(0);
        let mut k = 0;
        while k < BLOCK {
            // SAFETY: the caller guarantees `ptr - 3 .. ptr + BLOCK` is readable and k + LANES <= BLOCK.
            unsafe {
                let p = ptr.add(k);
                let input = V::load(p);
                err = err.or(self.classify(input, V::load(p.sub(1)), V::load(p.sub(2)), V::load(p.sub(3))));
            }
            k += V::LANES;
        }
        err
    }

    /// Errors of the block in `vectors`, the vector before it being `prev`.
    #[inline(always)]
    pub(crate) fn classify_block_in_registers<const N: usize>(&self, vectors: &[V; N], prev: V) -> V {
        let mut err = V::splat(0);
        let mut before = prev;
        for &input in vectors {
            err =
                err.or(self.classify(input, input.prev::<1>(before), input.prev::<2>(before), input.prev::<3>(before)));
            before = input;
        }
        err
    }
}

/// Loads the `BLOCK / LANES` vectors of the block at `ptr`.
///
/// # Safety
/// `ptr .. ptr + BLOCK` must be readable.
#[inline(always)]
pub(crate) unsafe fn load_block<V: Vector, const N: usize>(ptr: *const u8) -> [V; N] {
    // SAFETY: the caller guarantees `ptr .. ptr + BLOCK` is readable and N * LANES == BLOCK.
    core::array::from_fn(|k| unsafe { V::load(ptr.add(k * V::LANES)) })
}

/// The OR of all vectors of a block.
#[inline(always)]
fn any_or<V: Vector, const N: usize>(vectors: &[V; N]) -> V {
    vectors[1..].iter().fold(vectors[0], |acc, &v| acc.or(v))
}

#[inline(always)]
pub(crate) fn any_high_bit<V: Vector, const N: usize>(vectors: &[V; N]) -> bool {
    any_or(vectors).any_high_bit()
}

/// The exact error, found by the scalar reference from the code point containing `pos` (where the kernel
/// flagged an error in the block starting at `pos`; no error was flagged before it).
#[cold]
#[inline(never)]
pub(crate) fn exact_error(input: &[u8], pos: usize) -> Result<(), Utf8Error> {
    let start = scalar::rewind_to_boundary(input, pos, 0);
    let result = scalar::validate(&input[start..]).map_err(|e| e.offset(start));
    debug_assert!(result.is_err(), "kernel flagged a valid block at {pos}");
    result
}

/// Inputs shorter than this go to the scalar reference: below it, setting up the tables costs more than the
/// vector loop saves. The value is chosen, not yet measured: the crossover benchmark is still to be written.
pub(crate) const SHORT_INPUT: usize = 32;

/// Validates `input` with the exact error semantics of `core::str::from_utf8`.
///
/// `N` must be `BLOCK / V::LANES`.
///
/// # Safety
/// The CPU must support the features `V` needs.
#[inline(always)]
pub(crate) unsafe fn validate<V: Utf8Vector, const N: usize>(input: &[u8]) -> Result<(), Utf8Error> {
    debug_assert_eq!(N * V::LANES, BLOCK);
    let n = input.len();
    if n < SHORT_INPUT {
        return scalar::validate(input);
    }
    let t = Tables::<V>::new();
    if n < BLOCK {
        return validate_tail::<V>(&t, input, 0);
    }
    let ptr = input.as_ptr();

    // First block: the bytes before the input are taken as ASCII (zero).
    // SAFETY: n >= BLOCK.
    let first: [V; N] = unsafe { load_block::<V, N>(ptr) };
    if any_high_bit(&first) && t.classify_block_in_registers(&first, V::splat(0)).any_nonzero() {
        return exact_error(input, 0);
    }
    let mut pos = BLOCK;
    // The vector before `pos` (register form) and whether the bytes before `pos` end inside a sequence.
    let mut prev = first[N - 1];
    let mut prev_incomplete = t.incomplete(prev);
    if V::PREV_FROM_MEMORY {
        // Continue from the first LANES-aligned address after the first vector, so block loads never split a
        // cache line (re-reading a few bytes is harmless: a byte's verdict depends only on it and the three bytes
        // before it). LANES <= 32 here, so `pos - LANES >= 1`.
        pos = BLOCK - (ptr as usize).wrapping_add(BLOCK) % V::LANES;
        // SAFETY: `LANES <= pos <= BLOCK <= n`.
        prev_incomplete = t.incomplete(unsafe { V::load(ptr.add(pos - V::LANES)) });
    }
    // The input is long enough for a final block that overlaps the one before it.
    let overlap_ok = n >= BLOCK + if V::PREV_FROM_MEMORY { 3 } else { V::LANES };
    loop {
        let last = pos + BLOCK > n;
        if last {
            if pos == n {
                break;
            }
            if !overlap_ok {
                return validate_tail::<V>(&t, input, pos);
            }
            // The last partial block: re-read the final BLOCK bytes as one full block.
            pos = n - BLOCK;
            if !V::PREV_FROM_MEMORY {
                // SAFETY: `overlap_ok`: `pos >= LANES`.
                prev = unsafe { V::load(ptr.add(pos - V::LANES)) };
            }
        }
        // SAFETY: `pos + BLOCK <= n`.
        let p = unsafe { ptr.add(pos) };
        // SAFETY: as above.
        let vectors: [V; N] = unsafe { load_block::<V, N>(p) };
        let ascii = !any_high_bit(&vectors);
        // One check per block, of the block's errors, or for an ASCII block of "a sequence was left open before it".
        // (A separate branch on `prev_incomplete` would be taken at random on mixed text.)
        let err = if ascii {
            prev_incomplete
        } else if V::PREV_FROM_MEMORY {
            // SAFETY: `pos >= 3` (the first block covers 0..BLOCK and `pos >= LANES`, or `overlap_ok`), so
            // `p - 3 .. p + BLOCK` lies within the input.
            unsafe { t.classify_block_from_memory(p) }
        } else {
            t.classify_block_in_registers(&vectors, prev)
        };
        if err.any_nonzero() {
            return exact_error(input, pos);
        }
        if ascii {
            prev_incomplete = V::splat(0);
            if !last {
                // A run of ASCII: two blocks per step, no classification needed until a non-ASCII byte.
                prev = vectors[N - 1];
                pos += BLOCK;
                while pos + 2 * BLOCK <= n {
                    // SAFETY: `pos + 2 * BLOCK <= n`.
                    let pair = unsafe { [load_block::<V, N>(ptr.add(pos)), load_block::<V, N>(ptr.add(pos + BLOCK))] };
                    if any_or(&pair[0]).or(any_or(&pair[1])).any_high_bit() {
                        break;
                    }
                    prev = pair[1][N - 1];
                    pos += 2 * BLOCK;
                }
                continue;
            }
        } else {
            prev_incomplete = t.incomplete(vectors[N - 1]);
        }
        if last {
            break;
        }
        prev = vectors[N - 1];
        pos += BLOCK;
    }
    if prev_incomplete.any_nonzero() {
        return exact_error(input, n);
    }
    Ok(())
}

/// Validates `input[pos..]` (fewer than `BLOCK` bytes) through a zero-padded copy that also holds the three
/// bytes before `pos`, so nothing outside the input is read and an incomplete final sequence is flagged by the
/// padding (ASCII where a continuation byte is due).
#[inline(always)]
pub(crate) fn validate_tail<V: Utf8Vector>(t: &Tables<V>, input: &[u8], pos: usize) -> Result<(), Utf8Error> {
    let mut staged = [0u8; 3 + BLOCK];
    let from = pos.saturating_sub(3);
    let rest = &input[from..];
    staged[3 - (pos - from)..3 - (pos - from) + rest.len()].copy_from_slice(rest);
    // SAFETY: `staged` holds 3 + BLOCK bytes, so `staged + 3 - 3 .. staged + 3 + BLOCK` is readable.
    if unsafe { t.classify_block_from_memory(staged.as_ptr().add(3)) }.any_nonzero() {
        return exact_error(input, pos);
    }
    Ok(())
}
