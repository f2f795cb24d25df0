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
//! - On x86 (AVX-512 included) the "previous byte" vectors are read from memory at offsets -1, -2 and -3 instead of
//!   being assembled with cross-lane shuffles ([`Utf8Vector::PREV_FROM_MEMORY`]). Loads go to ports the lookups do
//!   not use, which removes four shuffles per vector from the critical resource; from [`ALIGN_FROM`] bytes on the
//!   main loop starts at an aligned address so the block loads never split a cache line. Runs of ASCII are skipped
//!   four blocks per step.
//! - Errors are checked after every 64-byte block, and any block that flags one is re-read by the scalar
//!   reference from the start of the code point that contains the block's first byte. The scalar pass has the last
//!   word, so every error carries `core::str::from_utf8`'s exact `valid_up_to` and `error_len`.
//! - Nothing outside the input is ever read, and no input is copied. A block that the input only partly fills (an
//!   input shorter than a block, or the end of a longer one) is loaded into zero-filled vectors
//!   ([`Utf8Vector::load_partial`], [`Utf8Vector::load_end`]: masked loads on AVX-512, overlapping word loads or a
//!   full load shifted by a byte shuffle elsewhere), where the zeros after the end make an incomplete final
//!   sequence flag like any other error.
//! - The same scan continues a message across chunks ([`validate_stream`]): the three bytes before a chunk stand in
//!   for the "previous" bytes of its first vector, so the incremental validator keeps three bytes of state instead
//!   of splitting chunks at code points; the errors the zero padding would flag past the end of a chunk are masked
//!   off there, as more bytes may follow.

use super::vector::{Utf8Vector, Vector};
use super::{PREFETCH_AHEAD, PREFETCH_FROM, prefetch_lines};
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

    /// Errors of the block `vectors` (already unmasked), whose masked bytes, and the three masked bytes before them,
    /// are readable at `src - 3 .. src + BLOCK`; `keys[d - 1]` unmasks a vector loaded `d` bytes before a multiple of
    /// four from the block's start (the fused kernel's memory form of the previous-byte vectors).
    ///
    /// # Safety
    /// `src - 3 .. src + BLOCK` must be readable.
    #[inline(always)]
    pub(crate) unsafe fn classify_block_from_masked<const N: usize>(
        &self,
        src: *const u8,
        vectors: &[V; N],
        keys: &[V; 3],
    ) -> V {
        let mut err = V::splat(0);
        for (j, &input) in vectors.iter().enumerate() {
            // SAFETY: the caller guarantees `src - 3 .. src + BLOCK` is readable and `j * LANES + LANES <= BLOCK`.
            unsafe {
                let p = src.add(j * V::LANES);
                let prev1 = V::load(p.sub(1)).xor(keys[0]);
                let prev2 = V::load(p.sub(2)).xor(keys[1]);
                let prev3 = V::load(p.sub(3)).xor(keys[2]);
                err = err.or(self.classify(input, prev1, prev2, prev3));
            }
        }
        err
    }

    /// Errors of the block in `vectors`, the vector before it being `prev`.
    #[inline(always)]
    pub(crate) fn classify_block_in_registers<const N: usize>(&self, vectors: &[V; N], prev: V) -> V {
        let mut err = V::splat(0);
        let mut before = prev;
        for &input in vectors {
            err = err.or(self.classify_vector(input, before));
            before = input;
        }
        err
    }

    /// Errors of `input`, the vector before it being `before` (register form).
    #[inline(always)]
    fn classify_vector(&self, input: V, before: V) -> V {
        self.classify(input, input.prev::<1>(before), input.prev::<2>(before), input.prev::<3>(before))
    }

    /// Errors of a partly filled block: the first `len` bytes of `vectors` (`0 < len < BLOCK`, zero after them),
    /// the vector before being `prev`. With `STREAM`, lanes at or after `len` are not reported: the zeros there are
    /// not the end of the message.
    #[inline(always)]
    fn classify_partial_block<const N: usize, const STREAM: bool>(&self, vectors: &[V; N], len: usize, prev: V) -> V {
        let mut err = V::splat(0);
        let mut before = prev;
        for (k, &input) in vectors.iter().enumerate() {
            let at = k * V::LANES;
            let mut e = self.classify_vector(input, before);
            if at + V::LANES >= len {
                // The last vector that holds input bytes (`len - at` of them, 1..=LANES).
                if STREAM {
                    e = e.and(lanes_below::<V>(len - at));
                } else if len - at == V::LANES {
                    // The input fills this vector exactly (and `len < BLOCK`, so zeros follow): an incomplete end is
                    // an error.
                    e = e.or(self.incomplete(input));
                }
                return err.or(e);
            }
            err = err.or(e);
            before = input;
        }
        err
    }
}

/// 64 bytes of 0xFF, then 64 zero bytes: [`lanes_below`] loads a window of it.
static LANES_BELOW: [u8; 128] = {
    let mut t = [0; 128];
    let mut i = 0;
    while i < 64 {
        t[i] = 0xFF;
        i += 1;
    }
    t
};

/// 0xFF in lanes `0..len`, zero in the others (`len <= LANES`).
#[inline(always)]
fn lanes_below<V: Vector>(len: usize) -> V {
    debug_assert!(len <= V::LANES);
    // SAFETY: `len <= LANES <= 64`, so the LANES bytes at `64 - len` lie within the 128-byte table.
    unsafe { V::load(LANES_BELOW.as_ptr().add(64 - len)) }
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

/// Inputs from this length on are scanned from aligned addresses after the first block, which costs one partial
/// block more (a misaligned input spans one more aligned block) and saves a split load per vector: a win for data
/// that comes from L2 or further (measured on AVX-512, 2026-11-29: 1 KiB pieces of a 256 KiB buffer, ASCII 83
/// against 60 GB/s aligned, mixed text 16.9 against 15.7), a loss for a few hundred bytes in L1 (256 B of ASCII:
/// 11.2 ns aligned, 9 ns not).
const ALIGN_FROM: usize = 8 * BLOCK;

/// As [`ALIGN_FROM`], for a chunk that continues a message: there the extra partial block weighs on every chunk, and
/// 1 KiB chunks streamed from 256 KiB of text were as fast or faster unaligned (AVX-512, 2026-11-29: mixed text 15.0
/// against 12.2 GB/s, CJK 16.4 against 16.6, ASCII 67 against 68, interleaved, fastest rounds).
const STREAM_ALIGN_FROM: usize = 64 * BLOCK;

/// Inputs up to this length are checked for ASCII inline by [`is_short_ascii`] before a kernel is called.
pub(crate) const SHORT_ASCII: usize = 64;

/// Whether `input` is at most [`SHORT_ASCII`] bytes long and all ASCII: up to eight overlapping 8-byte loads (or
/// two of 4, or three single bytes), OR-ed together, no loop, nothing read outside `input`.
#[inline(always)]
pub(crate) fn is_short_ascii(input: &[u8]) -> bool {
    let n = input.len();
    let word = |at: usize| u64::from_le_bytes(input[at..at + 8].try_into().unwrap_or_default());
    let any = match n {
        0 => 0,
        1..=3 => u64::from(input[0] | input[n / 2] | input[n - 1]),
        4..=7 => {
            u64::from(u32::from_le_bytes(input[..4].try_into().unwrap_or_default()))
                | u64::from(u32::from_le_bytes(input[n - 4..].try_into().unwrap_or_default()))
        }
        8..=16 => word(0) | word(n - 8),
        17..=32 => word(0) | word(8) | word(n - 16) | word(n - 8),
        33..=SHORT_ASCII => {
            word(0) | word(8) | word(16) | word(24) | word(n - 32) | word(n - 24) | word(n - 16) | word(n - 8)
        }
        _ => return false,
    };
    any & 0x8080_8080_8080_8080 == 0
}

/// The vectors of the `len` bytes at `ptr` (`0 < len < BLOCK`), zero after them. `room`: the `LANES` bytes before
/// `ptr` are readable too (a partial vector may then be loaded as the full vector that ends where the input ends).
///
/// # Safety
/// `ptr .. ptr + len` must be readable, and with `room`, `ptr - LANES .. ptr` as well.
#[inline(always)]
pub(crate) unsafe fn load_partial_block<V: Utf8Vector, const N: usize>(
    ptr: *const u8,
    len: usize,
    room: bool,
) -> [V; N] {
    // (A loop, not `core::array::from_fn`: its closure is not always inlined, and then runs without the kernel's
    // target features.)
    let mut vectors = [V::splat(0); N];
    let mut k = 0;
    while k < N {
        let at = k * V::LANES;
        if at + V::LANES <= len {
            // SAFETY: within `ptr .. ptr + len`.
            vectors[k] = unsafe { V::load(ptr.add(at)) };
        } else {
            if at < len {
                vectors[k] = if room || len >= V::LANES {
                    // SAFETY: the LANES bytes that end at `ptr + len` are readable: within the input when
                    // `len >= LANES`, else `room` covers the bytes before `ptr`.
                    unsafe { V::load_end(ptr.add(at), len - at) }
                } else {
                    // SAFETY: `ptr .. ptr + len` is readable and `at == 0`, `len < LANES`.
                    unsafe { V::load_partial(ptr, len) }
                };
            }
            break;
        }
        k += 1;
    }
    vectors
}

/// Scans `input` for errors, the three bytes before it being bytes 1..=3 of `before` (the stream state of
/// [`validate_stream`]; zero for the start of a message).
///
/// Returns `Err(pos)` when the block starting at `pos` flags an error (no block before it did), else `Ok(open)`,
/// where `open` is non-zero iff the input ends inside a sequence and no error was flagged for it (the zeros after a
/// partly filled last block flag an incomplete end as an error instead, unless `STREAM`).
///
/// With `STREAM`, the bytes after the input are unknown: nothing past its end is flagged, and `open` is not
/// computed.
///
/// # Safety
/// The CPU must support the features `V` needs.
#[inline(always)]
unsafe fn scan<V: Utf8Vector, const N: usize, const STREAM: bool>(input: &[u8], before: u32) -> Result<V, usize> {
    debug_assert_eq!(N * V::LANES, BLOCK);
    let n = input.len();
    let ptr = input.as_ptr();
    let t = Tables::<V>::new();
    // `before` repeated in every 32-bit lane puts its bytes 1..=3 in the last three lanes.
    let before_bytes = before;
    let before = V::splat_u32(before_bytes);
    let zero = V::splat(0);
    let before_incomplete = if STREAM { t.incomplete(before) } else { zero };
    if n <= BLOCK {
        if n == 0 {
            return Ok(zero);
        }
        // Up to one block: the partial-block path (a full block is loaded whole; its incomplete end is checked there).
        // SAFETY: `ptr .. ptr + n` is the input; no room before it is claimed.
        let vectors: [V; N] = unsafe { load_partial_block::<V, N>(ptr, n, false) };
        return scan_partial_block::<V, N, STREAM>(&t, &vectors, n, before, before_incomplete).map_err(|()| 0);
    }
    // Up to a kilobyte of ASCII (chat lines, JSON events, most stream chunks), after a code point boundary: valid,
    // whatever came before. One test of a fixed number of block loads, with no loop and no alignment work; text whose
    // first block is not ASCII goes straight on.
    // SAFETY (the first block): `n > BLOCK`.
    if n <= 16 * BLOCK && !before_incomplete.any_nonzero() && !any_high_bit(&unsafe { load_block::<V, N>(ptr) }) {
        // SAFETY: `BLOCK < n <= 16 * BLOCK`, as `all_ascii_upto` needs.
        let ascii = unsafe {
            if n <= 4 * BLOCK { all_ascii_upto::<V, N, 4>(ptr, n) } else { all_ascii_upto::<V, N, 16>(ptr, n) }
        };
        if ascii {
            return Ok(zero);
        }
    }

    // The next block to check, the vector before it (register form) and whether the bytes before it end inside a
    // sequence.
    let mut pos = 0;
    let mut prev = before;
    let mut prev_incomplete = before_incomplete;
    if n >= if STREAM { STREAM_ALIGN_FROM } else { ALIGN_FROM } {
        // First block: in registers, after `before`.
        // SAFETY: n >= BLOCK.
        let first: [V; N] = unsafe { load_block::<V, N>(ptr) };
        let err = if any_high_bit(&first) { t.classify_block_in_registers(&first, before) } else { before_incomplete };
        if err.any_nonzero() {
            return Err(0);
        }
        // Continue from the first LANES-aligned address after the start of the first vector, so block loads never
        // split a cache line (re-reading some bytes is harmless: a byte's verdict depends only on it and the three
        // bytes before it). `BLOCK - LANES < pos <= BLOCK`.
        pos = BLOCK - (ptr as usize).wrapping_add(BLOCK) % V::LANES;
        // Only the last three lanes of `prev` count (for the register form and for `incomplete`), so it is built
        // from the three bytes before `pos` (some of them before the input when `pos < 3`).
        let [_, b3, b2, b1] = before_bytes.to_le_bytes();
        let context = [b3, b2, b1, input[0], input[1], input[2]];
        let three = if pos >= 3 {
            [input[pos - 3], input[pos - 2], input[pos - 1]]
        } else {
            [context[pos], context[pos + 1], context[pos + 2]]
        };
        prev = V::splat_u32(u32::from_le_bytes([0, three[0], three[1], three[2]]));
        prev_incomplete = t.incomplete(prev);
    }
    if !prev_incomplete.any_nonzero() {
        // SAFETY: `pos <= n`.
        unsafe { skip_ascii::<V, N>(ptr, &mut pos, n, &mut prev) };
    }
    while pos + BLOCK <= n {
        // SAFETY: `pos + BLOCK <= n`.
        let p = unsafe { ptr.add(pos) };
        // SAFETY: as above.
        let vectors: [V; N] = unsafe { load_block::<V, N>(p) };
        if !any_high_bit(&vectors) {
            // One check per block, of the block's errors, or for an ASCII block of "a sequence was left open before
            // it". (A separate branch on `prev_incomplete` would be taken at random on mixed text.)
            if prev_incomplete.any_nonzero() {
                return Err(pos);
            }
            prev_incomplete = zero;
            prev = vectors[N - 1];
            pos += BLOCK;
            // SAFETY: `pos <= n`.
            unsafe { skip_ascii::<V, N>(ptr, &mut pos, n, &mut prev) };
            continue;
        }
        // A non-ASCII block costs enough that the check for a prefetch is lost in it (see `PREFETCH_AHEAD`).
        super::prefetch_ahead(ptr, pos, n);
        // A block that starts before byte 3 (the first, or the first aligned one of a 64-byte vector kernel) is
        // classified in registers, after `prev`.
        let err = if V::PREV_FROM_MEMORY && pos >= 3 {
            // SAFETY: `pos >= 3`, so `p - 3 .. p + BLOCK` lies within the input.
            unsafe { t.classify_block_from_memory(p) }
        } else {
            t.classify_block_in_registers(&vectors, prev)
        };
        if err.any_nonzero() {
            return Err(pos);
        }
        prev_incomplete = t.incomplete(vectors[N - 1]);
        prev = vectors[N - 1];
        pos += BLOCK;
    }
    if pos == n {
        return Ok(prev_incomplete);
    }
    // The last partial block.
    if V::PREV_FROM_MEMORY {
        // SAFETY: `pos >= LANES`.
        prev = unsafe { V::load(ptr.add(pos - V::LANES)) };
    }
    // SAFETY: `pos .. n` is within the input, and so are the `LANES <= pos` bytes before it.
    let vectors: [V; N] = unsafe { load_partial_block::<V, N>(ptr.add(pos), n - pos, true) };
    scan_partial_block::<V, N, STREAM>(&t, &vectors, n - pos, prev, prev_incomplete).map_err(|()| pos)
}

/// Whether the `n` bytes at `ptr` are all ASCII, from `K` block loads at `min(k * BLOCK, n - BLOCK)` (overlapping
/// where `n < K * BLOCK`): no loop and one branch.
///
/// # Safety
/// `BLOCK <= n <= K * BLOCK`, and `ptr .. ptr + n` readable.
#[inline(always)]
unsafe fn all_ascii_upto<V: Utf8Vector, const N: usize, const K: usize>(ptr: *const u8, n: usize) -> bool {
    let last = n - BLOCK;
    let mut acc = V::splat(0);
    for k in 0..K {
        // SAFETY: every block starts at most `n - BLOCK` bytes in.
        acc = acc.or(any_or(&unsafe { load_block::<V, N>(ptr.add((k * BLOCK).min(last))) }));
    }
    !acc.any_high_bit()
}

/// Skips a run of ASCII from `pos`, four blocks per step: no classification is needed until a non-ASCII byte, after
/// a code point boundary. Leaves `pos` at the first group of four blocks that is not all ASCII (or with fewer left),
/// and `prev` the vector before it.
///
/// # Safety
/// `pos <= n`, and `ptr .. ptr + n` readable.
#[inline(always)]
unsafe fn skip_ascii<V: Utf8Vector, const N: usize>(ptr: *const u8, pos: &mut usize, n: usize, prev: &mut V) {
    // In an input of `PREFETCH_FROM` bytes or more, each step asks for the lines a few kilobytes ahead, except in the
    // last few kilobytes, so that no step pays a bounds check for a prefetch.
    'groups: {
        while n >= PREFETCH_FROM && *pos + 4 * BLOCK + PREFETCH_AHEAD <= n {
            // SAFETY: the prefetched lines end at `pos + 4 * BLOCK + PREFETCH_AHEAD <= n`; the group is in the input.
            unsafe {
                prefetch_lines(ptr.add(*pos + PREFETCH_AHEAD), 4 * BLOCK);
                if !skip_ascii_group::<V, N>(ptr, pos, prev) {
                    break 'groups;
                }
            }
        }
        while *pos + 4 * BLOCK <= n {
            // SAFETY: `pos + 4 * BLOCK <= n`.
            if !unsafe { skip_ascii_group::<V, N>(ptr, pos, prev) } {
                break;
            }
        }
    }
    while *pos + BLOCK <= n {
        // SAFETY: `pos + BLOCK <= n`.
        let block: [V; N] = unsafe { load_block::<V, N>(ptr.add(*pos)) };
        if any_high_bit(&block) {
            break;
        }
        *prev = block[N - 1];
        *pos += BLOCK;
    }
}

/// One step of [`skip_ascii`]: whether the four blocks at `pos` are all ASCII, and if so `pos` after them and `prev`
/// their last vector.
///
/// # Safety
/// `ptr + pos .. ptr + pos + 4 * BLOCK` readable.
#[inline(always)]
unsafe fn skip_ascii_group<V: Utf8Vector, const N: usize>(ptr: *const u8, pos: &mut usize, prev: &mut V) -> bool {
    // SAFETY: forwarded from the caller.
    let run: [[V; N]; 4] = unsafe { core::array::from_fn(|k| load_block::<V, N>(ptr.add(*pos + k * BLOCK))) };
    if any_or(&run[0]).or(any_or(&run[1])).or(any_or(&run[2]).or(any_or(&run[3]))).any_high_bit() {
        return false;
    }
    *prev = run[3][N - 1];
    *pos += 4 * BLOCK;
    true
}

/// [`scan`] of a partly filled block of `len` bytes (`0 < len < BLOCK`), loaded into `vectors`, the vector before it
/// being `prev`, and whether the bytes before it end inside a sequence `prev_incomplete`.
#[inline(always)]
pub(crate) fn scan_partial_block<V: Utf8Vector, const N: usize, const STREAM: bool>(
    t: &Tables<V>,
    vectors: &[V; N],
    len: usize,
    prev: V,
    prev_incomplete: V,
) -> Result<V, ()> {
    let err =
        if any_high_bit(vectors) { t.classify_partial_block::<N, STREAM>(vectors, len, prev) } else { prev_incomplete };
    // An incomplete end is an error here (zeros follow in the block, or, for an exactly filled vector,
    // `classify_partial_block` checked it), so `open` is zero.
    if err.any_nonzero() { Err(()) } else { Ok(V::splat(0)) }
}

/// Validates `input` with the exact error semantics of `core::str::from_utf8`.
///
/// `N` must be `BLOCK / V::LANES`.
///
/// # Safety
/// The CPU must support the features `V` needs.
#[inline(always)]
pub(crate) unsafe fn validate<V: Utf8Vector, const N: usize>(input: &[u8]) -> Result<(), Utf8Error> {
    // SAFETY: forwarded from the caller.
    match unsafe { scan::<V, N, false>(input, 0) } {
        Ok(open) if !open.any_nonzero() => Ok(()),
        Ok(_) => exact_error(input, input.len()),
        Err(pos) => exact_error(input, pos),
    }
}

/// Whether `input`, continuing a message whose last three bytes were `before` (packed as in
/// [`crate::utf8::scalar`]'s stream state: byte 1 of the little-endian word is the third-to-last byte, byte 3 the last;
/// zero at the start of a message), has no invalid sequence. An incomplete sequence at the end of `input` is not an
/// error (more bytes may follow); one left open before `input` that `input` does not continue is.
///
/// `N` must be `BLOCK / V::LANES`.
///
/// # Safety
/// The CPU must support the features `V` needs.
#[inline(always)]
pub(crate) unsafe fn validate_stream<V: Utf8Vector, const N: usize>(input: &[u8], before: u32) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe { scan::<V, N, true>(input, before) }.is_ok()
}
