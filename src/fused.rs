//! Fused unmasking and UTF-8 validation of incoming masked text frames: one pass over memory instead of two.
//!
//! The results are exactly those of [`mask::mask`](crate::mask::mask) followed by
//! [`utf8::validate`](crate::utf8::validate): the buffer is always unmasked whole, and the error is the same.
//! For a message that arrives in fragments, use [`Utf8Validator::feed_masked`](crate::utf8::Utf8Validator::feed_masked).
//!
//! ```
//! use nvx_ws::{fused, mask};
//! let key = [0x37, 0xfa, 0x21, 0x3d];
//! let mut frame = "héllo wörld".as_bytes().to_vec();
//! mask::mask(&mut frame, key, 0); // what a client sends
//! let (phase, result) = fused::unmask_validate(&mut frame, key, 0);
//! assert_eq!((phase, result), (1, Ok(())));
//! assert_eq!(frame, "héllo wörld".as_bytes());
//! ```

use crate::dispatch::Kernels;
use crate::utf8::Utf8Error;

/// Unmasks `buf` in place (from `phase`) and validates the result as UTF-8. Returns the phase after `buf` and the
/// validation result.
#[inline]
pub fn unmask_validate(buf: &mut [u8], key: [u8; 4], phase: usize) -> (usize, Result<(), Utf8Error>) {
    Kernels::selected().unmask_validate(buf, key, phase)
}

/// Unmasks `src` into `dst` (from `phase`) and validates the result as UTF-8.
///
/// # Panics
/// If `src.len() != dst.len()`.
#[inline]
pub fn unmask_validate_to(src: &[u8], dst: &mut [u8], key: [u8; 4], phase: usize) -> (usize, Result<(), Utf8Error>) {
    Kernels::selected().unmask_validate_to(src, dst, key, phase)
}
