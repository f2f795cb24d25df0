//! One-shot validation: `utf8::validate`, the scalar reference and every available kernel against
//! `core::str::from_utf8`, `valid_up_to` and `error_len` exactly.
//!
//! ```
//! nvx_ws_fuzz::utf8_oneshot::check(b"ok\xF0\x28\x8C\xBC"); // panics on any disagreement
//! ```
//!
//! The whole input is the message. It is validated where libFuzzer put it (a heap block of exactly its length, so
//! AddressSanitizer catches a read one byte past the end), then again from a copy that starts `input[0] % 64`
//! bytes into its allocation, which moves the message across vector alignments (the end stays on the redzone).

use nvx_ws::utf8;

use crate::{all_kernels, std_verdict, verdict};

/// Checks every validator on `data` (see the module docs).
///
/// # Panics
/// On any disagreement with `core::str::from_utf8`.
pub fn check(data: &[u8]) {
    let expected = std_verdict(data);
    check_at(data, expected);
    let shift = usize::from(data.first().copied().unwrap_or(0) % 64);
    let mut shifted = vec![0; shift + data.len()];
    shifted[shift..].copy_from_slice(data);
    check_at(&shifted[shift..], expected);
}

/// Every validator on `message`, which `from_utf8` judges `expected`.
fn check_at(message: &[u8], expected: crate::Verdict) {
    assert_eq!(verdict(utf8::scalar::validate(message)), expected, "scalar reference");
    assert_eq!(verdict(utf8::validate(message)), expected, "utf8::validate ({})", nvx_ws::selected());
    for kernels in all_kernels() {
        assert_eq!(verdict(kernels.validate_utf8(message)), expected, "{}", kernels.implementation());
    }
}
