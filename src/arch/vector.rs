//! The small vector abstraction the generic kernels are written against.
//!
//! Each ISA module implements [`Vector`] for its register type with `#[inline(always)]` methods, and instantiates
//! the generic algorithms inside a `#[target_feature]` function, so the methods are compiled with that feature set.
//!
//! ```ignore
//! #[target_feature(enable = "avx2")]
//! unsafe fn validate(input: &[u8]) -> Result<(), Utf8Error> {
//!     // SAFETY: the caller guarantees AVX2.
//!     unsafe { crate::arch::utf8::validate::<Avx2>(input) }
//! }
//! ```

/// A vector of `LANES` bytes.
///
/// # Safety
/// Implementations may only be used from code compiled with (and CPUs supporting) the features their methods
/// need; every method is `#[inline(always)]` so that it inherits the caller's `#[target_feature]`.
pub(crate) unsafe trait Vector: Copy {
    /// Bytes per vector: 16, 32 or 64.
    const LANES: usize;

    /// Loads `LANES` bytes from `ptr`, which need not be aligned.
    ///
    /// # Safety
    /// `ptr..ptr + LANES` must be readable.
    unsafe fn load(ptr: *const u8) -> Self;

    /// Stores `LANES` bytes to `ptr`, which need not be aligned.
    ///
    /// # Safety
    /// `ptr..ptr + LANES` must be writable.
    unsafe fn store(self, ptr: *mut u8);

    /// Every byte set to `byte`.
    fn splat(byte: u8) -> Self;

    /// Every 32-bit lane set to `word` (little-endian: byte 0 of the pattern is the low byte).
    fn splat_u32(word: u32) -> Self;

    /// Bitwise or.
    fn or(self, other: Self) -> Self;

    /// Bitwise exclusive or.
    fn xor(self, other: Self) -> Self;

    /// Whether any byte has its high bit set.
    fn any_high_bit(self) -> bool;

    /// Whether any byte is non-zero.
    fn any_nonzero(self) -> bool;
}

/// The operations of the UTF-8 lookup algorithm: byte shuffles and cross-register byte shifts, which SSE2 lacks.
///
/// # Safety
/// As for [`Vector`].
pub(crate) unsafe trait Utf8Vector: Vector {
    /// Whether the UTF-8 kernel should read the "previous byte" vectors from memory (unaligned loads at offsets
    /// -1, -2, -3) rather than assemble them from two registers with [`Utf8Vector::prev`]: true where the ISA's
    /// cross-lane byte shifts cost more than loads (x86), false where they are single cheap instructions (NEON).
    const PREV_FROM_MEMORY: bool;

    /// A 16-byte pattern repeated across the vector (a lookup table for [`Utf8Vector::lookup16`]).
    fn repeat16(table: [u8; 16]) -> Self;

    /// Per byte: `table[self & 15]` for bytes `< 0x80` (callers only pass nibbles).
    fn lookup16(self, table: Self) -> Self;

    /// Per byte: `self >> 4`.
    fn high_nibbles(self) -> Self;

    /// Per byte: `self & 15`.
    fn low_nibbles(self) -> Self;

    /// Bitwise and.
    fn and(self, other: Self) -> Self;

    /// Per byte: unsigned saturating `self - other`.
    fn saturating_sub(self, other: Self) -> Self;

    /// The vector formed by the last `N` bytes of `prev` followed by the first `LANES - N` bytes of `self`:
    /// lane `i` holds the byte `N` positions before lane `i` of `self`. `N` is 1, 2 or 3.
    fn prev<const N: usize>(self, prev: Self) -> Self;
}
