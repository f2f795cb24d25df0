//! Unmasking and UTF-8 validation in one pass over memory: whole frames (`nvx_unmask_validate`,
//! `nvx_unmask_validate_to`) and fragments (`nvx_utf8vld_unmask_validate`).
//!
//! ```c
//! size_t phase, valid_up_to; int error_len;
//! if (nvx_unmask_validate(payload, len, key, 0, &phase, &valid_up_to, &error_len) != NVX_STATUS_OK) {
//!     /* payload is unmasked whole either way; close with 1007 */
//! }
//! ```
//!
//! The results are exactly those of masking followed by validating.

use core::ffi::{c_int, c_void};
use core::ptr;

use nvx_ws::fused;

use crate::boundary::{bytes, bytes_mut, guard, key, put};
use crate::mask::masker;
use crate::status::Status;
use crate::utf8::{Utf8Status, feed_masked, report};

/// Unmasks `len` bytes at `buf` in place with the 4-byte `key` from `phase`, and validates the result as one
/// complete UTF-8 message. `buf` is always unmasked whole.
///
/// Returns what `nvx_utf8_validate` returns for the unmasked bytes, with the same outputs, and writes the phase
/// after the buffer to `*next_phase`; `NVX_STATUS_NULL_ARGUMENT` (nothing written) if `key` is NULL or `buf` is
/// NULL with `len > 0`. Each output may be NULL.
///
/// # Safety
/// `buf` is readable and writable for `len` bytes (or `len` is 0); `key` is NULL or readable for 4 bytes; each
/// output is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_unmask_validate(
    buf: *mut u8,
    len: usize,
    key: *const u8,
    phase: usize,
    next_phase: *mut usize,
    valid_up_to: *mut usize,
    error_len: *mut c_int,
) -> Status {
    guard(Status::Panic, || {
        // SAFETY: the caller's obligations.
        let (Some(buf), Some(key)) = (unsafe { bytes_mut(buf, len) }, unsafe { self::key(key) }) else {
            return Status::NullArgument;
        };
        let (after, result) = fused::unmask_validate(buf, key, phase);
        // SAFETY: outputs NULL or writable (the caller's obligation).
        unsafe {
            put(next_phase, after);
            report(result, len, valid_up_to, error_len)
        }
    })
}

/// Unmasks `src_len` bytes from `src` into `dst` (capacity `dst_len >= src_len`) and validates the result, in one
/// pass: `nvx_unmask_validate` without a copy first. `src == dst` works in place; other overlap is not allowed.
/// `NVX_STATUS_NULL_ARGUMENT` (nothing written) also when `dst_len < src_len`.
///
/// # Safety
/// `src` is readable for `src_len` bytes and `dst` writable for `dst_len` bytes (or the length is 0), not
/// overlapping unless equal; `key` is NULL or readable for 4 bytes; each output is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_unmask_validate_to(
    src: *const u8,
    src_len: usize,
    key: *const u8,
    phase: usize,
    dst: *mut u8,
    dst_len: usize,
    next_phase: *mut usize,
    valid_up_to: *mut usize,
    error_len: *mut c_int,
) -> Status {
    guard(Status::Panic, || {
        if dst_len < src_len {
            return Status::NullArgument;
        }
        if ptr::eq(src, dst) {
            // SAFETY: forwarded obligations; `dst` is readable (it is `src`) and writable for `src_len` bytes.
            return unsafe { nvx_unmask_validate(dst, src_len, key, phase, next_phase, valid_up_to, error_len) };
        }
        // SAFETY: the caller's obligations.
        let (Some(src), Some(dst), Some(key)) =
            (unsafe { bytes(src, src_len) }, unsafe { bytes_mut(dst, src_len) }, unsafe { self::key(key) })
        else {
            return Status::NullArgument;
        };
        let (after, result) = fused::unmask_validate_to(src, dst, key, phase);
        // SAFETY: outputs NULL or writable (the caller's obligation).
        unsafe {
            put(next_phase, after);
            report(result, src_len, valid_up_to, error_len)
        }
    })
}

/// Unmasks the next `length` bytes of a fragmented message in place with the masker `xormask` (advancing it) and
/// feeds them to the validator `utf8vld`, in one pass where possible: the same as `nvx_xormask_process` followed
/// by `nvx_utf8vld_validate_status`, and the same return value and `*status`. `data` is always unmasked whole.
/// `NVX_STATUS_NULL_ARGUMENT` (nothing changes) if a handle is NULL or not of its kind, or `data` is NULL with
/// `length > 0`; `NVX_STATUS_BUSY` (nothing changes) if another thread is using either handle. `status` may be NULL.
///
/// # Safety
/// `utf8vld` and `xormask` are each NULL or a live handle (not freed before the call returns); `data` is readable
/// and writable for `length` bytes (or `length` is 0); `status` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_unmask_validate(
    utf8vld: *mut c_void,
    xormask: *mut c_void,
    data: *mut u8,
    length: usize,
    status: *mut Utf8Status,
) -> Status {
    guard(Status::Panic, || {
        // SAFETY: the caller's obligations.
        let (masker, data) = (unsafe { masker(xormask) }, unsafe { bytes_mut(data, length) });
        let mut masker = match masker {
            Ok(masker) => masker,
            Err(refused) => return refused.status(),
        };
        let Some(data) = data else { return Status::NullArgument };
        // SAFETY: the caller's obligation; `feed_masked` touches nothing when `utf8vld` is refused (NULL, the
        // masker itself, which this call holds, or busy).
        let (result, quad) = match unsafe { feed_masked(utf8vld, data, &mut masker.masker) } {
            Ok(done) => done,
            Err(refused) => return refused.status(),
        };
        // SAFETY: NULL or writable (the caller's obligation).
        unsafe { put(status, quad) };
        result
    })
}
