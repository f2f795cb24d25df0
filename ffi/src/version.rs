//! The library version: `nvx_version()` at run time, `NVX_VERSION_MAJOR/MINOR/PATCH` at compile time.
//!
//! ```c
//! printf("built against %d.%d.%d, running %s\n", NVX_VERSION_MAJOR, NVX_VERSION_MINOR, NVX_VERSION_PATCH,
//!        nvx_version());
//! ```
//!
//! The constants are literals (cbindgen copies them into the header as macros); a compile-time check keeps them
//! equal to the crate's version in `Cargo.toml`.

use core::ffi::{CStr, c_char};

use crate::boundary::guard;

/// Major version of the header: the ABI never changes incompatibly within one major version.
pub const NVX_VERSION_MAJOR: u32 = 0;
/// Minor version of the header: new functions and new status values may appear.
pub const NVX_VERSION_MINOR: u32 = 1;
/// Patch version of the header: fixes only.
pub const NVX_VERSION_PATCH: u32 = 0;

/// The decimal number `s`, at compile time.
const fn parse(s: &str) -> u32 {
    let bytes = s.as_bytes();
    let mut value = 0;
    let mut i = 0;
    while i < bytes.len() {
        assert!(bytes[i].is_ascii_digit(), "a version component is decimal");
        value = value * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    value
}

const _: () = assert!(
    NVX_VERSION_MAJOR == parse(env!("CARGO_PKG_VERSION_MAJOR"))
        && NVX_VERSION_MINOR == parse(env!("CARGO_PKG_VERSION_MINOR"))
        && NVX_VERSION_PATCH == parse(env!("CARGO_PKG_VERSION_PATCH")),
    "NVX_VERSION_* must match the version in ffi/Cargo.toml"
);

/// The version as a NUL-terminated string, e.g. `"0.1.0"`.
const VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(version) => version,
    Err(_) => panic!("the package version contains no NUL byte"),
};

/// The version of the library actually loaded, `"MAJOR.MINOR.PATCH"` (static storage; never NULL, never freed).
#[unsafe(no_mangle)]
pub extern "C" fn nvx_version() -> *const c_char {
    guard(VERSION.as_ptr(), || VERSION.as_ptr())
}
