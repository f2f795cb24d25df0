//! AVX-512 kernels: 64-byte vectors, one per block.
//!
//! Needs the CPU features `avx512f` (loads, stores, logic, `valignq`, mask tests) and `avx512bw` (byte shuffles,
//! byte shifts, saturating byte subtraction, byte sign masks). The previous-byte vectors are built in registers
//! (`valignq` + `vpalignr`): a 64-byte load at offset -1 would split a cache line on every block.

use core::arch::x86_64::{
    __m512i, _mm_loadu_si128, _mm512_alignr_epi8, _mm512_alignr_epi64, _mm512_and_si512, _mm512_broadcast_i32x4,
    _mm512_loadu_si512, _mm512_movepi8_mask, _mm512_or_si512, _mm512_set1_epi8, _mm512_set1_epi32, _mm512_shuffle_epi8,
    _mm512_srli_epi16, _mm512_storeu_si512, _mm512_subs_epu8, _mm512_test_epi64_mask, _mm512_xor_si512,
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
}

// SAFETY: as for the `Vector` impl above.
unsafe impl Utf8Vector for Avx512 {
    const PREV_FROM_MEMORY: bool = false;

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
}

crate::arch::instantiate!("avx512f,avx512bw", Avx512, 1);
