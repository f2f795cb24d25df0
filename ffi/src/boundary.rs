//! The boundary between C and Rust: the panic guard, NULL-checked buffers and handles, fallible allocation.
//!
//! ```ignore
//! pub unsafe extern "C" fn nvx_example(handle: *mut c_void, data: *const u8, len: usize) -> c_int {
//!     guard(Status::Panic as c_int, || {
//!         // SAFETY: the caller passes a handle from nvx_example_new (or NULL) and `len` readable bytes.
//!         let (Some(h), Some(data)) = (unsafe { handle::<Example>(handle) }, unsafe { bytes(data, len) }) else {
//!             return Status::NullArgument as c_int;
//!         };
//!         h.run(data)
//!     })
//! }
//! ```

use core::ffi::c_void;
use core::ptr;
use core::slice;
use std::alloc::{Layout, alloc};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`, or returns `on_panic` if it panics: no panic ever unwinds into C.
///
/// The handle a panicking call was working on may be left half-updated (it stays memory-safe to use and to
/// free); the core has no reachable panic, so this is a guard, not a code path.
pub(crate) fn guard<T>(on_panic: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(on_panic)
}

/// The largest buffer Rust can describe with a slice: `PTRDIFF_MAX` bytes.
const MAX_LEN: usize = isize::MAX.unsigned_abs();

/// The `len` bytes at `data`: an empty slice when `len == 0` (whatever `data` is), `None` when `data` is NULL
/// with `len > 0`, or when `len > PTRDIFF_MAX` (no C object is that large).
///
/// # Safety
/// When `data` is not NULL and `len > 0`, `data` must be readable for `len` bytes, not written during `'a`.
pub(crate) unsafe fn bytes<'a>(data: *const u8, len: usize) -> Option<&'a [u8]> {
    if len == 0 {
        // `from_raw_parts(NULL, 0)` would be undefined behaviour: build the empty slice ourselves.
        return Some(&[]);
    }
    if data.is_null() || len > MAX_LEN {
        return None;
    }
    // SAFETY: non-NULL, `len <= isize::MAX`, readable for `len` bytes and not written meanwhile (the caller's
    // obligation).
    Some(unsafe { slice::from_raw_parts(data, len) })
}

/// The `len` bytes at `data`, writable; as [`bytes`].
///
/// # Safety
/// When `data` is not NULL and `len > 0`, `data` must be readable and writable for `len` bytes and accessed by
/// nothing else during `'a`.
pub(crate) unsafe fn bytes_mut<'a>(data: *mut u8, len: usize) -> Option<&'a mut [u8]> {
    if len == 0 {
        return Some(&mut []);
    }
    if data.is_null() || len > MAX_LEN {
        return None;
    }
    // SAFETY: non-NULL, `len <= isize::MAX`, valid and exclusively ours for `len` bytes (the caller's
    // obligation).
    Some(unsafe { slice::from_raw_parts_mut(data, len) })
}

/// The 4-byte masking key at `key`, or `None` when `key` is NULL.
///
/// # Safety
/// When not NULL, `key` must be readable for 4 bytes (any alignment).
pub(crate) unsafe fn key(key: *const u8) -> Option<[u8; 4]> {
    if key.is_null() {
        return None;
    }
    // SAFETY: readable for 4 bytes (the caller's obligation); `[u8; 4]` has alignment 1.
    Some(unsafe { ptr::read(key.cast::<[u8; 4]>()) })
}

/// The `T` behind a handle, or `None` when `handle` is NULL.
///
/// # Safety
/// When not NULL, `handle` must point to a live `T` made by this crate (`new_handle` or an `_init` function) and
/// be used by nothing else during `'a`.
pub(crate) unsafe fn handle<'a, T>(handle: *mut c_void) -> Option<&'a mut T> {
    // SAFETY: NULL or a live, exclusively used `T` (the caller's obligation).
    unsafe { handle.cast::<T>().as_mut() }
}

/// Writes `value` to the output `out` unless it is NULL (outputs are optional).
///
/// # Safety
/// When not NULL, `out` must be valid for writing a `T` and aligned for it.
pub(crate) unsafe fn put<T: Copy>(out: *mut T, value: T) {
    if !out.is_null() {
        // SAFETY: non-NULL, writable and aligned (the caller's obligation); `T: Copy` has no destructor to skip.
        unsafe { out.write(value) };
    }
}

/// Moves `value` to the heap and returns it as a handle, or NULL when the allocation fails (`Box::new` would
/// abort the process instead).
pub(crate) fn new_handle<T>(value: T) -> *mut c_void {
    const { assert!(size_of::<T>() > 0, "a handle is never zero-sized") };
    let layout = Layout::new::<T>();
    // SAFETY: `layout` has a non-zero size (asserted above).
    let memory = unsafe { alloc(layout) }.cast::<T>();
    if memory.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `memory` is freshly allocated for `layout`, i.e. valid and aligned for one `T`.
    unsafe { memory.write(value) };
    memory.cast()
}

/// Drops and frees a handle made by [`new_handle`]; NULL is a no-op.
///
/// # Safety
/// `handle` must be NULL or come from `new_handle::<T>` and not have been freed; it is dangling afterwards.
pub(crate) unsafe fn free_handle<T>(handle: *mut c_void) {
    if !handle.is_null() {
        // SAFETY: `new_handle::<T>` allocated it with the global allocator and `Layout::new::<T>()` and wrote a
        // `T`, which is exactly what `Box::from_raw` requires; it is freed once (the caller's obligation).
        drop(unsafe { Box::from_raw(handle.cast::<T>()) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_turns_a_panic_into_the_error_value() {
        assert_eq!(guard(-4, || 7), 7);
        assert_eq!(guard(-4, || -> i32 { panic!("boom") }), -4);
    }

    #[test]
    fn null_with_length_zero_is_empty_and_with_more_is_refused() {
        // SAFETY: NULL with length 0, and NULL with length 1 (refused before any access).
        unsafe {
            assert_eq!(bytes(ptr::null(), 0), Some(&[][..]));
            assert_eq!(bytes(ptr::null(), 1), None);
            assert_eq!(bytes_mut(ptr::null_mut(), 0).map(|s| s.len()), Some(0));
            assert_eq!(bytes_mut(ptr::null_mut(), 1), None);
        }
        let data = [1u8, 2, 3];
        // SAFETY: `data` is readable for 3 bytes; the length above PTRDIFF_MAX is refused before any access.
        unsafe {
            assert_eq!(bytes(data.as_ptr(), 3), Some(&data[..]));
            assert_eq!(bytes(data.as_ptr(), usize::MAX), None);
        }
    }

    #[test]
    fn handles_round_trip() {
        let h = new_handle(42u64);
        assert!(!h.is_null());
        // SAFETY: `h` is a live `u64` handle, freed once; NULL is a no-op.
        unsafe {
            assert_eq!(handle::<u64>(h).copied(), Some(42));
            free_handle::<u64>(h);
            free_handle::<u64>(ptr::null_mut());
        }
    }
}
