//! The checks behind nvx's fuzz targets: one `check(data)` per API, each comparing nvx with an oracle.
//!
//! ```ignore
//! // fuzz_targets/utf8_oneshot.rs
//! libfuzzer_sys::fuzz_target!(|data: &[u8]| nvx_ws_fuzz::utf8_oneshot::check(data));
//! ```
//!
//! | module | API under test | oracle |
//! |---|---|---|
//! | [`utf8_oneshot`] | `utf8::validate`, every kernel's `Kernels::validate_utf8`, `utf8::scalar::validate` | `core::str::from_utf8` |
//! | [`utf8_streaming`] | `Utf8Validator` (`feed`, `feed_masked`, `finish`, `reset`, switching kernels) | `core::str::from_utf8` of prefixes |
//! | [`mask`] | `Kernels::mask`, `mask_to`, `Masker`, `unmask_validate`, `unmask_validate_to` | `mask::scalar::mask`, then `from_utf8` |
//! | [`c_abi_sequence`] | the `extern "C"` functions of `nvx-ws-ffi` | the Rust API of `nvx-ws` |
//!
//! A check panics (which libFuzzer reports as a crash) on any disagreement. The inputs are decoded by
//! [`input::Input`]; `docs/reliability.md` describes each layout.

#![deny(unsafe_op_in_unsafe_fn)]

pub mod c_abi_sequence;
pub mod input;
pub mod mask;
pub mod utf8_oneshot;
pub mod utf8_streaming;

use nvx_ws::Kernels;
use nvx_ws::utf8::Utf8Error;

/// A UTF-8 verdict in comparable form: `Err((valid_up_to, error_len))`.
pub type Verdict = Result<(), (usize, Option<usize>)>;

/// The oracle: `core::str::from_utf8`'s verdict on `bytes`.
#[must_use]
pub fn std_verdict(bytes: &[u8]) -> Verdict {
    core::str::from_utf8(bytes).map(|_| ()).map_err(|e| (e.valid_up_to(), e.error_len()))
}

/// nvx's verdict in the oracle's form.
#[must_use]
pub fn verdict(result: Result<(), Utf8Error>) -> Verdict {
    result.map_err(|e| (e.valid_up_to(), e.error_len()))
}

/// The kernels of every implementation this build and CPU run (the scalar reference always among them).
///
/// # Panics
/// If `Kernels::new` refuses an implementation that `available()` lists, or accepts one it does not.
#[must_use]
pub fn all_kernels() -> Vec<Kernels> {
    for implementation in nvx_ws::Implementation::ALL {
        assert_eq!(
            Kernels::new(implementation).is_ok(),
            implementation.is_available(),
            "Kernels::new and is_available disagree on {implementation}"
        );
    }
    nvx_ws::available().map(|i| Kernels::new(i).expect("available implies supported")).collect()
}

/// Where a byte-at-a-time DFA (autobahn's convention) rejects a message whose std error is `(valid_up_to,
/// error_len)`: at `valid_up_to` when the byte there can never start a sequence, else `error_len` bytes later.
/// Written from RFC 3629 here rather than taken from `Utf8Error::failure_index`, which is under test.
#[must_use]
pub fn reject_index(message: &[u8], valid_up_to: usize, error_len: usize) -> usize {
    match message[valid_up_to] {
        0x80..=0xC1 | 0xF5..=0xFF => valid_up_to,
        _ => valid_up_to + error_len,
    }
}
