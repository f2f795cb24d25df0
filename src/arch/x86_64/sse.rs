//! 128-bit kernels: SSE2 (the x86_64 baseline) for masking and ASCII skipping, SSSE3 for the UTF-8 lookup kernel.
//!
//! One register type serves both: its [`Vector`] methods use SSE2 only, which every x86_64 CPU has and every
//! x86_64 build enables; its [`Utf8Vector`] methods add SSSE3 (`pshufb`, `palignr`) and are only used inside the
//! `#[target_feature(enable = "ssse3")]` kernels of the [`ssse3`] module.

use core::arch::x86_64::{
    __m128i, _mm_alignr_epi8, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
    _mm_set_epi64x, _mm_set1_epi8, _mm_set1_epi32, _mm_setzero_si128, _mm_shuffle_epi8, _mm_srli_epi16,
    _mm_storeu_si128, _mm_subs_epu8, _mm_xor_si128,
};

use crate::arch::vector::{SHIFT_IN, Utf8Vector, Vector, read_partial_16};

/// The `len` bytes at `ptr` (`0 < len < 16`) in lanes `0..len`, zero above; reads only `ptr .. ptr + len`
/// (overlapping word loads into general registers, then two moves into the vector). SSE2.
///
/// # Safety
/// `ptr .. ptr + len` must be readable.
#[inline(always)]
pub(crate) unsafe fn load_partial_16(ptr: *const u8, len: usize) -> __m128i {
    // SAFETY: forwarded from the caller.
    let v = unsafe { read_partial_16(ptr, len) };
    #[expect(clippy::cast_possible_truncation, reason = "the two halves of the u128")]
    let (lo, hi) = (v as u64, (v >> 64) as u64);
    // SAFETY: SSE2 is the x86_64 baseline.
    unsafe { _mm_set_epi64x(hi.cast_signed(), lo.cast_signed()) }
}

/// The `len` bytes at `ptr` (`0 < len < 16`) in lanes `0..len`, zero above, from the 16-byte load that ends at
/// `ptr + len` and one byte shuffle. Needs SSSE3 (`pshufb`), which the caller's `#[target_feature]` must enable.
///
/// # Safety
/// `ptr + len - 16 .. ptr + len` must be readable; the CPU must have SSSE3.
#[inline(always)]
pub(crate) unsafe fn load_end_16(ptr: *const u8, len: usize) -> __m128i {
    // SAFETY: the caller guarantees the 16 bytes before `ptr + len` and SSSE3; `SHIFT_IN` has 32 bytes and
    // `16 - len + 16 <= 32`.
    unsafe {
        _mm_shuffle_epi8(
            _mm_loadu_si128(ptr.add(len).sub(16).cast()),
            _mm_loadu_si128(SHIFT_IN.as_ptr().add(16 - len).cast()),
        )
    }
}

/// A 128-bit SSE register.
#[derive(Clone, Copy)]
pub(crate) struct Sse(__m128i);

// SAFETY: the methods use SSE2 only, which is part of the x86_64 baseline and statically enabled.
unsafe impl Vector for Sse {
    const LANES: usize = 16;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller guarantees 16 readable bytes.
        Self(unsafe { _mm_loadu_si128(ptr.cast()) })
    }

    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: the caller guarantees 16 writable bytes.
        unsafe { _mm_storeu_si128(ptr.cast(), self.0) }
    }

    #[inline(always)]
    fn splat(byte: u8) -> Self {
        // SAFETY: SSE2 is the x86_64 baseline.
        Self(unsafe { _mm_set1_epi8(byte.cast_signed()) })
    }

    #[inline(always)]
    fn splat_u32(word: u32) -> Self {
        // SAFETY: SSE2 is the x86_64 baseline.
        Self(unsafe { _mm_set1_epi32(word.cast_signed()) })
    }

    #[inline(always)]
    fn or(self, other: Self) -> Self {
        // SAFETY: SSE2 is the x86_64 baseline.
        Self(unsafe { _mm_or_si128(self.0, other.0) })
    }

    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        // SAFETY: SSE2 is the x86_64 baseline.
        Self(unsafe { _mm_xor_si128(self.0, other.0) })
    }

    #[inline(always)]
    fn any_high_bit(self) -> bool {
        // SAFETY: SSE2 is the x86_64 baseline.
        unsafe { _mm_movemask_epi8(self.0) != 0 }
    }

    #[inline(always)]
    fn any_nonzero(self) -> bool {
        // SAFETY: SSE2 is the x86_64 baseline.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(self.0, _mm_setzero_si128())) != 0xFFFF }
    }
}

// SAFETY: every method is `#[inline(always)]`, and the methods of this impl are only called from the
// `#[target_feature(enable = "ssse3")]` kernels of the `ssse3` module below, which the dispatcher calls only on CPUs
// with SSSE3 ("SSSE3 per the impl contract").
unsafe impl Utf8Vector for Sse {
    const PREV_FROM_MEMORY: bool = true;

    #[inline(always)]
    fn repeat16(table: [u8; 16]) -> Self {
        // SAFETY: `table` is 16 readable bytes.
        Self(unsafe { _mm_loadu_si128(table.as_ptr().cast()) })
    }

    #[inline(always)]
    fn lookup16(self, table: Self) -> Self {
        // SAFETY: SSSE3 per the impl contract.
        Self(unsafe { _mm_shuffle_epi8(table.0, self.0) })
    }

    #[inline(always)]
    fn high_nibbles(self) -> Self {
        // SAFETY: SSE2 is the x86_64 baseline.
        Self(unsafe { _mm_srli_epi16::<4>(self.0) }).low_nibbles()
    }

    #[inline(always)]
    fn low_nibbles(self) -> Self {
        self.and(Self::splat(0x0F))
    }

    #[inline(always)]
    fn and(self, other: Self) -> Self {
        // SAFETY: SSE2 is the x86_64 baseline.
        Self(unsafe { _mm_and_si128(self.0, other.0) })
    }

    #[inline(always)]
    fn saturating_sub(self, other: Self) -> Self {
        // SAFETY: SSE2 is the x86_64 baseline.
        Self(unsafe { _mm_subs_epu8(self.0, other.0) })
    }

    #[inline(always)]
    fn prev<const N: usize>(self, prev: Self) -> Self {
        // SAFETY: SSSE3 per the impl contract.
        Self(unsafe {
            match N {
                1 => _mm_alignr_epi8::<15>(self.0, prev.0),
                2 => _mm_alignr_epi8::<14>(self.0, prev.0),
                _ => _mm_alignr_epi8::<13>(self.0, prev.0),
            }
        })
    }

    #[inline(always)]
    unsafe fn load_partial(ptr: *const u8, len: usize) -> Self {
        // SAFETY: forwarded from the caller.
        Self(unsafe { load_partial_16(ptr, len) })
    }

    #[inline(always)]
    unsafe fn load_end(ptr: *const u8, len: usize) -> Self {
        // SAFETY: forwarded from the caller; SSSE3 per the impl contract.
        Self(unsafe { load_end_16(ptr, len) })
    }
}

/// SSE2 kernels: vector masking; UTF-8 by skipping ASCII blocks and validating the rest with the scalar reference
/// (SSE2 has no byte shuffle for the lookup algorithm).
pub(crate) mod sse2 {
    use super::Sse;
    use crate::arch::utf8::{BLOCK, any_high_bit, load_block};
    use crate::utf8::{Utf8Error, scalar};

    /// UTF-8 validation: 64-byte blocks of ASCII are skipped with vector compares, every other block goes
    /// through the scalar reference one code point at a time.
    ///
    /// # Safety
    /// None beyond the x86_64 baseline; `unsafe` for a uniform kernel signature.
    pub(crate) unsafe fn validate_utf8(input: &[u8]) -> Result<(), Utf8Error> {
        let n = input.len();
        let ptr = input.as_ptr();
        let mut pos = 0;
        while pos < n {
            if pos + BLOCK <= n {
                // SAFETY: `pos + BLOCK <= n`; `Sse`'s `Vector` methods need SSE2 only, the x86_64 baseline.
                let vectors: [Sse; 4] = unsafe { load_block::<Sse, 4>(ptr.add(pos)) };
                if !any_high_bit(&vectors) {
                    pos += BLOCK;
                    continue;
                }
            }
            pos = scalar::validate_range(input, pos, (pos + BLOCK).min(n))?;
        }
        Ok(())
    }

    /// No vector scan of continuing chunks: every chunk takes the validator's exact path (ASCII blocks skipped, the
    /// rest scalar), as in one-shot validation.
    ///
    /// # Safety
    /// None; `unsafe` for a uniform kernel signature.
    pub(crate) unsafe fn validate_utf8_stream(_input: &[u8], _before: u32) -> bool {
        false
    }

    /// Masking.
    ///
    /// # Safety
    /// Pointer contract of [`crate::arch::mask::mask`].
    pub(crate) unsafe fn mask(src: *const u8, dst: *mut u8, len: usize, key: u32) {
        // SAFETY: forwarded from the caller; SSE2 is the x86_64 baseline.
        unsafe { crate::arch::mask::mask::<Sse>(src, dst, len, key) }
    }

    /// Unmasking then validation, in two passes (there is no fused SSE2 kernel).
    ///
    /// # Safety
    /// Pointer contract of [`crate::arch::fused::unmask_validate`].
    pub(crate) unsafe fn unmask_validate(src: *const u8, dst: *mut u8, len: usize, key: u32) -> Result<(), Utf8Error> {
        // SAFETY: forwarded from the caller; the slice is built after the last write through `dst`.
        unsafe {
            mask(src, dst, len, key);
            validate_utf8(core::slice::from_raw_parts(dst, len))
        }
    }
}

/// SSSE3 kernels: the lookup UTF-8 kernel on 16-byte vectors.
pub(crate) mod ssse3 {
    use super::Sse;

    crate::arch::instantiate!("ssse3", Sse, 4);
}
