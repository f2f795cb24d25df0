//! Masking and fused unmask+validate: every kernel, in place and out of place, whole and in fuzzer-chosen
//! fragments, against `mask::scalar::mask` (then `core::str::from_utf8` for the fused paths).
//!
//! ```
//! // Key 37 fa 21 3d, phase 1, alignment shift 3, no split, then the payload "Hello".
//! nvx_ws_fuzz::mask::check(b"\x37\xfa\x21\x3d\x01\x03\x00Hello");
//! ```
//!
//! Input: a 4-byte key, a phase ([`Input::phase`]: small values and the ones just below `usize::MAX`), an
//! alignment shift byte, [`Input::splits`], then the payload, taken as the plain text of a frame. The reference
//! masks it with the scalar kernel at that phase. For every available kernel:
//! - `Kernels::mask` in place (on an allocation of exactly the payload's length, and on one shifted by 0 to 63
//!   bytes) and `Kernels::mask_to` out of place: the reference bytes and the phase `(phase + len) % 4`;
//! - a `Masker` over the fragments, each fragment in place or out of place as the split's pattern says: the
//!   payload masked from phase 0; `pointer` and `phase` after each fragment; `reset`;
//! - `unmask_validate` (in place, also shifted) and `unmask_validate_to` on the masked payload: the plain text,
//!   the phase, and `from_utf8`'s verdict on the plain text; the same per fragment, the phase carried along;
//! - the free functions `mask::mask`, `mask::mask_to`, `fused::unmask_validate`, `fused::unmask_validate_to`.

use nvx_ws::mask::{self, Masker};
use nvx_ws::{Kernels, fused};

use crate::input::{Input, Splits};
use crate::{Verdict, all_kernels, std_verdict, verdict};

/// One payload and what every path must produce from it.
struct Case<'a> {
    key: [u8; 4],
    phase: usize,
    /// The phase after the payload: `(phase + len) % 4`.
    after: usize,
    /// The plain text.
    plain: &'a [u8],
    /// The plain text masked by the scalar reference from `phase`.
    masked: Vec<u8>,
    /// `from_utf8`'s verdict on the plain text.
    text: Verdict,
    /// Bytes before the payload in the shifted copies (0 to 63).
    shift: usize,
}

/// Checks every masking path on `data` (see the module docs).
///
/// # Panics
/// On any disagreement with the scalar reference.
pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let key = input.array4();
    let phase = input.phase();
    let shift = usize::from(input.byte() % 64);
    let splits = input.splits();
    let plain = input.rest();

    let mut masked = plain.to_vec();
    let after = mask::scalar::mask(&mut masked, key, phase);
    assert_eq!(after, (phase % 4 + plain.len() % 4) % 4, "scalar reference: phase after the payload");
    let case = Case { key, phase, after, plain, masked, text: std_verdict(plain), shift };

    for kernels in all_kernels() {
        check_whole(&case, kernels);
        check_fragments(&case, &splits, kernels);
    }
    check_selected(&case);
}

/// The whole payload at once, in place, shifted and out of place, masking and fused.
fn check_whole(c: &Case<'_>, k: Kernels) {
    let mut buf = c.plain.to_vec();
    assert_eq!(k.mask(&mut buf, c.key, c.phase), c.after, "{k:?}: mask phase");
    assert_eq!(buf, c.masked, "{k:?}: mask in place");

    let mut shifted = vec![0xA5; c.shift + c.plain.len()];
    shifted[c.shift..].copy_from_slice(c.plain);
    assert_eq!(k.mask(&mut shifted[c.shift..], c.key, c.phase), c.after, "{k:?}: shifted mask phase");
    assert_eq!(shifted[c.shift..], c.masked, "{k:?}: mask in place, shifted by {}", c.shift);
    assert!(shifted[..c.shift].iter().all(|&b| b == 0xA5), "{k:?}: mask wrote before the buffer");

    let mut dst = vec![0; c.plain.len()];
    assert_eq!(k.mask_to(c.plain, &mut dst, c.key, c.phase), c.after, "{k:?}: mask_to phase");
    assert_eq!(dst, c.masked, "{k:?}: mask_to");

    let mut buf = c.masked.clone();
    let (after, result) = k.unmask_validate(&mut buf, c.key, c.phase);
    assert_eq!((after, verdict(result)), (c.after, c.text), "{k:?}: unmask_validate");
    assert_eq!(buf, c.plain, "{k:?}: unmask_validate unmasks the whole buffer");

    shifted[c.shift..].copy_from_slice(&c.masked);
    let (after, result) = k.unmask_validate(&mut shifted[c.shift..], c.key, c.phase);
    assert_eq!((after, verdict(result)), (c.after, c.text), "{k:?}: unmask_validate, shifted by {}", c.shift);
    assert_eq!(shifted[c.shift..], *c.plain, "{k:?}: unmask_validate, shifted: the whole buffer");

    let mut dst = vec![0; c.plain.len()];
    let (after, result) = k.unmask_validate_to(&c.masked, &mut dst, c.key, c.phase);
    assert_eq!((after, verdict(result)), (c.after, c.text), "{k:?}: unmask_validate_to");
    assert_eq!(dst, c.plain, "{k:?}: unmask_validate_to writes the plain text");
}

/// The payload in fragments: a `Masker` from phase 0, and the fused kernel with the phase carried along.
fn check_fragments(c: &Case<'_>, splits: &Splits, k: Kernels) {
    let mut from_zero = c.plain.to_vec();
    mask::scalar::mask(&mut from_zero, c.key, 0);
    let ranges = splits.chunks(c.plain.len());

    let mut masker = Masker::with_implementation(c.key, k.implementation()).expect("available");
    for round in 0..2 {
        let mut out = Vec::with_capacity(c.plain.len());
        for (i, r) in ranges.iter().enumerate() {
            let mut fragment = c.plain[r.clone()].to_vec();
            if splits.bit(i) {
                let mut dst = vec![0; fragment.len()];
                masker.process_to(&fragment, &mut dst);
                fragment = dst;
            } else {
                masker.process(&mut fragment);
            }
            out.extend_from_slice(&fragment);
            assert_eq!((masker.pointer(), masker.phase()), (r.end, r.end % 4), "{k:?}: masker after fragment {i}");
        }
        assert_eq!(out, from_zero, "{k:?}: Masker over fragments, round {round}");
        masker.reset();
        assert_eq!((masker.pointer(), masker.phase(), masker.key()), (0, 0, c.key), "{k:?}: reset");
    }

    let mut phase = c.phase;
    for (i, r) in ranges.iter().enumerate() {
        let mut fragment = c.masked[r.clone()].to_vec();
        let (after, result) = k.unmask_validate(&mut fragment, c.key, phase);
        assert_eq!(after, (c.phase % 4 + r.end % 4) % 4, "{k:?}: unmask_validate phase after fragment {i}");
        assert_eq!(fragment, c.plain[r.clone()], "{k:?}: unmask_validate of fragment {i}");
        assert_eq!(verdict(result), std_verdict(&fragment), "{k:?}: unmask_validate verdict on fragment {i}");
        phase = after;
    }
}

/// The free functions, which use the selected kernels.
fn check_selected(c: &Case<'_>) {
    let selected = nvx_ws::selected();
    let mut buf = c.plain.to_vec();
    assert_eq!(mask::mask(&mut buf, c.key, c.phase), c.after, "mask::mask ({selected})");
    assert_eq!(buf, c.masked, "mask::mask ({selected})");
    let mut dst = vec![0; c.plain.len()];
    assert_eq!(mask::mask_to(c.plain, &mut dst, c.key, c.phase), c.after, "mask::mask_to ({selected})");
    assert_eq!(dst, c.masked, "mask::mask_to ({selected})");
    let (after, result) = fused::unmask_validate(&mut buf, c.key, c.phase);
    assert_eq!((after, verdict(result), &buf[..]), (c.after, c.text, c.plain), "fused::unmask_validate ({selected})");
    let (after, result) = fused::unmask_validate_to(&c.masked, &mut dst, c.key, c.phase);
    assert_eq!(
        (after, verdict(result), &dst[..]),
        (c.after, c.text, c.plain),
        "fused::unmask_validate_to ({selected})"
    );
}
