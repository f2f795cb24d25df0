//! XOR masking (RFC 6455 §5.3), written once over [`Vector`] and instantiated per ISA.
//!
//! Byte `i` of the output is byte `i` of the input XOR `key[(phase + i) % 4]`. The kernels take the key as a
//! little-endian `u32` already rotated to the phase of the first byte, so a vector of the key repeated is the
//! mask of any stretch that starts at a multiple of four bytes from there.
//!
//! Every kernel works in place (`src == dst`) or out of place (non-overlapping buffers) with one rule that makes
//! both safe: a region is read before anything overlapping it is written. Up to four vectors a buffer is masked
//! with no loop (the first and last one or two vectors, loaded before any is stored); above that, the first vector
//! and the last four are loaded up front and stored last, so the main loop can start at an aligned destination
//! address and the length need not be a multiple of the vector width, without a byte loop at either end. Where
//! those vectors overlap the loop, they store the same bytes it did (computed from the original bytes).

use super::vector::Vector;
use super::{PREFETCH_AHEAD, PREFETCH_FROM, prefetch_lines};

/// `key` (the pattern for offset 0) rotated to the pattern for `offset`.
#[inline(always)]
#[must_use]
pub(crate) const fn rotate_key(key: u32, offset: usize) -> u32 {
    // `offset % 4` < 4, so the shift is at most 24.
    #[expect(clippy::cast_possible_truncation, reason = "offset % 4 < 4")]
    key.rotate_right(8 * (offset % 4) as u32)
}

/// Masks `len` bytes with 8-, 4- and 1-byte words: the path for buffers shorter than one vector, and the whole of
/// the portable kernel.
///
/// # Safety
/// `src .. src + len` readable, `dst .. dst + len` writable, and `src == dst` or the two do not overlap.
#[inline(always)]
pub(crate) unsafe fn mask_words(src: *const u8, dst: *mut u8, len: usize, key: u32) {
    // SAFETY (whole body): every access is within `0..len` of `src` or `dst`, as the caller allows; the last word
    // is read before the loop writes anything that overlaps it.
    unsafe {
        if len >= 8 {
            let key64 = u64::from(key) | (u64::from(key) << 32);
            let last_at = len - 8;
            let last = read_u64(src.add(last_at)) ^ (u64::from(rotate_key(key, last_at)) * 0x1_0000_0001);
            let mut i = 0;
            while i + 8 <= len {
                write_u64(dst.add(i), read_u64(src.add(i)) ^ key64);
                i += 8;
            }
            write_u64(dst.add(last_at), last);
        } else if len >= 4 {
            let last_at = len - 4;
            let last = read_u32(src.add(last_at)) ^ rotate_key(key, last_at);
            write_u32(dst, read_u32(src) ^ key);
            write_u32(dst.add(last_at), last);
        } else {
            let bytes = key.to_le_bytes();
            for (i, &k) in bytes.iter().enumerate().take(len) {
                *dst.add(i) = *src.add(i) ^ k;
            }
        }
    }
}

#[inline(always)]
unsafe fn read_u64(p: *const u8) -> u64 {
    // SAFETY: the caller guarantees 8 readable bytes at `p`.
    u64::from_le(unsafe { p.cast::<u64>().read_unaligned() })
}

#[inline(always)]
unsafe fn write_u64(p: *mut u8, v: u64) {
    // SAFETY: the caller guarantees 8 writable bytes at `p`.
    unsafe { p.cast::<u64>().write_unaligned(v.to_le()) }
}

#[inline(always)]
unsafe fn read_u32(p: *const u8) -> u32 {
    // SAFETY: the caller guarantees 4 readable bytes at `p`.
    u32::from_le(unsafe { p.cast::<u32>().read_unaligned() })
}

#[inline(always)]
unsafe fn write_u32(p: *mut u8, v: u32) {
    // SAFETY: the caller guarantees 4 writable bytes at `p`.
    unsafe { p.cast::<u32>().write_unaligned(v.to_le()) }
}

/// Vectors per iteration of the main loop.
const UNROLL: usize = 4;

/// Masks `lanes <= len <= UNROLL * lanes` bytes with no loop and no alignment: the first and the last one or two
/// vectors, overlapping when `len` is not a multiple of the vector. At these sizes the fixed cost of a call is most
/// of its time (64 bytes are one load, one XOR and one store).
///
/// # Safety
/// As for [`mask`], and `V::LANES <= len <= UNROLL * V::LANES`.
#[inline(always)]
unsafe fn mask_short<V: Vector>(src: *const u8, dst: *mut u8, len: usize, key: u32) {
    let lanes = V::LANES;
    let k = V::splat_u32(key);
    // A vector that ends at `len` starts a multiple of four bytes before `len`: they all take this key.
    let k_end = V::splat_u32(rotate_key(key, len));
    // SAFETY (whole body): loads of `src + i .. src + i + LANES` and stores of `dst + i .. dst + i + LANES` with
    // `0 <= i <= len - LANES` (the branch bounds `len` from below); every load precedes every store, so in place
    // only original bytes are read, and overlapping stores store equal bytes.
    unsafe {
        if len <= 2 * lanes {
            let first = V::load(src).xor(k);
            let last = V::load(src.add(len - lanes)).xor(k_end);
            first.store(dst);
            last.store(dst.add(len - lanes));
        } else {
            let v0 = V::load(src).xor(k);
            let v1 = V::load(src.add(lanes)).xor(k);
            let v2 = V::load(src.add(len - 2 * lanes)).xor(k_end);
            let v3 = V::load(src.add(len - lanes)).xor(k_end);
            v0.store(dst);
            v1.store(dst.add(lanes));
            v2.store(dst.add(len - 2 * lanes));
            v3.store(dst.add(len - lanes));
        }
    }
}

/// One step of the main loop: `UNROLL` vectors at `i`, each loaded, XORed with `k` and stored.
///
/// # Safety
/// As for [`mask`], and `i + UNROLL * V::LANES <= len`.
#[inline(always)]
unsafe fn mask_step<V: Vector>(src: *const u8, dst: *mut u8, i: usize, k: V) {
    for j in 0..UNROLL {
        // SAFETY: within `i .. i + UNROLL * LANES`, which the caller keeps within the buffers.
        unsafe { V::load(src.add(i + j * V::LANES)).xor(k).store(dst.add(i + j * V::LANES)) };
    }
}

/// Masks `len` bytes from `src` into `dst` (which may be `src`).
///
/// # Safety
/// The CPU must support the features `V` needs; `src .. src + len` readable, `dst .. dst + len` writable, and
/// `src == dst` or the two do not overlap.
#[inline(always)]
pub(crate) unsafe fn mask<V: Vector>(src: *const u8, dst: *mut u8, len: usize, key: u32) {
    let lanes = V::LANES;
    if len < lanes {
        // SAFETY: forwarded from the caller.
        unsafe { mask_words(src, dst, len, key) };
        return;
    }
    if len <= UNROLL * lanes {
        // SAFETY: forwarded from the caller; `lanes <= len <= UNROLL * lanes`.
        unsafe { mask_short::<V>(src, dst, len, key) };
        return;
    }
    // SAFETY (whole body): all loads are of `src + i .. src + i + LANES` and all stores of `dst + i .. dst + i +
    // LANES` with `i + LANES <= len`; each region is loaded before any overlapping store (the first vector and the
    // last `UNROLL` up front, the loop in ascending disjoint steps), so in-place masking sees only original bytes.
    unsafe {
        // The loop starts at the first aligned destination address; the first vector covers the bytes before it
        // (only when there are any), and the last `UNROLL` vectors, loaded up front and stored last, cover the
        // end, so the loop runs while a whole step starts before them, with one exit and no partial step. When
        // the destination is aligned and the length a multiple of the vector, every byte is stored once.
        let mut i = (lanes - (dst as usize) % lanes) % lanes;
        // (No closures here: a closure does not get the kernel's target features, and one that is not inlined calls
        // each intrinsic out of line, outside the run-time-dispatched code; verify.py's instruction-set check of the
        // wheels found exactly that.)
        let first = if i > 0 { Some(V::load(src).xor(V::splat_u32(key))) } else { None };
        let tail_at = len - UNROLL * lanes;
        let k_end = V::splat_u32(rotate_key(key, len));
        let mut tail = [k_end; UNROLL];
        for (j, t) in tail.iter_mut().enumerate() {
            *t = V::load(src.add(tail_at + j * lanes)).xor(k_end);
        }
        let k = V::splat_u32(rotate_key(key, i));
        // In a buffer of `PREFETCH_FROM` bytes or more, each step asks for its lines a few kilobytes ahead, except in
        // the last few kilobytes, so no step pays a bounds check for it.
        while len >= PREFETCH_FROM && i + UNROLL * lanes + PREFETCH_AHEAD <= tail_at {
            // (The prefetched lines end before `tail_at`; the step is within `len` as below.)
            prefetch_lines(src.add(i + PREFETCH_AHEAD), UNROLL * lanes);
            mask_step::<V>(src, dst, i, k);
            i += UNROLL * lanes;
        }
        while i < tail_at {
            // (`i < tail_at = len - UNROLL * lanes`.)
            mask_step::<V>(src, dst, i, k);
            i += UNROLL * lanes;
        }
        if let Some(first) = first {
            first.store(dst);
        }
        for (j, t) in tail.into_iter().enumerate() {
            t.store(dst.add(tail_at + j * lanes));
        }
    }
}
