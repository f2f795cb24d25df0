//! Which kernels run: autobahn's implementation ids mapped onto nvx's implementations, the process-wide
//! selection by name.
//!
//! ```c
//! void* vld = nvx_utf8vld_new();               /* id 0: nvx's run-time selection */
//! if (nvx_utf8vld_set_impl(vld, 1) == 1) { }    /* the scalar reference; always accepted */
//! printf("%s\n", nvx_implementation_name());    /* "avx2" on an AVX2 machine */
//! ```
//!
//! | autobahn UTF-8 id | autobahn's name | nvx implementation |
//! |---|---|---|
//! | 0 | optimal | the run-time selection ([`nvx_ws::selected`]) |
//! | 1, 2 | table DFA, unrolled DFA | `scalar` |
//! | 3 | SSE2 | `sse2` (x86_64) |
//! | 4 | SSE4.1 | `ssse3` (x86_64 with SSSE3: nvx's 16-byte lookup kernel needs only SSSE3, which every SSE4.1 CPU has) |
//!
//! | autobahn masking id | autobahn's name | nvx implementation |
//! |---|---|---|
//! | 0 | optimal | the run-time selection |
//! | 1 | simple | `scalar` |
//! | 2 | SSE2 | `sse2` (x86_64) |
//!
//! An unknown id (negative, or above the table) or one this build or CPU cannot run is refused: the handle keeps
//! its implementation and id, and `set_impl` returns the id it keeps (autobahn's convention).

use core::ffi::{CStr, c_char, c_int};

use nvx_ws::Implementation;

use crate::boundary::guard;
use crate::status::Status;

/// The nvx implementation of autobahn's UTF-8 validator id `id`, if the id is known.
pub(crate) fn of_utf8_id(id: c_int) -> Option<Implementation> {
    match id {
        0 => Some(nvx_ws::selected()),
        1 | 2 => Some(Implementation::Scalar),
        3 => Some(Implementation::Sse2),
        4 => Some(Implementation::Ssse3),
        _ => None,
    }
}

/// The nvx implementation of autobahn's masker id `id`, if the id is known.
pub(crate) fn of_mask_id(id: c_int) -> Option<Implementation> {
    match id {
        0 => Some(nvx_ws::selected()),
        1 => Some(Implementation::Scalar),
        2 => Some(Implementation::Sse2),
        _ => None,
    }
}

/// `implementation`'s name as a static C string (`Implementation::name` plus the NUL).
fn c_name(implementation: Implementation) -> &'static CStr {
    match implementation {
        Implementation::Scalar => c"scalar",
        Implementation::Sse2 => c"sse2",
        Implementation::Ssse3 => c"ssse3",
        Implementation::Avx2 => c"avx2",
        Implementation::Avx512 => c"avx512",
        Implementation::Neon => c"neon",
        _ => c"unknown",
    }
}

/// The name of the implementation that new handles and the handle-free functions use: `"scalar"`, `"sse2"`,
/// `"ssse3"`, `"avx2"`, `"avx512"` or `"neon"` (static storage; never NULL, never freed). The first call of the
/// process detects the CPU.
#[unsafe(no_mangle)]
pub extern "C" fn nvx_implementation_name() -> *const c_char {
    guard(c"unknown".as_ptr(), || c_name(nvx_ws::selected()).as_ptr())
}

/// Makes the implementation called `name` (as `nvx_implementation_name` spells it) the process-wide selection,
/// for diagnostics and benchmarks. Handles created before keep their implementation. Not meant to race with
/// other nvx calls' first use (any interleaving is memory-safe; which selection a racing call sees is not
/// specified).
///
/// Returns `NVX_STATUS_OK`; `NVX_STATUS_UNSUPPORTED` (nothing changed) for an unknown name or one this build or
/// CPU cannot run; `NVX_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nvx_set_implementation(name: *const c_char) -> Status {
    guard(Status::Panic, || {
        if name.is_null() {
            return Status::NullArgument;
        }
        // SAFETY: non-NULL and NUL-terminated (the caller's obligation).
        let name = unsafe { CStr::from_ptr(name) };
        let Some(implementation) = name.to_str().ok().and_then(Implementation::from_name) else {
            return Status::Unsupported;
        };
        match nvx_ws::force(implementation) {
            Ok(()) => Status::Ok,
            Err(_) => Status::Unsupported,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_names_are_the_core_names() {
        for implementation in Implementation::ALL {
            assert_eq!(c_name(implementation).to_str(), Ok(implementation.name()));
        }
    }

    #[test]
    fn unknown_ids_map_to_nothing() {
        for id in [-1, 5, c_int::MAX, c_int::MIN] {
            assert_eq!(of_utf8_id(id), None);
        }
        for id in [-1, 3, c_int::MAX, c_int::MIN] {
            assert_eq!(of_mask_id(id), None);
        }
        assert_eq!(of_utf8_id(2), Some(Implementation::Scalar));
        assert_eq!(of_mask_id(0), Some(nvx_ws::selected()));
    }
}
