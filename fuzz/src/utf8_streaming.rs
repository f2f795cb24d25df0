//! Streaming validation: `Utf8Validator` fed in fuzzer-chosen chunks, on every kernel, against a model built
//! from `core::str::from_utf8` of the whole message.
//!
//! ```
//! // A split of 2 lengths (1, 2), key 37 fa 21 3d, then the message "€€".
//! nvx_ws_fuzz::utf8_streaming::check(b"\x02\x01\x02\x37\xfa\x21\x3d\xe2\x82\xac\xe2\x82\xac");
//! ```
//!
//! Input: [`Input::splits`], a 4-byte masking key, then the message. Checked for every available kernel:
//! - `feed` chunk by chunk (each chunk copied into an allocation of its own length): every [`Status`] equals the
//!   model's (autobahn's four values; a reject is at the byte where a byte-at-a-time DFA rejects, and sticky);
//!   `total_index`, `ends_on_codepoint` and `error` agree with it after each chunk;
//! - `finish` is `from_utf8`'s verdict on the whole message, and stays so after more input once rejected;
//! - `reset`, then the whole message as one chunk;
//! - one validator that switches kernels (`set_implementation`) between chunks, as the split's pattern says;
//! - `feed_masked`: the message masked with the key, fed with a `Masker` (on another kernel when the pattern
//!   says so): the same statuses, every chunk unmasked whole, the masker's position advanced by every byte.

use core::ops::Range;

use nvx_ws::Kernels;
use nvx_ws::mask::{self, Masker};
use nvx_ws::utf8::{self, Status, Utf8Validator};

use crate::input::{Input, Splits};
use crate::{Verdict, all_kernels, reject_index, std_verdict, verdict};

/// Checks every streaming path on `data` (see the module docs).
///
/// # Panics
/// On any disagreement with the model.
pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let splits = input.splits();
    let key = input.array4();
    let message = input.rest();
    let model = Model::new(message);
    assert_eq!(verdict(utf8::scalar::validate(message)), model.whole, "scalar reference, whole message");
    let ranges = splits.chunks(message.len());
    // Each chunk in an allocation of its own length: a kernel reading past a chunk hits ASan's redzone.
    let chunks: Vec<Vec<u8>> = ranges.iter().map(|r| message[r.clone()].to_vec()).collect();
    let kernels = all_kernels();

    for &k in &kernels {
        let mut v = Utf8Validator::with_kernels(k);
        feed_all(&mut v, &model, &ranges, &chunks, |v, _, chunk| v.feed(chunk));
        check_end(&mut v, &model);
        // The same validator after `reset`: the whole message as one chunk.
        v.reset();
        assert_eq!((v.total_index(), v.error(), v.finish()), (0, None, Ok(())), "{k:?}: reset");
        let whole = message.to_vec();
        feed_all(&mut v, &model, &[0..message.len()], &[whole], |v, _, chunk| v.feed(chunk));
        check_end(&mut v, &model);
    }

    // One validator, switching kernels between chunks.
    let mut v = Utf8Validator::with_kernels(kernels[0]);
    feed_all(&mut v, &model, &ranges, &chunks, |v, i, chunk| {
        if splits.bit(i) {
            let next = kernels[(i + 1) % kernels.len()].implementation();
            v.set_implementation(next).expect("an available implementation");
            assert_eq!(v.implementation(), next);
        }
        v.feed(chunk)
    });
    check_end(&mut v, &model);

    check_masked(&model, &splits, &ranges, key, &kernels);
}

/// `feed_masked` with a `Masker`: the statuses of `feed`, and the chunks unmasked whole.
fn check_masked(model: &Model<'_>, splits: &Splits, ranges: &[Range<usize>], key: [u8; 4], kernels: &[Kernels]) {
    let mut masked = model.message.to_vec();
    mask::scalar::mask(&mut masked, key, 0);
    for (n, &k) in kernels.iter().enumerate() {
        let masker_kernels = kernels[(n + usize::from(splits.pattern)) % kernels.len()];
        let mut masker = Masker::with_implementation(key, masker_kernels.implementation()).expect("available");
        let mut v = Utf8Validator::with_kernels(k);
        for (i, r) in ranges.iter().enumerate() {
            let mut chunk = masked[r.clone()].to_vec();
            let status = v.feed_masked(&mut chunk, &mut masker);
            model.check_status(&v, i, r, status, "feed_masked", k);
            assert_eq!(chunk, model.message[r.clone()], "{k:?}, masker {masker_kernels:?}: chunk {i} unmasked");
            assert_eq!(masker.pointer(), r.end, "{k:?}: masker position after chunk {i}");
        }
        check_end(&mut v, model);
    }
}

/// Feeds the chunks to `v` with `feed` and checks each status against the model.
fn feed_all(
    v: &mut Utf8Validator,
    model: &Model<'_>,
    ranges: &[Range<usize>],
    chunks: &[Vec<u8>],
    mut feed: impl FnMut(&mut Utf8Validator, usize, &[u8]) -> Status,
) {
    for (i, (r, chunk)) in ranges.iter().zip(chunks).enumerate() {
        let kernels = Kernels::new(v.implementation()).expect("a validator's implementation is available");
        let status = feed(v, i, chunk);
        model.check_status(v, i, r, status, "feed", kernels);
    }
}

/// After the whole message: `finish` is from_utf8's verdict; a reject stays put under more input, and `finish`
/// does not change.
fn check_end(v: &mut Utf8Validator, model: &Model<'_>) {
    let name = v.implementation();
    assert_eq!(verdict(v.finish()), model.whole, "{name}: finish");
    if let Some(at) = model.reject {
        let sticky = Status { valid: false, ends_on_codepoint: false, current_index: 0, total_index: at };
        for more in [&b""[..], &b"a"[..], &b"\xC3\xA9"[..], model.message] {
            assert_eq!(v.feed(more), sticky, "{name}: input after a reject");
            assert_eq!(verdict(v.finish()), model.whole, "{name}: finish after more input");
        }
    }
}

/// What a validator must report for a message, derived from `from_utf8` of the whole message.
struct Model<'a> {
    message: &'a [u8],
    /// `from_utf8`'s verdict on the whole message.
    whole: Verdict,
    /// Where a byte-at-a-time DFA rejects the message, if it does (not for a message that is only incomplete).
    reject: Option<usize>,
    /// The longest valid prefix, as a `str` (to ask where code points end).
    valid: &'a str,
}

impl<'a> Model<'a> {
    fn new(message: &'a [u8]) -> Self {
        let whole = std_verdict(message);
        let (valid_len, reject) = match whole {
            Ok(()) => (message.len(), None),
            Err((up_to, None)) => (up_to, None),
            Err((up_to, Some(n))) => (up_to, Some(reject_index(message, up_to, n))),
        };
        let valid = core::str::from_utf8(&message[..valid_len]).expect("valid_up_to bounds a valid prefix");
        Self { message, whole, reject, valid }
    }

    /// The status after chunk `i`, which is `r` of the message.
    fn status(&self, r: &Range<usize>) -> Status {
        match self.reject {
            Some(at) if at < r.start => {
                Status { valid: false, ends_on_codepoint: false, current_index: 0, total_index: at }
            }
            Some(at) if at < r.end => {
                Status { valid: false, ends_on_codepoint: false, current_index: at - r.start, total_index: at }
            }
            _ => Status {
                valid: true,
                ends_on_codepoint: r.end <= self.valid.len() && self.valid.is_char_boundary(r.end),
                current_index: r.len(),
                total_index: r.end,
            },
        }
    }

    /// Checks the status `got` of chunk `i` and the validator's accessors after it.
    fn check_status(&self, v: &Utf8Validator, i: usize, r: &Range<usize>, got: Status, how: &str, k: Kernels) {
        let want = self.status(r);
        assert_eq!(got, want, "{how} on {k:?}: chunk {i} ({r:?}) of a message judged {:?}", self.whole);
        assert_eq!(v.total_index(), want.total_index, "{how} on {k:?}: total_index() after chunk {i}");
        assert_eq!(
            v.ends_on_codepoint(),
            want.ends_on_codepoint,
            "{how} on {k:?}: ends_on_codepoint() after chunk {i}"
        );
        let error = v.error().map(|e| (e.valid_up_to(), e.error_len()));
        if want.valid {
            assert_eq!(error, None, "{how} on {k:?}: error() after chunk {i}");
        } else {
            assert_eq!(error.map(Err::<(), _>), Some(self.whole), "{how} on {k:?}: error() after chunk {i}");
        }
    }
}
