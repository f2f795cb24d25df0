//! Which kernel runs: the [`Implementation`] enum, run-time selection cached on first use, and checked forcing.
//!
//! ```
//! use nvx_ws::{Implementation, Kernels};
//! // The implementation picked for this CPU (the fastest it supports), detected once and cached.
//! let best = nvx_ws::selected();
//! assert!(best.is_available());
//! // The scalar reference always exists; asking for one the CPU lacks is an error, never undefined behaviour.
//! let scalar = Kernels::new(Implementation::Scalar).unwrap();
//! assert_eq!(scalar.validate_utf8(b"caf\xC3\xA9"), Ok(()));
//! ```
//!
//! Selection order on x86_64: AVX-512 (`avx512f` + `avx512bw`), AVX2 (`avx2`), SSSE3 (`ssse3`), SSE2 (always
//! present: the x86_64 baseline, above which nothing is compiled outside the kernels). On aarch64: NEON (always
//! present). Elsewhere: the scalar reference. Without the `std` feature the choice is made at compile time from the
//! enabled target features, unless the `detect` feature detects the CPU at run time without std (`src/detect.rs`).

use core::fmt;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use crate::utf8::Utf8Error;

/// A set of kernels: one instruction set's UTF-8 validator, masker and fused unmask+validate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Implementation {
    /// The portable reference: a scalar UTF-8 validator and word-at-a-time masking. Available everywhere.
    Scalar,
    /// x86_64 baseline: SSE2 masking; UTF-8 skips ASCII blocks with SSE2 and validates the rest with the scalar
    /// reference (SSE2 has no byte shuffle).
    Sse2,
    /// x86_64 with SSSE3: the vectorised UTF-8 lookup kernel on 16-byte vectors.
    Ssse3,
    /// x86_64 with AVX2: 32-byte vectors.
    Avx2,
    /// x86_64 with AVX-512F and AVX-512BW: 64-byte vectors.
    Avx512,
    /// aarch64 NEON (Advanced SIMD): 16-byte vectors.
    Neon,
}

impl Implementation {
    /// Every implementation, in the order of [`Implementation::index`].
    pub const ALL: [Self; 6] = [Self::Scalar, Self::Sse2, Self::Ssse3, Self::Avx2, Self::Avx512, Self::Neon];

    /// Short lowercase name: `scalar`, `sse2`, `ssse3`, `avx2`, `avx512`, `neon`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Scalar => "scalar",
            Self::Sse2 => "sse2",
            Self::Ssse3 => "ssse3",
            Self::Avx2 => "avx2",
            Self::Avx512 => "avx512",
            Self::Neon => "neon",
        }
    }

    /// The architecture and CPU features this implementation needs.
    #[must_use]
    pub const fn requirement(self) -> &'static str {
        match self {
            Self::Scalar => "any CPU",
            Self::Sse2 => "x86_64",
            Self::Ssse3 => "x86_64 with ssse3",
            Self::Avx2 => "x86_64 with avx2",
            Self::Avx512 => "x86_64 with avx512f and avx512bw",
            Self::Neon => "aarch64",
        }
    }

    /// The implementation called `name` (as printed by [`Implementation::name`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.name() == name)
    }

    /// A stable small number for this implementation (its position in [`Implementation::ALL`]); the C ABI uses
    /// it. Numbers are never reused.
    #[must_use]
    pub const fn index(self) -> u8 {
        self as u8
    }

    /// Whether this build has the implementation and this CPU can run it.
    #[must_use]
    pub fn is_available(self) -> bool {
        crate::arch::kernels_for(self).is_some()
    }
}

impl fmt::Display for Implementation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of asking for an implementation this build or CPU cannot run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unsupported(pub Implementation);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "implementation `{}` needs {}, which this build or CPU lacks", self.0, self.0.requirement())
    }
}

impl core::error::Error for Unsupported {}

/// The function pointers of one implementation's kernels.
///
/// A `&'static KernelFns` is only handed out by [`crate::arch::kernels_for`], after checking that the CPU can run
/// it: holding one is the proof that calling its functions is sound.
pub(crate) struct KernelFns {
    pub(crate) implementation: Implementation,
    pub(crate) validate_utf8: unsafe fn(&[u8]) -> Result<(), Utf8Error>,
    pub(crate) validate_utf8_stream: unsafe fn(&[u8], u32) -> bool,
    pub(crate) mask: unsafe fn(*const u8, *mut u8, usize, u32),
    pub(crate) unmask_validate: unsafe fn(*const u8, *mut u8, usize, u32) -> Result<(), Utf8Error>,
}

/// The kernels of one [`Implementation`] that this CPU can run: obtaining a `Kernels` is the check, calling it is
/// free of detection cost. Cheap to copy (one pointer).
///
/// ```
/// use nvx_ws::{Implementation, Kernels};
/// for kernels in nvx_ws::available().map(|i| Kernels::new(i).unwrap()) {
///     let mut frame = *b"Hello";
///     let phase = kernels.mask(&mut frame, [0x37, 0xfa, 0x21, 0x3d], 0);
///     assert_eq!((&frame, phase), (&[0x7f, 0x9f, 0x4d, 0x51, 0x58], 1));
/// }
/// ```
#[derive(Clone, Copy)]
pub struct Kernels(&'static KernelFns);

impl fmt::Debug for Kernels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Kernels").field(&self.0.implementation).finish()
    }
}

impl PartialEq for Kernels {
    fn eq(&self, other: &Self) -> bool {
        self.implementation() == other.implementation()
    }
}

impl Eq for Kernels {}

/// The packed key of `key` at `phase`: the kernels' form (byte 0 masks the first byte).
#[inline]
const fn packed_key(key: [u8; 4], phase: usize) -> u32 {
    crate::arch::mask::rotate_key(u32::from_le_bytes(key), phase)
}

impl Kernels {
    /// The kernels of `implementation`.
    ///
    /// # Errors
    /// [`Unsupported`] when this build or this CPU cannot run it.
    pub fn new(implementation: Implementation) -> Result<Self, Unsupported> {
        crate::arch::kernels_for(implementation).map(Self).ok_or(Unsupported(implementation))
    }

    /// The kernels [`selected`] for this CPU.
    #[must_use]
    #[inline]
    pub fn selected() -> Self {
        Self(selected_fns())
    }

    /// Which implementation these are.
    #[must_use]
    pub fn implementation(self) -> Implementation {
        self.0.implementation
    }

    /// Validates `input` as UTF-8: [`crate::utf8::validate`] with these kernels.
    ///
    /// # Errors
    /// The first invalid or incomplete sequence, exactly as [`core::str::from_utf8`] reports it.
    #[inline]
    pub fn validate_utf8(self, input: &[u8]) -> Result<(), Utf8Error> {
        // Short ASCII frames (chat lines, JSON events) are the common case: up to 64 bytes are checked inline with
        // overlapping word loads, before the indirect call.
        if crate::arch::utf8::is_short_ascii(input) {
            return Ok(());
        }
        // SAFETY: `self.0` came from `kernels_for`, which checked that this CPU runs these kernels.
        unsafe { (self.0.validate_utf8)(input) }
    }

    /// Whether `input`, continuing a message whose last three bytes are packed in `before`, certainly has no
    /// invalid sequence (see [`crate::arch::utf8::validate_stream`]); `false` may also mean "not checked here".
    #[inline]
    pub(crate) fn validate_utf8_stream(self, input: &[u8], before: u32) -> bool {
        // SAFETY: checked kernels (see `validate_utf8`).
        unsafe { (self.0.validate_utf8_stream)(input, before) }
    }

    /// Masks `buf` in place: [`crate::mask::mask`] with these kernels. Returns the phase after `buf`.
    #[inline]
    pub fn mask(self, buf: &mut [u8], key: [u8; 4], phase: usize) -> usize {
        let ptr = buf.as_mut_ptr();
        // SAFETY: checked kernels (see `validate_utf8`); `ptr` is valid for `buf.len()` bytes of reading and
        // writing, and in-place operation (`src == dst`) is allowed.
        unsafe { (self.0.mask)(ptr, ptr, buf.len(), packed_key(key, phase)) };
        (phase % 4 + buf.len() % 4) % 4
    }

    /// Masks `src` into `dst`: [`crate::mask::mask_to`] with these kernels. Returns the phase after `src`.
    ///
    /// # Panics
    /// If `src` and `dst` differ in length.
    #[inline]
    pub fn mask_to(self, src: &[u8], dst: &mut [u8], key: [u8; 4], phase: usize) -> usize {
        assert_eq!(src.len(), dst.len(), "mask_to: source and destination lengths differ");
        // SAFETY: checked kernels; `src` readable and `dst` writable for `src.len()` bytes, and a shared and a
        // mutable slice never overlap.
        unsafe { (self.0.mask)(src.as_ptr(), dst.as_mut_ptr(), src.len(), packed_key(key, phase)) };
        (phase % 4 + src.len() % 4) % 4
    }

    /// Unmasks `buf` in place and validates the result as UTF-8, in one pass: [`crate::fused::unmask_validate`]
    /// with these kernels. Returns the phase after `buf` and the validation result; `buf` is always unmasked
    /// whole.
    #[inline]
    pub fn unmask_validate(self, buf: &mut [u8], key: [u8; 4], phase: usize) -> (usize, Result<(), Utf8Error>) {
        let ptr = buf.as_mut_ptr();
        // SAFETY: as for `mask`.
        let result = unsafe { (self.0.unmask_validate)(ptr, ptr, buf.len(), packed_key(key, phase)) };
        ((phase % 4 + buf.len() % 4) % 4, result)
    }

    /// Unmasks `src` into `dst` and validates the result, in one pass: [`crate::fused::unmask_validate_to`].
    ///
    /// # Panics
    /// If `src` and `dst` differ in length.
    #[inline]
    pub fn unmask_validate_to(
        self,
        src: &[u8],
        dst: &mut [u8],
        key: [u8; 4],
        phase: usize,
    ) -> (usize, Result<(), Utf8Error>) {
        assert_eq!(src.len(), dst.len(), "unmask_validate_to: source and destination lengths differ");
        // SAFETY: as for `mask_to`.
        let result =
            unsafe { (self.0.unmask_validate)(src.as_ptr(), dst.as_mut_ptr(), src.len(), packed_key(key, phase)) };
        ((phase % 4 + src.len() % 4) % 4, result)
    }
}

/// The cached selection: null until the first call, then a pointer obtained from a `&'static KernelFns` that
/// `kernels_for` handed out (so it is checked, and valid forever).
static SELECTED: AtomicPtr<KernelFns> = AtomicPtr::new(ptr::null_mut());

#[inline]
fn selected_fns() -> &'static KernelFns {
    let fns = SELECTED.load(Ordering::Relaxed);
    if fns.is_null() {
        return select();
    }
    // SAFETY: only pointers made from `&'static KernelFns` returned by `kernels_for` are ever stored; the statics
    // they point to are immutable, so `Relaxed` suffices.
    unsafe { &*fns }
}

/// Caches `fns` as the selection.
fn store(fns: &'static KernelFns) {
    SELECTED.store(ptr::from_ref(fns).cast_mut(), Ordering::Relaxed);
}

/// Detects the best implementation and caches it. Racing first calls all store the same value.
#[cold]
fn select() -> &'static KernelFns {
    const PREFERENCE: [Implementation; 5] = [
        Implementation::Avx512,
        Implementation::Avx2,
        Implementation::Ssse3,
        Implementation::Sse2,
        Implementation::Neon,
    ];
    let fns = PREFERENCE.into_iter().find_map(crate::arch::kernels_for).unwrap_or(&crate::arch::PORTABLE);
    store(fns);
    fns
}

/// The implementation the free functions (`utf8::validate`, `mask::mask`, ...) and new validators and maskers use:
/// the fastest this CPU supports, unless [`force`]d.
#[must_use]
pub fn selected() -> Implementation {
    selected_fns().implementation
}

/// The implementations this build and CPU can run, from [`Implementation::ALL`].
pub fn available() -> impl Iterator<Item = Implementation> {
    Implementation::ALL.into_iter().filter(|i| i.is_available())
}

/// Makes `implementation` the process-wide selection, for diagnostics and benchmarks. Validators and maskers
/// created before keep their kernels. Tests that must not disturb each other use [`Kernels::new`] or
/// [`crate::utf8::Utf8Validator::with_implementation`] instead.
///
/// # Errors
/// [`Unsupported`] when this build or CPU cannot run `implementation`; the selection is then unchanged.
pub fn force(implementation: Implementation) -> Result<(), Unsupported> {
    store(Kernels::new(implementation)?.0);
    Ok(())
}
