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

    /// Masks `len` bytes from `src` into `dst` with `key`: the masking kernel of this vector type,
    /// [`crate::arch::mask::mask`] unless the ISA has a better one.
    ///
    /// # Safety
    /// The contract of [`crate::arch::mask::mask`].
    #[inline(always)]
    unsafe fn mask_buffer(src: *const u8, dst: *mut u8, len: usize, key: u32) {
        // SAFETY: forwarded from the caller.
        unsafe { crate::arch::mask::mask::<Self>(src, dst, len, key) }
    }
}

/// The operations of the UTF-8 lookup algorithm: byte shuffles and cross-register byte shifts, which SSE2 lacks.
///
/// # Safety
/// As for [`Vector`].
pub(crate) unsafe trait Utf8Vector: Vector {
    /// Whether the UTF-8 kernel should read the "previous byte" vectors from memory (unaligned loads at offsets
    /// -1, -2, -3) rather than assemble them from two registers with [`Utf8Vector::prev`] in the main loop: true
    /// where the ISA's cross-lane byte shifts cost more than loads (x86), false where they are single cheap
    /// instructions (NEON). The first block, partial blocks and the fused kernel always use registers.
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

    /// Loads the `len` bytes at `ptr` into lanes `0..len`, zero in the others, reading nothing outside
    /// `ptr .. ptr + len`: the load of a short input.
    ///
    /// # Safety
    /// `0 < len < LANES`, and `ptr .. ptr + len` must be readable.
    unsafe fn load_partial(ptr: *const u8, len: usize) -> Self;

    /// As [`Utf8Vector::load_partial`], but may read the whole vector that ends at `ptr + len`: the load of the end
    /// of a longer input.
    ///
    /// # Safety
    /// `0 < len < LANES`, and `ptr + len - LANES .. ptr + len` must be readable.
    unsafe fn load_end(ptr: *const u8, len: usize) -> Self;
}

/// The byte shuffle of [`Utf8Vector::load_end`] on 16-byte vectors: the 16 bytes at `SHIFT_IN.add(16 - len)`, used as
/// shuffle indices, move the last `len` bytes of a vector to its lanes `0..len` and zero the other lanes (x86's
/// `pshufb` zeroes a lane whose index has its high bit set, aarch64's `tbl` one whose index is 16 or more).
pub(crate) static SHIFT_IN: [u8; 32] = {
    let mut t = [0x80; 32];
    let mut i = 0;
    while i < 16 {
        #[expect(clippy::cast_possible_truncation, reason = "i < 16")]
        let byte = i as u8;
        t[i] = byte;
        i += 1;
    }
    t
};

/// The `len` bytes at `ptr` (`0 < len < 16`) as the low bytes of a little-endian `u128`, zero above, read with at
/// most two overlapping loads of 8, 4 or 1 bytes that stay within `ptr .. ptr + len`.
///
/// # Safety
/// `ptr .. ptr + len` must be readable.
#[inline(always)]
pub(crate) unsafe fn read_partial_16(ptr: *const u8, len: usize) -> u128 {
    debug_assert!(0 < len && len < 16);
    // SAFETY (whole body): every read is of 8, 4 or 1 bytes at offsets `o` with `o + width <= len`.
    unsafe {
        if len >= 8 {
            // Bytes 0..8 and len-8..len; the overlap holds the same bytes in both.
            let lo = u64::from_le(ptr.cast::<u64>().read_unaligned());
            let hi = u64::from_le(ptr.add(len - 8).cast::<u64>().read_unaligned());
            u128::from(lo) | (u128::from(hi) << (8 * (len - 8)))
        } else if len >= 4 {
            let lo = u32::from_le(ptr.cast::<u32>().read_unaligned());
            let hi = u32::from_le(ptr.add(len - 4).cast::<u32>().read_unaligned());
            u128::from(u64::from(lo) | (u64::from(hi) << (8 * (len - 4))))
        } else {
            // 1..=3 bytes: the first, the middle and the last (some of them the same byte).
            let mid = len / 2;
            u128::from(*ptr)
                | (u128::from(*ptr.add(mid)) << (8 * mid))
                | (u128::from(*ptr.add(len - 1)) << (8 * (len - 1)))
        }
    }
}
