//! SIMD kernels: generic algorithms written once over [`vector::Vector`], instantiated per ISA.
//!
//! The only `cfg` gates on architecture live in this file. Each ISA module defines its register type, implements
//! the vector traits for it, and calls [`instantiate!`] to stamp out the three kernels the dispatcher needs
//! (`validate_utf8`, `mask`, `unmask_validate`) under the right `#[target_feature]`.

#![expect(
    clippy::inline_always,
    reason = "vector methods and generic kernels must inline into their `#[target_feature]` callers to be compiled with those features"
)]

pub(crate) mod fused;
pub(crate) mod mask;
pub(crate) mod utf8;
pub(crate) mod vector;

#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_64;

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) mod aarch64;

/// How far ahead of the bytes being worked on a long input is prefetched: the kernels ask for the cache lines this
/// many bytes on while they work (x86_64 only, see [`prefetch_lines`]). Measured on AVX-512 (2026-11-29, interleaved
/// with the same code without prefetching): non-ASCII validation of 64 MiB 6.0 -> 9.4 GB/s and of 16 MiB 12.0 ->
/// 17.6 (mixed text), the fused pass in place at 16 MiB 1.27 -> 1.70x the two passes (both prefetching after),
/// masking in place at 64 MiB 1.15-1.2x a plain loop; 2 and 3 KiB ahead measured within the noise of 4 KiB, 8 KiB
/// slower at 64 KiB-1 MiB (benches/RESULTS.md, "What changed"). Classifying a non-ASCII block costs enough µops that the out-of-order window
/// covers only about a kilobyte of input, and the hardware prefetchers alone did not keep the loop fed.
pub(crate) const PREFETCH_AHEAD: usize = 4096;

/// The loops whose steps are cheap (masking, runs of ASCII) prefetch only in inputs of this many bytes or more: in
/// one that fits the caches the prefetches only take load slots (masking in place at 16 KiB 0.85x, ASCII validation
/// at 16-256 KiB 0.95x with them; masking in place at 64 MiB 1.1-1.2x). The validation of a non-ASCII block
/// prefetches at any size (no difference measured at 16 and 256 KiB).
pub(crate) const PREFETCH_FROM: usize = 1 << 20;

/// Asks for the cache lines of `ptr .. ptr + len` (`prefetcht0`, SSE: every x86_64 kernel has it): a hint, which
/// reads nothing and changes nothing the program sees. Elsewhere nothing.
///
/// # Safety
/// `ptr .. ptr + len` lies within the caller's input (so the pointer arithmetic stays in bounds; the kernels never
/// name an address outside their input, not even for a hint).
#[inline(always)]
pub(crate) unsafe fn prefetch_lines(ptr: *const u8, len: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let mut k = 0;
        while k < len {
            // SAFETY: `k < len`, within the caller's input; a prefetch has no effect on memory.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(ptr.add(k).cast()) };
            k += 64;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (ptr, len);
}

/// The cache line [`PREFETCH_AHEAD`] bytes after `ptr + pos`, when that is still inside the `n` bytes at `ptr`: for
/// loops whose every step costs far more than this check (a block of non-ASCII text).
#[inline(always)]
pub(crate) fn prefetch_ahead(ptr: *const u8, pos: usize, n: usize) {
    if pos + PREFETCH_AHEAD < n {
        // SAFETY: the byte at `pos + PREFETCH_AHEAD` is inside the `n` bytes at `ptr`.
        unsafe { prefetch_lines(ptr.add(pos + PREFETCH_AHEAD), 1) };
    }
}

/// Generates the kernels of one ISA: `instantiate!("features", VectorType, vectors_per_block)`.
macro_rules! instantiate {
    ($features:literal, $vector:ty, $per_block:literal) => {
        /// UTF-8 validation with exact errors.
        ///
        /// # Safety
        /// The CPU must support the features this kernel is compiled for.
        #[target_feature(enable = $features)]
        pub(crate) unsafe fn validate_utf8(input: &[u8]) -> Result<(), $crate::utf8::Utf8Error> {
            // SAFETY: the features are enabled here and guaranteed by the caller.
            unsafe { $crate::arch::utf8::validate::<$vector, $per_block>(input) }
        }

        /// UTF-8 validation of a chunk that continues a message (see [`crate::arch::utf8::validate_stream`]).
        ///
        /// # Safety
        /// The CPU must support the features this kernel is compiled for.
        #[target_feature(enable = $features)]
        pub(crate) unsafe fn validate_utf8_stream(input: &[u8], before: u32) -> bool {
            // SAFETY: the features are enabled here and guaranteed by the caller.
            unsafe { $crate::arch::utf8::validate_stream::<$vector, $per_block>(input, before) }
        }

        /// Masking, in place (`src == dst`) or out of place.
        ///
        /// # Safety
        /// The CPU must support the features this kernel is compiled for; pointer contract of
        /// [`crate::arch::mask::mask`].
        #[target_feature(enable = $features)]
        pub(crate) unsafe fn mask(src: *const u8, dst: *mut u8, len: usize, key: u32) {
            // SAFETY: the features are enabled here; the pointer contract is forwarded from the caller.
            unsafe { <$vector as $crate::arch::vector::Vector>::mask_buffer(src, dst, len, key) }
        }

        /// Fused unmasking and UTF-8 validation.
        ///
        /// # Safety
        /// The CPU must support the features this kernel is compiled for; pointer contract of
        /// [`crate::arch::fused::unmask_validate`].
        #[target_feature(enable = $features)]
        pub(crate) unsafe fn unmask_validate(
            src: *const u8,
            dst: *mut u8,
            len: usize,
            key: u32,
        ) -> Result<(), $crate::utf8::Utf8Error> {
            // SAFETY: the features are enabled here; the pointer contract is forwarded from the caller.
            unsafe { $crate::arch::fused::unmask_validate::<$vector, $per_block>(src, dst, len, key) }
        }
    };
}
pub(crate) use instantiate;

/// The portable kernels: the scalar UTF-8 reference and word-at-a-time masking.
pub(crate) mod portable {
    use crate::utf8::{Utf8Error, scalar};

    /// UTF-8 validation (the scalar reference).
    ///
    /// # Safety
    /// None; `unsafe` for a uniform kernel signature.
    pub(crate) unsafe fn validate_utf8(input: &[u8]) -> Result<(), Utf8Error> {
        scalar::validate(input)
    }

    /// No vector scan: every chunk of a message takes the validator's exact path (the scalar reference).
    ///
    /// # Safety
    /// None; `unsafe` for a uniform kernel signature.
    pub(crate) unsafe fn validate_utf8_stream(_input: &[u8], _before: u32) -> bool {
        false
    }

    /// Masking with 8-byte words.
    ///
    /// # Safety
    /// Pointer contract of [`crate::arch::mask::mask`].
    pub(crate) unsafe fn mask(src: *const u8, dst: *mut u8, len: usize, key: u32) {
        // SAFETY: forwarded from the caller.
        unsafe { crate::arch::mask::mask_words(src, dst, len, key) }
    }

    /// Unmasking then validation, in two passes.
    ///
    /// # Safety
    /// Pointer contract of [`crate::arch::fused::unmask_validate`].
    pub(crate) unsafe fn unmask_validate(src: *const u8, dst: *mut u8, len: usize, key: u32) -> Result<(), Utf8Error> {
        // SAFETY: forwarded from the caller; the slice is built after the last write through `dst`.
        unsafe {
            mask(src, dst, len, key);
            scalar::validate(core::slice::from_raw_parts(dst, len))
        }
    }
}

use crate::dispatch::{Implementation, KernelFns};

/// Whether the CPU has `$feature` on x86_64: detected at run time with `std` (std's detection) or `detect`
/// (`crate::detect`), fixed at compile time without either.
#[cfg(all(target_arch = "x86_64", feature = "std"))]
macro_rules! cpu_has {
    ($($feature:tt),+) => { $(std::arch::is_x86_feature_detected!($feature))&&+ };
}
#[cfg(all(target_arch = "x86_64", not(feature = "std"), feature = "detect"))]
macro_rules! cpu_has {
    ($($feature:tt),+) => { $(crate::detect::has(crate::detect::cpu_feature!($feature)))&&+ };
}
#[cfg(all(target_arch = "x86_64", not(feature = "std"), not(feature = "detect")))]
macro_rules! cpu_has {
    ($($feature:tt),+) => { $(cfg!(target_feature = $feature))&&+ };
}

/// The portable kernels, available everywhere.
pub(crate) static PORTABLE: KernelFns = KernelFns {
    implementation: Implementation::Scalar,
    validate_utf8: portable::validate_utf8,
    validate_utf8_stream: portable::validate_utf8_stream,
    mask: portable::mask,
    unmask_validate: portable::unmask_validate,
};

/// Declares the `KernelFns` of an ISA module generated by `instantiate!` (or written out like it).
macro_rules! kernel_fns {
    ($name:ident, $implementation:ident, $module:path) => {
        static $name: KernelFns = {
            use $module as m;
            KernelFns {
                implementation: Implementation::$implementation,
                validate_utf8: m::validate_utf8,
                validate_utf8_stream: m::validate_utf8_stream,
                mask: m::mask,
                unmask_validate: m::unmask_validate,
            }
        };
    };
}

#[cfg(target_arch = "x86_64")]
kernel_fns!(SSE2, Sse2, x86_64::sse::sse2);
#[cfg(target_arch = "x86_64")]
kernel_fns!(SSSE3, Ssse3, x86_64::sse::ssse3);
#[cfg(target_arch = "x86_64")]
kernel_fns!(AVX2, Avx2, x86_64::avx2);
#[cfg(target_arch = "x86_64")]
kernel_fns!(AVX512, Avx512, x86_64::avx512);
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
kernel_fns!(NEON, Neon, aarch64::neon);

/// The kernels of `implementation`, if this build has them and this CPU can run them.
///
/// This is the only place that decides whether a kernel may run: a `&'static KernelFns` is the proof.
pub(crate) fn kernels_for(implementation: Implementation) -> Option<&'static KernelFns> {
    match implementation {
        Implementation::Scalar => Some(&PORTABLE),
        #[cfg(target_arch = "x86_64")]
        Implementation::Sse2 => Some(&SSE2),
        #[cfg(target_arch = "x86_64")]
        Implementation::Ssse3 if cpu_has!("ssse3") => Some(&SSSE3),
        #[cfg(target_arch = "x86_64")]
        Implementation::Avx2 if cpu_has!("avx2") => Some(&AVX2),
        #[cfg(target_arch = "x86_64")]
        Implementation::Avx512 if cpu_has!("avx512f", "avx512bw") => Some(&AVX512),
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Implementation::Neon => Some(&NEON),
        _ => None,
    }
}
