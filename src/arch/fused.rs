//! Fused unmasking and UTF-8 validation: one pass over memory for an incoming masked text frame.
//!
//! Each 64-byte block is loaded once, XORed with the key, stored, and validated from the registers it is already
//! in (with the register form of the previous-byte vectors: the bytes before the block were just written, and
//! reading them back through memory would stall on store forwarding). After the first block that flags an error
//! the rest is only unmasked, and the exact error is found by the scalar reference on the unmasked bytes: the
//! result is always that of [`mask`](super::mask::mask) followed by [`validate`](super::utf8::validate).

use super::utf8::{BLOCK, Tables, any_high_bit, exact_error, load_partial_block, scan_partial_block, validate};
use super::vector::Utf8Vector;
use crate::utf8::Utf8Error;

/// Unmasks `len` bytes from `src` into `dst` (which may be `src`) and validates the result.
///
/// # Safety
/// The CPU must support the features `V` needs; `src .. src + len` readable, `dst .. dst + len` writable, and
/// `src == dst` or the two do not overlap.
#[inline(always)]
pub(crate) unsafe fn unmask_validate<V: Utf8Vector, const N: usize>(
    src: *const u8,
    dst: *mut u8,
    len: usize,
    key: u32,
) -> Result<(), Utf8Error> {
    if len < BLOCK {
        // Less than a block: unmask, then validate the result (in cache) with the short-input path.
        // SAFETY: forwarded from the caller; the slice is built after the last write through `dst`.
        return unsafe {
            V::mask_buffer(src, dst, len, key);
            validate::<V, N>(core::slice::from_raw_parts(dst, len))
        };
    }
    let t = Tables::<V>::new();
    let k = V::splat_u32(key);
    let mut prev = V::splat(0);
    let mut prev_incomplete = V::splat(0);
    let mut pos = 0;
    while pos + BLOCK <= len {
        // SAFETY: `pos + BLOCK <= len`; the block is read before it is written.
        let vectors: [V; N] = unsafe {
            let v: [V; N] = core::array::from_fn(|j| V::load(src.add(pos + j * V::LANES)).xor(k));
            for (j, x) in v.iter().enumerate() {
                x.store(dst.add(pos + j * V::LANES));
            }
            v
        };
        let failed = if any_high_bit(&vectors) {
            let err = t.classify_block_in_registers(&vectors, prev).any_nonzero();
            prev_incomplete = t.incomplete(vectors[N - 1]);
            err
        } else {
            prev_incomplete.any_nonzero()
        };
        if failed {
            let next = pos + BLOCK;
            // SAFETY: `next <= len`; forwarded from the caller. BLOCK is a multiple of 4, so `key` is the phase
            // at `next` too. The slice is built after the last write through `dst`.
            return unsafe {
                V::mask_buffer(src.add(next), dst.add(next), len - next, key);
                exact_error(core::slice::from_raw_parts(dst, len), pos)
            };
        }
        prev = vectors[N - 1];
        pos += BLOCK;
    }
    if pos == len {
        // SAFETY: the whole output has been written.
        let out = unsafe { core::slice::from_raw_parts(dst, len) };
        return if prev_incomplete.any_nonzero() { exact_error(out, len) } else { Ok(()) };
    }
    // The last partial block: unmasked with the vector masker, then validated from the output (still in L1), the
    // vector before it being the last one of the loop.
    // SAFETY: `pos < len`; forwarded from the caller; BLOCK is a multiple of 4. The output is read after the last
    // write through `dst`, and the BLOCK bytes before `dst + pos` are output too.
    unsafe {
        V::mask_buffer(src.add(pos), dst.add(pos), len - pos, key);
        let vectors: [V; N] = load_partial_block::<V, N>(dst.add(pos), len - pos, true);
        match scan_partial_block::<V, N, false>(&t, &vectors, len - pos, prev, prev_incomplete) {
            Ok(_) => Ok(()),
            Err(()) => exact_error(core::slice::from_raw_parts(dst, len), pos),
        }
    }
}
