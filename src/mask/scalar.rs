//! Scalar reference masker: one byte at a time, the oracle for every kernel.
//!
//! ```
//! let mut b = [0u8; 6];
//! assert_eq!(nvx_ws::mask::scalar::mask(&mut b, [1, 2, 3, 4], 2), 0);
//! assert_eq!(b, [3, 4, 1, 2, 3, 4]);
//! ```

/// Masks `buf` in place, byte `i` with `key[(phase + i) % 4]`. Returns `(phase + buf.len()) % 4`.
pub fn mask(buf: &mut [u8], key: [u8; 4], phase: usize) -> usize {
    for (i, byte) in buf.iter_mut().enumerate() {
        *byte ^= key[(phase.wrapping_add(i)) % 4];
    }
    phase.wrapping_add(buf.len()) % 4
}
