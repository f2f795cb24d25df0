//! AVX-512 kernels: 64-byte vectors, one per block.
//!
//! Needs the CPU features `avx512f` (loads, stores, logic, `valignq`, mask tests) and `avx512bw` (byte shuffles,
//! byte shifts, saturating byte subtraction, byte sign masks, masked byte loads). In the main loop the
//! previous-byte vectors are loaded from memory at offsets -1, -2, -3, as on AVX2: each such load splits a cache
//! line, but loads have ports to spare, while building them in registers (`valignq` + three `vpalignr`) adds four
//! µops to port 5, which the three table lookups already load most (512-bit integer µops run only on ports 0 and 5).
//! Measured side by side on an Intel Xeon (Sapphire Rapids class, 2026-11-29): 1.55-1.6x `simdutf8`'s AVX2 kernel
//! on Latin, mixed, CJK and emoji text at 16-256 KiB with loads, 1.35-1.4x with register shifts. Buffers shorter
//! than a vector and the last partial vector are read with masked loads.

use core::arch::x86_64::{
    __m512i, _mm_loadu_si128, _mm512_alignr_epi8, _mm512_alignr_epi64, _mm512_and_si512, _mm512_broadcast_i32x4,
    _mm512_loadu_si512, _mm512_maskz_loadu_epi8, _mm512_movepi8_mask, _mm512_or_si512, _mm512_set1_epi8,
    _mm512_set1_epi32, _mm512_shuffle_epi8, _mm512_srli_epi16, _mm512_storeu_si512, _mm512_subs_epu8,
    _mm512_test_epi64_mask, _mm512_xor_si512,
};

use crate::arch::vector::{Utf8Vector, Vector};

/// A 512-bit AVX-512 register.
#[derive(Clone, Copy)]
pub(crate) struct Avx512(__m512i);

// SAFETY: every method is `#[inline(always)]` and `Avx512` is only used inside the `#[target_feature(enable =
// "avx512f,avx512bw")]` kernels that `instantiate!` generates at the end of this file, which the dispatcher calls
// only on CPUs with both features ("AVX-512 per the impl contract").
unsafe impl Vector for Avx512 {
    const LANES: usize = 64;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller guarantees 64 readable bytes; AVX-512 per the impl contract.
        Self(unsafe { _mm512_loadu_si512(ptr.cast()) })
    }

    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: the caller guarantees 64 writable bytes; AVX-512 per the impl contract.
        unsafe { _mm512_storeu_si512(ptr.cast(), self.0) }
    }

    #[inline(always)]
    fn splat(byte: u8) -> Self {
        // SAFETY: AVX-512 per the impl contract.
        Self(unsafe { _mm512_set1_epi8(byte.cast_signed()) })
    }

    #[inline(always)]
    fn splat_u32(word: u32) -> Self {
        // SAFETY: AVX-512 per the impl contract.
        Self(unsafe { _mm512_set1_epi32(word.cast_signed()) })
    }

    #[inline(always)]
    fn or(self, other: Self) -> Self {
        // SAFETY: AVX-512 per the impl contract.
        Self(unsafe { _mm512_or_si512(self.0, other.0) })
    }

    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        // SAFETY: AVX-512 per the impl contract.
        Self(unsafe { _mm512_xor_si512(self.0, other.0) })
    }

    #[inline(always)]
    fn any_high_bit(self) -> bool {
        // SAFETY: AVX-512 per the impl contract.
        unsafe { _mm512_movepi8_mask(self.0) != 0 }
    }

    #[inline(always)]
    fn any_nonzero(self) -> bool {
        // SAFETY: AVX-512 per the impl contract.
        unsafe { _mm512_test_epi64_mask(self.0, self.0) != 0 }
    }

    #[inline(always)]
    unsafe fn mask_buffer(src: *const u8, dst: *mut u8, len: usize, key: u32) {
        if len < 64 {
            // Below one vector: AVX2's overlapping 32-byte vectors and words, with plain stores. (A masked store would
            // touch each byte once, but a later load of the same bytes cannot take it from the store buffer and
            // waits for it to complete: measured 10-20 ns per call for a caller that masks the same buffer twice.)
            // SAFETY: forwarded from the caller; the AVX-512 features this is compiled with include AVX2.
            unsafe { crate::arch::mask::mask::<super::avx2::Avx2>(src, dst, len, key) }
        } else {
            // SAFETY: forwarded from the caller.
            unsafe { crate::arch::mask::mask::<Self>(src, dst, len, key) }
        }
    }
}

/// The mask of lanes `0..len` (`len < 64`).
#[inline(always)]
fn prefix_mask(len: usize) -> u64 {
    (1u64 << len) - 1
}

// SAFETY: as for the `Vector` impl above.
unsafe impl Utf8Vector for Avx512 {
    const PREV_FROM_MEMORY: bool = true;

    #[inline(always)]
    fn repeat16(table: [u8; 16]) -> Self {
        // SAFETY: `table` is 16 readable bytes; AVX-512 per the impl contract.
        Self(unsafe { _mm512_broadcast_i32x4(_mm_loadu_si128(table.as_ptr().cast())) })
    }

    #[inline(always)]
    fn lookup16(self, table: Self) -> Self {
        // SAFETY: AVX-512 per the impl contract.
        Self(unsafe { _mm512_shuffle_epi8(table.0, self.0) })
    }

    #[inline(always)]
    fn high_nibbles(self) -> Self {
        // SAFETY: AVX-512 per the impl contract.
        Self(unsafe { _mm512_srli_epi16::<4>(self.0) }).low_nibbles()
    }

    #[inline(always)]
    fn low_nibbles(self) -> Self {
        self.and(Self::splat(0x0F))
    }

    #[inline(always)]
    fn and(self, other: Self) -> Self {
        // SAFETY: AVX-512 per the impl contract.
        Self(unsafe { _mm512_and_si512(self.0, other.0) })
    }

    #[inline(always)]
    fn saturating_sub(self, other: Self) -> Self {
        // SAFETY: AVX-512 per the impl contract.
        Self(unsafe { _mm512_subs_epu8(self.0, other.0) })
    }

    #[inline(always)]
    fn prev<const N: usize>(self, prev: Self) -> Self {
        // SAFETY: AVX-512 per the impl contract. `straddle` holds, per 128-bit lane, the lane before the same lane
        // of `self` (lane 3 of `prev`, then lanes 0..=2 of `self`); `alignr` shifts it in per lane.
        unsafe {
            let straddle = _mm512_alignr_epi64::<6>(self.0, prev.0);
            Self(match N {
                1 => _mm512_alignr_epi8::<15>(self.0, straddle),
                2 => _mm512_alignr_epi8::<14>(self.0, straddle),
                _ => _mm512_alignr_epi8::<13>(self.0, straddle),
            })
        }
    }

    /// A masked load (`vmovdqu8` with a zeroing mask) of the lanes `0..len`. Masked-off bytes are not accessed:
    /// architecturally (Intel SDM vol. 1, 15.4.1: faults are suppressed on masked-off elements, also across a page
    /// boundary), and for the compiler, as the intrinsic is LLVM's `llvm.masked.load`, whose disabled lanes are
    /// neither read nor required to be dereferenceable. The address sanitizer and Miri check it lane by lane: the
    /// guard-page tests and the `asan` stage run it at every length next to an unmapped page, and under Miri
    /// (`cargo +nightly miri run` with `-C target-feature=+avx512f,+avx512bw`, 2026-11-29) validating exact-size
    /// boxed slices of 0 to 70 bytes passes, while one enabled lane past the end is reported as undefined behaviour.
    #[inline(always)]
    unsafe fn load_partial(ptr: *const u8, len: usize) -> Self {
        debug_assert!(0 < len && len < 64);
        // SAFETY: AVX-512 per the impl contract; only the bytes `ptr .. ptr + len` are enabled in the mask, and the
        // caller guarantees them readable (masked-off bytes are not accessed: see above).
        Self(unsafe { _mm512_maskz_loadu_epi8(prefix_mask(len), ptr.cast()) })
    }

    #[inline(always)]
    unsafe fn load_end(ptr: *const u8, len: usize) -> Self {
        // SAFETY: forwarded from the caller (the bytes before `ptr` are not needed).
        unsafe { Self::load_partial(ptr, len) }
    }
}

crate::arch::instantiate!("avx512f,avx512bw", Avx512, 1);
