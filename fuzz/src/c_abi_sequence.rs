//! The C ABI driven by the fuzzer: a sequence of `extern "C"` calls of `nvx-ws-ffi` on a few live handles, each
//! result compared with a model made of the Rust API of `nvx-ws`.
//!
//! ```
//! // new validator in slot 0; validate "caf\xC3" on it; finish it; free it.
//! nvx_ws_fuzz::c_abi_sequence::check(b"\x00\x00\x02\x00\x04caf\xC3\x08\x00\x09\x00");
//! ```
//!
//! Input: operations until the input runs out. Each operation is one byte, `op = byte & 31` (taken modulo the
//! number of operations) and `variant = byte >> 5`, then its arguments: a slot byte for handle operations (3
//! validator slots, 2 masker slots; an empty slot passes NULL), [`Input::len`] and that many data bytes for
//! buffers, 4 bytes for a key, 1 or 4 bytes for an implementation id. The variant picks hostile arguments: NULL
//! data with a length above 0, NULL with length 0, a length above `PTRDIFF_MAX`, NULL outputs, a NULL key, a
//! destination too short, `src == dst`. Checked after every call: the return value, every output, that the
//! documented error values leave handles, buffers and outputs untouched, and the handle's state (through the
//! getters) against the model. Validators are heap handles (`nvx_utf8vld_new`) or caller-allocated storage
//! (`nvx_utf8vld_init`). `nvx_set_implementation` changes the process-wide selection, which the model shares
//! (one `nvx-ws` in the process); `check` restores it before returning.

use core::ffi::{CStr, c_char, c_int, c_void};
use core::mem::MaybeUninit;
use core::ptr;

use nvx::{NVX_VERSION_MAJOR, NVX_VERSION_MINOR, NVX_VERSION_PATCH, Status, Utf8Status, Utf8VldState};
use nvx_ws::mask::{self, Masker};
use nvx_ws::utf8::{self, Utf8Error, Utf8Validator};
use nvx_ws::{Implementation, Kernels};

use crate::input::Input;

// The exports of `nvx-ws-ffi` (include/nvx.h), linked from the `nvx` rlib.
unsafe extern "C" {
    fn nvx_version() -> *const c_char;
    fn nvx_implementation_name() -> *const c_char;
    fn nvx_set_implementation(name: *const c_char) -> Status;
    fn nvx_utf8_validate(data: *const u8, len: usize, valid_up_to: *mut usize, error_len: *mut c_int) -> Status;
    fn nvx_utf8vld_new() -> *mut c_void;
    fn nvx_utf8vld_init(state: *mut Utf8VldState) -> Status;
    fn nvx_utf8vld_reset(utf8vld: *mut c_void);
    fn nvx_utf8vld_validate(utf8vld: *mut c_void, data: *const u8, length: usize) -> c_int;
    fn nvx_utf8vld_validate_status(
        utf8vld: *mut c_void,
        data: *const u8,
        length: usize,
        status: *mut Utf8Status,
    ) -> Status;
    fn nvx_utf8vld_finish(utf8vld: *mut c_void, valid_up_to: *mut usize, error_len: *mut c_int) -> Status;
    fn nvx_utf8vld_free(utf8vld: *mut c_void);
    fn nvx_utf8vld_set_impl(utf8vld: *mut c_void, r#impl: c_int) -> c_int;
    fn nvx_utf8vld_get_impl(utf8vld: *mut c_void) -> c_int;
    fn nvx_utf8vld_get_current_index(utf8vld: *mut c_void) -> usize;
    fn nvx_utf8vld_get_total_index(utf8vld: *mut c_void) -> usize;
    fn nvx_mask(buf: *mut u8, len: usize, key: *const u8, phase: usize) -> usize;
    fn nvx_mask_to(src: *const u8, src_len: usize, key: *const u8, phase: usize, dst: *mut u8, dst_len: usize)
    -> usize;
    fn nvx_xormask_new(mask: *const u8) -> *mut c_void;
    fn nvx_xormask_reset(xormask: *mut c_void);
    fn nvx_xormask_pointer(xormask: *mut c_void) -> usize;
    fn nvx_xormask_process(xormask: *mut c_void, data: *mut u8, length: usize);
    fn nvx_xormask_process_to(
        xormask: *mut c_void,
        src: *const u8,
        src_len: usize,
        dst: *mut u8,
        dst_len: usize,
    ) -> usize;
    fn nvx_xormask_free(xormask: *mut c_void);
    fn nvx_xormask_set_impl(xormask: *mut c_void, r#impl: c_int) -> c_int;
    fn nvx_xormask_get_impl(xormask: *mut c_void) -> c_int;
    fn nvx_unmask_validate(
        buf: *mut u8,
        len: usize,
        key: *const u8,
        phase: usize,
        next_phase: *mut usize,
        valid_up_to: *mut usize,
        error_len: *mut c_int,
    ) -> Status;
    #[expect(clippy::too_many_arguments, reason = "the C signature")]
    fn nvx_unmask_validate_to(
        src: *const u8,
        src_len: usize,
        key: *const u8,
        phase: usize,
        dst: *mut u8,
        dst_len: usize,
        next_phase: *mut usize,
        valid_up_to: *mut usize,
        error_len: *mut c_int,
    ) -> Status;
    fn nvx_utf8vld_unmask_validate(
        utf8vld: *mut c_void,
        xormask: *mut c_void,
        data: *mut u8,
        length: usize,
        status: *mut Utf8Status,
    ) -> Status;
}

/// A value no correct call writes to an output: outputs are pre-filled with it to see whether they were touched.
const UNTOUCHED: usize = 0x5A5A_5A5A;
const UNTOUCHED_INT: c_int = 0x5A5A;
const UNTOUCHED_STATUS: Utf8Status =
    Utf8Status { valid: true, ends_on_codepoint: false, current_index: UNTOUCHED, total_index: UNTOUCHED };
/// The byte outside the written part of destination buffers.
const FILL: u8 = 0xA5;

/// A validator handle and its model.
struct Vld {
    handle: *mut c_void,
    /// The caller-allocated storage behind `handle` (`nvx_utf8vld_init`), or `None` for a heap handle.
    storage: Option<Box<MaybeUninit<Utf8VldState>>>,
    model: Utf8Validator,
    /// The autobahn id in force.
    id: c_int,
    /// The `current_index` of the last validate call.
    current_index: usize,
}

/// A masker handle and its model.
struct Xor {
    handle: *mut c_void,
    model: Masker,
    id: c_int,
}

/// The live handles: an empty slot stands for NULL.
#[derive(Default)]
struct Handles {
    vlds: [Option<Vld>; 3],
    xors: [Option<Xor>; 2],
}

/// A data buffer argument: the bytes, and how the call is given them.
struct Data {
    bytes: Vec<u8>,
    kind: DataKind,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum DataKind {
    /// A pointer to `bytes` and its length.
    Real,
    /// NULL with a length above 0: refused, nothing touched.
    NullWithLength,
    /// NULL with length 0: an empty buffer.
    NullEmpty,
    /// A real pointer with a length above `PTRDIFF_MAX`: refused before any access.
    Huge,
}

impl Data {
    /// Reads a buffer from the input; `variant` 5, 6, 7 make it hostile.
    fn read(input: &mut Input<'_>, variant: u8) -> Self {
        let len = input.len();
        let bytes = input.bytes(len).to_vec();
        let kind = match variant {
            5 => DataKind::NullWithLength,
            6 => DataKind::NullEmpty,
            7 => DataKind::Huge,
            _ => DataKind::Real,
        };
        Self { bytes, kind }
    }

    /// The pointer and length passed to C.
    fn arg(&mut self) -> (*mut u8, usize) {
        match self.kind {
            DataKind::Real => (self.bytes.as_mut_ptr(), self.bytes.len()),
            DataKind::NullWithLength => (ptr::null_mut(), self.bytes.len().max(1)),
            DataKind::NullEmpty => (ptr::null_mut(), 0),
            DataKind::Huge => (self.bytes.as_mut_ptr(), isize::MAX.unsigned_abs() + 1 + self.bytes.len()),
        }
    }

    /// How many bytes nvx sees (the part of `bytes` the model works on): all of them, or none for NULL.
    fn seen(&self) -> usize {
        if self.kind == DataKind::Real { self.bytes.len() } else { 0 }
    }

    /// What nvx must see: `None` when the call must be refused.
    fn valid(&self) -> Option<&[u8]> {
        match self.kind {
            DataKind::Real => Some(&self.bytes),
            DataKind::NullEmpty => Some(&[]),
            DataKind::NullWithLength | DataKind::Huge => None,
        }
    }
}

/// The model of `nvx_utf8vld_set_impl`'s id table (docs/c-abi.md).
fn utf8_id(id: c_int) -> Option<Implementation> {
    match id {
        0 => Some(nvx_ws::selected()),
        1 | 2 => Some(Implementation::Scalar),
        3 => Some(Implementation::Sse2),
        4 => Some(Implementation::Ssse3),
        _ => None,
    }
}

/// The model of `nvx_xormask_set_impl`'s id table (docs/c-abi.md).
fn mask_id(id: c_int) -> Option<Implementation> {
    match id {
        0 => Some(nvx_ws::selected()),
        1 => Some(Implementation::Scalar),
        2 => Some(Implementation::Sse2),
        _ => None,
    }
}

/// An implementation id: mostly near the table (-1 to 6), else any `c_int`.
fn id(input: &mut Input<'_>) -> c_int {
    match input.byte() {
        b @ 0..=0x7F => c_int::from(b % 8) - 1,
        _ => input.i32(),
    }
}

/// The C status of a streaming status.
fn status_of(s: utf8::Status) -> Status {
    match (s.valid, s.ends_on_codepoint) {
        (false, _) => Status::Invalid,
        (true, true) => Status::Ok,
        (true, false) => Status::Incomplete,
    }
}

/// The C form of a streaming status.
fn quad(s: utf8::Status) -> Utf8Status {
    Utf8Status {
        valid: s.valid,
        ends_on_codepoint: s.ends_on_codepoint,
        current_index: s.current_index,
        total_index: s.total_index,
    }
}

/// What `nvx_utf8_validate` and its kin report for `result` on `len` bytes: status, `valid_up_to`, `error_len`.
fn report(result: Result<(), Utf8Error>, len: usize) -> (Status, usize, c_int) {
    match result {
        Ok(()) => (Status::Ok, len, 0),
        Err(e) => match e.error_len() {
            None => (Status::Incomplete, e.valid_up_to(), 0),
            Some(n) => (Status::Invalid, e.valid_up_to(), c_int::try_from(n).expect("1 to 3")),
        },
    }
}

/// The optional outputs `(valid_up_to, error_len)`: pre-filled, NULL when `null`.
struct Outputs {
    valid_up_to: usize,
    error_len: c_int,
    next_phase: usize,
    null: bool,
}

impl Outputs {
    fn new(null: bool) -> Self {
        Self { valid_up_to: UNTOUCHED, error_len: UNTOUCHED_INT, next_phase: UNTOUCHED, null }
    }

    fn valid_up_to(&mut self) -> *mut usize {
        if self.null { ptr::null_mut() } else { &raw mut self.valid_up_to }
    }

    fn error_len(&mut self) -> *mut c_int {
        if self.null { ptr::null_mut() } else { &raw mut self.error_len }
    }

    fn next_phase(&mut self) -> *mut usize {
        if self.null { ptr::null_mut() } else { &raw mut self.next_phase }
    }

    /// Checks a call's status and outputs against the model's report (`None`: refused, nothing written).
    fn check(&self, got: Status, want: Option<(Status, usize, c_int)>, phase: Option<usize>, what: &str) {
        match want {
            None => {
                assert_eq!(got, Status::NullArgument, "{what}: refused");
                assert_eq!((self.valid_up_to, self.error_len, self.next_phase), (UNTOUCHED, UNTOUCHED_INT, UNTOUCHED));
            }
            Some((status, valid_up_to, error_len)) => {
                assert_eq!(got, status, "{what}: status");
                if !self.null {
                    assert_eq!((self.valid_up_to, self.error_len), (valid_up_to, error_len), "{what}: outputs");
                    if let Some(phase) = phase {
                        assert_eq!(self.next_phase, phase, "{what}: next phase");
                    }
                }
            }
        }
    }
}

/// Runs the sequence of C calls that `data` describes (see the module docs).
///
/// # Panics
/// On any disagreement between a C call and the model.
pub fn check(data: &[u8]) {
    let selected = nvx_ws::selected();
    let mut input = Input::new(data);
    let mut handles = Handles::default();
    while !input.is_empty() {
        let op = input.byte();
        step(&mut handles, &mut input, op & 31, op >> 5);
    }
    for slot in 0..handles.vlds.len() {
        check_vld(&mut handles, slot);
        free_vld(&mut handles, slot);
    }
    for slot in 0..handles.xors.len() {
        check_xor(&mut handles, slot);
        free_xor(&mut handles, slot);
    }
    nvx_ws::force(selected).expect("the selection at the start is available");
}

/// The number of operations `step` knows.
const OPERATIONS: u8 = 25;

/// One operation.
#[expect(clippy::too_many_lines, reason = "one arm per operation reads best as one table")]
fn step(h: &mut Handles, input: &mut Input<'_>, op: u8, variant: u8) {
    match op % OPERATIONS {
        0 => {
            let slot = vld_slot(input);
            free_vld(h, slot);
            // SAFETY: no arguments.
            let handle = unsafe { nvx_utf8vld_new() };
            assert!(!handle.is_null(), "nvx_utf8vld_new");
            h.vlds[slot] = Some(Vld { handle, storage: None, model: Utf8Validator::new(), id: 0, current_index: 0 });
        }
        1 => {
            let slot = vld_slot(input);
            // Initialising caller-allocated storage again starts over; anything else is replaced.
            let mut storage = match h.vlds[slot].take() {
                Some(Vld { storage: Some(storage), .. }) => storage,
                other => {
                    h.vlds[slot] = other;
                    free_vld(h, slot);
                    Box::new(MaybeUninit::uninit())
                }
            };
            let state = storage.as_mut_ptr();
            // SAFETY: `state` is valid for writing an `nvx_utf8vld_state` and used by no one else.
            assert_eq!(unsafe { nvx_utf8vld_init(state) }, Status::Ok, "nvx_utf8vld_init");
            // SAFETY: NULL is refused.
            assert_eq!(unsafe { nvx_utf8vld_init(ptr::null_mut()) }, Status::NullArgument, "nvx_utf8vld_init(NULL)");
            let handle = state.cast();
            let model = Utf8Validator::new();
            h.vlds[slot] = Some(Vld { handle, storage: Some(storage), model, id: 0, current_index: 0 });
        }
        2 | 3 => {
            let slot = vld_slot(input);
            let mut data = Data::read(input, variant);
            let handle = vld_handle(h, slot);
            let (p, len) = data.arg();
            let want = match (h.vlds[slot].as_mut(), data.valid()) {
                (Some(vld), Some(bytes)) => {
                    let s = vld.model.feed(bytes);
                    vld.current_index = s.current_index;
                    Some(s)
                }
                _ => None,
            };
            if op % OPERATIONS == 2 {
                // SAFETY: a live handle or NULL; `p` readable for `len` bytes, or refused (NULL, huge).
                let got = unsafe { nvx_utf8vld_validate(handle, p, len) };
                let want = want.map_or(Status::NullArgument, status_of);
                assert_eq!(got, want as c_int, "nvx_utf8vld_validate (data {:?})", data.kind);
            } else {
                let mut out = UNTOUCHED_STATUS;
                let out_ptr = if variant == 1 { ptr::null_mut() } else { &raw mut out };
                // SAFETY: as above; `out_ptr` NULL or writable.
                let got = unsafe { nvx_utf8vld_validate_status(handle, p, len, out_ptr) };
                assert_eq!(got, want.map_or(Status::NullArgument, status_of), "nvx_utf8vld_validate_status");
                let want_out = match want {
                    Some(s) if variant != 1 => quad(s),
                    _ => UNTOUCHED_STATUS,
                };
                assert_eq!(out, want_out, "nvx_utf8vld_validate_status: *status");
            }
            check_vld(h, slot);
        }
        4 => {
            let slot = vld_slot(input);
            // SAFETY: a live handle or NULL.
            unsafe { nvx_utf8vld_reset(vld_handle(h, slot)) };
            if let Some(vld) = h.vlds[slot].as_mut() {
                vld.model.reset();
                vld.current_index = 0;
            }
            check_vld(h, slot);
        }
        5 => {
            let slot = vld_slot(input);
            let id = id(input);
            // SAFETY: a live handle or NULL.
            let got = unsafe { nvx_utf8vld_set_impl(vld_handle(h, slot), id) };
            let want = h.vlds[slot].as_mut().map_or(-1, |vld| {
                if let Some(implementation) = utf8_id(id)
                    && vld.model.set_implementation(implementation).is_ok()
                {
                    vld.id = id;
                }
                vld.id
            });
            assert_eq!(got, want, "nvx_utf8vld_set_impl({id})");
            check_vld(h, slot);
        }
        6 | 7 => {
            let slot = vld_slot(input);
            check_vld(h, slot);
        }
        8 => {
            let slot = vld_slot(input);
            let mut out = Outputs::new(variant == 1);
            // SAFETY: a live handle or NULL; outputs NULL or writable.
            let got = unsafe { nvx_utf8vld_finish(vld_handle(h, slot), out.valid_up_to(), out.error_len()) };
            let want = h.vlds[slot].as_ref().map(|vld| report(vld.model.finish(), vld.model.total_index()));
            out.check(got, want, None, "nvx_utf8vld_finish");
        }
        9 => {
            let slot = vld_slot(input);
            free_vld(h, slot);
            // SAFETY: NULL is a no-op.
            unsafe { nvx_utf8vld_free(ptr::null_mut()) };
        }
        10 => {
            let slot = xor_slot(input);
            let key = input.array4();
            free_xor(h, slot);
            if variant == 4 {
                // SAFETY: NULL is refused.
                assert!(unsafe { nvx_xormask_new(ptr::null()) }.is_null(), "nvx_xormask_new(NULL)");
            } else {
                // SAFETY: `key` is readable for 4 bytes.
                let handle = unsafe { nvx_xormask_new(key.as_ptr()) };
                assert!(!handle.is_null(), "nvx_xormask_new");
                h.xors[slot] = Some(Xor { handle, model: Masker::new(key), id: 0 });
            }
        }
        11 => {
            let slot = xor_slot(input);
            let mut data = Data::read(input, variant);
            let before = data.bytes.clone();
            let handle = xor_handle(h, slot);
            let (p, len) = data.arg();
            // SAFETY: a live handle or NULL; `p` readable and writable for `len` bytes, or refused.
            unsafe { nvx_xormask_process(handle, p, len) };
            let mut want = before;
            if let (Some(xor), Some(_)) = (h.xors[slot].as_mut(), data.valid()) {
                xor.model.process(&mut want[..data.seen()]);
            }
            assert_eq!(data.bytes, want, "nvx_xormask_process (data {:?})", data.kind);
            check_xor(h, slot);
        }
        12 => {
            let slot = xor_slot(input);
            let mut src = Data::read(input, variant);
            let handle = xor_handle(h, slot);
            let (dst_len, in_place) = destination(&src, variant);
            let mut dst = vec![FILL; dst_len];
            let (sp, slen) = src.arg();
            let dp = if in_place { sp } else { dst.as_mut_ptr() };
            let before = src.bytes.clone();
            // SAFETY: a live handle or NULL; `sp` readable for `slen` bytes and `dp` writable for `dst_len` (in
            // place: the same buffer), or refused.
            let got = unsafe { nvx_xormask_process_to(handle, sp, slen, dp, dst_len) };
            let mut want = before.clone();
            let refused = dst_len < slen || src.valid().is_none();
            match h.xors[slot].as_mut() {
                Some(xor) if !refused => {
                    xor.model.process(&mut want[..src.seen()]);
                    assert_eq!(got, xor.model.pointer(), "nvx_xormask_process_to: pointer");
                    let written = if in_place { &src.bytes[..] } else { &dst[..src.seen()] };
                    assert_eq!(*written, want[..written.len()], "nvx_xormask_process_to (in place: {in_place})");
                }
                _ => {
                    assert_eq!(got, usize::MAX, "nvx_xormask_process_to: refused");
                    assert_eq!(src.bytes, before, "nvx_xormask_process_to: refused, source untouched");
                }
            }
            if !in_place {
                let untouched = if refused || h.xors[slot].is_none() { 0 } else { src.seen() };
                assert!(dst[untouched..].iter().all(|&b| b == FILL), "nvx_xormask_process_to: wrote too much");
            }
            check_xor(h, slot);
        }
        13 => {
            let slot = xor_slot(input);
            // SAFETY: a live handle or NULL.
            unsafe { nvx_xormask_reset(xor_handle(h, slot)) };
            if let Some(xor) = h.xors[slot].as_mut() {
                xor.model.reset();
            }
            check_xor(h, slot);
        }
        14 => {
            let slot = xor_slot(input);
            let id = id(input);
            // SAFETY: a live handle or NULL.
            let got = unsafe { nvx_xormask_set_impl(xor_handle(h, slot), id) };
            let want = h.xors[slot].as_mut().map_or(-1, |xor| {
                if let Some(implementation) = mask_id(id)
                    && xor.model.set_implementation(implementation).is_ok()
                {
                    xor.id = id;
                }
                xor.id
            });
            assert_eq!(got, want, "nvx_xormask_set_impl({id})");
            check_xor(h, slot);
        }
        15 => {
            let slot = xor_slot(input);
            free_xor(h, slot);
            // SAFETY: NULL is a no-op.
            unsafe { nvx_xormask_free(ptr::null_mut()) };
        }
        16 => {
            let (vslot, xslot) = (vld_slot(input), xor_slot(input));
            let mut data = Data::read(input, variant);
            let before = data.bytes.clone();
            let (vh, xh) = (vld_handle(h, vslot), xor_handle(h, xslot));
            let mut out = UNTOUCHED_STATUS;
            let out_ptr = if variant == 1 { ptr::null_mut() } else { &raw mut out };
            let (p, len) = data.arg();
            // SAFETY: live handles or NULL, of different kinds; `p` readable and writable for `len` bytes, or
            // refused; `out_ptr` NULL or writable.
            let got = unsafe { nvx_utf8vld_unmask_validate(vh, xh, p, len, out_ptr) };
            let mut want = before;
            match (h.vlds[vslot].as_mut(), h.xors[xslot].as_mut(), data.kind) {
                (Some(vld), Some(xor), DataKind::Real | DataKind::NullEmpty) => {
                    let seen = &mut want[..data.seen()];
                    xor.model.process(seen);
                    let s = vld.model.feed(seen);
                    vld.current_index = s.current_index;
                    assert_eq!(got, status_of(s), "nvx_utf8vld_unmask_validate");
                    assert_eq!(out, if variant == 1 { UNTOUCHED_STATUS } else { quad(s) }, "*status");
                }
                _ => {
                    assert_eq!(got, Status::NullArgument, "nvx_utf8vld_unmask_validate: refused");
                    assert_eq!(out, UNTOUCHED_STATUS, "nvx_utf8vld_unmask_validate: refused, *status");
                }
            }
            assert_eq!(data.bytes, want, "nvx_utf8vld_unmask_validate: the data");
            check_vld(h, vslot);
            check_xor(h, xslot);
        }
        17 => {
            let mut data = Data::read(input, variant);
            let mut out = Outputs::new(variant == 1);
            let (p, len) = data.arg();
            // SAFETY: `p` readable for `len` bytes, or refused; outputs NULL or writable.
            let got = unsafe { nvx_utf8_validate(p, len, out.valid_up_to(), out.error_len()) };
            let want = data.valid().map(|bytes| {
                assert_eq!(
                    crate::verdict(utf8::validate(bytes)),
                    crate::std_verdict(bytes),
                    "utf8::validate vs from_utf8"
                );
                report(utf8::validate(bytes), bytes.len())
            });
            out.check(got, want, None, "nvx_utf8_validate");
        }
        18 | 19 => one_shot_mask(input, op % OPERATIONS == 19, variant),
        20 | 21 => one_shot_unmask_validate(input, op % OPERATIONS == 21, variant),
        _ => set_implementation(input),
    }
}

/// `nvx_mask` (in place) or `nvx_mask_to`, against `mask::mask`.
fn one_shot_mask(input: &mut Input<'_>, to: bool, variant: u8) {
    let key = input.array4();
    let phase = input.phase();
    let mut src = Data::read(input, variant);
    let key_ptr = if variant == 4 { ptr::null() } else { key.as_ptr() };
    let before = src.bytes.clone();
    let (sp, slen) = src.arg();
    let (dst_len, in_place) = if to { destination(&src, variant) } else { (slen, true) };
    let mut dst = vec![FILL; if in_place { 0 } else { dst_len }];
    let got = if to {
        let dp = if in_place { sp } else { dst.as_mut_ptr() };
        // SAFETY: `sp` readable for `slen`, `dp` writable for `dst_len` bytes (in place: the same), or refused;
        // `key_ptr` NULL or readable for 4 bytes.
        unsafe { nvx_mask_to(sp, slen, key_ptr, phase, dp, dst_len) }
    } else {
        // SAFETY: `sp` readable and writable for `slen` bytes, or refused; `key_ptr` NULL or 4 readable bytes.
        unsafe { nvx_mask(sp, slen, key_ptr, phase) }
    };
    let refused = key_ptr.is_null() || src.valid().is_none() || dst_len < slen;
    let mut want = before.clone();
    if refused {
        assert_eq!(got, usize::MAX, "nvx_mask (to: {to}): refused");
    } else {
        assert_eq!(got, mask::mask(&mut want[..src.seen()], key, phase), "nvx_mask (to: {to}): phase");
    }
    if in_place {
        assert_eq!(src.bytes, want, "nvx_mask (to: {to}) in place");
    } else {
        assert_eq!(src.bytes, before, "nvx_mask_to: source untouched");
        let written = if refused { 0 } else { src.seen() };
        assert_eq!(dst[..written], want[..written], "nvx_mask_to: destination");
        assert!(dst[written..].iter().all(|&b| b == FILL), "nvx_mask_to: wrote too much");
    }
}

/// `nvx_unmask_validate` (in place) or `nvx_unmask_validate_to`, against `fused::unmask_validate`.
fn one_shot_unmask_validate(input: &mut Input<'_>, to: bool, variant: u8) {
    let key = input.array4();
    let phase = input.phase();
    let mut src = Data::read(input, variant);
    let key_ptr = if variant == 4 { ptr::null() } else { key.as_ptr() };
    let before = src.bytes.clone();
    let (sp, slen) = src.arg();
    let (dst_len, in_place) = if to { destination(&src, variant) } else { (slen, true) };
    let mut dst = vec![FILL; if in_place { 0 } else { dst_len }];
    let mut out = Outputs::new(variant == 1);
    let got = if to {
        let dp = if in_place { sp } else { dst.as_mut_ptr() };
        // SAFETY: as in `one_shot_mask`; outputs NULL or writable.
        unsafe {
            nvx_unmask_validate_to(
                sp,
                slen,
                key_ptr,
                phase,
                dp,
                dst_len,
                out.next_phase(),
                out.valid_up_to(),
                out.error_len(),
            )
        }
    } else {
        // SAFETY: as in `one_shot_mask`; outputs NULL or writable.
        unsafe { nvx_unmask_validate(sp, slen, key_ptr, phase, out.next_phase(), out.valid_up_to(), out.error_len()) }
    };
    let refused = key_ptr.is_null() || src.valid().is_none() || dst_len < slen;
    let mut want = before.clone();
    let what = if to { "nvx_unmask_validate_to" } else { "nvx_unmask_validate" };
    if refused {
        out.check(got, None, None, what);
    } else {
        let seen = &mut want[..src.seen()];
        let (after, result) = nvx_ws::fused::unmask_validate(seen, key, phase);
        assert_eq!(crate::verdict(result), crate::std_verdict(seen), "fused::unmask_validate vs from_utf8");
        out.check(got, Some(report(result, seen.len())), Some(after), what);
    }
    if in_place {
        assert_eq!(src.bytes, want, "{what} in place");
    } else {
        assert_eq!(src.bytes, before, "{what}: source untouched");
        let written = if refused { 0 } else { src.seen() };
        assert_eq!(dst[..written], want[..written], "{what}: destination");
        assert!(dst[written..].iter().all(|&b| b == FILL), "{what}: wrote too much");
    }
}

/// `nvx_set_implementation` with a name from a list (NULL, unknown and non-UTF-8 names included), then
/// `nvx_implementation_name` and `nvx_version`.
fn set_implementation(input: &mut Input<'_>) {
    const NAMES: [Option<&CStr>; 12] = [
        Some(c"scalar"),
        Some(c"sse2"),
        Some(c"ssse3"),
        Some(c"avx2"),
        Some(c"avx512"),
        Some(c"neon"),
        Some(c""),
        Some(c"AVX2"),
        Some(c"scalar "),
        Some(c"\xFF\xFE"),
        Some(c"sse4.1"),
        None,
    ];
    let name = NAMES[usize::from(input.byte()) % NAMES.len()];
    let before = nvx_ws::selected();
    // SAFETY: NULL or a NUL-terminated string.
    let got = unsafe { nvx_set_implementation(name.map_or(ptr::null(), CStr::as_ptr)) };
    let want = match name.map(|n| n.to_str().ok().and_then(Implementation::from_name)) {
        None => Status::NullArgument,
        Some(Some(implementation)) if Kernels::new(implementation).is_ok() => Status::Ok,
        Some(_) => Status::Unsupported,
    };
    assert_eq!(got, want, "nvx_set_implementation({name:?})");
    if want != Status::Ok {
        assert_eq!(nvx_ws::selected(), before, "nvx_set_implementation refused: selection unchanged");
    }
    // SAFETY: no arguments; the result is a static NUL-terminated string.
    let selected = unsafe { CStr::from_ptr(nvx_implementation_name()) };
    assert_eq!(selected.to_str(), Ok(nvx_ws::selected().name()), "nvx_implementation_name");
    // SAFETY: as above.
    let version = unsafe { CStr::from_ptr(nvx_version()) };
    let header = format!("{NVX_VERSION_MAJOR}.{NVX_VERSION_MINOR}.{NVX_VERSION_PATCH}");
    assert_eq!(version.to_str(), Ok(header.as_str()), "nvx_version");
}

/// The destination of an out-of-place call: `(dst_len, in_place)`. Variant 2: `src == dst`; variant 3: one
/// byte too short (refused); else 0 to 3 spare bytes.
fn destination(src: &Data, variant: u8) -> (usize, bool) {
    let len = src.bytes.len();
    match variant {
        2 => (len, true),
        3 if len > 0 && src.kind == DataKind::Real => (len - 1, false),
        _ => (len + src.bytes.first().map_or(0, |b| usize::from(b % 4)), false),
    }
}

fn vld_slot(input: &mut Input<'_>) -> usize {
    usize::from(input.byte()) % 3
}

fn xor_slot(input: &mut Input<'_>) -> usize {
    usize::from(input.byte()) % 2
}

fn vld_handle(h: &Handles, slot: usize) -> *mut c_void {
    h.vlds[slot].as_ref().map_or(ptr::null_mut(), |v| v.handle)
}

fn xor_handle(h: &Handles, slot: usize) -> *mut c_void {
    h.xors[slot].as_ref().map_or(ptr::null_mut(), |x| x.handle)
}

/// The getters of a validator (or of NULL) against the model.
fn check_vld(h: &mut Handles, slot: usize) {
    let handle = vld_handle(h, slot);
    // SAFETY: a live handle or NULL, for each getter.
    let got = unsafe {
        (nvx_utf8vld_get_impl(handle), nvx_utf8vld_get_current_index(handle), nvx_utf8vld_get_total_index(handle))
    };
    let want = h.vlds[slot]
        .as_ref()
        .map_or((-1, usize::MAX, usize::MAX), |vld| (vld.id, vld.current_index, vld.model.total_index()));
    assert_eq!(got, want, "validator getters (id, current_index, total_index)");
    if let Some(vld) = h.vlds[slot].as_ref() {
        let (mut up_to, mut len) = (UNTOUCHED, UNTOUCHED_INT);
        // SAFETY: a live handle; outputs writable.
        let status = unsafe { nvx_utf8vld_finish(handle, &raw mut up_to, &raw mut len) };
        assert_eq!((status, up_to, len), report(vld.model.finish(), vld.model.total_index()), "finish");
    }
}

/// The getters of a masker (or of NULL) against the model.
fn check_xor(h: &mut Handles, slot: usize) {
    let handle = xor_handle(h, slot);
    // SAFETY: a live handle or NULL, for each getter.
    let got = unsafe { (nvx_xormask_get_impl(handle), nvx_xormask_pointer(handle)) };
    let want = h.xors[slot].as_ref().map_or((-1, usize::MAX), |xor| (xor.id, xor.model.pointer()));
    assert_eq!(got, want, "masker getters (id, pointer)");
}

/// Frees the validator in `slot`, if any (caller-allocated storage is simply dropped, as C would).
fn free_vld(h: &mut Handles, slot: usize) {
    if let Some(vld) = h.vlds[slot].take()
        && vld.storage.is_none()
    {
        // SAFETY: a heap handle from `nvx_utf8vld_new`, freed once (the slot is now empty).
        unsafe { nvx_utf8vld_free(vld.handle) };
    }
}

/// Frees the masker in `slot`, if any.
fn free_xor(h: &mut Handles, slot: usize) {
    if let Some(xor) = h.xors[slot].take() {
        // SAFETY: a handle from `nvx_xormask_new`, freed once (the slot is now empty).
        unsafe { nvx_xormask_free(xor.handle) };
    }
}
