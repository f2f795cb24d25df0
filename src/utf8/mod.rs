//! UTF-8 validation: one-shot ([`validate`]) and incremental ([`Utf8Validator`]), with exact error positions.
//!
//! ```
//! use nvx_ws::utf8::{self, Utf8Validator};
//!
//! assert!(utf8::validate("κόσμε".as_bytes()).is_ok());
//! let err = utf8::validate(b"ok\xF0\x28\x8C\xBC").unwrap_err();
//! assert_eq!((err.valid_up_to(), err.error_len()), (2, Some(1))); // as core::str::from_utf8
//!
//! // A code point split across chunks is fine; the status is autobahn's (valid, ends_on_codepoint, index, total).
//! let mut v = Utf8Validator::new();
//! let s = v.feed(b"caf\xC3");
//! assert!(s.valid && !s.ends_on_codepoint);
//! let s = v.feed(b"\xA9!");
//! assert!(s.valid && s.ends_on_codepoint && s.total_index == 6);
//! assert!(v.finish().is_ok());
//! ```

pub mod scalar;
mod validator;

pub use validator::{Status, Utf8Validator};

use core::fmt;

/// Where and how UTF-8 validation failed; the same two numbers as [`core::str::Utf8Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Utf8Error {
    valid_up_to: usize,
    /// 1..=3, or 0 for "incomplete at the end of the input".
    error_len: u8,
}

impl Utf8Error {
    #[inline]
    pub(crate) const fn new(valid_up_to: usize, error_len: Option<u8>) -> Self {
        Self {
            valid_up_to,
            error_len: match error_len {
                Some(n) => n,
                None => 0,
            },
        }
    }

    /// The same error, `by` bytes further into the input.
    #[inline]
    #[must_use]
    pub(crate) const fn offset(self, by: usize) -> Self {
        Self { valid_up_to: self.valid_up_to + by, ..self }
    }

    /// The length of the longest prefix of the input that is valid UTF-8.
    #[inline]
    #[must_use]
    pub const fn valid_up_to(&self) -> usize {
        self.valid_up_to
    }

    /// The number of bytes of the invalid sequence at [`Utf8Error::valid_up_to`] (1 to 3), or `None` when the input
    /// ends inside a sequence that more bytes could complete.
    #[inline]
    #[must_use]
    pub const fn error_len(&self) -> Option<usize> {
        match self.error_len {
            0 => None,
            n => Some(n as usize),
        }
    }

    /// The index of the byte at which validation fails, autobahn's convention (the byte where a byte-at-a-time
    /// DFA rejects): [`Utf8Error::valid_up_to`] when the byte there can never start a sequence
    /// (`0x80..=0xC1`, `0xF5..=0xFF`), otherwise `valid_up_to + error_len`. `None` for an incomplete input, which
    /// such a DFA does not reject. `input` is the input the error came from.
    #[must_use]
    pub fn failure_index(&self, input: &[u8]) -> Option<usize> {
        let n = self.error_len()?;
        let lead = input.get(self.valid_up_to).copied().unwrap_or(0);
        // Saturating: a validator reports positions past `usize::MAX` as `usize::MAX`.
        Some(if scalar::sequence_len(lead) == 0 { self.valid_up_to } else { self.valid_up_to.saturating_add(n) })
    }
}

impl fmt::Display for Utf8Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.error_len() {
            Some(n) => write!(f, "invalid utf-8 sequence of {n} bytes from index {}", self.valid_up_to),
            None => write!(f, "incomplete utf-8 byte sequence from index {}", self.valid_up_to),
        }
    }
}

impl core::error::Error for Utf8Error {}

/// Validates `input` as UTF-8 with the [selected](crate::selected) kernels.
///
/// The verdict and the error are exactly those of [`core::str::from_utf8`], on every implementation.
///
/// # Errors
/// The first invalid or incomplete sequence.
#[inline]
pub fn validate(input: &[u8]) -> Result<(), Utf8Error> {
    crate::Kernels::selected().validate_utf8(input)
}
