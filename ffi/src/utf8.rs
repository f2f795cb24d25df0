//! UTF-8 validation: one-shot (`nvx_utf8_validate`) and the incremental validator (`nvx_utf8vld_*`), whose
//! state lives on the heap (`nvx_utf8vld_new`) or in caller-allocated storage (`nvx_utf8vld_init`).
//!
//! ```c
//! nvx_utf8vld_state storage;                 /* no allocation: on the stack, in a struct, ... */
//! void* vld = &storage;
//! nvx_utf8vld_init(&storage);
//! nvx_utf8_status st;
//! nvx_utf8vld_validate_status(vld, (const uint8_t*)"caf\xC3", 4, &st);   /* NVX_STATUS_INCOMPLETE */
//! nvx_utf8vld_validate_status(vld, (const uint8_t*)"\xA9!", 2, &st);     /* NVX_STATUS_OK, st.total_index 6 */
//! ```
//!
//! The handle is a `void*` in every `nvx_utf8vld_*` function, as in autobahn's signatures: the address of a
//! heap handle or of an initialised `nvx_utf8vld_state`. Both start with a tag (`boundary::Kind`), checked on
//! entry: a masker, an uninitialised (zeroed) state or a freed handle is refused as a NULL handle would be.

use core::ffi::{c_int, c_void};

use nvx_ws::utf8::{self, Utf8Error, Utf8Validator};

use crate::boundary::{Kind, Refused, Tagged, bytes, free_handle, guard, handle, init_storage, new_handle, put, tag};
use crate::implementation::of_utf8_id;
use crate::status::Status;

/// The four values of autobahn's `Utf8Validator.validate` tuple, filled in by one call.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utf8Status {
    /// No invalid byte so far in the message.
    pub valid: bool,
    /// The message so far ends on a code point boundary (false whenever `valid` is false).
    pub ends_on_codepoint: bool,
    /// Valid: this chunk's length. Invalid: the index in this chunk of the byte at which validation failed
    /// (autobahn's byte-at-a-time position); 0 for every chunk after the one that failed.
    pub current_index: usize,
    /// Bytes of the message consumed: all of them while valid, up to the failing byte once invalid.
    pub total_index: usize,
}

/// Caller-allocated storage for a validator, for code that must not allocate: declare one (any storage
/// duration), call `nvx_utf8vld_init` on it, and pass its address as the handle to the `nvx_utf8vld_*`
/// functions (never to `nvx_utf8vld_free`; it owns no other resource, so simply stop using it).
///
/// Its size (128 bytes) and alignment (8 bytes, declared with `NVX_ALIGNED(8)`, which matters on i386 only:
/// `uint64_t` alone is 4-aligned there) are fixed within a major version; the contents are private. Moving or
/// copying an initialised state with `memcpy` is allowed: the copy is an independent validator in the same state.
/// Not safe for concurrent use: one thread at a time per validator.
#[repr(C, align(8))]
pub struct Utf8VldState {
    /// Private.
    opaque: [u64; 16],
}

/// What a validator handle points to.
#[derive(Clone)]
struct Utf8Vld {
    validator: Utf8Validator,
    /// The autobahn id last accepted by `nvx_utf8vld_set_impl` (0 after `_new` and `_init`).
    id: c_int,
    /// The `current_index` of the last validate call (0 after `_new`, `_init` and `_reset`).
    current_index: usize,
}

impl Kind for Utf8Vld {
    const HEAP_TAG: u64 = tag(*b"nvx:vldH");
    const STORAGE_TAG: Option<u64> = Some(tag(*b"nvx:vldS"));
}

// The caller-allocated storage holds a tagged `Utf8Vld`: checked at compile time, on every target. (The tag is an
// `AtomicU64`, 8-aligned even on i686, where `u64` is 4-aligned: hence the explicit alignment of the state.)
const _: () = assert!(size_of::<Tagged<Utf8Vld>>() <= size_of::<Utf8VldState>());
const _: () = assert!(align_of::<Tagged<Utf8Vld>>() <= align_of::<Utf8VldState>());

impl Utf8Vld {
    fn new() -> Self {
        Self { validator: Utf8Validator::new(), id: 0, current_index: 0 }
    }

    /// Feeds `chunk` and returns its status in both forms.
    fn feed(&mut self, chunk: &[u8]) -> (Status, Utf8Status) {
        let s = self.validator.feed(chunk);
        self.record(s)
    }

    /// Remembers the `current_index` of `s` and translates it.
    fn record(&mut self, s: utf8::Status) -> (Status, Utf8Status) {
        self.current_index = s.current_index;
        let status = match (s.valid, s.ends_on_codepoint) {
            (false, _) => Status::Invalid,
            (true, true) => Status::Ok,
            (true, false) => Status::Incomplete,
        };
        let quad = Utf8Status {
            valid: s.valid,
            ends_on_codepoint: s.ends_on_codepoint,
            current_index: s.current_index,
            total_index: s.total_index,
        };
        (status, quad)
    }
}

/// Reports a UTF-8 result through the optional outputs; `len` is the input's length (`valid_up_to` when valid).
///
/// # Safety
/// Each output is NULL or valid for writing.
pub(crate) unsafe fn report(
    result: Result<(), Utf8Error>,
    len: usize,
    valid_up_to: *mut usize,
    error_len: *mut c_int,
) -> Status {
    let (up_to, err_len) = match result {
        Ok(()) => (len, 0),
        Err(e) => (e.valid_up_to(), e.error_len().map_or(0, |n| c_int::try_from(n).unwrap_or(0))),
    };
    // SAFETY: NULL or writable (the caller's obligation).
    unsafe {
        put(valid_up_to, up_to);
        put(error_len, err_len);
    }
    Status::of_utf8(result)
}

/// Validates `len` bytes at `data` as one complete UTF-8 message.
///
/// Returns `NVX_STATUS_OK` (valid; `*valid_up_to = len`, `*error_len = 0`), `NVX_STATUS_INVALID` (`*valid_up_to`
/// is the length of the longest valid prefix, `*error_len` the length, 1 to 3, of the invalid sequence after it),
/// `NVX_STATUS_INCOMPLETE` (the data ends inside a code point that starts at `*valid_up_to`; `*error_len = 0`),
/// or `NVX_STATUS_NULL_ARGUMENT` (`data` NULL with `len > 0`; outputs untouched). The two numbers are those of
/// Rust's `core::str::from_utf8`. Either output may be NULL.
///
/// # Safety
/// `data` is readable for `len` bytes (or `len` is 0); each output is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8_validate(
    data: *const u8,
    len: usize,
    valid_up_to: *mut usize,
    error_len: *mut c_int,
) -> Status {
    guard(Status::Panic, || {
        // SAFETY: readable for `len` bytes (the caller's obligation).
        let Some(data) = (unsafe { bytes(data, len) }) else { return Status::NullArgument };
        // SAFETY: outputs NULL or writable (the caller's obligation).
        unsafe { report(utf8::validate(data), len, valid_up_to, error_len) }
    })
}

/// autobahn: a new validator for a new message, using the run-time selected implementation (id 0). NULL if the
/// allocation fails. Free it with `nvx_utf8vld_free`.
#[unsafe(no_mangle)]
pub extern "C" fn nvx_utf8vld_new() -> *mut c_void {
    guard(core::ptr::null_mut(), || new_handle(Utf8Vld::new()))
}

/// Initialises caller-allocated storage as a new validator (as `nvx_utf8vld_new`, without allocating); its
/// address is then the handle. Initialising again starts over with id 0.
///
/// Returns `NVX_STATUS_OK`, or `NVX_STATUS_NULL_ARGUMENT` for NULL or a pointer that is not 8-byte aligned
/// (nothing is written).
///
/// # Safety
/// `state` is NULL or valid for writing an `nvx_utf8vld_state`, and not in use by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_init(state: *mut Utf8VldState) -> Status {
    guard(Status::Panic, || {
        if state.is_null() || !state.addr().is_multiple_of(align_of::<Tagged<Utf8Vld>>()) {
            return Status::NullArgument;
        }
        // SAFETY: writable for an `Utf8VldState`, which is at least as large as a `Tagged<Utf8Vld>` (asserted at
        // compile time), and aligned for one (checked: a C caller may still pass a misaligned pointer); nothing in
        // it needs dropping (`Utf8Vld` has no destructor to skip).
        unsafe { init_storage(state.cast(), Utf8Vld::new()) };
        Status::Ok
    })
}

/// autobahn: forgets the message (the next chunk starts a new one); keeps the implementation. NULL: no-op.
///
/// # Safety
/// `utf8vld` is NULL or a live handle (not freed before the call returns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_reset(utf8vld: *mut c_void) {
    guard((), || {
        // SAFETY: NULL or a live validator (the caller's obligation).
        if let Ok(mut vld) = unsafe { handle::<Utf8Vld>(utf8vld) } {
            vld.validator.reset();
            vld.current_index = 0;
        }
    });
}

/// autobahn: validates the next `length` bytes of the message. Returns 0 (valid, ends on a code point boundary),
/// 1 (valid, ends inside a code point), -1 (invalid; sticky: every later call returns -1 until
/// `nvx_utf8vld_reset`), or `NVX_STATUS_NULL_ARGUMENT` (-2: `utf8vld` NULL or not a validator, or `data` NULL with
/// `length > 0`; nothing changes), `NVX_STATUS_BUSY` (-5: another thread is using this validator right now;
/// nothing changes) or `NVX_STATUS_PANIC` (-4). The indices are then read with
/// `nvx_utf8vld_get_current_index` and `nvx_utf8vld_get_total_index`, or all at once with
/// `nvx_utf8vld_validate_status`.
///
/// # Safety
/// `utf8vld` is NULL or a live handle (not freed before the call returns); `data` is readable for `length`
/// bytes (or `length` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_validate(utf8vld: *mut c_void, data: *const u8, length: usize) -> c_int {
    // SAFETY: forwarded obligations; NULL status output.
    unsafe { nvx_utf8vld_validate_status(utf8vld, data, length, core::ptr::null_mut()) as c_int }
}

/// Validates the next `length` bytes of the message and fills `*status` with autobahn's four values in one call.
///
/// Returns what `nvx_utf8vld_validate` returns: `NVX_STATUS_OK`, `NVX_STATUS_INCOMPLETE`, `NVX_STATUS_INVALID`
/// (sticky until reset), `NVX_STATUS_NULL_ARGUMENT` or `NVX_STATUS_BUSY` (nothing changes, `*status` untouched).
/// `status` may be NULL.
///
/// # Safety
/// As `nvx_utf8vld_validate`; `status` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_validate_status(
    utf8vld: *mut c_void,
    data: *const u8,
    length: usize,
    status: *mut Utf8Status,
) -> Status {
    guard(Status::Panic, || {
        // SAFETY: NULL or a live validator; `data` readable for `length` bytes (the caller's
        // obligations).
        let (vld, data) = (unsafe { handle::<Utf8Vld>(utf8vld) }, unsafe { bytes(data, length) });
        let mut vld = match vld {
            Ok(vld) => vld,
            Err(refused) => return refused.status(),
        };
        let Some(data) = data else { return Status::NullArgument };
        let (result, quad) = vld.feed(data);
        // SAFETY: NULL or writable (the caller's obligation).
        unsafe { put(status, quad) };
        result
    })
}

/// Whether the message fed so far is complete, valid UTF-8: call it after the last chunk.
///
/// Returns `NVX_STATUS_OK` (`*valid_up_to` = bytes fed, `*error_len = 0`), `NVX_STATUS_INVALID` (the message's
/// first error: `*valid_up_to` counts from the start of the message, `*error_len` is 1 to 3),
/// `NVX_STATUS_INCOMPLETE` (the message ends inside a code point starting at `*valid_up_to`; `*error_len = 0`),
/// or `NVX_STATUS_NULL_ARGUMENT` (outputs untouched). Either output may be NULL. The validator is unchanged.
///
/// # Safety
/// `utf8vld` is NULL or a live handle (not freed before the call returns); each output is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_finish(
    utf8vld: *mut c_void,
    valid_up_to: *mut usize,
    error_len: *mut c_int,
) -> Status {
    guard(Status::Panic, || {
        // SAFETY: NULL or a live validator (the caller's obligation).
        let vld = match unsafe { handle::<Utf8Vld>(utf8vld) } {
            Ok(vld) => vld,
            Err(refused) => return refused.status(),
        };
        let total = vld.validator.total_index();
        // SAFETY: outputs NULL or writable (the caller's obligation).
        unsafe { report(vld.validator.finish(), total, valid_up_to, error_len) }
    })
}

/// autobahn: frees a validator from `nvx_utf8vld_new`. NULL: no-op. An `nvx_utf8vld_state` or a handle of another
/// kind is recognised by its tag and not freed (a no-op); freeing twice is still undefined behaviour (the cleared
/// tag catches it only while the memory is not reused).
///
/// # Safety
/// `utf8vld` is NULL or a handle from `nvx_utf8vld_new` not yet freed; it is dangling afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_free(utf8vld: *mut c_void) {
    // SAFETY: NULL or an unfreed handle from `nvx_utf8vld_new`, i.e. `new_handle::<Utf8Vld>` (the caller's
    // obligation).
    guard((), || unsafe { free_handle::<Utf8Vld>(utf8vld) });
}

/// autobahn: selects the implementation by autobahn's id (0 optimal, 1 table, 2 unrolled, 3 SSE2, 4 SSE4.1;
/// mapped onto nvx's as `docs/c-abi.md` tells) for the following chunks; the message state is kept. Returns the
/// id now in force: `impl` if accepted; the previous id if `impl` is unknown or this build or CPU cannot run it
/// (nothing changes). -1 for a NULL handle.
///
/// # Safety
/// `utf8vld` is NULL or a live handle (not freed before the call returns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_set_impl(utf8vld: *mut c_void, r#impl: c_int) -> c_int {
    guard(-1, || {
        // SAFETY: NULL or a live validator (the caller's obligation).
        let Ok(mut vld) = (unsafe { handle::<Utf8Vld>(utf8vld) }) else { return -1 };
        if let Some(implementation) = of_utf8_id(r#impl)
            && vld.validator.set_implementation(implementation).is_ok()
        {
            vld.id = r#impl;
        }
        vld.id
    })
}

/// autobahn: the id last accepted by `nvx_utf8vld_set_impl` (0 after `_new`, `_init`). -1 for a NULL handle.
///
/// # Safety
/// `utf8vld` is NULL or a live handle (not freed before the call returns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_get_impl(utf8vld: *mut c_void) -> c_int {
    guard(-1, || {
        // SAFETY: NULL or a live validator (the caller's obligation).
        unsafe { handle::<Utf8Vld>(utf8vld) }.map_or(-1, |vld| vld.id)
    })
}

/// autobahn: the last call's `current_index` (see `nvx_utf8_status`); 0 before any. `SIZE_MAX` for a NULL handle.
///
/// # Safety
/// `utf8vld` is NULL or a live handle (not freed before the call returns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_get_current_index(utf8vld: *mut c_void) -> usize {
    guard(usize::MAX, || {
        // SAFETY: NULL or a live validator (the caller's obligation).
        unsafe { handle::<Utf8Vld>(utf8vld) }.map_or(usize::MAX, |vld| vld.current_index)
    })
}

/// autobahn: bytes of the message consumed (see `nvx_utf8_status`). `SIZE_MAX` for a NULL handle.
///
/// # Safety
/// `utf8vld` is NULL or a live handle (not freed before the call returns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_utf8vld_get_total_index(utf8vld: *mut c_void) -> usize {
    guard(usize::MAX, || {
        // SAFETY: NULL or a live validator (the caller's obligation).
        unsafe { handle::<Utf8Vld>(utf8vld) }.map_or(usize::MAX, |vld| vld.validator.total_index())
    })
}

/// Unmasks `buf` with `masker` (advancing it) and feeds it to the validator behind `utf8vld`; refused, with
/// nothing touched, when `utf8vld` is not a validator or is busy. For `nvx_utf8vld_unmask_validate`.
///
/// # Safety
/// `utf8vld` is NULL or a live handle (not freed before the call returns).
pub(crate) unsafe fn feed_masked(
    utf8vld: *mut c_void,
    buf: &mut [u8],
    masker: &mut nvx_ws::mask::Masker,
) -> Result<(Status, Utf8Status), Refused> {
    // SAFETY: NULL or a live validator (the caller's obligation).
    let mut vld = unsafe { handle::<Utf8Vld>(utf8vld) }?;
    let s = vld.validator.feed_masked(buf, masker);
    Ok(vld.record(s))
}
