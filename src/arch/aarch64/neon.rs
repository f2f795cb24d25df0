//! NEON kernels: 16-byte vectors; the UTF-8 kernel builds its previous-byte vectors in registers with `ext`.
//!
//! Needs NEON (Advanced SIMD), which the aarch64 targets enable by default (the ABI passes floating-point values
//! in its registers), so it is selected at compile time with no detection. The table lookups are `tbl`
//! (`vqtbl1q_u8`), the high nibble is a single `ushr`, and the cross-register byte shifts are single `ext`
//! instructions (`vextq_u8`), which is why this kernel keeps [`Utf8Vector::PREV_FROM_MEMORY`] false.

use core::arch::aarch64::{
    uint8x16_t, vandq_u8, vdupq_n_u8, vdupq_n_u32, veorq_u8, vextq_u8, vgetq_lane_u64, vld1q_u8, vorrq_u8, vpmaxq_u8,
    vqsubq_u8, vqtbl1q_u8, vreinterpretq_u8_u32, vreinterpretq_u64_u8, vshrq_n_u8, vst1q_u8,
};

use crate::arch::vector::{SHIFT_IN, Utf8Vector, Vector, read_partial_16};

/// A 128-bit NEON register.
#[derive(Clone, Copy)]
pub(crate) struct Neon(uint8x16_t);

impl Neon {
    /// The low 64 bits of `umaxp self, self`: byte `i` is the larger of bytes `2i` and `2i + 1`, so the word
    /// holds the maximum of every byte pair and is zero iff the vector is.
    ///
    /// The reductions use this rather than `umaxv` (`vmaxvq_u8`): `umaxp` is one µop with latency 2 on any ASIMD
    /// pipe of Neoverse N1 and V2, while a 16-lane `umaxv` is two µops on one pipe (latency 6 on N1, 4 on V2;
    /// LLVM's scheduling models). Either then needs one move to a general register; reducing the two 64-bit
    /// halves instead needs two moves and a scalar `orr`.
    #[inline(always)]
    fn pairwise_max_u64(self) -> u64 {
        // SAFETY: NEON per the impl contract.
        unsafe { vgetq_lane_u64::<0>(vreinterpretq_u64_u8(vpmaxq_u8(self.0, self.0))) }
    }
}

// SAFETY: every method is `#[inline(always)]` and uses NEON only, which the aarch64 targets this crate builds for
// enable statically, so every aarch64 CPU it runs on has it; `Neon` is used inside the `#[target_feature(enable =
// "neon")]` kernels that `instantiate!` generates at the end of this file. The intrinsics still need `unsafe` in
// these methods (which do not list the feature themselves): each block below relies on this ("NEON per the impl
// contract").
unsafe impl Vector for Neon {
    const LANES: usize = 16;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller guarantees 16 readable bytes (`ld1` has no alignment requirement); NEON per the impl
        // contract.
        Self(unsafe { vld1q_u8(ptr) })
    }

    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: the caller guarantees 16 writable bytes (`st1` has no alignment requirement); NEON per the impl
        // contract.
        unsafe { vst1q_u8(ptr, self.0) }
    }

    #[inline(always)]
    fn splat(byte: u8) -> Self {
        // SAFETY: NEON per the impl contract.
        Self(unsafe { vdupq_n_u8(byte) })
    }

    #[inline(always)]
    fn splat_u32(word: u32) -> Self {
        // SAFETY: NEON per the impl contract. Byte lane 0 is the low byte of 32-bit lane 0.
        Self(unsafe { vreinterpretq_u8_u32(vdupq_n_u32(word)) })
    }

    #[inline(always)]
    fn or(self, other: Self) -> Self {
        // SAFETY: NEON per the impl contract.
        Self(unsafe { vorrq_u8(self.0, other.0) })
    }

    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        // SAFETY: NEON per the impl contract.
        Self(unsafe { veorq_u8(self.0, other.0) })
    }

    #[inline(always)]
    fn any_high_bit(self) -> bool {
        // The maximum of a pair has its high bit set iff one of the two bytes has.
        self.pairwise_max_u64() & 0x8080_8080_8080_8080 != 0
    }

    #[inline(always)]
    fn any_nonzero(self) -> bool {
        self.pairwise_max_u64() != 0
    }
}

// SAFETY: as for the `Vector` impl above.
unsafe impl Utf8Vector for Neon {
    const PREV_FROM_MEMORY: bool = false;

    #[inline(always)]
    fn repeat16(table: [u8; 16]) -> Self {
        // SAFETY: `table` is 16 readable bytes; NEON per the impl contract.
        Self(unsafe { vld1q_u8(table.as_ptr()) })
    }

    #[inline(always)]
    fn lookup16(self, table: Self) -> Self {
        // SAFETY: NEON per the impl contract. `tbl` yields 0 for indices >= 16; callers pass nibbles.
        Self(unsafe { vqtbl1q_u8(table.0, self.0) })
    }

    #[inline(always)]
    fn high_nibbles(self) -> Self {
        // SAFETY: NEON per the impl contract. A per-byte shift: no mask needed, unlike x86's 16-bit shifts.
        Self(unsafe { vshrq_n_u8::<4>(self.0) })
    }

    #[inline(always)]
    fn low_nibbles(self) -> Self {
        self.and(Self::splat(0x0F))
    }

    #[inline(always)]
    fn and(self, other: Self) -> Self {
        // SAFETY: NEON per the impl contract.
        Self(unsafe { vandq_u8(self.0, other.0) })
    }

    #[inline(always)]
    fn saturating_sub(self, other: Self) -> Self {
        // SAFETY: NEON per the impl contract.
        Self(unsafe { vqsubq_u8(self.0, other.0) })
    }

    #[inline(always)]
    fn prev<const N: usize>(self, prev: Self) -> Self {
        // SAFETY: NEON per the impl contract. `ext #k` takes bytes k..16 of `prev`, then bytes 0..16-k of
        // `self`: k = 16 - N.
        Self(unsafe {
            match N {
                1 => vextq_u8::<15>(prev.0, self.0),
                2 => vextq_u8::<14>(prev.0, self.0),
                _ => vextq_u8::<13>(prev.0, self.0),
            }
        })
    }

    #[inline(always)]
    unsafe fn load_partial(ptr: *const u8, len: usize) -> Self {
        // SAFETY: forwarded from the caller. The bytes go through a 16-byte array in memory order, so lane `i` is
        // byte `i` on either endianness; NEON per the impl contract.
        unsafe {
            let bytes = read_partial_16(ptr, len).to_le_bytes();
            Self(vld1q_u8(bytes.as_ptr()))
        }
    }

    #[inline(always)]
    unsafe fn load_end(ptr: *const u8, len: usize) -> Self {
        // SAFETY: the caller guarantees the 16 bytes before `ptr + len`; `SHIFT_IN` has 32 bytes and
        // `16 - len + 16 <= 32`; `tbl` yields zero for the indices 0x80 of the lanes at or after `len`. NEON per the
        // impl contract.
        unsafe { Self(vqtbl1q_u8(vld1q_u8(ptr.add(len).sub(16)), vld1q_u8(SHIFT_IN.as_ptr().add(16 - len)))) }
    }
}

crate::arch::instantiate!("neon", Neon, 4);
