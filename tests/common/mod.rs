//! Helpers shared by the differential, exhaustive and streaming tests: the implementations under test, the std
//! oracle, buffers placed at a chosen alignment, and generators of valid and corrupted UTF-8.
//!
//! Each test binary uses a different subset of these helpers, hence the `dead_code` allowance where the module is
//! declared.

use core::ops::Range;

use nvx_ws::utf8::Utf8Error;
use nvx_ws::{Implementation, Kernels};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed};

/// A validation result as plain numbers: `Err((valid_up_to, error_len))`.
pub type Verdict = Result<(), (usize, Option<usize>)>;

/// The oracle: what `core::str::from_utf8` says about `input`.
pub fn std_verdict(input: &[u8]) -> Verdict {
    core::str::from_utf8(input).map(|_| ()).map_err(|e| (e.valid_up_to(), e.error_len()))
}

/// An nvx result as plain numbers, comparable with [`std_verdict`].
pub fn verdict(result: Result<(), Utf8Error>) -> Verdict {
    result.map_err(|e| (e.valid_up_to(), e.error_len()))
}

/// The implementations this build and CPU must offer, worked out from the architecture and the standard library's
/// feature detection (never from nvx), in the order of `Implementation::ALL`.
pub fn expected_implementations() -> Vec<Implementation> {
    #[cfg_attr(
        not(any(target_arch = "x86_64", target_arch = "aarch64")),
        expect(unused_mut, reason = "only the scalar kernel on this target")
    )]
    let mut expected = vec![Implementation::Scalar];
    #[cfg(target_arch = "x86_64")]
    {
        expected.push(Implementation::Sse2);
        if is_x86_feature_detected!("ssse3") {
            expected.push(Implementation::Ssse3);
        }
        if is_x86_feature_detected!("avx2") {
            expected.push(Implementation::Avx2);
        }
        if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bw") {
            expected.push(Implementation::Avx512);
        }
    }
    #[cfg(target_arch = "aarch64")]
    expected.push(Implementation::Neon);
    expected
}

/// Every implementation under test: `nvx_ws::available()`, checked against [`expected_implementations`] so that a
/// kernel silently lost (a detection bug, a cfg typo) fails the tests instead of shrinking them.
pub fn implementations() -> Vec<Implementation> {
    let available: Vec<Implementation> = nvx_ws::available().collect();
    assert_eq!(available, expected_implementations(), "nvx_ws::available() differs from what this CPU supports");
    available
}

/// The kernels of every implementation under test.
pub fn kernels() -> Vec<Kernels> {
    implementations().into_iter().map(|i| Kernels::new(i).expect("listed by available()")).collect()
}

/// A proptest configuration with `cases` cases, a fixed seed (reproducible runs) and no regression files.
pub fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, rng_seed: RngSeed::Fixed(0x6e76_785f_7465_7374), ..Config::default() }
}

/// Guard byte written around placed buffers: a lead byte, so that a kernel that read outside its slice, or took
/// the bytes before it for anything but "nothing", would see an error that is not there.
pub const GUARD: u8 = 0xF0;

/// A copy of `data` inside a larger buffer, starting at an address that is `offset` (mod 64) bytes past a 64-byte
/// boundary, surrounded by at least 64 [`GUARD`] bytes on each side. Returns the buffer and where `data` is.
pub fn place(data: &[u8], offset: usize) -> (Vec<u8>, Range<usize>) {
    let mut storage = vec![GUARD; data.len() + 64 + 64 + 128];
    let misalignment = storage.as_ptr() as usize % 64;
    let start = 64 + (64 - misalignment) % 64 + offset % 64;
    storage[start..start + data.len()].copy_from_slice(data);
    (storage, start..start + data.len())
}

/// Asserts that everything outside `range` in a buffer made by [`place`] is still guard bytes.
pub fn assert_guards_intact(storage: &[u8], range: Range<usize>) {
    assert!(storage[..range.start].iter().all(|&b| b == GUARD), "bytes before the slice were written");
    assert!(storage[range.end..].iter().all(|&b| b == GUARD), "bytes after the slice were written");
}

/// Code points at the edges of the UTF-8 length classes and of the surrogate gap.
pub const EDGE_CHARS: [char; 12] = [
    '\0',
    '\u{7F}',
    '\u{80}',
    '\u{7FF}',
    '\u{800}',
    '\u{FFF}',
    '\u{1000}',
    '\u{D7FF}',
    '\u{E000}',
    '\u{FFFF}',
    '\u{10000}',
    '\u{10FFFF}',
];

/// One code point: mostly printable ASCII, then Latin (2 bytes), CJK and other BMP (3 bytes), emoji and other
/// supplementary planes (4 bytes), and the class edges.
pub fn code_point() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\0', '\u{7F}'),
        3 => proptest::char::range('\u{A0}', '\u{24F}'),
        1 => proptest::char::range('\u{80}', '\u{7FF}'),
        3 => proptest::char::range('\u{4E00}', '\u{9FFF}'),
        1 => proptest::char::range('\u{800}', '\u{FFFF}'),
        2 => proptest::char::range('\u{1F300}', '\u{1FAFF}'),
        1 => proptest::char::range('\u{10000}', '\u{10FFFF}'),
        1 => proptest::sample::select(EDGE_CHARS.as_slice()),
    ]
}

/// Valid UTF-8 of up to `max_chars` code points (so up to four times as many bytes).
pub fn text(max_chars: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(code_point(), 0..=max_chars)
        .prop_map(|cs| cs.into_iter().collect::<String>().into_bytes())
}

/// Ill-formed or truncated byte sequences (RFC 3629 §4 and §10): stray continuation bytes, bytes that never
/// appear, overlongs, surrogates, code points above U+10FFFF, and sequences cut short.
pub const BAD_SEQUENCES: [&[u8]; 28] = [
    b"\x80",
    b"\xBF",
    b"\x80\x80\x80\x80",
    b"\xC0",
    b"\xC1",
    b"\xC0\x80",
    b"\xC1\xBF",
    b"\xFF",
    b"\xFE",
    b"\xF8\x88\x80\x80\x80",
    b"\xF5\x80\x80\x80",
    b"\xF7\xBF\xBF\xBF",
    b"\xED\xA0",
    b"\xED\xA0\x80",
    b"\xED\xBF\xBF",
    b"\xED\xA0\x80\xED\xB0\x80",
    b"\xE0\x80\xAF",
    b"\xE0\x9F\xBF",
    b"\xF0\x80\x80\xAF",
    b"\xF0\x8F\xBF\xBF",
    b"\xF4\x90\x80\x80",
    b"\xF4\xBF\xBF\xBF",
    b"\xC2",
    b"\xE1",
    b"\xE2\x82",
    b"\xF0\x9F",
    b"\xF0\x9F\x98",
    b"\xF4\x8F\xBF",
];

/// One way of damaging a valid text; positions are taken relative to the text's length when applied.
#[derive(Clone, Debug)]
pub enum Corruption {
    /// XOR the byte at `at` with a non-zero value.
    Flip {
        /// Where.
        at: Index,
        /// What to XOR with.
        bits: u8,
    },
    /// Insert one of [`BAD_SEQUENCES`] at `at`.
    Insert {
        /// Where.
        at: Index,
        /// Which.
        bad: Index,
    },
    /// Overwrite bytes from `at` with one of [`BAD_SEQUENCES`] (as far as the text goes).
    Overwrite {
        /// Where.
        at: Index,
        /// Which.
        bad: Index,
    },
    /// Delete the byte at `at` (a code point loses a byte, or two merge).
    Remove {
        /// Where.
        at: Index,
    },
    /// Cut the text at `at` (possibly inside a code point).
    Truncate {
        /// Where.
        at: Index,
    },
}

impl Corruption {
    /// Applies the corruption to `bytes`.
    pub fn apply(&self, bytes: &mut Vec<u8>) {
        match self {
            Self::Flip { at, bits } => {
                if !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    bytes[i] ^= *bits;
                }
            }
            Self::Insert { at, bad } => {
                let i = at.index(bytes.len() + 1);
                let seq = BAD_SEQUENCES[bad.index(BAD_SEQUENCES.len())];
                bytes.splice(i..i, seq.iter().copied());
            }
            Self::Overwrite { at, bad } => {
                if !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    let seq = BAD_SEQUENCES[bad.index(BAD_SEQUENCES.len())];
                    let n = seq.len().min(bytes.len() - i);
                    bytes[i..i + n].copy_from_slice(&seq[..n]);
                }
            }
            Self::Remove { at } => {
                if !bytes.is_empty() {
                    bytes.remove(at.index(bytes.len()));
                }
            }
            Self::Truncate { at } => {
                let i = at.index(bytes.len() + 1);
                bytes.truncate(i);
            }
        }
    }
}

/// One corruption.
pub fn corruption() -> impl Strategy<Value = Corruption> {
    prop_oneof![
        3 => (any::<Index>(), 1..=255u8).prop_map(|(at, bits)| Corruption::Flip { at, bits }),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(at, bad)| Corruption::Insert { at, bad }),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(at, bad)| Corruption::Overwrite { at, bad }),
        1 => any::<Index>().prop_map(|at| Corruption::Remove { at }),
        1 => any::<Index>().prop_map(|at| Corruption::Truncate { at }),
    ]
}

/// Text of up to `max_chars` code points, left valid in about a quarter of the cases and otherwise damaged by one
/// to three corruptions.
pub fn damaged_text(max_chars: usize) -> impl Strategy<Value = Vec<u8>> {
    (text(max_chars), proptest::collection::vec(corruption(), 0..=3)).prop_map(|(mut bytes, corruptions)| {
        for c in &corruptions {
            c.apply(&mut bytes);
        }
        bytes
    })
}

/// A small deterministic generator (`SplitMix64`) for inputs too large to build code point by code point through
/// proptest.
#[derive(Clone, Debug)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; the bias is irrelevant here).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % n as u64).expect("below n")
    }
}

/// About `len` bytes of valid UTF-8 (at most `len`), from `rng`. `ascii_percent` of the code points are ASCII; the
/// rest are spread over the 2-, 3- and 4-byte classes.
pub fn random_text(rng: &mut SplitMix, len: usize, ascii_percent: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut buf = [0u8; 4];
    loop {
        let c = if rng.below(100) < ascii_percent {
            char::from(u8::try_from(0x20 + rng.below(0x5F)).expect("ASCII"))
        } else {
            let (lo, hi) = match rng.below(4) {
                0 => (0x80, 0x800),
                1 => (0x800, 0x1_0000),
                2 => (0x4E00, 0xA000),
                _ => (0x1_0000, 0x11_0000),
            };
            let v = u32::try_from(lo + rng.below(hi - lo)).expect("code point");
            char::from_u32(v).unwrap_or('\u{FFFD}')
        };
        let s = c.encode_utf8(&mut buf);
        if out.len() + s.len() > len {
            return out;
        }
        out.extend_from_slice(s.as_bytes());
    }
}
