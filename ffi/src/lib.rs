//! libnvx: the C ABI of `nvx-ws`, autobahn's NVX function set and nvx's own, translated and nothing else.
//!
//! ```c
//! #include "nvx.h"
//! size_t valid_up_to; int error_len;
//! if (nvx_utf8_validate(data, len, &valid_up_to, &error_len) != NVX_STATUS_OK) { /* close with 1007 */ }
//! size_t phase = nvx_mask(payload, payload_len, key, 0); /* in place; phase for the next fragment */
//! ```
//!
//! Every symbol is `nvx_*`, every type `nvx_*`, every macro `NVX_*`; `include/nvx.h` is generated from this crate
//! by cbindgen (see `cbindgen.toml`) and `docs/c-abi.md` is the reference: the autobahn id mapping, every error
//! value, the ABI stability promise.
//!
//! # Safety at the boundary
//! - Every export runs inside `boundary::guard`: a panic never crosses into C, it turns into the function's
//!   documented error value.
//! - A NULL handle gives the documented error value; NULL data with length 0 is an empty buffer, with a length
//!   above 0 (or above `PTRDIFF_MAX`) an error, and nothing is touched.
//! - `_free(NULL)` is a no-op; allocation failure makes `_new` return NULL (the memory is obtained with
//!   `std::alloc::alloc` and checked, never with `Box::new`, which aborts).
//! - Every handle starts with a tag naming its kind (`boundary::Kind`), checked on entry: a handle of the other
//!   kind, an uninitialised state or a misaligned pointer is refused like NULL. The tag is also the handle's lock:
//!   a call claims it with one compare-and-swap, and a concurrent call on the same handle gets
//!   `NVX_STATUS_BUSY` instead of a second `&mut`.
//!
//! # Modules
//! - `boundary`: the panic guard, NULL-checked slices and handles, allocation.
//! - `status`: `nvx_status`, the one status enum.
//! - `implementation`: autobahn's implementation ids, the selected implementation's name, forcing one.
//! - `utf8`: one-shot validation, the incremental validator (`nvx_utf8vld_*`, heap or caller-allocated).
//! - `mask`: allocation-free masking (`nvx_mask`, `nvx_mask_to`) and autobahn's masker (`nvx_xormask_*`).
//! - `fused`: unmasking and validating in one pass.

mod boundary;

// cbindgen writes the header in this order (rustfmt keeps it: each group is one module).
mod version;

mod status;

mod implementation;

mod utf8;

mod mask;

mod fused;

pub use status::Status;
pub use utf8::{Utf8Status, Utf8VldState};
pub use version::{NVX_VERSION_MAJOR, NVX_VERSION_MINOR, NVX_VERSION_PATCH};
