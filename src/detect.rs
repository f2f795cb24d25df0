//! Run-time CPU feature detection without `std` (the `detect` feature): CPUID and XGETBV on x86_64.
//!
//! ```
//! // With `std` (the default) or `detect`, the kernels follow the CPU the program runs on, detected on first use;
//! // without either, the ones the build's target features allow. The choice is always one this CPU runs.
//! assert!(nvx_ws::selected().is_available());
//! ```
//!
//! A `no_std` build (firmware, a kernel, a unikernel) has no `is_x86_feature_detected!`, but it has the two
//! instructions that macro is built on, in `core::arch`. This module asks them what std would, for the features
//! nvx's kernels need, and caches the answer in one atomic word (racing first calls store the same value):
//!
//! | feature | CPU (CPUID) | OS (XCR0, read with XGETBV when CPUID.1:ECX.OSXSAVE\[27\] is set) |
//! |---|---|---|
//! | `ssse3` | leaf 1, ECX bit 9 | |
//! | `avx2` | leaf 7 (if the maximum leaf is at least 7), EBX bit 5 | XMM and YMM state enabled (bits 1, 2) |
//! | `avx512f` | leaf 7, EBX bit 16 | also opmask, `ZMM_Hi256` and `Hi16_ZMM` state (bits 5, 6, 7) |
//! | `avx512bw` | leaf 7, EBX bit 30 | as `avx512f` |
//!
//! The OS half matters: a CPU with AVX-512 under an OS (or hypervisor) that does not save the ZMM registers on a
//! context switch must not get the AVX-512 kernel, and a kernel that runs before it enables that state in XCR0
//! must not either. Code that runs at a privilege level or in an environment where CPUID or XGETBV trap
//! (an SGX enclave, say) should not enable `detect`.
//!
//! aarch64: nothing to detect. NEON (Advanced SIMD) is part of the baseline of every aarch64 target that enables
//! the `neon` target feature (all of Rust's aarch64 targets except the `-softfloat` ones), so nvx's only aarch64
//! kernel is chosen at compile time, with or without `std`. What a `no_std` aarch64 build could not detect by
//! itself: the optional extensions (SVE, SVE2, dot product, SHA3, ...) are described by the `ID_AA64*` system
//! registers, which only EL1 and above may read (Linux emulates the reads for EL0, other systems trap them), and
//! std reads them from the OS (`getauxval(AT_HWCAP)` on Linux) instead; nvx has no kernel that needs them.

use core::sync::atomic::{AtomicU32, Ordering};

/// A CPU feature nvx's x86_64 kernels need, as a bit of the cached word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum Feature {
    Ssse3 = 1 << 0,
    Avx2 = 1 << 1,
    Avx512f = 1 << 2,
    Avx512bw = 1 << 3,
}

/// Set in [`CACHE`] once detection has run.
const DETECTED: u32 = 1 << 31;

/// The detected features (`Feature` bits) and [`DETECTED`]; 0 before the first detection.
static CACHE: AtomicU32 = AtomicU32::new(0);

/// Whether this CPU, and the OS it runs under, support `feature`. Detected on the first call, cached after.
#[inline]
pub(crate) fn has(feature: Feature) -> bool {
    let mut features = CACHE.load(Ordering::Relaxed);
    if features & DETECTED == 0 {
        features = detect() | DETECTED;
        CACHE.store(features, Ordering::Relaxed);
    }
    features & feature as u32 != 0
}

/// The raw answers the decision is made from.
#[derive(Clone, Copy, Debug, Default)]
struct Cpuid {
    /// CPUID leaf 0, EAX: the highest basic leaf.
    max_leaf: u32,
    /// CPUID leaf 1, ECX.
    leaf1_ecx: u32,
    /// CPUID leaf 7 sub-leaf 0, EBX (0 if `max_leaf < 7`).
    leaf7_ebx: u32,
    /// XCR0 (0 if the OS has not set CR4.OSXSAVE: then XGETBV is not allowed, and no extended state is enabled).
    xcr0: u64,
}

/// Asks the CPU.
#[cold]
#[allow(
    unused_unsafe,
    reason = "`__cpuid` and `__cpuid_count` are unsafe functions at the MSRV (1.89) and safe ones in later releases"
)]
fn detect() -> u32 {
    use core::arch::x86_64::{__cpuid, __cpuid_count, _xgetbv};
    // SAFETY: CPUID exists on every x86_64 CPU; leaf 0 and leaf 1 always, leaf 7 only read when leaf 0 says it
    // exists.
    let (leaf0, leaf1) = unsafe { (__cpuid(0), __cpuid(1)) };
    let max_leaf = leaf0.eax;
    // SAFETY: as above; leaf 7 exists (checked).
    let leaf7_ebx = if max_leaf >= 7 { unsafe { __cpuid_count(7, 0) }.ebx } else { 0 };
    let xcr0 = if leaf1.ecx & OSXSAVE != 0 {
        // SAFETY: CPUID.1:ECX.OSXSAVE set means the OS has set CR4.OSXSAVE, which makes XGETBV (and the `xsave`
        // feature `_xgetbv` is compiled for) available; XCR0 is register 0, which always exists then.
        unsafe { _xgetbv(0) }
    } else {
        0
    };
    decide(Cpuid { max_leaf, leaf1_ecx: leaf1.ecx, leaf7_ebx, xcr0 })
}

const OSXSAVE: u32 = 1 << 27;
/// XCR0: the XMM (SSE) and YMM (AVX) register state.
const XCR0_AVX: u64 = 0b110;
/// XCR0: the opmask, `ZMM_Hi256` and `Hi16_ZMM` state (AVX-512), on top of [`XCR0_AVX`].
const XCR0_AVX512: u64 = 0b1110_0000;

/// The features `id` shows, with the OS half checked as std's `is_x86_feature_detected!` checks it.
const fn decide(id: Cpuid) -> u32 {
    const fn bit(word: u32, n: u32) -> bool {
        word & (1 << n) != 0
    }
    let mut features = 0;
    if bit(id.leaf1_ecx, 9) {
        features |= Feature::Ssse3 as u32;
    }
    let os_avx = bit(id.leaf1_ecx, 27) && id.xcr0 & XCR0_AVX == XCR0_AVX;
    let os_avx512 = os_avx && id.xcr0 & XCR0_AVX512 == XCR0_AVX512;
    let leaf7 = if id.max_leaf >= 7 { id.leaf7_ebx } else { 0 };
    if os_avx && bit(leaf7, 5) {
        features |= Feature::Avx2 as u32;
    }
    if os_avx512 && bit(leaf7, 16) {
        features |= Feature::Avx512f as u32;
    }
    if os_avx512 && bit(leaf7, 30) {
        features |= Feature::Avx512bw as u32;
    }
    features
}

/// The [`Feature`] named as in `#[target_feature]` and `is_x86_feature_detected!` (a compile error for any other
/// name), for `cpu_has!` in `crate::arch`.
macro_rules! cpu_feature {
    ("ssse3") => {
        $crate::detect::Feature::Ssse3
    };
    ("avx2") => {
        $crate::detect::Feature::Avx2
    };
    ("avx512f") => {
        $crate::detect::Feature::Avx512f
    };
    ("avx512bw") => {
        $crate::detect::Feature::Avx512bw
    };
}
pub(crate) use cpu_feature;

#[cfg(test)]
mod tests {
    extern crate std;

    use super::{Cpuid, Feature, OSXSAVE, XCR0_AVX, XCR0_AVX512, decide, has};

    /// This machine: the same answer as std, feature by feature.
    #[test]
    fn agrees_with_std() {
        // The same macro `cpu_has!` uses in `crate::arch` without `std`.
        macro_rules! both {
            ($($name:tt),+) => { [$((super::cpu_feature!($name), std::arch::is_x86_feature_detected!($name))),+] };
        }
        let std_has = both!("ssse3", "avx2", "avx512f", "avx512bw");
        for (feature, std_says) in std_has {
            std::eprintln!("{feature:?}: {std_says}");
            assert_eq!(has(feature), std_says, "{feature:?}");
            assert_eq!(has(feature), std_says, "{feature:?}, cached");
        }
    }

    /// Every CPU feature bit of a recent x86_64 CPU.
    const ALL_CPU: Cpuid = Cpuid {
        max_leaf: 0x20,
        leaf1_ecx: (1 << 9) | OSXSAVE,
        leaf7_ebx: (1 << 5) | (1 << 16) | (1 << 30),
        xcr0: 0b111 | XCR0_AVX512,
    };
    const ALL: u32 = Feature::Ssse3 as u32 | Feature::Avx2 as u32 | Feature::Avx512f as u32 | Feature::Avx512bw as u32;

    #[test]
    fn cpu_and_os_both_decide() {
        assert_eq!(decide(ALL_CPU), ALL);
        assert_eq!(decide(Cpuid::default()), 0);
        // The OS does not save the ZMM registers: AVX2, no AVX-512.
        let no_zmm = Cpuid { xcr0: 0b111, ..ALL_CPU };
        assert_eq!(decide(no_zmm), Feature::Ssse3 as u32 | Feature::Avx2 as u32);
        // Only part of the AVX-512 state.
        for missing in [1 << 5, 1 << 6, 1 << 7] {
            assert_eq!(decide(Cpuid { xcr0: ALL_CPU.xcr0 & !missing, ..ALL_CPU }) & Feature::Avx512f as u32, 0);
        }
        // No YMM state (or OSXSAVE clear, so XCR0 could not be read): SSSE3 only, whatever XCR0 claims.
        assert_eq!(decide(Cpuid { xcr0: 0b011 | XCR0_AVX512, ..ALL_CPU }), Feature::Ssse3 as u32);
        assert_eq!(decide(Cpuid { leaf1_ecx: 1 << 9, ..ALL_CPU }), Feature::Ssse3 as u32);
        // Leaf 7 does not exist: its bits are not read.
        assert_eq!(decide(Cpuid { max_leaf: 6, ..ALL_CPU }), Feature::Ssse3 as u32);
        // Each CPU bit alone.
        assert_eq!(decide(Cpuid { leaf7_ebx: 1 << 30, ..ALL_CPU }), Feature::Ssse3 as u32 | Feature::Avx512bw as u32);
        assert_eq!(decide(Cpuid { leaf1_ecx: OSXSAVE, ..ALL_CPU }), ALL & !(Feature::Ssse3 as u32));
        assert_eq!(XCR0_AVX & XCR0_AVX512, 0);
    }
}
