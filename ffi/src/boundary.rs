//! The boundary between C and Rust: the panic guard, NULL-checked buffers, tagged handles, fallible allocation.
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
use core::ops::{Deref, DerefMut};
use core::ptr;
use core::slice;
use core::sync::atomic::{AtomicU64, Ordering};
use std::alloc::{Layout, alloc};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::status::Status;

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

/// A Rust type handed to C behind a `void*`. In memory it is a [`Tagged<Self>`]: a `u64` tag naming the kind of
/// handle, then the value. Every entry point checks the tag before it touches the value, so a handle of another
/// kind (a masker where a validator is expected: autobahn's signatures are all `void*`), a caller-allocated
/// validator passed to `_free`, storage never initialised (zeroed, say) or a freed handle whose memory was not
/// reused yet is refused with the function's NULL-handle error value instead of being misread.
///
/// The tag is also the handle's lock: a call claims the handle by setting [`BUSY`] in its tag (one atomic
/// compare-and-swap) and clears it on the way out, so a second thread calling in on the same handle meanwhile is
/// refused (`NVX_STATUS_BUSY`), never given a second `&mut` to the same value.
pub(crate) trait Kind: Sized {
    /// The tag of a heap handle (`new_handle`); the only one `free_handle` frees.
    const HEAP_TAG: u64;
    /// The tag of a value in caller-allocated storage (`init_storage`), if the kind has such storage.
    const STORAGE_TAG: Option<u64> = None;
}

/// What a handle points to: the kind's tag, then the value (`repr(C)`: the tag is at offset 0 of every kind).
#[repr(C)]
pub(crate) struct Tagged<T> {
    tag: AtomicU64,
    value: T,
}

/// A tag from 8 ASCII bytes, stored so that a hex dump of the handle shows them (so its top bit is clear).
pub(crate) const fn tag(name: [u8; 8]) -> u64 {
    assert!(name.is_ascii(), "tags are ASCII");
    u64::from_le_bytes(name)
}

/// Set in the tag while a call is using the handle.
const BUSY: u64 = 1 << 63;

/// Why a handle was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// NULL, misaligned, or not tagged as a live handle of the kind asked for.
    NotAHandle,
    /// A live handle of the right kind, in use by another call right now.
    Busy,
}

impl Refused {
    /// The status a function returning `nvx_status` reports.
    pub(crate) fn status(self) -> Status {
        match self {
            Self::NotAHandle => Status::NullArgument,
            Self::Busy => Status::Busy,
        }
    }
}

/// A handle claimed by one call: the `&mut` to its value; dropping it releases the handle.
pub(crate) struct Claim<'a, T> {
    tag: &'a AtomicU64,
    value: &'a mut T,
    /// The tag to put back.
    tag_value: u64,
}

impl<T> Deref for Claim<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T> DerefMut for Claim<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value
    }
}

impl<T> Drop for Claim<'_, T> {
    fn drop(&mut self) {
        // Release: the next call that claims the handle sees every write made through this claim.
        self.tag.store(self.tag_value, Ordering::Release);
    }
}

/// The tag at `handle`, or `None` when `handle` is NULL or not aligned for a `Tagged<T>`.
///
/// # Safety
/// When not NULL and aligned, `handle` must be valid for atomic reads and writes of 8 bytes for `'a` and accessed
/// there only atomically (true of every live handle and every `Tagged<T>`-sized storage, whatever it holds).
unsafe fn tag_at<'a, T>(handle: *mut c_void) -> Option<&'a AtomicU64> {
    if handle.is_null() || !handle.cast::<Tagged<T>>().is_aligned() {
        return None;
    }
    // SAFETY: non-NULL, aligned for `Tagged<T>` (so for its leading `AtomicU64`), valid and only accessed
    // atomically (the caller's obligation).
    Some(unsafe { AtomicU64::from_ptr(handle.cast::<u64>()) })
}

/// Claims the `T` behind a handle for this call: refused when `handle` is NULL, misaligned, or not a live `T`
/// ([`Refused::NotAHandle`]), or when another call holds it ([`Refused::Busy`]).
///
/// # Safety
/// When not NULL, `handle` must be valid for 8 bytes as [`tag_at`] requires; when it carries one of `T`'s tags it
/// must point to a live `Tagged<T>` made by this crate (`new_handle` or `init_storage`) that stays live during
/// `'a`. (A pointer to any live handle of this crate, of whatever kind, or to initialised storage satisfies this.)
pub(crate) unsafe fn handle<'a, T: Kind>(handle: *mut c_void) -> Result<Claim<'a, T>, Refused> {
    // SAFETY: the caller's obligation.
    let tag = unsafe { tag_at::<T>(handle) }.ok_or(Refused::NotAHandle)?;
    let ours = |t: u64| t == T::HEAP_TAG || Some(t) == T::STORAGE_TAG;
    let current = tag.load(Ordering::Relaxed);
    if !ours(current) {
        return Err(if ours(current & !BUSY) { Refused::Busy } else { Refused::NotAHandle });
    }
    // Acquire: see every write of the call that released the handle last.
    if let Err(now) = tag.compare_exchange(current, current | BUSY, Ordering::Acquire, Ordering::Relaxed) {
        return Err(if ours(now & !BUSY) { Refused::Busy } else { Refused::NotAHandle });
    }
    // SAFETY: a live `Tagged<T>` (the caller's obligation, given the tag), and this call is the only one holding
    // it until the claim is dropped (the BUSY bit), so the `&mut` to its value is exclusive.
    let value = unsafe { &mut (*handle.cast::<Tagged<T>>()).value };
    Ok(Claim { tag, value, tag_value: current })
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

/// Moves `value` to the heap, tagged as a heap `T`, and returns it as a handle, or NULL when the allocation fails
/// (`Box::new` would abort the process instead).
pub(crate) fn new_handle<T: Kind>(value: T) -> *mut c_void {
    let layout = Layout::new::<Tagged<T>>();
    // SAFETY: `layout` has a non-zero size (it holds at least the `u64` tag).
    let memory = unsafe { alloc(layout) }.cast::<Tagged<T>>();
    if memory.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `memory` is freshly allocated for `layout`, i.e. valid and aligned for one `Tagged<T>`.
    unsafe { memory.write(Tagged { tag: AtomicU64::new(T::HEAP_TAG), value }) };
    memory.cast()
}

/// Writes `value`, tagged as caller-allocated storage of `T`, to `storage`.
///
/// # Safety
/// `storage` must be valid for writing a `Tagged<T>` and aligned for it, and not in use by another thread; whatever
/// it held is overwritten without being dropped.
pub(crate) unsafe fn init_storage<T: Kind>(storage: *mut c_void, value: T) {
    const { assert!(T::STORAGE_TAG.is_some(), "a kind without caller-allocated storage") };
    let tag = T::STORAGE_TAG.unwrap_or(0);
    // SAFETY: writable and aligned for a `Tagged<T>` (the caller's obligation).
    unsafe { storage.cast::<Tagged<T>>().write(Tagged { tag: AtomicU64::new(tag), value }) };
}

/// Drops and frees a handle made by [`new_handle`]. A no-op for NULL, for anything not tagged as a heap `T`
/// (another kind, caller-allocated storage, a freed handle whose memory still shows the cleared tag), and for a
/// handle another call is using right now (leaked rather than freed under it).
///
/// # Safety
/// `handle` must be NULL, or valid for 8 bytes as [`tag_at`] requires and, when it carries `T`'s heap tag, come
/// from `new_handle::<T>` and not have been freed; it is dangling afterwards.
pub(crate) unsafe fn free_handle<T: Kind>(handle: *mut c_void) {
    // SAFETY: the caller's obligation.
    let Some(tag) = (unsafe { tag_at::<T>(handle) }) else { return };
    // Clearing the tag claims the handle for good: a later call with the dangling pointer finds no tag, as long as
    // the allocator has not reused the memory (best effort; freeing twice or using a freed handle stays undefined
    // behaviour). An atomic read-modify-write, which the compiler never drops as a store to memory about to be
    // freed.
    if tag.compare_exchange(T::HEAP_TAG, 0, Ordering::Acquire, Ordering::Relaxed).is_err() {
        return;
    }
    // SAFETY: `new_handle::<T>` allocated it with the global allocator and `Layout::new::<Tagged<T>>()` and wrote
    // a `Tagged<T>`, which is exactly what `Box::from_raw` requires; freed once (the caller's obligation, and the
    // tag was ours to clear).
    drop(unsafe { Box::from_raw(handle.cast::<Tagged<T>>()) });
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

    struct Thing(u64);
    impl Kind for Thing {
        const HEAP_TAG: u64 = tag(*b"test-hea");
        const STORAGE_TAG: Option<u64> = Some(tag(*b"test-sto"));
    }
    struct Other(u32);
    impl Kind for Other {
        const HEAP_TAG: u64 = tag(*b"test-oth");
    }

    #[test]
    fn handles_round_trip_and_refuse_other_kinds() {
        let h = new_handle(Thing(42));
        let o = new_handle(Other(7));
        assert!(!h.is_null() && !o.is_null());
        // SAFETY: `h` and `o` are live handles (of different kinds: each refuses the other), freed once; NULL and
        // a misaligned pointer are refused before any access.
        unsafe {
            assert_eq!(handle::<Thing>(h).map(|t| t.0), Ok(42));
            assert_eq!(handle::<Thing>(o).err(), Some(Refused::NotAHandle));
            assert_eq!(handle::<Other>(h).err(), Some(Refused::NotAHandle));
            assert_eq!(handle::<Other>(o).map(|t| t.0), Ok(7));
            assert_eq!(handle::<Thing>(ptr::null_mut()).err(), Some(Refused::NotAHandle));
            assert_eq!(handle::<Thing>(h.cast::<u8>().add(1).cast()).err(), Some(Refused::NotAHandle));
            free_handle::<Other>(h); // the wrong kind: not freed
            {
                // Claimed: a second claim is refused as busy, and free leaves it alone; released on drop.
                let mut claim = handle::<Thing>(h).expect("live");
                claim.0 += 1;
                assert_eq!(handle::<Thing>(h).err(), Some(Refused::Busy));
                assert_eq!(handle::<Other>(h).err(), Some(Refused::NotAHandle));
                free_handle::<Thing>(h);
            }
            assert_eq!(handle::<Thing>(h).map(|t| t.0), Ok(43));
            free_handle::<Thing>(h);
            free_handle::<Other>(o);
            free_handle::<Thing>(ptr::null_mut());
        }
    }

    #[test]
    fn storage_is_its_own_tag_and_never_freed() {
        let mut storage = [0u64; 4];
        let p: *mut c_void = storage.as_mut_ptr().cast();
        // SAFETY: `storage` is 32 bytes, `u64`-aligned, enough for a `Tagged<Thing>`; zeroed storage carries no
        // tag; `free_handle` refuses storage (it would otherwise free the stack).
        unsafe {
            assert_eq!(handle::<Thing>(p).err(), Some(Refused::NotAHandle));
            init_storage(p, Thing(9));
            assert_eq!(handle::<Thing>(p).map(|t| t.0), Ok(9));
            assert_eq!(handle::<Other>(p).err(), Some(Refused::NotAHandle));
            free_handle::<Thing>(p);
            assert_eq!(handle::<Thing>(p).map(|t| t.0), Ok(9));
        }
    }
}
