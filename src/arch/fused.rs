//! Fused unmasking and UTF-8 validation: one pass over memory for an incoming masked text frame.
//!
//! Each 64-byte block is loaded once, XORed with the key, validated from the registers it is in, and stored. Where
//! the validation kernel reads its previous-byte vectors from memory ([`Utf8Vector::PREV_FROM_MEMORY`]), so does the
//! fused one, from the *masked* source (unmasked with the key rotated by one, two and three bytes), and the store of
//! each block waits until the next block's loads are done: in place, those loads then still see the masked bytes,
//! and no load ever reads bytes a recent store wrote (which would stall on store forwarding). After the first block
//! that flags an error the rest is only unmasked, and the exact error is found by the scalar reference on the
//! unmasked bytes: the result is always that of [`mask`](super::mask::mask) followed by
//! [`validate`](super::utf8::validate).

use super::mask::rotate_key;
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
    // The key for vectors loaded 1, 2, 3 bytes before a multiple of four from the start.
    let keys = [1, 2, 3].map(|d| V::splat_u32(rotate_key(key, 4 - d)));
    let unmask = |at: usize| -> [V; N] {
        // SAFETY: callers pass `at + BLOCK <= len`, within `src`.
        unsafe { core::array::from_fn(|j| V::load(src.add(at + j * V::LANES)).xor(k)) }
    };
    let store = |at: usize, v: &[V; N]| {
        for (j, x) in v.iter().enumerate() {
            // SAFETY: callers pass `at + BLOCK <= len`, within `dst`.
            unsafe { x.store(dst.add(at + j * V::LANES)) };
        }
    };
    // The first block: in registers, after nothing.
    let first = unmask(0);
    let mut prev_incomplete = V::splat(0);
    let mut failed = false;
    if any_high_bit(&first) {
        failed = t.classify_block_in_registers(&first, V::splat(0)).any_nonzero();
        prev_incomplete = t.incomplete(first[N - 1]);
    }
    // The unmasked block at `pos - BLOCK`, not stored yet.
    let mut pending = first;
    let mut pos = BLOCK;
    while !failed && pos + BLOCK <= len {
        super::prefetch_ahead(src, pos, len);
        let vectors = unmask(pos);
        if any_high_bit(&vectors) {
            let err = if V::PREV_FROM_MEMORY {
                // SAFETY: `pos >= BLOCK >= 3` and `pos + BLOCK <= len`: within `src`, whose bytes from `pos - 3` on
                // are still the masked ones (the block before `pos` is stored below, after these loads).
                unsafe { t.classify_block_from_masked(src.add(pos), &vectors, &keys) }
            } else {
                t.classify_block_in_registers(&vectors, pending[N - 1])
            };
            failed = err.any_nonzero();
            prev_incomplete = t.incomplete(vectors[N - 1]);
        } else {
            failed = prev_incomplete.any_nonzero();
        }
        store(pos - BLOCK, &pending);
        pending = vectors;
        pos += BLOCK;
    }
    store(pos - BLOCK, &pending);
    if failed {
        // The block at `pos - BLOCK` flagged an error: unmask the rest and find it exactly.
        // SAFETY: `pos <= len`; forwarded from the caller. BLOCK is a multiple of 4, so `key` is the phase at `pos`
        // too. The slice is built after the last write through `dst`.
        return unsafe {
            V::mask_buffer(src.add(pos), dst.add(pos), len - pos, key);
            exact_error(core::slice::from_raw_parts(dst, len), pos - BLOCK)
        };
    }
    let prev = pending[N - 1];
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
