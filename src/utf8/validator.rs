//! The incremental validator: chunks in, autobahn's four-value status out, code points split anywhere.
//!
//! How it works: the validator keeps the last three bytes of the message. A chunk goes to the SIMD kernel in one
//! call, which takes those three bytes as the bytes before the chunk: it checks every byte of the chunk exactly as
//! one-shot validation of the whole message would, except that a code point left open at the end of the chunk is
//! not an error yet. A valid chunk (the common case) then costs one kernel call and a few byte operations; the
//! code point left open is judged by the lead byte among the last three. Only a chunk the kernel flags (or any
//! chunk, on the scalar and SSE2 implementations) takes the exact path: the bytes that complete a code point left
//! open by the previous chunk (checked by the scalar reference, at most three), the body (one kernel call, with
//! std's exact error), and a trailing open code point (at most three bytes).

use super::{Utf8Error, scalar};
use crate::dispatch::{Implementation, Kernels, Unsupported};
use crate::mask::Masker;

/// The result of feeding one chunk: the four values autobahn's `Utf8Validator.validate` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Status {
    /// No invalid byte so far in the message.
    pub valid: bool,
    /// The message so far ends on a code point boundary (false whenever `valid` is false).
    pub ends_on_codepoint: bool,
    /// Valid: the chunk's length. Invalid: the index in this chunk of the byte at which validation failed
    /// (see [`Utf8Error::failure_index`]); 0 for every chunk after the one that failed.
    pub current_index: usize,
    /// Bytes of the message consumed: all of them while valid, up to the failing byte once invalid. Saturates at
    /// `usize::MAX` (see [`Utf8Validator`]).
    pub total_index: usize,
}

/// Validates a message fed in chunks of any size.
///
/// ```
/// use nvx_ws::utf8::{Status, Utf8Validator};
/// let mut v = Utf8Validator::new();
/// // "€" is E2 82 AC: feed it one byte at a time.
/// assert_eq!(v.feed(b"\xE2"), Status { valid: true, ends_on_codepoint: false, current_index: 1, total_index: 1 });
/// assert_eq!(v.feed(b"\x82"), Status { valid: true, ends_on_codepoint: false, current_index: 1, total_index: 2 });
/// assert_eq!(v.feed(b"\xAC"), Status { valid: true, ends_on_codepoint: true, current_index: 1, total_index: 3 });
/// // A byte that cannot continue the message: rejected at index 1 of this chunk, and the reject is sticky.
/// assert_eq!(v.feed(b"a\xFFb"), Status { valid: false, ends_on_codepoint: false, current_index: 1, total_index: 4 });
/// assert_eq!(v.feed(b"ok"), Status { valid: false, ends_on_codepoint: false, current_index: 0, total_index: 4 });
/// v.reset();
/// assert!(v.feed(b"ok").valid);
/// ```
///
/// A rejection is sticky: after the chunk that failed, every further chunk reports `valid == false` with
/// `current_index == 0` and an unchanged `total_index`, until [`Utf8Validator::reset`].
///
/// Messages longer than `usize::MAX` bytes (4 GiB on a 32-bit target) are validated like any other, and every count
/// and position measured from the start of the message (`total_index`, the `valid_up_to` of [`Utf8Validator::error`]
/// and [`Utf8Validator::finish`]) saturates there: it is exact below `usize::MAX` and `usize::MAX` at or past it,
/// never wrapped and never a panic. (The validator counts in 64 bits; on a 64-bit target the cap would take 16 EiB
/// of input.) `current_index` counts within one chunk and is always exact.
#[derive(Clone, Debug)]
pub struct Utf8Validator {
    kernels: Kernels,
    /// Bytes consumed so far (up to the failing byte after a reject), counted in 64 bits so that positions are
    /// exact up to `usize::MAX` on 32-bit targets too; reported through [`saturate`].
    total: u64,
    /// The last three bytes of the message (zero before its start), packed as the kernels take them: byte 1 of the
    /// little-endian word is the third-to-last byte, byte 3 the last, byte 0 is zero. (Valid so far, so a lead byte
    /// among them is never C0, C1 or F5..FF.)
    tail: u32,
    /// How many of the last bytes start a code point that is still open (valid so far): 0 to 3.
    pending_len: u8,
    /// The first error of the message, relative to the message.
    error: Option<Utf8Error>,
}

/// How many of the last three bytes of a valid message (packed as [`Utf8Validator::tail`]) start a code point that
/// is still open: the last byte is a lead byte (1), or the last is a continuation byte after a three- or four-byte
/// lead (2), or the last two are continuation bytes after a four-byte lead (3). Without branches: at a chunk's end
/// this is data, which a branch predictor cannot learn.
#[inline]
fn open_len(tail: u32) -> u8 {
    let [_, b3, b2, b1] = tail.to_le_bytes();
    let cont = |b: u8| u8::from(b & 0xC0 == 0x80);
    let one = u8::from(b1 >= 0xC0);
    let two = cont(b1) & u8::from(b2 >= 0xE0);
    let three = cont(b1) & cont(b2) & u8::from(b3 >= 0xF0);
    one | (two << 1) | (three * 3)
}

/// Where a chunk failed: the autobahn index within the chunk and the std-style error of the message.
struct Reject {
    at: usize,
    error: Utf8Error,
}

impl Default for Utf8Validator {
    fn default() -> Self {
        Self::new()
    }
}

impl Utf8Validator {
    /// A validator for a new message, using the [selected](crate::selected) kernels.
    #[must_use]
    pub fn new() -> Self {
        Self::with_kernels(Kernels::selected())
    }

    /// A validator that uses `implementation`.
    ///
    /// # Errors
    /// [`Unsupported`] if this build or CPU cannot run it.
    pub fn with_implementation(implementation: Implementation) -> Result<Self, Unsupported> {
        Kernels::new(implementation).map(Self::with_kernels)
    }

    /// A validator that uses `kernels`.
    #[must_use]
    pub const fn with_kernels(kernels: Kernels) -> Self {
        Self { kernels, total: 0, tail: 0, pending_len: 0, error: None }
    }

    /// Switches to `implementation` for the following chunks; the message state is kept.
    ///
    /// # Errors
    /// [`Unsupported`] if this build or CPU cannot run it; the validator is then unchanged.
    pub fn set_implementation(&mut self, implementation: Implementation) -> Result<(), Unsupported> {
        self.kernels = Kernels::new(implementation)?;
        Ok(())
    }

    /// The implementation this validator runs.
    #[must_use]
    pub fn implementation(&self) -> Implementation {
        self.kernels.implementation()
    }

    /// Forgets the message: the next chunk starts a new one.
    pub fn reset(&mut self) {
        *self = Self::with_kernels(self.kernels);
    }

    /// Bytes consumed so far (see [`Status::total_index`]).
    #[must_use]
    pub const fn total_index(&self) -> usize {
        saturate(self.total)
    }

    /// The first error of the message, if it was rejected; `valid_up_to` counts from the start of the message.
    #[must_use]
    pub const fn error(&self) -> Option<Utf8Error> {
        self.error
    }

    /// Whether the message so far ends on a code point boundary and nothing was rejected.
    #[must_use]
    pub const fn ends_on_codepoint(&self) -> bool {
        self.error.is_none() && self.pending_len == 0
    }

    /// Whether the message fed so far is complete, valid UTF-8: call it after the last chunk.
    ///
    /// # Errors
    /// The first error of the message; or, when it ends inside a code point, an error with `error_len() == None`
    /// and `valid_up_to()` where that code point starts (as [`core::str::from_utf8`] reports for the whole
    /// message).
    pub const fn finish(&self) -> Result<(), Utf8Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if self.pending_len > 0 {
            return Err(Utf8Error::new(saturate(self.total - self.pending_len as u64), None));
        }
        Ok(())
    }

    /// Validates the next chunk of the message.
    #[inline]
    pub fn feed(&mut self, chunk: &[u8]) -> Status {
        // The kernel checks every byte against the bytes before it, so a lead byte is judged by the byte after it:
        // a last byte that can never start a sequence (C0, C1, F5..FF: autobahn rejects at it) takes the exact path.
        if self.error.is_none()
            && chunk.last().is_some_and(|&last| last < 0xC0 || (0xC2..=0xF4).contains(&last))
            && self.kernels.validate_utf8_stream(chunk, self.tail)
        {
            self.push_valid(chunk);
            return Status {
                valid: true,
                ends_on_codepoint: self.pending_len == 0,
                current_index: chunk.len(),
                total_index: self.total_index(),
            };
        }
        self.feed_verified(chunk, 0)
    }

    /// Appends `chunk`, known valid after the message so far: the tail, the open code point and the total.
    #[inline]
    fn push_valid(&mut self, chunk: &[u8]) {
        let n = chunk.len();
        self.tail = if n >= 3 {
            u32::from_le_bytes([0, chunk[n - 3], chunk[n - 2], chunk[n - 1]])
        } else {
            chunk.iter().fold(self.tail, |tail, &byte| ((tail >> 8) & 0x00FF_FF00) | (u32::from(byte) << 24))
        };
        self.pending_len = open_len(self.tail);
        self.total = self.total.saturating_add(n as u64);
    }

    /// Unmasks `buf` in place with `masker` (advancing it) and validates it as the next chunk, in one pass over
    /// memory where possible. `buf` is always unmasked whole, and the status is that of
    /// `masker.process(buf)` followed by `self.feed(buf)`.
    pub fn feed_masked(&mut self, buf: &mut [u8], masker: &mut Masker) -> Status {
        // Bytes that complete an open code point, or everything after a reject, are unmasked on their own.
        let start = if self.error.is_some() { buf.len() } else { self.pending_need().min(buf.len()) };
        masker.process(&mut buf[..start]);
        // The body in one fused pass, except the last three bytes, which may start an open code point.
        let body_len = (buf.len() - start).saturating_sub(3);
        let body = &mut buf[start..start + body_len];
        let (_, result) = self.kernels.unmask_validate(body, masker.key(), masker.phase());
        masker.skip(body_len);
        masker.process(&mut buf[start + body_len..]);
        let verified = match result {
            Ok(()) => start + body_len,
            // The body ends inside a code point: valid up to its start.
            Err(e) if e.error_len().is_none() => start + e.valid_up_to(),
            // Invalid: let the ordinary path find the exact position again (the failure path only).
            Err(_) => start,
        };
        self.feed_verified(buf, verified)
    }

    /// The open code point's bytes (the last `pending_len` bytes of the message) in `[..pending_len]`.
    fn pending(&self) -> [u8; 4] {
        let mut seq = [0; 4];
        let have = usize::from(self.pending_len);
        seq[..have].copy_from_slice(&self.tail.to_le_bytes()[4 - have..]);
        seq
    }

    /// How many more bytes the open code point needs (0 if none is open).
    fn pending_need(&self) -> usize {
        match self.pending_len {
            0 => 0,
            have => scalar::sequence_len(self.pending()[0]) - usize::from(have),
        }
    }

    /// Feeds `chunk`, of which the part after the bytes that complete an open code point and before `verified` is
    /// already known to be valid and to end on a code point boundary.
    fn feed_verified(&mut self, chunk: &[u8], verified: usize) -> Status {
        if self.error.is_some() {
            return Status {
                valid: false,
                ends_on_codepoint: false,
                current_index: 0,
                total_index: self.total_index(),
            };
        }
        match self.consume(chunk, verified) {
            Ok(()) => {
                self.push_valid(chunk);
                Status {
                    valid: true,
                    ends_on_codepoint: self.pending_len == 0,
                    current_index: chunk.len(),
                    total_index: self.total_index(),
                }
            }
            Err(Reject { at, error }) => {
                self.error = Some(error);
                self.pending_len = 0;
                self.total = self.total.saturating_add(at as u64);
                Status { valid: false, ends_on_codepoint: false, current_index: at, total_index: self.total_index() }
            }
        }
    }

    /// Validates `chunk` against the open code point; changes no state (see [`Utf8Validator::push_valid`]).
    fn consume(&self, chunk: &[u8], verified: usize) -> Result<(), Reject> {
        let mut from = 0;
        if self.pending_len > 0 {
            let have = usize::from(self.pending_len);
            let take = self.pending_need().min(chunk.len());
            let mut seq = self.pending();
            seq[have..have + take].copy_from_slice(&chunk[..take]);
            match scalar::validate(&seq[..have + take]) {
                Ok(()) => {}
                Err(e) => match e.error_len() {
                    // Still open: the chunk was too short to complete it.
                    None => return Ok(()),
                    // The open code point's lead byte was valid, so the failing byte is error_len into it.
                    Some(n) => {
                        let valid_up_to = saturate(self.total - have as u64);
                        return Err(Reject { at: n - have, error: Utf8Error { valid_up_to, ..e } });
                    }
                },
            }
            from = take;
        }
        let start = verified.max(from);
        let body = &chunk[start..];
        let keep = scalar::incomplete_suffix_len(body);
        let (complete, open) = body.split_at(body.len() - keep);
        if let Err(e) = self.kernels.validate_utf8(complete) {
            // When `complete` ends inside a sequence, the kept bytes (which start with a lead byte) cut it short:
            // judge it with them, as a one-shot validation of the whole body would.
            let e = if e.error_len().is_none() {
                let from = e.valid_up_to();
                scalar::validate(&body[from..]).map_err(|cut| cut.offset(from)).err().unwrap_or(e)
            } else {
                e
            };
            return Err(self.reject(body, e, start));
        }
        if keep > 0 {
            match scalar::validate(open) {
                // Open: kept in the tail by `push_valid`.
                Err(e) if e.error_len().is_none() => {}
                Err(e) => return Err(self.reject(open, e, start + complete.len())),
                Ok(()) => {}
            }
        }
        Ok(())
    }

    /// The reject for error `e` (never "incomplete" here) in `part`, which starts at `offset` in the chunk.
    fn reject(&self, part: &[u8], e: Utf8Error, offset: usize) -> Reject {
        let at = offset + e.failure_index(part).unwrap_or(e.valid_up_to());
        let valid_up_to = saturate(self.total.saturating_add((offset + e.valid_up_to()) as u64));
        Reject { at, error: Utf8Error { valid_up_to, ..e } }
    }
}

/// A count or position of the message as a `usize`: exact up to `usize::MAX`, `usize::MAX` from there on (a
/// message passes it after 4 GiB on a 32-bit target; a 64-bit count saturates at 2^64, out of reach).
const fn saturate(n: u64) -> usize {
    if n > usize::MAX as u64 {
        usize::MAX
    } else {
        #[expect(clippy::cast_possible_truncation, reason = "n <= usize::MAX")]
        let n = n as usize;
        n
    }
}

#[cfg(test)]
mod tests;
