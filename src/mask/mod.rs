//! WebSocket XOR masking (RFC 6455 §5.3): in place, out of place, and across fragments with [`Masker`].
//!
//! Byte `i` of a payload is XORed with `key[(phase + i) % 4]`; `phase` is the payload offset modulo 4 at which a
//! buffer starts, and every function returns the phase after it, so a payload can be masked in pieces.
//!
//! ```
//! use nvx_ws::mask::{self, Masker};
//! let key = [0x37, 0xfa, 0x21, 0x3d];
//! let mut frame = *b"Hello";
//! assert_eq!(mask::mask(&mut frame, key, 0), 1);
//! assert_eq!(&frame, &[0x7f, 0x9f, 0x4d, 0x51, 0x58]); // the example of RFC 6455 §5.7
//!
//! // The same in two fragments: the Masker carries the phase.
//! let mut m = Masker::new(key);
//! let (mut a, mut b) = (*b"Hel", *b"lo");
//! m.process(&mut a);
//! m.process(&mut b);
//! assert_eq!([&a[..], &b[..]].concat(), frame);
//! assert_eq!(m.pointer(), 5);
//! ```

pub mod scalar;

use crate::dispatch::{Implementation, Kernels, Unsupported};

/// Masks `buf` in place with `key`, starting at `phase` (taken modulo 4), with the [selected](crate::selected)
/// kernels. Returns the phase after `buf`: `(phase + buf.len()) % 4`.
#[inline]
pub fn mask(buf: &mut [u8], key: [u8; 4], phase: usize) -> usize {
    Kernels::selected().mask(buf, key, phase)
}

/// Masks `src` into `dst` in one pass, starting at `phase`. Returns the phase after it.
///
/// # Panics
/// If `src.len() != dst.len()`.
#[inline]
pub fn mask_to(src: &[u8], dst: &mut [u8], key: [u8; 4], phase: usize) -> usize {
    Kernels::selected().mask_to(src, dst, key, phase)
}

/// A masker for one payload that may arrive in fragments: autobahn's `XorMaskerShifted1`.
#[derive(Clone, Debug)]
pub struct Masker {
    kernels: Kernels,
    key: [u8; 4],
    /// Bytes processed since creation or the last reset (wrapping; only its value modulo 4 matters for masking).
    position: usize,
}

impl Masker {
    /// A masker for `key` at position 0, using the [selected](crate::selected) kernels.
    #[must_use]
    pub fn new(key: [u8; 4]) -> Self {
        Self { kernels: Kernels::selected(), key, position: 0 }
    }

    /// A masker that uses `implementation`.
    ///
    /// # Errors
    /// [`Unsupported`] if this build or CPU cannot run it.
    pub fn with_implementation(key: [u8; 4], implementation: Implementation) -> Result<Self, Unsupported> {
        Ok(Self { kernels: Kernels::new(implementation)?, key, position: 0 })
    }

    /// Switches to `implementation` for the following calls; the position is kept.
    ///
    /// # Errors
    /// [`Unsupported`] if this build or CPU cannot run it; the masker is then unchanged.
    pub fn set_implementation(&mut self, implementation: Implementation) -> Result<(), Unsupported> {
        self.kernels = Kernels::new(implementation)?;
        Ok(())
    }

    /// The implementation this masker runs.
    #[must_use]
    pub fn implementation(&self) -> Implementation {
        self.kernels.implementation()
    }

    /// Masks (or unmasks) the next `buf.len()` bytes of the payload in place.
    #[inline]
    pub fn process(&mut self, buf: &mut [u8]) {
        self.kernels.mask(buf, self.key, self.position);
        self.skip(buf.len());
    }

    /// Masks the next `src.len()` bytes of the payload from `src` into `dst`.
    ///
    /// # Panics
    /// If `src.len() != dst.len()`.
    #[inline]
    pub fn process_to(&mut self, src: &[u8], dst: &mut [u8]) {
        self.kernels.mask_to(src, dst, self.key, self.position);
        self.skip(src.len());
    }

    /// Bytes processed since creation or the last [`Masker::reset`] (autobahn's `pointer()`; wraps at
    /// `usize::MAX`, which leaves the phase correct).
    #[must_use]
    pub const fn pointer(&self) -> usize {
        self.position
    }

    /// The key.
    #[must_use]
    pub const fn key(&self) -> [u8; 4] {
        self.key
    }

    /// The phase of the next byte: `pointer() % 4`.
    #[must_use]
    pub const fn phase(&self) -> usize {
        self.position % 4
    }

    /// Back to position 0 (same key).
    pub fn reset(&mut self) {
        self.position = 0;
    }

    /// Advances the position by `len` bytes without touching data (for bytes masked elsewhere).
    pub(crate) fn skip(&mut self, len: usize) {
        self.position = self.position.wrapping_add(len);
    }
}
