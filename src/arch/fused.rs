//! Fused unmasking and UTF-8 validation: one pass over memory for an incoming masked text frame.
//!
//! Each 64-byte block is loaded once, XORed with the key, stored, and validated from the registers it is already
//! in (with the register form of the previous-byte vectors: the bytes before the block were just written, and
//! reading them back through memory would stall on store forwarding). After the first block that flags an error
//! the rest is only unmasked, and the exact error is found by the scalar reference on the unmasked bytes: the
//! result is always that of [`mask`](super::mask::mask) followed by [`validate`](super::utf8::validate).

use super::mask::{mask, mask_words};
use super::utf8::{BLOCK, SHORT_INPUT, Tables, any_high_bit, exact_error, validate_tail};
use super::vector::Utf8Vector;
use crate::utf8::{Utf8Error, scalar};

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
    if len < SHORT_INPUT {
        // SAFETY: forwarded from the caller; the slice is built after the last write through `dst`.
        return unsafe {
            mask_words(src, dst, len, key);
            scalar::validate(core::slice::from_raw_parts(dst, len))
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
                mask::<V>(src.add(next), dst.add(next), len - next, key);
                exact_error(core::slice::from_raw_parts(dst, len), pos)
            };
        }
        prev = vectors[N - 1];
        pos += BLOCK;
    }
    // SAFETY: `pos <= len`; forwarded from the caller. The slice is built after the last write through `dst`.
    let out = unsafe {
        mask_words(src.add(pos), dst.add(pos), len - pos, key);
        core::slice::from_raw_parts(dst, len)
    };
    if pos == len {
        return if prev_incomplete.any_nonzero() { exact_error(out, pos) } else { Ok(()) };
    }
    validate_tail::<V>(&t, out, pos)
}
