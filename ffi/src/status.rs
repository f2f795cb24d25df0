//! `nvx_status`: what nvx's own functions return; its numbers extend autobahn's -1 / 0 / 1.
//!
//! ```c
//! switch (nvx_utf8vld_validate_status(vld, data, len, &st)) {
//! case NVX_STATUS_OK: case NVX_STATUS_INCOMPLETE: break;   /* valid so far */
//! case NVX_STATUS_INVALID: /* close with 1007 */ break;
//! default: /* a programming error: NULL argument, ... */ break;
//! }
//! ```

/// The outcome of an nvx call.
///
/// Only ever returned, never taken as an argument. Values are never renumbered or reused; new values may be
/// added in a minor version, so a `switch` needs a `default`. The first three are autobahn's return values of
/// `nvx_utf8vld_validate`, which returns these numbers too.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Success; for UTF-8: valid, and the input ends on a code point boundary.
    Ok = 0,
    /// UTF-8 valid so far, but the input ends inside a code point: more bytes may complete it (an error for a
    /// complete message, the normal case for a fragment).
    Incomplete = 1,
    /// Invalid UTF-8.
    Invalid = -1,
    /// A required pointer was NULL (or a data pointer was NULL with a length above 0, or a length exceeded
    /// `PTRDIFF_MAX`, or an output buffer was too short, or a handle was not a live handle of the kind the function
    /// takes: a masker for a validator, say); nothing was read or written.
    NullArgument = -2,
    /// The implementation asked for is unknown, or this build or CPU cannot run it; nothing changed.
    Unsupported = -3,
    /// An internal error (a Rust panic) was caught at the boundary. Never expected; report it as a bug.
    Panic = -4,
    /// The handle is being used by another call right now (two threads calling in on one handle at once); this
    /// call did nothing. Handles are for one thread at a time: this detects the mistake, it does not make it work.
    Busy = -5,
}

impl Status {
    /// The status of a UTF-8 result: `Ok`, `Incomplete` (input ends inside a code point) or `Invalid`.
    pub(crate) fn of_utf8(result: Result<(), nvx_ws::utf8::Utf8Error>) -> Self {
        match result {
            Ok(()) => Self::Ok,
            Err(e) if e.error_len().is_none() => Self::Incomplete,
            Err(_) => Self::Invalid,
        }
    }
}
