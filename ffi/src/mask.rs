//! WebSocket XOR masking: allocation-free (`nvx_mask`, `nvx_mask_to`) and autobahn's masker (`nvx_xormask_*`),
//! which carries the position across fragments.
//!
//! ```c
//! const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
//! uint8_t frame[5] = {'H', 'e', 'l', 'l', 'o'};
//! size_t phase = nvx_mask(frame, 3, key, 0);     /* "Hel", phase 3 */
//! phase = nvx_mask(frame + 3, 2, key, phase);    /* "lo", phase 1: frame is 7f 9f 4d 51 58 */
//! ```
//!
//! Byte `i` of a payload is XORed with `key[(phase + i) % 4]`; `phase` is the payload offset (taken modulo 4) at
//! which a buffer starts, and the functions return the phase after it.

use core::ffi::{c_int, c_void};
use core::ptr;

use nvx_ws::mask::{self, Masker};

use crate::boundary::{Claim, Kind, Refused, bytes, bytes_mut, free_handle, guard, handle, key, new_handle, tag};
use crate::implementation::of_mask_id;

/// What a masker handle points to.
pub(crate) struct XorMask {
    pub(crate) masker: Masker,
    /// The autobahn id last accepted by `nvx_xormask_set_impl` (0 after `_new`).
    id: c_int,
}

impl Kind for XorMask {
    const HEAP_TAG: u64 = tag(*b"nvx:xorH");
}

/// The masker handle `xormask`, claimed for this call (see `boundary::handle`; also for `fused.rs`).
///
/// # Safety
/// `xormask` is NULL or a live handle of this crate.
pub(crate) unsafe fn masker<'a>(xormask: *mut c_void) -> Result<Claim<'a, XorMask>, Refused> {
    // SAFETY: the caller's obligation.
    unsafe { handle::<XorMask>(xormask) }
}

/// Masks (or unmasks: the same operation) `len` bytes at `buf` in place with the 4-byte `key`, starting at
/// `phase`. Returns the phase after the buffer, `(phase + len) % 4`; `SIZE_MAX` (nothing written) if `key` is
/// NULL or `buf` is NULL with `len > 0`. Allocation-free.
///
/// # Safety
/// `buf` is readable and writable for `len` bytes (or `len` is 0); `key` is NULL or readable for 4 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_mask(buf: *mut u8, len: usize, key: *const u8, phase: usize) -> usize {
    guard(usize::MAX, || {
        // SAFETY: the caller's obligations.
        let (Some(buf), Some(key)) = (unsafe { bytes_mut(buf, len) }, unsafe { self::key(key) }) else {
            return usize::MAX;
        };
        mask::mask(buf, key, phase)
    })
}

/// Masks `src_len` bytes from `src` into `dst` in one pass, starting at `phase`; `dst_len` is the capacity of
/// `dst` (at least `src_len`; only `src_len` bytes are written). `src == dst` masks in place; other overlap is not
/// allowed. Returns the phase after the bytes; `SIZE_MAX` (nothing written) if `key` is NULL, a buffer is NULL
/// with a length above 0, or `dst_len < src_len`. Allocation-free.
///
/// # Safety
/// `src` is readable for `src_len` bytes and `dst` writable for `dst_len` bytes (or the length is 0); the two do
/// not overlap unless equal; `key` is NULL or readable for 4 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_mask_to(
    src: *const u8,
    src_len: usize,
    key: *const u8,
    phase: usize,
    dst: *mut u8,
    dst_len: usize,
) -> usize {
    guard(usize::MAX, || {
        // SAFETY: the caller's obligation.
        let Some(key) = (unsafe { self::key(key) }) else { return usize::MAX };
        if dst_len < src_len {
            return usize::MAX;
        }
        if ptr::eq(src, dst) {
            // In place: one mutable slice, never a shared and a mutable one over the same bytes.
            // SAFETY: `dst` is readable (it is `src`) and writable for `src_len <= dst_len` bytes.
            let Some(buf) = (unsafe { bytes_mut(dst, src_len) }) else { return usize::MAX };
            return mask::mask(buf, key, phase);
        }
        // SAFETY: readable `src`, writable `dst`, not overlapping (the caller's obligations).
        let (Some(src), Some(dst)) = (unsafe { bytes(src, src_len) }, unsafe { bytes_mut(dst, src_len) }) else {
            return usize::MAX;
        };
        mask::mask_to(src, dst, key, phase)
    })
}

/// autobahn: a new masker for the 4-byte key `mask` at position 0, using the run-time selected implementation
/// (id 0). NULL if `mask` is NULL or the allocation fails. Free it with `nvx_xormask_free`.
///
/// # Safety
/// `mask` is NULL or readable for 4 bytes (copied; it need not outlive the call).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_xormask_new(mask: *const u8) -> *mut c_void {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller's obligation.
        let Some(key) = (unsafe { key(mask) }) else { return ptr::null_mut() };
        new_handle(XorMask { masker: Masker::new(key), id: 0 })
    })
}

/// autobahn: back to position 0 (same key, same implementation). NULL: no-op.
///
/// # Safety
/// `xormask` is NULL or a live handle (not freed before the call returns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_xormask_reset(xormask: *mut c_void) {
    guard((), || {
        // SAFETY: the caller's obligation.
        if let Ok(mut m) = unsafe { masker(xormask) } {
            m.masker.reset();
        }
    });
}

/// autobahn: bytes processed since `_new` or the last `_reset` (wrapping; `% 4` is the phase of the next byte).
/// `SIZE_MAX` for a NULL handle.
///
/// # Safety
/// `xormask` is NULL or a live handle (not freed before the call returns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_xormask_pointer(xormask: *mut c_void) -> usize {
    guard(usize::MAX, || {
        // SAFETY: the caller's obligation.
        unsafe { masker(xormask) }.map_or(usize::MAX, |m| m.masker.pointer())
    })
}

/// autobahn: masks (or unmasks) the next `length` bytes of the payload at `data` in place and advances the
/// position. A NULL handle, or `data` NULL with `length > 0`: nothing happens (the position is unchanged).
///
/// # Safety
/// `xormask` is NULL or a live handle (not freed before the call returns); `data` is readable and writable for
/// `length` bytes (or `length` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_xormask_process(xormask: *mut c_void, data: *mut u8, length: usize) {
    guard((), || {
        // SAFETY: the caller's obligations.
        if let (Ok(mut m), Some(data)) = (unsafe { masker(xormask) }, unsafe { bytes_mut(data, length) }) {
            m.masker.process(data);
        }
    });
}

/// Masks the next `src_len` bytes of the payload from `src` into `dst` (capacity `dst_len >= src_len`) and
/// advances the position: `nvx_xormask_process` without a copy first. `src == dst` works in place; other overlap
/// is not allowed. Returns the new `nvx_xormask_pointer`; `SIZE_MAX` (nothing written, position unchanged) for a
/// NULL handle, a NULL buffer with a length above 0, or `dst_len < src_len`.
///
/// # Safety
/// `xormask` is NULL or a live handle (not freed before the call returns); `src` is readable for `src_len` bytes
/// and `dst` writable for `dst_len` bytes (or the length is 0), not overlapping unless equal.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_xormask_process_to(
    xormask: *mut c_void,
    src: *const u8,
    src_len: usize,
    dst: *mut u8,
    dst_len: usize,
) -> usize {
    guard(usize::MAX, || {
        // SAFETY: the caller's obligation.
        let Ok(mut claim) = (unsafe { masker(xormask) }) else { return usize::MAX };
        let m = &mut claim.masker;
        if dst_len < src_len {
            return usize::MAX;
        }
        if ptr::eq(src, dst) {
            // SAFETY: `dst` is readable (it is `src`) and writable for `src_len <= dst_len` bytes.
            let Some(buf) = (unsafe { bytes_mut(dst, src_len) }) else { return usize::MAX };
            m.process(buf);
        } else {
            // SAFETY: readable `src`, writable `dst`, not overlapping (the caller's obligations).
            let (Some(src), Some(dst)) = (unsafe { bytes(src, src_len) }, unsafe { bytes_mut(dst, src_len) }) else {
                return usize::MAX;
            };
            m.process_to(src, dst);
        }
        m.pointer()
    })
}

/// autobahn: frees a masker from `nvx_xormask_new`. NULL, or a handle of another kind (recognised by its tag): no-op.
///
/// # Safety
/// `xormask` is NULL or a handle from `nvx_xormask_new` not yet freed; it is dangling afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_xormask_free(xormask: *mut c_void) {
    // SAFETY: NULL or an unfreed handle from `nvx_xormask_new`, i.e. `new_handle::<XorMask>` (the caller's
    // obligation).
    guard((), || unsafe { free_handle::<XorMask>(xormask) });
}

/// autobahn: selects the implementation by autobahn's id (0 optimal, 1 simple, 2 SSE2; mapped onto nvx's as
/// `docs/c-abi.md` tells); the position is kept. Returns the id now in force: `impl` if accepted; the previous id
/// if `impl` is unknown or this build or CPU cannot run it (nothing changes). -1 for a NULL handle.
///
/// # Safety
/// `xormask` is NULL or a live handle (not freed before the call returns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_xormask_set_impl(xormask: *mut c_void, r#impl: c_int) -> c_int {
    guard(-1, || {
        // SAFETY: the caller's obligation.
        let Ok(mut m) = (unsafe { handle::<XorMask>(xormask) }) else { return -1 };
        if let Some(implementation) = of_mask_id(r#impl)
            && m.masker.set_implementation(implementation).is_ok()
        {
            m.id = r#impl;
        }
        m.id
    })
}

/// autobahn: the id last accepted by `nvx_xormask_set_impl` (0 after `_new`). -1 for a NULL handle.
///
/// # Safety
/// `xormask` is NULL or a live handle (not freed before the call returns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_xormask_get_impl(xormask: *mut c_void) -> c_int {
    guard(-1, || {
        // SAFETY: the caller's obligation.
        unsafe { handle::<XorMask>(xormask) }.map_or(-1, |m| m.id)
    })
}
