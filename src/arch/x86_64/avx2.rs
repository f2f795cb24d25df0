//! AVX2 kernels: 32-byte vectors; the UTF-8 kernel reads the previous-byte vectors from memory.
//!
//! Needs the CPU feature `avx2`.

use core::arch::x86_64::{
    __m128i, __m256i, _mm_loadu_si128, _mm_setzero_si128, _mm256_alignr_epi8, _mm256_and_si256,
    _mm256_broadcastsi128_si256, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256, _mm256_permute2x128_si256,
    _mm256_set_m128i, _mm256_set1_epi8, _mm256_set1_epi32, _mm256_shuffle_epi8, _mm256_srli_epi16, _mm256_storeu_si256,
    _mm256_subs_epu8, _mm256_testz_si256, _mm256_xor_si256,
};

use core::cmp::Ordering;

use super::sse::{load_end_16, load_partial_16};
use crate::arch::vector::{Utf8Vector, Vector};

/// A 256-bit AVX2 register.
#[derive(Clone, Copy)]
pub(crate) struct Avx2(__m256i);

// SAFETY: every method is `#[inline(always)]` and `Avx2` is only used inside the `#[target_feature(enable =
// "avx2")]` kernels that `instantiate!` generates at the end of this file, which the dispatcher calls only on CPUs
// with AVX2. Each `unsafe` block below relies on exactly that ("AVX2 per the impl contract").
unsafe impl Vector for Avx2 {
    const LANES: usize = 32;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller guarantees 32 readable bytes; AVX2 per the impl contract.
        Self(unsafe { _mm256_loadu_si256(ptr.cast()) })
    }

    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: the caller guarantees 32 writable bytes; AVX2 per the impl contract.
        unsafe { _mm256_storeu_si256(ptr.cast(), self.0) }
    }

    #[inline(always)]
    fn splat(byte: u8) -> Self {
        // SAFETY: AVX2 per the impl contract.
        Self(unsafe { _mm256_set1_epi8(byte.cast_signed()) })
    }

    #[inline(always)]
    fn splat_u32(word: u32) -> Self {
        // SAFETY: AVX2 per the impl contract.
        Self(unsafe { _mm256_set1_epi32(word.cast_signed()) })
    }

    #[inline(always)]
    fn or(self, other: Self) -> Self {
        // SAFETY: AVX2 per the impl contract.
        Self(unsafe { _mm256_or_si256(self.0, other.0) })
    }

    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        // SAFETY: AVX2 per the impl contract.
        Self(unsafe { _mm256_xor_si256(self.0, other.0) })
    }

    #[inline(always)]
    fn any_high_bit(self) -> bool {
        // SAFETY: AVX2 per the impl contract.
        unsafe { _mm256_movemask_epi8(self.0) != 0 }
    }

    #[inline(always)]
    fn any_nonzero(self) -> bool {
        // SAFETY: AVX2 per the impl contract.
        unsafe { _mm256_testz_si256(self.0, self.0) == 0 }
    }
}

// SAFETY: as for the `Vector` impl above.
unsafe impl Utf8Vector for Avx2 {
    const PREV_FROM_MEMORY: bool = true;

    #[inline(always)]
    fn repeat16(table: [u8; 16]) -> Self {
        // SAFETY: `table` is 16 readable bytes; AVX2 per the impl contract.
        Self(unsafe { _mm256_broadcastsi128_si256(_mm_loadu_si128(table.as_ptr().cast())) })
    }

    #[inline(always)]
    fn lookup16(self, table: Self) -> Self {
        // SAFETY: AVX2 per the impl contract.
        Self(unsafe { _mm256_shuffle_epi8(table.0, self.0) })
    }

    #[inline(always)]
    fn high_nibbles(self) -> Self {
        // SAFETY: AVX2 per the impl contract.
        Self(unsafe { _mm256_srli_epi16::<4>(self.0) }).low_nibbles()
    }

    #[inline(always)]
    fn low_nibbles(self) -> Self {
        self.and(Self::splat(0x0F))
    }

    #[inline(always)]
    fn and(self, other: Self) -> Self {
        // SAFETY: AVX2 per the impl contract.
        Self(unsafe { _mm256_and_si256(self.0, other.0) })
    }

    #[inline(always)]
    fn saturating_sub(self, other: Self) -> Self {
        // SAFETY: AVX2 per the impl contract.
        Self(unsafe { _mm256_subs_epu8(self.0, other.0) })
    }

    #[inline(always)]
    fn prev<const N: usize>(self, prev: Self) -> Self {
        // SAFETY: AVX2 per the impl contract. `straddle` is the high lane of `prev` then the low lane of `self`;
        // `alignr` shifts it in per 128-bit lane.
        unsafe {
            let straddle = _mm256_permute2x128_si256::<0x21>(prev.0, self.0);
            Self(match N {
                1 => _mm256_alignr_epi8::<15>(self.0, straddle),
                2 => _mm256_alignr_epi8::<14>(self.0, straddle),
                _ => _mm256_alignr_epi8::<13>(self.0, straddle),
            })
        }
    }

    #[inline(always)]
    unsafe fn load_partial(ptr: *const u8, len: usize) -> Self {
        // SAFETY: forwarded from the caller; below 16 bytes only `ptr .. ptr + len` is read.
        unsafe { load_halves(ptr, len, false) }
    }

    #[inline(always)]
    unsafe fn load_end(ptr: *const u8, len: usize) -> Self {
        // SAFETY: forwarded from the caller: the 32 bytes before `ptr + len`, so also the 16 before it, are
        // readable.
        unsafe { load_halves(ptr, len, true) }
    }
}

/// The `len` bytes at `ptr` (`0 < len < 32`) in lanes `0..len`, zero above. From 16 bytes on, the low half is a
/// plain load and the high half the 16 bytes that end at `ptr + len`, shifted into place (both within the input);
/// below 16, the low half is the 16 bytes that end at `ptr + len`, shifted, when `room` says they are readable, else
/// assembled from overlapping word loads within `ptr .. ptr + len`.
///
/// # Safety
/// `ptr .. ptr + len` readable, and with `room`, the 16 bytes before `ptr + len` too.
#[inline(always)]
unsafe fn load_halves(ptr: *const u8, len: usize, room: bool) -> Avx2 {
    // SAFETY: AVX2 (which includes SSSE3 for `load_end_16`) per the impl contract; from 16 bytes on,
    // `ptr .. ptr + 16` and `ptr + len - 16 .. ptr + len` lie within `ptr .. ptr + len`; below, `room` or the word
    // loads keep to what the caller allows.
    unsafe {
        match len.cmp(&16) {
            Ordering::Less => {
                let low: __m128i = if room { load_end_16(ptr, len) } else { load_partial_16(ptr, len) };
                Avx2(_mm256_set_m128i(_mm_setzero_si128(), low))
            }
            Ordering::Equal => Avx2(_mm256_set_m128i(_mm_setzero_si128(), _mm_loadu_si128(ptr.cast()))),
            Ordering::Greater => {
                Avx2(_mm256_set_m128i(load_end_16(ptr.add(16), len - 16), _mm_loadu_si128(ptr.cast())))
            }
        }
    }
}

crate::arch::instantiate!("avx2", Avx2, 2);
